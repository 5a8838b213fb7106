"""``python -m plugins.search CONFIG``: one build's indexing process (``pagefind_feed``)."""

import sys

from .pagefind_feed import main

sys.exit(main(sys.argv))
