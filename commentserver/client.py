"""The moderation API of our guard, from the maintainer's side (``make comments``)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request


class ServerError(Exception):
    """The comment server could not be used; the message says why, in French."""


def call(url: str, token: str, path: str, method: str = "GET", payload=None):
    request = urllib.request.Request(
        f"{url.rstrip('/')}/moderation/{path}",
        method=method,
        headers={
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "Content-Type": "application/json",
        },
        data=json.dumps(payload).encode() if method == "POST" else None,
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read()).get("message", "")
        except ValueError:
            message = ""
        raise ServerError(f"{url} : {exc.code} {message}".strip()) from None
    except (urllib.error.URLError, OSError) as exc:
        raise ServerError(f"serveur de commentaires injoignable ({url}) : {exc}") from None


def pending(url: str, token: str) -> list[dict]:
    return call(url, token, "comments?mode=pending")["comments"]


def approved(url: str, token: str) -> tuple[str, list[dict]]:
    """The server's identity and its approved comments, oldest first."""
    data = call(url, token, "comments?mode=approved")
    return data["server"], data["comments"]


def approve(url: str, token: str, comment_id: int) -> None:
    call(url, token, f"approve/{comment_id}", "POST")


def delete(url: str, token: str, comment_id: int) -> None:
    call(url, token, f"delete/{comment_id}", "POST")


def tell_names(url: str, token: str, names: dict[int, str]) -> None:
    """Tell the server the id each of its comments has in the files (after a pull)."""
    payload = [{"id": key, "file_id": value} for key, value in sorted(names.items())]
    call(url, token, "names", "POST", payload)
