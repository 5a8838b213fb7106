"""The comment server for real: Isso 0.14 behind our guard, on 127.0.0.1, then a pull."""

from __future__ import annotations

import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from commentserver import client
from commentserver.guard import Limits, count_links, post_problem
from commentserver.pull import pull
from plugins.comments import parse_comments
from tests.comments.conftest import post

pytestmark = pytest.mark.server
SITES = Path(__file__).parent / "sites"
PARIS = ZoneInfo("Europe/Paris")


def comment(text="Un avis argumenté.", **more):
    return {"author": "Marie", "text": text, "title": "Le chat en ligne", **more}


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"telephone": "0102030405"}, "envoi automatique"),
        ({"text": "x" * 5001}, "dépasse 5000 caractères"),
        ({"text": "a http://1.example b https://2.example www.3.example [x](https://4.example)"},
         "4 liens ; 3 au plus"),
    ],
)  # fmt: skip
def test_spam_guards_refuse_in_french_before_isso(comment_server, data, words):
    server = comment_server()
    status, answer, headers = post(server.url, comment(**{"text": "Bonjour", **data}))
    assert status == 400 and words in answer["message"]
    assert headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:9"
    assert client.pending(server.url, server.token) == []


def test_a_new_comment_waits_for_moderation_without_cookie_or_email(comment_server):
    server = comment_server()
    status, answer, headers = post(
        server.url, comment(email="marie@example.org", website="https://marie.example")
    )
    assert status == 202 and answer["mode"] == 2
    assert "Set-Cookie" not in headers and "X-Set-Cookie" not in headers
    waiting = client.pending(server.url, server.token)
    assert [c["author"] for c in waiting] == ["Marie"]
    assert all("email" not in c and "remote_addr" not in c for c in waiting)
    assert client.approved(server.url, server.token)[1] == []


def test_over_the_rate_limit_a_post_is_refused_in_french(comment_server):
    server = comment_server(ratelimit=2)
    assert post(server.url, comment())[0] == 202
    assert post(server.url, comment(reply_to="2021-10-06-claire"))[0] == 202
    status, answer, _ = post(server.url, comment("Un troisième."))
    assert status == 403 and "Trop de commentaires" in answer["message"]


def test_moderation_needs_the_token(comment_server):
    server = comment_server()
    with pytest.raises(client.ServerError, match="403"):
        client.pending(server.url, "mauvais-jeton")


def test_approve_delete_and_pull_into_the_comments_files(comment_server, tmp_path):
    server = comment_server()
    folder = tmp_path / "comments"
    shutil.copytree(SITES / "billets" / "comments", folder)
    post(server.url, comment("Premier avis, *approuvé*.", website="https://marie.example"))
    post(server.url, comment("Réponse à Claire.", reply_to="2021-10-06-claire", author="Paul"))
    post(server.url, comment("Un avis supprimé.", author="Spam"))
    ids = {c["author"]: c["id"] for c in client.pending(server.url, server.token)}
    client.approve(server.url, server.token, ids["Marie"])
    client.approve(server.url, server.token, ids["Paul"])
    client.delete(server.url, server.token, ids["Spam"])
    assert client.pending(server.url, server.token) == []

    identity, approved = client.approved(server.url, server.token)
    report = pull(str(folder), identity, approved, PARIS, {"le-chat-en-ligne"})
    assert len(report.added) == 2
    path = folder / "le-chat-en-ligne.yml"
    comments, errors = parse_comments(str(path), path.read_text())
    assert errors == []
    pulled = {c.author: c for c in comments}
    assert pulled["Marie"].url == "https://marie.example"
    assert pulled["Paul"].reply_to == "2021-10-06-claire"
    assert "marie@" not in path.read_text()
    before = path.read_text()
    assert pull(str(folder), identity, approved, PARIS).added == []  # idempotent
    assert path.read_text() == before

    # An author's edit in the file is never overwritten; a deletion on the server is applied.
    path.write_text(before.replace("Premier avis", "Premier avis, corrigé par l'auteur"))
    client.delete(server.url, server.token, ids["Paul"])
    identity, approved = client.approved(server.url, server.token)
    report = pull(str(folder), identity, approved, PARIS)
    text = path.read_text()
    assert "corrigé par l'auteur" in text and "Réponse à Claire" not in text
    assert report.removed and report.kept
    assert parse_comments(str(path), text)[1] == []


