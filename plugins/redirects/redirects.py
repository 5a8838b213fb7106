"""Redirects: old addresses that keep working, from ``data/redirects.yml``.

What it adds: for each ``old: new`` line of ``data/redirects.yml`` (an old path of the site, or
a full URL of the old site, mapped to a page of this one), a small page at the old path that
sends readers and search engines to the new address without JavaScript: ``<meta
http-equiv="refresh" content="0; url=…">``, ``<link rel="canonical">``, ``noindex`` and a plain
link. ``/2010/09/x.html`` is written as that file; ``/archives/123/`` (or ``/archives/123``)
as ``archives/123/index.html``. The deploy (``deploy/``) recognises these pages and, on S3,
makes them real redirects (``x-amz-website-redirect-location``).

The pages are written at ``finalized``, once every page of the build is on disk: a target must
be one of them (its ``<title>`` is reused), an old path must not be. Redirect pages are not
content: they are in neither the sitemap nor the search index.

Errors, as ``path:line: message`` (dev builds go on without that redirect, strict builds
fail): an old path that is also a page of the site, a target that is no page, an address with
``?`` or ``..``, two lines for one old path, a file that is no mapping.

Settings: ``REDIRECTS_DATA_FILE`` (``redirects.yml``, in ``data/``).

Why hand-written: pelican-redirect (and similar plugins) redirect from a metadata key of an
article (``original_url``), not from a data file authors and importers share, check neither
side against the built site, and write JavaScript redirects; this is a few pure functions.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import yaml
from pelican import signals

from plugins.core import (
    ContentError,
    DataFileError,
    data_path,
    load_yaml_file,
    plugin_enabled,
    report,
    shown_path,
)
from plugins.core.settings import PluginSettings

logger = logging.getLogger(__name__)

PLUGIN_NAME = "redirects"
SETTINGS_DEFAULTS = {"REDIRECTS_DATA_FILE": "redirects.yml"}
SETTINGS = PluginSettings(PLUGIN_NAME, SETTINGS_DEFAULTS)
# Recognised by the deploy (deploy/site.py) and by this plugin on a warm build, where the
# output folder still holds the redirect pages of the previous build.
MARKER = '<meta name="generator" content="redirects">'
TITLE_RE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)
PAGE = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
{marker}
<title>Cette page a déménagé</title>
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={url}">
<link rel="canonical" href="{url}">
</head>
<body>
<p>Cette page a déménagé : <a href="{url}">{title}</a>.</p>
</body>
</html>
"""


@dataclass(frozen=True)
class Redirect:
    """One line of ``redirects.yml``: the old address, the file it is served from, the target."""

    old: str
    save_as: str
    target: str
    line: int | None = None


def parse_redirects(data: object, lines: Mapping[str, int]) -> tuple[list[Redirect], list]:
    """The redirects of a parsed ``redirects.yml`` and its problems as ``(line, message)``."""
    redirects: list[Redirect] = []
    problems: list[tuple[int | None, str]] = []
    if data is None:
        return redirects, problems
    if not isinstance(data, Mapping):
        return redirects, [(None, "doit associer chaque ancienne adresse à une page du site")]
    owners: dict[str, Redirect] = {}
    for raw_old, raw_target in data.items():
        old, line = str(raw_old), lines.get(str(raw_old))
        save_as, problem = old_file(old)
        if problem is None and not isinstance(raw_target, str):
            problem = f"« {old} » : la cible doit être une adresse du site (« /2010/09/billet/ »)"
        if problem is None:
            target_path, problem = site_address(raw_target)
        if problem is not None:
            problems.append((line, problem))
            continue
        redirect = Redirect(old, save_as, target_path, line)
        first = owners.get(save_as)
        if first is not None:
            problems.append(
                (line, f"« {old} » : même page que « {first.old} » (ligne {first.line})")
            )
            continue
        owners[save_as] = redirect
        redirects.append(redirect)
    return redirects, problems


def old_file(old: str) -> tuple[str, str | None]:
    """The output file that answers an old address (a path, or a full URL of the old site)."""
    parts = urlsplit(old.strip())
    if parts.query:
        return (
            "",
            f"« {old} » : une adresse avec « ? » ne peut pas être servie par un site statique",
        )
    path = unquote(parts.path).lstrip("/")
    if not path or ".." in path.split("/") or "\\" in path:
        return "", f"« {old} » : ancienne adresse inutilisable (chemin vide ou « .. »)"
    name = path.rsplit("/", 1)[-1]
    if path.endswith("/") or "." not in name:
        return path.rstrip("/") + "/index.html", None
    return path, None


