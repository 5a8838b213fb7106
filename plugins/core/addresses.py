"""What an address may be: links with a safe scheme, files inside the content folder, slugs.

Shared by the header checks (``authoring``) and the data files (``datafiles``): a link an author
writes (``Guest_url``, a ``url`` or ``links`` entry of a data file) is ``http``, ``https``,
``mailto`` or a path on the site; ``javascript:``, ``data:``, ``vbscript:`` would run or show
anything in the reader's browser. A symbolic link inside the content folder that leads out of
it is refused unless ``AUTHORING_FOLLOW_OUTSIDE_LINKS`` is true: a build publishes the content
folder, nothing else of the author's disk.
"""

from __future__ import annotations

import os
import re

from pelican.utils import slugify

SAFE_SCHEMES = ("http", "https", "mailto")
SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
OUTSIDE_MESSAGE = "lien symbolique vers un fichier hors du dossier de contenu, ignoré"
OUTSIDE_HINT = "copiez le fichier dans le dossier, ou réglez AUTHORING_FOLLOW_OUTSIDE_LINKS = True"


def unsafe_scheme(url: str) -> str | None:
    """The scheme of a URL that is neither http(s), mailto nor a path on the site; else None."""
    # Browsers ignore controls and spaces inside a scheme ("java\tscript:"): so do we.
    squeezed = re.sub(r"[\x00-\x20]", "", url)
    found = SCHEME_RE.match(squeezed)
    if found and found[1].lower() not in SAFE_SCHEMES:
        return found[1].lower()
    return None


def is_url_key(key: str) -> bool:
    """Whether a header or data key holds a URL (``Guest_url``, any future ``*_url``)."""
    return key.lower() == "url" or key.lower().endswith("_url")


def outside_content(path: str, settings, realpath=os.path.realpath) -> bool:
    """Whether ``path`` is a link that leads out of the content folder, when that is refused.

    ``realpath`` may be memoized by the caller: folders are shared by many files."""
    if settings.get("AUTHORING_FOLLOW_OUTSIDE_LINKS"):
        return False
    root = realpath(settings["PATH"])
    folder, name = os.path.split(os.path.abspath(path))
    real = os.path.realpath(path) if os.path.islink(path) else os.path.join(realpath(folder), name)
    return os.path.commonpath([root, real]) != root


def quiet_slug(name: str, settings, kind: str = "TAG") -> str:
    """The slug Pelican gives a tag (or category, author) of this name, without its warning.

    ``Tag(name).slug`` logs "Unable to generate valid slug" in English, naming no file: callers
    report an empty slug themselves, with the file and line."""
    return slugify(
        name,
        regex_subs=settings.get(
            f"{kind}_REGEX_SUBSTITUTIONS", settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
        ),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )
