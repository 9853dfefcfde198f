"""The write stage: the output folder, replaced whole in one step.

A published build goes into a folder beside the output (a Stage):
explainers' pages are written there as soon as they are made, by the
process that made them, and at the end the Stage is made the complete new
output: every file whose bytes are in the output already is hard-linked
from there (a link, not a copy), the rest written. Then the Stage is
exchanged with the output in a single rename (Linux's renameat2 with
RENAME_EXCHANGE). So at any moment, a `kill -9` included, the output folder
is the previous build or the new one, whole: never missing, never a mix.

The previous output, now in the Stage's place, is kept as `.NAME.spare`
for the next build to make into its new output: its files are mostly the
same (hard links to the very files of the output), so a build that changed
one explainer changes only that explainer's files and the site-wide pages
there, rather than making a folder and a link for every page of the site.
A Stage is made complete from whatever it holds: what is not a link to the
output's file of the same bytes is written again, what the build does not
make is removed; so a spare left in any state by a killed build is as good.

Where the file system cannot exchange two folders (NFS, some FUSE file
systems, systems other than Linux), the output becomes a symbolic link to
the newest complete folder beside it, `.NAME.stage-*`, and a build points
it at the next one with one rename.

A build of an output holds `.NAME.lock` beside it, so two builds of the
same output take turns, and removes whatever a killed build left there:
only folders that hold this tool's marker (or empty ones of its names).
The preview (`serve`) updates its own folder file by file instead.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import signal
import stat
import sys
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

try:
    import fcntl
except ImportError:  # not a POSIX system: builds are not locked against each other
    fcntl = None  # type: ignore[assignment]  # tested before each use

from generator.errors import BuildError, Pos, Problem

from .sources import Content, Staged

MARKER = ".explainer-build"  # marks a folder this tool wrote, and may replace
MARKER_TEXT = b"Written by the explainer generator; replaced on every build.\n"
# Kinds of names beside the output NAME, `.NAME.<kind>-<random>`: a Stage not kept as the spare
# (in link mode, the live output too), the output set aside where folders can't be exchanged,
# and the Stage of an earlier version of this tool.
STAGE, OLD, LEGACY_NEW = "stage", "old", "new"
UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}  # renameat2 can't exchange here
RENAME_EXCHANGE = 2
AT_FDCWD = -100


class Stage:
    """A folder beside `out` that becomes the new output: filled during the build, made
    complete and swapped in at its end.

    With `spare`, it is the previous output kept beside the output, and what it
    becomes after the swap; the build must hold the output's lock (locked()).
    Without, a new folder, removed after the swap.
    """

    def __init__(self, out: Path, spare: bool = False):
        self.out = out
        if os.path.isdir(out):
            _check_writable(out)
        found = _spare_folder(out) if spare else ""
        self.spare = bool(found)
        self.made = found != "kept"  # by this build: removed if the build fails
        self.folder: Path | None = spare_path(out) if self.spare else _new_folder(out)

    def put(self, files: Mapping[str, Content], digests: Mapping[str, str],
            before: Mapping[str, str]) -> list[str]:
        """Writes bytes, or copies a file, under each output name; a file whose
        bytes are in the output already (`before`) is hard-linked from there.
        Returns the names written rather than linked."""
        made, written = set(), []
        stage, out = str(self.folder), str(self.out)
        for name, content in files.items():
            target = f"{stage}/{name}"
            parent = target.rpartition("/")[0]
            if parent not in made:
                _make_folder(stage, parent)
                made.add(parent)
            if before.get(name) == digests[name] and _link(f"{out}/{name}", target):
                continue
            written.append(name)
            self._write(name, target, content)
        return written

    def fill(self, files: Mapping[str, Content], digests: Mapping[str, str],
             before: Mapping[str, str]) -> list[str]:
        """Makes the Stage the complete new output, whatever it held: a file that is
        the output's own file (the same inode) where the output has the bytes wanted
        is kept, and so is a file written by this build (Staged); every other is
        linked from the output or written; what the build does not make is removed.
        Returns the names written rather than linked or kept."""
        stage, out = str(self.folder), str(self.out)
        held, held_folders = _inodes(stage)
        live = _inodes(out)[0] if before else {}
        folders = {name.rpartition("/")[0] for name in files}
        folders |= {f[:i] for f in folders for i in range(len(f)) if f[i] == "/"}
        # What the new output lacks goes first: a folder may stand where a file is to go, or the other way.
        gone = held_folders - folders
        for name in held.keys() - files.keys():
            if not _under(name, gone):
                os.unlink(f"{stage}/{name}")
        for name in gone:
            if not _under(name, gone):
                _remove_tree(f"{stage}/{name}")
        there = held_folders & folders
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
                _make_folder(stage, f"{stage}/{parent}")
                there.add(parent)
            if before.get(name) == digests[name] and name in live:
                if held.get(name) == live[name]:
                    continue
                if _link(f"{out}/{name}", target):
                    continue
                content = Path(f"{out}/{name}") if content is None else content  # links not possible: a copy
            written.append(name)
            self._write(name, target, content)
        return written

    def _write(self, name: str, target: str, content: Content) -> None:
        if os.path.lexists(target):  # never written through: it may be a link to the live output's file
            _clear(target)
        try:
            _put(Path(target), content)
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
                _remove(self.folder)
        self.folder = None


def spare_path(out: Path) -> Path:
    return out.parent / f".{out.name}.spare"


def output_path(out: Path) -> Path:
    """The output folder as an absolute path with links resolved, but for the link
    this tool makes to the live output folder where folders can't be exchanged."""
    out = Path(out).absolute()
    path = out.parent.resolve() / out.name
    return path if _live_name(path) else path.resolve()


