#!/bin/sh
# Nightly copy of the comment server's database (cron or a systemd timer), consistent while
# Isso runs (SQLite's online backup), keeping 30 days. Approved comments are also in the
# repository (content/comments/, pulled by make publish); this keeps the pending ones and the
# commenters' e-mails for reply notifications.
set -eu
DB=/var/lib/sens-du-client-comments/comments.sqlite
DEST=/var/backups/sens-du-client-comments
mkdir -p "$DEST"
sqlite3 "$DB" ".backup '$DEST/comments-$(date +%F).sqlite'"
find "$DEST" -name 'comments-*.sqlite' -mtime +30 -delete
