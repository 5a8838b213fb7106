"""One fingerprinted stylesheet made of the theme's per-component CSS files.

The theme keeps one small CSS file per component (``theme/static/css/NN-name.css``, applied in
name order); readers download one minified file whose name carries its content hash, so it can
be cached for a year and a deploy never serves a page with a stylesheet of another version. No asset
pipeline on PyPI fits a Pelican theme without Node or a watcher (webassets needs its own
configuration and cache dir for this one concatenation), hence these few lines.

Template variable: ``CSS_URL`` (path of the bundle, relative to the site root).
Settings: ``ASSETS_CSS_DIR`` (default ``static/css`` in the theme), ``ASSETS_OUTPUT_DIR``
(default ``theme``). Other static files in ``theme/static`` (except ``css/``) are copied as is
by Pelican's ``THEME_STATIC_PATHS``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import rcssmin
from pelican import signals

from plugins.core.settings import PluginSettings

PLUGIN_NAME = "assets"
SETTINGS_DEFAULTS = {"ASSETS_CSS_DIR": "static/css", "ASSETS_OUTPUT_DIR": "theme"}
SETTINGS = PluginSettings(PLUGIN_NAME, SETTINGS_DEFAULTS)


def bundle_css(css_dir: Path) -> tuple[str, str]:
    """The concatenated and minified stylesheet of a folder, and its short content hash."""
    parts = [path.read_text(encoding="utf-8") for path in sorted(css_dir.glob("*.css"))]
    # The theme's files are written to be read (comments say why): readers get them without
    # comments and spaces, a fifth lighter (rcssmin, a well-kept minifier in C).
    text = rcssmin.cssmin("\n".join(parts)) + "\n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return text, digest


def css_location(settings: dict) -> tuple[Path, str]:
    """The theme's CSS folder and the output folder of the bundle, defaults applied."""
    options, _ = SETTINGS.resolve(settings)
    return Path(settings["THEME"]) / options["ASSETS_CSS_DIR"], options["ASSETS_OUTPUT_DIR"]


def publish_css_url(generators) -> None:
    """Give the templates the bundle's URL; runs on every (auto)rebuild, after reading."""
    generator = generators[0]
    css_dir, output_dir = css_location(generator.settings)
    _, digest = bundle_css(css_dir)
    # The context dict is shared by every generator of this build.
    generator.context["CSS_URL"] = f"{output_dir}/site.{digest}.css"


def write_bundle(pelican) -> None:
    """Write the stylesheet into the output folder."""
    css_dir, output_dir = css_location(pelican.settings)
    text, digest = bundle_css(css_dir)
    target = os.path.join(pelican.output_path, output_dir, f"site.{digest}.css")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as out:
        out.write(text)
    remove_earlier_bundles(Path(target))


def remove_earlier_bundles(bundle: Path) -> None:
    """Delete the bundles of earlier stylesheets: a warm build keeps the output folder, where a
    cold build would not have them (no page links to them any more)."""
    for earlier in bundle.parent.glob("site.*.css"):
        if earlier != bundle:
            earlier.unlink()


def register():
    signals.all_generators_finalized.connect(publish_css_url)
    signals.finalized.connect(write_bundle)
