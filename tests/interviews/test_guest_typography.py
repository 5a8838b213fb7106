"""The guest card reads like the rest of the page: French typography on name, role, company."""

from __future__ import annotations


def test_guest_role_and_company_are_typeset(build_site, tmp_path):
    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    (content / "posts/entretien.md").write_text(
        "Title: Entretien\nDate: 2024-05-22\nGuest: Jeanne d'Arc\n"
        "Guest_role: Directrice de l'expérience client\nGuest_company: L'Atelier\n\n"
        "Introduction.\n\n## Une question ?\n\nRéponse.\n",
        encoding="utf-8",
    )
    site = build_site(content, SEARCH_ENABLED=False)
    card = site.html("/2024/05/entretien/").select_one(".guest-card")
    assert card.select_one(".guest-name").get_text() == "Jeanne d’Arc"
    assert (
        card.select_one(".guest-role").get_text() == "Directrice de l’expérience client, L’Atelier"
    )
