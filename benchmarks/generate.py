"""A content folder at blog scale, for the benchmark: ``generate(target, articles=3000, seed=1)``.

The real blog has about 3,000 posts over 15 years; this writes a folder of the same shape that
follows the authoring contract (``/work/shared/AUTHORING.md``): French-like text of 500 to 900
words with accents, straight quotes and question marks; 13 % questionnaire interviews whose
headings are the questionnaire's exact wordings; 10 % episodes of 4 series; 3 to 8 tags per
article drawn from 1,500 with a Zipf-like spread, some written as aliases; a 50-term glossary;
15 categories; dates over 15 years; a few covers, images and links between articles; 1 % of the
articles show a phone's photo (4032 × 3024 sideways, 2400 × 1800, 1600 × 1200).

Everything comes from one seeded ``random.Random``, so a seed always gives the same files. Text is
assembled from a small vocabulary rather than a lorem-ipsum library: none on PyPI writes French
with the contract's punctuation, and a few lines of sentences are enough for a benchmark.

Command line: ``python -m benchmarks.generate TARGET [--articles N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import itertools
import random
import shutil
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULTS = {
    "articles": 3000,
    "seed": 1,
    "years": 15,
    "first_year": 2011,
    "words": (500, 900),
    "interview_share": 0.13,
    "series_share": 0.10,
    "tags_per_article": (3, 8),
    "tag_pool": 1500,
    "zipf_exponent": 1.0,
    "alias_share": 0.1,  # of the 300 most used tags
    "summary_share": 0.3,
    "cover_share": 0.05,
    "link_share": 0.1,
    # A share of the articles show a photo as a phone takes it (benchmarks/photos.py), drawn by
    # a generator of their own so that the rest of the corpus stays what it was.
    "photo_share": 0.01,
    "photo_sizes": ((4032, 3024, 6), (2400, 1800, 1), (1600, 1200, 6)),  # width, height, EXIF
}

# The demo site's questionnaire (content/data/questionnaires/sens-du-client.yml).
QUESTIONNAIRE = {
    "title": "Le questionnaire du Sens du client",
    "description": "Les mêmes questions, posées à chaque invité.",
    "questions": [
        {"id": "qui", "text": "Qui êtes-vous ?"},
        {
            "id": "definition",
            "text": "Selon vous, pour une entreprise, qu'est-ce qu'« avoir le sens du client » ?",
            "also": ["Qu'est-ce que le sens du client pour vous ?"],
        },
        {
            "id": "exemple",
            "text": "Racontez-nous une expérience client réussie que vous avez vécue.",
            "also": ["Votre meilleur souvenir de client ?"],
        },
        {"id": "irritant", "text": "Et à l'inverse, une expérience qui vous a fait fuir ?"},
        {
            "id": "conseil",
            "text": "Un conseil à une entreprise qui veut progresser ?",
            "optional": True,
        },
    ],
}

SERIES = {
    "L'Oeil du Sens du client": {
        "slug": "oeil-du-sens-du-client",
        "description": "Des instantanés de bons ou de mauvais exemples de sens du client.",
    },
    "Irritant": {
        "slug": "irritant",
        "description": "Ces petites choses qui font fuir les clients.",
        "title_format": "IRRITANT : {title}",
    },
    "Le roi du sens du client": {
        "description": "Chaque mois, une entreprise qui fait mieux que les autres.",
    },
    "Vu d'ailleurs": {
        "slug": "vu-d-ailleurs",
        "description": "Le service client hors de nos frontières.",
        "title_format": "Vu d'ailleurs ({number}) : {title}",
    },
}

CATEGORIES = [
    "Billets", "Interviews", "Rubriques", "Relation client", "Expérience client",
    "Service après-vente", "Commerce en ligne", "Centres d'appels", "Management",
    "Fidélisation", "Études et chiffres", "Réseaux sociaux", "Transport", "Banque et assurance",
    "Distribution",
]  # fmt: skip

AUTHORS = ["Claire Dubois", "Marc Lefèvre", "Élodie Martin", "Julien Roux", "Anaïs Garnier"]

NOUNS = [
    "client", "entreprise", "conseiller", "service", "magasin", "guichet", "réponse", "attente",
    "promesse", "expérience", "relation", "marque", "vendeur", "colis", "facture", "contrat",
    "réclamation", "écoute", "confiance", "parcours", "canal", "boutique", "équipe", "produit",
    "commande", "livraison", "retour", "échange", "garantie", "accueil", "téléphone", "courriel",
    "formulaire", "site", "application", "remboursement", "délai", "qualité", "prix", "geste",
]  # fmt: skip
ADJECTIVES = [
    "fidèle", "pressé", "mécontent", "satisfait", "rapide", "lent", "simple", "compliqué",
    "honnête", "clair", "agacé", "poli", "généreux", "négligé", "inattendu", "précis", "humain",
    "automatique", "personnalisé", "oublié", "régulier", "français", "énervé", "aimable",
]  # fmt: skip
VERBS = [
    "attend", "demande", "oublie", "répond", "explique", "promet", "comprend", "rappelle",
    "écoute", "préfère", "refuse", "accepte", "découvre", "reçoit", "envoie", "perd", "garde",
    "améliore", "complique", "simplifie", "mérite", "remarque", "raconte", "recommande",
]  # fmt: skip
OPENERS = [
    "Au fond,", "Pourtant,", "En réalité,", "Bien sûr,", "Souvent,", "Et puis,", "Ce jour-là,",
    "À vrai dire,", "Côté client,", "Dans les faits,", "Franchement,", "Déjà,",
]  # fmt: skip
ELIDED = ["l'entreprise", "l'équipe", "l'accueil", "l'écoute", "l'attente", "d'un client"]
QUOTES = [
    "Nous faisons le maximum", "Ce n'est pas notre service", "Rappelez demain",
    "Votre appel est important pour nous", "Je m'en occupe", "C'est la procédure",
]  # fmt: skip
QUESTIONS = [
    "Qui n'a jamais attendu au téléphone ?", "Pourquoi est-ce si difficile ?",
    "Le client a-t-il vraiment le choix ?", "Qui s'en souvient, au juste ?",
    "Et si on commençait par écouter ?", "Combien de temps encore ?",
]  # fmt: skip
TAG_HEADS = [
    "service", "accueil", "relation", "expérience", "parcours", "fidélité", "réclamation",
    "livraison", "attente", "promesse", "qualité", "satisfaction", "écoute", "vente", "conseil",
    "garantie", "facturation", "remboursement", "boutique", "assistance", "marque", "image",
    "tarif", "contrat", "abonnement", "commande", "retour", "innovation", "formation",
    "management",
]  # fmt: skip
TAG_TAILS = [
    "client", "en ligne", "en magasin", "téléphonique", "numérique", "après-vente", "bancaire",
    "mobile", "premium", "locale", "publique", "ferroviaire", "aérienne", "hôtelière",
    "automobile", "énergie", "santé", "assurance", "télécom", "luxe", "alimentaire", "culturelle",
    "sportive", "immobilière", "postale", "touristique", "scolaire", "municipale", "agricole",
    "industrielle", "logistique", "B2B", "des seniors", "des jeunes", "de proximité",
    "internationale", "sociale", "solidaire", "durable", "express", "de nuit", "du dimanche",
    "des fêtes", "d'été", "d'hiver", "des soldes", "de rentrée", "régionale", "artisanale",
    "familiale",
]  # fmt: skip
GLOSSARY_TERMS = [
    "NPS", "CSAT", "CES", "ROI", "SAV", "CRM", "KPI", "FAQ", "SVI", "SLA", "omnicanal",
    "irritant", "churn", "onboarding", "selfcare", "chatbot", "verbatim", "benchmark",
    "persona", "upsell", "cross-canal", "tunnel de vente", "taux de décroché",
    "premier contact résolutif", "délai de réponse", "baromètre", "carte de fidélité",
    "programme de fidélité", "panier moyen", "taux de transformation", "taux d'attrition",
    "voix du client", "client mystère", "enquête à chaud", "point de contact", "moment de vérité",
    "effort client", "promoteur", "détracteur", "escalade", "back-office", "front-office",
    "plateau", "télétravail", "script", "écoute active", "reformulation", "désescalade",
    "recontact", "prise en charge",
]  # fmt: skip
FIRST_NAMES = ["Hélène", "Karim", "Sophie", "Thomas", "Inès", "Loïc", "Zoé", "Rémi", "Maëlle"]
LAST_NAMES = ["Ferrand", "Belaïd", "Lenoir", "Vidal", "Mercier", "Chevallier", "Perrin", "Noël"]
COMPANIES = ["Literies Vauban", "Transports Azur", "Banque Cévenole", "Optique Lumière"]
ROLES = ["Directrice de l'expérience client", "Responsable du service client", "Fondateur"]


@dataclass(frozen=True)
class Article:
    """One generated article: where it goes and its Markdown text."""

    path: str
    text: str


def fold(text: str) -> str:
    """A slug-like key (accents folded, apostrophes separate words), to keep titles unique."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = "".join(ch if ch.isalnum() else " " for ch in ascii_text).split()
    return "-".join(words)


