"""Reading the author's files: bytes to text, with errors that point at lines."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import Pos, Report
from .limits import MAX_FILE_BYTES, file_too_large


def relpath(path: Path, site_root: Path) -> str:
    """A path as messages show it: relative to the site, forward slashes."""
    try:
        return path.relative_to(site_root).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(path: Path, shown: str, report: Report, limit: int = MAX_FILE_BYTES) -> str | None:
    """Reads a UTF-8 file; a file that is not UTF-8 is reported where it breaks, one larger than `limit` unread."""
    too_large = file_too_large(os.stat(path).st_size, limit)
    if too_large:
        report.error(shown, Pos(), too_large)
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        report.error(shown, Pos(line, col), f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def no_link_below(root: str, steps: tuple[str, ...]) -> bool:
    """Whether the steps below root hold no '..' and no link: a path made of them is inside root."""
    if ".." in steps:
        return False
    current = root
    for step in steps:
        current = os.path.join(current, step)
        if os.path.islink(current):
            return False
    return True


def is_inside(path: Path, root: Path) -> bool:
    """True when path, with links followed, stays within root."""
    # Most paths are below the root with no link on the way: looking at the few
    # steps below the root costs a fraction of resolving the whole path.
    try:
        if no_link_below(str(root), path.relative_to(root).parts):
            return True
    except ValueError:
        pass
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
