"""The glue around Isso, the self-hosted comment server: guards, moderation, pull, local server.

``guard`` (a WSGI middleware in front of Isso), ``server`` (the application and ``python -m
commentserver``), ``local`` (a server on 127.0.0.1 with its SQLite under the cache, for ``make
serve`` and the tests), ``client`` (the moderation API, for ``make comments``) and ``pull``
(approved comments into ``content/comments/*.yml``).
"""
