"""Settings helpers shared by our plugins: one way to apply defaults and to know who is on."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping


def plugin_enabled(settings: Mapping, name: str) -> bool:
    """Whether this build lists the plugin ``name`` (receivers outlive a build in one process)."""
    return any(str(entry).rsplit(".", 1)[-1] == name for entry in settings.get("PLUGINS") or ())


def apply_defaults(
    settings: dict,
    defaults: Mapping,
    problems: Callable[[Mapping], Iterable[tuple[str, str]]],
    logger: logging.Logger,
) -> None:
    """Fill in missing settings, then replace each unusable one by its default, saying so."""
    for key, value in defaults.items():
        settings.setdefault(key, value)
    for name, message in problems(settings):
        logger.warning("%s (valeur par défaut %r utilisée)", message, defaults[name])
        settings[name] = defaults[name]
