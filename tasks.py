"""Maintainer tasks (invoke): build, serve, publish, test, bench. ``make`` targets call these."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent

CONFIG = {
    "content": "content",
    "output": "output",
    "settings_dev": "pelicanconf.py",
    "settings_publish": "publishconf.py",
    "host": "127.0.0.1",
    "port": 8000,
    "comments_cache": ".cache/comments",  # the local comment server's SQLite, token, log
    # Debian packages the test suite drives for real (browser, HTML validator, rsync target
    # over SSH), each with what shows it installed.
    "test_debian_packages": {
        "chromium": "/usr/bin/chromium",
        "default-jre-headless": "java",
        "rsync": "rsync",
        "openssh-server": "/usr/sbin/sshd",
        "git": "git",
        # The font packages the theme's web fonts are cut from (make fonts).
        "fonts-sil-charis": "/usr/share/fonts/truetype/charis/CharisSIL-Regular.ttf",
        "fonts-inter": "/usr/share/fonts/opentype/inter/Inter-Regular.otf",
    },
}


def pelican_command(
    settings_file: str, output: str, *extra: str, content: str = CONFIG["content"]
) -> list[str]:
    """The Pelican command line for one build of the site."""
    return [
        str(VENV_BIN / "pelican"),
        content,
        "--settings",
        settings_file,
        "--output",
        output,
        *extra,
    ]


def run_pelican(c, settings_file: str, output: str, *extra: str) -> None:
    """Run Pelican; a failed build stops the task with Pelican's status."""
    c.run(subprocess.list2cmdline(pelican_command(settings_file, output, *extra)), pty=False)


@task
def build(c, output=CONFIG["output"]):
    """Build the site with the development settings into output/."""
    run_pelican(c, CONFIG["settings_dev"], output)


def live_site(host: str, port: int, comments_url: str = ""):
    """The site ``make serve`` keeps built: content/ into output/, warm, in this process; its
    form posts to the local comment server at ``comments_url``."""
    from preview import LiveSite

    overrides = {"FEED_DOMAIN": f"http://{host}:{port}", "COMMENTS_URL": comments_url}
    return LiveSite(
        ROOT / CONFIG["settings_dev"], ROOT / CONFIG["content"], ROOT / CONFIG["output"], overrides
    )


def start_preview_server(host: str, port: int):
    """Serve output/ with reloads and the error overlay, from a background thread."""
    from preview import Broadcaster, start_server

    broadcaster = Broadcaster()
    start_server(ROOT / CONFIG["output"], host, port, broadcaster)
    return broadcaster


def watch_and_rebuild(site, broadcaster) -> bool:
    """Build again on every save until Ctrl-C; True when our plugins' code changed (restart)."""
    from preview import watch_and_build

    watched = [
        ROOT / CONFIG["content"],
        ROOT / "theme",
        ROOT / "plugins",
        ROOT / CONFIG["settings_dev"],
    ]
    return watch_and_build(site, broadcaster, watched, code_folder=ROOT / "plugins")


@task
def serve(c, port=CONFIG["port"], host=CONFIG["host"]):
    """Build, serve on http://127.0.0.1:PORT; every save is built again in this same process and
    the open pages it changed reload (problems shown over the page)."""
    import logging

    from pelican.log import init as init_logging

    from preview import report

    port = int(port)
    init_logging(level=logging.WARNING)
    comments_server = start_comment_server(host, port)
    site = live_site(host, port, comments_url=comments_server.url)
    first = site.build()
    report(first)
    broadcaster = start_preview_server(host, port)
    broadcaster.publish(first)
    print(f"Le site est servi sur http://{host}:{port}/ (Ctrl-C pour arrêter)", flush=True)
    try:
        restart = watch_and_rebuild(site, broadcaster)
    finally:
        comments_server.stop()
    if restart:
        print("Code des plugins modifié : le processus d'aperçu redémarre.", flush=True)
        os.execv(sys.executable, [sys.executable, *sys.argv])


# --- Reader comments (issue 18): the local comment server, moderation, pull -----------------


def start_comment_server(host: str, port: int):
    """A local comment server (Isso behind our guard) for ``make serve``: its SQLite under
    the cache, the site's address allowed to post; stopped with the dev server."""
    from commentserver import local

    origins = [f"http://{host}:{port}", f"http://localhost:{port}"]
    server = local.start(ROOT / CONFIG["comments_cache"], origins)
    print(f"Serveur de commentaires local sur {server.url} (make comments pour modérer)")
    return server


