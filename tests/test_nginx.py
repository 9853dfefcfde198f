"""A build served by a real nginx, under a subpath, answers 200 for every page and asset.

nginx runs as this test's user with its configuration, pid file, logs and temporary
folders in a temp folder; its workers run as `nobody` when the test runs as root, so
a file or folder that only its owner may read (0700, 0600) is refused with 403, as a
server's own user meets it. Every file of the build is fetched, and every href and
src of every page that points into the site.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import copy_example

NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.path.isfile(p)), None)
SUBPATH = "/desk/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def config(folder: Path, out: Path, port: int) -> Path:
    temp = folder / "temp"
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / name).mkdir(parents=True)
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    mime = next((p for p in ("/etc/nginx/mime.types",) if os.path.isfile(p)), None)
    path = folder / "nginx.conf"
    path.write_text(f"""{user}daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    {f"include {mime};" if mime else ""}
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location {SUBPATH} {{ alias {out}/; }}
    }}
}}
""", encoding="utf-8")
    return path


class Nginx:
    """An nginx of this test's own, on a free port chosen before the build (its address is the base_url)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self, out: Path) -> None:
        conf = config(self.folder, out, self.port)
        self.process = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(self.folder)],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"nginx did not start: {self.process.stdout.read().decode(errors='replace')}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        pytest.fail("nginx did not listen within 20 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def nginx(tmp_path):
    if NGINX is None:
        pytest.skip("nginx is not installed (Debian package nginx; tests/tools/install.sh installs it)")
    server = Nginx(tmp_path / "nginx")
    yield server
    server.stop()


@pytest.fixture
def reachable():
    """Lets others (nobody) through the folders above a path, as pytest makes its temp folders 0700;
    puts their modes back after the test. The build's own modes are left as the build made them."""
    changed: list[tuple[Path, int]] = []

    def open_up(path: Path) -> None:
        for folder in [path, *path.parents]:
            mode = folder.stat().st_mode
            if not mode & 0o001:
                changed.append((folder, mode))
                folder.chmod(mode | 0o005)

    yield open_up
    for folder, mode in reversed(changed):
        folder.chmod(mode)


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def links(page: bytes, url: str, base: str) -> set[str]:
    """The paths of every href and src of a page that lead into the site (fragments left off)."""
    soup = BeautifulSoup(page, "html.parser")
    given = soup.find("base", href=True)  # links resolve against <base href> where a page has one, as browsers do
    url = urljoin(url, given["href"]) if given else url
    found = set()
    for el in soup.find_all(href=True) + soup.find_all(src=True):
        if el.name == "base":
            continue
        for value in filter(None, (el.get("href"), el.get("src"))):
            target = urlsplit(urljoin(url, value))
            if f"{target.scheme}://{target.netloc}{target.path}".startswith(base):
                found.add(target.path)
    return found


@pytest.mark.slow
def test_nginx_serves_every_page_and_asset_of_a_build_under_a_subpath(tmp_path, nginx, reachable):
    site = copy_example(tmp_path / "site")
    out = tmp_path / "public" / "build"
    port = nginx.port
    base = f"http://127.0.0.1:{port}{SUBPATH}"
    assert site.build("--out", str(out), "--base-url", base) == 0
    reachable(out.parent)
    nginx.start(out)
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert len(files) > 50
    failed = {}
    pages = {}
    for name in files:
        path = SUBPATH + name
        status, body = get(port, path)
        if status != 200:
            failed[path] = status
        elif name.endswith(".html"):
            pages[path] = body
    followed = set()
    for path, body in pages.items():
        url = f"http://127.0.0.1:{port}{path}"
        followed |= links(body, url, base)
    assert followed, "no page links into the site"
    for path in sorted(followed):
        status, _ = get(port, path)
        if status != 200:
            failed[path] = status
    assert not failed, f"nginx answered other than 200: {failed}"
    # The folder addresses the pages link to are served (index.html), and the site's root too.
    assert SUBPATH in followed or get(port, SUBPATH)[0] == 200
    assert any(unquote(p).endswith("/") and p != SUBPATH for p in followed)
