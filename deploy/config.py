"""Deploy settings: defaults in one place, read from publishconf.py, overridden by the environment.

Every ``DEPLOY_*`` setting below may be set in ``publishconf.py`` or in an environment variable of
the same name (the environment wins, even when empty: ``DEPLOY_S3_ENDPOINT=`` means AWS).
``SEARCH_ENABLED`` and ``SITEURL`` are build settings, read from the settings only.
Credentials are never settings: boto3 reads them from its usual places (environment, ~/.aws).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

TARGETS = ("s3", "rsync", "ghpages")

# name: (default, description). None means "required for its target".
SETTINGS: dict[str, tuple[object, str]] = {
    "DEPLOY_TARGET": (None, "where to publish: s3, rsync or ghpages"),
    "DEPLOY_S3_BUCKET": (None, "the bucket name, e.g. sens-du-client"),
    "DEPLOY_S3_ENDPOINT": ("", "empty for AWS, else the S3-compatible endpoint URL"),
    "DEPLOY_S3_PREFIX": ("", "a folder inside the bucket, e.g. blog/ (empty: bucket root)"),
    "DEPLOY_S3_REGION": ("", "e.g. eu-west-3 (empty: boto3's default region)"),
    "DEPLOY_S3_KEEP": (5, "how many deploys to keep for rollback"),
    "DEPLOY_S3_STORE_BUCKET": (
        "",
        "the private bucket keeping deploys for rollback (empty: the site's bucket name + "
        "'-deploys'); created on first use, never readable by the public",
    ),
    "DEPLOY_LOCK_WAIT": (0, "seconds to wait for another deploy to end (0: refuse at once)"),
    "DEPLOY_LOCK_EXPIRY": (3600, "seconds after which a deploy's lock counts as stale"),
    "DEPLOY_RSYNC_DEST": (None, "user@host:/path/ or a local path"),
    "DEPLOY_GHPAGES_BRANCH": ("gh-pages", "the branch GitHub Pages serves"),
    "DEPLOY_GHPAGES_REMOTE": ("origin", "the git remote to push the branch to"),
    "DEPLOY_CNAME": ("", "custom domain written to CNAME (GitHub Pages), e.g. www.example.org"),
    "DEPLOY_MAX_DELETED_PAGES": (0.2, "refuse to delete more than this share of the pages online"),
    "SEARCH_ENABLED": (True, "require the Pagefind index (pagefind/pagefind.js)"),
    "SITEURL": ("", "links starting with it are checked as internal links"),
}

REQUIRED_BY_TARGET = {
    "s3": ("DEPLOY_S3_BUCKET",),
    "rsync": ("DEPLOY_RSYNC_DEST",),
    "ghpages": ("DEPLOY_GHPAGES_BRANCH", "DEPLOY_GHPAGES_REMOTE"),
}

# Names that would mean credentials are kept in the repository.
FORBIDDEN = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


class DeployError(Exception):
    """A deploy that cannot go on; the message is one line for the maintainer."""


class DeployConfigError(DeployError):
    """A missing or wrong setting; the message names it and says what to set."""


@dataclass(frozen=True)
class DeployConfig:
    """Everything a deploy needs to know, validated."""

    target: str
    s3_bucket: str = ""
    s3_endpoint: str = ""
    s3_prefix: str = ""
    s3_region: str = ""
    s3_keep: int = 5
    s3_store_bucket: str = ""
    lock_wait: float = 0
    lock_expiry: float = 3600
    rsync_dest: str = ""
    ghpages_branch: str = "gh-pages"
    ghpages_remote: str = "origin"
    cname: str = ""
    max_deleted_pages: float = 0.2
    search_enabled: bool = True
    site_url: str = ""
    repo_dir: Path = field(default_factory=Path.cwd)

    def describe(self) -> str:
        """Where this config publishes, for messages."""
        if self.target == "s3":
            where = f"s3://{self.s3_bucket}/{self.s3_prefix}"
            return f"{where} at {self.s3_endpoint}" if self.s3_endpoint else where
        if self.target == "rsync":
            return self.rsync_dest
        return f"{self.ghpages_remote}/{self.ghpages_branch}"


def _missing(name: str) -> DeployConfigError:
    description = SETTINGS[name][1]
    return DeployConfigError(
        f"{name} is not set: set it in publishconf.py or the environment ({description})"
    )


def _as_bool(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise DeployConfigError(f"{name} is {value!r}: set it to true or false")


def _as_number(name: str, value: object, kind: type) -> int | float:
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise DeployConfigError(f"{name} is {value!r}: set it to a number") from None
    if number < 0:
        raise DeployConfigError(f"{name} is {value!r}: set it to a positive number")
    return number


def _normalize_prefix(prefix: str) -> str:
    prefix = prefix.strip().strip("/")
    return f"{prefix}/" if prefix else ""


def load_config(settings: Mapping[str, object], environ: Mapping[str, str] | None = None):
    """Build the DeployConfig from Pelican settings overridden by the environment."""
    environ = os.environ if environ is None else environ
    for name in FORBIDDEN:
        if settings.get(name):
            raise DeployConfigError(
                f"{name} is in the settings: remove it, credentials never go in the repository "
                "(use the environment or ~/.aws/credentials)"
            )

    def get(name: str) -> object:
        if name.startswith("DEPLOY_") and name in environ:
            return environ[name]
        value = settings.get(name)
        return SETTINGS[name][0] if value is None else value

    target = str(get("DEPLOY_TARGET") or "").strip().lower()
    if not target:
        raise _missing("DEPLOY_TARGET")
    if target not in TARGETS:
        raise DeployConfigError(
            f"DEPLOY_TARGET is {target!r}: set it to one of {', '.join(TARGETS)}"
        )
    for name in REQUIRED_BY_TARGET[target]:
        if not str(get(name) or "").strip():
            raise _missing(name)

    bucket = str(get("DEPLOY_S3_BUCKET") or "").strip()
    store = str(get("DEPLOY_S3_STORE_BUCKET") or "").strip() or (bucket and f"{bucket}-deploys")
    if target == "s3" and store == bucket:
        raise DeployConfigError(
            f"DEPLOY_S3_STORE_BUCKET is the site's bucket {bucket!r}: set another bucket, "
            "the public must not read the deploys kept for rollback"
        )
    endpoint = str(get("DEPLOY_S3_ENDPOINT") or "").strip()
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise DeployConfigError(
            f"DEPLOY_S3_ENDPOINT is {endpoint!r}: set it to an http(s):// URL, or empty for AWS"
        )
    return DeployConfig(
        target=target,
        s3_bucket=bucket,
        s3_endpoint=endpoint,
        s3_prefix=_normalize_prefix(str(get("DEPLOY_S3_PREFIX") or "")),
        s3_region=str(get("DEPLOY_S3_REGION") or "").strip(),
        s3_keep=max(1, int(_as_number("DEPLOY_S3_KEEP", get("DEPLOY_S3_KEEP"), int))),
        s3_store_bucket=store,
        lock_wait=float(_as_number("DEPLOY_LOCK_WAIT", get("DEPLOY_LOCK_WAIT"), float)),
        lock_expiry=float(_as_number("DEPLOY_LOCK_EXPIRY", get("DEPLOY_LOCK_EXPIRY"), float)),
        rsync_dest=str(get("DEPLOY_RSYNC_DEST") or "").strip(),
        ghpages_branch=str(get("DEPLOY_GHPAGES_BRANCH")).strip(),
        ghpages_remote=str(get("DEPLOY_GHPAGES_REMOTE")).strip(),
        cname=str(get("DEPLOY_CNAME") or "").strip(),
        max_deleted_pages=float(
            _as_number("DEPLOY_MAX_DELETED_PAGES", get("DEPLOY_MAX_DELETED_PAGES"), float)
        ),
        search_enabled=_as_bool("SEARCH_ENABLED", get("SEARCH_ENABLED")),
        site_url=str(get("SITEURL") or "").strip().rstrip("/"),
    )
