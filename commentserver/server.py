"""Isso's application behind our ``Guard``, and the command that serves it.

``python -m commentserver --config isso.cfg [--token-file F] [--max-length N] [--max-links N]``
serves on Isso's ``[server] listen`` address (werkzeug's threaded server, as ``isso run``
does). The moderation token comes from ``--token-file`` or ``COMMENTS_TOKEN``; without one the
moderation API is off.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from functools import partial
from urllib.parse import urlsplit

from itsdangerous import URLSafeTimedSerializer

from .guard import Guard, Limits


def build_app(config_path: str, token: str, limits: Limits):
    """Isso's WSGI application from its configuration file, wrapped in our guard."""
    from isso import config, make_app
    from isso.db import SQLite3

    conf = config.load(config.default_file(), config_path)
    app = make_app(conf)
    db_path = conf.get("general", "dbpath")
    database = SQLite3(db_path, conf)
    hosts = list(conf.getiter("general", "host"))
    signer = URLSafeTimedSerializer(database.preferences.get("session-key"))
    return Guard(app, db_path, token, limits, hosts, partial(moderate, app, signer)), conf


def moderate(app, signer, action: str, comment_id: int) -> bool:
    """Approve or delete one comment through Isso's own moderation link (the one its e-mail to
    the owner holds), so that Isso does what follows (notify the commenters waiting for a
    reply); False if the comment is unknown."""
    from werkzeug.test import Client

    verb = "activate" if action == "approve" else "delete"
    key = signer.dumps(comment_id)
    response = Client(app).post(f"/id/{comment_id}/{verb}/{key}")
    return response.status_code == 200


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m commentserver")
    parser.add_argument("--config", required=True)
    parser.add_argument("--token-file", default="")
    parser.add_argument("--max-length", type=int, default=Limits.max_length)
    parser.add_argument("--max-links", type=int, default=Limits.max_links)
    args = parser.parse_args(argv)
    token = os.environ.get("COMMENTS_TOKEN", "")
    if args.token_file:
        with open(args.token_file, encoding="utf-8") as source:
            token = source.read().strip()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s: %(message)s")
    app, conf = build_app(args.config, token, Limits(args.max_length, args.max_links))
    listen = urlsplit(conf.get("server", "listen"))
    if listen.scheme != "http" or not listen.port:
        sys.exit("[server] listen doit être http://HÔTE:PORT")
    from werkzeug.serving import run_simple

    run_simple(listen.hostname, listen.port, app, threaded=True)
