"""What we put in front of Isso: the spam guards it lacks, French messages, a moderation API.

``Guard(isso_app, ...)`` is a WSGI middleware around the application ``isso.make_app`` builds:

- ``POST /formulaire``: the same from the form without JavaScript (a plain form post), answered
  by a short page in French with a link back to the article.
- ``POST /new`` (a new comment): refused with a French message, before Isso sees it, when the
  honeypot field is filled, the text is longer than ``max_length`` or holds more than
  ``max_links`` links, or the body is too big. The ``reply_to`` field (the id, in the comments
  file, of the comment answered: the page knows no Isso id, and archived comments were never in
  Isso) is kept in a table of our own beside Isso's. Isso's own refusals (its ``[guard]``
  rate limit per address, its checks) come back in French. Isso's cookie (to edit one's comment
  for 15 minutes) is removed: the site sets no cookie.
- ``/moderation/…`` (a bearer token, never the public): ``GET comments?mode=pending|approved``
  (no e-mail, no address), ``POST approve/<id>``, ``POST delete/<id>`` (through Isso's own
  moderation, so that its e-mails to commenters go out), ``POST names`` (the ids a pull gave
  to Isso's comments in the files, so that a reply to one of them is an Isso reply).
  ``make comments`` and ``make publish`` use it; Isso's ``/admin/`` stays available too.

Everything else goes to Isso untouched.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import io
import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import parse_qs

MAX_BODY = 200_000  # bytes of a POST /new: far above any allowed comment
# A bare address, or a Markdown link whose target is not one (counted once either way).
LINK_RE = re.compile(r"(?i)(?:https?://|(?<![/\w.])www\.)|\]\((?!\s*(?:https?://|www\.))")
HONEYPOT = "telephone"
REPLY_TABLE = "sdc_reply_to"
NAMES_TABLE = "sdc_file_ids"  # Isso id → id in the comments file, told by each pull
MESSAGES = {
    "honeypot": "Ce message ressemble à un envoi automatique : il n'a pas été enregistré.",
    "length": "Votre commentaire dépasse {limit} caractères ({count}) : raccourcissez-le.",
    "links": "Votre commentaire contient {count} liens ; {limit} au plus sont acceptés.",
    "too_big": "Envoi trop volumineux.",
    "json": "Envoi illisible : le formulaire attend du JSON.",
    "reply_to": "Le commentaire auquel vous répondez est introuvable.",
    "ratelimit": "Trop de commentaires envoyés depuis votre adresse en une minute : "
    "attendez un peu avant de réessayer.",
    "direct": "Vous avez déjà laissé plusieurs commentaires sur ce billet ; "
    "ils attendent d'être relus.",
    "short": "Votre commentaire est trop court (3 caractères au moins).",
    "other": "Le commentaire n'a pas pu être enregistré ({detail}).",
    "thanks": "Merci ! Votre commentaire attend d'être relu ; il paraîtra sous le billet une "
    "fois accepté.",
}


@dataclass(frozen=True)
class Limits:
    max_length: int = 5000
    max_links: int = 3


def count_links(text: str) -> int:
    """Links a reader wrote: bare URLs, ``www.`` names and Markdown ``[x](…)`` links."""
    return len(LINK_RE.findall(text))


def post_problem(data: dict, limits: Limits) -> str | None:
    """Why a new comment is refused before Isso sees it (French), or None."""
    if str(data.get(HONEYPOT) or "").strip():
        return MESSAGES["honeypot"]
    text = data.get("text")
    if isinstance(text, str):
        if len(text) > limits.max_length:
            return MESSAGES["length"].format(limit=limits.max_length, count=len(text))
        links = count_links(text)
        if links > limits.max_links:
            return MESSAGES["links"].format(limit=limits.max_links, count=links)
    reply_to = data.get("reply_to")
    if reply_to is not None and (not isinstance(reply_to, str) or len(reply_to) > 200):
        return MESSAGES["reply_to"]
    return None


def french(message: str) -> str:
    """Isso's English refusal in French."""
    if "ratelimit exceeded" in message:
        return MESSAGES["ratelimit"]
    if "direct responses" in message:
        return MESSAGES["direct"]
    if "too short" in message:
        return MESSAGES["short"]
    if "too long" in message:
        return MESSAGES["length"].format(limit="65 535", count="plus")
    return MESSAGES["other"].format(detail=message)


def server_identity(db_path: str) -> str:
    """A name for this Isso database (its random session key, hashed): a new, empty database
    after a loss has another one, so a pull never takes its silence for deletions."""
    with sqlite3.connect(db_path) as db:
        row = db.execute("SELECT value FROM preferences WHERE key = 'session-key'").fetchone()
    return hashlib.sha256((row[0] if row else "").encode()).hexdigest()[:16]


