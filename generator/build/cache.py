"""The build cache on disk, in the site's git-ignored .cache/ folder.

It lets a new run of the command redo only what changed since the last one:
for each explainer folder, the fingerprint of its inputs and what was made
from them (without the page body, which is in the output); and for each
output folder, what was written there. Anything unreadable, from another
version or made from other inputs is ignored and made anew, so deleting
the folder is always safe. Nothing here is trusted for more than speed: a
cached page is used only while the output file is the one written.

The folder is inside the site, so anyone who can write the site (a shared
checkout, an archive someone sent) can write it too. Every entry is therefore
sealed with an HMAC-SHA256 under a key kept outside the site, in the user's
own cache folder (or given by EXPLAINER_CACHE_KEY): an entry whose seal does
not match is never unpickled or unmarshalled, only made anew. A sealed pickle
is still unpickled by an Unpickler that knows only the generator's own model
classes and the few standard types they hold.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import pickle
import secrets
import shutil
from collections.abc import Iterable
from datetime import date
from pathlib import Path, PosixPath, PurePosixPath

from markupsafe import Markup

from generator.errors import Pos, Problem
from generator.features import search
from generator.load.files import is_inside
from generator.model import common, page, source
from generator.model.page import Explainer

from .compiled import CompiledTemplates
from .listing import Identity, Listing
from .records import Record
from .sealed import FOLDER, MAX_ENTRY, cache_key, read_sealed, short, write_sealed

# --------------------------------------------------------------------------
# Unpickling only what the cache holds
# --------------------------------------------------------------------------

def _allowed() -> dict[tuple[str, str], type]:
    """The classes a cache entry may name: the generator's models and what they hold."""
    found: dict[tuple[str, str], type] = {
        (cls.__module__, cls.__name__): cls for models in (common, source, page) for cls in vars(models).values()
        if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == models.__name__}
    for cls in (Record, Pos, Problem, PosixPath, PurePosixPath, date, Markup, search.Record):
        found[(cls.__module__, cls.__name__)] = cls
    return found


ALLOWED = _allowed()


def shape(classes: Iterable[type]) -> str:
    """The fields of these dataclasses, by name and type: what a pickle of them depends on."""
    lines = []
    for cls in classes:
        if dataclasses.is_dataclass(cls):
            fields = ",".join(f"{f.name}:{f.type}" for f in dataclasses.fields(cls))
            lines.append(f"{cls.__module__}.{cls.__qualname__}({fields})")
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:16]


# The entries of each shape of the classes they hold are kept in a folder of their own, so an
# entry pickled by a generator whose models had other fields is never read as one of these.
SHAPE = shape(ALLOWED.values())


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        found = ALLOWED.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not a class the build cache holds")
        return found


def loads(data: bytes):
    """Unpickles what the cache wrote; raises pickle.UnpicklingError for any other class."""
    return _Unpickler(io.BytesIO(data)).load()


