"""`python -m generator serve`: a live-reloading preview of a site.

The site is built into `<site>/.preview/` with drafts and plain asset names,
served on 127.0.0.1, and rebuilt whenever one of its sources changes:
site.yaml, content/, the site's templates/ and the default theme.

How the parts fit:

* Watching is event-driven (`watchfiles`, inotify on Linux) in background
  threads; a burst of writes is merged by a short quiet period (QUIET) so an
  editor saving several files, or a `git checkout`, gives one rebuild.
* Builds run in one worker thread, never on the event loop, so the server
  keeps answering while a build runs; the outcome is handed back to the
  loop with IOLoop.add_callback. The Builder's cache redoes only what the
  change affects.
* The browser side is livereload's: its WebSocket handler (subclassed) and
  livereload.js. Every good build that changes a page reloads the tabs that
  show it; a change to CSS only swaps the stylesheet (livereload's liveCSS).
  livereload's own defaults (polling every 800 ms, builds on the event
  loop, reloads dropped within 3 s of the previous one, WebSockets open to
  any Origin) are not used: this module sends the reload messages itself
  and refuses WebSockets from other origins.
* A failed build keeps the last good pages served; a small script, added to
  HTML responses by this server only (never written to disk), shows the
  problems in an overlay that goes away at the next good build.
* Only files inside the preview folder are served: any path with a dot
  segment, a backslash, a NUL or a percent sign left after decoding is a 404.
* Every request's Host header, and every WebSocket's Origin, must name this
  server and its port, whatever address it listens on: a web page whose name
  an attacker points at this machine (DNS rebinding) names its own. The names
  are the loopback ones, those given with --allow-host, and beyond loopback
  this machine's own and the address a request came in on. Anything malformed
  is a 403.
* Watching starts after the first build; what was saved meanwhile is found
  by comparing the files with how they were when it started (Watcher).
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import json
import mimetypes
import os
import queue
import re
import signal
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from http.client import responses
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote, urlsplit

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import escape, web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from .build import Builder, Options, Result
from .errors import BuildError, Pos, Problem
from .render import THEME

PREVIEW = ".preview"  # under the site folder; git-ignored
# A rebuild starts once changes have stopped for about 100 ms: watchfiles hands
# over a batch after one step (50 ms) without new changes, then the worker waits
# QUIET more for another batch. Longer steps would cost latency; shorter ones,
# idle CPU (each step wakes a watcher thread and takes the GIL).
WATCH_STEP_MS = 50  # content/, templates/, the theme
SITE_STEP_MS = 100  # the site folder itself: site.yaml changes rarely
QUIET = 0.05  # seconds, after watchfiles' own step
READY_MS = 500  # a watcher that saw no change for this long says so, which shows it watches
MAX_WAIT = 1.0  # a steady stream of changes still rebuilds at least this often
STOP_TIMEOUT = 30.0  # how long Ctrl-C waits for a running build to finish
SAVE_AFTER = 2.0  # seconds without a change before the build cache is saved
PREFIX = "/__preview__/"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
SITE_FILES = ("site.yaml",)  # watched in the site folder itself (not recursively)
SITE_FOLDERS = ("content", "templates")  # watched recursively
PAGE_SUFFIXES = (".html", ".htm")
LIVE_IMAGES = re.compile(r"\.(jpe?g|png|gif)$", re.IGNORECASE)  # what livereload.js swaps in place
QUIET_SUFFIXES = (".xml", ".txt")  # feed, sitemap, robots: no open tab shows them with the script
EDITOR_NOISE = re.compile(r"(~|\.sw[a-p]|\.swx|\.tmp|\.bak|\.part)$|^(\.#|#.*#$|4913$)")
HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


# --------------------------------------------------------------------------
# Paths: which request may read which file
# --------------------------------------------------------------------------

def output_name(raw_path: str) -> str | None:
    """The output file a request path asks for, relative to the preview folder.

    `raw_path` is the path as sent (still percent-encoded). It is decoded
    once; what is left must be a plain relative path: no `.`/`..` or hidden
    segments, no backslashes, NULs, empty segments, and no percent sign (a
    double-encoded path is refused, not decoded again). A path ending in `/`
    names its index.html. None means "not found".
    """
    if not raw_path.startswith("/") or "\\" in raw_path or "%5c" in raw_path.lower():
        return None
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "%" in path or "\\" in path or "\x00" in path or not path.startswith("/"):
        return None
    parts = path[1:].split("/")
    if parts[-1] == "":
        parts[-1] = "index.html"
    if any(p == "" or p.startswith(".") or p.strip() != p for p in parts):
        return None
    return "/".join(parts)


def page_for_url(url: str) -> str | None:
    """The output page a browser tab shows, from its address (query and fragment ignored)."""
    try:
        path = urlsplit(url).path or "/"
    except ValueError:
        return None
    name = output_name(path)
    if name is not None and "." not in name.rsplit("/", 1)[-1]:
        name += "/index.html"  # /slug is redirected to /slug/
    return name


def inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


# --------------------------------------------------------------------------
# Problems as the overlay shows them
# --------------------------------------------------------------------------

def shown_problems(problems: list[Problem]) -> list[Problem]:
    """What a failed build is about: its errors (or every problem when it has none)."""
    errors = [p for p in problems if p.severity == "error"]
    return errors or list(problems)


def describe(problem: Problem, root: Path) -> dict:
    """A problem as JSON for the overlay, with the offending line of its file."""
    return {
        "path": problem.path,
        "line": problem.pos.line,
        "col": problem.pos.col,
        "severity": problem.severity,
        "message": problem.message,
        "text": str(problem),
        "source": source_line(problem, root),
    }


def source_line(problem: Problem, root: Path) -> str | None:
    """The line a problem points at, read from its file; None when there is no such file."""
    theme = "(default theme)/"
    if problem.path.startswith(theme):
        base, rel = THEME, problem.path[len(theme):]
    else:
        base, rel = root, problem.path
    path = base / rel
    if not rel or not inside(path, base) or not path.is_file():
        return None
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, start=1):
                if number == problem.pos.line:
                    line = line.rstrip("\r\n")
                    return line if len(line) <= 400 else line[:399] + "…"
    except OSError:
        return None
    return None


# --------------------------------------------------------------------------
# Watching and building (background threads)
# --------------------------------------------------------------------------

def ignored(path: str, folders: list[Path]) -> bool:
    """Editor swap files, backups and hidden files never trigger a build."""
    rel = Path(path)
    for folder in folders:
        try:
            rel = Path(path).relative_to(folder)
            break
        except ValueError:
            continue
    parts = rel.parts
    name = parts[-1] if parts else ""
    return EDITOR_NOISE.search(name) is not None or any(
        p.startswith(".") or p in ("__pycache__", "node_modules") for p in parts)


class Watcher:
    """Calls `notify(paths)` from a background thread when a source changes.

    Two watchfiles watchers: the site folder itself, not recursively (for
    site.yaml, and for content/ or templates/ appearing or going), and the
    source folders recursively (content/, templates/, the default theme).
    The site folder is never watched recursively: it holds the preview
    output, and may hold build/, .git/ or node_modules/.

    A watcher sees only what changes once it watches, and it starts after
    the first build (forked workers need this process to have no other
    thread) and some moments after its thread does. So what the sources
    were before is kept (snapshot), and once every watcher is known to watch,
    the files are looked at again: what differs is notified like any change.
    Nothing saved during the first build, or while a watcher starts, is lost.
    """

    def __init__(self, root: Path, notify: Callable[[set[str]], None], theme: Path = THEME):
        self.root = root
        self.theme = theme
        self.notify = notify
        self.stopping = threading.Event()
        self.tree_stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.lock = threading.Lock()
        self.watched: list[Path] = []
        self.since: Snapshot | None = None  # the sources before the watchers now starting were
        self.starting: set[threading.Event] = set()  # the stop events of watchers not yet watching

    def folders(self) -> list[Path]:
        found: list[Path] = []
        for folder in [*(self.root / name for name in SITE_FOLDERS), self.theme]:
            if folder.is_dir() and not any(inside(folder, f) for f in found):
                found.append(folder.resolve())
        return found

    def snapshot(self) -> Snapshot:
        """Each source file's size, time and inode: site.yaml and every file watched."""
        found: Snapshot = {}
        for name in SITE_FILES:
            _look(str(self.root / name), found)
        for folder in self.folders():
            for top, dirs, files in os.walk(folder):
                dirs[:] = [d for d in dirs if not ignored(os.path.join(top, d), [folder])]
                for name in files:
                    path = os.path.join(top, name)
                    if not ignored(path, [folder]):
                        _look(path, found)
        return found

    def start(self, since: Snapshot | None = None) -> None:
        """Starts watching; what changed since `since` (by default: now) is notified once watching."""
        with self.lock:
            self.since = self.snapshot() if since is None else since
            self.starting.add(self.stopping)
        self._restart_tree()  # first: the catch-up waits for both watchers
        self._spawn(self._watch_root, "preview-watch-site")

    def stop(self) -> None:
        self.stopping.set()
        self.tree_stop.set()
        for thread in list(self.threads):
            thread.join(timeout=2)

    def _spawn(self, target, name: str, *args) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        self.threads.append(thread)
        thread.start()

    def _restart_tree(self, force: bool = True) -> None:
        with self.lock:
            folders = self.folders()
            if not force and folders == self.watched:
                return
            self.tree_stop.set()
            self.starting.discard(self.tree_stop)
            self.tree_stop = threading.Event()
            self.watched = folders
            if folders and not self.stopping.is_set():
                if self.since is None:  # files may come in the new folders before they are watched
                    self.since = self.snapshot()
                self.starting.add(self.tree_stop)
                self._spawn(self._watch_tree, "preview-watch-sources", folders, self.tree_stop)
        self._catch_up()

    def _watch_root(self) -> None:
        wanted = set(SITE_FILES) | set(SITE_FOLDERS)

        def keep(_change, path: str) -> bool:
            return Path(path).name in wanted

        for changes in self._watch([self.root], False, keep, self.stopping, SITE_STEP_MS):
            paths = {path for _change, path in changes}
            if any(Path(p).name in SITE_FOLDERS for p in paths):
                self._restart_tree(force=False)  # content/ or templates/ may have come or gone
            self.notify(paths)

    def _watch_tree(self, folders: list[Path], stop: threading.Event) -> None:
        for changes in self._watch(folders, True, lambda _c, path: not ignored(path, folders), stop,
                                   WATCH_STEP_MS):
            self.notify({path for _change, path in changes})

    def _watch(self, paths, recursive, keep, stop, step):
        """The batches of changes; the first answer of any kind (READY_MS without a change
        gives an empty one) shows that the watcher watches."""
        from watchfiles import watch
        try:
            for changes in watch(*paths, watch_filter=keep, recursive=recursive, step=step, debounce=1600,
                                 stop_event=stop, raise_interrupt=False, rust_timeout=READY_MS,
                                 yield_on_timeout=True):
                self._watching(stop)
                if changes:
                    yield changes
        except Exception as exc:  # e.g. a watched folder vanished: keep serving, say so once
            if not stop.is_set():
                print(f"preview: stopped watching {', '.join(map(str, paths))}: {exc}", file=sys.stderr, flush=True)
        finally:
            self._watching(stop)  # gone: no catch-up waits for it

    def _watching(self, stop: threading.Event) -> None:
        if stop in self.starting:
            with self.lock:
                self.starting.discard(stop)
            self._catch_up()

    def _catch_up(self) -> None:
        """Once every watcher watches: notifies what changed since the snapshot taken before."""
        with self.lock:
            if self.starting or self.since is None:
                return
            since, self.since = self.since, None
        changed = differing(since, self.snapshot())
        if changed and not self.stopping.is_set():
            self.notify(changed)


