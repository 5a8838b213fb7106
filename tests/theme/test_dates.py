"""French dates in templates: the first of the month written as ordinals are in bodies."""

from __future__ import annotations

import datetime

import pytest
from markupsafe import Markup

from plugins.french.french import date_markup, format_date_fr


@pytest.mark.parametrize(
    ("day", "html"),
    [
        (datetime.date(2010, 10, 1), "1<sup>er</sup> octobre 2010"),
        (datetime.date(2010, 9, 30), "30 septembre 2010"),
        (datetime.date(2010, 9, 11), "11 septembre 2010"),
        (datetime.date(2021, 1, 1), "1<sup>er</sup> janvier 2021"),
    ],
)
def test_the_first_of_the_month_is_an_ordinal_in_html(day, html):
    assert date_markup(format_date_fr(day)) == Markup(html)


def test_the_weekday_form_keeps_its_ordinal():
    text = format_date_fr(datetime.date(2010, 10, 1), "full")
    assert date_markup(text) == Markup("vendredi 1<sup>er</sup> octobre 2010")


def test_a_date_is_escaped_text_before_it_is_markup():
    assert date_markup("1er <b>") == Markup("1<sup>er</sup> &lt;b&gt;")
