"""Content problems, reported the way compilers report them.

Authors meet these every day, so each one carries the file, line and column
it is about and prints as ``path:line:col: error: message``. A build collects
every problem of a run before it stops, so one run shows them all.
"""

from __future__ import annotations

import errno
import itertools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

# Characters no author text may hold (sources.read_text, nodes.compose): the C0 controls
# but tab, line feed and carriage return, DEL and the C1 controls, lone
# surrogates, U+FFFE and U+FFFF. XML 1.0 forbids most of them, so one would
# make feed.xml unreadable; the others are invisible in an editor yet reach
# the page, and none belongs in a message printed to a terminal either.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class Pos(NamedTuple):
    """A 1-based position in a source file."""

    line: int = 1
    col: int = 1


class Problem(NamedTuple):
    """A problem found in the site's files.

    A tuple, as Pos is: a rebuild hands its report every kept explainer's warnings
    again, and a tuple hashes and compares without calling back into Python.
    """

    path: str  # relative to the site folder, with forward slashes
    pos: Pos
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        if self.pos == NOWHERE:  # about a whole file or folder
            return f"{self.path}: {self.severity}: {self.message}"
        return f"{self.path}:{self.pos.line}:{self.pos.col}: {self.severity}: {self.message}"


NOWHERE = Pos(0, 0)  # a problem with a file as a whole, such as one the system could not write


@dataclass
class Report:
    """Collects the problems of one run, in the order they were found."""

    # Each problem once, in order (a dict keeps it): a rebuild hands the report every kept
    # explainer's warnings again, and a dict takes them in without a step of Python each.
    _found: dict[Problem, None] = field(default_factory=dict, repr=False)
    _split: tuple[int, list[Problem], list[Problem]] = field(default_factory=lambda: (0, [], []), repr=False)

    def error(self, path: str, pos: Pos, message: str) -> None:
        self._found.setdefault(Problem(path, pos, message, "error"))

    def warning(self, path: str, pos: Pos, message: str) -> None:
        self._found.setdefault(Problem(path, pos, message, "warning"))

    def extend(self, problems: Iterable[Problem]) -> None:
        # A broken shared template fails every page alike: said once.
        self._found.update(dict.fromkeys(problems))

    @property
    def problems(self) -> list[Problem]:
        return list(self._found)

    @property
    def errors(self) -> list[Problem]:
        return list(self._by_severity()[1])

    @property
    def warnings(self) -> list[Problem]:
        return list(self._by_severity()[2])

    def _by_severity(self) -> tuple[int, list[Problem], list[Problem]]:
        """The problems split into errors and warnings, found again only for problems added
        since: a build asks after every stage."""
        done, errors, warnings = self._split
        if done < len(self._found):
            for problem in itertools.islice(self._found, done, None):
                (errors if problem.severity == "error" else warnings).append(problem)
            self._split = (len(self._found), errors, warnings)
        return self._split

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.path, p.pos))


class BuildError(Exception):
    """Raised when a run found content errors; carries all of them."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def quote(value: object, limit: int = 60) -> str:
    """Shows an offending value in a message, shortened and on one line."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if CONTROL_CHARACTERS.search(text):  # shown, not sent to the terminal
        text = CONTROL_CHARACTERS.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
    return f'"{text}"'


# What to do about an error of the system, by its errno.
OS_ADVICE = {
    errno.EACCES: "give this user access to it (chmod, chown), or use another folder",
    errno.EPERM: "give this user access to it (chmod, chown), or use another folder",
    errno.EROFS: "the file system is mounted read-only: use a folder on a writable one",
    errno.ENOSPC: "the disk is full: free some space and run again",
    errno.EDQUOT: "the disk quota is used up: free some space and run again",
    errno.ENAMETOOLONG: "the name is too long for the file system: shorten it",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n) and run again",
    errno.ENFILE: "too many open files on the system: run again when fewer are open",
    errno.EIO: "the disk could not be read or written: check it",
    errno.EBUSY: "it is in use or a mount point: use another folder",
    errno.EXDEV: "it is on another file system: use a folder on the same one",
}


def os_problem(exc: OSError, root: Path | None = None) -> Problem:
    """An error of the system (a file not writable, a full disk) as `path: error: message`,
    with what to do; the path is shown from the site folder when it is inside it."""
    path = exc.filename if exc.filename is not None else exc.filename2
    shown = "(unknown file)" if path is None else os.fsdecode(path)
    if root is not None and path is not None:
        inside = os.path.relpath(os.path.abspath(shown), root)
        shown = shown if inside.startswith("..") else inside.replace(os.sep, "/")
    what = exc.strerror or str(exc) or type(exc).__name__
    what = what[:1].lower() + what[1:]
    advice = OS_ADVICE.get(exc.errno) if exc.errno is not None else None
    return Problem(shown, NOWHERE, f"{what}; {advice}" if advice else what)
