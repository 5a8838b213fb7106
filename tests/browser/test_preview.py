"""The preview in a real browser: the overlay names the file and line of a problem and goes
when it is fixed; a page the build rewrote reloads by itself, another open page does not."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from preview import Broadcaster, Outcome, Problem, start_server
from tests.ports import free_port

pytestmark = pytest.mark.browser


@pytest.fixture
def preview(tmp_path):
    output = tmp_path / "output"
    (output / "billet").mkdir(parents=True)
    (output / "billet/index.html").write_text("<html><body><p>Version 1</p></body></html>")
    (output / "autre.html").write_text("<html><body><p>Autre page</p></body></html>")
    broadcaster = Broadcaster()
    port = free_port()
    server = start_server(output, "127.0.0.1", port, broadcaster)
    yield output, broadcaster, f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()


def test_a_problem_shows_over_the_page_with_its_file_and_line_until_fixed(page: Page, preview):
    _, broadcaster, base = preview
    page.goto(base + "/billet/")
    page.wait_for_timeout(300)  # the events stream is open
    problem = Problem("content/posts/billet.md", 2, "date illisible", blocking=True)
    broadcaster.publish(Outcome(0.1, (), (problem,), built=False))
    overlay = page.locator("#apercu-problemes")
    expect(overlay).to_contain_text("content/posts/billet.md:2 : date illisible")
    expect(overlay).to_contain_text("version précédente")
    broadcaster.publish(Outcome(0.1, ()))
    expect(overlay).to_have_count(0)


def test_the_page_rewritten_reloads_and_another_page_stays(page: Page, preview):
    output, broadcaster, base = preview
    other = page.context.new_page()
    other.goto(base + "/autre.html")
    page.goto(base + "/billet/")
    page.wait_for_timeout(300)
    other.evaluate("window.stayed = true")
    (output / "billet/index.html").write_text("<html><body><p>Version 2</p></body></html>")
    broadcaster.publish(Outcome(0.1, ("billet/index.html",)))
    expect(page.locator("p")).to_have_text("Version 2")
    assert other.evaluate("window.stayed") is True
