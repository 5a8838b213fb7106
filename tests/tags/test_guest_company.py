"""The guest's company links to its tag page when it is a tag, like a mention in the text."""

from __future__ import annotations


def write_interview(content, tags):
    (content / "posts").mkdir(parents=True)
    (content / "posts/entretien.md").write_text(
        "Title: Entretien\nDate: 2024-05-22\n"
        f"Tags: {tags}\nGuest: Thomas Vidal\nGuest_role: Responsable\n"
        "Guest_company: Cyclo Direct\n\n"
        "Introduction.\n\n## Première question ?\n\nRéponse.\n",
        encoding="utf-8",
    )


def test_a_guest_company_that_is_a_tag_links_to_the_tag_page(build_site, tmp_path):
    content = tmp_path / "content"
    write_interview(content, "service client, cyclo direct")
    site = build_site(content, SEARCH_ENABLED=False)
    role = site.html("/2024/05/entretien/").select_one(".guest-role")
    link = role.select_one("a[rel=tag]")
    assert link is not None and link.get_text() == "Cyclo Direct"
    assert link["href"] == "/tags/cyclo-direct/"


def test_a_guest_company_that_is_no_tag_stays_text(build_site, tmp_path):
    content = tmp_path / "content"
    write_interview(content, "service client")
    site = build_site(content, SEARCH_ENABLED=False)
    role = site.html("/2024/05/entretien/").select_one(".guest-role")
    assert role.select("a") == []
    assert role.get_text() == "Responsable, Cyclo Direct"
