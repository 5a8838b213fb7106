"""Who writes here: ``data/authors.yml`` (optional) gives an author a bio, a photo and links.

What it adds: the template global ``author_profile(author)`` (an ``AuthorProfile`` or None), used
by the theme's signature box at the end of each article and at the top of the author's page; an
author's ``slug`` from the file, set before Pelican files articles by author (so the page moves
to ``/auteurs/<slug>/``). A site without the file, or an author missing from it, shows the name
alone, as before the file existed (AUTHORING.md).

```yaml
"Thierry Spencer":
  slug: thierry-spencer                       # optional, else made from the name
  bio: Fondateur du Sens du client.
  photo: "{static}/images/auteurs/thierry-spencer.jpg"   # optional, or https://…
  links: {site: "https://example.org"}        # optional
```

An unknown key, a photo that is not in the content folder, a bio that is not text or a bad
link is reported as ``path:line: message`` and that entry's value left out (dev builds go on,
strict builds fail). Names and bios go through the French typography when ``typography_fr`` is
on, as every name from a data file does.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import yaml
from pelican import signals

from plugins.core.addresses import unsafe_scheme
from plugins.core.datafiles import data_path, read_data_file
from plugins.core.errors import ContentError, closest, report, shown_path
from plugins.core.settings import PluginSettings, plugin_enabled

logger = logging.getLogger(__name__)

PLUGIN_NAME = "authors"
DATA_FILE = "authors.yml"
KEYS = ("slug", "bio", "photo", "links")
STATIC_PREFIXES = ("{static}/", "{static}")
SETTINGS = PluginSettings(PLUGIN_NAME, {})


@dataclass(frozen=True)
class AuthorProfile:
    """One author of ``authors.yml``: ``photo`` is a path of the site or an absolute URL."""

    name: str
    slug: str | None = None
    bio: str = ""
    photo: str | None = None
    links: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def photo_is_external(self) -> bool:
        return bool(self.photo) and "://" in self.photo


def parse_authors(
    data, path: str, exists: Callable[[str], bool], lines: Mapping[tuple, int] | None = None
) -> tuple[dict[str, AuthorProfile], list[ContentError]]:
    """Profiles by author name, and the problems of the file (pure but for ``exists``)."""
    lines = lines or {}
    problems: list[ContentError] = []
    if data is None:
        return {}, problems
    if not isinstance(data, Mapping):
        return {}, [ContentError(path, 1, "authors.yml doit associer chaque auteur à sa fiche")]
    profiles = {}
    for name, entry in data.items():
        name = str(name)

        def problem(message: str, key: str | None = None, hint: str = "", name=name) -> None:
            where = lines.get((name, key)) if key else None
            problems.append(ContentError(path, where or lines.get((name,)), message, hint))

        if entry is None:
            entry = {}
        if not isinstance(entry, Mapping):
            problem(f"la fiche de « {name} » doit être une liste de clés (bio, photo…)")
            continue
        values: dict = {}
        for key, value in entry.items():
            key = str(key)
            if key not in KEYS:
                hint = closest(key, KEYS)
                problem(
                    f"clé inconnue « {key} » pour « {name} »",
                    key,
                    f"vouliez-vous dire « {hint} » ?" if hint else f"clés : {', '.join(KEYS)}",
                )
            elif key in ("slug", "bio") and not isinstance(value, str):
                problem(f"« {key} » de « {name} » doit être un texte", key)
            elif key == "slug" and ("/" in value or "\\" in value or not value.strip()):
                problem(f"slug « {value} » de « {name} » : un seul morceau d'adresse", key)
            elif key == "photo":
                photo = photo_path(str(value))
                if photo is None:
                    problem(
                        f"photo « {value} » de « {name} » : attendu {{static}}/images/… ou https://…",
                        key,
                    )
                elif "://" not in photo and not exists(photo):
                    problem(f"photo « {value} » de « {name} » introuvable dans le contenu", key)
                else:
                    values["photo"] = photo
            elif key == "links":
                links = parse_links(value)
                if links is None:
                    problem(f"« links » de « {name} » : des noms et des adresses http(s)", key)
                else:
                    values["links"] = links
            else:
                values[key] = value.strip()
        profiles[name] = AuthorProfile(name=name, **values)
    return profiles, problems


def photo_path(value: str) -> str | None:
    """``{static}/images/x.jpg`` → ``images/x.jpg``; an https URL as it is; else None."""
    if value.startswith(("https://", "http://")):
        return value
    for prefix in STATIC_PREFIXES:
        if value.startswith(prefix):
            relative = value[len(prefix) :].lstrip("/")
            parts = relative.split("/")
            return relative if relative and ".." not in parts else None
    return None


def parse_links(value) -> tuple[tuple[str, str], ...] | None:
    """``{site: https://…}`` as ``(("site", "https://…"),)``; None when unusable."""
    if not isinstance(value, Mapping):
        return None
    links = []
    for label, url in value.items():
        url = str(url)
        if unsafe_scheme(url) or not url.startswith(("https://", "http://", "mailto:")):
            return None
        links.append((str(label), url))
    return tuple(links)


def key_lines(path: str) -> dict[tuple, int]:
    """The line of each author and of each of their keys; read only when there are problems."""
    try:
        with open(path, encoding="utf-8") as source:
            root = yaml.compose(source)
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    lines: dict[tuple, int] = {}
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            lines[(str(key_node.value),)] = key_node.start_mark.line + 1
            if isinstance(value_node, yaml.MappingNode):
                for sub_key, _ in value_node.value:
                    lines[(str(key_node.value), str(sub_key.value))] = sub_key.start_mark.line + 1
    return lines


def typeset_profile(profile: AuthorProfile, typeset: Callable[[str], str]) -> AuthorProfile:
    return AuthorProfile(
        name=profile.name,
        slug=profile.slug,
        bio=typeset(profile.bio),
        photo=profile.photo,
        links=profile.links,
    )


# --- Pelican adapters -----------------------------------------------------------------------


def load_profiles(generator) -> dict[str, AuthorProfile]:
    """This build's profiles, read and reported once (kept in the shared context)."""
    context = generator.context
    if "AUTHOR_PROFILES" in context:
        return context["AUTHOR_PROFILES"]
    data = read_data_file(context, DATA_FILE, default=None)
    path = data_path(context, DATA_FILE)
    content_root = context["PATH"]
    profiles, problems = parse_authors(
        data, shown_path(path), lambda rel: os.path.isfile(os.path.join(content_root, rel))
    )
    if problems:
        lines = key_lines(path)
        _, problems = parse_authors(
            data,
            shown_path(path),
            lambda rel: os.path.isfile(os.path.join(content_root, rel)),
            lines,
        )
        report(problems, logger)
    from plugins.typography_fr import typesetter

    typeset = typesetter(generator.settings, html=False)
    profiles = {name: typeset_profile(p, typeset) for name, p in profiles.items()}
    context["AUTHOR_PROFILES"] = profiles
    return profiles


def add_globals(generator) -> None:
    """``author_profile(author)`` for the templates."""
    if not plugin_enabled(generator.settings, PLUGIN_NAME):
        return
    context = generator.context
    generator.env.globals["author_profile"] = lambda author: context.get("AUTHOR_PROFILES", {}).get(
        str(author)
    )


def apply_slugs(generator) -> None:
    """Give authors their slug from the file before Pelican files articles by author."""
    if not plugin_enabled(generator.settings, PLUGIN_NAME):
        return
    profiles = load_profiles(generator)
    slugs = {name: p.slug for name, p in profiles.items() if p.slug}
    if not slugs:
        return
    for name in ("articles", "translations", "hidden_articles", "drafts"):
        for article in getattr(generator, name, ()) or ():
            for author in getattr(article, "authors", ()) or ():
                if author.name in slugs:
                    author.slug = slugs[author.name]


def register():
    signals.initialized.connect(SETTINGS.configure)
    signals.generator_init.connect(add_globals)
    signals.article_generator_pretaxonomy.connect(apply_slugs)