def tag_pool(size: int) -> list[str]:
    """``size`` distinct tag names, most general first (they will be the most used)."""
    names = [f"{head} {tail}" for tail, head in itertools.product(TAG_TAILS, TAG_HEADS)]
    return (TAG_HEADS + names)[:size]


def aliases_for(tags: list[str], share: float, rng: random.Random) -> dict[str, str]:
    """Aliases (alias → tag) for a share of the 300 most used tags: plurals, capitals."""
    taken = {fold(tag) for tag in tags}
    aliases = {}
    for tag in tags[:300]:
        if rng.random() >= share:
            continue
        alias = tag.upper() if " " not in tag else tag.replace(" ", "s ", 1)
        if fold(alias) in taken or alias.casefold() in taken:
            continue
        taken.add(fold(alias))
        aliases[alias] = tag
    return aliases


def zipf_sampler(count: int, exponent: float, rng: random.Random):
    """A function drawing ``k`` distinct ranks in ``range(count)``, rank r with weight 1/(r+1)^s."""
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(count)))
    total = cumulative[-1]

    def draw(k: int) -> list[int]:
        chosen: list[int] = []
        while len(chosen) < k:
            rank = bisect.bisect_left(cumulative, rng.random() * total)
            if rank not in chosen:
                chosen.append(rank)
        return chosen

    return draw


