"""What a folder of this tool's (the output, the spare) holds: every name in it, listed once,
then looked at again folder by folder.

Listing every folder of a large output costs more than the rest of a rebuild. A folder's
modification time changes whenever a name in it is added, removed or replaced, so a folder
whose inode and modification time are those seen at the last listing holds the same names,
with the same inodes: it is not listed again, only looked at (one lstat). A file edited in
place keeps its name and inode; the write manifest (writing.py) tells its bytes changed.

File systems keep times coarser than a nanosecond (a clock tick; two seconds on FAT), so a
time close to the listing's own can't be told from a change made just after it: such a
folder (SLACK) is listed again the next time.

A folder's mode changed by hand (chmod) leaves its modification time as it was: the one
lstat that finds a folder unchanged also tells its mode, and a folder whose mode is not
the one a new folder gets under the umask is listed again and noted (Listing.odd), for
the build to give it that mode (the Stage's folders) or to make a new output (the output's).
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .folders import folder_mode

SLACK = 3_000_000_000  # ns

# A folder as listed: its inode and modification time (ns) before the listing, its files
# (name -> inode; a link counts as a file) and its subfolders' names.
Folder = tuple[int, int, dict[str, int], tuple[str, ...]]
Identity = tuple[int, int]  # st_dev and st_ino of a listing's top folder


@dataclass
class Listing:
    taken: int = 0  # time.time_ns() when the listing began
    folders: dict[str, Folder] = field(default_factory=dict)  # "" for the top, "a/b" below
    # The folders found with another mode than a new folder's (folder_mode), and that mode
    # (st_mode): made right by the build; never kept in the cache, found at each listing.
    odd: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    _files: dict[str, int] | None = field(default=None, repr=False, compare=False)

    def files(self) -> dict[str, int]:
        """Every file under the top as output name -> inode."""
        if self._files is None:
            self._files = {f"{folder}/{name}" if folder else name: inode
                           for folder, (_, _, files, _) in self.folders.items() for name, inode in files.items()}
        return self._files

    def folder_names(self) -> set[str]:
        """Every folder below the top."""
        return self.folders.keys() - {""}


def list_tree(top: str, last: Listing | None = None) -> Listing:
    """Lists the folder `top` (a link to a folder is followed there only), keeping from `last`
    every folder that is unchanged since, its mode included: `last` itself when that is every
    folder. An empty Listing when there is no such folder."""
    listing = Listing(time.time_ns())
    mode = folder_mode(os.path.dirname(top))  # every folder's, as one made there now has it
    old = last.folders if last is not None else {}
    trusted = last.taken - SLACK if last is not None else 0  # times before this can't hide a change
    scanned = False
    todo = [""]
    while todo:
        name = todo.pop()
        path = f"{top}/{name}" if name else top
        kept = old.get(name)
        # The top is listed again each time (one folder): a name added there with the folder's time
        # put back by hand is seen, and taken out of the output or the spare, by the next build.
        if kept is not None and _unchanged(path, kept, trusted, mode, follow=not name) and (name or _holds(path, kept)):
            folder = kept
        else:
            scanned = True
            found = _scan(path, follow=not name)
            if found is None:  # gone, or a link or a file in its place
                if last is not None and name:  # then its folder changed too: listed anew, from the top
                    return list_tree(top)
                continue
            folder, st_mode = found
            if st_mode != mode:
                listing.odd[name] = st_mode
        listing.folders[name] = folder
        todo.extend(f"{name}/{sub}" if name else sub for sub in folder[3])
    if last is not None and not scanned and len(listing.folders) == len(old):
        last.odd = {}  # every folder has its mode now: any odd one was given it since
        return last
    return listing


def _unchanged(path: str, kept: Folder, trusted: int, mode: int, follow: bool) -> bool:
    """Whether the folder is the one listed, unchanged since, and a folder of the mode a new one gets."""
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except OSError:
        return False
    return kept[0] == st.st_ino and kept[1] == st.st_mtime_ns < trusted and st.st_mode == mode


def _holds(path: str, kept: Folder) -> bool:
    """Whether the folder holds the names and inodes it held when listed."""
    found = _scan(path, follow=True)
    return found is not None and found[0][2] == kept[2] and sorted(found[0][3]) == sorted(kept[3])


def _scan(path: str, follow: bool) -> tuple[Folder, int] | None:
    """A folder's names, and its inode and time taken before them, with its st_mode; None if
    `path` is not a folder (a link to one is not followed but for the top: `follow`)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | (0 if follow else os.O_NOFOLLOW))
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
            return None
        raise
    try:
        st = os.fstat(fd)
        files: dict[str, int] = {}
        subfolders = []
        with os.scandir(fd) as entries:  # the folder opened, whatever takes its name meanwhile
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append(entry.name)
                else:
                    files[entry.name] = entry.inode()
    finally:
        os.close(fd)
    return (st.st_ino, st.st_mtime_ns, files, tuple(subfolders)), st.st_mode


def identity(top: str) -> Identity | None:
    try:
        st = os.stat(top)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class Listings:
    """The last listing of each folder listed, by the folder's identity, so one that was
    renamed since (the Stage swapped in as the output, the output kept as the spare) is
    still known. Each is read from the cache (`load`) when first wanted."""

    def __init__(self, load: Callable[[Identity], Listing | None]):
        self.load = load
        self.known: dict[Identity, Listing | None] = {}
        self.changed: set[Identity] = set()  # listed anew since last saved

    def of(self, top: str) -> Listing:
        """What `top` holds now."""
        key = identity(top)
        if key is None:
            return Listing()
        if key not in self.known:
            self.known[key] = self.load(key)
        last = self.known[key]
        listing = self.known[key] = list_tree(top, last)
        if listing is not last:
            self.changed.add(key)
        return listing

    def kept(self, tops: list[str]) -> dict[Identity, Listing | None]:
        """The listings of these folders (the output and the spare) as the cache should hold them:
        those listed anew, and None for those it holds already."""
        keys = {key for key in map(identity, tops) if key is not None}
        return {key: self.known.get(key) if key in self.changed else None for key in keys}
