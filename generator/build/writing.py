"""The output side of a build: what the output holds as this tool wrote it, and writing what changed.

A published build makes a new folder (a Stage) and swaps it in whole; the
preview updates its own folder file by file. The write manifest (each file's
digest, size and modification time as written) lets a build know which output
files are still as written without reading them.

A file system keeps times coarser than a nanosecond (whole seconds on some, two on FAT):
a file edited by hand within the same tick as the build wrote it keeps the time written,
and, at the same size, looks as written. So, as git does with the entries of its index
that it calls racily clean, a file whose time is not safely older (SLACK) than the time
the manifest was taken is not taken as written on its time alone: its bytes are read
and their digest compared. Files written long before a build cost no more than a stat.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Mapping
from pathlib import Path

from .cache import Cache
from .filemap import FileMap
from .fingerprint import digest
from .folders import MARKER, folders_of, ours, remove, spare_path, umask
from .lastswap import LastSwap, Untrusted
from .listing import SLACK, Listings
from .output import update, write
from .stage import Stage
from .uptodate import contents

Written = dict[str, tuple[str, int, int]]  # output name -> (digest, size, mtime_ns) as written


class Writer:
    """The output folder of a Builder, and what it knows of it between builds."""

    def __init__(self, out: Path, cache: Cache, in_place: bool, verify: bool = False):
        self.out = out
        self.verify = verify  # every file's bytes read, whatever its time
        # What the top of the output held as the last build saw it last (uptodate.contents): before
        # its files were checked, or the new output's just before the swap; None if unknown.
        self.left: list | None = None
        self.cache = cache
        self.in_place_wanted = in_place  # the preview: updated file by file, once there is output
        self.stage: Stage | None = None  # the new output folder, while a build fills it
        self.locked = False  # whether the build holds the output's lock (output.locked)
        self.before: Mapping[str, str] = {}  # the output as the build found it: see found()
        self.inodes: dict[str, int] | None = None  # the inode of each of those files, when found() looked
        self.written: Written | None = None  # None until read from the cache
        # Its digests as a plain mapping (a look-up in it takes no step of Python), and the manifest
        # they are of: changed with it where a write changes it name by name (_written), made
        # again once it is made anew.
        self.plain: tuple[Written, dict[str, str]] | None = None
        self.saved_written: Written | None = None  # what the cache holds of it
        self.taken = self.saved_taken = 0  # time_ns when the manifest was taken (the cache's)
        self.checked = 0  # files taken as written in found() only once their bytes were read
        # What the output and the spare held when last listed; verifying, every folder is listed anew.
        self.listings = Listings(lambda identity: None if verify else cache.listing(out, identity))
        # The record of the last swap (lastswap.py), for a build holding the output's lock; the names
        # in which the spare differs from the output, when it vouched for them (never when verifying).
        self.lastswap: LastSwap | None = None
        self.vouched: set[str] | None = None
        self.differ: set[str] | None = None  # those names after this build's write, when known
        self.keepable = False  # whether the output is as a build of this tool made it, whole, after the write

    def found(self, trusting: bool = False) -> Mapping[str, str]:
        """Digests of the output files that are still as this tool wrote them.

        The preview's folder is its own: after a good build in this process it is
        taken as written, without looking at every file, while it is there at all.
        A file deleted from it by hand fails one build, and the next looks at everything.
        """
        if self.written is None:
            self.taken, self.written = self.cache.manifest(self.out)
            self.saved_taken, self.saved_written = self.taken, self.written
        if trusting and self.in_place_wanted and (self.out / MARKER).is_file():
            self.inodes = None
            return self._digests()
        out = str(self.out)  # plain strings: this runs for every output file
        self.vouched = self.lastswap.take(self.taken) if self.lastswap is not None else None
        # The output's top as found now: the record's check lists it.
        self.left = self.lastswap.found if self.lastswap is not None else contents(out)
        if self.verify and self.lastswap is not None:  # every file read: none taken on the record's word
            self.vouched, self.lastswap.output_as_left = None, False
        if self.vouched is not None:  # the output as the last swap left it: its files as written
            self.inodes = None
            return self._digests()
        before, self.inodes = {}, {}
        self.checked = 0
        mode = stat.S_IFREG | 0o666 & ~umask()  # a file made read-only by hand is not the file written either
        # A time before this tells an edit made after the manifest was taken; verifying, none does.
        trusted = 0 if self.verify else self.taken - SLACK
        # Files at the top changed since the last swap (their change time tells) are read.
        suspect = self.lastswap.changed_at_top if self.lastswap is not None else set()
        for name, (digest_, size, mtime) in self.written.items():
            try:
                st = os.lstat(f"{out}/{name}")  # a link put in its place is not the file written
            except OSError:
                continue
            if st.st_size == size and st.st_mtime_ns == mtime and st.st_mode == mode and (
                    mtime < trusted and name not in suspect or self._same(f"{out}/{name}", digest_)):
                before[name] = digest_
                self.inodes[name] = st.st_ino
        return before

    def _digests(self) -> dict[str, str]:
        """The write manifest's digests, name by name."""
        written = self.written or {}
        if self.plain is None or self.plain[0] is not written:
            self.plain = (written, {name: w[0] for name, w in written.items()})
        return self.plain[1]

    def _same(self, path: str, wanted: str) -> bool:
        """Whether the file holds the bytes of that digest: read, for its time can't tell."""
        self.checked += 1
        try:
            return digest(Path(path)) == wanted
        except OSError:
            return False

    def in_place(self, before: Mapping[str, str]) -> bool:
        """Whether this build updates the output file by file (the preview, once there is output)."""
        return self.in_place_wanted and bool(before) and (self.out / MARKER).is_file()

    def write(self, made: FileMap, before: Mapping[str, str], trusting: bool) -> list[str]:
        """Writes what changed: in place for the preview, else through a new folder swapped in whole (output.write).

        When every file is already in the output as written, there is nothing to do.
        """
        files, digests = made.files, made.digests
        trusting = trusting and self.in_place(before)  # the preview's own folder, as it wrote it
        # Trusted, the folder holds what the last build wrote: only the names touched may differ.
        names = made.touched if trusting else None
        gone: set[str] = set()
        old = self.written or {}
        self.differ, self.keepable = None, False
        try:
            if names is not None:
                gone = {name for name in names if name not in files and name in before}
                changed = update(self.out, files, digests, before, gone=gone, names=names)
            elif not (new := {name for name in files if before.get(name) != digests[name]}) and (
                    set(before) == set(files) if trusting or self.vouched is not None else self.holds_only(files)):
                changed = []  # a Stage made meanwhile holds the same bytes: it is discarded
                self.differ, self.keepable = self.vouched, not trusting  # the output and the spare as they were
            elif self.in_place(before):
                changed = update(self.out, files, digests, before, gone=set(before) - set(files) if trusting else None)
                self.left = None
            else:
                changed = self._swap(files, digests, before, new)
                self.keepable = True
                if self.lastswap is not None and self.lastswap.output_as_left:
                    # What the spare (the output replaced) holds differently: what this build changed,
                    # and whatever it could not vouch for there.
                    self.differ = new | (old.keys() - files.keys()) | (old.keys() - before.keys())
        except BaseException:
            self.written = {}  # unknown now: the next build checks everything
            self.left = None
            raise
        self.written = self._written(files, digests, before, changed, gone if names is not None else None)
        return changed

    def _swap(self, files: dict, digests: dict[str, str], before: Mapping[str, str], new: set[str]) -> list[str]:
        """Makes the new output in the Stage and swaps it in: by the names that may differ alone
        when the last swap's record vouched for the spare, else looking at all of it."""
        stage = self.stage or self.new_stage()
        names = None
        if self.vouched is not None:
            if not (stage.spare and not stage.made and stage.linkable):  # not the spare vouched for
                raise Untrusted(str(stage.folder))
            names = self.vouched | new | (before.keys() - files.keys())
        changed = write(self.out, files, digests, before, stage, new, self.inodes, names)
        self.left = stage.left
        self.stage = None  # swapped in: the previous output is the spare now
        return changed

    def holds_only(self, files: Mapping[str, object]) -> bool:
        """Whether the output folder holds these files and nothing else, an empty folder included,
        and each of its folders has the mode a new one gets (a new output is made if not)."""
        listed = self.listings.of(str(self.out))
        return (listed.files().keys() == files.keys() and listed.folder_names() == folders_of(files) - {""}
                and not listed.odd)

    def _written(self, files: dict, digests: dict[str, str], before: Mapping[str, str], changed: list[str],
                 gone: set[str] | None) -> Written:
        """The write manifest after a write: the last one with the changed and removed names only,
        when they are known (`gone`, or every file of it was found as written), else made again
        for every file."""
        last = self.written or {}
        removed = gone
        if removed is None and len(before) == len(last):  # every file of it found as written: before's names are its own
            removed = last.keys() - files.keys()
        plain = None
        if removed is not None:
            written = dict(last) if last is self.saved_written and (changed or removed) else last
            plain = self.plain[1] if self.plain is not None and self.plain[0] is last else None
            for name in removed:
                written.pop(name, None)
                if plain is not None:
                    plain.pop(name, None)
        else:
            written = {name: last[name] for name in files if name in before and name not in changed}
        out = str(self.out)  # plain strings: this runs for every file a cold build writes
        for name in changed:
            st = os.stat(f"{out}/{name}")
            written[name] = (digests[name], st.st_size, st.st_mtime_ns)
        if plain is not None:  # the digests changed alike
            plain.update((name, digests[name]) for name in changed)
            self.plain = (written, plain)
        # Taken now, after every write: a file's time is safe once it is older than this by SLACK.
        # Not when the files were taken as written unlooked (`gone` known): the preview's own
        # trust must not make a file written since the last look safe for later builds.
        if gone is None and (changed or self.checked):
            self.taken = time.time_ns()
        return written

    def new_stage(self) -> Stage:
        """The folder the new output is made in: the spare beside the output, which only
        a build holding the output's lock may use."""
        return Stage(self.out, spare=self.locked, listings=self.listings)

    def drop_spare(self) -> None:
        """Removes the spare after a system error, so the next build makes a new one: an error met
        in it (a folder someone made read-only, moved there from the output by the last swap) would
        otherwise meet every build, even once the output is fixed or removed. Under the output's lock."""
        spare = spare_path(self.out)
        if ours(spare):
            with contextlib.suppress(OSError):
                remove(spare)

    def discard(self) -> None:
        """Removes the Stage of a build that failed or was interrupted."""
        if self.stage is not None:
            self.stage.discard()
            self.stage = None

    def save(self) -> None:
        """Saves the write manifest when it differs from what the cache holds."""
        if self.written is not None and (self.written != self.saved_written or self.taken != self.saved_taken):
            self.cache.save_manifest(self.out, self.taken, self.written)
            self.saved_taken, self.saved_written = self.taken, self.written
        if self.listings.changed:
            self.cache.save_listings(self.out, self.listings.kept([str(self.out), str(spare_path(self.out))]))
            self.listings.changed = set()
