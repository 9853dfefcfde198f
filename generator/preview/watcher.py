"""Which sources changed: two watchfiles watchers, and snapshots to catch up on what they missed."""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from generator.render.environment import THEME

from .paths import inside

# A rebuild starts once changes have stopped for about 100 ms: watchfiles hands
# over a batch after one step (50 ms) without new changes, then the worker waits
# QUIET more for another batch (rebuilder.py). Longer steps would cost latency;
# shorter ones, idle CPU (each step wakes a watcher thread and takes the GIL).
WATCH_STEP_MS = 50  # content/, templates/, the theme
SITE_STEP_MS = 100  # the site folder itself: site.yaml changes rarely
RESTART_PAUSE = 1.0  # seconds before the sources are watched again after their watcher failed
READY_MS = 500  # a watcher that saw no change for this long says so, which shows it watches
SITE_FILES = ("site.yaml",)  # watched in the site folder itself (not recursively)
SITE_FOLDERS = ("content", "templates")  # watched recursively
EDITOR_NOISE = re.compile(r"(~|\.sw[a-p]|\.swx|\.tmp|\.bak|\.part)$|^(\.#|#.*#$|4913$)")

Snapshot = dict[str, tuple[int, int, int]]  # path -> (size, mtime_ns, inode)


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
        self.tree_ready: Snapshot | None = None  # the sources as their watcher began to watch
        self.handed: set[str] = set()  # what the watchers handed on while a catch-up is to come
        self.lost: dict[threading.Event, bool] = {}  # a failed watcher: whether it had watched
        self.said = ""  # the last failure printed

    def folders(self) -> list[Path]:
        found: list[Path] = []
        for folder in [*(self.root / name for name in SITE_FOLDERS), self.theme]:
            if folder.is_dir() and not any(inside(folder, f) for f in found):
                found.append(folder.resolve())
        return found

    def root_files(self) -> set[str]:
        return {str(self.root / name) for name in SITE_FILES}

    def snapshot(self) -> Snapshot:
        """Each source file's size, time and inode: site.yaml and every file watched."""
        found: Snapshot = {}
        for path in self.root_files():
            _look(path, found)
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
                self.tree_ready = None  # and what the last one handed on, it no longer watches
                self.handed = set()
                self._spawn(self._watch_tree, "preview-watch-sources", folders, self.tree_stop)
        self._catch_up()

    def _watch_root(self) -> None:
        from watchfiles import Change

        wanted = set(SITE_FILES) | set(SITE_FOLDERS)

        def keep(_change, path: str) -> bool:
            return Path(path).name in wanted

        for changes in self._watch([self.root], False, keep, self.stopping, SITE_STEP_MS):
            paths = {path for _change, path in changes}
            named = [change for change, path in changes if Path(path).name in SITE_FOLDERS]
            if named:  # content/ or templates/ may have come or gone, or been made again
                # Made again (a checkout, a sync tool), a folder has the same name, and may even get
                # the inode number of the one removed; the watcher of the old one sees nothing of it.
                self._restart_tree(force=any(change != Change.modified for change in named))
            self._notify(paths, self.stopping)

    def _watch_tree(self, folders: list[Path], stop: threading.Event) -> None:
        for changes in self._watch(folders, True, lambda _c, path: not ignored(path, folders), stop,
                                   WATCH_STEP_MS):
            self._notify({path for _change, path in changes}, stop)
        if not stop.is_set() and not self.stopping.is_set():
            # It stopped on an error (a file name that is not UTF-8, a folder gone): watched again,
            # with a catch-up, nothing saved meanwhile is lost. The pause keeps a lasting error
            # from spinning.
            self.stopping.wait(RESTART_PAUSE)
            if stop is not self.tree_stop:  # replaced meanwhile (the root watcher saw its folder go)
                return
            self._restart_tree()
            if self.lost.pop(stop, False):  # a watcher that did not start yet has its catch-up
                # What it held back is unknown: the folders as changed make the build look at all.
                self.notify({str(folder) for folder in folders})

    def _notify(self, paths: set[str], stop: threading.Event) -> None:
        """Hands on what a watcher saw, and notes it while a catch-up is to come: the catch-up
        must not hand it on a second time (a second build of the same burst)."""
        with self.lock:
            if self.since is not None and stop in (self.stopping, self.tree_stop):  # a watcher still watching
                self.handed |= paths
        self.notify(paths)

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
        except Exception as exc:  # noqa: BLE001  # e.g. a watched folder vanished: keep serving, say so once
            self.lost[stop] = stop not in self.starting  # it watched: what it held back is unknown
            said = f"preview: stopped watching {', '.join(map(str, paths))}: {exc}"
            if not stop.is_set() and said != self.said:  # said once while it stays the same
                self.said = said
                print(said, file=sys.stderr, flush=True)
        finally:
            self._watching(stop, gone=True)  # no catch-up waits for it

    def _watching(self, stop: threading.Event, gone: bool = False) -> None:
        if stop in self.starting:
            ready = self.snapshot() if stop is self.tree_stop and not gone else None
            with self.lock:
                self.starting.discard(stop)
                if ready is not None and stop is self.tree_stop:
                    self.tree_ready = ready
            self._catch_up()

    def _catch_up(self) -> None:
        """Once every watcher watches: notifies what changed since the snapshot taken before."""
        with self.lock:
            if self.starting or self.since is None:
                return
            since, self.since = self.since, None
            ready, handed, self.handed = self.tree_ready, self.handed, set()
        # A source changed once its watcher watched is the watcher's to hand on (it may not have
        # yet): handing it on here too would build the same burst twice. So the sources are taken
        # as they were when their watcher began, site.yaml as it is now.
        if ready is None:
            now = self.snapshot()
        else:
            roots = self.root_files()
            now = {path: seen for path, seen in ready.items() if path not in roots}
            for path in roots:
                _look(path, now)
        changed = differing(since, now) - handed
        if changed and not self.stopping.is_set():
            self.notify(changed)
            # Folders made while the watcher started (a tree copied in) may have been made after it
            # listed their parent and before it watched it: it would never see their files change.
            # Watching again, once they are there, sees them.
            made = {os.path.dirname(path) for path in changed if path in now}
            if made - {os.path.dirname(path) for path in since}:
                self._restart_tree()


def _look(path: str, found: Snapshot) -> None:
    try:
        st = os.stat(path)
    except OSError:  # gone meanwhile, or a broken link: as absent
        return
    found[path] = (st.st_size, st.st_mtime_ns, st.st_ino)


def differing(before: Snapshot, after: Snapshot) -> set[str]:
    """The paths added, removed or changed between two snapshots."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
