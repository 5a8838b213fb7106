"""``python -m preview CONTENT [--settings F] [--output DIR] [--host H] [--port P] [-e KEY=JSON…]``:
a live preview of any content folder (what ``make serve`` runs for ``content/``; the benchmark
runs it on its generated folder)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from . import Broadcaster, LiveSite, report, start_server, watch_and_build

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--settings", type=Path, default=ROOT / "pelicanconf.py")
    parser.add_argument("--output", type=Path, default=ROOT / "output")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("-e", "--extra-settings", nargs="*", default=[], metavar="KEY=JSON")
    options = parser.parse_args(argv)
    overrides = {"FEED_DOMAIN": f"http://{options.host}:{options.port}"}
    for item in options.extra_settings:
        key, _, value = item.partition("=")
        overrides[key] = json.loads(value)
    from pelican.log import init as init_logging

    init_logging(level=logging.WARNING)
    site = LiveSite(options.settings, options.content, options.output, overrides)
    broadcaster = Broadcaster()
    first = site.build()
    report(first)
    broadcaster.publish(first)
    start_server(options.output, options.host, options.port, broadcaster)
    print(f"Aperçu sur http://{options.host}:{options.port}/ (pid {os.getpid()})", flush=True)
    watched = [options.content, options.settings, *theme_folders(site)]
    if watch_and_build(site, broadcaster, watched, code_folder=ROOT / "plugins"):
        os.execv(sys.executable, [sys.executable, "-m", "preview", *(argv or sys.argv[1:])])
    return 0


def theme_folders(site: LiveSite) -> list[Path]:
    settings = site.settings()
    return [Path(settings["THEME"]), ROOT / "plugins"]


if __name__ == "__main__":
    sys.exit(main())
