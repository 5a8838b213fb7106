"""A mistake in a saved file is shown (terminal, overlay) with its file and line; the pages of
the last good build stay served; fixing the file clears it."""

from __future__ import annotations

from pathlib import Path

from preview.live import Problem, problem_of

POST = "content/posts/2023/2023-06-15-retard-et-annonce-au-micro.md"
INTERVIEW = "content/posts/2023/2023-02-07-questionnaire-sophie-lenoir.md"
INTERVIEW_PAGE = "2023/02/sophie-lenoir-mes-clients-m-ont-appris-mon-metier/index.html"
POST_PAGE = "2023/06/le-retard-l-annonce-au-micro-et-les-vingt-minutes-de-silence/index.html"


def edited(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text


def test_a_header_pelican_cannot_read_stops_the_build_and_keeps_the_page(project, live):
    page = live.output / POST_PAGE
    before = page.read_bytes()
    post = project / POST
    original = edited(post, "Date: 2023-06-15 18:40", "Date: 2023-15-06 18:40")
    post.write_text(post.read_text(encoding="utf-8") + "\nUne phrase.\n", encoding="utf-8")
    outcome = live.build([post])
    assert outcome.blocked
    first = outcome.problems[0]
    assert first.path.endswith(POST.removeprefix("content/")) and first.line == 2
    assert page.read_bytes() == before
    post.write_text(original + "\nUne phrase.\n", encoding="utf-8")
    fixed = live.build([post])
    assert fixed.built and not fixed.problems
    assert POST_PAGE in fixed.written


def test_a_data_file_yaml_refuses_is_named_with_its_line(project, live):
    glossary = project / "content/data/glossary.yml"
    original = edited(glossary, "CSAT:\n", 'CSAT:\n  definition: "pas fermée\n')
    outcome = live.build([glossary])
    assert outcome.blocked
    (problem,) = outcome.problems
    assert problem.path.endswith("data/glossary.yml") and problem.line == 9
    glossary.write_text(original, encoding="utf-8")
    assert not live.build([glossary]).problems


def test_a_template_jinja_cannot_parse_is_named_with_its_line(project, live):
    template = project / "theme/templates/article.html"
    original = edited(template, "{% endblock %}", "{% endblock %}{% if %}")
    outcome = live.build([template])
    assert outcome.blocked
    (problem,) = outcome.problems
    assert problem.path.endswith("templates/article.html") and problem.line
    assert "TemplateSyntaxError" in problem.message
    template.write_text(original, encoding="utf-8")
    assert live.build([template]).built


def test_a_settings_file_python_cannot_compile_is_named_with_its_line(project, live):
    settings = project / "pelicanconf.py"
    original = edited(settings, 'SITEURL = ""', 'SITEURL = "')
    outcome = live.build([settings])
    assert outcome.blocked
    assert outcome.problems[0].path.endswith("pelicanconf.py") and outcome.problems[0].line
    settings.write_text(original, encoding="utf-8")
    assert live.build([settings]).built


def test_a_problem_a_build_logs_lets_it_go_on_and_is_shown_with_its_line(project, live):
    interview = project / INTERVIEW
    edited(
        interview,
        "## Racontez-nous une expérience client réussie",
        "## Racontez-nous donc une expérience tout court",
    )
    outcome = live.build([interview])
    assert outcome.built and INTERVIEW_PAGE in outcome.written
    assert [
        (p.path.endswith(INTERVIEW.removeprefix("content/")), p.line) for p in outcome.problems
    ] == [(True, 5), (True, 21)]


def test_logged_lines_are_taken_apart_into_path_line_and_message():
    assert problem_of("content/posts/a.md:3: titre absent (ajoutez Title)") == Problem(
        "content/posts/a.md", 3, "titre absent (ajoutez Title)"
    )
    assert problem_of("content/data/tags.yml: YAML illisible") == Problem(
        "content/data/tags.yml", None, "YAML illisible"
    )
    assert problem_of("Unable to find 'x', skipping") == Problem(
        "", None, "Unable to find 'x', skipping"
    )
