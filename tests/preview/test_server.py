"""The preview server: pages with the reload script, the events stream, the overlay's data."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from preview import Broadcaster, Outcome, Problem, start_server
from tests.ports import free_port


@pytest.fixture
def served(tmp_path):
    output = tmp_path / "output"
    (output / "2024/01/un-article").mkdir(parents=True)
    (output / "index.html").write_text("<html><body><p>Accueil</p></body></html>", "utf-8")
    (output / "2024/01/un-article/index.html").write_text("<body>Article</body>", "utf-8")
    (output / "site.css").write_text("p {}", "utf-8")
    broadcaster = Broadcaster()
    port = free_port()
    server = start_server(output, "127.0.0.1", port, broadcaster)
    yield output, broadcaster, f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


def events(response, count: int) -> list[tuple[str, dict]]:
    """The next ``count`` events of a stream."""
    found, name = [], None
    while len(found) < count:
        line = response.readline().decode("utf-8").rstrip("\n")
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            found.append((name, json.loads(line.removeprefix("data: "))))
    return found


def test_pages_get_the_reload_script_before_body_end_and_files_stay_as_built(served):
    output, _, base = served
    status, page = get(base + "/2024/01/un-article/")
    assert status == 200
    assert page.startswith("<body>Article<script>") and page.endswith("</script></body>")
    assert "/_live/events" in page
    assert (output / "2024/01/un-article/index.html").read_text() == "<body>Article</body>"
    assert get(base + "/site.css") == (200, "p {}")


def test_a_missing_page_is_a_404(served):
    _, _, base = served
    assert get(base + "/pas-la/")[0] == 404


def test_the_stream_gives_the_state_then_each_build_s_files_and_problems(served):
    _, broadcaster, base = served
    problem = Problem("content/posts/a.md", 3, "date illisible", blocking=True)
    broadcaster.publish(Outcome(1.0, (), (problem,), built=False))
    with urllib.request.urlopen(base + "/_live/events", timeout=5) as stream:
        ((name, state),) = events(stream, 1)
        assert name == "state"
        assert state["problems"] == [
            {"path": "content/posts/a.md", "line": 3, "message": "date illisible", "blocking": True}
        ]
        broadcaster.publish(Outcome(0.5, ("2024/01/un-article/index.html", "pagefind/1/x.pf")))
        ((name, news),) = events(stream, 1)
    assert name == "build"
    assert news["files"] == ["2024/01/un-article/index.html"] and not news["all"]
    assert news["problems"] == []


def test_a_changed_stylesheet_reloads_every_page(served):
    _, broadcaster, base = served
    with urllib.request.urlopen(base + "/_live/events", timeout=5) as stream:
        events(stream, 1)
        broadcaster.publish(Outcome(0.5, ("theme/site.abc.css",)))
        ((_, news),) = events(stream, 1)
    assert news["all"]
