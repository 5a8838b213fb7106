"""Plugins' settings, one way for all: defaults, validation once per build, and who is on.

A plugin declares its settings once, at module level::

    SETTINGS = PluginSettings("tags", SETTINGS_DEFAULTS, settings_problems)

and connects ``SETTINGS.configure`` to ``initialized``: in every build that lists the plugin, the
missing settings get their defaults and each unusable one is reported (one warning, which
strict builds count) and replaced by its default, so the rest of the plugin reads
``settings["TAGS_…"]`` and never checks again. ``settings_problems(settings)`` is a pure
function giving ``(name, message)`` for each unusable value; ``SETTINGS.resolve(settings)``
gives the values a build would use, for tests and for code that runs without Pelican.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)


def plugin_enabled(settings: Mapping, name: str) -> bool:
    """Whether this build lists the plugin ``name`` (receivers outlive a build in one process)."""
    return any(str(entry).rsplit(".", 1)[-1] == name for entry in settings.get("PLUGINS") or ())


def no_problems(settings: Mapping) -> Iterable[tuple[str, str]]:
    return ()


@dataclass(frozen=True)
class PluginSettings:
    """A plugin's settings: their defaults and what makes a value unusable."""

    plugin: str
    defaults: Mapping[str, Any]
    problems: Callable[[Mapping], Iterable[tuple[str, str]]] = no_problems

    def resolve(self, settings: Mapping) -> tuple[dict, list[tuple[str, str]]]:
        """The values a build uses (defaults for missing or unusable ones), and the problems."""
        values = {name: settings.get(name, default) for name, default in self.defaults.items()}
        problems = list(self.problems({**settings, **values}))
        for name, _ in problems:
            if name in self.defaults:
                values[name] = self.defaults[name]
        return values, problems

    def configure(self, pelican) -> None:
        """``initialized`` receiver: fill in this build's settings, reporting unusable ones."""
        if not plugin_enabled(pelican.settings, self.plugin):
            return
        values, problems = self.resolve(pelican.settings)
        pelican.settings.update(values)
        for name, message in problems:
            if name in self.defaults:
                logger.warning(
                    "%s : %s (valeur par défaut %r utilisée)",
                    self.plugin,
                    message,
                    self.defaults[name],
                )
            else:
                logger.warning("%s : %s", self.plugin, message)
