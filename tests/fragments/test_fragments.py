"""Fragments: a partial rendered once per build gives the same pages as one rendered each time."""

from __future__ import annotations

from types import SimpleNamespace

import jinja2

from benchmarks.generate import generate
from plugins.fragments import add_fragment_function, fragment_key
from tests.conftest import differences


def environment(templates: dict[str, str], **settings) -> tuple[jinja2.Environment, list]:
    rendered = []
    env = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True)
    env.globals["count"] = lambda name: rendered.append(name) or ""
    settings = {"PLUGINS": ["plugins.fragments"], "FRAGMENTS_CACHE": True, **settings}
    add_fragment_function(SimpleNamespace(env=env, settings=settings))
    return env, rendered


CARD = '{{ count("card") }}<a href="{{ SITEURL }}/{{ item.url }}">{{ item.title }}</a>'
PAGE = '{% for item in items %}{{ fragment("card.html", item=item) }}{% endfor %}'


def test_a_fragment_is_rendered_once_per_object_and_base_url():
    env, rendered = environment({"card.html": CARD, "page.html": PAGE})
    items = [SimpleNamespace(url=f"a{n}/", title=f"<Titre {n}>") for n in range(3)]
    page = env.get_template("page.html")

    first = page.render(items=items, SITEURL="..")
    again = page.render(items=items[::-1], SITEURL="..")
    deeper = page.render(items=items, SITEURL="../..")

    assert first == "".join(f'<a href="../a{n}/">&lt;Titre {n}&gt;</a>' for n in range(3))
    assert again == "".join(f'<a href="../a{n}/">&lt;Titre {n}&gt;</a>' for n in (2, 1, 0))
    assert deeper.startswith('<a href="../../a0/">')
    assert len(rendered) == 6  # three objects, two base URLs


def test_without_the_cache_every_call_renders():
    env, rendered = environment({"card.html": CARD, "page.html": PAGE}, FRAGMENTS_CACHE=False)
    items = [SimpleNamespace(url="a/", title="A")]
    env.get_template("page.html").render(items=items * 4, SITEURL="")
    assert len(rendered) == 4


def test_a_fragment_sees_only_what_it_is_given():
    env, _ = environment({"card.html": "[{{ output_file }}|{{ item }}]", "page.html": PAGE})
    html = env.get_template("page.html").render(items=["x"], output_file="page/index.html")
    assert html == "[|x]"


def test_keys_tell_objects_apart_by_identity_and_values_by_value():
    one, other = SimpleNamespace(a=1), SimpleNamespace(a=1)
    page = {"SITEURL": ".."}
    assert fragment_key("c", page, {"item": one}) != fragment_key("c", page, {"item": other})
    assert fragment_key("c", page, {"level": 2}) == fragment_key("c", page, {"level": 2})
    assert fragment_key("c", page, {"level": 2}) != fragment_key("c", page, {"level": 3})
    assert fragment_key("c", page, {}) != fragment_key("c", {"SITEURL": "."}, {})


def test_cached_cards_give_the_same_site(tmp_path, build_site):
    content = tmp_path / "content"
    generate(content, 120, 5)
    for settings_file in ("pelicanconf.py", "publishconf.py"):
        options = {"SEARCH_ENABLED": False, "STRICT_BUILD": False}
        cached = build_site(content, settings_file, **options)
        each_time = build_site(content, settings_file, FRAGMENTS_CACHE=False, **options)
        assert differences(cached.output, each_time.output) == [], settings_file
        assert cached.file("/").read_text().count('class="card') >= 10
