"""The compatibility module is pinned to one Pelican version: an upgrade must look at it."""

from __future__ import annotations

import re
from pathlib import Path

import pelican

from plugins.core import compat

PRIVATE_NAME = re.compile(r"\.\_[a-z]\w*")


def test_pelican_is_the_version_the_compatibility_module_was_checked_against():
    assert pelican.__version__ == compat.PELICAN_VERSION, (
        f"Pelican {pelican.__version__} is installed; plugins/core/compat.py was checked against "
        f"{compat.PELICAN_VERSION}. Check each of these in the new Pelican's source, then change "
        "PELICAN_VERSION:\n- " + "\n- ".join(compat.CHECK_ON_UPGRADE)
    )


def test_each_private_name_the_compatibility_module_uses_is_listed_to_check_on_upgrade():
    source = Path(compat.__file__).read_text(encoding="utf-8")
    used = {name.lstrip(".") for name in PRIVATE_NAME.findall(source)}
    listed = " ".join(compat.CHECK_ON_UPGRADE)
    assert used and all(name in listed for name in used), sorted(n for n in used if n not in listed)


def test_the_log_lines_the_compatibility_module_adapts_are_pelicans():
    assert compat.COULD_NOT_PROCESS in Path(pelican.generators.__file__).read_text()
    assert compat.SAME_SLUG in Path(pelican.utils.__file__).read_text()
    assert compat.SAME_LANG in Path(pelican.utils.__file__).read_text()


def test_pagefind_is_the_version_the_compatibility_module_was_checked_against():
    from importlib.metadata import version

    installed = version("pagefind")
    assert installed == compat.PAGEFIND_VERSION, (
        f"pagefind {installed} is installed; plugins/core/compat.py was checked against "
        f"{compat.PAGEFIND_VERSION}. Check each of these in the new pagefind's source, then change "
        "PAGEFIND_VERSION:\n- "
        + "\n- ".join(line for line in compat.CHECK_ON_UPGRADE if line.startswith("pagefind"))
    )
