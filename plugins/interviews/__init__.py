"""Interviews: guest cards, questionnaires, every guest's answer to a question side by side.

See ``interviews.py`` for what the plugin adds (template variables, pages, settings).
"""

from .catalogue import (
    Answer,
    Interview,
    InterviewIndex,
    build_index,
    export_csv,
    json_ld,
    json_ld_fields,
)
from .interviews import SETTINGS_DEFAULTS, interviews_settings, register
from .questionnaires import Question, Questionnaire, match_headings, normalise, parse_questionnaire
from .sections import heading_lines, plain_text, split_sections

__all__ = [
    "SETTINGS_DEFAULTS",
    "Answer",
    "Interview",
    "InterviewIndex",
    "Question",
    "Questionnaire",
    "build_index",
    "export_csv",
    "heading_lines",
    "interviews_settings",
    "json_ld",
    "json_ld_fields",
    "match_headings",
    "normalise",
    "parse_questionnaire",
    "plain_text",
    "register",
    "split_sections",
]
