"""Helpers for tests that need Chromium or the npm validators.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright; no browser
is ever downloaded. Where a tool is missing the test skips with the reason,
except in CI (CI=true), where a missing tool is a failure.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
TOOLS = Path(__file__).resolve().parent / "tools"
NODE_MODULES = TOOLS / "node_modules"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]


def require(available: bool, reason: str) -> None:
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must have it: see tests/tools/install.sh)")
    pytest.skip(reason)


def require_chromium() -> None:
    require(Path(CHROMIUM).exists(), "Debian's chromium is not installed at /usr/bin/chromium")


def require_tool(rel: str) -> Path:
    path = NODE_MODULES / rel
    require(path.exists(), f"{rel} is missing: run tests/tools/install.sh")
    return path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(folder: Path, prefix: str = "/"):
    """Serves `folder` on a free loopback port under `prefix`; yields the base URL."""
    if prefix != "/":
        mount = folder.parent / f".mount-{folder.name}"
        shutil.rmtree(mount, ignore_errors=True)
        (mount / prefix.strip("/")).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(folder, mount / prefix.strip("/"))
        folder = mount
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