def test_a_new_empty_server_deletes_nothing(comment_server, tmp_path):
    first, second = comment_server(), comment_server()
    folder = tmp_path / "comments"
    post(first.url, comment())
    client.approve(first.url, first.token, client.pending(first.url, first.token)[0]["id"])
    pull(str(folder), *client.approved(first.url, first.token), PARIS)
    before = (folder / "le-chat-en-ligne.yml").read_text()
    report = pull(str(folder), *client.approved(second.url, second.token), PARIS)
    assert report.removed == [] and (folder / "le-chat-en-ligne.yml").read_text() == before


def test_link_counting_and_limits_are_pure():
    assert count_links("voir http://a.example, www.b.example et [c](https://c.example)") == 3
    assert count_links("https://www.a.example [b](https://www.b.example)") == 2
    assert post_problem({"text": "ok", "telephone": ""}, Limits()) is None
    assert post_problem({"text": "x" * 11}, Limits(max_length=10)).startswith("Votre commentaire")


def test_the_owner_is_mailed_and_a_commenter_hears_of_a_reply(comment_server, mail_sink, tmp_path):
    server = comment_server(smtp_port=mail_sink.port)
    folder = tmp_path / "comments"
    post(
        server.url, comment("Qui a vécu la même chose ?", email="marie@example.org", notification=1)
    )
    first = client.pending(server.url, server.token)[0]
    owner_mail = mail_sink.wait_for(1)[-1]
    assert "To: proprietaire@example.org" in owner_mail and "Qui a vécu la même chose" in owner_mail
    assert f"/id/{first['id']}/activate/" in owner_mail  # the owner approves from the e-mail too
    client.approve(server.url, server.token, first["id"])
    report = pull(str(folder), *client.approved(server.url, server.token), PARIS)
    client.tell_names(server.url, server.token, report.names)
    file_id = report.names[first["id"]]

    count = len(mail_sink.messages)
    post(server.url, comment("Moi aussi, Marie.", author="Paul", reply_to=file_id))
    reply = client.pending(server.url, server.token)[0]
    mail_sink.wait_for(count + 1)
    client.approve(server.url, server.token, reply["id"])
    mails = mail_sink.wait_for(count + 2)
    to_marie = [m for m in mails if "To: marie@example.org" in m]
    assert to_marie and "Moi aussi, Marie." in to_marie[0]
    identity, approved = client.approved(server.url, server.token)
    pull(str(folder), identity, approved, PARIS)
    comments, errors = parse_comments("f", (folder / "le-chat-en-ligne.yml").read_text())
    assert errors == [] and comments[-1].reply_to == file_id
    assert "marie@example.org" not in (folder / "le-chat-en-ligne.yml").read_text()


def test_a_pull_leaves_an_unreadable_file_alone(tmp_path):
    folder = tmp_path / "comments"
    folder.mkdir()
    broken = folder / "le-chat-en-ligne.yml"
    broken.write_text('- id: a\n  author: "A\n')
    approved = [{"id": 1, "created": 1.6e9, "author": "B", "website": None, "text": "Salut.",
                 "uri": "/2021/10/le-chat-en-ligne/", "reply_to": None}]  # fmt: skip
    report = pull(str(folder), "srv", approved, PARIS)
    assert report.added == [] and "illisible" in report.skipped[0]
    assert broken.read_text() == '- id: a\n  author: "A\n'
