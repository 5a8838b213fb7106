"""Series (rubriques): numbered titles, series pages, navigation and feeds; see ``series.py``."""

from .series import (
    Episode,
    EpisodeEntry,
    Numbering,
    Series,
    SeriesSpec,
    format_title,
    number_episodes,
    parse_episode_number,
    parse_series_data,
    register,
    title_format_problem,
)

__all__ = [
    "Episode",
    "EpisodeEntry",
    "Numbering",
    "Series",
    "SeriesSpec",
    "format_title",
    "number_episodes",
    "parse_episode_number",
    "parse_series_data",
    "register",
    "title_format_problem",
]