Snapshot = dict[str, tuple[int, int, int]]  # path -> (size, mtime_ns, inode)


def _look(path: str, found: Snapshot) -> None:
    try:
        st = os.stat(path)
    except OSError:  # gone meanwhile, or a broken link: as absent
        return
    found[path] = (st.st_size, st.st_mtime_ns, st.st_ino)


def differing(before: Snapshot, after: Snapshot) -> set[str]:
    """The paths added, removed or changed between two snapshots."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


@dataclass
class Outcome:
    """One build's result, handed from the worker thread to the event loop."""

    ok: bool
    result: Result | None = None
    problems: list[Problem] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)  # the changed sources (site-relative)
    seconds: float = 0.0
    noticed: float = 0.0  # when the watcher handed over the burst's first change (epoch seconds)
    started: float = 0.0  # when the build started (epoch seconds)


class Rebuilder:
    """A worker thread that merges bursts of changes and runs one build per burst."""

    def __init__(self, builder: Builder, done: Callable[[Outcome], None], quiet: float = QUIET,
                 max_wait: float = MAX_WAIT):
        self.builder = builder
        self.done = done
        self.quiet = quiet
        self.max_wait = max_wait
        self.changes: queue.Queue[tuple[float, set[str]] | None] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="preview-build", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def changed(self, paths: set[str]) -> None:
        self.changes.put((time.time(), set(paths)))

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        self.changes.put(None)
        self.thread.join(timeout)

    def _run(self) -> None:
        while True:
            burst = self._burst()
            if burst is None:
                self.builder.save()
                return
            outcome = self.build(*burst)
            try:
                self.done(outcome)
            except RuntimeError:  # the event loop is gone: stopping
                return

    def _burst(self) -> tuple[set[str], float] | None:
        """Waits for a change, then for QUIET seconds without another one.

        Once idle, it saves the build cache for the next run: saving after
        every build would add its time to every reload.
        """
        try:
            first = self.changes.get(timeout=SAVE_AFTER)
        except queue.Empty:
            self.builder.save()
            first = self.changes.get()
        if first is None:
            return None
        noticed, paths = first
        started = last = time.monotonic()
        while True:
            now = time.monotonic()
            wait = min(last + self.quiet, started + self.max_wait) - now
            if wait <= 0:
                return paths, noticed
            try:
                more = self.changes.get(timeout=wait)
            except queue.Empty:
                return paths, noticed
            if more is None:
                self.changes.put(None)  # stop after this build
                return paths, noticed
            paths |= more[1]
            last = time.monotonic()

    def build(self, paths: set[str] = frozenset(), noticed: float = 0.0) -> Outcome:
        root = self.builder.root
        causes = sorted(_shown_path(Path(p), root) for p in paths)
        started, clock = time.time(), time.perf_counter()
        try:
            result = self.builder.build(paths if paths else None)
        except BuildError as exc:
            return Outcome(False, None, exc.problems, causes, time.perf_counter() - clock, noticed, started)
        except Exception as exc:  # a bug, or the disk: report it and keep serving
            traceback.print_exc()
            problem = Problem("(preview)", Pos(), f"the build stopped: {type(exc).__name__}: {exc}")
            return Outcome(False, None, [problem], causes, time.perf_counter() - clock, noticed, started)
        return Outcome(True, result, result.warnings, causes, time.perf_counter() - clock, noticed, started)


