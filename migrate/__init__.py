"""Import an old blog into the content folder: ``python -m migrate EXPORT [--content …]``.

Readers per format (``movable_type``, ``wordpress``, ``feeds``: a file in, entries and
problems out), the ``mapper`` (series, questionnaires, tags, images, links, comments,
redirects, from the site's own data files), the ``writer`` (idempotent, keeps authors'
edits) and the ``report`` (``import-report.md``).
"""

from migrate.run import CannotImport, Result, detect, read_export, run_import

__all__ = ["CannotImport", "Result", "detect", "read_export", "run_import"]
