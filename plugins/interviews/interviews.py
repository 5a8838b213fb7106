"""Interviews: guest cards, questions matched to questionnaires, and every answer side by side.

An article with ``Guest:`` is an interview; with ``Questionnaire: <id>`` its level-2 headings are
matched to the questions of ``data/questionnaires/<id>.yml`` (see ``shared/AUTHORING.md``).

What the plugin adds
- To every article: ``article.interview``, None or an ``Interview`` (guest, role, company, url,
  photo, questionnaire, answers in the article's order). The body of an interview is rewritten
  once: each ``<h2>`` gets the question id as its anchor (a slug of the heading for free-form
  interviews) and, for questionnaire interviews, the canonical wording and a link
  "Toutes les réponses à cette question".
- To every template: ``interviews`` (published interviews, newest first),
  ``interview_questionnaires`` (valid questionnaires) and the effective ``INTERVIEWS_*`` settings;
  ``article.json_ld_fields`` (what schema.org says of an interview: genre, guest, questionnaire;
  the seo plugin adds them to the page's one JSON-LD graph), and the Jinja filter
  ``interview_json_ld`` (the same as a document of its own, for other themes).
- Pages: ``/interviews/`` (template ``interviews``, by year), ``/interviews/<questionnaire>/``
  (``questionnaire``), ``/interviews/<questionnaire>/<question>/`` (``question``), the exports
  ``answers.json`` and ``answers.csv`` of each questionnaire, and ``/feeds/interviews.atom.xml``.

Question pages are paginated (``INTERVIEWS_ANSWERS_PER_PAGE`` answers a page, Pelican's
paginator and ``PAGINATION_PATTERNS``, like tag pages) rather than one page with an index of
guests: with hundreds of guests, one page would weigh megabytes of answers; a reader after one
guest's answer reaches it from the interview itself (each question links to its page and each
answer links back to its anchor), and the exports hold every answer at once.

Settings (defaults in ``SETTINGS_DEFAULTS``): ``INTERVIEWS_URL``/``_SAVE_AS``,
``INTERVIEWS_QUESTIONNAIRE_URL``/``_SAVE_AS`` and ``INTERVIEWS_QUESTION_URL``/``_SAVE_AS``
(placeholders ``{questionnaire}`` and ``{question}``), ``INTERVIEWS_EXPORT_JSON_SAVE_AS``,
``INTERVIEWS_EXPORT_CSV_SAVE_AS``, ``INTERVIEWS_FEED_ATOM`` (empty: not written),
``INTERVIEWS_ANSWERS_PER_PAGE``, ``INTERVIEWS_QUESTIONNAIRES_DIR`` (inside ``data/``).

How it runs: bodies are rewritten by the body pipeline (``plugins.core.pipeline``), whose
transform notes each interview's answers and the matching's problems; ``all_generators_finalized``
then builds the interviews from those notes (static files are known by then, to resolve
``{static}`` links in answers) and keeps the index on the articles generator
(``generator.interviews_build``). Pages are written from ``article_writer_finalized``. Drafts are
checked too, except for unanswered questions: a draft is unfinished by nature.

Hand-written because no Pelican plugin matches headings to a shared questionnaire; the
matching is ``unicodedata`` + ``difflib``, the splitting one regex.
"""

from __future__ import annotations

import logging
import os
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from html import escape

import yaml
from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.paginator import Paginator
from pelican.utils import slugify

from plugins.core import (
    ContentError,
    closest,
    compat,
    header_line,
    pipeline,
    plugin_enabled,
    read_data_file,
    shown_path,
)
from plugins.core.datafiles import data_path
from plugins.core.pipeline import SKIP, Plan, Rewritten
from plugins.core.settings import PluginSettings
from plugins.typography_fr import typesetter

from .catalogue import (
    Answer,
    Interview,
    InterviewIndex,
    build_index,
    export_csv,
    export_json,
    export_rows,
    json_ld,
    json_ld_fields,
)
from .questionnaires import (
    QUESTION_ID_RE,
    Problem,
    Question,
    Questionnaire,
    match_headings,
    parse_questionnaire,
)
from .sections import (
    Heading,
    Sections,
    heading_lines,
    render_sections,
    split_sections,
    unique_slugs,
    without_ids,
)