def _shown_path(path: Path, root: Path) -> str:
    for base, label in ((root, ""), (THEME, "(default theme)/")):
        try:
            return label + path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)


# --------------------------------------------------------------------------
# The server (event loop thread)
# --------------------------------------------------------------------------

class Preview:
    """What the event loop knows: the last outcome, open tabs, what changed when."""

    def __init__(self, root: Path, out: Path, host: str, port: int, allow: Iterable[str] = (),
                 own: Iterable[str] = ()):
        """`allow`: more host names to answer to (--allow-host); `own`: this machine's names and
        addresses, answered to when listening beyond loopback (own_names)."""
        self.root = root
        self.out = out
        self.host = host
        self.port = port
        self.names = answered_names(host, allow, own)
        self.generation = 0  # counts good builds that changed something
        self.changed_at: dict[str, int] = {}  # output name -> generation it last changed in
        self.builds = 0
        self.state = "ok"
        self.problems: list[dict] = []
        self.last_seconds = 0.0
        self.timing: dict[str, float] = {}  # the last build's moments, epoch seconds (for benchmarks)
        self.last_warnings: list[str] = []
        self.tabs: set[LiveSocket] = set()  # livereload.js connections
        self.overlays: set[StatusSocket] = set()  # overlay script connections
        self.loop: IOLoop | None = None

    # -- addresses --------------------------------------------------------

    @property
    def loopback_only(self) -> bool:
        return is_loopback(self.host)

    def host_ok(self, request_host: str | None, local: str | None = None) -> bool:
        """Whether a Host header names this server, on whatever address it listens: a page of
        another site whose name was pointed at this machine (DNS rebinding) names its own.

        `local` is the address the request came in on: beyond loopback, a request naming
        that address (a phone opening http://192.168.1.5:8000/) is for this server.
        """
        return self._ours(split_host(request_host or ""), local)

    def origin_ok(self, origin: str, local: str | None = None) -> bool:
        """Whether a WebSocket's Origin is a page of this server: http, a host it answers to,
        its port; anything malformed is refused."""
        return self._ours(split_origin(origin), local)

    def _ours(self, found: tuple[str, int] | None, local: str | None) -> bool:
        if found is None:
            return False
        host, port = found
        if port != self.port:
            return False
        return host in self.names or (not self.loopback_only and local is not None and host == local)

    # -- builds -------------------------------------------------------------

    def status(self) -> dict:
        return {"state": self.state, "generation": self.generation, "builds": self.builds,
                "seconds": round(self.last_seconds, 3), "timing": self.timing, "problems": self.problems}

    def built(self, outcome: Outcome) -> None:
        """Runs on the event loop after each build: report, then reload or show the overlay."""
        self.builds += 1
        self.last_seconds = outcome.seconds
        self.timing = {"noticed": outcome.noticed, "started": outcome.started,
                       "finished": outcome.started + outcome.seconds, "handled": time.time()}
        cause = _causes(outcome.causes)
        if not outcome.ok:
            self.state = "failed"
            shown = shown_problems(outcome.problems)
            self.problems = [describe(p, self.root) for p in shown]
            for problem in outcome.problems:
                print(problem, file=sys.stderr)
            serving = "still serving the last good pages" if self.generation else "nothing to show until it builds"
            print(f"{_clock()} build failed{cause}: {len(shown)} error(s); {serving}", file=sys.stderr, flush=True)
            self.last_warnings = []
            self.broadcast_status()
            return
        result = outcome.result
        warnings = [str(w) for w in result.warnings]
        if warnings != self.last_warnings:
            for line in warnings:
                print(line, file=sys.stderr)
            self.last_warnings = warnings
        was_failing = self.state == "failed"
        self.state, self.problems = "ok", []
        changed = [name for name in result.changed if not name.startswith(".")]
        if changed:
            self.generation += 1
            for name in changed:
                self.changed_at[name] = self.generation
        fixed = " (fixed)" if was_failing else ""
        verb = "built" if self.builds == 1 else "rebuilt"
        print(f"{_clock()} {verb}{cause} in {result.seconds:.2f} s{fixed}: "
              f"{result.rendered} explainer(s) rendered, {_files(changed)}", flush=True)
        self.broadcast_status()
        if changed:
            self.reload(changed)

    def reload(self, changed: list[str]) -> None:
        """Tells each open tab what to do about the changed output files."""
        pages = {n for n in changed if n.endswith(PAGE_SUFFIXES)}
        styles = [n for n in changed if n.lower().endswith(".css")]
        images = [n for n in changed if LIVE_IMAGES.search(n)]
        others = [n for n in changed if n not in pages and n not in styles and n not in images
                  and not n.endswith(QUIET_SUFFIXES)]
        for tab in list(self.tabs):
            if others or tab.page is None or tab.page in pages or (tab.page == "404.html" and pages):
                tab.reload("/" + (tab.page or "index.html"), live=False)
                continue
            for name in [*styles, *images]:
                tab.reload("/" + name, live=True)

    def stale(self, page: str | None, generation: int) -> bool:
        """Whether a page served at `generation` changed since (or an asset it may use did)."""
        for name, gen in self.changed_at.items():
            if gen > generation and (name == page or not name.endswith(PAGE_SUFFIXES + QUIET_SUFFIXES)):
                return True
        return False

    def broadcast_status(self) -> None:
        message = json.dumps({"type": "status", **self.status()})
        for overlay in list(self.overlays):
            overlay.send(message)

    # -- responses ------------------------------------------------------------

    def script_tags(self, page: str, request_host: str = "") -> bytes:
        """What the preview adds to every HTML response (never to files on disk)."""
        # livereload.js reads its server from its own address, but cannot parse an
        # IPv6 one ([::1]:8000): tell it the host name the page was asked for.
        name = request_host.rsplit(":", 1)[0] if not request_host.endswith("]") else request_host
        host = f"host={name}&" if re.fullmatch(r"[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\]", name) else ""
        return (f'<script src="/livereload.js?{host}port={self.port}" defer></script>'
                f'<script src="{PREFIX}client.js" data-page="{html.escape(page)}" '
                f'data-generation="{self.generation}" defer></script>').encode()