def sentence(rng: random.Random, mentions: list[str]) -> str:
    """One French-like sentence, sometimes a question or with a quotation."""
    kind = rng.random()
    if kind < 0.08:
        return rng.choice(QUESTIONS)
    words = [rng.choice(OPENERS)] if rng.random() < 0.3 else []
    words += ["le", rng.choice(NOUNS), rng.choice(ADJECTIVES), rng.choice(VERBS)]
    for _ in range(rng.randint(1, 3)):
        words += [rng.choice(("la", "une", "notre", "cette")), rng.choice(NOUNS)]
        if rng.random() < 0.4:
            words.append(rng.choice(ADJECTIVES))
        words.append(rng.choice(("et", "de", "avec", "pour", "sans", "chez")))
    words.append(rng.choice(ELIDED))
    if mentions and rng.random() < 0.25:
        words += ["comme", "pour", rng.choice(mentions)]
    if kind < 0.16:
        words += [":", f'"{rng.choice(QUOTES)}"']
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    return text + (" ?" if kind > 0.95 else ".")


def paragraphs(rng: random.Random, words: int, mentions: list[str]) -> list[str]:
    """Paragraphs of about ``words`` words in total."""
    result, count = [], 0
    while count < words:
        paragraph = " ".join(sentence(rng, mentions) for _ in range(rng.randint(3, 6)))
        count += len(paragraph.split())
        result.append(paragraph)
    return result