def site_address(target: str) -> tuple[str, str | None]:
    """A target as a path of this site (``/2010/09/x/``), or the reason it is not one."""
    parts = urlsplit(target.strip())
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return "", f"« {target} » : la cible doit être une adresse de ce site commençant par /"
    if ".." in parts.path.split("/"):
        return "", f"« {target} » : cible inutilisable (« .. »)"
    return parts.path + (f"#{parts.fragment}" if parts.fragment else ""), None


def target_file(target: str) -> str:
    """The output file a target path is served from."""
    path = unquote(target.split("#", 1)[0]).lstrip("/")
    return path + "index.html" if not path or path.endswith("/") else path


def redirect_page(url: str, title: str) -> str:
    """The page served at an old address."""
    return PAGE.format(marker=MARKER, url=html.escape(url, quote=True), title=html.escape(title))


def page_title(path: str, sitename: str = "") -> str:
    """The ``<title>`` of a built page, as text, without the site's name the theme adds."""
    with open(path, encoding="utf-8", errors="replace") as stream:
        found = TITLE_RE.search(stream.read(16384))
    title = " ".join(html.unescape(found.group(1)).split()) if found else ""
    if sitename and title.endswith(sitename) and title != sitename:
        title = title.removesuffix(sitename).rstrip(" ·|-–—:")
    return title or sitename


def is_redirect_page(path: str) -> bool:
    with open(path, "rb") as stream:
        return MARKER.encode() in stream.read(1024)


def key_lines(path: str) -> dict[str, int]:
    """The line of each top-level key of a YAML mapping file."""
    try:
        with open(path, encoding="utf-8") as source:
            node = yaml.compose(source)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + 1 for key, _ in node.value}


# --- Pelican adapter ------------------------------------------------------------------------


def write_redirects(pelican) -> None:
    """``finalized``: check every redirect against the built site, write the valid ones."""
    settings = pelican.settings
    if not plugin_enabled(settings, PLUGIN_NAME):
        return
    path = data_path(settings, settings["REDIRECTS_DATA_FILE"])
    shown = shown_path(path)
    try:
        data = load_yaml_file(path)
    except DataFileError as exc:
        logger.error("%s", exc.error)
        return
    redirects, problems = parse_redirects(data, key_lines(path))
    errors = [ContentError(shown, line, message) for line, message in problems]
    output = settings["OUTPUT_PATH"]
    siteurl = settings.get("SITEURL", "").rstrip("/")
    written = []
    for redirect in redirects:
        old_output = os.path.join(output, redirect.save_as)
        target_output = os.path.join(output, target_file(redirect.target))
        if os.path.isfile(old_output) and not is_redirect_page(old_output):
            message = f"« {redirect.old} » est aussi une page du site : la redirection la cacherait"
            errors.append(ContentError(shown, redirect.line, message, "retirez cette ligne"))
        elif not os.path.isfile(target_output) or is_redirect_page(target_output):
            message = f"« {redirect.target} » n'est pas une page du site"
            errors.append(ContentError(shown, redirect.line, message, "corrigez la cible"))
        else:
            title = page_title(target_output, settings.get("SITENAME", ""))
            page = redirect_page(siteurl + redirect.target, title)
            os.makedirs(os.path.dirname(old_output), exist_ok=True)
            with open(old_output, "w", encoding="utf-8") as stream:
                stream.write(page)
            written.append(redirect.save_as)
    remove_earlier_pages(settings, written)
    report(errors, logger)


def remove_earlier_pages(settings, written: list[str]) -> None:
    """Delete the redirect pages an earlier build wrote and this one did not (a line removed):
    a warm build keeps the output folder, where a cold build would not have them."""
    record = os.path.join(settings.get("CACHE_PATH", "cache"), "redirects-written.json")
    output = settings["OUTPUT_PATH"]
    if not settings.get("DELETE_OUTPUT_DIRECTORY"):
        try:
            with open(record, encoding="utf-8") as source:
                earlier = json.load(source)
        except (OSError, ValueError):
            earlier = []
        for save_as in set(earlier) - set(written) if isinstance(earlier, list) else ():
            page = os.path.join(output, save_as)
            if os.path.isfile(page) and is_redirect_page(page):
                os.remove(page)
    os.makedirs(os.path.dirname(record) or ".", exist_ok=True)
    with open(record, "w", encoding="utf-8") as out:
        json.dump(sorted(written), out)


def register():
    signals.initialized.connect(SETTINGS.configure)
    signals.finalized.connect(write_redirects)
