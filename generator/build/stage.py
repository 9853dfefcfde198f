"""The Stage: the folder beside the output that becomes the new output.

Explainers' pages are written there as soon as they are made, by the process
that made them, and at the end the Stage is made the complete new output:
every file whose bytes are in the output already is hard-linked from there
(a link, not a copy), the rest written (then swap.py puts it in the output's place).

The previous output, now in the Stage's place, is kept as `.NAME.spare`
for the next build to make into its new output: its files are mostly the
same (hard links to the very files of the output), so a build that changed
one explainer changes only that explainer's files and the site-wide pages
there, rather than making a folder and a link for every page of the site.
A Stage is made complete from whatever it holds: what is not a link to the
output's file of the same bytes is written again, what the build does not
make is removed; so a spare left in any state by a killed build is as good.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
from collections.abc import Mapping
from pathlib import Path

from . import folders
from .folders import (
    MARKER,
    MARKER_TEXT,
    STAGE,
    clear,
    folder_mode,
    folders_of,
    give_folder_mode,
    link,
    marker_of,
    marker_text,
    name_beside,
    ours,
    remove,
    remove_tree,
    spare_path,
    under,
)
from .lastswap import Untrusted
from .listing import Listings
from .sources import Content, Staged


class Stage:
    """A folder beside `out` that becomes the new output: filled during the build, made
    complete and swapped in at its end.

    With `spare`, it is the previous output kept beside the output, and what it
    becomes after the swap; the build must hold the output's lock (locked()).
    Without, a new folder, removed after the swap.
    """

    def __init__(self, out: Path, spare: bool = False, listings: Listings | None = None):
        self.out = out
        self.listings = listings or Listings(lambda identity: None)  # what the output and the spare held when last listed
        if os.path.isdir(out):
            _check_writable(out)
        wanted = marker_text()
        # An output or a spare made under another umask (its marker says which) has files of
        # other modes: they are copied, never linked or kept, for giving a link this umask's
        # modes would change the live output's file (the same inode) before the swap.
        self.linkable = marker_of(out) == wanted
        self.mode = folder_mode(out.parent)  # the st_mode of a folder made now, which each of its folders must have
        found = _spare_folder(out, wanted) if spare else ""
        self.spare = bool(found)
        self.made = found != "kept"  # by this build: removed if the build fails
        self.folder: Path | None = spare_path(out) if self.spare else _new_folder(out)
        self.identity = os.lstat(self.folder)  # the folder as the build found or made it
        self.left: list | None = None  # its top as filled, just before the swap (uptodate.contents)

    def is_folder(self, path: Path) -> bool:
        """Whether `path` names the Stage's folder itself (not a link, nor a folder put in its place)."""
        try:
            return os.path.samestat(os.lstat(path), self.identity)
        except OSError:
            return False

    def check_folder(self) -> None:
        """Refuses to go on when the Stage's name no longer names its folder: someone moved it
        and put something else, a link say, in its place while the build ran."""
        if self.folder is not None and not self.is_folder(self.folder):
            raise replaced(self.out)

    def put(self, files: Mapping[str, Content], digests: Mapping[str, str],
            before: Mapping[str, str]) -> list[str]:
        """Writes bytes, or copies a file, under each output name; a file whose
        bytes are in the output already (`before`) is hard-linked from there.
        Returns the names written rather than linked."""
        known: set[str] = set()  # folders of the Stage found or made real folders here
        fresh: set[str] = set()  # those made here, which hold nothing but what this call puts
        written = []
        stage, out = str(self.folder), str(self.out)
        for name, content in files.items():
            target = f"{stage}/{name}"
            parent = target.rpartition("/")[0]
            if parent not in known:
                _make_folder(stage, parent, known, fresh, self.mode)
            if self.linkable and before.get(name) == digests[name] and link(f"{out}/{name}", target):
                continue
            written.append(name)
            self._write(name, target, content, parent in fresh)
        return written

    def fill(self, files: Mapping[str, Content], digests: Mapping[str, str],
             before: Mapping[str, str], inodes: Mapping[str, int] | None = None) -> list[str]:
        """Makes the Stage the complete new output, whatever it held: a file that is
        the output's own file (the same inode) where the output has the bytes wanted
        is kept, and so is a file written by this build (Staged); every other is
        linked from the output or written; what the build does not make is removed.
        `inodes` are those of the output's files in `before`, if the caller has them; else
        the output is listed. Returns the names written rather than linked or kept."""
        stage, out = str(self.folder), str(self.out)
        listed = self.listings.of(stage)
        held, held_folders = listed.files(), listed.folder_names()
        for name in listed.odd:  # a mode changed by hand, in the output the spare was
            give_folder_mode(f"{stage}/{name}" if name else stage, self.mode)
        live = (inodes if inodes is not None else self.listings.of(out).files()) if before else {}
        wanted = folders_of(files)
        # What the new output lacks goes first: a folder may stand where a file is to go, or the other way.
        gone = held_folders - wanted
        for name in held.keys() - files.keys():
            if not under(name, gone):
                os.unlink(f"{stage}/{name}")
        for name in gone:
            if not under(name, gone):
                remove_tree(f"{stage}/{name}")
        there = held_folders & wanted
        known: set[str] = set()
        fresh: set[str] = set()
        written = []
        for name, content in files.items():
            target = f"{stage}/{name}"
            if isinstance(content, Staged):
                continue
            if name == MARKER:  # the Stage's own from the start: replaced, never removed
                same = before.get(name) == digests[name] and name in live
                if not (same and held.get(name) == live[name]) and isinstance(content, bytes):
                    _mark(stage, content, f"{out}/{name}" if same else None)
                continue
            parent = name.rpartition("/")[0]
            if parent and parent not in there:
                _make_folder(stage, f"{stage}/{parent}", known, fresh, self.mode)
                there.add(parent)
            if before.get(name) == digests[name] and name in live:
                if self.linkable and (held.get(name) == live[name] or link(f"{out}/{name}", target)):
                    continue
                content = Path(f"{out}/{name}") if content is None else content  # not linked: a copy
            written.append(name)
            self._write(name, target, content, f"{stage}/{parent}" in fresh)
        return written

    def fill_names(self, files: Mapping[str, Content], digests: Mapping[str, str], before: Mapping[str, str],
                   names: set[str]) -> list[str]:
        """Makes the Stage the complete new output by `names` alone: the Stage is the spare, which
        holds the bytes of the output for every other name (lastswap.py vouches for it). Each of
        those names is removed, linked from the output or written. Returns the names written.
        Raises Untrusted when a file to link is not in the output after all."""
        stage, out = str(self.folder), str(self.out)
        real = os.path.realpath(stage)
        for name in sorted(names - files.keys(), reverse=True):  # a folder's files before the folder
            target = f"{stage}/{name}"
            parent = name.rpartition("/")[0]
            if parent and os.path.realpath(f"{stage}/{parent}") != f"{real}/{parent}":
                raise Untrusted(name)  # a link on the way, which would lead the removal out of the Stage
            if os.path.lexists(target):
                clear(target)
                _remove_empty_folders(stage, name)
        known: set[str] = set()
        fresh: set[str] = set()
        written = []
        for name in sorted(names & files.keys()):
            content = files[name]
            if isinstance(content, Staged):
                continue
            target = f"{stage}/{name}"
            if name == MARKER:
                if isinstance(content, bytes):
                    _mark(stage, content, None)
                continue
            parent = name.rpartition("/")[0]
            if parent:
                _make_folder(stage, f"{stage}/{parent}", known, fresh, self.mode)
            if before.get(name) == digests[name]:
                if link(f"{out}/{name}", target):
                    continue
                if content is None:  # to be copied from the output, where it is not after all
                    if not os.path.isfile(f"{out}/{name}"):
                        raise Untrusted(name)
                    content = Path(f"{out}/{name}")
            written.append(name)
            self._write(name, target, content, f"{stage}/{parent}" in fresh)
        return written

    def _write(self, name: str, target: str, content: Content, new_folder: bool = False) -> None:
        # Never written through: it may be a link to the live output's file. In a folder
        # this build made, nothing is there to clear.
        if not new_folder and os.path.lexists(target):
            clear(target)
        try:
            folders.put(Path(target), content)
        except OSError as exc:
            raise self._located(exc, name) from None

    def _located(self, exc: OSError, name: str) -> OSError:
        """The error about the output file, not about the Stage, which users don't know of."""
        if exc.filename is not None and not str(exc.filename).startswith(str(self.folder)):
            return exc  # a source file that could not be read
        return OSError(exc.errno, exc.strerror, str(self.out / name))

    def swapped(self, previous: Path | None) -> None:
        """Takes note that the Stage is the output now, and `previous` holds the last one."""
        spare = spare_path(self.out)
        if self.spare and previous is not None and previous != spare and not os.path.lexists(spare):
            os.rename(previous, spare)  # link mode: the folder the link left is the next spare
            previous = spare
        if self.spare and previous == spare and not (spare / MARKER).is_file():
            with contextlib.suppress(OSError):
                spare.rmdir()  # the output replaced was an empty folder: nothing to keep
            previous = None
        self.folder = None if self.spare and previous in (None, spare) else previous
        self.made = True

    def discard(self) -> None:
        """Removes the Stage, or what it holds after the swap, unless it is the spare kept from before."""
        if self.folder is not None and self.made:
            with contextlib.suppress(OSError):
                remove(self.folder)
        self.folder = None


