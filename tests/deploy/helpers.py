"""Helpers for deploy tests: small generated sites, a SeaweedFS S3 server, bucket snapshots."""

from __future__ import annotations

import contextlib
import getpass
import json
import shlex
import signal
import socket
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEED = Path(sys.executable).parent / "weed"
ACCESS_KEY, SECRET_KEY = "deploytests", "deploytests-secret"
SITE_URL = "https://sensduclient.example"
CSS_V1 = "theme/css/site.3f2a9c1b.css"
CSS_V2 = "theme/css/site.7e1d4a20.css"

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/{css}">
<link rel="alternate" type="application/atom+xml" href="{site}/feeds/all.atom.xml">
<meta property="og:image" content="{site}/images/logo.png">
</head><body>
<nav><a href="/">Accueil</a> <a href="/blog/">Blog</a> <a href="#contenu">Aller au contenu</a></nav>
<main id="contenu"><h1 id="titre">{title}</h1>
<img src="/images/logo.png" srcset="/images/logo.png 1x, /images/logo@2x.png 2x" alt="">
<p>{body}</p>
{links}
<a href="https://example.org/ailleurs">ailleurs</a> <a href="mailto:ecrire@example.org">écrire</a>
</main><script src="/pagefind/pagefind.js" type="module"></script></body></html>
"""

FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Le Sens du client</title>
<link href="{site}/" rel="alternate"/><id>{site}/</id><updated>2024-01-01T00:00:00+00:00</updated>
{entries}</feed>
"""


def write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def make_site(dest: Path, pages: int = 4, css: str = CSS_V1, body: str = "Bonjour") -> Path:
    """A small built site: home, blog index, N articles, a fingerprinted CSS, a feed, Pagefind."""
    articles = [f"blog/article-{n}.html" for n in range(1, pages + 1)]

    def page(title: str, links: list[str]) -> str:
        anchors = "\n".join(f'<a href="/{link}#titre">{link}</a>' for link in links)
        return PAGE.format(title=title, css=css, site=SITE_URL, body=body, links=anchors)

    write(dest / "index.html", page("Accueil", articles[:3]))
    write(dest / "blog/index.html", page("Blog", articles))
    for number, article in enumerate(articles, 1):
        write(dest / article, page(f"Article {number}", ["blog/index.html"]))
    write(dest / css, f"body{{background:url(../../images/fond.png)}} /* {css} */\n")
    for image in ("images/logo.png", "images/logo@2x.png", "images/fond.png"):
        write(dest / image, b"\x89PNG\r\n\x1a\n" + image.encode())
    entries = "".join(
        f"<entry><title>{a}</title><link href='{SITE_URL}/{a}'/><id>{a}</id>"
        "<updated>2024-01-01T00:00:00+00:00</updated></entry>"
        for a in articles
    )
    write(dest / "feeds/all.atom.xml", FEED.format(site=SITE_URL, entries=entries))
    write(dest / "pagefind/pagefind.js", "export async function search(){}\n")
    write(dest / "pagefind/pagefind-entry.json", json.dumps({"version": "1.5.2"}))
    write(dest / "pagefind/wasm.fr.pagefind", b"\x1f\x8bwasm")
    write(dest / "pagefind/fragment/fr_85167a5.pf_fragment", b"\x1f\x8bfragment")
    write(dest / "pagefind/index/fr_75b914f.pf_index", b"\x1f\x8bindex")
    write(dest / "pagefind/pagefind.fr_1b82357726.pf_meta", b"\x1f\x8bmeta")
    return dest


def site_files(site: Path) -> dict[str, bytes]:
    """The files a reader may get: hidden ones (``.git/``) are never published."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(site).parts)
    }


# --- SeaweedFS ------------------------------------------------------------------------------


def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 (all held open together, so they are distinct)."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]


class SeaweedS3:
    """A running ``weed mini`` and how to reach its S3 API."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.ports = free_ports(10)
        self.endpoint = f"http://127.0.0.1:{self.ports[6]}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        data, logs = self.workdir / "data", self.workdir / "logs"
        data.mkdir(parents=True)
        logs.mkdir()
        config = self.workdir / "s3.json"
        identity = {
            "name": "ci",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        }
        identity["actions"] = ["Admin", "Read", "List", "Tagging", "Write"]
        config.write_text(json.dumps({"identities": [identity]}))
        names = [
            "master.port",
            "master.port.grpc",
            "volume.port",
            "volume.port.grpc",
            "filer.port",
            "filer.port.grpc",
            "s3.port",
            "s3.port.grpc",
            "admin.port",
            "admin.port.grpc",
        ]
        command = [str(WEED), f"-logdir={logs}", "mini", f"-dir={data}"]
        command += ["-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-s3.config={config}"]
        command += ["-webdav=false", "-admin.ui=false", "-s3.port.iceberg=0", "-s3.port.lance=0"]
        command += ["-master.telemetry=false"]
        command += [f"-{name}={port}" for name, port in zip(names, self.ports, strict=True)]
        command += [f"-filer.localSocket={self.workdir}/filer.sock"]
        command += [f"-s3.localSocket={self.workdir}/s3.sock"]
        self.process = subprocess.Popen(
            command,
            stdout=(self.workdir / "weed.out").open("wb"),
            stderr=subprocess.STDOUT,
            cwd=self.workdir,
        )
        self.wait_ready()

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
        )

    def wait_ready(self, timeout: float = 30) -> None:
        client, deadline = self.client(), time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                log = (self.workdir / "weed.out").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"weed mini exited with {self.process.returncode}:\n{log}")
            try:
                client.list_buckets()
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for port in self.ports:
            for sock in Path("/tmp").glob(f"seaweedfs-*-grpc-{port}.sock"):
                sock.unlink(missing_ok=True)