def interview_body(rng: random.Random, words: int, mentions: list[str]) -> list[str]:
    """An introduction, then one section per question, headed by the question's exact text."""
    questions = [
        q for q in QUESTIONNAIRE["questions"] if not q.get("optional") or rng.random() < 0.6
    ]
    share = words // (len(questions) + 1)
    blocks = paragraphs(rng, share, mentions)
    for question in questions:
        blocks.append(f"## {question['text']}")
        blocks += paragraphs(rng, share, mentions)
    return blocks


def article_body(rng: random.Random, words: int, mentions: list[str]) -> list[str]:
    """Paragraphs with a sub-heading or two and sometimes a list."""
    blocks = paragraphs(rng, words, mentions)
    for position in sorted(
        rng.sample(range(1, len(blocks)), k=min(2, len(blocks) - 1)), reverse=True
    ):
        blocks.insert(position, f"## {rng.choice(NOUNS).capitalize()} et {rng.choice(NOUNS)}")
    if rng.random() < 0.3:
        blocks.append(
            "\n".join(f"- {rng.choice(NOUNS)} {rng.choice(ADJECTIVES)}" for _ in range(3))
        )
    return blocks


def header(fields: dict[str, str]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in fields.items() if value)


def generate_articles(options: dict, rng: random.Random) -> tuple[list[Article], dict]:
    """Every article, and the data files (series, tags, glossary) they use."""
    count = options["articles"]
    tags = tag_pool(options["tag_pool"])
    aliases = aliases_for(tags, options["alias_share"], rng)
    alias_of = {tag: [a for a, t in aliases.items() if t == tag] for tag in set(aliases.values())}
    draw_tags = zipf_sampler(len(tags), options["zipf_exponent"], rng)
    start = datetime.datetime(options["first_year"], 1, 1, 8, 0)
    span = datetime.timedelta(days=365 * options["years"] - 1)
    series_names = list(SERIES)
    seen_titles: set[str] = set()
    articles: list[Article] = []
    for index in range(count):
        date = (
            start + span * index / max(count, 1) + datetime.timedelta(minutes=rng.randint(0, 600))
        )
        roll = rng.random()
        interview = roll < options["interview_share"]
        series = (
            rng.choice(series_names)
            if not interview and roll < options["interview_share"] + options["series_share"]
            else ""
        )
        chosen = [tags[rank] for rank in draw_tags(rng.randint(*options["tags_per_article"]))]
        shown_tags = [
            rng.choice(alias_of[tag]) if tag in alias_of and rng.random() < 0.3 else tag
            for tag in chosen
        ]
        mentions = chosen[:2] + rng.sample(GLOSSARY_TERMS, 2)
        words = rng.randint(*options["words"])
        fields = {"Title": "", "Date": date.strftime("%Y-%m-%d %H:%M")}
        if interview:
            guest = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            quote = f"{rng.choice(QUOTES)}, {rng.choice(NOUNS)} {rng.choice(ADJECTIVES)}"
            title = f'{guest} : "{quote}"'
            fields.update(Category="Interviews")
            body = interview_body(rng, words, mentions)
        else:
            title = " ".join(
                [rng.choice(NOUNS).capitalize(), rng.choice(ADJECTIVES), "et", rng.choice(NOUNS)]
            )
            if rng.random() < 0.2:
                title += " ?"
            fields.update(Category="Rubriques" if series else rng.choice(CATEGORIES))
            body = article_body(rng, words, mentions)
        while fold(title) in seen_titles:
            title += f" {rng.choice(ADJECTIVES)}"
        seen_titles.add(fold(title))
        fields["Title"] = title
        fields["Tags"] = ", ".join(shown_tags)
        fields["Author"] = rng.choice(AUTHORS)
        if series:
            fields["Series"] = series
        if interview:
            fields.update(
                Questionnaire="sens-du-client",
                Guest=guest,
                Guest_role=rng.choice(ROLES),
                Guest_company=rng.choice(COMPANIES),
            )
        if rng.random() < options["summary_share"]:
            fields["Summary"] = sentence(rng, [])
        if rng.random() < options["cover_share"]:
            fields.update(Image="{static}/images/couverture.png", Image_alt="Une couverture grise")
        if articles and rng.random() < options["link_share"]:
            target = rng.choice(articles).path
            body.append(f"À relire : [un billet plus ancien]({{filename}}/{target}).")
        path = f"posts/{date:%Y}/{date:%Y-%m-%d}-{fold(title)[:60].strip('-')}.md"
        articles.append(Article(path, header(fields) + "\n" + "\n\n".join(body) + "\n"))
    data = {
        "series.yml": SERIES,
        "tags.yml": tag_descriptions(tags, aliases, rng),
        "glossary.yml": glossary(rng),
        "questionnaires/sens-du-client.yml": QUESTIONNAIRE,
    }
    return articles, data


