"""`python -m generator serve`: the live preview, as an author meets it.

The end-to-end tests run the real command in a child process on a free
loopback port, against a throwaway copy of a fixture site, and drive Debian's
Chromium with Playwright: edits on disk must show up in the open tab by
themselves. They skip only where /usr/bin/chromium is missing, and never when
CI is set (there they fail).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, SITES, copy_site
from generator.errors import Pos, Problem
from generator.preview.hosts import Hosts
from generator.preview.overlay import describe
from generator.preview.paths import output_name, page_for_url
from generator.preview.rebuilder import Outcome, Rebuilder
from generator.preview.state import Preview

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
WAIT_MS = 10_000  # for a change to reach the browser; it takes well under a second
QUOTES = "content/border-rush/quotes.yaml"
BROKEN_QUOTES = "- speaker: Ann\n  role: Official\n  text: Arrivals: doubled in a week.\n"
LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.+)$")


# --------------------------------------------------------------------------
# Helpers: a site to preview, the preview process, raw HTTP
# --------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(REPO) + os.pathsep + e.get("PYTHONPATH", "")
    e["PYTHONUNBUFFERED"] = "1"
    return e


def preview_site(dest: Path):
    """The valid fixture, with its own stylesheet (the test edits it) in templates/static/."""
    site = copy_site(SITES / "valid", dest)
    site.write("templates/static/style.css", "body { background: rgb(250, 250, 250); }\n")
    theme = REPO / "templates"
    for template in theme.glob("*.html"):  # any asset the theme names but does not have yet
        for name in re.findall(r"asset\('([^']+)'\)", template.read_text(encoding="utf-8")):
            if not (theme / "static" / name).exists() and not (site.root / "templates/static" / name).exists():
                site.write(f"templates/static/{name}", "")
    return site


class Served:
    """`python -m generator serve` in a child process, its output collected as it comes."""

    def __init__(self, root: Path, port: int | None = None, *args: str, command: list[str] | None = None):
        """`command` runs instead of `python -m generator`, taking the same arguments."""
        self.root = root
        self.port = port or free_port()
        self.proc = subprocess.Popen(
            [*(command or [sys.executable, "-m", "generator"]), "serve", "--site", str(root),
             "--port", str(self.port), *args],
            cwd=root, env=env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8")
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._read, args=(stream, lines), daemon=True).start()

    @staticmethod
    def _read(stream, lines: list[str]) -> None:
        for line in stream:
            lines.append(line.rstrip("\n"))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def wait_line(self, lines: list[str], test, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(lines):
                if test(line):
                    return line
            if self.proc.poll() is not None and not any(test(line) for line in lines):
                time.sleep(0.2)  # let the readers finish
                if not any(test(line) for line in lines):
                    break
            time.sleep(0.02)
        raise AssertionError(f"no such line; stdout={self.out!r} stderr={self.err!r}")

    def ready(self) -> Served:
        self.wait_line(self.out, lambda line: "serving the preview at http://" in line)
        return self

    def status(self) -> dict:
        return json.loads(get(self.port, "/__preview__/status")[1])

    def stop(self, sig: int = signal.SIGINT) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=15)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            time.sleep(0.1)

    def text(self) -> str:
        return "\n".join(self.out + self.err)


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    """One request, with the path sent exactly as given (no client-side normalising)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        headers = headers or {}
        conn.putrequest("GET", path, skip_host="Host" in headers, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


def websocket_status(port: int, path: str, origin: str | None) -> int:
    """The HTTP status a WebSocket handshake gets (101 = accepted)."""
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket", "Connection: Upgrade",
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        status_line = s.makefile("rb").readline().decode()
    return int(status_line.split()[1])


def wait_until(test, timeout: float = 10, step: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = test()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out")


# --------------------------------------------------------------------------
# Fixtures: one preview and one browser for the module, a fresh tab per test
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = preview_site(tmp_path_factory.mktemp("serve") / "site")
    server = Served(site.root).ready()
    server.site = site
    yield server
    code = server.stop()
    assert code == 0, server.text()
    assert "Traceback" not in server.text(), server.text()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        reason = "Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI is set, so the browser tests must run")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


@pytest.fixture
def restore(served):
    """Puts back every file a test changed in the served site."""
    saved: dict[Path, str] = {}

    def change(rel: str, text: str) -> None:
        path = served.site.root / rel
        saved.setdefault(path, path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")

    yield change
    if saved:
        before = served.status()["builds"]
        for path, text in saved.items():
            path.write_text(text, encoding="utf-8")
        wait_until(lambda: served.status()["builds"] > before and served.status()["state"] == "ok")


def open_live(page, url: str) -> None:
    """Opens a page and waits until both preview connections are up."""
    page.goto(url)
    page.wait_for_function("() => window.__preview && window.__preview.livereload && window.__preview.socket")


# --------------------------------------------------------------------------
# In the browser
# --------------------------------------------------------------------------

def test_edited_quote_appears_without_touching_the_browser(served, tab, restore):
    open_live(tab, served.url + "border-rush/")
    assert tab.get_by_text("Arrivals doubled in a week.").count() > 0
    text = (served.site.root / QUOTES).read_text(encoding="utf-8")
    restore(QUOTES, text.replace("text: Arrivals doubled in a week.", "text: Arrivals tripled overnight."))
    tab.get_by_text("Arrivals tripled overnight.").first.wait_for()
    assert tab.url == served.url + "border-rush/"


def test_css_change_swaps_the_stylesheet_without_a_reload(served, tab, restore):
    open_live(tab, served.url + "border-rush/")
    started = tab.evaluate("() => { window.__kept = 'still here'; return performance.timeOrigin; }")
    restore("templates/static/style.css", "body { background: rgb(1, 2, 3); }\n")
    tab.wait_for_function("() => getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'")
    assert tab.evaluate("() => window.__kept") == "still here"  # no navigation happened
    assert tab.evaluate("() => performance.timeOrigin") == started


def test_broken_yaml_shows_an_overlay_until_the_next_good_build(served, tab, restore, tmp_path):
    open_live(tab, served.url + "border-rush/")
    title = tab.locator("h1").first.inner_text()
    restore(QUOTES, BROKEN_QUOTES)
    alert = tab.get_by_role("alert")
    alert.wait_for()
    shown = alert.inner_text()
    assert "content/border-rush/quotes.yaml:3:17" in shown  # file, line, column
    assert "mapping values are not allowed" in shown  # the message
    assert "text: Arrivals: doubled in a week." in shown  # the offending line, read from the file
    assert tab.locator("h1").first.inner_text() == title  # the last good page is still underneath

    # The terminal prints exactly what `build` prints for the same files.
    built = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(served.site.root),
                            "--out", str(tmp_path / "out")], capture_output=True, text=True, env=env(), check=False)
    assert built.returncode == 1
    expected = [line for line in built.stderr.splitlines() if LINE.match(line) and ": error: " in line]
    assert expected
    for line in expected:
        served.wait_line(served.err, lambda seen, line=line: seen == line, timeout=10)
    assert "Traceback" not in served.text()

    # Readable: the overlay's text has at least 4.5:1 contrast with its background.
    colors = tab.evaluate("""() => {
        const root = document.getElementById('__preview-overlay').shadowRoot;
        const box = root.querySelector('[role=alert]');
        return {background: getComputedStyle(box).backgroundColor,
                texts: ['h2', '.where', '.msg', '.note', 'button'].map(s => getComputedStyle(root.querySelector(s)).color)};
    }""")
    for color in colors["texts"]:
        assert contrast(color, colors["background"]) >= 4.5, (color, colors)

    # It goes away by itself once the file is good again.
    restore(QUOTES, (SITES / "valid" / QUOTES).read_text(encoding="utf-8"))
    alert.wait_for(state="detached")

    # And it can be dismissed.
    restore(QUOTES, BROKEN_QUOTES)
    alert.wait_for()
    tab.get_by_role("button", name="Dismiss the build errors").click()
    alert.wait_for(state="detached")