def replaced(out: Path) -> OSError:
    """The error of a build whose Stage folder someone replaced while it ran."""
    return OSError(errno.EBUSY, "the folder beside the output that the build made its output in was replaced "
                   "while it ran; nothing was changed: run the build again", str(out))


def _spare_folder(out: Path, wanted: bytes) -> str:
    """The spare beside the output for this build: "kept" from the last one, "made"
    now, or "" when something not this tool's has its name. One made under another
    umask than the marker `wanted` names is made anew."""
    spare = spare_path(out)
    kept = ours(spare)
    if kept and marker_of(spare) != wanted:
        try:
            remove(spare)
        except OSError:
            return ""
    if not os.path.lexists(spare):
        _new_folder(out, spare)
        return "made"
    return "kept" if kept else ""


def _new_folder(out: Path, folder: Path | None = None) -> Path:
    """A new folder beside the output, with the marker in it from the start, so that
    whatever a killed build leaves is known for this tool's own."""
    out.parent.mkdir(parents=True, exist_ok=True)
    while True:
        path = folder or name_beside(out, STAGE)
        try:
            os.mkdir(path)  # with the permissions of any new folder: it will be served
        except FileExistsError:
            if folder:
                raise
            continue
        except OSError as exc:
            raise OSError(exc.errno, f"{exc.strerror} (the new output is made beside {out.name}/, "
                          "then swapped in)", str(out.parent)) from None
        try:
            (path / MARKER).write_bytes(MARKER_TEXT)
        except OSError as exc:
            shutil.rmtree(path, ignore_errors=True)
            raise OSError(exc.errno, exc.strerror, str(out)) from None
        return path