def check_out_folder(root: Path, out: Path) -> None:
    """Refuses an output folder whose replacement would destroy sources.

    A folder with the marker is this tool's own output, whatever its explainers are called.
    """
    problem = None
    if out == root or out in root.parents:
        problem = "the output folder must not be the site folder or one of its parents"
    elif any(out == p or p in out.parents for p in (root / "content", root / "templates")):
        problem = "the output folder must not be inside content/ or templates/"
    elif (out / MARKER).is_file():
        return
    elif (out / "site.yaml").exists() or (out / "content").exists():
        problem = "the output folder holds site sources (site.yaml or content/); choose another"
    elif out.exists() and (not out.is_dir() or any(out.iterdir())):
        problem = f"{out.name}/ exists and was not written by this tool; refusing to replace it"
    if problem:
        raise BuildError([Problem("--out", Pos(), problem)])


@contextlib.contextmanager
def locked(out: Path):
    """Holds the lock of `out` for the block: one build of an output at a time, the
    others waiting. The lock file is removed at the end.

    Where nothing can be written beside the output, nothing is locked: such a build
    cannot change the output either.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    path = out.parent / f".{out.name}.lock"
    fd = _lock(path, out) if fcntl is not None else None
    try:
        yield fd is not None
    finally:
        if fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(path)  # while still held: a build waiting on it then takes a new one
            os.close(fd)


def _lock(path: Path, out: Path) -> int | None:
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                return None
            raise
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(f"{out}: waiting for another build into this folder to end", file=sys.stderr, flush=True)
                fcntl.flock(fd, fcntl.LOCK_EX)
            with contextlib.suppress(FileNotFoundError):
                if os.path.samestat(os.fstat(fd), os.stat(path)):
                    return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # removed by the build that held it: lock the one there now


def tidy(out: Path) -> None:
    """Puts back an output that an interrupted swap left aside, and removes what killed
    builds of `out` left beside it (the first Stage found is kept as the spare, if there
    is none). Runs under the output's lock: no other build uses any of it."""
    if not os.path.lexists(out):
        _restore(out)
    live = _live_name(out)
    spare = spare_path(out)
    if not (spare / MARKER).is_file():
        with contextlib.suppress(OSError):
            spare.rmdir()  # only if empty: what a build killed in _can_exchange leaves
    for folder in (out, spare):
        _served_mode(folder)
    for path, kind in _beside(out):
        if path.name == live:
            continue
        with contextlib.suppress(OSError):
            if path.is_symlink():
                if kind == STAGE:  # a link made to be renamed over the output
                    path.unlink()
            elif (path / "previous" / MARKER).is_file():  # an earlier version's old output
                _remove(path / "previous")
                path.rmdir()
            elif (path / MARKER).is_file():
                if os.path.lexists(spare):
                    _remove(path)
                else:
                    os.rename(path, spare)
            else:
                path.rmdir()  # only if empty: a folder without the marker may not be ours