def test_drafts_are_previewed_with_a_label(served, tab):
    open_live(tab, served.url + "secret/")
    assert tab.get_by_text("Draft", exact=True).first.is_visible()
    assert "Unfinished draft" in tab.locator("h1").first.inner_text()
    tab.goto(served.url)
    assert tab.get_by_text("Unfinished draft").count() > 0
    # The preview script is added when the page is served, never written to the files.
    on_disk = (served.site.root / ".preview/secret/index.html").read_text(encoding="utf-8")
    assert "__preview__" not in on_disk and "livereload" not in on_disk
    assert b"/__preview__/client.js" in get(served.port, "/secret/")[1]


# --------------------------------------------------------------------------
# Without a browser
# --------------------------------------------------------------------------

def test_a_burst_of_writes_gives_one_rebuild(served, restore):
    # Right after the start the watchers may still be starting: a burst that began before they
    # watch is built in two parts (the catch-up, then what they saw), which loses nothing. One
    # change seen and built first shows they watch.
    before = served.status()["builds"]
    restore("content/border-rush/article.md", (served.site.root / "content/border-rush/article.md").read_text(
        encoding="utf-8") + "\n")
    wait_until(lambda: served.status()["builds"] > before)
    time.sleep(0.3)
    before = served.status()["builds"]
    for name in ("quotes.yaml", "timeline.yaml", "countries.yaml", "article.md"):
        rel = f"content/border-rush/{name}"
        restore(rel, (served.site.root / rel).read_text(encoding="utf-8") + "\n")
    wait_until(lambda: served.status()["builds"] > before)
    time.sleep(0.8)  # time enough for a second build, if the burst had been split
    assert served.status()["builds"] == before + 1, served.text()


