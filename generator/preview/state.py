"""What the event loop knows (Preview): the last build, the open tabs, and what to tell each."""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .hosts import Hosts
from .overlay import describe, script_tags, shown_problems
from .rebuilder import Outcome

if TYPE_CHECKING:
    from tornado.ioloop import IOLoop

    from generator.build.pipeline import Result
    from generator.errors import Problem

    from .server import LiveSocket, StatusSocket

PAGE_SUFFIXES = (".html", ".htm")
LIVE_IMAGES = re.compile(r"\.(jpe?g|png|gif)$", re.IGNORECASE)  # what livereload.js swaps in place
QUIET_SUFFIXES = (".xml", ".txt")  # feed, sitemap, robots: no open tab shows them with the script


class Preview:
    """What the event loop knows: the last outcome, open tabs, what changed when."""

    def __init__(self, root: Path, out: Path, host: str, port: int, allow: Iterable[str] = (),
                 own: Iterable[str] = ()):
        """`allow` and `own`: the names answered to besides loopback (Hosts.answering)."""
        self.root = root
        self.out = out
        self.hosts = Hosts.answering(host, port, allow, own)
        self.generation = 0  # counts good builds that changed something
        self.changed_at: dict[str, int] = {}  # output name -> generation it last changed in
        self.builds = 0
        self.state = "ok"
        self.problems: list[dict] = []
        self.last_seconds = 0.0
        self.timing: dict[str, float] = {}  # the last build's moments, epoch seconds (for benchmarks)
        self.last_warnings: list[Problem] = []
        self.tabs: set[LiveSocket] = set()  # livereload.js connections
        self.overlays: set[StatusSocket] = set()  # overlay script connections
        self.loop: IOLoop | None = None

    def status(self) -> dict:
        return {"state": self.state, "generation": self.generation, "builds": self.builds,
                "seconds": round(self.last_seconds, 3), "timing": self.timing, "problems": self.problems}

    def hand_over(self, outcome: Outcome) -> None:
        """From the build thread: has the event loop, which runs before any rebuild, take the outcome."""
        if self.loop is None:
            raise RuntimeError("a rebuild before the preview's event loop runs")
        self.loop.add_callback(self.built, outcome)

    def built(self, outcome: Outcome) -> None:
        """Runs on the event loop after each build: report, then reload or show the overlay."""
        self.builds += 1
        self.last_seconds = outcome.seconds
        self.timing = {"noticed": outcome.noticed, "started": outcome.started,
                       "finished": outcome.started + outcome.seconds, "handled": time.time()}
        if outcome.ok and outcome.result is not None:  # a build that went through has its result
            self.succeeded(outcome, outcome.result)
        else:
            self.failed(outcome)

    def failed(self, outcome: Outcome) -> None:
        """Prints the problems and shows them in every open tab over the last good page."""
        self.state = "failed"
        shown = shown_problems(outcome.problems)
        self.problems = [describe(p, self.root) for p in shown]
        for problem in outcome.problems:
            print(problem, file=sys.stderr)
        serving = "still serving the last good pages" if self.generation else "nothing to show until it builds"
        print(f"{clock()} build failed{causes_said(outcome.causes)}: {len(shown)} error(s); {serving}",
              file=sys.stderr, flush=True)
        self.last_warnings = []
        self.broadcast_status()

    def succeeded(self, outcome: Outcome, result: Result) -> None:
        """Prints what was built (and new warnings), then reloads the tabs it changed."""
        warnings = result.warnings  # compared as they are: a site may have thousands
        if warnings != self.last_warnings:
            for warning in warnings:
                print(warning, file=sys.stderr)
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
        print(f"{clock()} {verb}{causes_said(outcome.causes)} in {result.seconds:.2f} s{fixed}: "
              f"{result.rendered} explainer(s) rendered, {files_said(changed)}", flush=True)
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

    def script_tags(self, page: str, request_host: str = "") -> bytes:
        """What the preview adds to every HTML response (never to files on disk)."""
        return script_tags(self.hosts.port, self.generation, page, request_host)


def causes_said(causes: list[str]) -> str:
    if not causes:
        return ""
    more = f" and {len(causes) - 1} more" if len(causes) > 1 else ""
    return f" after {causes[0]}{more} changed"


def files_said(changed: list[str]) -> str:
    if not changed:
        return "no output changed"
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return f"{len(changed)} file(s) changed ({shown})"


def clock() -> str:
    return time.strftime("%H:%M:%S")
