"""Putting a new output folder in the output's place in one step, and what keeps that safe.

The Stage is exchanged with the output in a single rename (Linux's renameat2 with
RENAME_EXCHANGE). So at any moment, a `kill -9` included, the output folder
is the previous build or the new one, whole: never missing, never a mix.

Where the file system cannot exchange two folders (NFS, some FUSE file
systems, systems other than Linux), the output becomes a symbolic link to
the newest complete folder beside it, `.NAME.stage-*`, and a build points
it at the next one with one rename.

A build of an output holds `.NAME.lock` beside it, so two builds of the
same output take turns, and removes whatever a killed build left there:
only folders that hold this tool's marker (or empty ones of its names).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import signal
import sys
import threading
from pathlib import Path

try:
    import fcntl
except ImportError:  # not a POSIX system: builds are not locked against each other
    fcntl = None  # type: ignore[assignment]  # tested before each use

from .folders import LEGACY_NEW, MARKER, OLD, STAGE, name_beside, remove, served_mode, spare_path

UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}  # renameat2 can't exchange here
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def output_path(out: Path) -> Path:
    """The output folder as an absolute path with links resolved, but for the link
    this tool makes to the live output folder where folders can't be exchanged."""
    out = Path(out).absolute()
    _refuse_loop(out)
    path = out.parent.resolve() / out.name
    return path if _live_name(path) else path.resolve()


def _refuse_loop(out: Path) -> None:
    """Refuses an output path that links lead round in a circle (`ln -s build build`, or a -> b -> a),
    there or in a folder above: it names no folder, and no build could make one there."""
    try:
        os.stat(out)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OSError(errno.ELOOP, "the output folder's path is a loop of links (a link leading back to "
                          "itself); remove the link, or give --out a real folder", str(out)) from None


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
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # a link in the lock file's place: never followed, replaced
                os.unlink(path)
                continue
            if exc.errno == errno.EISDIR:  # a folder made in its place: no build holds a lock there
                _remove_folder(path, out)
                continue
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


def _remove_folder(path: Path, out: Path) -> None:
    """Removes an empty folder that stands where the lock file goes. One that holds anything
    may be someone's: it is left to them, with what to do."""
    try:
        os.rmdir(path)
    except FileNotFoundError:  # another build removed it first
        pass
    except OSError as exc:
        what = "it is not empty" if exc.errno in (errno.ENOTEMPTY, errno.EEXIST) else exc.strerror
        raise OSError(exc.errno, f"a folder stands where the lock file of builds of {out.name}/ goes ({what}); "
                      "move it away or remove it, then build again", str(path)) from None


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
        served_mode(folder)
    for path, kind in _beside(out):
        if path.name == live:
            continue
        with contextlib.suppress(OSError):
            if path.is_symlink():
                if kind == STAGE:  # a link made to be renamed over the output
                    path.unlink()
            elif (path / "previous" / MARKER).is_file():  # an earlier version's old output
                remove(path / "previous")
                path.rmdir()
            elif (path / MARKER).is_file():
                if os.path.lexists(spare):
                    remove(path)
                else:
                    os.rename(path, spare)
            else:
                path.rmdir()  # only if empty: a folder without the marker may not be ours


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


def swap(new: Path, out: Path) -> Path | None:
    """Puts the folder `new` in the output's place in one step; returns the folder
    that now holds the previous output, if any."""
    live = _live_name(out)
    if live is None and os.path.lexists(out):
        try:
            exchange(new, out)
            return new
        except _Unsupported:
            pass
    elif live is None and _can_exchange(new, out):
        os.rename(new, out)
        return None
    # Link mode: the output is a link to the new folder, which has a name of its own.
    if not new.name.startswith(f".{out.name}.{STAGE}-"):
        named = name_beside(out, STAGE)
        os.rename(new, named)
        new = named
    if live is not None or not os.path.lexists(out):
        _point(out, new)
        return None if live is None else out.parent / live
    # Once per output, on a file system that can't exchange: the folder becomes a link.
    aside = name_beside(out, OLD)
    link = name_beside(out, STAGE)
    os.symlink(new.name, link)
    os.rename(out, aside)  # until the next rename, the output is missing: tidy() puts it back
    os.rename(link, out)
    return aside


def _point(out: Path, new: Path) -> None:
    """Points the output link at `new`: a new link renamed over the old one."""
    link = name_beside(out, STAGE)
    os.symlink(new.name, link)
    try:
        os.replace(link, out)
    except BaseException:
        link.unlink()
        raise


class _Unsupported(Exception):
    """The file system (or the system) cannot exchange two folders."""


def exchange(a: Path, b: Path) -> None:
    rename = renameat2()
    if rename is None:
        raise _Unsupported
    if rename(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        if code in UNSUPPORTED:
            raise _Unsupported
        raise OSError(code, os.strerror(code), str(b))


def _can_exchange(folder: Path, out: Path) -> bool:
    """Whether folders beside the output can be exchanged: tried with an empty one."""
    probe = name_beside(out, STAGE)
    os.mkdir(probe)
    try:
        exchange(folder, probe)
        exchange(folder, probe)
        return True
    except _Unsupported:
        return False
    finally:
        os.rmdir(probe)


_RENAMEAT2: list = []


def renameat2():
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