def comment_server_access(settings_file: str = CONFIG["settings_publish"]):
    """``(url, token)`` of the comment server to moderate: the public one when
    ``COMMENTS_TOKEN`` is set (``COMMENTS_URL`` from the environment or publishconf.py), else
    the local one ``make serve`` runs; None when there is neither."""
    from pelican.settings import read_settings

    from commentserver import local

    token = os.environ.get("COMMENTS_TOKEN", "")
    if token:
        url = os.environ.get("COMMENTS_URL") or read_settings(str(ROOT / settings_file)).get(
            "COMMENTS_URL", ""
        )
        return (url, token) if url else None
    return local.running(ROOT / CONFIG["comments_cache"])


def pull_comments(url: str, token: str, content: str = CONFIG["content"]) -> list[str]:
    """Approved comments from the server into content/comments/ (see commentserver.pull)."""
    from zoneinfo import ZoneInfo

    from pelican.settings import read_settings

    from commentserver import client
    from commentserver.pull import pull

    settings = read_settings(str(ROOT / CONFIG["settings_dev"]))
    folder = ROOT / content / settings.get("COMMENTS_DIR", "comments")
    server, approved = client.approved(url, token)
    zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    report = pull(str(folder), server, approved, zone)
    client.tell_names(url, token, report.names)
    return report.lines()


@task
def comments(c, approve="", delete="", pull=True, content=CONFIG["content"]):
    """Moderate and pull reader comments: list pending ones, approve/delete by id (``1,2``),
    then pull the approved ones into content/comments/."""
    from commentserver import client

    access = comment_server_access()
    if access is None:
        raise SystemExit(
            "Aucun serveur de commentaires : lancez make serve (serveur local), ou donnez "
            "COMMENTS_TOKEN (et COMMENTS_URL, sinon celui de publishconf.py)."
        )
    url, token = access
    try:
        for action, ids in (("approve", approve), ("delete", delete)):
            for comment_id in (part.strip() for part in str(ids).split(",") if part.strip()):
                getattr(client, action)(url, token, int(comment_id))
                print(("approuvé : " if action == "approve" else "supprimé : ") + comment_id)
        waiting = client.pending(url, token)
        print(f"{len(waiting)} commentaire(s) en attente sur {url}")
        for item in waiting:
            text = " ".join(item["text"].split())
            print(f"  [{item['id']}] {item['uri']} · {item['author'] or 'Anonyme'} : {text[:100]}")
        if pull:
            for line in pull_comments(url, token, content) or ["content/comments/ est à jour"]:
                print(line)
    except client.ServerError as error:
        raise SystemExit(f"Commentaires : {error}") from None


def deploy_config(settings_file: str):
    """The deploy settings of a settings file, environment variables taking precedence."""
    from pelican.settings import read_settings

    from deploy import load_config

    settings = read_settings(str(ROOT / settings_file))
    return load_config(settings, os.environ)


@task
def publish(
    c,
    dry_run=False,
    force=False,
    break_lock=False,
    content=CONFIG["content"],
    output=CONFIG["output"],
):
    """Strict build with publishconf.py, check the output, then deploy it."""
    from deploy import DeployError, deploy

    try:
        config = deploy_config(CONFIG["settings_publish"])
    except DeployError as error:
        raise SystemExit(f"Publication impossible : {error}") from None
    pull_comments_before_publish(content)
    command = pelican_command(CONFIG["settings_publish"], output, content=content)
    if subprocess.run(command).returncode != 0:
        raise SystemExit(
            "Publication annulée : la construction stricte a échoué, rien n'a été envoyé."
        )
    try:
        deploy(output, config, dry_run=dry_run, force=force, break_lock=break_lock)
    except DeployError as error:
        raise SystemExit(f"Publication annulée : {error}") from None


def pull_comments_before_publish(content: str) -> None:
    """With a public comment server (``COMMENTS_URL``), bring its approved comments into the
    content before the strict build, so that every published page carries them."""
    from pelican.settings import read_settings

    from commentserver import client

    url = os.environ.get("COMMENTS_URL") or read_settings(
        str(ROOT / CONFIG["settings_publish"])
    ).get("COMMENTS_URL", "")
    if not url:
        return
    token = os.environ.get("COMMENTS_TOKEN", "")
    if not token:
        raise SystemExit(
            "Publication annulée : COMMENTS_URL est réglé mais COMMENTS_TOKEN manque "
            "(le jeton de modération du serveur de commentaires) ; les commentaires approuvés "
            "ne peuvent pas être récupérés."
        )
    try:
        for line in pull_comments(url, token, content):
            print(f"commentaires : {line}")
    except client.ServerError as error:
        raise SystemExit(f"Publication annulée : commentaires : {error}") from None