def inject(body: bytes, tags: bytes) -> bytes:
    for pattern in (HEAD_END, BODY_END):
        match = pattern.search(body)
        if match:
            return body[: match.start()] + tags + body[match.start():]
    return body + tags


class _HostChecked(web.RequestHandler):
    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        if not self.preview.host_ok(self.request.host, local_address(self.request)):
            raise web.HTTPError(403)

    def compute_etag(self) -> None:
        return None  # every response is fresh: nothing to revalidate

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def write_error(self, status_code: int, **kwargs) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code} {responses.get(status_code, 'Unknown')}\n")  # the phrase tornado sends


class FileHandler(_HostChecked):
    """Serves the preview folder, and nothing outside it."""

    def get(self, _path: str = "") -> None:
        self._serve(head=False)

    def head(self, _path: str = "") -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        raw = self.request.path
        name = output_name(raw)
        if name is None:
            return self._not_found(None, head)
        out = self.preview.out
        target = out / name
        if not raw.endswith("/") and (out / name).is_dir() and (out / name / "index.html").is_file():
            query = f"?{self.request.query}" if self.request.query else ""
            return self.redirect("/" + escape.url_escape(name, plus=False).replace("%2F", "/") + "/" + query,
                                 permanent=False)
        if not target.is_file() or not inside(target, out):
            return self._not_found(page_for_url(raw), head)
        self._send(target, name, 200, head)

    def _send(self, target: Path | None, page: str, status: int, head: bool, body: bytes | None = None) -> None:
        if body is None:
            try:
                body = target.read_bytes()
            except OSError:  # replaced by a build between the check and the read
                raise web.HTTPError(404) from None
        kind = _content_type(target.name if target else "page.html")
        if kind.startswith("text/html"):
            body = inject(body, self.preview.script_tags(page, self.request.host))
        self.set_status(status)
        self.set_header("Content-Type", kind)
        self.set_header("Content-Length", str(len(body)))
        if not head:
            self.write(body)
        self.finish()

    def _not_found(self, page: str | None, head: bool) -> None:
        page = page or "404.html"
        custom = self.preview.out / "404.html"
        if custom.is_file():
            return self._send(custom, page, 404, head)
        body = (b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>'
                b"<body><h1>Not found</h1><p>Nothing in the preview at this address.</p></body></html>")
        self._send(None, page, 404, head, body)


