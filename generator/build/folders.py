"""Folders of this tool's beside (and as) the output: the marker that tells them from
others', their names, and what lists, links, writes and removes files in them, and gives
them the modes the umask says.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from .sources import Content

MARKER = ".explainer-build"  # marks a folder this tool wrote, and may replace
MARKER_TEXT = b"Written by the explainer generator; replaced on every build.\n"
# Kinds of names beside the output NAME, `.NAME.<kind>-<random>`: a Stage not kept as the spare
# (in link mode, the live output too), the output set aside where folders can't be exchanged,
# and the Stage of an earlier version of this tool.
STAGE, OLD, LEGACY_NEW = "stage", "old", "new"


def spare_path(out: Path) -> Path:
    return out.parent / f".{out.name}.spare"


def name_beside(out: Path, kind: str) -> Path:
    return out.parent / f".{out.name}.{kind}-{secrets.token_hex(6)}"


def folders_of(names: Iterable[str]) -> set[str]:
    """Every folder the output names are in, and the folders above those ("" for the top)."""
    found = {name.rpartition("/")[0] for name in names}
    todo = list(found)
    while todo:
        parent, slash, _ = todo.pop().rpartition("/")
        if slash and parent not in found:
            found.add(parent)
            todo.append(parent)
    return found


def under(name: str, folders: set[str]) -> bool:
    """Whether an output name is below one of `folders`."""
    steps = name.split("/")
    return any("/".join(steps[:i]) in folders for i in range(1, len(steps)))


def put(target: Path, content: Content) -> None:
    """Writes the bytes, or copies the file, to `target` (looked up on its module at each call: tests replace it)."""
    if content is None:  # a page kept in the output that is not there any more
        raise FileNotFoundError(errno.ENOENT, "the file of the last build is gone from the output", str(target))
    if isinstance(content, Path):
        shutil.copyfile(content, target)
    elif isinstance(content, bytes):
        target.write_bytes(content)
    else:  # Staged: the file is in the Stage already, never written again
        raise TypeError(f"{target}: a file of the Stage written again")


def clear(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        remove_tree(path)
    else:
        os.unlink(path)


def link(source: str, target: str) -> bool:
    try:
        os.link(source, target)
    except FileExistsError:  # put again, or a spare's file: replaced by the output's
        clear(target)
        try:
            os.link(source, target)
        except OSError:
            return False
    except OSError:
        return False
    return True


def remove(folder: Path) -> None:
    """Removes a folder of this tool's, its marker last: a removal cut short leaves
    a folder still known for this tool's, which the next build removes. A link put in
    its place is removed itself: what it leads to is never looked into."""
    if os.path.islink(folder):
        os.unlink(folder)
        return
    for entry in os.scandir(folder):
        if entry.name == MARKER:
            continue
        if entry.is_dir(follow_symlinks=False):
            remove_tree(entry.path)
        else:
            os.unlink(entry.path)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(folder / MARKER)
    os.rmdir(folder)


def remove_tree(path: str) -> None:
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


def umask() -> int:
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
    return MARKER_TEXT + f"umask {umask():04o}\n".encode()


def ours(folder: Path) -> bool:
    """Whether `folder` is a folder of this tool's itself: a real folder, not a link, with the marker."""
    return os.path.isdir(folder) and not os.path.islink(folder) and (folder / MARKER).is_file()


def marker_of(folder: Path) -> bytes | None:
    """The marker's bytes in a folder of this tool's, or None."""
    try:
        return (folder / MARKER).read_bytes()
    except OSError:
        return None


def served_mode(folder: Path) -> None:
    """Lets an output folder of this tool's be read as a new folder may, as the umask says:
    earlier versions made it 0700 (mkdtemp's), which a web server's user can't read, and a
    build that changes nothing, or reuses the spare, would have kept it. Only read and
    search bits are added: an output made read-only stays so (and is refused)."""
    with contextlib.suppress(OSError):
        st = os.stat(folder)  # the folder a link points to, in link mode
        mode = stat.S_IMODE(st.st_mode)
        wanted = mode | (0o555 & ~umask())
        if stat.S_ISDIR(st.st_mode) and wanted != mode and (folder / MARKER).is_file():
            os.chmod(folder, wanted)


def folder_mode(parent: Path | str | None = None) -> int:
    """The st_mode of a folder made now (in the folder `parent`): os.mkdir's 0o777 less the
    umask; on Linux, with the set-group-ID bit when the parent has it, which a new folder there
    inherits (and every folder made in that one, in turn)."""
    mode = stat.S_IFDIR | 0o777 & ~umask()
    if parent is not None and sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            mode |= os.stat(parent).st_mode & stat.S_ISGID
    return mode


def give_folder_mode(path: str, mode: int) -> None:
    """Gives a folder the st_mode `mode` (folder_mode's: no set-user-ID or sticky bit, the
    set-group-ID bit as a new folder there would have it); never through a link put in its place."""
    mode = stat.S_IMODE(mode)
    try:
        os.chmod(path, mode, follow_symlinks=False)
    except NotImplementedError:  # a link now, or a system that changes a mode only through links
        if not os.path.islink(path):
            os.chmod(path, mode)


def settle_modes(top: Path) -> None:
    """Gives every file and folder under `top` the modes a new one gets under the umask.
    Files kept or linked from an earlier output keep the modes of the umask they were made
    under; this runs only when the umask changed (the marker says so), never on every build."""
    mask = umask()
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