TRAVERSALS = [
    "/../site.yaml",
    "/border-rush/../../site.yaml",
    "/%2e%2e/site.yaml",
    "/%2E%2E/site.yaml",
    "/%2e%2e%2fsite.yaml",
    "/border-rush/..%2f..%2fsite.yaml",
    "/%252e%252e/site.yaml",
    "/%252e%252e%252fsite.yaml",
    "/..\\site.yaml",
    "/..%5csite.yaml",
    "/%2e%2e%5csite.yaml",
    "/%255c..%255csite.yaml",
    "/static/..%2f..%2fcontent/border-rush/article.md",
    "//site.yaml",
    "/.explainer-build",
    "/%00",
    "/content/border-rush/article.md",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_only_files_inside_the_preview_folder_are_served(served, path):
    status, body, _ = get(served.port, path)
    assert status == 404, path
    assert b"description: Test site" not in body and b"title: Rush" not in body


def test_pages_are_served_with_the_preview_script(served):
    status, body, headers = get(served.port, "/")
    assert status == 200 and b"/livereload.js" in body and b"/__preview__/client.js" in body
    assert headers["Cache-Control"] == "no-store"
    status, _, headers = get(served.port, "/border-rush")
    assert status in (301, 302) and headers["Location"] == "/border-rush/"
    assert get(served.port, "/static/style.css")[0] == 200
    # A page asked for under another host name (DNS rebinding) is refused.
    assert get(served.port, "/", {"Host": f"attacker.example:{served.port}"})[0] == 403


def test_the_overlay_script_and_style_are_served_as_their_files(served):
    for name, kind in (("client.js", "text/javascript"), ("client.css", "text/css")):
        status, body, headers = get(served.port, f"/__preview__/{name}")
        assert status == 200 and body == (REPO / "generator/preview" / name).read_bytes(), name
        assert headers["Content-Type"] == f"{kind}; charset=utf-8" and headers["Cache-Control"] == "no-store"
        assert get(served.port, f"/__preview__/{name}", {"Host": f"attacker.example:{served.port}"})[0] == 403
    assert get(served.port, "/__preview__/server.py")[0] == 404  # only those two files of the package


@pytest.mark.parametrize("path", ["/livereload", "/__preview__/ws"])
def test_websockets_refuse_other_origins(served, path):
    port = served.port
    assert websocket_status(port, path, f"http://127.0.0.1:{port}") == 101
    assert websocket_status(port, path, f"http://localhost:{port}") == 101
    for origin in ("http://attacker.example", f"http://attacker.example:{port}", f"http://127.0.0.1:{port + 1}",
                   f"https://127.0.0.1:{port}", "null"):
        assert websocket_status(port, path, origin) == 403, origin


def test_a_busy_port_is_a_clear_message(tmp_path):
    site = preview_site(tmp_path / "site")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "generator", "serve", "--site", str(site.root),
                                 "--port", str(port)], capture_output=True, text=True, env=env(), timeout=60,
                                check=False)
    assert result.returncode == 1
    assert f"127.0.0.1:{port}" in result.stderr and "already in use" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_ctrl_c_stops_cleanly(tmp_path):
    site = preview_site(tmp_path / "site")
    server = Served(site.root).ready()
    assert websocket_status(server.port, "/livereload", None) == 101
    with socket.create_connection(("127.0.0.1", server.port)):  # an open connection does not hold it up
        code = server.stop(signal.SIGINT)
    assert code == 0, server.text()
    assert "Traceback" not in server.text(), server.text()
    assert server.out[-1] == "stopped"
    assert not [p.name for p in site.root.iterdir() if p.name.startswith(".preview.")]  # no half-written output