class StatusHandler(_HostChecked):
    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(self.preview.status()))


class ClientHandler(_HostChecked):
    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.finish(CLIENT_JS)


class LiveReloadJS(_HostChecked, LiveReloadJSHandler):
    """livereload.js, as livereload ships it."""


class _Socket(WebSocketHandler):
    def initialize(self, preview: Preview) -> None:
        self.preview = preview
        self.page: str | None = None

    def prepare(self) -> None:
        # Checked here, before tornado's own test (which lets any scheme through
        # when the Origin's host:port equals the Host header, and trusts
        # Sec-Fetch-Site), so that only this server's own pages may connect.
        headers = self.request.headers
        origin = headers.get("Origin", headers.get("Sec-Websocket-Origin"))
        local = local_address(self.request)
        if not self.preview.host_ok(self.request.host, local) or (origin is not None and not self.check_origin(origin)):
            raise web.HTTPError(403)

    def check_origin(self, origin: str) -> bool:
        """Only pages served by this preview may connect: http://<a host it answers to>:<port>."""
        return self.preview.origin_ok(origin, local_address(self.request))

    def send(self, message: dict | str) -> None:
        try:
            sent = self.write_message(message if isinstance(message, str) else json.dumps(message))
        except WebSocketClosedError:
            self.on_close()
            return
        sent.add_done_callback(self._sent)

    def _sent(self, future) -> None:
        if future.cancelled() or future.exception() is not None:  # the tab went away meanwhile
            self.on_close()