def _served_mode(folder: Path) -> None:
    """Lets an output folder of this tool's be read as a new folder may, as the umask says:
    earlier versions made it 0700 (mkdtemp's), which a web server's user can't read, and a
    build that changes nothing, or reuses the spare, would have kept it. Only read and
    search bits are added: an output made read-only stays so (and is refused)."""
    with contextlib.suppress(OSError):
        st = os.stat(folder)  # the folder a link points to, in link mode
        mode = stat.S_IMODE(st.st_mode)
        wanted = mode | (0o555 & ~_umask())
        if stat.S_ISDIR(st.st_mode) and wanted != mode and (folder / MARKER).is_file():
            os.chmod(folder, wanted)


def _umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux):
    os.umask sets it, for a moment, for every thread."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def marker_text() -> bytes:
    """The marker's bytes, which name the umask the output's modes were made under: a build
    under another umask sees its marker change, and gives every file the modes of the new one."""
    return MARKER_TEXT + f"umask {_umask():04o}\n".encode()


def settle_modes(top: Path) -> None:
    """Gives every file and folder under `top` the modes a new one gets under the umask.
    Files kept or linked from an earlier output keep the modes of the umask they were made
    under; this runs only when the umask changed (the marker says so), never on every build."""
    mask = _umask()
    if stat.S_IMODE(os.stat(top).st_mode) != 0o777 & ~mask:
        os.chmod(top, 0o777 & ~mask)
    todo = [str(top)]
    while todo:
        with os.scandir(todo.pop()) as entries:
            for entry in entries:
                if entry.is_symlink():
                    continue
                folder = entry.is_dir()
                wanted = (0o777 if folder else 0o666) & ~mask
                if stat.S_IMODE(entry.stat().st_mode) != wanted:
                    os.chmod(entry.path, wanted)
                if folder:
                    todo.append(entry.path)


def _marker(folder: Path | None) -> bytes | None:
    try:
        return (folder / MARKER).read_bytes() if folder is not None else None
    except OSError:
        return None


def write(out: Path, files: Mapping[str, Content], digests: Mapping[str, str], before: Mapping[str, str],
          stage: Stage | None = None) -> list[str]:
    """Makes the Stage the complete new output and swaps it in; returns the changed names."""
    stage = stage or Stage(out)
    folder = stage.folder
    if folder is None:
        raise ValueError("the Stage was discarded before its output was written")
    try:
        changed = {name for name in files if before.get(name) != digests[name]}
        held = _marker(folder)  # a spare's: made under the umask of the build before last
        written = stage.fill(files, digests, before)
        if MARKER in changed or held not in (None, files[MARKER]):  # made under another umask
            settle_modes(folder)
        with held_signals():  # the swap is one step; Ctrl-C waits until it is known to be done
            stage.swapped(_swap(folder, out))
    finally:
        stage.discard()
    return sorted({*changed, *written})  # with any file written again because it could not be linked


