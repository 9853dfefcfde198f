"""Fingerprints: digests of files, folders and the generator's own code.

An explainer is made again when the fingerprint of its folder (with the
templates') changes, and every page when the generator's code or a library
that shapes the output changes (code()).
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from pathlib import Path

from generator import identity
from generator.load.files import is_inside
from generator.render.environment import THEME

Known = dict[str, tuple[int, int, int, int, str]]  # path -> (size, mtime_ns, ctime_ns, inode, digest)


class FileDigests:
    """The digest of each file's bytes, read again only when the file's size, modification
    time, change time or inode changed: an edit made in place with its modification time put
    back (`touch -r`, `cp -p`) still moves its change time, which no one can set.

    A file changed in the last seconds is read every time: a second write
    within the same clock tick would not change its times.
    """

    SETTLED_NS = 2_000_000_000

    def __init__(self, known: Known | None = None):
        self.known = known or {}
        self.changed = False  # since loaded or saved

    def add(self, known: Known) -> None:
        """Takes the digests another FileDigests found (a worker's)."""
        self.known.update(known)
        self.changed = True

    def digest(self, path: str) -> str:
        st = os.stat(path)
        key = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        hit = self.known.get(path)
        if hit is not None and hit[:4] == key:
            return hit[4]
        with open(path, "rb") as f:
            found = hashlib.sha256(f.read()).hexdigest()
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > self.SETTLED_NS:
            self.known[path] = (*key, found)
            self.changed = True
        return found


@functools.cache
def code() -> str:
    """The generator's own code and version, Python's version, the libraries that shape the
    output and the fonts the share images are drawn with: a new version of any may render
    differently (and templates compiled by one Jinja call into its runtime), so pages and
    images are made again and templates compiled anew."""
    # __pycache__ at any depth: Python's bytecode, which running the generator writes.
    return fingerprint([identity.PACKAGE], "\n".join(identity.described()), skip="__pycache__", everywhere=True)


def fingerprint(paths: list[Path], extra: str = "", skip: str = "", files: FileDigests | None = None,
                within: Path | None = None, everywhere: bool = False) -> str:
    """A digest of every file under `paths` (but not under a top-level `skip` folder, or under
    any `skip` folder `everywhere`).

    With `within` (the site folder), a file that is a link to outside it (the theme's
    files: outside the theme) is not read, not even for its digest (it could be
    /proc/kcore): the build refuses it (sources.contained), and its name stands in.
    """
    files = files or FileDigests()
    h = hashlib.sha256(extra.encode())
    for top in paths:
        limit = THEME if top == THEME else within
        links: set[str] = set()
        listed = files_under(str(top), skip, links, everywhere, inside=limit) if top.is_dir() else [str(top)]
        plain = limit is None or is_inside(top, limit)
        for path in listed:
            if not plain or (limit is not None and path in links and not is_inside(Path(path), limit)):
                h.update(os.fsencode(path) + b"\0outside\0")
                continue
            # os.fsencode: a file name need not be UTF-8 (the build reports such a name)
            h.update(os.fsencode(path) + f"\0{files.digest(path)}\0".encode())
    return h.hexdigest()


def files_under(top: str, skip: str = "", links: set[str] | None = None, everywhere: bool = False,
                seen: frozenset[str] | None = None, inside: Path | None = None) -> list[str]:
    """Every file below `top`, but under a `skip` folder at the top (or at any depth, `everywhere`), sorted as
    paths: os.scandir, for it runs once per explainer per build. The files that are links, or lie in a
    folder reached through a link, are added to `links` (fingerprint() then looks where they lead).

    A link to a folder is followed: what it leads to is read by the build (a template included from
    it, an image measured through it), so a change there must change the fingerprint. `seen`: the
    folders on the way here, by their real paths, so a link to one of them is not followed again.
    A link to a folder outside `inside` (the site's folder) is not listed at all (it
    could lead to /): it stands in for its files, as a link to outside (fingerprint())."""
    seen = seen if seen is not None else frozenset({os.path.realpath(top)})
    found = []
    for entry in os.scandir(top):
        if entry.is_dir():
            if entry.name == skip:
                continue
            if entry.is_symlink():
                real = os.path.realpath(entry.path)
                if real in seen:  # a link to a folder it is in: its files are listed there
                    continue
                if inside is not None and not is_inside(Path(entry.path), inside):
                    found.append(entry.path)
                    if links is not None:
                        links.add(entry.path)
                    continue
                under = files_under(entry.path, skip if everywhere else "", links, everywhere, seen | {real}, inside)
                if links is not None:
                    links.update(under)
                found += under
            else:
                found += files_under(entry.path, skip if everywhere else "", links, everywhere, seen, inside)
        elif entry.is_file():
            found.append(entry.path)
            if links is not None and entry.is_symlink():
                links.add(entry.path)
    return sorted(found, key=lambda p: p.split(os.sep))  # the order of sorted Paths


def digest(content: bytes | Path) -> str:
    """The SHA-256 of bytes, or of a file's bytes."""
    data = content.read_bytes() if isinstance(content, Path) else content
    return hashlib.sha256(data).hexdigest()