class Cache:
    """Per-explainer entries under one key (the build options), and write manifests.

    Without a sealing key (cache_key), or with a .cache/ that is a link to outside the
    site, the cache is off: nothing is read or written.
    """

    def __init__(self, root: Path | None, key: str):
        self.secret = None if root is None else cache_key()
        # A .cache/ that is a link to outside the site would have the build write there.
        self.top = (root / FOLDER if root is not None and self.secret is not None and is_inside(root / FOLDER, root)
                    else None)
        folder = None if self.top is None else self.top / f"{SHAPE}-{short(key)}"
        # A link planted as its own folder would have the build read, write and remove entries elsewhere.
        self.folder = folder if folder is not None and self.top is not None and not folder.is_symlink() and (
            not folder.exists() or is_inside(folder, self.top)) else None
        self.split: dict[Path, Split] = {}  # the large mappings, as last read or saved

    def get(self, folder: Path) -> tuple[Record, Explainer] | None:
        """The explainer made from `folder` (without its page) and its record, or None."""
        found = self._load(self._entry(folder))
        if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], Record) and isinstance(
                found[1], Explainer):
            return found
        return None

    def put(self, folder: Path, record: Record, explainer: Explainer) -> None:
        self._save(self._entry(folder), (record.kept(), explainer))  # the output holds its files

    def records(self) -> tuple[dict[Path, Record], dict]:
        """Every explainer's record, and the key and digests of each group of site-wide files."""
        sitewide, records = self._load_split(self._index())
        if isinstance(sitewide, dict) and all(isinstance(k, Path) and isinstance(v, Record) for k, v in records.items()):
            return dict(records), sitewide
        return {}, {}

    def save_records(self, records: dict[Path, Record], sitewide: dict) -> None:
        self._save_split(self._index(), sitewide, {k: r.kept() for k, r in records.items()})
        self._drop_other_shapes()

    def _drop_other_shapes(self) -> None:
        """Removes the folders of these options kept by a generator whose models had other fields:
        none of their entries is read again."""
        if self.folder is None or self.top is None or not is_inside(self.folder, self.top):
            return
        options = self.folder.name.partition("-")[2]
        for other in self.top.glob(f"*-{options}"):
            if other != self.folder and other.is_dir() and not other.is_symlink():
                shutil.rmtree(other, ignore_errors=True)

    def summaries(self) -> dict[Path, tuple[str, bytes]]:
        """Each explainer's summary, pickled, under its summary digest: kept apart from the
        records, for only a change to what site-wide pages show needs them."""
        found = self._load(None if self.folder is None else self.folder / "summaries.pickle")
        return found if isinstance(found, dict) else {}

    def save_summaries(self, summaries: dict[Path, tuple[str, bytes]]) -> None:
        self._save(None if self.folder is None else self.folder / "summaries.pickle", summaries)

    def search_index(self) -> dict | None:
        """The search index as last made (search.Index.state): kept apart, for only a build
        whose explainer or country pages changed needs it."""
        head, records = self._load_split(None if self.folder is None else self.folder / "search.pickle")
        return {**head, "records": dict(records)} if isinstance(head, dict) else None

    def save_search_index(self, state: dict) -> None:
        """Saved as its page records, of which an edit changes a few, and the rest beside them."""
        head = {key: value for key, value in state.items() if key != "records"}
        self._save_split(None if self.folder is None else self.folder / "search.pickle", head, state["records"])

    def drop(self, folder: Path) -> None:
        entry = self._entry(folder)
        if entry is not None and self.top is not None and is_inside(entry.parent, self.top):
            try:
                entry.unlink(missing_ok=True)
            except OSError:
                pass

    def file_digests(self) -> dict[str, tuple[int, int, int, int, str]]:
        """Digests of source files by (size, mtime_ns, ctime_ns, inode), so unchanged files are not read."""
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

    def compiled_templates(self, code: str) -> CompiledTemplates | None:
        """Where compiled templates are kept, by the generator's code (which compiles them);
        folders of other versions are removed."""
        # A link planted as the cache's own folder would have old versions removed, and this one made, outside.
        if self.folder is None or self.top is None or not is_inside(self.folder, self.top):
            return None
        folder = self.folder / f"templates-{short(code)}"
        try:
            for old in self.folder.glob("templates-*"):
                if old != folder:
                    shutil.rmtree(old, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return CompiledTemplates(folder, self)

    def _index(self) -> Path | None:
        return None if self.folder is None else self.folder / "index.pickle"

    def manifest(self, out: Path) -> tuple[int, dict[str, tuple[str, int, int]]]:
        """What the last run wrote into `out` (name -> (digest, size, mtime_ns)), and when it was
        taken (time_ns; 0 if not known, as in a manifest saved by an earlier version)."""
        taken, written = self._load_split(self._manifest(out))
        return (taken, dict(written)) if isinstance(taken, int) else (0, {})

    def save_manifest(self, out: Path, taken: int, written: dict[str, tuple[str, int, int]]) -> None:
        self._save_split(self._manifest(out), taken, written)

    def listing(self, out: Path, identity: Identity) -> Listing | None:
        """What the folder `identity` (the output or the spare) held when last listed (listing.py)."""
        found = self._load(self._listing(out, identity))
        try:
            taken, folders = found
            return Listing(taken, folders) if isinstance(taken, int) and isinstance(folders, dict) else None
        except (TypeError, ValueError):
            return None

    def save_listings(self, out: Path, listings: dict[Identity, Listing | None]) -> None:
        """Saves these listings (None: kept as saved), and removes the others: of folders
        that are neither the output nor the spare now."""
        for identity, listing in listings.items():
            if listing is not None:
                self._save(self._listing(out, identity), (listing.taken, listing.folders))
        if self.folder is None:
            return
        kept = {self._listing(out, identity) for identity in listings}
        for path in self.folder.glob(f"listed-{short(str(out))}-*.pickle"):
            if path not in kept:
                path.unlink(missing_ok=True)

    def _entry(self, folder: Path) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / "explainers" / f"{folder.name}-{short(str(folder))}.pickle"

    def _manifest(self, out: Path) -> Path | None:
        return None if self.folder is None else self.folder / f"written-{short(str(out))}.pickle"

    def _listing(self, out: Path, identity: Identity) -> Path | None:
        return None if self.folder is None else self.folder / f"listed-{short(str(out))}-{identity[0]}-{identity[1]}.pickle"

    def _load_split(self, path: Path | None) -> tuple[object, dict]:
        """A large mapping saved by _save_split, and the small value saved with it (its head):
        the entry as last saved whole, with the changes saved since (its -changes entry) applied."""
        whole = self._load(path)
        if path is None or not (isinstance(whole, tuple) and len(whole) == 3 and isinstance(whole[2], dict)):
            return None, {}
        base, head, mapping = whole
        changes = self._load(_changes(path))
        delta: tuple[dict, set] = ({}, set())
        if isinstance(changes, tuple) and len(changes) == 4 and changes[0] == base and isinstance(
                changes[2], dict) and isinstance(changes[3], set):  # made on this very entry
            head, delta = changes[1], (changes[2], changes[3])
            mapping.update(delta[0])
            for key in delta[1]:
                mapping.pop(key, None)
        self.split[path] = Split(base, mapping, delta)
        return head, mapping

    def _save_split(self, path: Path | None, head: object, mapping: dict) -> None:
        """Saves a large mapping, and a small value with it: when most of it is as last read or
        saved, as the changes since the entry saved whole (a one-file rebuild changes a few
        names of tens of thousands); else whole, anew."""
        if path is None:
            return
        last = self.split.get(path)
        if last is not None:
            old = last.mapping
            changed = {key: value for key, value in mapping.items() if (was := old.get(key, _NONE)) is not value
                       and was != value}
            gone = old.keys() - mapping.keys()
            changes = {key: value for key, value in last.delta[0].items() if key not in gone and key not in changed}
            changes.update(changed)
            removed = (last.delta[1] | gone) - changes.keys()
            if len(changes) + len(removed) <= max(len(mapping) // 8, 64):
                self._save(_changes(path), (last.base, head, changes, removed))
                self.split[path] = Split(last.base, dict(mapping), (changes, removed))
                return
        base = secrets.token_hex(16)  # names the entry the changes saved next are made on
        self._save(path, (base, head, mapping))
        with contextlib.suppress(OSError):
            _changes(path).unlink(missing_ok=True)
        self.split[path] = Split(base, dict(mapping), ({}, set()))

    def _load(self, path: Path | None):
        data = self.read(path)
        if data is None:
            return None
        try:
            return loads(data)
        except Exception:  # noqa: BLE001  # sealed by this key, yet not what this version reads: made anew
            return None

    def _save(self, path: Path | None, value) -> None:
        if path is not None:
            self.write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def read(self, path: Path | None) -> bytes | None:
        """The bytes of an entry, if it is there, a plain file of a sane size, and its seal matches."""
        if path is None or self.secret is None:
            return None
        return read_sealed(self.secret, path, self.entry_name(path), MAX_ENTRY)

    def write(self, path: Path, data: bytes) -> None:
        """Writes beside, then renames: a reader sees the old entry or the new one."""
        # Off, or a folder linked elsewhere.
        if self.secret is None or self.top is None or not is_inside(path.parent, self.top):
            return
        write_sealed(self.secret, path, self.entry_name(path), data)  # a read-only site still builds, without the cache

    def entry_name(self, path: Path) -> str:
        """What an entry's seal covers besides its bytes: its place in the cache."""
        if self.top is None:
            raise ValueError("the cache is off: it has no entries")
        return path.relative_to(self.top).as_posix()


_NONE = object()


@dataclasses.dataclass
class Split:
    """A large mapping as the cache holds it: `base` names the entry saved whole, `delta` the
    changes saved since (changed or added values, removed keys), `mapping` the two together."""

    base: str
    mapping: dict
    delta: tuple[dict, set]


def _changes(path: Path) -> Path:
    return path.with_name(f"{path.stem}-changes{path.suffix}")
