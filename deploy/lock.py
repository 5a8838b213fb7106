"""What every target's deploy lock says: who holds it, until when, and why a deploy must wait.

Each target creates its lock in its own way, atomically (S3: a conditional put; rsync: a
directory made with ``mkdir``); the record inside, and the messages, are the same.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import socket
import time
import uuid


def iso(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="seconds")


def owner_name() -> str:
    return f"{getpass.getuser()}@{socket.gethostname()} (pid {os.getpid()})"


def new_token() -> str:
    return uuid.uuid4().hex


def record(token: str, expiry: float, now: float | None = None) -> dict:
    """The lock's content: its owner (and where it runs), when it was taken, when it expires."""
    now = time.time() if now is None else now
    return {
        "owner": owner_name(),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "token": token,
        "created": iso(now),
        "expires": iso(now + expiry),
        "expires_at": now + expiry,
    }


def is_dead_here(held: dict) -> bool:
    """True when the lock was taken on this machine by a process that is gone (killed, or a
    network cut kept it from removing its lock)."""
    if held.get("host") != socket.gethostname() or not isinstance(held.get("pid"), int):
        return False
    try:
        os.kill(held["pid"], 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def held_message(held: dict, where: str, now: float) -> str:
    """Why this deploy cannot start: another one runs, or died leaving its lock."""
    owner, since = held.get("owner", "?"), held.get("created", "?")
    if now >= float(held.get("expires_at", 0)):
        return (
            f"a stale lock on {where} (taken by {owner} at {since}, expired at "
            f"{held.get('expires', '?')}): no deploy should be running; make sure, then run "
            "again with --break-lock (make publish BREAK_LOCK=1)"
        )
    return (
        f"another deploy is running on {where}: {owner} since {since} (its lock expires at "
        f"{held.get('expires', '?')}); wait for it to end, set DEPLOY_LOCK_WAIT to wait, or, "
        "if it died, run again with --break-lock"
    )
