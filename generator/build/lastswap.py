"""What the last swap left: the output and the spare beside it, and the names in which they differ.

A published build makes its new output in the spare (stage.py), which is the output of the
build before the last one. Made complete from whatever it holds, the spare is listed folder
by folder, and every file of the output is looked at (writing.py): on an archive of a
thousand explainers that is most of a one-file rebuild's time.

After a swap the build knows which names differ between the two folders: those it wrote or
removed, and those it could not vouch for in the output it replaced. It keeps that list here,
with each folder's top as the swap left it (uptodate.contents), beside the write manifest. The
next build that finds both tops as they were takes every other file as the swap left it, as a
run with nothing to do does: it makes the spare the new output by those names and its own
changes alone, and looks at no other file.

The list is kept only for a spare that was itself vouched for: the output the build replaced
was found, as the build began, as the swap before had left it. An output changed by hand at
its top is not, and neither is one that no record vouched for; a build after such a change
lists everything again, and so does the one after it, whose spare is that output. A file
changed by hand deeper inside is put right by `build --verify`, which keeps no list.

The record is removed as any build of that output starts (under the output's lock), and kept
only once the output and its write manifest are saved: after a build that failed or was killed
there is none, and the next build looks at everything.
"""

from __future__ import annotations

import marshal
import os
import stat
from pathlib import Path

from .cache import Cache
from .folders import folder_mode, spare_path, umask
from .sealed import short
from .uptodate import contents

VERSION = 1
MOST = 20_000  # names: past this, a record would cost more to read than listing the folders


class Untrusted(Exception):
    """A file the record vouched for is not in the output: the build starts again, looking at everything."""


class LastSwap:
    """The record of the last swap into one output folder, kept in the build cache beside the
    write manifest it goes with."""

    def __init__(self, cache: Cache, out: Path):
        self.cache = cache
        self.out = out
        self.path = None if cache.folder is None else cache.folder / f"lastswap-{short(str(out))}"
        self.output_as_left = False  # whether the output was found as the last swap left it
        # The files and folders at the output's top that are not as the last swap left them: a
        # file there edited in place keeping its size and time is read again, not taken on them.
        self.changed_at_top: set[str] = set()
        self.found: list | None = None  # the output's top (uptodate.contents) as take() found it

    def take(self, taken: int) -> set[str] | None:
        """The names in which the spare differs from the output, when both are as the last swap
        left them and `taken` is the time of the write manifest saved with the record. The record
        is removed either way: the build is about to change them."""
        kept = self._read()
        self.forget()
        now = self.found = contents(str(self.out))
        if not (kept and kept.get("version") == VERSION and kept.get("taken") == taken):
            self.output_as_left, self.changed_at_top = False, set()
            return None
        self.output_as_left = kept.get("output") == now
        self.changed_at_top = _changed_at_top(kept.get("output"), now)
        if not (self.output_as_left and kept.get("spare") is not None
                and kept["spare"] == contents(str(spare_path(self.out)))):
            return None
        differ = kept.get("differ")
        return set(differ) if isinstance(differ, list) and all(isinstance(n, str) for n in differ) else None

    def keep(self, output: list | None, taken: int, differ: set[str] | None) -> None:
        """Keeps the record of the output a build left (`output`: its top as the swap put it in
        place), once its write manifest, taken at `taken`, is saved; with the names in which the
        spare differs from it (`differ`), when the spare was vouched for. Not when either top
        changed since, or is not as a build makes it."""
        folder = folder_mode(self.out.parent)
        if self.path is None or output is None or contents(str(self.out)) != output or not _as_made(output, folder):
            return
        spare = None
        if differ is not None and len(differ) <= MOST:
            spare = contents(str(spare_path(self.out)))
            if spare is None or not _as_made(spare, folder):
                spare = None
        record = {"version": VERSION, "taken": taken, "output": output, "spare": spare,
                  "differ": sorted(differ) if spare is not None and differ is not None else None}
        self.cache.write(self.path, marshal.dumps(record))

    def forget(self) -> None:
        if self.path is not None:
            try:
                os.unlink(self.path)
            except OSError:
                pass

    def _read(self) -> dict | None:
        data = self.cache.read(self.path)
        try:
            kept = None if data is None else marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None
        return kept if isinstance(kept, dict) else None


def _as_made(top: list, folder: int) -> bool:
    """Whether a folder's top (uptodate.contents) has the modes a build gives: every folder
    `folder` (a new folder's), every file that of a new file (a mode changed by hand leaves the
    times as they were, and is put right only by a build that lists the folder)."""
    file = stat.S_IFREG | 0o666 & ~umask()
    return top[0][2] == folder and all(mode == (file if stat.S_ISREG(mode) else folder)
                                       for _name, _ino, mode, *_ in top[1:])


def _changed_at_top(left: object, now: list | None) -> set[str]:
    """The names at the top of a folder whose entries differ between two of its contents()."""
    if not isinstance(left, list) or now is None:
        return set()
    entries = {entry[0]: entry for entry in left[1:] if isinstance(entry, tuple) and entry}
    return {entry[0] for entry in now[1:] if entries.get(entry[0]) != entry}
