"""Settings of the development build (``make build``, ``make serve``).

Every path below is relative to this file; a content folder given on the command line replaces
``PATH`` and brings its own ``data/`` files with it.
"""

AUTHOR = "Le Sens du client"
SITENAME = "Le Sens du client"
SITESUBTITLE = "L’expérience client, vue du côté du client"
SITEURL = ""
DEFAULT_LANG = "fr"
TIMEZONE = "Europe/Paris"

PATH = "content"
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
DEFAULT_CATEGORY = "Billets"
USE_FOLDER_AS_CATEGORY = False
DEFAULT_DATE = None

THEME = "theme"
THEME_STATIC_PATHS = ["static/favicon.svg", "static/partage.png", "static/fonts"]  # CSS: assets

# The plugins are the package ``plugins`` of this folder (shared code in ``plugins.core``).
PLUGIN_PATHS = ["."]
PLUGINS = [
    "plugins.authoring",
    "plugins.read_ahead",
    "plugins.french",
    "plugins.fragments",
    "plugins.redirects",  # at finalized, before strict_build: every page is written by then
    "plugins.assets",
    "plugins.media",
    "plugins.photos",
    "plugins.output_paths",
    "plugins.site_writer",
    "plugins.typography_fr",
    "plugins.series",
    "plugins.interviews",
    "plugins.authors",
    "plugins.search",
    "plugins.tags",
    "plugins.comments",
    "plugins.seo",
    "plugins.feeds",
    "plugins.strict_build",
]
STRICT_BUILD = False

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.attr_list": {},
        "markdown.extensions.codehilite": {"css_class": "highlight", "use_pygments": False},
        "markdown.extensions.toc": {},
    },
    "output_format": "html5",
}
# Metadata is text: autoescape everything, and mark rendered HTML (content, summary) safe.
# Each build runs in a fresh process (the dev server too), so templates cannot change during one:
# without auto_reload, Jinja stops checking every template file's date at each {% include %}.
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "auto_reload": False,
}
TYPOGRIFY = False  # typogrify's rules are English ones; typography_fr applies French rules

# Slugs: accents folded (Pelican does it), apostrophes separate words: "L'Oeil" -> "l-oeil".
SLUG_REGEX_SUBSTITUTIONS = [
    (r"['’]", " "),
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]

# URLs of the authoring contract: every URL ending in "/" is an index.html in its folder.
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
DRAFT_URL = "brouillons/{slug}/"
DRAFT_SAVE_AS = DRAFT_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
DRAFT_PAGE_URL = "brouillons/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_URL + "index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
CATEGORY_URL = "categories/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_URL = "categories/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
AUTHOR_URL = "auteurs/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
AUTHORS_URL = "auteurs/"
AUTHORS_SAVE_AS = AUTHORS_URL + "index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
YEAR_ARCHIVE_URL = "archives/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL + "index.html"
MONTH_ARCHIVE_URL = "archives/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_URL + "index.html"
INDEX_SAVE_AS = "index.html"
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives", "404"]

DEFAULT_PAGINATION = 10
SUMMARY_MAX_PARAGRAPHS = 1  # a generated summary is the first paragraph (AUTHORING.md)
SUMMARY_MAX_LENGTH = None  # whole: cutting it by word count left "comme on me l …"
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "author": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds need absolute links; the dev server overrides the port (tasks.py), and plugins.feeds
# puts feeds' ids and links on it when SITEURL is empty.
FEED_DOMAIN = "http://127.0.0.1:8000"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/categories/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tags/{slug}.atom.xml"
FEED_ATOM = None
FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
RSS_FEED_SUMMARY_ONLY = False
FEED_MAX_ITEMS = 20

CACHE_PATH = ".cache/pelican"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
# Pelican writes its cache again at the end of every warm build: compressing it cost more (1.4 s
# at 3,000 articles) than the few megabytes it saves on the author's disk.
GZIP_CACHE = False
DELETE_OUTPUT_DIRECTORY = True
OUTPUT_RETENTION = [".git"]
# The search index in two parts while previewing: Pagefind cannot update an index, so an edit
# makes it index again only the part with the edited page. The public site has one index, a
# single download for readers (publishconf.py).
SEARCH_PARTITIONS = 2

CONTACT_EMAIL = "bonjour@lesensduclient.example"
SEO_DEFAULT_IMAGE = "theme/partage.png"  # social card of pages without a cover (1200×630)
REACT_EMAIL = CONTACT_EMAIL  # "Réagir" on every article; empty to hide it
# Reader comments (plugins/comments): no comment server while previewing unless `make serve`
# starts one (it passes its address); the public one is in publishconf.py.
COMMENTS_URL = ""
COMMENTS_CLOSE_AFTER_DAYS = None
# An article's comments are shown on its own page only (listings show the count): for warm
# builds they count as its body, so an edited comment renders that page again, not every page.
SITE_WRITER_BODY_ATTRIBUTES = ("comments",)
MENU_LINKS = [
    ("Interviews", "interviews/"),
    ("Séries", "series/"),
    ("Tags", "tags/"),
    ("Archives", "archives/"),
    ("Glossaire", "glossaire/"),
]
