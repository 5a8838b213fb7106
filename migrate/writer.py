"""Writing an import into the content folder: idempotent, and never over an author's edit.

``import-manifest.json`` (in the content folder) records the SHA-256 of every file as the
import wrote it. Running the import again writes a file only when its content changes and the
file on disk is still the one the import wrote; a file edited since (or one the import did not
write) is kept and reported, unless ``force``. ``data/redirects.yml`` belongs to the authors
too: new old addresses are appended to it, the lines already there are never rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field

import yaml

MANIFEST = "import-manifest.json"
REDIRECTS_HEADER = (
    "# Anciennes adresses -> pages de ce site (voir README, « Migrer un blog existant »).\n"
)

CREATED, UPDATED, UNCHANGED, KEPT, FORCED = "créé", "mis à jour", "inchangé", "gardé", "remplacé"


@dataclass
class Written:
    """What happened to each file, by path inside the content folder."""

    outcomes: dict[str, str] = field(default_factory=dict)
    redirects_added: int = 0
    redirects_kept: list[str] = field(default_factory=list)  # an author's entry differs
    problems: list[str] = field(default_factory=list)

    def paths(self, outcome: str) -> list[str]:
        return sorted(path for path, done in self.outcomes.items() if done == outcome)

    @property
    def changed(self) -> bool:
        return any(o in (CREATED, UPDATED, FORCED) for o in self.outcomes.values()) or bool(
            self.redirects_added
        )


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_import(
    content: str,
    files: dict[str, bytes],
    images: dict[str, str],
    redirects: dict[str, str],
    redirects_file: str,
    force: bool = False,
) -> Written:
    """Write files and images into ``content``, append redirects; returns every outcome."""
    written = Written()
    manifest_path = os.path.join(content, MANIFEST)
    manifest = read_manifest(manifest_path)
    wanted = dict(files)
    for destination, source in images.items():
        with open(source, "rb") as stream:
            wanted[destination] = stream.read()
    for path, data in sorted(wanted.items()):
        outcome = write_one(os.path.join(content, path), data, manifest.get(path), force)
        written.outcomes[path] = outcome
        if outcome != KEPT:
            manifest[path] = digest(data)
    append_redirects(os.path.join(content, redirects_file), redirects, written)
    text = json.dumps({"files": dict(sorted(manifest.items()))}, indent=1) + "\n"
    write_if_different(manifest_path, text.encode("utf-8"))
    return written


def write_one(path: str, data: bytes, recorded: str | None, force: bool) -> str:
    """Write one file unless an author changed it since the import; returns the outcome."""
    if not os.path.exists(path):
        write_bytes(path, data)
        return CREATED
    with open(path, "rb") as stream:
        current = digest(stream.read())
    if current == digest(data):
        return UNCHANGED
    if current != recorded and not force:
        return KEPT
    write_bytes(path, data)
    return UPDATED if current == recorded else FORCED


def append_redirects(path: str, redirects: dict[str, str], written: Written) -> None:
    """Add the old addresses ``redirects.yml`` lacks; an author's own line for one wins."""
    text = ""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    try:
        existing = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        written.problems.append(f"{path} illisible ({exc}) : redirections non ajoutées")
        return
    if not isinstance(existing, dict):
        written.problems.append(f"{path} n'associe pas d'adresses : redirections non ajoutées")
        return
    lines = []
    for old, new in redirects.items():
        if old in existing:
            if existing[old] != new:
                written.redirects_kept.append(
                    f"{old} -> {existing[old]} (l'import proposait {new})"
                )
            continue
        lines.append(yaml.safe_dump({old: new}, allow_unicode=True, width=1000))
    if not lines:
        return
    if not text:
        text = REDIRECTS_HEADER
    elif not text.endswith("\n"):
        text += "\n"
    write_bytes(path, (text + "".join(lines)).encode("utf-8"))
    written.redirects_added = len(lines)


def read_manifest(path: str) -> dict[str, str]:
    try:
        with open(path, encoding="utf-8") as stream:
            return dict(json.load(stream).get("files", {}))
    except (OSError, ValueError, AttributeError):
        return {}


def write_if_different(path: str, data: bytes) -> bool:
    if os.path.exists(path):
        with open(path, "rb") as stream:
            if stream.read() == data:
                return False
    write_bytes(path, data)
    return True


def write_bytes(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    temporary = path + ".import-tmp"
    with open(temporary, "wb") as stream:
        stream.write(data)
    os.replace(temporary, path)