@contextlib.contextmanager
def held_signals(signals=(signal.SIGINT, signal.SIGTERM)):
    """Holds Ctrl-C and termination back until the block ends, then delivers them."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    caught: list[int] = []
    previous = {sig: signal.signal(sig, lambda sig, _frame: caught.append(sig)) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)  # None: set outside Python
        for sig in dict.fromkeys(caught):
            signal.raise_signal(sig)


def update(out: Path, files: dict[str, Content], digests: dict[str, str],
           before: Mapping[str, str], gone: set[str] | None = None, names: Iterable[str] | None = None) -> list[str]:
    """Writes only the files whose bytes changed into `out`, and removes the others: the
    names in `gone` when the caller knows them, else whatever the folder holds besides.
    With `names`, only those may have changed.

    Each file is written beside its place and renamed over it, so a reader
    (the preview's server) sees the old file or the new one, never half.
    Returns the changed names.
    """
    changed = [name for name in sorted(files if names is None else names)
               if name in files and before.get(name) != digests[name]]
    for name in changed:
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.new-{os.getpid()}")
        try:
            _put(temp, files[name])
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise OSError(exc.errno, exc.strerror, str(target)) if exc.filename in (None, str(temp)) else exc
        os.replace(temp, target)
    if gone is None:
        _remove_others(out, files)
    else:
        _remove_names(out, gone)
    if MARKER in changed:  # made under another umask (or by an earlier version)
        settle_modes(out)
    return changed


def present(out: Path) -> set[str]:
    """Every file in the output folder, as output names."""
    return set(_inodes(str(out))[0])


def _put(target: Path, content: Content) -> None:
    if content is None:  # a page kept in the output that is not there any more
        raise FileNotFoundError(errno.ENOENT, "the file of the last build is gone from the output", str(target))
    if isinstance(content, Path):
        shutil.copyfile(content, target)
    elif isinstance(content, bytes):
        target.write_bytes(content)
    else:  # Staged: the file is in the Stage already, never written again
        raise TypeError(f"{target}: a file of the Stage written again")


def _remove_others(out: Path, files: dict) -> None:
    """Deletes what the build did not make, and folders left empty."""
    folders = {name.rpartition("/")[0] for name in files}
    folders |= {f[:i] for f in folders for i in range(len(f)) if f[i] == "/"}
    for folder, dirs, names in os.walk(out, topdown=False):
        rel = os.path.relpath(folder, out)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        for name in names:
            if prefix + name not in files:
                os.unlink(os.path.join(folder, name))
        if prefix and prefix[:-1] not in folders and not os.listdir(folder):
            os.rmdir(folder)


def _remove_names(out: Path, gone: set[str]) -> None:
    """Deletes the named files, and the folders they leave empty (a folder still holding a file
    is not removed): without a look at the rest."""
    folders = set()
    for name in gone:
        try:
            os.unlink(out / name)
        except FileNotFoundError:
            pass
        folders |= {name[:i] for i in range(len(name)) if name[i] == "/"}
    for folder in sorted(folders, key=len, reverse=True):
        try:
            os.rmdir(out / folder)
        except OSError:  # not empty: something else is in it
            pass


def _inodes(top: str) -> tuple[dict[str, int], set[str]]:
    """Every file under `top` as output name -> inode number, and every folder's name.
    Read from the folders' listings (os.scandir), without a stat for each file."""
    files: dict[str, int] = {}
    folders: set[str] = set()
    todo = [("", top)]
    while todo:
        prefix, path = todo.pop()
        try:
            entries = list(os.scandir(path))
        except FileNotFoundError:  # no output yet
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.add(prefix + entry.name)
                todo.append((f"{prefix}{entry.name}/", entry.path))
            else:
                files[prefix + entry.name] = entry.inode()
    return files, folders


def _under(name: str, folders: set[str]) -> bool:
    """Whether an output name is below one of `folders`."""
    steps = name.split("/")
    return any("/".join(steps[:i]) in folders for i in range(1, len(steps)))


def _mark(stage: str, content: bytes, source: str | None) -> None:
    """Puts the marker in the Stage, linked from the output's (`source`) if it may be:
    written beside and renamed over the Stage's own, so it is never missing."""
    path = f"{stage}/{MARKER}"
    if os.path.lexists(f"{path}.new"):
        os.unlink(f"{path}.new")
    if source is None or not _link(source, f"{path}.new"):
        Path(f"{path}.new").write_bytes(content)
    os.replace(f"{path}.new", path)


def _make_folder(stage: str, folder: str) -> None:
    """A folder in the Stage, replacing whatever else stands on its way in a spare
    (a file, or a link, which would lead the build's writes out of the Stage)."""
    path = stage
    for step in folder[len(stage) + 1:].split("/"):
        path = f"{path}/{step}"
        if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):
            os.unlink(path)
        if not os.path.isdir(path):
            os.mkdir(path)


