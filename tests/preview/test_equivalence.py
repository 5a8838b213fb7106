"""The preview's safety net: after every kind of edit, the served output is the output of a cold
build of the same content, file for file (Pagefind's bundle names aside)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from plugins.core import compat
from tests.conftest import differences, run_build

POST = "content/posts/2023/2023-06-15-retard-et-annonce-au-micro.md"
OTHER = "content/posts/2021/2021-10-06-le-chat-en-ligne-bonne-idee-mal-executee.md"
DRAFT = "content/posts/2025/2025-09-15-brouillon-bornes-libre-service.md"
INTERVIEW = "content/posts/2023/2023-02-07-questionnaire-sophie-lenoir.md"
SEARCH_BUNDLE = "pagefind"


def replace(path: Path, pattern: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, new, text, count=count, flags=re.M)
    assert changed != text, f"{pattern!r} not found in {path}"
    path.write_text(changed, encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + text + "\n", encoding="utf-8")


def edit_body(p: Path) -> list[Path]:
    append(p / POST, " Une phrase ajoutée à la fin.")
    return [p / POST]


def edit_first_paragraph(p: Path) -> list[Path]:
    text = (p / OTHER).read_text(encoding="utf-8")
    header, body = text.split("\n\n", 1)
    (p / OTHER).write_text(f"{header}\n\nUn premier paragraphe tout neuf.\n\n{body}", "utf-8")
    return [p / OTHER]


def edit_interview_answer(p: Path) -> list[Path]:
    append(p / INTERVIEW, " Et une réponse complétée.")
    return [p / INTERVIEW]


def edit_title(p: Path) -> list[Path]:
    replace(p / POST, r"^Title: .*$", "Title: Un titre changé pendant l'aperçu")
    return [p / POST]


def edit_date(p: Path) -> list[Path]:
    replace(p / POST, r"^Date: .*$", "Date: 2024-02-29 10:00")
    return [p / POST]


def add_tag(p: Path) -> list[Path]:
    replace(p / OTHER, r"^(Tags: .*)$", r"\1, SNCF")
    return [p / OTHER]


def remove_tag(p: Path) -> list[Path]:
    replace(p / OTHER, r"^(Tags: .*), SNCF$", r"\1")
    return [p / OTHER]


def new_article(p: Path) -> list[Path]:
    new = p / "content/posts/2025/2025-11-02-un-article-tout-neuf.md"
    new.write_text(
        "Title: Un article tout neuf\nDate: 2025-11-02 09:00\nCategory: Expérience client\n"
        "Tags: service client, SNCF\n\nUn article écrit pendant l'aperçu, avec le NPS.\n",
        "utf-8",
    )
    return [new]


def delete_article(p: Path) -> list[Path]:
    (p / OTHER).unlink()
    return [p / OTHER]


def publish_draft(p: Path) -> list[Path]:
    replace(p / DRAFT, r"^Status: draft\n", "")
    return [p / DRAFT]


def edit_series(p: Path) -> list[Path]:
    path = p / "content/data/series.yml"
    replace(path, r"Un irritant par épisode", "Un irritant, un seul, par épisode")
    return [path]


def edit_questionnaire(p: Path) -> list[Path]:
    path = p / "content/data/questionnaires/sens-du-client.yml"
    replace(path, r"qui il est, ce que", "qui il est, puis ce que")
    return [path]


def edit_tags_file(p: Path) -> list[Path]:
    path = p / "content/data/tags.yml"
    replace(path, r"Le géant du commerce en ligne", "Le très grand du commerce en ligne")
    return [path]


def edit_glossary(p: Path) -> list[Path]:
    path = p / "content/data/glossary.yml"
    replace(path, r"Net Promoter Score : la part", "Net Promoter Score : la proportion")
    return [path]


def add_data_file_of_another_plugin(p: Path) -> list[Path]:
    path = p / "content/comments/un-fichier.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text("- author: Quelqu'un\n  body: Un commentaire.\n", "utf-8")
    return [path]


def add_redirect(p: Path) -> list[Path]:
    path = p / "content/data/redirects.yml"
    path.write_text(
        '"/2010/09/ancien-billet.html": "/2023/06/le-retard-l-annonce-au-micro-et-les-vingt-'
        'minutes-de-silence/"\n"/archives/12/": "/tags/sncf/"\n',
        "utf-8",
    )
    return [path]


def remove_redirect(p: Path) -> list[Path]:
    path = p / "content/data/redirects.yml"
    replace(path, r'^"/archives/12/".*\n', "")
    return [path]


def edit_template(p: Path) -> list[Path]:
    path = p / "theme/templates/article.html"
    replace(path, r"\{% endblock %\}", "<!-- gabarit modifié -->{% endblock %}")
    return [path]


def edit_css(p: Path) -> list[Path]:
    path = p / "theme/static/css/30-article.css"
    append(path, "\n.apercu-modifie { color: inherit; }")
    return [path]


def edit_settings(p: Path) -> list[Path]:
    path = p / "pelicanconf.py"
    replace(path, r"^SITESUBTITLE = .*$", 'SITESUBTITLE = "Un sous-titre changé"')
    return [path]


EDITS = [
    edit_body,
    edit_first_paragraph,
    edit_interview_answer,
    edit_title,
    edit_date,
    add_tag,
    remove_tag,
    new_article,
    publish_draft,
    delete_article,
    edit_series,
    edit_questionnaire,
    edit_tags_file,
    edit_glossary,
    add_data_file_of_another_plugin,
    add_redirect,
    remove_redirect,
    edit_template,
    edit_css,
    edit_settings,
]


def cold_build(project: Path, target: Path):
    shutil.rmtree(target, ignore_errors=True)
    compat.forget_logged_messages()  # the live build logged them in this process first
    return run_build(project / "content", target, str(project / "pelicanconf.py"))


def compared(served: Path, cold: Path) -> list[str]:
    """Differences outside Pagefind's bundle, whose file names depend on the order of pages."""
    found = differences(served, cold)
    entries = sorted(str(p.relative_to(served)) for p in served.rglob("pagefind-entry.json"))
    assert entries and entries == sorted(
        str(p.relative_to(cold)) for p in cold.rglob("pagefind-entry.json")
    )
    return [name for name in found if not name.startswith(SEARCH_BUNDLE + "/")]