logger = logging.getLogger(__name__)

PLUGIN_NAME = "interviews"
TRANSFORM_PRIORITY = 20  # after typography and media, before mentions (headings hold none)
SETTINGS_DEFAULTS = {
    "INTERVIEWS_URL": "interviews/",
    "INTERVIEWS_SAVE_AS": "interviews/index.html",
    "INTERVIEWS_QUESTIONNAIRE_URL": "interviews/{questionnaire}/",
    "INTERVIEWS_QUESTIONNAIRE_SAVE_AS": "interviews/{questionnaire}/index.html",
    "INTERVIEWS_QUESTION_URL": "interviews/{questionnaire}/{question}/",
    "INTERVIEWS_QUESTION_SAVE_AS": "interviews/{questionnaire}/{question}/index.html",
    "INTERVIEWS_EXPORT_JSON_SAVE_AS": "interviews/{questionnaire}/answers.json",
    "INTERVIEWS_EXPORT_CSV_SAVE_AS": "interviews/{questionnaire}/answers.csv",
    "INTERVIEWS_FEED_ATOM": "feeds/interviews.atom.xml",
    "INTERVIEWS_ANSWERS_PER_PAGE": 20,
    "INTERVIEWS_QUESTIONNAIRES_DIR": "questionnaires",
}
# The placeholders each path pattern must use, so that every page has its own file.
PLACEHOLDERS = {
    "INTERVIEWS_URL": set(),
    "INTERVIEWS_SAVE_AS": set(),
    "INTERVIEWS_QUESTIONNAIRE_URL": {"questionnaire"},
    "INTERVIEWS_QUESTIONNAIRE_SAVE_AS": {"questionnaire"},
    "INTERVIEWS_QUESTION_URL": {"questionnaire", "question"},
    "INTERVIEWS_QUESTION_SAVE_AS": {"questionnaire", "question"},
    "INTERVIEWS_EXPORT_JSON_SAVE_AS": {"questionnaire"},
    "INTERVIEWS_EXPORT_CSV_SAVE_AS": {"questionnaire"},
    "INTERVIEWS_FEED_ATOM": set(),
    "INTERVIEWS_QUESTIONNAIRES_DIR": set(),
}
# Outputs a site may switch off with "" (or None).
OPTIONAL = {
    "INTERVIEWS_FEED_ATOM",
    "INTERVIEWS_EXPORT_JSON_SAVE_AS",
    "INTERVIEWS_EXPORT_CSV_SAVE_AS",
}
EXPORTS = (("JSON", "INTERVIEWS_EXPORT_JSON_SAVE_AS"), ("CSV", "INTERVIEWS_EXPORT_CSV_SAVE_AS"))
FEED_TITLE = "{sitename} : les interviews"
# Content lists of the articles generator: published ones are listed, all get a guest card.
CONTENT_LISTS = (
    "articles", "translations", "hidden_articles", "hidden_translations", "drafts",
    "drafts_translations",
)  # fmt: skip


@dataclass(frozen=True)
class Setup:
    """This build's settings and questionnaires, with the problems found reading them."""

    settings: dict
    questionnaires: dict[str, Questionnaire]
    known: list[str]
    errors: list[ContentError]
    typeset: Callable[[str], str]


@dataclass(frozen=True)
class Build:
    """What one build knows about interviews: settings in force and the index."""

    settings: dict
    index: InterviewIndex


def settings_problems(settings: Mapping) -> list[tuple[str, str]]:
    """Every unusable ``INTERVIEWS_*`` setting, as (name, message)."""
    problems = []
    for key, default in SETTINGS_DEFAULTS.items():
        value = settings.get(key, default)
        if key == "INTERVIEWS_ANSWERS_PER_PAGE":
            valid = isinstance(value, int) and not isinstance(value, bool) and value > 0
            expected = "un nombre entier positif"
        elif value in (None, "") and key in OPTIONAL:
            valid = True
        else:
            valid = bool(value) and _fields(value) == PLACEHOLDERS[key]
            needed = ", ".join(f"{{{name}}}" for name in sorted(PLACEHOLDERS[key]))
            expected = f"un chemin avec {needed}" if needed else "un chemin sans {…}"
        if not valid:
            problems.append((key, f"réglage {key} = {value!r} invalide : attendu {expected}"))
    return problems


