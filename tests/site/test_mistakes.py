"""Every author's mistake the contract names: one French line naming the file (and line), no
traceback, nothing written outside the output folder; strict builds fail; warm builds like cold.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import differences, output_files, run_build

COVER = Path(__file__).parent / "sites" / "basic" / "images" / "cover.png"
SETTINGS = {"SEARCH_ENABLED": False, "INTERVIEWS_FEED_ATOM": ""}
GOOD = "Title: Correct\nDate: 2020-01-05\n\nTexte.\n"
QUESTIONNAIRE = "title: Q\nquestions:\n  - id: qui\n    text: Qui ?\n"


def post(header: str, body: str = "Texte.") -> str:
    return f"{header}\n\n{body}\n"


# name: (files written beside a correct post, the file named, its line, words of the message)
CASES = {
    "second Title line": (
        {"posts/bad.md": post("Title: Un\nTitle: Deux\nDate: 2020-01-06")},
        "posts/bad.md", 2, "répétée (déjà ligne 1)",
    ),
    "BEL in a title": (
        {"posts/bad.md": post("Title: Un \x07titre\nDate: 2020-01-06")},
        "posts/bad.md", 1, "caractère de contrôle (U+0007)",
    ),
    "NUL in a title": (
        {"posts/bad.md": post("Title: Un\x00 titre\nDate: 2020-01-06")},
        "posts/bad.md", 1, "caractère de contrôle (U+0000)",
    ),
    "BEL in the text": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06", "Un texte.\n\nUne \x07cloche.")},
        "posts/bad.md", 6, "le texte contient un caractère de contrôle (U+0007)",
    ),
    "blank Title": (
        {"posts/bad.md": post("Title:   \nDate: 2020-01-06")},
        "posts/bad.md", 1, "Title vide",
    ),
    "no Title": (
        {"posts/bad.md": post("Date: 2020-01-06")}, "posts/bad.md", None, "Title manquant"
    ),
    "no Title on a page": (
        {"pages/bad.md": post("Slug: x")}, "pages/bad.md", None, "Title manquant"
    ),
    "no Date": (
        {"posts/bad.md": post("Title: Sans date")}, "posts/bad.md", None, "Date manquante"
    ),
    "day/month/year date": (
        {"posts/bad.md": post("Title: D\nDate: 10/02/2024")},
        "posts/bad.md", 2, "Date « 10/02/2024 » n'est pas une date valide",
    ),
    "two-digit year": (
        {"posts/bad.md": post("Title: D\nDate: 24-02-10")},
        "posts/bad.md", 2, "Date « 24-02-10 » n'est pas une date valide",
    ),
    "date with seconds": (
        {"posts/bad.md": post("Title: D\nDate: 2024-02-10 10:00:00")},
        "posts/bad.md", 2, "n'est pas une date valide",
    ),
    "bad Modified": (
        {"posts/bad.md": post("Title: D\nDate: 2024-02-10\nModified: 2024/03/01")},
        "posts/bad.md", 3, "Modified « 2024/03/01 »",
    ),
    "impossible date": (
        {"posts/bad.md": post("Title: D\nDate: 2020-13-45")},
        "posts/bad.md", 2, "Date « 2020-13-45 » n'est pas une date valide",
    ),
    "Slug climbing out": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06\nSlug: ../../../evil")},
        "posts/bad.md", 3, "un slug ne contient ni /",
    ),
    "Slug with a slash": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06\nSlug: a/b")},
        "posts/bad.md", 3, "Slug « a/b »",
    ),
    "Slug with a backslash": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06\nSlug: a\\b")},
        "posts/bad.md", 3, "Slug « a\\b »",
    ),
    "javascript: guest link": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06\nGuest: X\nGuest_url: JaVaScRiPt:x")},
        "posts/bad.md", 4, "adresse « javascript: » refusée",
    ),
    "data: guest link": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06\nGuest_url: data:text/html,x")},
        "posts/bad.md", 3, "adresse « data: » refusée",
    ),
    "vbscript: in a future URL key": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06\nOther_url: VBScript:x")},
        "posts/bad.md", 3, "adresse « vbscript: » refusée",
    ),
    "cover without {static}": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06\nImage: images/cover.png\nImage_alt: x")},
        "posts/bad.md", 3, "Image « images/cover.png » : ni {static}, ni http(s)",
    ),
    "guest photo by ftp": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06\nGuest_photo: ftp://x/y.jpg")},
        "posts/bad.md", 3, "Guest_photo",
    ),
    "cover without Image_alt": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06\nImage: {static}/images/cover.png")},
        "posts/bad.md", 3, "Image sans Image_alt",
    ),
    "title without letters": (
        {"posts/bad.md": post("Title: ???\nDate: 2020-01-06")},
        "posts/bad.md", 1, "Title « ??? » ne donne aucune adresse",
    ),
    "emoji category": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06\nCategory: 😀")},
        "posts/bad.md", 3, "« 😀 » : aucune adresse possible",
    ),
    "author without letters": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06\nAuthors: Anne, ***")},
        "posts/bad.md", 3, "« *** » : aucune adresse possible",
    ),
    "emoji tag": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06\nTags: 😀, service")},
        "posts/bad.md", 3, "tag « 😀 » : aucune adresse possible",
    ),
    "Latin-1 file": (
        {"posts/bad.md": post("Title: Déjà vu\nDate: 2020-01-06").encode("latin-1")},
        "posts/bad.md", 1, "n'est pas en UTF-8 : l'octet 0xe9",
    ),
    "Latin-1 body": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06", "Déjà").encode("latin-1")},
        "posts/bad.md", 4, "iconv -f CP1252 -t UTF-8 bad.md",
    ),
    "UTF-16 file": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06").encode("utf-16")},
        "posts/bad.md", 1, "de l'UTF-16",
    ),
    "binary file": (
        {"posts/bad.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"},
        "posts/bad.md", None, "fichier binaire",
    ),
    "unknown header key": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06\nSerie: X")},
        "posts/bad.md", 3, "clé d'en-tête inconnue « serie »",
    ),
    "unknown Status": (
        {"posts/bad.md": post("Title: D\nDate: 2020-01-06\nStatus: publised")},
        "posts/bad.md", 3, "Status « publised » inconnu",
    ),
    "slug used twice": (
        {
            "posts/a.md": post("Title: A\nDate: 2020-01-06\nSlug: meme"),
            "posts/b.md": post("Title: B\nDate: 2021-01-06\nSlug: meme"),
        },
        "posts/", None, "slug « meme » aussi donné à",
    ),
    "glossary term repeated": (
        {"data/glossary.yml": "NPS: {definition: a}\nROI: {definition: b}\nNPS: {definition: c}\n"},
        "data/glossary.yml", 3, "clé « NPS » répétée (déjà ligne 1)",
    ),
    "tag description repeated": (
        {"data/tags.yml": "SNCF:\n  description: a\n  description: b\n"},
        "data/tags.yml", 3, "clé « description » répétée (déjà ligne 2)",
    ),
    "series repeated": (
        {"data/series.yml": '"Irritant":\n  slug: irritant\n"Irritant":\n  slug: autre\n'},
        "data/series.yml", 3, "clé « Irritant » répétée",
    ),
    "questionnaire key repeated": (
        {"data/questionnaires/q.yml": QUESTIONNAIRE + "title: R\n"},
        "data/questionnaires/q.yml", 5, "clé « title » répétée (déjà ligne 1)",
    ),
    "javascript: link in a data file": (
        {"data/tags.yml": "SNCF:\n  description: a\n  links: {site: 'javascript:alert(1)'}\n"},
        "data/tags.yml", 3, "adresse « javascript: » refusée",
    ),
    "unreadable YAML": (
        {"data/series.yml": '"Irritant:\n  slug: x\n'},
        "data/series.yml", 1, "YAML illisible",
    ),
    "glossary term without slug": (
        {"data/glossary.yml": 'NPS:\n  definition: a\n"(":\n  definition: b\n'},
        "data/glossary.yml", 3, "« ( » : aucune adresse possible",
    ),
    "glossary star": (
        {"data/glossary.yml": '"*":\n  definition: b\n'},
        "data/glossary.yml", 1, "« * » : aucune adresse possible",
    ),
    "tag of tags.yml without slug": (
        {"data/tags.yml": '"😀":\n  description: x\n'},
        "data/tags.yml", 1, "« 😀 » : aucune adresse possible",
    ),
    "post linked from outside": (
        {"posts/bad.md": Path("..") / "outside" / "post.md"},
        "posts/bad.md", None, "lien symbolique vers un fichier hors du dossier de contenu",
    ),
    "folder linked from outside": (
        {"posts/ext": Path("..") / "outside"},
        "posts/ext/post.md", None, "lien symbolique vers un fichier hors du dossier de contenu",
    ),
    "image linked from outside": (
        {"images/ext.png": Path("..") / "outside" / "image.png"},
        "images/ext.png", None, "lien symbolique vers un fichier hors du dossier de contenu",
    ),
}  # fmt: skip


def write_site(root: Path, files: dict) -> Path:
    """A content folder with one correct post and ``files`` (text, bytes, or a link target)."""
    content = root / "content"
    (content / "posts").mkdir(parents=True)
    (content / "images").mkdir()
    shutil.copy(COVER, content / "images" / "cover.png")
    (content / "posts" / "ok.md").write_text(GOOD, encoding="utf-8")
    outside = root / "outside"
    outside.mkdir()
    (outside / "post.md").write_text(post("Title: Dehors\nDate: 2020-01-07"), encoding="utf-8")
    shutil.copy(COVER, outside / "image.png")
    for name, value in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, Path):
            path.symlink_to(Path("..") / value if name.count("/") == 1 else value)
        elif isinstance(value, bytes):
            path.write_bytes(value)
        else:
            path.write_text(value, encoding="utf-8")
    return content


def files_outside(root: Path, output: Path) -> set[str]:
    return {
        str(p.relative_to(root))
        for p in root.rglob("*")
        if not p.is_relative_to(output) and (p.is_file() or p.is_symlink())
    }


@pytest.mark.parametrize("case", list(CASES))
def test_a_mistake_gets_one_message_naming_its_file_and_line(case, tmp_path, caplog):
    files, named, line, words = CASES[case]
    content = write_site(tmp_path, files)
    before = files_outside(tmp_path, tmp_path / "output")
    site = run_build(content, tmp_path / "output", **SETTINGS)
    assert len(site.problems) == 1, site.problems
    (message,) = site.problems
    where = f"{content / named}:{line}: " if line else f"{content / named}"
    assert where in message and words in message, message
    assert all(record.exc_info is None for record in caplog.records)
    assert files_outside(tmp_path, tmp_path / "output") == before
    assert (tmp_path / "output" / "2020" / "01" / "correct" / "index.html").exists()


def test_a_strict_build_lists_each_mistake_once_on_its_own_line(pelican_cli, tmp_path):
    files = {}
    for number, (name, (case_files, *_)) in enumerate(CASES.items()):
        if name == "slug used twice" or any(isinstance(v, Path) for v in case_files.values()):
            continue  # (each of these is alone in its file: in the parametrized test)
        for path, value in case_files.items():
            if path.startswith("posts/"):
                if isinstance(value, (str, bytes)):  # one title each: no slug shared
                    old, new = ("Title: D\n", f"Title: D{number}\n")
                    value = value.replace(*((old, new) if isinstance(value, str) else (
                        old.encode(), new.encode()
                    )))  # fmt: skip
                files[path.replace("bad.md", f"bad-{number}.md")] = value
    content = write_site(tmp_path, files)
    result = pelican_cli(content, "publishconf.py", tmp_path / "out", None, "-e", *(
        f"{key}={json.dumps(value)}"
        for key, value in SETTINGS.items()
    ))  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "Could not process" not in output
    verdict = re.search(r"Construction stricte refusée : (\d+) problème", output)
    assert verdict and int(verdict[1]) == len(files), output
    problems = [line for line in output.splitlines() if line.startswith(("ERROR", "WARNING"))]
    assert len(problems) == len(files), output
    assert all(re.search(r"posts/bad-\d+\.md(:\d+)?: ", line) for line in problems), problems


def test_a_long_title_gets_a_slug_cut_between_words(tmp_path):
    title = " ".join(f"mot{number}" for number in range(80))
    content = write_site(tmp_path, {"posts/long.md": post(f"Title: {title}\nDate: 2020-01-06")})
    site = run_build(content, tmp_path / "output", **SETTINGS)
    assert site.problems == []
    (folder,) = [p for p in (tmp_path / "output/2020/01").iterdir() if p.name != "correct"]
    assert len(folder.name) <= 80 and folder.name.endswith("-mot14")
    assert title in (folder / "index.html").read_text(encoding="utf-8")


def test_links_out_of_the_content_folder_are_followed_when_the_setting_allows_it(tmp_path):
    files = {"posts/bad.md": CASES["post linked from outside"][0]["posts/bad.md"]}
    files["images/ext.png"] = CASES["image linked from outside"][0]["images/ext.png"]
    content = write_site(tmp_path, files)
    site = run_build(content, tmp_path / "output", **SETTINGS, AUTHORING_FOLLOW_OUTSIDE_LINKS=True)
    assert site.problems == []
    assert site.exists("/2020/01/dehors/") and site.exists("/images/ext.png")


def test_logs_off_a_terminal_are_one_line_per_problem(pelican_cli, tmp_path):
    name = "un-nom-de-fichier-assez-long-pour-depasser-quatre-vingts-colonnes.md"
    content = write_site(tmp_path, {f"posts/{name}": post("Title: D\nDate: 10/02/2024")})
    result = pelican_cli(content, "pelicanconf.py", tmp_path / "out", {"COLUMNS": "80"})
    lines = [line for line in result.stdout.splitlines() if name in line]
    assert lines and all(f"{name}:2: Date" in line for line in lines), result.stdout


class Serve:
    """Builds like ``make serve`` (warm, into one folder) and cold ones to compare with."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.content = write_site(
            tmp_path, {"posts/autre.md": post("Title: Autre\nDate: 2020-02-01")}
        )
        self.colds = 0

    def warm(self):
        return run_build(
            self.content, self.tmp / "warm", **SETTINGS, CACHE_CONTENT=True,
            LOAD_CONTENT_CACHE=True, DELETE_OUTPUT_DIRECTORY=False,
            CACHE_PATH=str(self.tmp / "cache"),
        )  # fmt: skip

    def cold(self) -> Path:
        self.colds += 1
        target = self.tmp / f"cold-{self.colds}"
        run_build(self.content, target, **SETTINGS)
        return target

    def write(self, name: str, text: str) -> None:
        path = self.content / name
        path.write_text(text, encoding="utf-8")
        stamp = path.stat().st_mtime_ns + 2_000_000_000  # a change the cache's stamp sees
        os.utime(path, ns=(stamp, stamp))


def test_warm_rebuilds_after_an_impossible_date_behave_like_cold_builds(tmp_path):
    logging.getLogger().setLevel(logging.WARNING)
    serve = Serve(tmp_path)
    serve.warm()
    steps = (
        ("posts/ok.md", "Title: Correct\nDate: 2020-02-31\n\nTexte.\n"),
        ("posts/autre.md", "Title: Autre, revu\nDate: 2020-02-01\n\nTexte revu.\n"),
        ("posts/ok.md", GOOD),
    )
    for number, (name, text) in enumerate(steps):
        serve.write(name, text)
        site = serve.warm()
        broken = number < 2
        assert [p for p in site.problems if "ok.md:2: Date « 2020-02-31 »" in p] == (
            site.problems if broken else []
        ), site.problems
        assert len(site.problems) == (1 if broken else 0), site.problems
        assert differences(serve.tmp / "warm", serve.cold()) == []
    assert "Texte revu." in (serve.tmp / "warm/2020/02/autre-revu/index.html").read_text()
    assert "2020/01/correct/index.html" in output_files(serve.tmp / "warm")