# The edits taken by the quick path (only the pages showing the body written, at once); every
# other edit is a whole build in the live process.
QUICK = {"edit_body", "edit_first_paragraph"}


def test_served_output_equals_a_cold_build_after_every_kind_of_edit(project, live, tmp_path):
    quick = set()
    for edit in EDITS:
        changed = edit(project)
        outcome = live.build(changed)
        assert outcome.built, (edit.__name__, outcome.problems)
        cold = cold_build(project, tmp_path / "cold")
        assert compared(live.output, cold.output) == [], edit.__name__
        # The same problems as a cold build (a link to the deleted article, say): no fewer.
        assert [str(p) for p in outcome.problems] == cold.problems, edit.__name__
        if outcome.quick:
            quick.add(edit.__name__)
            # The whole build owed (search index) changes no page the quick path wrote.
            settled = live.settle()
            assert not set(settled.written) & set(outcome.written), edit.__name__
            assert compared(live.output, cold.output) == [], edit.__name__
    assert quick == QUICK


def test_two_quick_edits_in_a_row_then_a_whole_build(project, live, tmp_path):
    post = project / POST
    for sentence in (" Première.", " Seconde."):
        append(post, sentence)
        outcome = live.build([post])
        assert outcome.quick and outcome.written
    cold = cold_build(project, tmp_path / "cold")
    assert compared(live.output, cold.output) == []
    assert not live.settle().problems
    assert compared(live.output, cold.output) == []