def ensure_tables(db_path: str) -> None:
    with sqlite3.connect(db_path) as db:
        db.execute(
            f"CREATE TABLE IF NOT EXISTS {REPLY_TABLE} "
            "(comment_id INTEGER PRIMARY KEY, reply_to TEXT NOT NULL)"
        )
        db.execute(
            f"CREATE TABLE IF NOT EXISTS {NAMES_TABLE} "
            "(comment_id INTEGER PRIMARY KEY, file_id TEXT NOT NULL)"
        )


def isso_parent(db_path: str, file_id: str, uri: str) -> int | None:
    """The Isso comment that a file id names on this page, when it came from this server: the
    reply then becomes an Isso reply, and Isso e-mails the commenter who asked to know."""
    with sqlite3.connect(db_path) as db:
        row = db.execute(
            f"SELECT n.comment_id FROM {NAMES_TABLE} n JOIN comments c ON c.id = n.comment_id "
            "JOIN threads t ON t.id = c.tid WHERE n.file_id = ? AND t.uri = ? AND c.mode = 1",
            (file_id, uri),
        ).fetchone()
    return row[0] if row else None


def record_names(db_path: str, names: Iterable[dict]) -> int:
    rows = [(int(item["id"]), str(item["file_id"])) for item in names]
    with sqlite3.connect(db_path) as db:
        db.executemany(f"INSERT OR REPLACE INTO {NAMES_TABLE} VALUES (?, ?)", rows)
    return len(rows)


def listed_comments(db_path: str, mode: int) -> list[dict]:
    """Comments of one Isso mode (1 approved, 2 pending), oldest first, without e-mail or IP."""
    with sqlite3.connect(db_path) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute(
            "SELECT c.id, c.created, c.modified, c.author, c.website, c.text, t.uri, t.title, "
            f"r.reply_to FROM comments c JOIN threads t ON c.tid = t.id "
            f"LEFT JOIN {REPLY_TABLE} r ON r.comment_id = c.id "
            "WHERE c.mode = ? ORDER BY c.created, c.id",
            (mode,),
        ).fetchall()
    return [dict(row) for row in rows]


def json_response(start_response, status: str, data, extra: Iterable = ()) -> list[bytes]:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    headers = [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Content-Length", str(len(body))),
    ]
    start_response(status, headers + list(extra))
    return [body]