class LiveSocket(_Socket, LiveReloadHandler):
    """livereload's WebSocket handler, with an Origin check and this preview's own tab list.

    The handshake is livereload's (hello, then info with the tab's address);
    reloads are sent by Preview.reload, for every good build, with no 3 s drop.
    """

    def on_message(self, message: str) -> None:
        try:
            data = json.loads(message)
        except ValueError:
            return
        if not isinstance(data, dict):
            return
        if data.get("command") == "hello":
            self.send({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"],
                       "serverName": "explainer-preview"})
        elif data.get("command") == "info" and isinstance(data.get("url"), str):
            self.page = page_for_url(data["url"])
            self.preview.tabs.add(self)

    def on_close(self) -> None:
        self.preview.tabs.discard(self)

    def reload(self, path: str, live: bool) -> None:
        self.send({"command": "reload", "path": path, "liveCSS": live, "liveImg": live})


class StatusSocket(_Socket):
    """The overlay script's connection: build status now and after every build."""

    def open(self) -> None:
        self.page = self.get_argument("page", None)
        try:
            generation = int(self.get_argument("generation", "0"))
        except ValueError:
            generation = 0
        self.preview.overlays.add(self)
        self.send({"type": "status", **self.preview.status()})
        if self.preview.stale(self.page, generation):  # a build finished before this tab connected
            self.send({"type": "reload"})

    def on_message(self, message) -> None:
        pass

    def on_close(self) -> None:
        self.preview.overlays.discard(self)


def application(preview: Preview) -> web.Application:
    args = {"preview": preview}
    return web.Application([
        (r"/livereload", LiveSocket, args),
        (r"/livereload\.js", LiveReloadJS, args),
        (PREFIX + "ws", StatusSocket, args),
        (PREFIX + "status", StatusHandler, args),
        (PREFIX + "client.js", ClientHandler, args),
        (r"/(.*)", FileHandler, args),
    ], log_function=lambda _handler: None, websocket_max_message_size=64 * 1024)


# --------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------

def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    return host in ("", "0.0.0.0", "::", "[::]")


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


HOST_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\Z")


def normal_host(name: str) -> str | None:
    """A host name lowercased, or an IP address as ipaddress spells it (no brackets); None if neither."""
    name = name.lower()
    bare = name[1:-1] if name.startswith("[") and name.endswith("]") else name
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        return name if HOST_NAME.match(name) else None
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:a.b.c.d is a.b.c.d, as a dual-stack socket shows it
    return str(mapped or address)


def split_host(value: str) -> tuple[str, int] | None:
    """A Host header, `host[:port]`, as (normal host, port), a missing port being 80; None if malformed."""
    if not value or value.endswith(":") or any(not "!" <= c <= "~" or c in "/?#@\\" for c in value):
        return None
    try:
        parts = urlsplit("//" + value)
        port = parts.port  # a port that is not a number raises
    except ValueError:
        return None
    host = normal_host(parts.hostname or "")
    if host is None or ("[" in value and ":" not in host):  # only an IPv6 address goes in brackets
        return None
    return host, 80 if port is None else port


def split_origin(origin: str) -> tuple[str, int] | None:
    """An Origin header as (normal host, port) when it is `http://host[:port]` and nothing more."""
    if any(not "!" <= c <= "~" or c in "?#@\\" for c in origin):
        return None
    try:
        parts = urlsplit(origin)
    except ValueError:
        return None
    if parts.scheme != "http" or parts.path or not parts.netloc:
        return None
    return split_host(parts.netloc)


def answered_names(host: str, allow: Iterable[str], own: Iterable[str]) -> frozenset[str]:
    """The host names and addresses the preview answers to: loopback always, and the names
    given with --allow-host; beyond loopback, also the address it listens on and this
    machine's own names and addresses."""
    names = {normal_host(name) for name in (*LOOPBACK_NAMES, *allow)}
    if not is_loopback(host):
        names |= {normal_host(name) for name in own}
        if not is_wildcard(host):
            names.add(normal_host(host))
    return frozenset(name for name in names if name)


def own_names() -> set[str]:
    """This machine's host name and the addresses it resolves to (from /etc/hosts, mostly)."""
    found = set()
    try:
        name = socket.gethostname()
        found.add(name)
        found |= {info[4][0] for info in socket.getaddrinfo(name, None)}
    except (OSError, UnicodeError):
        pass
    return found