SETTINGS = PluginSettings(PLUGIN_NAME, SETTINGS_DEFAULTS, settings_problems)


def interviews_settings(settings: Mapping) -> tuple[dict, list[tuple[str, str]]]:
    """The effective ``INTERVIEWS_*`` settings (an output switched off is ""), and problems."""
    values, problems = SETTINGS.resolve(settings)
    return {k: "" if k in OPTIONAL and not v else v for k, v in values.items()}, problems


def _fields(pattern) -> set[str] | None:
    """The placeholders of a ``str.format`` pattern, None when it is not one."""
    if not isinstance(pattern, str):
        return None
    try:
        return {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError:
        return None


def format_path(pattern: str, **fields: str) -> str:
    """A URL or output path from a settings pattern."""
    return pattern.format(**fields)


# --- questionnaires ---------------------------------------------------------------------------


def load_questionnaires(context: dict, settings: dict, typeset=str):
    """The valid questionnaires by id, the ids of every questionnaire file, and the problems."""
    folder = settings["INTERVIEWS_QUESTIONNAIRES_DIR"]
    root = data_path(context, folder)
    names = sorted(os.listdir(root)) if os.path.isdir(root) else []
    questionnaires: dict[str, Questionnaire] = {}
    known: list[str] = []
    errors: list[ContentError] = []
    for name in names:
        questionnaire_id, extension = os.path.splitext(name)
        if extension not in (".yml", ".yaml"):
            continue
        known.append(questionnaire_id)
        path = os.path.join(root, name)
        data = read_data_file(context, folder, name, default=None)
        if data is None and _is_blank(path):
            errors.append(ContentError(shown_path(path), None, "questionnaire vide"))
        if data is None:  # unreadable YAML is reported by read_data_file, with its line
            continue
        questionnaire, problems = parse_questionnaire(questionnaire_id, data)
        if not QUESTION_ID_RE.match(questionnaire_id):
            hint = "minuscules sans accents, chiffres et tirets : c'est une adresse"
            problems.append(Problem(f"nom de questionnaire « {name} » invalide", hint))
        errors.extend(
            ContentError(shown_path(path), yaml_line(path, p.where), p.message, p.hint)
            for p in problems
        )
        if questionnaire is not None and not problems:
            questionnaires[questionnaire_id] = for_site(questionnaire, settings, typeset)
    return questionnaires, known, errors


def for_site(questionnaire: Questionnaire, settings: dict, typeset=str) -> Questionnaire:
    """The questionnaire as pages show it: URLs, output paths, wordings typeset."""
    fields = {"questionnaire": questionnaire.id}
    questions = tuple(
        replace(
            question,
            text=typeset(question.text),
            url=format_path(settings["INTERVIEWS_QUESTION_URL"], **fields, question=question.id),
            save_as=format_path(
                settings["INTERVIEWS_QUESTION_SAVE_AS"], **fields, question=question.id
            ),
        )
        for question in questionnaire.questions
    )
    return replace(
        questionnaire,
        title=typeset(questionnaire.title),
        description=typeset(questionnaire.description),
        questions=questions,
        url=format_path(settings["INTERVIEWS_QUESTIONNAIRE_URL"], **fields),
        save_as=format_path(settings["INTERVIEWS_QUESTIONNAIRE_SAVE_AS"], **fields),
        keys={key: questions[q.number - 1] for key, q in questionnaire.keys.items()},
    )


def yaml_line(path: str, where: tuple) -> int | None:
    """The line of a key path (``("questions", 2, "id")``) in a YAML file; read on errors only."""
    try:
        with open(path, encoding="utf-8") as source:
            node = yaml.compose(source)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for step in where:
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                break
            node = node.value[step]
        elif isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == step), None)
            if pair is None:
                break
            key_node, node = pair
            line = key_node.start_mark.line + 1
            continue
        else:
            break
        line = node.start_mark.line + 1
    return line