def _clear(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        _remove_tree(path)
    else:
        os.unlink(path)


def _link(source: str, target: str) -> bool:
    try:
        os.link(source, target)
    except FileExistsError:  # put again, or a spare's file: replaced by the output's
        _clear(target)
        try:
            os.link(source, target)
        except OSError:
            return False
    except OSError:
        return False
    return True


def _spare_folder(out: Path) -> str:
    """The spare beside the output for this build: "kept" from the last one, "made"
    now, or "" when something not this tool's has its name."""
    spare = spare_path(out)
    if not os.path.lexists(spare):
        _new_folder(out, spare)
        return "made"
    ours = os.path.isdir(spare) and not os.path.islink(spare) and (spare / MARKER).is_file()
    return "kept" if ours else ""


def _new_folder(out: Path, folder: Path | None = None) -> Path:
    """A new folder beside the output, with the marker in it from the start, so that
    whatever a killed build leaves is known for this tool's own."""
    out.parent.mkdir(parents=True, exist_ok=True)
    while True:
        path = folder or _name_beside(out, STAGE)
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


def _name_beside(out: Path, kind: str) -> Path:
    return out.parent / f".{out.name}.{kind}-{secrets.token_hex(6)}"


def _beside(out: Path) -> list[tuple[Path, str]]:
    """The folders (and links) beside the output that builds of it make, but the spare, with their kind."""
    prefix = f".{out.name}."
    found = []
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        return []
    for entry in entries:
        kind, dash, _ = entry.name[len(prefix):].partition("-")
        if entry.name.startswith(prefix) and dash and kind in (STAGE, OLD, LEGACY_NEW):
            found.append((Path(entry.path), kind))
    return sorted(found)


def _restore(out: Path) -> None:
    """Puts back the output that a swap without exchange (or an earlier version of this
    tool) had moved aside when it was killed before the new one was in place."""
    for path, kind in _beside(out):
        if kind != OLD or path.is_symlink():
            continue
        for aside in (path, path / "previous"):
            if (aside / MARKER).is_file():
                os.rename(aside, out)
                return


def _live_name(out: Path) -> str | None:
    """The folder the output links to, when it is this tool's link (made where folders can't be exchanged)."""
    try:
        target = os.readlink(out)
    except OSError:
        return None
    return target if "/" not in target and target.startswith(f".{out.name}.{STAGE}-") else None


def _swap(new: Path, out: Path) -> Path | None:
    """Puts the folder `new` in the output's place in one step; returns the folder
    that now holds the previous output, if any."""
    live = _live_name(out)
    if live is None and os.path.lexists(out):
        try:
            _exchange(new, out)
            return new
        except _Unsupported:
            pass
    elif live is None and _can_exchange(new, out):
        os.rename(new, out)
        return None
    # Link mode: the output is a link to the new folder, which has a name of its own.
    if not new.name.startswith(f".{out.name}.{STAGE}-"):
        named = _name_beside(out, STAGE)
        os.rename(new, named)
        new = named
    if live is not None or not os.path.lexists(out):
        _point(out, new)
        return None if live is None else out.parent / live
    # Once per output, on a file system that can't exchange: the folder becomes a link.
    aside = _name_beside(out, OLD)
    link = _name_beside(out, STAGE)
    os.symlink(new.name, link)
    os.rename(out, aside)  # until the next rename, the output is missing: tidy() puts it back
    os.rename(link, out)
    return aside


def _point(out: Path, new: Path) -> None:
    """Points the output link at `new`: a new link renamed over the old one."""
    link = _name_beside(out, STAGE)
    os.symlink(new.name, link)
    try:
        os.replace(link, out)
    except BaseException:
        link.unlink()
        raise


class _Unsupported(Exception):
    """The file system (or the system) cannot exchange two folders."""


def _exchange(a: Path, b: Path) -> None:
    rename = _renameat2()
    if rename is None:
        raise _Unsupported
    if rename(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        if code in UNSUPPORTED:
            raise _Unsupported
        raise OSError(code, os.strerror(code), str(b))


def _can_exchange(folder: Path, out: Path) -> bool:
    """Whether folders beside the output can be exchanged: tried with an empty one."""
    probe = _name_beside(out, STAGE)
    os.mkdir(probe)
    try:
        _exchange(folder, probe)
        _exchange(folder, probe)
        return True
    except _Unsupported:
        return False
    finally:
        os.rmdir(probe)


_RENAMEAT2: list = []


def _renameat2():
    """The C library's renameat2 (glibc 2.28 and later), or None."""
    if not _RENAMEAT2:
        try:
            found = ctypes.CDLL(None, use_errno=True).renameat2
            found.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
            found.restype = ctypes.c_int
        except (AttributeError, OSError, TypeError):
            found = None
        _RENAMEAT2.append(found)
    return _RENAMEAT2[0]


def _remove(folder: Path) -> None:
    """Removes a folder of this tool's, its marker last: a removal cut short leaves
    a folder still known for this tool's, which the next build removes."""
    for entry in os.scandir(folder):
        if entry.name == MARKER:
            continue
        if entry.is_dir(follow_symlinks=False):
            _remove_tree(entry.path)
        else:
            os.unlink(entry.path)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(folder / MARKER)
    os.rmdir(folder)


def _remove_tree(path: str) -> None:
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=_writable_and_again)
    else:
        shutil.rmtree(path, onerror=_writable_and_again)


def _writable_and_again(function, path: str, info) -> None:
    """A folder of an old output that was made read-only: made writable, then emptied."""
    if function not in (os.unlink, os.rmdir):
        raise info if isinstance(info, BaseException) else info[1]
    parent = os.path.dirname(path)
    os.chmod(parent, os.stat(parent).st_mode | 0o700)
    function(path)
