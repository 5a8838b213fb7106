"""The whole flow in Chromium: a reader posts a comment and a reply through the form to a real
comment server, the owner sees them pending, approves, pulls, rebuilds, and the page shows them
with JavaScript off; one post too many is refused in French."""

from __future__ import annotations

import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from commentserver import client, local
from commentserver.pull import pull
from tests.browser.conftest import served
from tests.conftest import run_build

pytestmark = pytest.mark.browser
SITES = Path(__file__).parent / "sites"
ARTICLE = "/2021/10/le-chat-en-ligne/"


def test_post_moderate_pull_rebuild_read_without_javascript(browser, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SITES / "billets", content)
    root = tmp_path / "site"
    root.mkdir()
    with served(root) as site_url:
        # The pieces of make serve: the local comment server (tasks.start_comment_server uses
        # the same function) and the built site on 127.0.0.1.
        server = local.start(tmp_path / "isso", [site_url], ratelimit=2)
        try:
            settings = {
                "SEARCH_ENABLED": False,
                "FEED_DOMAIN": site_url,
                "COMMENTS_URL": server.url,
            }
            run_build(content, root, **settings)
            seen_hosts = set()
            context = browser.new_context(locale="fr-FR")
            page = context.new_page()
            page.on("request", lambda request: seen_hosts.add(request.url.split("/")[2]))
            page.goto(site_url + ARTICLE)
            form = page.locator("form.comment-form")
            expect(form).to_be_visible()
            audit = Axe().run(page)
            assert audit.violations_count == 0, audit.generate_report()

            form.get_by_label("Nom").fill("Lucie")
            form.get_by_label("Courriel (facultatif)").fill("lucie@example.org")
            form.get_by_label("Commentaire").fill(
                "Très juste : le chat sans *personne* au bout, c'est pire que rien."
            )
            form.get_by_role("button", name="Envoyer").click()
            expect(form.locator(".comment-status")).to_contain_text("attend d'être relu")

            page.get_by_role("link", name="Répondre à Claire M.").click()
            expect(form.locator(".comment-replying")).to_contain_text("Claire M.")
            form.get_by_label("Nom").fill("Marc")
            form.get_by_label("Commentaire").fill("Claire, même expérience chez mon opérateur.")
            form.get_by_role("button", name="Envoyer").click()
            expect(form.locator(".comment-status")).to_contain_text("attend d'être relu")

            form.get_by_label("Nom").fill("Marc")
            form.get_by_label("Commentaire").fill("Et encore un, trop vite.")
            form.get_by_role("button", name="Envoyer").click()
            expect(form.locator(".comment-status")).to_contain_text("Trop de commentaires")
            assert seen_hosts <= {site_url.split("/")[2], server.url.split("/")[2]}
            assert context.cookies() == []
            context.close()

            waiting = client.pending(server.url, server.token)
            assert [(c["author"], c["reply_to"]) for c in waiting] == [
                ("Lucie", None), ("Marc", "2021-10-06-claire")
            ]  # fmt: skip
            for item in waiting:
                client.approve(server.url, server.token, item["id"])
            identity, approved = client.approved(server.url, server.token)
            pull(str(content / "comments"), identity, approved, ZoneInfo("Europe/Paris"))
            rebuilt = run_build(content, root, **settings)
            assert rebuilt.problems == []
        finally:
            server.stop()

        quiet = browser.new_context(java_script_enabled=False, locale="fr-FR")
        page = quiet.new_page()
        page.goto(site_url + ARTICLE)
        thread = page.locator("#commentaires")
        expect(
            thread.locator("#commentaire-2021-10-06-claire > ol.comment-replies")
        ).to_contain_text("même expérience chez mon opérateur")
        expect(thread.locator("> ol > li").last).to_contain_text("le chat sans personne au bout")
        expect(thread.locator("em", has_text="personne")).to_be_visible()
        expect(page.locator(".article-meta .comment-count")).to_have_text("5\u00a0commentaires")
        expect(page.locator("a.comment-reply").first).to_be_hidden()  # replies need the script
        assert "lucie@example.org" not in page.content()
        quiet.close()


def test_without_javascript_the_form_posts_and_a_page_answers_in_french(browser, tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    with served(root) as site_url:
        server = local.start(tmp_path / "isso", [site_url], ratelimit=2)
        try:
            settings = {
                "SEARCH_ENABLED": False,
                "FEED_DOMAIN": site_url,
                "COMMENTS_URL": server.url,
            }
            run_build(SITES / "billets", root, **settings)
            context = browser.new_context(java_script_enabled=False, locale="fr-FR")
            page = context.new_page()
            page.goto(site_url + ARTICLE)
            form = page.locator("form.comment-form")
            form.get_by_label("Nom").fill("Sans Script")
            form.get_by_label("Commentaire").fill("Envoyé sans JavaScript.")
            form.get_by_role("button", name="Envoyer").click()
            expect(page.get_by_role("status")).to_contain_text("attend d'être relu")
            page.get_by_role("link", name="Retour au billet").click()
            assert page.url == site_url + ARTICLE
            page.goto(site_url + ARTICLE)
            form.get_by_label("Nom").fill("Robot")
            form.locator("input[name=telephone]").fill("0102030405", force=True)
            form.get_by_label("Commentaire").fill("Du spam.")
            form.get_by_role("button", name="Envoyer").click()
            expect(page.get_by_role("status")).to_contain_text("envoi automatique")
            assert context.cookies() == []
            context.close()
            waiting = client.pending(server.url, server.token)
            assert [(c["author"], c["text"], c["uri"]) for c in waiting] == [
                ("Sans Script", "Envoyé sans JavaScript.", ARTICLE)
            ]
        finally:
            server.stop()