def _is_blank(path: str) -> bool:
    try:
        with open(path, encoding="utf-8") as source:
            return not source.read().strip()
    except (OSError, UnicodeDecodeError):
        return False


# --- interviews -------------------------------------------------------------------------------


def interview_job(content):
    """What the body transform needs of an article: its questionnaire and whether it is a draft
    (``SKIP`` for an article without a guest, or a page)."""
    if not isinstance(content, Article) or not str(content.metadata.get("guest") or "").strip():
        return SKIP
    questionnaire_id = str(content.metadata.get("questionnaire") or "").strip()
    return questionnaire_id, getattr(content, "status", "") == "draft"


def rewrite_interview(body: str, job: tuple, questionnaires: dict, slug, siteurl: str):
    """An interview's body with its headings anchored (and worded as the questionnaire words
    them); noted: its answers as ``(question, html, anchor)`` and the matching's problems."""
    questionnaire_id, draft = job
    questionnaire = questionnaires.get(questionnaire_id) if questionnaire_id else None
    sections = split_sections(body)
    texts = [section.heading for section in sections.sections]
    if questionnaire is not None:
        matches, problems = match_headings(questionnaire, texts, complete=not draft)
    else:
        matches, problems = [None] * len(texts), []
    headings, answers = anchored(sections, matches, questionnaire, slug, siteurl)
    return Rewritten(render_sections(sections, headings), (tuple(answers), tuple(problems)))


def read_interview(article, notes, questionnaires: dict, known: list, siteurl: str, typeset=str):
    """The article's interview (or None) and the author's mistakes, from the transform's notes."""
    metadata = article.metadata
    path = article.source_path
    questionnaire_id = str(metadata.get("questionnaire") or "").strip()
    guest = str(metadata.get("guest") or "").strip()
    if not guest:
        if not questionnaire_id:
            return None, []
        line = header_line(path, "questionnaire")
        message = "Questionnaire sans Guest : l'article n'est pas une interview"
        return None, [ContentError(shown_path(path), line, message, "ajoutez « Guest: »")]
    errors: list[ContentError] = []
    if questionnaire_id and questionnaire_id not in known:
        errors.append(unknown_questionnaire(path, questionnaire_id, known))
    answers, problems = notes or ((), ())
    errors.extend(locate(path, list(problems)))
    interview = Interview(
        article=article,
        guest=typeset(guest),
        role=typeset(str(metadata.get("guest_role") or "")),
        company=typeset(str(metadata.get("guest_company") or "")),
        url=str(metadata.get("guest_url") or ""),
        photo=photo_url(getattr(article, "guest_photo", "") or "", siteurl),
        questionnaire=questionnaires.get(questionnaire_id) if questionnaire_id else None,
        answers=tuple(answer_of(article, *answer) for answer in answers),
    )
    return interview, errors


def anchored(sections: Sections, matches, questionnaire, slug, siteurl: str):
    """The heading of each section (anchor, wording, link) and the answers, in article order.

    A question's first answer is anchored at the question id; any other heading (a free-form
    question, a heading matching nothing, a second answer) at the slug of its text.
    """
    first: dict[str, int] = {}
    for position, question in enumerate(matches):
        if question is not None:
            first.setdefault(question.id, position)
    fixed = [
        question.id if question is not None and first[question.id] == position else None
        for position, question in enumerate(matches)
    ]
    slugs = iter(
        unique_slugs(
            [s.heading for s, anchor in zip(sections.sections, fixed, strict=True) if not anchor],
            slug,
            taken=first,
        )
    )
    headings, answers = [], []
    for section, question, anchor in zip(sections.sections, matches, fixed, strict=True):
        if anchor is None:
            anchor = next(slugs)
            headings.append(Heading(anchor, section.inner))
            if questionnaire is None:  # free-form: the heading is the question
                free = Question(anchor, section.heading, len(answers) + 1)
                answers.append((free, without_ids(section.body), anchor))
            continue
        headings.append(
            Heading(anchor, escape(question.text, quote=False), f"{siteurl}/{question.url}")
        )
        answers.append((question, without_ids(section.body), anchor))
    return headings, answers


def answer_of(article, question: Question, html: str, anchor: str) -> Answer:
    """An answer, with its links resolved as Pelican resolves the article's own body."""
    return Answer(question, compat.resolve_links(article, html), f"{article.url}#{anchor}")


