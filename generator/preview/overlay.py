"""The problems of a failed build as the page shows them, and the script tags that show them.

The script (client.js) and its overlay's style (client.css) are files of this
package, served by the preview as they are, and added to HTML responses only:
never to the files on disk.
"""

from __future__ import annotations

import html
import re
from functools import cache
from importlib.resources import files
from pathlib import Path

from generator.errors import Problem
from generator.render.environment import THEME

from .paths import PREFIX, inside

CLIENT_FILES = ("client.js", "client.css")  # served under PREFIX
HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


@cache
def client_file(name: str) -> bytes:
    """One of CLIENT_FILES, as this package holds it (in a checkout or an installed wheel)."""
    if name not in CLIENT_FILES:
        raise ValueError(f"not a client file: {name}")
    return files(__package__).joinpath(name).read_bytes()


def script_tags(port: int, generation: int, page: str, request_host: str = "") -> bytes:
    """What the preview adds to every HTML response: livereload.js and the overlay's script."""
    # livereload.js reads its server from its own address, but cannot parse an
    # IPv6 one ([::1]:8000): tell it the host name the page was asked for.
    name = request_host.rsplit(":", 1)[0] if not request_host.endswith("]") else request_host
    host = f"host={name}&" if re.fullmatch(r"[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\]", name) else ""
    return (f'<script src="/livereload.js?{host}port={port}" defer></script>'
            f'<script src="{PREFIX}client.js" data-page="{html.escape(page)}" '
            f'data-generation="{generation}" defer></script>').encode()


def inject(body: bytes, tags: bytes) -> bytes:
    """An HTML body with the tags added before its </head> (or </body>, or at its end)."""
    for pattern in (HEAD_END, BODY_END):
        match = pattern.search(body)
        if match:
            return body[: match.start()] + tags + body[match.start():]
    return body + tags


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
