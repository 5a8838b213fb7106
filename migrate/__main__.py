"""Command line of the import (``make import FROM=…`` calls it through invoke)."""

from __future__ import annotations

import argparse
import os
import sys

from migrate.run import REPORT, CannotImport, run_import


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m migrate", description=__doc__)
    parser.add_argument("source", help="export Movable Type/TypePad, WordPress WXR, RSS ou Atom")
    parser.add_argument("--content", default="content", help="dossier de contenu (content/)")
    parser.add_argument("--assets", default=None, help="copie wget --mirror de l'ancien site")
    parser.add_argument("--old-base", default="", help="adresse de l'ancien blog")
    parser.add_argument("--settings", default="pelicanconf.py", help="réglages du site")
    parser.add_argument("--force", action="store_true", help="remplacer les fichiers modifiés")
    args = parser.parse_args(argv)
    from pelican.settings import read_settings

    settings = read_settings(args.settings, override={"PATH": os.path.abspath(args.content)})
    try:
        result = run_import(
            args.source, args.content, settings, args.assets, args.old_base, args.force
        )
    except CannotImport as exc:
        print(f"Import impossible : {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a content folder that cannot be written
        print(f"Import impossible : {exc.filename or ''} : {exc.strerror}", file=sys.stderr)
        return 2
    print(result.report)
    print(result.summary)
    print(f"Rapport écrit dans {os.path.join(args.content, REPORT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