def unknown_questionnaire(path: str, questionnaire_id: str, known: list) -> ContentError:
    """The error of a ``Questionnaire:`` naming no questionnaire file."""
    guess = closest(questionnaire_id, known)
    listed = ", ".join(f"« {name} »" for name in known) or "aucun"
    hint = f"questionnaires connus : {listed}"
    if guess:
        hint += f" ; vouliez-vous dire « {guess} » ?"
    message = f"questionnaire « {questionnaire_id} » inconnu"
    return ContentError(shown_path(path), header_line(path, "questionnaire"), message, hint)


def locate(path: str, problems: list[Problem]) -> list[ContentError]:
    """Problems of an interview as errors at their lines; the source is read only if needed."""
    if not problems:
        return []
    with open(path, encoding="utf-8") as source:
        lines = heading_lines(source.read())
    header = header_line(path, "questionnaire")
    errors = []

    def line_of(index: int) -> int | None:
        return lines[index] if index < len(lines) else None

    for problem in problems:
        line = line_of(problem.where[0]) if problem.where else header
        hint = problem.hint
        if len(problem.where) == 2:  # answered twice: point at the first answer too
            hint = f"première réponse ligne {line_of(problem.where[1])}"
        errors.append(ContentError(shown_path(path), line, problem.message, hint))
    return errors


def photo_url(photo: str, siteurl: str) -> str:
    """A portrait's URL: Guest_photo as resolved by ``authoring`` (site-relative) or external."""
    if not photo or "://" in photo or photo.startswith("/"):
        return photo
    return f"{siteurl}/{photo}"


# --- receivers --------------------------------------------------------------------------------


def setup(generator) -> Setup:
    """This build's settings and questionnaires, read once (by the plan or the receiver)."""
    found = getattr(generator, "interviews_setup", None)
    if found is None:
        settings, _ = interviews_settings(generator.settings)  # reported by SETTINGS.configure
        typeset = typesetter(generator.settings)
        questionnaires, known, errors = load_questionnaires(generator.context, settings, typeset)
        found = Setup(settings, questionnaires, known, errors, typeset)
        generator.interviews_setup = found
    return found