def tag_descriptions(tags: list[str], aliases: dict[str, str], rng: random.Random) -> dict:
    """Descriptions of the 200 most used tags, and every alias."""
    described = {}
    for tag in tags[:200]:
        described[tag] = {"description": sentence(rng, [])}
    for alias, tag in aliases.items():
        described.setdefault(tag, {}).setdefault("aliases", []).append(alias)
    return described


def glossary(rng: random.Random) -> dict:
    """Fifty terms with a definition, some with an alias."""
    terms = {}
    for term in GLOSSARY_TERMS:
        entry = {"definition": sentence(rng, [])}
        if term.isupper() and rng.random() < 0.5:
            entry["aliases"] = [f"{term} (indicateur)"]
        terms[term] = entry
    return terms


def tiny_png() -> bytes:
    """A valid 8×8 grey PNG, so that image sizes can be read."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * 8 for _ in range(8))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PAGES = {
    "a-propos.md": "Title: À propos\n\nLe Sens du client parle d'expérience client.\n",
    "mentions-legales.md": "Title: Mentions légales\n\nCe site est un banc d'essai.\n",
}


def generate(target: Path, articles: int = DEFAULTS["articles"], seed: int = DEFAULTS["seed"]):
    """Write a content folder of ``articles`` articles into ``target`` (replaced if present)."""
    options = {**DEFAULTS, "articles": articles, "seed": seed}
    rng = random.Random(seed)
    written, data = generate_articles(options, rng)
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    for article in written:
        path = target / article.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article.text, encoding="utf-8")
    for name, value in data.items():
        path = target / "data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False), "utf-8")
    for name, text in PAGES.items():
        (target / "pages").mkdir(parents=True, exist_ok=True)
        (target / "pages" / name).write_text(text, encoding="utf-8")
    (target / "images").mkdir(parents=True, exist_ok=True)
    (target / "images" / "couverture.png").write_bytes(tiny_png())
    add_photos(target, written, options)
    return [article.path for article in written]


def add_photos(target: Path, written: list[Article], options: dict) -> list[Path]:
    """Give ``photo_share`` of the articles a photo after their first paragraph, in the sizes
    of ``photo_sizes`` in turn; the photos' files, written to ``target/images/photos``."""
    from benchmarks.photos import phone_photo

    rng = random.Random(f"photos-{options['seed']}")
    chosen = [a for a in written if rng.random() < options["photo_share"]]
    if not chosen and written and options["photo_share"] > 0:
        chosen = [written[len(written) // 2]]  # a small corpus still shows one
    files = []
    for number, article in enumerate(chosen, start=1):
        width, height, orientation = options["photo_sizes"][number % len(options["photo_sizes"])]
        name = f"photo-{number:03d}.jpg"
        files.append(
            phone_photo(target / "images" / "photos" / name, width, height, number, orientation)
        )
        path = target / article.path
        head, body = path.read_text(encoding="utf-8").split("\n\n", 1)
        first, rest = body.split("\n\n", 1) if "\n\n" in body else (body, "")
        figure = f'![Une photo prise en magasin]({{static}}/images/photos/{name} "Photo {number}")'
        path.write_text("\n\n".join([head, first, figure, rest]), encoding="utf-8")
    return files


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--articles", type=int, default=DEFAULTS["articles"])
    parser.add_argument("--seed", type=int, default=DEFAULTS["seed"])
    args = parser.parse_args(argv)
    paths = generate(args.target, args.articles, args.seed)
    print(f"{len(paths)} articles écrits dans {args.target}")


if __name__ == "__main__":
    main()
