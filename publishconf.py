"""Settings of the public build (``make publish``): absolute URLs, strict checks, deploy target."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "https://www.lesensduclient.example")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
STRICT_BUILD = True
DELETE_OUTPUT_DIRECTORY = True
SEARCH_PARTITIONS = 1  # one index: readers' browsers load one Pagefind, not one per part
# Drafts are previewed with the dev server only; they never reach the public site.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

# The public comment server (deploy/comments/): the form posts there, make publish pulls the
# approved comments from it first (COMMENTS_TOKEN in the environment). Empty: no form.
COMMENTS_URL = os.environ.get("COMMENTS_URL", "")

DEPLOY_TARGET = "s3"
DEPLOY_S3_BUCKET = "lesensduclient-site"
DEPLOY_S3_ENDPOINT = ""
DEPLOY_S3_PREFIX = ""
DEPLOY_S3_REGION = "eu-west-3"
DEPLOY_RSYNC_DEST = ""
DEPLOY_GHPAGES_BRANCH = "gh-pages"
DEPLOY_CNAME = ""
