"""What a page used while Jinja rendered it: the names it read from its context, and the content
objects it touched (read an attribute of, got from a list, or passed to a function).

This is the page's dependency record: on the next warm build the page is kept when those names
hold the same values and those objects the same attributes, whatever else changed in the site.
A title edit then renders again the pages that show that title, not every page.

Recording hooks Jinja's public extension points on the environment of the page's template:
``Environment.context_class`` (every name a template resolves goes through its
``resolve_or_missing``, every call through its ``call``), and ``Environment.getattr`` /
``getitem`` (every ``a.b`` and ``a[b]`` of a template). Nothing is recorded outside a render
started by ``recording``. Python code that reads a content object it was not handed (a filter
walking the whole site) is outside the record: such values belong in the context, where the
name read is recorded.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from jinja2.runtime import Context
from pelican.contents import Content

USAGE_ATTRIBUTE = "site_writer_usage"  # on the environment: the Usage of the render under way
INSTALLED_ATTRIBUTE = "site_writer_recording"


@dataclass
class Usage:
    """The names and content objects one render used."""

    names: set[str] = field(default_factory=set)
    contents: dict[int, Content] = field(default_factory=dict)

    def touch(self, value) -> None:
        """Record a content object, or the content objects of a list or tuple."""
        if isinstance(value, Content):
            self.contents[id(value)] = value
        elif isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, Content):
                    self.contents[id(item)] = item


def usage_of(environment) -> Usage | None:
    return getattr(environment, USAGE_ATTRIBUTE, None)


class RecordingContext(Context):
    """Jinja's context, telling the render's Usage each name resolved and each call's arguments."""

    def resolve_or_missing(self, key):
        value = super().resolve_or_missing(key)
        usage = usage_of(self.environment)
        if usage is not None:
            usage.names.add(key)
            if isinstance(value, Content):
                usage.contents[id(value)] = value
        return value

    def call(self_, obj_, /, *args, **kwargs):
        usage = usage_of(self_.environment)
        if usage is not None:
            for value in (*args, *kwargs.values()):
                usage.touch(value)
        return super().call(obj_, *args, **kwargs)


def install(environment) -> None:
    """Make an environment able to record (once; inert outside ``recording``)."""
    if getattr(environment, INSTALLED_ATTRIBUTE, False):
        return
    if environment.context_class is not Context:
        raise TypeError("the environment has its own context class")
    environment.context_class = RecordingContext
    get_attribute, get_item = environment.getattr, environment.getitem

    def getattr_recorded(obj, attribute):
        value = get_attribute(obj, attribute)
        usage = usage_of(environment)
        if usage is not None:
            if isinstance(obj, Content):
                usage.contents[id(obj)] = obj
            if not callable(value):  # a list's ``index`` method is not its items
                usage.touch(value)
        return value

    def getitem_recorded(obj, argument):
        value = get_item(obj, argument)
        usage = usage_of(environment)
        if usage is not None:
            if isinstance(obj, Content):
                usage.contents[id(obj)] = obj
            if isinstance(value, Content):
                usage.contents[id(value)] = value
        return value

    environment.getattr = getattr_recorded
    environment.getitem = getitem_recorded
    setattr(environment, INSTALLED_ATTRIBUTE, True)


@contextlib.contextmanager
def recording(environment):
    """Within the block, renders with ``environment`` are recorded into the Usage yielded."""
    install(environment)
    outer = usage_of(environment)
    usage = Usage()
    setattr(environment, USAGE_ATTRIBUTE, usage)
    try:
        yield usage
    finally:
        setattr(environment, USAGE_ATTRIBUTE, outer)
        if outer is not None:  # a page rendered inside another one: both used it
            outer.names |= usage.names
            outer.contents.update(usage.contents)
