"""No plugin but the compatibility module names a private attribute that is not the project's."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import ROOT

PLUGINS = ROOT / "plugins"
PREVIEW = ROOT / "preview"  # the live preview drives Pelican: the same rule
COMPAT = PLUGINS / "core" / "compat.py"
# ``something._name``: an attribute whose name says it is private to its owner.
PRIVATE_USE = re.compile(r"\b(\w+)\.(_[a-z]\w*)")
# The project's own private names: methods, functions and attributes its code defines.
OWN_DEFINITION = re.compile(r"(?:\bdef |\bclass |\bself\.|\bcls\.|^\s*)(_[a-z]\w*)\s*[:=(]", re.M)


def sources() -> dict[Path, str]:
    paths = sorted([*PLUGINS.rglob("*.py"), *PREVIEW.rglob("*.py")])
    return {path: path.read_text(encoding="utf-8") for path in paths}


def test_only_the_compatibility_module_uses_private_names_of_pelican_or_libraries():
    found = sources()
    # Names compat defines are Pelican's (it overrides them): not counted as the project's.
    own = {
        name
        for path, text in found.items()
        if path != COMPAT
        for name in OWN_DEFINITION.findall(text)
    }
    foreign = sorted(
        f"{path.relative_to(ROOT)}: {owner}.{name}"
        for path, text in found.items()
        if path != COMPAT
        for owner, name in PRIVATE_USE.findall(text)
        if name not in own
    )
    assert foreign == [], "move these to plugins/core/compat.py:\n" + "\n".join(foreign)


def test_the_check_sees_a_private_name_of_pelican():
    text = "content._update_content(html, siteurl)\n"
    assert PRIVATE_USE.findall(text) == [("content", "_update_content")]
    assert "_update_content" not in OWN_DEFINITION.findall(text)
