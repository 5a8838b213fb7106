"""The import's report: figures, then every item the import could not map, with its entry."""

from __future__ import annotations

from migrate.mapper import Mapped
from migrate.writer import CREATED, FORCED, KEPT, UNCHANGED, UPDATED, Written


def report_text(
    source: str, export_format: str, mapped: Mapped, written: Written, site_problems
) -> str:
    """``import-report.md``: the same text for the same export and the same content folder."""
    tally = mapped.tally
    redirects = f"{tally.redirects} (dans data/redirects.yml)"
    lines = [
        f"# Import de `{source}` ({FORMAT_NAMES.get(export_format, export_format)})",
        "",
        f"- Billets : {tally.posts}",
        f"- Pages : {tally.pages}",
        f"- Brouillons : {tally.drafts}",
        f"- Commentaires : {tally.comments}"
        + (
            f" (non importés, indésirables ou en attente : {tally.comments_skipped})"
            if tally.comments_skipped
            else ""
        ),
        f"- Images copiées : {tally.images_copied}, manquantes : {tally.images_missing}",
        f"- Liens réécrits vers les billets importés : {tally.links_rewritten}",
        f"- Redirections : {redirects}",
        "",
        "## Épisodes par série",
        "",
    ]
    lines += [f"- {name} : {count}" for name, count in sorted(tally.episodes.items())] or [
        "- aucun"
    ]
    lines += ["", "## Interviews par questionnaire", ""]
    lines += [f"- {name} : {count}" for name, count in sorted(tally.interviews.items())] or [
        "- aucune"
    ]
    kept = written.paths(KEPT)
    problems = [str(p) for p in mapped.problems] + list(site_problems) + written.problems
    problems += [
        f"{path} : modifié depuis l'import, gardé (--force pour le remplacer)" for path in kept
    ]
    problems += [
        f"redirects.yml : entrée d'un auteur gardée : {line}" for line in written.redirects_kept
    ]
    lines += ["", f"## À reprendre ({len(problems)})", ""]
    lines += [f"- {problem}" for problem in problems] or ["Rien : tout a été importé."]
    return "\n".join(lines) + "\n"


def outcome_line(written: Written) -> str:
    """One line on what this run changed in the content folder."""
    if not written.changed:
        return "Aucun fichier modifié : le contenu est déjà à jour avec cet export."
    counts = [
        (CREATED, "créé(s)"),
        (UPDATED, "mis à jour"),
        (FORCED, "remplacé(s) (--force)"),
        (UNCHANGED, "inchangé(s)"),
        (KEPT, "gardé(s), modifiés par un auteur"),
    ]
    parts = [f"{len(written.paths(o))} {label}" for o, label in counts if written.paths(o)]
    if written.redirects_added:
        parts.append(f"{written.redirects_added} redirection(s) ajoutée(s)")
    return "Fichiers : " + ", ".join(parts) + "."


FORMAT_NAMES = {
    "movable-type": "export Movable Type / TypePad",
    "wordpress": "export WordPress (WXR)",
    "feed": "flux RSS/Atom",
}