def _check_writable(folder: Path) -> None:
    """A read-only output is refused rather than replaced: someone made it so."""
    if os.access(folder, os.W_OK):
        return
    code = errno.EROFS if os.statvfs(folder).f_flag & os.ST_RDONLY else errno.EACCES
    raise OSError(code, f"{os.strerror(code)}: the output folder is read-only", str(folder))


def _make_folder(stage: str, folder: str, known: set[str], fresh: set[str], mode: int) -> None:
    """A folder in the Stage, replacing whatever else stands on its way in a spare
    (a file, or a link, which would lead the build's writes out of the Stage); a folder found
    there of another `mode` than a new one's is given that mode.

    `known` holds the folders found or made real folders by the same caller, each
    step checked once; `fresh` those it made, which it may fill without a look.
    """
    path = stage
    for step in folder[len(stage) + 1:].split("/"):
        parent, path = path, f"{path}/{step}"
        if path in known:
            continue
        fresh.discard(parent)  # it holds a folder now, whose name a file might take
        try:
            os.mkdir(path)  # in a real folder of the Stage: no link is followed out of it
            fresh.add(path)
        except FileExistsError:
            st_mode = os.lstat(path).st_mode
            if not stat.S_ISDIR(st_mode):  # a file, or a link
                os.unlink(path)
                os.mkdir(path)
            elif st_mode != mode:  # a spare's folder whose mode was changed by hand
                give_folder_mode(path, mode)
        known.add(path)


def _remove_empty_folders(stage: str, name: str) -> None:
    """Removes the folders above a name removed from the Stage that hold nothing now."""
    folder = name.rpartition("/")[0]
    while folder:
        try:
            os.rmdir(f"{stage}/{folder}")
        except OSError:  # not empty, or gone already
            return
        folder = folder.rpartition("/")[0]


def _mark(stage: str, content: bytes, source: str | None) -> None:
    """Puts the marker in the Stage, linked from the output's (`source`) if it may be:
    written beside and renamed over the Stage's own, so it is never missing."""
    path = f"{stage}/{MARKER}"
    if os.path.lexists(f"{path}.new"):
        os.unlink(f"{path}.new")
    if source is None or not link(source, f"{path}.new"):
        Path(f"{path}.new").write_bytes(content)
    os.replace(f"{path}.new", path)
