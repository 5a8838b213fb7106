"""``make serve``'s live preview: one process that keeps Pelican loaded, builds again in place on
every save (``live``), and serves the output with reloads and an error overlay (``server``)."""

from .live import LiveSite, Outcome, Problem, needs_restart
from .server import Broadcaster, start_server
from .session import report, watch_and_build

__all__ = [
    "Broadcaster",
    "LiveSite",
    "Outcome",
    "Problem",
    "needs_restart",
    "report",
    "start_server",
    "watch_and_build",
]
