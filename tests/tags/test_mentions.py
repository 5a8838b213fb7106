"""First mentions: whole words, French case rules, every place a mark never goes, one pass."""

from __future__ import annotations

import pytest

from plugins.tags import Term, compile_matcher, mark_first_mentions

AMAZON = Term("tag", "amazon", ("Amazon",))
ORANGE = Term("tag", "orange", ("Orange",))
FIDELISATION = Term("tag", "fidelisation", ("fidélisation",))
CDISCOUNT = Term("tag", "cdiscount", ("Cdiscount", "CDiscount"))
SERVICE = Term("tag", "service-client", ("service client", "service clients"))
SNCF = Term("tag", "sncf", ("SNCF", "SNCF Voyageurs"))
CENTRE = Term("tag", "centre-d-appels", ("centre d'appels",))
ECOMMERCE = Term("tag", "e-commerce", ("e-commerce",))
ROI_TAG = Term("tag", "roi", ("ROI",))
ROI_TERM = Term("glossary", "roi", ("ROI", "retour sur investissement"))
TERMS = [ROI_TERM, AMAZON, ORANGE, FIDELISATION, CDISCOUNT, SERVICE, SNCF, CENTRE, ECOMMERCE]


def mark(body, terms=TERMS):
    """Marks as [key] so that expectations read like the text."""
    html, _ = mark_first_mentions(body, compile_matcher(terms), lambda t, text: f"[{text}]")
    return html


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Whole words, with French apostrophes and the English possessive.
        ("<p>l'Amazon</p>", "<p>l'[Amazon]</p>"),
        ("<p>l’Amazon</p>", "<p>l’[Amazon]</p>"),
        ("<p>Amazon's reach</p>", "<p>[Amazon]'s reach</p>"),
        ("<p>l’Amazonie</p>", "<p>l’Amazonie</p>"),
        ("<p>AmazonBasics et Amazon</p>", "<p>AmazonBasics et [Amazon]</p>"),
        ("<p>le e-commerce</p>", "<p>le [e-commerce]</p>"),
        ("<p>préfidélisation</p>", "<p>préfidélisation</p>"),
        # Case: lowercase names in any case; names with capitals as written or in capitals.
        ("<p>Fidélisation, puis fidélisation</p>", "<p>[Fidélisation], puis fidélisation</p>"),
        ("<p>FIDÉLISATION</p>", "<p>[FIDÉLISATION]</p>"),
        ("<p>une robe orange, puis Orange</p>", "<p>une robe orange, puis [Orange]</p>"),
        ("<p>ORANGE</p>", "<p>[ORANGE]</p>"),
        ("<p>le roi, le Roi, le ROI</p>", "<p>le roi, le Roi, le [ROI]</p>"),
        ("<p>CDISCOUNT</p>", "<p>[CDISCOUNT]</p>"),
        ("<p>CDiscount</p>", "<p>[CDiscount]</p>"),
        ("<p>cdiscount</p>", "<p>cdiscount</p>"),
        # Accents are letters: no accent-less match, no boundary inside a word.
        ("<p>fidelisation</p>", "<p>fidelisation</p>"),
        # Spaces, apostrophes and hyphens in names match their typographic forms.
        ("<p>le service\u00a0client</p>", "<p>le [service\u00a0client]</p>"),
        ("<p>le service\nclient</p>", "<p>le [service\nclient]</p>"),
        ("<p>le centre d’appels</p>", "<p>le [centre d’appels]</p>"),
        ("<p>le e\u2011commerce</p>", "<p>le [e\u2011commerce]</p>"),
        # The longest name wins; an alias counts as the tag.
        ("<p>SNCF Voyageurs puis SNCF</p>", "<p>[SNCF Voyageurs] puis SNCF</p>"),
        ("<p>les service clients</p>", "<p>les [service clients]</p>"),
        # Only the first mention of each term.
        ("<p>Amazon, Amazon</p><p>Amazon</p>", "<p>[Amazon], Amazon</p><p>Amazon</p>"),
    ],
)
def test_names_match_whole_words_with_french_case_rules(body, expected):
    assert mark(body) == expected


@pytest.mark.parametrize(
    "place",
    [
        '<a href="/x">{}</a>',
        "<h1>{}</h1>",
        "<h2>{}</h2>",
        '<h3 id="x">{}</h3>',
        "<code>{}</code>",
        "<pre>{}</pre>",
        "<pre><code><b>{}</b></code></pre>",
        "<figure><figcaption>{}</figcaption></figure>",
        '<abbr title="x">{}</abbr>',
        "<dfn>{}</dfn>",
        "<button>{}</button>",
        "<script>var x = '{}';</script>",
        "<style>/* {} */</style>",
        "<!-- {} -->",
    ],
)
def test_no_mark_in_links_headings_code_captions_scripts_or_comments(place):
    body = place.format("Amazon") + "<p>Amazon</p>"
    assert mark(body) == place.format("Amazon") + "<p>[Amazon]</p>"


