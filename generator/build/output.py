"""The write stage: the output folder, replaced whole in one step.

A published build goes into a folder beside the output (a Stage, stage.py),
which is made the complete new output and exchanged with the output in a
single rename (swap.py). So at any moment, a `kill -9` included, the output
folder is the previous build or the new one, whole: never missing, never a mix.
The preview (`serve`) updates its own folder file by file instead (update).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from generator.errors import BuildError, Pos, Problem

from . import folders
from .folders import MARKER, folders_of, settle_modes
from .sources import Content
from .stage import Stage, replaced
from .swap import exchange, held_signals, swap
from .uptodate import contents

CACHE = ".cache"  # the site's folder of what builds keep (cache.py, the share images)


def check_out_folder(root: Path, out: Path) -> None:
    """Refuses an output folder whose replacement would destroy sources.

    A folder with the marker is this tool's own output, whatever its explainers are called.
    """
    problem = None
    if out == root or out in root.parents:
        problem = "the output folder must not be the site folder or one of its parents"
    elif any(out == p or p in out.parents for p in (root / "content", root / "templates")):
        problem = "the output folder must not be inside content/ or templates/"
    elif out == root / CACHE or root / CACHE in out.parents:  # the build writes there while it runs
        problem = "the output folder must not be the site's .cache/ or inside it"
    elif (out / MARKER).is_file():
        return
    elif (out / "site.yaml").exists() or (out / "content").exists():
        problem = "the output folder holds site sources (site.yaml or content/); choose another"
    elif out.exists() and (not out.is_dir() or any(out.iterdir())):
        problem = (f"{out.name}/ exists and was not written by this tool (it has no {MARKER} file); refusing to "
                   "replace it: move it away or remove it, or give --out another folder")
    if problem:
        raise BuildError([Problem("--out", Pos(), problem)])


def write(out: Path, files: Mapping[str, Content], digests: Mapping[str, str], before: Mapping[str, str],
          stage: Stage, changed: set[str], inodes: Mapping[str, int] | None = None,
          names: set[str] | None = None) -> list[str]:
    """Makes the Stage the complete new output and swaps it in; returns the changed names:
    `changed` (those whose bytes differ from `before`) and any written again. `inodes` are those
    of the output files in `before`, when known (Stage.fill); `names`, when the Stage is a spare
    known to differ from the output by those names alone (Stage.fill_names)."""
    folder = stage.folder
    if folder is None:
        raise ValueError("the Stage was discarded before its output was written")
    try:
        # Every file is linked from an output, or kept from a spare, made under this umask, or
        # written now (Stage.linkable): the new output has the modes the umask gives, and the
        # live output's files (the same inodes as the links) are never changed to give them.
        stage.check_folder()
        if names is None:
            written = stage.fill(files, digests, before, inodes)
        else:
            written = stage.fill_names(files, digests, before, names)
        stage.check_folder()
        stage.left = contents(str(folder))  # what the swap puts in place: a change after it keeps no stamp
        with held_signals():  # the swap is one step; Ctrl-C waits until it is known to be done
            previous = swap(folder, out)
            if previous == folder and not stage.is_folder(out):  # exchanged with whatever took its name
                exchange(folder, out)  # back: the output is the previous build again
                stage.folder = None  # not ours now: never removed
                raise replaced(out)
            stage.swapped(previous)
    finally:
        stage.discard()
    return sorted({*changed, *written})  # with any file written again because it could not be linked


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
            folders.put(temp, files[name])
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


def _remove_others(out: Path, files: dict) -> None:
    """Deletes what the build did not make, and folders left empty."""
    wanted = folders_of(files)
    for folder, dirs, names in os.walk(out, topdown=False):
        rel = os.path.relpath(folder, out)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        for name in names:
            if prefix + name not in files:
                os.unlink(os.path.join(folder, name))
        if prefix and prefix[:-1] not in wanted and not os.listdir(folder):
            os.rmdir(folder)


def _remove_names(out: Path, gone: set[str]) -> None:
    """Deletes the named files, and the folders they leave empty (a folder still holding a file
    is not removed): without a look at the rest."""
    parents = set()
    for name in gone:
        try:
            os.unlink(out / name)
        except FileNotFoundError:
            pass
        parents |= {name[:i] for i in range(len(name)) if name[i] == "/"}
    for folder in sorted(parents, key=len, reverse=True):
        try:
            os.rmdir(out / folder)
        except OSError:  # not empty: something else is in it
            pass