@task
def rollback(c, dry_run=False, break_lock=False):
    """Put the previous deploy back online (S3 and GitHub Pages targets)."""
    from deploy import DeployError
    from deploy import rollback as rollback_deploy

    try:
        config = deploy_config(CONFIG["settings_publish"])
        rollback_deploy(config, dry_run=dry_run, break_lock=break_lock)
    except DeployError as error:
        raise SystemExit(f"Retour arrière impossible : {error}") from None


@task
def forget(c, path, break_lock=False, output=CONFIG["output"]):
    """Take a file down: from the site online and from every deploy kept for rollback."""
    from deploy import DeployError
    from deploy import forget as forget_file
    from deploy.site import site_path

    try:
        forget_file(deploy_config(CONFIG["settings_publish"]), path, break_lock=break_lock)
    except DeployError as error:
        raise SystemExit(f"Retrait impossible : {error}") from None
    if (ROOT / output / site_path(path)).exists():
        print(
            f"Attention : {output}/{site_path(path)} existe encore ; retirez sa source, sinon "
            "la prochaine publication le remettra en ligne."
        )


@task(name="import")
def import_blog(c, source, content=CONFIG["content"], assets="", old_base="", force=False):
    """Import an old blog (Movable Type/TypePad, WordPress WXR, RSS/Atom) into the content."""
    command = [str(VENV_BIN / "python"), "-m", "migrate", source, "--content", content]
    command += ["--settings", CONFIG["settings_dev"]]
    command += ["--assets", assets] if assets else []
    command += ["--old-base", old_base] if old_base else []
    command += ["--force"] if force else []
    status = subprocess.run(command, cwd=ROOT).returncode
    if status:
        raise SystemExit(status)


def missing_debian_packages() -> list[str]:
    """The Debian packages the tests need that this machine lacks."""
    missing = []
    for package, probe in CONFIG["test_debian_packages"].items():
        present = os.path.exists(probe) if probe.startswith("/") else shutil.which(probe)
        if not present:
            missing.append(package)
    return missing


@task
def system_deps(c):
    """Install the Debian packages the tests need (chromium, a Java runtime, rsync, sshd) when
    one is missing: the system step of ``make install``, never run by the tests."""
    missing = missing_debian_packages()
    if not missing:
        return
    sudo = "" if os.geteuid() == 0 else "sudo "
    print(f"Installation des paquets Debian nécessaires aux tests : {' '.join(missing)}")
    quiet = {"env": {"DEBIAN_FRONTEND": "noninteractive"}, "hide": "out"}
    c.run(f"{sudo}apt-get update -qq", **quiet)
    c.run(f"{sudo}apt-get install -y -qq --no-install-recommends {' '.join(missing)}", **quiet)


@task
def lint(c):
    """Ruff: lint and formatting check."""
    c.run(f"{VENV_BIN / 'ruff'} check .")
    c.run(f"{VENV_BIN / 'ruff'} format --check .")


@task(pre=[lint])
def test(c):
    """Run the whole test suite (unit, site builds, browser, servers); installs nothing."""
    missing = missing_debian_packages()
    if missing:
        raise SystemExit(
            f"Paquets Debian manquants pour les tests : {' '.join(missing)} ; "
            "lancez make install (ou make test), qui les installe."
        )
    c.run(f"{VENV_BIN / 'pytest'} -q", pty=False)


@task
def fonts(c):
    """Cut the theme's WOFF2 fonts from the Debian font packages (theme/fonts/make_fonts.py)."""
    c.run(f"{VENV_BIN / 'python'} {ROOT / 'theme' / 'fonts' / 'make_fonts.py'}", pty=False)


@task
def bench(c, sizes=""):
    """Benchmark the build against vanilla Pelican on generated content."""
    sizes_option = f" --sizes {sizes}" if sizes else ""
    with c.cd(str(ROOT)):
        c.run(f"{VENV_BIN / 'python'} -m benchmarks.run{sizes_option}", pty=False)