def test_listening_on_all_interfaces_warns(tmp_path):
    site = preview_site(tmp_path / "site")
    server = Served(site.root, None, "--host", "0.0.0.0").ready()
    try:
        server.wait_line(server.err, lambda line: "warning: listening on all interfaces" in line, timeout=5)
    finally:
        assert server.stop() == 0


def test_two_thousand_requests_from_fifty_clients_are_all_answered_during_a_rebuild(tmp_path):
    """The preview keeps serving while it builds: builds run off the event loop."""
    from concurrent.futures import ThreadPoolExecutor

    site = preview_site(tmp_path / "site")
    entries = "".join(f"- date: 2022-09-{1 + i % 28:02d}\n  title: Entry {i}\n  body: Text *{i}*.\n" for i in range(3000))
    site.write("content/border-rush/timeline.yaml", entries)  # a build of a second or so
    server = Served(site.root).ready()
    try:
        builds = server.status()["builds"]
        paths = ["/", "/border-rush/", "/static/style.css", "/no-notes/", "/../site.yaml", "/nothing-here"]
        expected = {"/../site.yaml": 404, "/nothing-here": 404}

        def client(n: int) -> list[tuple[str, int]]:
            answers = []
            for i in range(40):
                path = paths[(n + i) % len(paths)]
                answers.append((path, get(server.port, path)[0]))
            return answers

        article = site.root / "content/border-rush/article.md"
        loading = threading.Event()

        def keep_editing() -> None:  # rebuilds, one after another, for as long as the load lasts
            n = 0
            while not loading.is_set():
                n += 1
                article.write_text(article.read_text(encoding="utf-8") + f"\nParagraph {n}.\n", encoding="utf-8")
                loading.wait(0.3)

        editor = threading.Thread(target=keep_editing)
        editor.start()
        try:
            time.sleep(0.2)  # the watcher's quiet period; the first build starts about now
            started_builds = server.status()["builds"]
            with ThreadPoolExecutor(max_workers=50) as pool:
                answers = [a for batch in pool.map(client, range(50)) for a in batch]
            finished_builds = server.status()["builds"]
        finally:
            loading.set()
            editor.join()
        wait_until(lambda: server.status()["state"] == "ok", timeout=30)
    finally:
        assert server.stop() == 0
    assert len(answers) == 2000
    wrong = [(path, status) for path, status in answers if status != expected.get(path, 200)]
    assert not wrong, wrong[:10]
    # Builds ran while the load did (otherwise it proves nothing).
    assert finished_builds > started_builds >= builds