def local_address(request) -> str | None:
    """The address of this machine that a request came in on, as normal_host spells it."""
    try:
        return normal_host(str(request.connection.stream.socket.getsockname()[0]))
    except (AttributeError, OSError, IndexError):
        return None


def run_serve(args) -> int:
    """`python -m generator serve`; returns the exit status."""
    root = args.site.resolve()
    if not (root.is_dir()):
        print(f"serve: {args.site} is not a folder", file=sys.stderr)
        return 1
    host, port = args.host, args.port
    try:
        sockets = bind_sockets(port, address=host or None)
    except (OSError, socket.gaierror) as exc:
        print(f"serve: cannot listen on {url_host(host)}:{port}: {_bind_problem(exc, port)}", file=sys.stderr)
        return 1
    port = sockets[0].getsockname()[1]  # the real one when --port 0
    out = root / PREVIEW
    allow = getattr(args, "allow_host", None) or []
    preview = Preview(root, out, host, port, allow, () if is_loopback(host) else own_names())
    builder = preview_builder(root, out)
    rebuilder = Rebuilder(builder, lambda outcome: preview.loop.add_callback(preview.built, outcome))
    watcher = Watcher(root, rebuilder.changed)
    print(f"building {root} into {PREVIEW}/ (drafts included) …", flush=True)
    try:
        # The sources as the first build starts: what is saved from now on is built too (Watcher).
        since = watcher.snapshot()
        first = first_build(rebuilder, args)
    except KeyboardInterrupt:
        _close(sockets)
        print("stopped", flush=True)
        return 0
    refused = [p for p in first.problems if p.path == "--out"] if not first.ok else []
    if refused:  # the preview folder is not ours to replace: nothing to serve
        for problem in refused:
            print(f"serve: {out}: {problem.message}", file=sys.stderr)
        _close(sockets)
        return 1
    try:
        asyncio.run(_serve(preview, rebuilder, watcher, since, sockets, first))
    except KeyboardInterrupt:
        pass
    print("stopped", flush=True)
    return 0


def first_build(rebuilder: Rebuilder, args) -> Outcome:
    """The first build, with its progress shown on a terminal: on a large site it is the long one."""
    from .cli import progress_for

    rebuilder.builder.progress = progress_for(args)
    try:
        return rebuilder.build()
    finally:
        if rebuilder.builder.progress is not None:
            rebuilder.builder.progress.close()
        rebuilder.builder.progress = None


def preview_builder(root: Path, out: Path) -> Builder:
    """The preview's builds: drafts shown, plain asset names, updated in place, served from its own root."""
    return Builder(Options(site=root, out=out, drafts=True, hashed_assets=False, extras=False, in_place=True,
                           save=False, public=False))


async def _serve(preview: Preview, rebuilder: Rebuilder, watcher: Watcher, since: Snapshot, sockets,
                 first: Outcome) -> None:
    preview.loop = IOLoop.current()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    server = HTTPServer(application(preview))
    server.add_sockets(sockets)
    preview.built(first)
    rebuilder.start()
    watcher.start(since)
    shown = "127.0.0.1" if is_wildcard(preview.host) else url_host(preview.host)
    print(f"serving the preview at http://{shown}:{preview.port}/ — Ctrl-C to stop", flush=True)
    if not preview.loopback_only:
        where = "all interfaces" if is_wildcard(preview.host) else preview.host
        names = ", ".join(url_host(name) for name in sorted(preview.names))
        print(f"warning: listening on {where}: other machines on the network can read this preview, "
              f"drafts included; it answers to {names} and the address it is reached at "
              "(more names: --allow-host NAME)", file=sys.stderr, flush=True)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        print("stopping …", flush=True)
        server.stop()
        for sock in [*preview.tabs, *preview.overlays]:
            sock.close()
        watcher.stop()
        await loop.run_in_executor(None, rebuilder.stop)
        await server.close_all_connections()


def _bind_problem(exc: Exception, port: int) -> str:
    import errno
    if isinstance(exc, socket.gaierror):
        return "unknown host name"
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} is already in use (another preview?); stop that server or choose another --port"
    if exc.errno == errno.EACCES:
        return "permission denied; choose a port above 1023"
    if exc.errno == errno.EADDRNOTAVAIL:
        return "this machine has no such address; use 127.0.0.1"
    return exc.strerror or str(exc)


def _close(sockets) -> None:
    for sock in sockets:
        sock.close()


