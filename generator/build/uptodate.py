"""Whether a run of `build` would change nothing, told before the generator is loaded.

A build that wrote the output leaves a stamp in the cache: what it was built from (every file
and folder of the site's content and templates, of the theme and of the generator's own code,
by kind, size, times and inode; site.yaml; the options; Python, the libraries and the fonts) and
the output folder it left (its identity and time, and its marker file's). A run that finds all
of that as it was prints what the build printed and ends: it loads nothing but this module and
looks at nothing inside the output. The output is trusted as this tool left it: a file changed
by hand deep inside it is put right by `build --verify`, which looks at every file, or by the
next build that has anything to do.

As for the write manifest (writing.py), a file's time is only as fine as the file system's
clock: a second edit within the same tick leaves it as it was. A stamp is therefore not kept
when any input changed within SLACK of the moment its files were looked at.

The stamp is sealed like every cache entry (sealed.py) and holds only plain values, read
back with marshal.
"""

from __future__ import annotations

import marshal
import os
import stat
import time
from pathlib import Path

from generator import identity

from .folders import MARKER, umask
from .listing import SLACK
from .sealed import FOLDER, MAX_STAMP, cache_key, read_plain, seal, short, unseal

VERSION = 1
Found = list[tuple]  # (path, st_mode, st_size, st_mtime_ns, st_ctime_ns, st_ino) of each input, or (path,) if missing


class Stamp:
    """What a build is made from, as found before it read anything."""

    def __init__(self, path: Path | None, described: str, found: Found, safe: bool):
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

    def save(self, out: Path, summary: dict) -> None:
        """Keeps the stamp of a build that succeeded, with the output folder as it left it."""
        if self.path is None or not self.safe:
            return
        kept = {"version": VERSION, "described": self.described, "found": self.found, "out": str(out),
                "output": _output(str(out)), "summary": summary}
        _write(self.path, marshal.dumps(kept))


def take(root: Path, out: Path, options: str) -> Stamp:
    """The stamp of a build of the site `root` into `out` with these options (as the command
    got them: they shape the output and what it prints)."""
    started = time.time_ns()
    found: Found = []
    newest = _look(str(root / "site.yaml"), found)
    theme = identity.default_theme()
    tops = [root / "content", root / "templates", identity.PACKAGE]
    if not theme.is_relative_to(identity.PACKAGE):  # a checkout: the theme is beside the package
        tops.append(theme)
    for top in tops:
        newest = max(newest, _walk(str(top), found))
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


def _walk(top: str, found: Found) -> int:
    """Adds `top` and every file and folder below it to `found` (__pycache__ folders left out),
    in the order the system lists them; returns their newest time. Plain strings and os.scandir:
    this runs for every file of the site."""
    newest = _look(top, found)
    todo = [top]
    while todo:
        try:
            with os.scandir(todo.pop()) as listed:
                entries = list(listed)
        except OSError:  # not a folder, or not there
            continue
        for entry in entries:
            if entry.name == "__pycache__":  # Python's bytecode, written by running the generator
                continue
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISLNK(st.st_mode):
                newest = max(newest, _look(entry.path, found))
                continue
            found.append((entry.path, st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
            newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
            if stat.S_ISDIR(st.st_mode):
                todo.append(entry.path)
    return newest


def _look(path: str, found: Found) -> int:
    """Adds what `path` is to `found`, and its target's too if it is a link; returns its newest
    time. A link to a folder (which the build may follow into places not looked at here) gives
    the time of now: no stamp is kept."""
    try:
        st = os.lstat(path)
    except OSError:
        found.append((path,))
        return 0
    found.append((path, st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    newest = max(st.st_mtime_ns, st.st_ctime_ns)
    if stat.S_ISLNK(st.st_mode):
        try:
            target = os.stat(path)
        except OSError:
            return newest
        if stat.S_ISDIR(target.st_mode):
            return time.time_ns()
        found.append((path, target.st_mode, target.st_size, target.st_mtime_ns, target.st_ctime_ns, target.st_ino))
        newest = max(newest, target.st_mtime_ns, target.st_ctime_ns)
    return newest


def _output(out: str) -> list | None:
    """The output folder (and its link, where folders can't be exchanged) and its marker file, as
    they are now: a build swaps in a new folder, and anything added or removed at its top changes
    its time. None when it is not there."""
    try:
        found = os.lstat(out), os.stat(out), os.lstat(os.path.join(out, MARKER))
    except OSError:
        return None
    return [(st.st_dev, st.st_ino, st.st_mode, st.st_size, st.st_mtime_ns) for st in found]


def _place(root: Path, out: Path) -> Path | None:
    """Where the stamp of builds of `out` is kept: in the site's cache, unless that is a link (to
    outside the site) or there is no key to seal it with."""
    top = root / FOLDER
    if cache_key() is None or any(p.is_symlink() for p in (top.parent, top)):
        return None
    return top / f"uptodate-{short(str(out))}"


def _read(path: Path | None) -> dict | None:
    key = cache_key()
    if path is None or key is None:
        return None
    sealed = read_plain(path, MAX_STAMP)
    data = None if sealed is None else unseal(key, path.name, sealed)
    try:
        kept = marshal.loads(data) if data is not None else None
    except (EOFError, ValueError, TypeError):
        return None
    return kept if isinstance(kept, dict) and kept.get("version") == VERSION else None


def _write(path: Path, data: bytes) -> None:
    """Writes beside, then renames: a reader sees the old stamp or the new one."""
    key = cache_key()
    if key is None:
        return
    temp = path.with_name(f".new-{path.name}-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(seal(key, path.name, data))
        os.replace(temp, path)
    except OSError:  # a read-only site still builds, only without the stamp
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass
