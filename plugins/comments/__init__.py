"""Reader comments: files of approved comments rendered on their articles; see ``comments.py``."""

from .comments import comments_open, count_label, feed_xml, register, slug_of_file
from .render import clean, render_body
from .threads import Comment, parse_comments, thread

__all__ = [
    "Comment",
    "clean",
    "comments_open",
    "count_label",
    "feed_xml",
    "parse_comments",
    "register",
    "render_body",
    "slug_of_file",
    "thread",
]