# --------------------------------------------------------------------------
# The parts, one by one
# --------------------------------------------------------------------------

@pytest.mark.parametrize("raw, name", [
    ("/", "index.html"),
    ("/border-rush/", "border-rush/index.html"),
    ("/static/style.css", "static/style.css"),
    ("/border-rush/photo%20one.svg", "border-rush/photo one.svg"),
    ("/../site.yaml", None),
    ("/%2e%2e/site.yaml", None),
    ("/%252e%252e/site.yaml", None),
    ("/a\\b", None),
    ("/a%5cb", None),
    ("/a//b", None),
    ("/.git/config", None),
    ("/a/./b", None),
    ("/%ff", None),
    ("relative", None),
])
def test_output_name(raw, name):
    assert output_name(raw) == name


def test_page_for_url():
    assert page_for_url("http://127.0.0.1:8000/") == "index.html"
    assert page_for_url("http://127.0.0.1:8000/border-rush?x=1#top") == "border-rush/index.html"
    assert page_for_url("http://127.0.0.1:8000/404.html") == "404.html"


def test_origins_accepted():
    local = Hosts.answering("127.0.0.1", 8000)
    assert local.origin_ok("http://127.0.0.1:8000") and local.origin_ok("http://[::1]:8000")
    assert local.origin_ok("http://localhost:8000")
    assert not local.origin_ok("http://evil.example:8000")  # DNS rebinding
    assert not local.host_ok("evil.example:8000")
    assert not local.origin_ok("http://127.0.0.1:8000.evil.example")  # no exception either
    everywhere = Hosts.answering("0.0.0.0", 8000, ["preview.lan"], ["desk", "192.0.2.9"])
    assert everywhere.origin_ok("http://192.0.2.7:8000", "192.0.2.7")  # the address the request came in on
    assert not everywhere.origin_ok("http://192.0.2.7:8000", "192.0.2.8")  # not one of this machine's
    assert everywhere.origin_ok("http://preview.lan:8000") and everywhere.origin_ok("http://DESK:8000")
    assert everywhere.host_ok("192.0.2.9:8000") and everywhere.host_ok("[::1]:8000")
    assert not everywhere.origin_ok("http://evil.example", "192.0.2.7")
    assert not everywhere.host_ok("evil.example:8000", "192.0.2.7")


def test_problem_shows_its_source_line(tmp_path):
    (tmp_path / "content/x").mkdir(parents=True)
    (tmp_path / "content/x/quotes.yaml").write_text("one\ntwo\nthree\n", encoding="utf-8")
    shown = describe(Problem("content/x/quotes.yaml", Pos(2, 1), "bad"), tmp_path)
    assert shown["source"] == "two" and shown["text"] == "content/x/quotes.yaml:2:1: error: bad"
    assert describe(Problem("../outside.yaml", Pos(1, 1), "bad"), tmp_path)["source"] is None
    assert describe(Problem("--out", Pos(), "bad"), tmp_path)["source"] is None


class FakeBuilder:
    root = Path(".")

    def __init__(self):
        self.builds = 0
        self.saves = 0
        self.told: list = []  # the changed paths each build was given

    def build(self, changed=None):
        self.builds += 1
        self.told.append(changed)
        from generator.build.pipeline import Result
        return Result(0, 0, 0.0)

    def save(self):
        self.saves += 1