class Guard:
    """The WSGI middleware (see the module's docstring)."""

    def __init__(
        self,
        app: Callable,
        db_path: str,
        token: str,
        limits: Limits,
        hosts: Iterable[str],
        moderate: Callable[[str, int], bool],
    ):
        self.app, self.db_path, self.token, self.limits = app, db_path, token, limits
        self.hosts = [host.rstrip("/") for host in hosts if host]
        self.moderate = moderate
        ensure_tables(db_path)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/moderation/"):
            return self.moderation(environ, start_response, path[len("/moderation/") :])
        if path == "/new" and environ.get("REQUEST_METHOD") == "POST":
            return self.new(environ, start_response)
        if path == "/formulaire" and environ.get("REQUEST_METHOD") == "POST":
            return self.form_post(environ, start_response)
        return self.app(environ, start_response)

    def cors(self, environ) -> list[tuple[str, str]]:
        origin = environ.get("HTTP_ORIGIN", "").rstrip("/")
        return [("Access-Control-Allow-Origin", origin)] if origin in self.hosts else []

    def back_link(self, url: str) -> str:
        """Where the page after a form post links back to: the article, if it is on the site."""
        if any(url == host or url.startswith(host + "/") for host in self.hosts):
            return url
        return self.hosts[0] + "/" if self.hosts else "/"

    def form_post(self, environ, start_response):
        """The form without JavaScript: a plain POST, answered by a page in French that links
        back to the article. The fields are those of the script's JSON."""
        try:
            length = min(int(environ.get("CONTENT_LENGTH") or 0), MAX_BODY)
        except ValueError:
            length = 0
        fields = parse_qs(environ["wsgi.input"].read(length).decode("utf-8", "replace"))

        def field(name: str) -> str:
            return fields.get(name, [""])[0].strip()

        data = {
            "author": field("author"), "website": field("website") or None,
            "email": field("email") or None, "text": fields.get("text", [""])[0],
            "title": field("title"), "reply_to": field("reply_to") or None,
            HONEYPOT: field(HONEYPOT), "notification": 1 if field("email") else 0,
        }  # fmt: skip
        body = json.dumps(data).encode("utf-8")
        inner = dict(environ)
        inner.update(
            {"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)), "PATH_INFO": "/new",
             "CONTENT_TYPE": "application/json"}
        )  # fmt: skip
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"] = status

        answer = json.loads(b"".join(self.new(inner, capture)))
        accepted = captured["status"].startswith(("201", "202"))
        message = MESSAGES["thanks"] if accepted else answer.get("message", "")
        back = html.escape(self.back_link(field("back")))
        page = (
            '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{'Merci' if accepted else 'Commentaire refusé'}</title></head><body>"
            f'<p role="status">{html.escape(message)}</p>'
            f'<p><a href="{back}">Retour au billet</a></p></body></html>'
        ).encode()
        start_response(
            "200 OK" if accepted else captured["status"],
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page))),
             ("Cache-Control", "no-store")],
        )  # fmt: skip
        return [page]

    def new(self, environ, start_response):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY:
            return json_response(
                start_response,
                "413 Payload Too Large",
                {"message": MESSAGES["too_big"]},
                self.cors(environ),
            )
        raw = environ["wsgi.input"].read(length) if length else b""
        try:
            data = json.loads(raw or b"null")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return json_response(
                start_response, "400 Bad Request", {"message": MESSAGES["json"]}, self.cors(environ)
            )
        problem = post_problem(data, self.limits)
        if problem:
            return json_response(
                start_response, "400 Bad Request", {"message": problem}, self.cors(environ)
            )
        reply_to = data.pop("reply_to", None)
        data.pop(HONEYPOT, None)
        uri = parse_qs(environ.get("QUERY_STRING", "")).get("uri", [""])[0]
        # A reply names the comment it answers by its id in the file (the page knows no other);
        # Isso gets the parent when that comment came from it.
        data["parent"] = isso_parent(self.db_path, reply_to, uri) if reply_to else None
        body = json.dumps(data).encode("utf-8")
        inner = dict(environ)
        inner.update({"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))})
        inner["HTTP_ACCEPT"] = "application/json"
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda chunk: None

        chunks = self.app(inner, capture)
        try:
            answer = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        status = captured["status"]
        headers = [
            (name, value)
            for name, value in captured["headers"]
            if name.lower() not in ("set-cookie", "x-set-cookie", "content-length")
        ]
        code = int(status.split()[0])
        if code in (201, 202):
            created = json.loads(answer)
            if reply_to:
                with sqlite3.connect(self.db_path) as db:
                    db.execute(
                        f"INSERT OR REPLACE INTO {REPLY_TABLE} VALUES (?, ?)",
                        (created["id"], reply_to),
                    )
            answer = json.dumps({"id": created["id"], "mode": created["mode"]}).encode()
        elif code >= 400:
            try:
                detail = str(json.loads(answer).get("message", ""))
            except ValueError:
                detail = answer.decode("utf-8", "replace")
            answer = json.dumps({"message": french(detail)}, ensure_ascii=False).encode("utf-8")
            headers = [(n, v) for n, v in headers if n.lower() != "content-type"]
            headers.append(("Content-Type", "application/json; charset=utf-8"))
        headers.append(("Content-Length", str(len(answer))))
        start_response(status, headers)
        return [answer]

    def moderation(self, environ, start_response, action: str):
        given = environ.get("HTTP_AUTHORIZATION", "")
        if not self.token or not hmac.compare_digest(
            given.encode(), f"Bearer {self.token}".encode()
        ):
            return json_response(
                start_response, "403 Forbidden", {"message": "jeton de modération refusé"}
            )
        method = environ.get("REQUEST_METHOD")
        if action == "comments" and method == "GET":
            query = environ.get("QUERY_STRING", "")
            mode = 1 if "mode=approved" in query else 2
            data = {
                "server": server_identity(self.db_path),
                "comments": listed_comments(self.db_path, mode),
            }
            return json_response(start_response, "200 OK", data)
        if action == "names" and method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                names = json.loads(environ["wsgi.input"].read(length) or b"[]")
                count = record_names(self.db_path, names)
            except (ValueError, KeyError, TypeError):
                return json_response(start_response, "400 Bad Request", {"message": "illisible"})
            return json_response(start_response, "200 OK", {"names": count})
        found = re.fullmatch(r"(approve|delete)/(\d+)", action)
        if found and method == "POST":
            done = self.moderate(found[1], int(found[2]))
            if not done:
                return json_response(
                    start_response, "404 Not Found", {"message": f"pas de commentaire {found[2]}"}
                )
            return json_response(start_response, "200 OK", {"done": found[1], "id": int(found[2])})
        return json_response(start_response, "404 Not Found", {"message": "inconnu"})