def test_attributes_are_never_touched():
    body = '<p title="Amazon"><img alt="Amazon" src="amazon.png">Amazon</p>'
    assert mark(body) == '<p title="Amazon"><img alt="Amazon" src="amazon.png">[Amazon]</p>'


def test_an_attribute_holding_a_closing_angle_bracket_does_not_end_the_tag():
    body = '<a title="a > b Amazon">Amazon</a><p>Amazon</p>'
    assert mark(body) == '<a title="a > b Amazon">Amazon</a><p>[Amazon]</p>'


def test_a_skipped_element_ends_where_it_closes_even_across_nesting():
    body = "<h2><em>Amazon</em> et <strong>x</strong></h2><p><em>Amazon</em></p>"
    assert mark(body) == "<h2><em>Amazon</em> et <strong>x</strong></h2><p><em>[Amazon]</em></p>"


def test_text_outside_marks_is_kept_byte_for_byte():
    body = "<p>A &amp; B &lt;tag&gt;<br/>Amazon &#8217;x&nbsp;y</p><p>Toto &amp; co</p>"
    marked = mark(body)
    assert marked.endswith("<p>Toto &amp; co</p>")
    assert marked.startswith("<p>A &amp; B &lt;tag&gt;<br/>[Amazon]")
    assert mark("<p>A &amp; B &nbsp; rien</p>") == "<p>A &amp; B &nbsp; rien</p>"


def test_a_word_both_term_and_tag_is_the_term_first_then_the_tag_never_both():
    terms = [ROI_TERM, ROI_TAG]
    html, marked = mark_first_mentions(
        "<p>Le ROI, le ROI, le ROI.</p>", compile_matcher(terms), lambda t, x: f"[{t.kind}:{x}]"
    )
    assert html == "<p>Le [glossary:ROI], le [tag:ROI], le ROI.</p>"
    assert marked == (ROI_TERM, ROI_TAG)


def test_an_alias_mention_uses_up_the_term():
    assert mark("<p>le retour sur investissement, le ROI</p>", [ROI_TERM]) == (
        "<p>le [retour sur investissement], le ROI</p>"
    )


def test_decomposed_accents_match_like_composed_ones():
    assert mark("<p>fide\u0301lisation</p>") == "<p>[fidélisation]</p>"


def test_no_terms_leave_the_body_alone():
    assert mark_first_mentions("<p>Amazon</p>", None, lambda t, x: "!") == ("<p>Amazon</p>", ())
    assert compile_matcher([Term("tag", "vide", ("  ",))]) is None


GROUPED = [
    "<p>Le ROI, le ROI, le retour sur investissement et le ROI.</p>",
    "<p>Amazon Web Services, puis Amazon, puis AMAZON WEB SERVICES et amazon web services.</p>",
    "<p>Le service client, le service clients, le Service Client et le SERVICE CLIENT.</p>",
    "<p>Le centre d’appels de la SNCF Voyageurs, puis SNCF, puis le centre d'appels.</p>",
    "<p>Web Services et web services, Orange et orange, e-commerce et commerce.</p>",
]
AWS_TERM = Term("glossary", "aws", ("Amazon Web Services", "web services"))
SERVICE_TERM = Term("glossary", "service", ("service", "Service Client"))


@pytest.mark.parametrize("body", GROUPED)
@pytest.mark.parametrize(
    "groups",
    [
        [[ROI_TERM, AWS_TERM, SERVICE_TERM], [ROI_TAG, AMAZON, SERVICE, SNCF, CENTRE, ORANGE]],
        [[ROI_TERM, AWS_TERM], [SERVICE_TERM], [ROI_TAG, AMAZON], [SERVICE], [SNCF, CENTRE]],
        [[ROI_TERM, AWS_TERM, SERVICE_TERM, ROI_TAG], [], [AMAZON, ECOMMERCE], [SNCF, CENTRE]],
    ],
)
def test_groups_find_what_one_regular_expression_over_all_their_names_finds(body, groups):
    """The glossary is compiled once per build and each article's tags apart: same marks."""
    render = lambda t, x: f"[{t.kind}:{t.key}:{x}]"  # noqa: E731
    together = mark_first_mentions(body, compile_matcher([t for g in groups for t in g]), render)
    assert mark_first_mentions(body, compile_matcher(*groups), render) == together
