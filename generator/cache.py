"""The build cache on disk, in the site's git-ignored .cache/ folder.

It lets a new run of the command redo only what changed since the last one:
for each explainer folder, the fingerprint of its inputs and what was made
from them (without the page body, which is in the output); and for each
output folder, what was written there. Anything unreadable, from another
version or made from other inputs is ignored and made anew, so deleting
the folder is always safe. Nothing here is trusted for more than speed: a
cached page is used only while the output file is the one written.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from .making import Done

VERSION = 4  # bump when Done or what it holds changes shape
FOLDER = Path(".cache") / "explainer-build"


class Cache:
    """Per-explainer entries under one key (the build options), and write manifests."""

    def __init__(self, root: Path | None, key: str):
        self.folder = None if root is None else root / FOLDER / f"v{VERSION}-{_short(key)}"

    def get(self, folder: Path) -> Done | None:
        """The explainer made from `folder` (without its page), or None."""
        done = self._load(self._entry(folder))
        return done if isinstance(done, Done) and done.explainer is not None else None

    def put(self, folder: Path, done: Done) -> None:
        self._save(self._entry(folder), replace(done, page=None, extras=None))  # the output holds those

    def stubs(self) -> tuple[dict[Path, Done], dict]:
        """Every explainer's stub, and the key and digests of each group of site-wide files."""
        found = self._load(self._index())
        try:
            stubs, sitewide = found
            if isinstance(sitewide, dict) and all(isinstance(k, Path) and isinstance(v, Done)
                                                  for k, v in stubs.items()):
                return stubs, sitewide
        except (TypeError, ValueError, AttributeError):
            pass
        return {}, {}

    def save_stubs(self, stubs: dict[Path, Done], sitewide: dict) -> None:
        self._save(self._index(), ({k: replace(d.stub(), summary=None) for k, d in stubs.items()}, sitewide))

    def summaries(self) -> dict[Path, tuple[str, bytes]]:
        """Each explainer's summary, pickled, under its listing digest: kept apart from the
        stubs, for only a change to what site-wide pages show needs them."""
        found = self._load(None if self.folder is None else self.folder / "summaries.pickle")
        return found if isinstance(found, dict) else {}

    def save_summaries(self, summaries: dict[Path, tuple[str, bytes]]) -> None:
        self._save(None if self.folder is None else self.folder / "summaries.pickle", summaries)

    def drop(self, folder: Path) -> None:
        if self.folder is not None:
            try:
                self._entry(folder).unlink(missing_ok=True)
            except OSError:
                pass

    def file_digests(self) -> dict[str, tuple[int, int, int, str]]:
        """Digests of source files by (size, mtime_ns, inode), so unchanged files are not read."""
        found = self._load(None if self.folder is None else self.folder / "files.pickle")
        return found if isinstance(found, dict) else {}

    def save_file_digests(self, known: dict) -> None:
        self._save(None if self.folder is None else self.folder / "files.pickle", known)

    def maps(self, key: str) -> dict[str, str]:
        """Locator map drawings (code -> SVG paths) made from the world map and code `key`."""
        found = self._load(None if self.folder is None else self.folder / "maps.pickle")
        return found[1] if isinstance(found, tuple) and len(found) == 2 and found[0] == key else {}

    def save_maps(self, key: str, drawn: dict[str, str]) -> None:
        self._save(None if self.folder is None else self.folder / "maps.pickle", (key, drawn))

    def compiled_templates(self, code: str) -> Path | None:
        """The folder for compiled templates, by the generator's code (which compiles them);
        folders of other versions are removed."""
        if self.folder is None:
            return None
        folder = self.folder / f"templates-{_short(code)}"
        try:
            for old in self.folder.glob("templates-*"):
                if old != folder:
                    shutil.rmtree(old, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return folder

    def _index(self) -> Path | None:
        return None if self.folder is None else self.folder / "index.pickle"

    def manifest(self, out: Path) -> dict[str, tuple[str, int, int]]:
        """What the last run wrote into `out`: name -> (digest, size, mtime_ns)."""
        found = self._load(self._manifest(out))
        return found if isinstance(found, dict) else {}

    def save_manifest(self, out: Path, written: dict[str, tuple[str, int, int]]) -> None:
        self._save(self._manifest(out), written)

    def _entry(self, folder: Path) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / "explainers" / f"{folder.name}-{_short(str(folder))}.pickle"

    def _manifest(self, out: Path) -> Path | None:
        return None if self.folder is None else self.folder / f"written-{_short(str(out))}.pickle"

    def _load(self, path: Path | None):
        if path is None:
            return None
        try:
            with open(path, "rb") as f:
                return pickle.load(f)
        except FileNotFoundError:
            return None
        except Exception:  # a damaged or foreign file: made anew
            return None

    def _save(self, path: Path | None, value) -> None:
        """Writes beside, then renames: a reader sees the old entry or the new one."""
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".new-")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        except OSError:  # a read-only site still builds, only without the cache
            return


def _short(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
