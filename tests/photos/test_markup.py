"""A body's images become pictures; alone in their paragraph, figures with their caption."""

from __future__ import annotations

import pytest

from plugins.photos.markup import Picture, rewrite_images

PHOTO = Picture(
    width=800,
    height=600,
    sources=(("image/avif", "i/p.480.k.avif 480w, i/p.800.k.avif 800w"),),
    srcset="i/p.480.k.jpg 480w, i/p.800.k.jpg 800w",
    src="i/p.800.k.jpg",
    largest="i/p.800.k.jpg",
    og="i/p.og.k.jpg",
    og_width=1200,
    og_height=630,
)
SRC = "{static}/images/p.jpg"
SOURCE = (
    '<source type="image/avif" srcset="/s/i/p.480.k.avif 480w, /s/i/p.800.k.avif 800w"'
    ' sizes="100vw">'
)
IMG = (
    '<img src="/s/i/p.800.k.jpg" srcset="/s/i/p.480.k.jpg 480w, /s/i/p.800.k.jpg 800w"'
    ' sizes="100vw" alt="{alt}" width="800" height="600" {loading}{extra}>'
)
LAZY = 'loading="lazy" decoding="async"'
INLINE_EXTRA = ' title="t" class="petit"'
EAGER = 'loading="eager" fetchpriority="high" decoding="async"'


def picture(alt="Une file", loading=LAZY, extra=""):
    return f"<picture>{SOURCE}{IMG.format(alt=alt, loading=loading, extra=extra)}</picture>"


def linked(inner):
    return f'<a class="photo-link" href="/s/i/p.800.k.jpg">{inner}</a>'


@pytest.mark.parametrize(
    ("body", "eager_first", "expected"),
    [
        (  # Markdown's ![alt](src "title") alone: a figure, the title as its caption
            f'<p><img alt="Une file" src="{SRC}" title="Dimanche soir"></p>',
            False,
            f'<figure class="photo">{linked(picture())}'
            "<figcaption>Dimanche soir</figcaption></figure>",
        ),
        (  # no title: a figure without caption; the first image of a page without cover
            f'<p><img alt="Une file" src="{SRC}"></p>',
            True,
            f'<figure class="photo">{linked(picture(loading=EAGER))}</figure>',
        ),
        (  # in a sentence: a picture where it stands, the title kept as a title
            f'<p>Voyez <img alt="Une file" src="{SRC}" title="t" class="petit"> ici.</p>',
            False,
            "<p>Voyez " + linked(picture(extra=INLINE_EXTRA)) + " ici.</p>",
        ),
        (  # already in a link: no second link
            f'<p><a href="/ailleurs/"><img alt="Une file" src="{SRC}"></a></p>',
            False,
            f'<p><a href="/ailleurs/">{picture()}</a></p>',
        ),
        (  # a link to the photo's file leads to its largest variant
            f'<p><a href="{SRC}">la photo</a></p>',
            False,
            '<p><a href="/s/i/p.800.k.jpg">la photo</a></p>',
        ),
        (  # not a photo of this build (SVG, GIF, elsewhere): untouched
            '<p><img alt="Un graphique" src="{static}/images/g.svg"></p>',
            True,
            '<p><img alt="Un graphique" src="{static}/images/g.svg"></p>',
        ),
    ],
)
def test_body_images_become_pictures(body, eager_first, expected):
    assert rewrite_images(body, (eager_first, ((SRC, PHOTO),)), "/s", "100vw") == expected


def test_only_the_first_image_of_a_page_is_eager():
    body = f'<p><img alt="a" src="{SRC}"></p><p><img alt="b" src="{SRC}"></p>'
    html = rewrite_images(body, (True, ((SRC, PHOTO),)), "", "100vw")
    assert html.count('loading="eager"') == 1 and html.count('loading="lazy"') == 1
    assert html.index('loading="eager"') < html.index('loading="lazy"')


def test_a_photo_kept_as_it_is_keeps_its_tag_with_the_given_src():
    body = '<p><img alt="x" src="{static}/images/absent.jpg"></p>'
    job = (True, (("{static}/images/absent.jpg", "/images/absent.jpg"),))
    assert rewrite_images(body, job, "", "100vw") == '<p><img alt="x" src="/images/absent.jpg"></p>'