def plan_interviews(generators) -> Plan | None:
    """The body transform of this build: interview headings anchored and worded."""
    generator = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if generator is None or not plugin_enabled(generator.settings, PLUGIN_NAME):
        return None
    questionnaires = setup(generator).questionnaires
    siteurl = generator.settings.get("SITEURL", "")
    slug = partial(slugify, regex_subs=generator.settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
    return Plan(
        "interviews",
        TRANSFORM_PRIORITY,
        partial(rewrite_interview, questionnaires=questionnaires, slug=slug, siteurl=siteurl),
        job_of=interview_job,
        inputs=(siteurl, sorted(questionnaires.items()), slug.keywords),
    )


def collect_interviews(generators) -> None:
    """Read every interview from the body pipeline's notes, and index the published ones."""
    generator = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if generator is None or not plugin_enabled(generator.settings, PLUGIN_NAME):
        return
    outcome = pipeline.outcome(generators)
    found = setup(generator)
    settings, context = found.settings, generator.context
    siteurl = generator.settings.get("SITEURL", "")
    root = absolute_root(generator.settings)
    published = {id(article) for article in generator.articles}
    errors, interviews = list(found.errors), []
    for name in CONTENT_LISTS:
        for article in getattr(generator, name, ()):
            interview, problems = read_interview(
                article,
                outcome.notes(article, "interviews"),
                found.questionnaires,
                found.known,
                siteurl,
                found.typeset,
            )
            errors.extend(problems)
            article.interview = interview
            # The seo plugin puts these into the page's one JSON-LD graph.
            article.json_ld_fields = json_ld_fields(interview, root) if interview else None
            if interview is not None and id(article) in published:
                interviews.append(interview)
    for error in sorted(errors, key=lambda e: (e.path, e.line or 0)):
        logger.warning("%s", error)
    questionnaires = sorted(found.questionnaires.values(), key=lambda q: q.id)
    index = build_index(interviews, questionnaires)
    generator.interviews_build = Build(settings, index)
    context.update(settings)
    context["interviews"] = list(index.interviews)
    context["interview_questionnaires"] = list(index.questionnaires)


def write_interview_pages(generator, writer) -> None:
    """Write the interviews page, questionnaire and question pages, exports and feed."""
    build = getattr(generator, "interviews_build", None)
    if build is None:
        return
    settings, index = build.settings, build.index
    context = generator.context
    site_root = absolute_root(generator.settings)
    write = partial(writer.write_file, relative_urls=generator.settings["RELATIVE_URLS"])
    write(
        settings["INTERVIEWS_SAVE_AS"],
        generator.get_template("interviews"),
        context,
        interviews_by_year=index.by_year(),
        url=settings["INTERVIEWS_URL"],
    )
    question_template = generator.get_template("question")
    for questionnaire in index.questionnaires:
        replies = index.replies_by_question(questionnaire)
        write(
            questionnaire.save_as,
            generator.get_template("questionnaire"),
            context,
            questionnaire=questionnaire,
            replies=replies,
            exports=export_links(settings, questionnaire),
            url=questionnaire.url,
        )
        for question in questionnaire.questions:
            paginator = Paginator(
                question.save_as,
                question.url,
                list(replies[question.id]),
                generator.settings,
                settings["INTERVIEWS_ANSWERS_PER_PAGE"],
            )
            for number in paginator.page_range:
                page = paginator.page(number)
                write(
                    page.save_as,
                    question_template,
                    context,
                    questionnaire=questionnaire,
                    question=question,
                    replies_paginator=paginator,
                    replies_page=page,
                    replies_previous_page=paginator.page(number - 1) if number > 1 else None,
                    replies_next_page=(
                        paginator.page(number + 1) if number < paginator.num_pages else None
                    ),
                    url=page.url,
                )
        write_exports(writer.output_path, settings, index, questionnaire, site_root)
    # An empty feed would carry the build time as its date: no interviews, no feed.
    if settings["INTERVIEWS_FEED_ATOM"] and index.interviews:
        writer.write_feed(
            [interview.article for interview in index.interviews],
            context,
            settings["INTERVIEWS_FEED_ATOM"],
            settings["INTERVIEWS_FEED_ATOM"],
            feed_title=FEED_TITLE.format(sitename=context.get("SITENAME", "")),
        )


def export_links(settings: dict, questionnaire: Questionnaire) -> list[tuple[str, str]]:
    """(format, URL) of each export written for a questionnaire."""
    return [
        (label, format_path(settings[key], questionnaire=questionnaire.id))
        for label, key in EXPORTS
        if settings[key]
    ]


def write_exports(output_path, settings, index, questionnaire, siteurl) -> None:
    """``answers.json`` and ``answers.csv`` of a questionnaire, UTF-8."""
    rows = export_rows(index, questionnaire, siteurl)
    render = {
        "JSON": lambda: export_json(index, questionnaire, rows, siteurl),
        "CSV": lambda: export_csv(rows),
    }
    for label, key in EXPORTS:
        if not settings[key]:
            continue
        path = os.path.join(output_path, format_path(settings[key], questionnaire=questionnaire.id))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as target:
            target.write(render[label]())
        logger.info('Writing "%s"', path)


def absolute_root(settings: dict) -> str:
    """The site's address for links read outside the site (exports, JSON-LD).

    Dev builds have no SITEURL; like feeds, they fall back on FEED_DOMAIN.
    """
    return settings.get("SITEURL") or settings.get("FEED_DOMAIN") or ""


def add_filters(generator) -> None:
    """The ``interview_json_ld`` filter: ``{{ article.interview|interview_json_ld }}``."""
    settings = generator.settings
    generator.env.filters["interview_json_ld"] = lambda interview: json_ld(
        interview, absolute_root(settings), settings.get("SITENAME", "")
    )


def register():
    signals.initialized.connect(SETTINGS.configure)
    signals.generator_init.connect(add_filters)
    pipeline.register_transform(plan_interviews)
    signals.all_generators_finalized.connect(collect_interviews)
    signals.article_writer_finalized.connect(write_interview_pages)
