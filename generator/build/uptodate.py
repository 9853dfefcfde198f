"""Whether a run of `build` would change nothing, told before the generator is loaded.

A build that wrote the output leaves a stamp in the cache: what it was built from (every file
and folder of the site's content and templates, of the theme and of the generator's own code,
by kind, size, times and inode; site.yaml; the options; Python, the libraries, the folders
Python imports from and the fonts) and the output folder it left (its identity and time, and
every file and folder at its top). A run that finds all of that as it was prints what the build
printed and ends: it loads nothing but this module and looks no deeper into the output. The
rest of the output is trusted as this tool left it, as a build with something to do trusts it
(lastswap.py): a file changed by hand deeper inside it is put right by `build --verify`, which
reads every file.

As for the write manifest (writing.py), a file's time is only as fine as the file system's
clock: a second edit within the same tick leaves it as it was. A stamp is therefore not kept
when any input changed within SLACK of the moment its files were looked at.

The stamp is sealed like every cache entry (sealed.py) and holds only plain values, read
back with marshal.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from generator import identity

from .folders import MARKER, umask
from .listing import SLACK
from .sealed import FOLDER, MAX_STAMP, cache_key, read_value, short, write_value

VERSION = 1


class Stamp:
    """What a build is made from, as found before it read anything."""

    def __init__(self, path: Path | None, described: str, found: identity.Found, safe: bool):
        self.path = path  # where it is kept; None when it can't be (the cache is off)
        self.described = described  # the options, Python, the libraries, the fonts
        self.found = found  # every input file and folder
        self.safe = safe  # no input changed too recently for its time to tell a later edit

    def saved(self) -> dict | None:
        """What the build of these inputs printed, if its stamp is there and the output as it left it."""
        kept = _read(self.path)
        if kept is None or kept.get("described") != self.described or kept.get("found") != self.found:
            return None
        if kept.get("output") != _output(kept.get("out", "")):
            return None
        summary = kept.get("summary")
        return summary if isinstance(summary, dict) else None

    def save(self, out: Path, summary: dict, left: list | None) -> None:
        """Keeps the stamp of a build that succeeded, if the output is still what it left (`left`:
        its contents() as the build saw them last, before the swap): not when anything changed at
        its top since, as an edit made by hand just after the swap."""
        if self.path is None or not self.safe or left is None:
            return
        output = _output(str(out))  # the link, then contents(): what the swap put in place, if unchanged
        if output is None or output[1:] != left:
            return
        kept = {"version": VERSION, "described": self.described, "found": self.found, "out": str(out),
                "output": output, "summary": summary}
        write_value(self.path, kept)


def take(root: Path, out: Path, options: str) -> Stamp:
    """The stamp of a build of the site `root` into `out` with these options (as the command
    got them: they shape the output and what it prints)."""
    started = time.time_ns()
    found: identity.Found = []
    newest = identity.look_at(str(root / "site.yaml"), found)
    # The generator's bytecode (__pycache__) is written by running it; a site's folder of that name is the site's.
    newest = max(newest, identity.look_under(str(identity.PACKAGE), found, skip="__pycache__"))
    theme = identity.default_theme()
    tops = [root / "content", root / "templates"]
    if not theme.is_relative_to(identity.PACKAGE):  # a checkout: the theme is beside the package
        tops.append(theme)
    for top in tops:
        newest = max(newest, identity.look_under(str(top), found))
    described = "\n".join([options, f"umask {umask():04o}", *identity.described()])
    return Stamp(_place(root, out), described, found, safe=newest < started - SLACK)


def forget(root: Path, out: Path) -> None:
    """Removes the stamp of builds of `out`: the output is about to change."""
    path = _place(root, out)
    if path is not None:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


def contents(folder: str) -> list | None:
    """The output folder and what is at its top, as a build left it: its inode, mode and time (a
    name added or removed changes it; a rename, its change time, which is left out), and each
    file and folder there by name, mode, size and times (a file edited in place changes its change
    time; an explainer's folder, its time when a file of it comes or goes). None when it is not
    there, or holds no marker (not this tool's: a build refuses it)."""
    try:
        st = os.stat(folder)
        with os.scandir(folder) as listed:
            found = [(entry.name, *_times(entry.stat(follow_symlinks=False))) for entry in listed]
    except OSError:
        return None
    if not os.path.isfile(os.path.join(folder, MARKER)):
        return None
    return [(st.st_dev, st.st_ino, st.st_mode, st.st_mtime_ns), *sorted(found)]


def _times(st: os.stat_result) -> tuple[int, ...]:
    return st.st_ino, st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _output(out: str) -> list | None:
    """The output as it is now: the link to it too, where folders can't be exchanged."""
    try:
        link = os.lstat(out)
    except OSError:
        return None
    found = contents(out)
    return None if found is None else [_times(link), *found]


def _place(root: Path, out: Path) -> Path | None:
    """Where the stamp of builds of `out` is kept: in the site's cache, unless that is a link (to
    outside the site) or there is no key to seal it with."""
    top = root / FOLDER
    if cache_key() is None or any(p.is_symlink() for p in (top.parent, top)):
        return None
    return top / f"uptodate-{short(str(out))}"


def _read(path: Path | None) -> dict | None:
    kept = read_value(path, MAX_STAMP)
    return kept if isinstance(kept, dict) and kept.get("version") == VERSION else None
