"""Reading the author's files: bytes to text, with errors that point at lines.

Every file a build reads from a site (site.yaml, articles, annotation files,
assets, templates, static files) passes one rule, `contained`: with links
followed, it must be inside the site folder (the default theme's files: inside
the theme's folder). Links that stay inside are followed, for content and
templates alike; a link that leads out is refused before the file is read.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from generator.errors import CONTROL_CHARACTERS, Pos, Report
from generator.validate.limits import MAX_FILE_BYTES, file_too_large

SHOWN_PER_FILE = 10  # control characters reported one by one; a file full of them gets one more line


def relpath(path: Path, site_root: Path) -> str:
    """A path as messages show it: relative to the site, forward slashes."""
    try:
        return path.relative_to(site_root).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(path: Path, shown: str, report: Report, drop_controls: bool = False,
              limit: int = MAX_FILE_BYTES) -> str | None:
    """Reads a UTF-8 file; a file that is not UTF-8 is reported where it breaks, one larger than `limit` unread.

    This is where every file an author writes is read, so it is where control
    characters are refused, each an error at its line and column (the file is
    then not used). With `drop_controls` (a wire article being imported) they
    are dropped instead, each a warning.
    """
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
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if CONTROL_CHARACTERS.search(text) is None:
        return text
    if drop_controls:
        _report_controls(text, shown, report.warning, ("was dropped", "were dropped"))
        return CONTROL_CHARACTERS.sub("", text)
    _report_controls(text, shown, report.error, ("is not allowed", "are not allowed"))
    return None


def _report_controls(text: str, shown: str, add: Callable[[str, Pos, str], None], done: tuple[str, str]) -> None:
    """One problem per control character in `text`, at its line and column, up to SHOWN_PER_FILE."""
    found = list(CONTROL_CHARACTERS.finditer(text))
    for match in found[:SHOWN_PER_FILE]:
        add(shown, _pos_in(text, match.start()), f"control character U+{ord(match[0]):04X} {done[0]}")
    if len(found) > SHOWN_PER_FILE:
        add(shown, _pos_in(text, found[SHOWN_PER_FILE].start()),
            f"{len(found) - SHOWN_PER_FILE} more control characters from here to the end of the file {done[1]}")


def _pos_in(text: str, at: int) -> Pos:
    return Pos(text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1)


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


OUTSIDE = ("this {what} is a link to outside the {where} folder, which a build never reads; "
           "copy it into the {where} instead")


def outside_message(what: str = "file", where: str = "site") -> str:
    return OUTSIDE.format(what=what, where=where)


def contained(path: Path, root: Path, shown: str, report: Report, what: str = "file",
              inside: bool | None = None, where: str = "site") -> bool:
    """Whether the build may read `path`: the one containment rule (see the module's docstring).

    A path that leads out is reported at `shown`. `inside` is the answer when
    the caller knows it already (a plain file in a folder with no link on the way).
    """
    if inside is None:
        inside = is_inside(path, root)
    if not inside:
        report.error(shown, Pos(), outside_message(what, where))
    return inside


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
    except (ValueError, OSError, RuntimeError):  # outside, or a loop of links
        return False
    return True
