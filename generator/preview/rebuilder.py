"""Builds in a worker thread: one build per burst of changes (Rebuilder), its result as an Outcome."""

from __future__ import annotations

import queue
import threading
import time
import traceback
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.pipeline import Builder, Options, Result
from generator.errors import BuildError, Pos, Problem
from generator.render.environment import THEME

QUIET = 0.05  # seconds, after watchfiles' own step (watcher.py)
MAX_WAIT = 1.0  # a steady stream of changes still rebuilds at least this often
STOP_TIMEOUT = 30.0  # how long Ctrl-C waits for a running build to finish
SAVE_AFTER = 2.0  # seconds without a change before the build cache is saved


def preview_builder(root: Path, out: Path) -> Builder:
    """The preview's builds: drafts shown, plain asset names, updated in place, served from its own root."""
    return Builder(Options(site=root, out=out, drafts=True, hashed_assets=False, extras=False, in_place=True,
                           save=False, public=False))


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

    def build(self, paths: Collection[str] = frozenset(), noticed: float = 0.0) -> Outcome:
        root = self.builder.root
        causes = sorted(_shown_path(Path(p), root) for p in paths)
        started, clock = time.time(), time.perf_counter()
        try:
            result = self.builder.build(paths if paths else None)
        except BuildError as exc:
            return Outcome(False, None, exc.problems, causes, time.perf_counter() - clock, noticed, started)
        except Exception as exc:  # noqa: BLE001  # a bug, or the disk: report it and keep serving
            traceback.print_exc()
            problem = Problem("(preview)", Pos(), f"the build stopped: {type(exc).__name__}: {exc}")
            return Outcome(False, None, [problem], causes, time.perf_counter() - clock, noticed, started)
        return Outcome(True, result, result.warnings, causes, time.perf_counter() - clock, noticed, started)


def _shown_path(path: Path, root: Path) -> str:
    """Where a changed file is, for the log: its folder resolved, not the file, which may be a
    link, even one to itself (a loop of links is the build's to report, not this line's)."""
    for base, label in ((root, ""), (THEME, "(default theme)/")):
        try:
            return label + (path.parent.resolve() / path.name).relative_to(base.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):  # RuntimeError: a loop of links above it
            continue
    return str(path)