def test_rebuilder_merges_a_burst_and_builds_again_after_a_pause():
    builder = FakeBuilder()
    outcomes: list[Outcome] = []
    worker = Rebuilder(builder, outcomes.append, quiet=0.1, max_wait=2)
    worker.start()
    try:
        for i in range(10):  # an editor saving several files
            worker.changed({f"/site/content/a/file{i}.yaml"})
            time.sleep(0.01)
        wait_until(lambda: len(outcomes) == 1)
        time.sleep(0.3)
        assert builder.builds == 1 and len(outcomes[0].causes) == 10
        assert builder.told[0] == {f"/site/content/a/file{i}.yaml" for i in range(10)}  # the builder is told what changed
        worker.changed({"/site/site.yaml"})
        wait_until(lambda: len(outcomes) == 2)
        assert builder.builds == 2 and builder.saves == 0  # not idle yet: the cache is saved later
    finally:
        worker.stop(timeout=5)
    assert builder.saves == 1  # saved once, on stopping


def test_rebuilder_saves_the_cache_once_idle(monkeypatch):
    from generator.preview import rebuilder

    monkeypatch.setattr(rebuilder, "SAVE_AFTER", 0.2)
    builder = FakeBuilder()
    worker = Rebuilder(builder, lambda _outcome: None, quiet=0.05, max_wait=1)
    worker.start()
    try:
        worker.changed({"/site/content/a/timeline.yaml"})
        wait_until(lambda: builder.builds == 1)
        assert builder.saves == 0
        wait_until(lambda: builder.saves == 1)
        time.sleep(0.5)
        assert builder.saves == 1  # once per idle spell, not over and over
    finally:
        worker.stop(timeout=5)


def contrast(foreground: str, background: str) -> float:
    def luminance(color: str) -> float:
        r, g, b = (int(v) / 255 for v in re.findall(r"\d+", color)[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


class FakeTab:
    def __init__(self, page):
        self.page = page
        self.sent: list[tuple[str, bool]] = []

    def reload(self, path: str, live: bool) -> None:
        self.sent.append((path, live))


def test_reloads_go_to_the_tabs_whose_page_changed():
    preview = Preview(Path("."), Path(".preview"), "127.0.0.1", 8000)
    a, b, index = FakeTab("a/index.html"), FakeTab("b/index.html"), FakeTab("index.html")
    preview.tabs = {a, b, index}
    preview.reload(["a/index.html", "feed.xml", "sitemap.xml"])  # one explainer's notes changed
    assert a.sent == [("/a/index.html", False)] and b.sent == [] and index.sent == []
    a.sent.clear()
    preview.reload(["static/style.css"])  # CSS only: swapped in place everywhere
    assert a.sent == b.sent == index.sent == [("/static/style.css", True)]
    for tab in (a, b, index):
        tab.sent.clear()
    preview.reload(["a/index.html", "b/index.html", "index.html", "static/explainer.js"])  # a template
    assert all(tab.sent == [(f"/{tab.page}", False)] for tab in (a, b, index))


def test_the_preview_folder_must_be_the_previews_own(tmp_path):
    site = preview_site(tmp_path / "site")
    (site.root / ".preview").mkdir()
    (site.root / ".preview" / "notes.txt").write_text("mine", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "serve", "--site", str(site.root),
                             "--port", "0"], capture_output=True, text=True, env=env(), timeout=60, check=False)
    assert result.returncode == 1 and "was not written by this tool" in result.stderr
    assert "Traceback" not in result.stderr
    assert (site.root / ".preview" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_livereload_js_is_told_the_host_the_page_was_asked_for():
    preview = Preview(Path("."), Path(".preview"), "::1", 8000)
    assert b"/livereload.js?host=[::1]&port=8000" in preview.script_tags("index.html", "[::1]:8000")
    assert b"/livereload.js?host=localhost&port=8000" in preview.script_tags("index.html", "localhost:8000")
    assert b"/livereload.js?port=8000" in preview.script_tags("index.html", 'x"><script>:1')
    assert b'data-page="a&amp;b/index.html"' in preview.script_tags("a&b/index.html", "")