def _content_type(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if kind == "application/javascript":
        kind = "text/javascript"
    if kind.startswith("text/") or kind in ("image/svg+xml", "application/xml", "application/json",
                                            "application/atom+xml"):
        kind += "; charset=utf-8"
    return kind


def _causes(causes: list[str]) -> str:
    if not causes:
        return ""
    more = f" and {len(causes) - 1} more" if len(causes) > 1 else ""
    return f" after {causes[0]}{more} changed"


def _files(changed: list[str]) -> str:
    if not changed:
        return "no output changed"
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return f"{len(changed)} file(s) changed ({shown})"


def _clock() -> str:
    return time.strftime("%H:%M:%S")


# --------------------------------------------------------------------------
# The script added to served HTML: build status and the error overlay
# --------------------------------------------------------------------------

CLIENT_JS = r"""// Added by `python -m generator serve` to the pages it serves; never published.
(function () {
  "use strict";
  var me = document.currentScript;
  var page = (me && me.dataset.page) || "";
  var generation = (me && me.dataset.generation) || "0";
  var state = window.__preview = { socket: false, livereload: false, status: null };
  document.addEventListener("LiveReloadConnect", function () { state.livereload = true; });
  document.addEventListener("LiveReloadDisconnect", function () { state.livereload = false; });
  var host = null, dismissed = null, delay = 500;

  function connect() {
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
      "/__preview__/ws?page=" + encodeURIComponent(page) + "&generation=" + encodeURIComponent(generation);
    var ws = new WebSocket(url);
    ws.onopen = function () { state.socket = true; delay = 500; };
    ws.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "reload") { location.reload(); }
      else if (message.type === "status") { state.status = message; show(message); }
    };
    ws.onclose = function () {
      state.socket = false;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10000);
    };
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs) { node.setAttribute(k, attrs[k]); }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function hide() {
    if (host) { host.remove(); host = null; }
  }

  var CSS = [
    ":host{all:initial}",
    ".box{position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:65vh;overflow:auto;",
    "box-sizing:border-box;margin:0;padding:1rem 1.25rem;background:#fff;color:#1a1a1a;",
    "border-bottom:4px solid #b00020;box-shadow:0 4px 18px rgba(0,0,0,.35);",
    "font:16px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;text-align:left}",
    ".head{display:flex;gap:1rem;align-items:flex-start;justify-content:space-between}",
    "h2{margin:0 0 .25rem;font-size:1.15rem;color:#8a0019}",
    "p{margin:.2rem 0}",
    ".note{color:#333;font-size:.95rem}",
    "ol{margin:.75rem 0 0;padding:0;list-style:none}",
    "li{margin:0 0 .75rem;padding:.5rem .75rem;border-left:3px solid #b00020;background:#fdf3f4}",
    ".where{font:600 .95rem/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#1a1a1a;",
    "overflow-wrap:anywhere}",
    ".msg{color:#1a1a1a}",
    "pre{margin:.4rem 0 0;padding:.4rem .6rem;background:#1f1f1f;color:#f5f5f5;overflow:auto;",
    "font:.9rem/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre}",
    ".ln{color:#c8c8c8;user-select:none}",
    "button{font:inherit;font-size:.95rem;padding:.35rem .8rem;border:2px solid #1a1a1a;",
    "border-radius:4px;background:#fff;color:#1a1a1a;cursor:pointer;flex:none}",
    "button:hover{background:#eee}",
    "button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}"
  ].join("");

  function show(status) {
    if (status.state !== "failed") { dismissed = null; hide(); return; }
    var key = JSON.stringify(status.problems);
    if (key === dismissed) { return; }
    hide();
    host = el("div", { id: "__preview-overlay" });
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    root.appendChild(el("style", {}, CSS));
    var box = el("section", { "class": "box", role: "alert", "aria-labelledby": "preview-title" });
    var head = el("div", { "class": "head" });
    var titles = el("div", {});
    var count = status.problems.length;
    titles.appendChild(el("h2", { id: "preview-title" },
      "The build failed: " + count + (count === 1 ? " problem" : " problems")));
    titles.appendChild(el("p", { "class": "note" },
      "Below is the last good version of the page. This panel goes away by itself at the next good build."));
    head.appendChild(titles);
    var close = el("button", { type: "button", "aria-label": "Dismiss the build errors" }, "Dismiss");
    close.addEventListener("click", function () { dismissed = key; hide(); });
    head.appendChild(close);
    box.appendChild(head);
    var list = el("ol", {});
    status.problems.forEach(function (p) {
      var item = el("li", {});
      item.appendChild(el("p", { "class": "where" }, p.path + ":" + p.line + ":" + p.col + " (" + p.severity + ")"));
      item.appendChild(el("p", { "class": "msg" }, p.message));
      if (p.source !== null && p.source !== undefined) {
        var pre = el("pre", { "aria-label": "line " + p.line + " of " + p.path });
        pre.appendChild(el("span", { "class": "ln" }, String(p.line).padStart(4, " ") + " | "));
        pre.appendChild(document.createTextNode(p.source));
        item.appendChild(pre);
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    box.addEventListener("keydown", function (e) { if (e.key === "Escape") { dismissed = key; hide(); } });
    root.appendChild(box);
    (document.body || document.documentElement).appendChild(host);
  }

  connect();
})();
"""