# --- OpenSSH ---------------------------------------------------------------------------------

SSHD = "/usr/sbin/sshd"  # sshd must be started by its absolute path


class SshServer:
    """A running ``sshd`` on 127.0.0.1 that lets in the key it was given, and how to reach it."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_ports(1)[0]
        self.key = workdir / "client_key"
        self.process: subprocess.Popen | None = None

    @property
    def user_host(self) -> str:
        return f"{getpass.getuser()}@127.0.0.1"

    @property
    def rsync_rsh(self) -> str:
        """The ssh command rsync (and the deploy's lock) use to reach this server."""
        return self.ssh_command(self.key)

    def ssh_command(self, key: Path, shared: bool = True) -> str:
        """ssh with a key; ``shared``: one connection for the many of a deploy (lock, dry run,
        four passes), kept by a master process that ``stop`` ends."""
        options = [
            f"-p {self.port}",
            f"-i {key}",
            "-o IdentitiesOnly=yes",
            "-o BatchMode=yes",
            "-o StrictHostKeyChecking=no",
            f"-o UserKnownHostsFile={self.workdir / 'known_hosts'}",
            "-F /dev/null",  # not the machine's ~/.ssh/config
        ]
        if shared:
            options += [
                "-o ControlMaster=auto",
                f"-o ControlPath={self.workdir / 'control-%C'}",
                "-o ControlPersist=60",
            ]
        return "ssh " + " ".join(options)

    def start(self) -> None:
        keygen = ["ssh-keygen", "-q", "-t", "ed25519", "-N", ""]
        subprocess.run([*keygen, "-f", str(self.key)], check=True)
        host_key = self.workdir / "host_key"
        subprocess.run([*keygen, "-f", str(host_key)], check=True)
        authorized = self.workdir / "authorized_keys"
        authorized.write_bytes(Path(f"{self.key}.pub").read_bytes())
        config = self.workdir / "sshd_config"
        config.write_text(
            textwrap.dedent(
                f"""\
                Port {self.port}
                ListenAddress 127.0.0.1
                HostKey {host_key}
                PidFile {self.workdir / "sshd.pid"}
                AuthorizedKeysFile {authorized}
                StrictModes no
                UsePAM no
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PermitRootLogin prohibit-password
                """
            )
        )
        Path("/run/sshd").mkdir(exist_ok=True)  # its privilege separation directory
        self.process = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(config)],
            stdout=(self.workdir / "sshd.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 15
        while True:
            if self.process.poll() is not None:
                log = (self.workdir / "sshd.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"sshd exited with {self.process.returncode}:\n{log}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            if time.monotonic() > deadline:
                raise RuntimeError("sshd did not listen within 15 s")
            time.sleep(0.1)

    def stop(self) -> None:
        # The shared connection first (its master process and its sshd child end with it).
        command = [*shlex.split(self.rsync_rsh), "-O", "exit", self.user_host]
        subprocess.run(command, capture_output=True, timeout=30, check=False)
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def bucket_state(client, bucket: str, prefix: str = "") -> dict[str, tuple]:
    """Every object: key → (bytes, Content-Type, Cache-Control)."""
    state = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            got = client.get_object(Bucket=bucket, Key=item["Key"])
            state[item["Key"]] = (
                got["Body"].read(),
                got.get("ContentType"),
                got.get("CacheControl"),
            )
    return state


def public_state(client, bucket: str) -> dict[str, tuple]:
    """The site's bucket: everything in it is public."""
    return bucket_state(client, bucket)


def store_of(bucket: str) -> str:
    """The private store of a site's bucket (DEPLOY_S3_STORE_BUCKET's default)."""
    return f"{bucket}-deploys"


def read_json(client, bucket: str, key: str) -> dict:
    return json.loads(client.get_object(Bucket=bucket, Key=key)["Body"].read())


def public_read_policy(bucket: str) -> str:
    """A bucket policy letting anyone read the objects (not list them): a public website."""
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": ["s3:GetObject"],
        "Resource": [f"arn:aws:s3:::{bucket}/*"],
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def anonymous_status(endpoint: str, bucket: str, key: str) -> int:
    """The HTTP status an anonymous reader gets for one object."""
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config
    from botocore.exceptions import ClientError

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        config=Config(signature_version=UNSIGNED, s3={"addressing_style": "path"}),
    )
    try:
        client.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as error:
        return error.response["ResponseMetadata"]["HTTPStatusCode"]
    return 200


def download(client, bucket: str, dest: Path) -> Path:
    """The public site as a folder, to run the link checker on what readers get."""
    for key, (data, _, _) in public_state(client, bucket).items():
        write(dest / key, data)
    return dest


def write_settings(path: Path, settings: dict) -> Path:
    lines = [f"{name} = {value!r}" for name, value in settings.items()]
    path.write_text(textwrap.dedent("\n".join(lines)) + "\n", encoding="utf-8")
    return path


def git(*args, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def with_repo(config, repo: Path):
    return replace(config, repo_dir=repo)
