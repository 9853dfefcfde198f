"""The write stage: the output folder, replaced whole or updated file by file.

A published build goes into a new folder beside the output (a Stage), and
explainers' pages are written there as soon as they are made, by the
process that made them. Only when the whole build succeeded is the folder
swapped in, or, when few files changed, are those renamed into place; so an
interrupted or failed build leaves the previous output exactly as it was.
The preview updates its folder in place instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from pathlib import Path

from .errors import BuildError, Pos, Problem

MARKER = ".explainer-build"  # marks a folder this tool wrote, and may replace
STAGED = Path("\0staged")  # stands for a file written into the Stage already
# A build that changes at most this share of the output's files renames them into place one
# by one; one that changes more (a template edit) swaps in a whole new folder, which takes
# about 0.1 ms a file and so 0.3 s for a thousand explainers.
PATCH_SHARE = 0.1


class Stage:
    """A new output folder beside `out`, filled during the build and swapped in at its end."""

    def __init__(self, out: Path):
        out.parent.mkdir(parents=True, exist_ok=True)
        self.out = out
        self.folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))

    def put(self, files: dict[str, bytes | Path | None], digests: dict[str, str], before: dict[str, str]) -> list[str]:
        """Writes bytes, or copies a file, under each output name; a file whose
        bytes are in the output already (`before`) is hard-linked from there.
        Returns the names written rather than linked."""
        made, written = set(), []
        for name, content in files.items():
            target = self.folder / name
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            if target.exists():  # put again (a translation's page): maybe a link to the live output
                target.unlink()
            if before.get(name) == digests[name] and _link(self.out / name, target):
                continue
            written.append(name)
            _put(target, content)
        return written

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def check_out_folder(root: Path, out: Path) -> None:
    """Refuses an output folder whose replacement would destroy sources."""
    problem = None
    if out == root or out in root.parents:
        problem = "the output folder must not be the site folder or one of its parents"
    elif (out / "site.yaml").exists() or (out / "content").exists():
        problem = "the output folder holds site sources (site.yaml or content/); choose another"
    elif any(out == p or p in out.parents for p in (root / "content", root / "templates")):
        problem = "the output folder must not be inside content/ or templates/"
    elif out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        problem = f"{out.name}/ exists and was not written by this tool; refusing to replace it"
    if problem:
        raise BuildError([Problem("--out", Pos(), problem)])


def write(out: Path, files: dict[str, bytes | Path | None], digests: dict[str, str], before: dict[str, str],
          stage: Stage | None = None) -> list[str]:
    """Puts the build's files in place and returns the changed names.

    When only a few files changed (an edited explainer), those are written
    into the Stage and then each renamed over its old self: the rest of the
    output is not touched. Otherwise the Stage is filled with what it lacks,
    files whose bytes are the same as in the last build hard-linked from the
    current output, and swapped in whole.
    """
    stage = stage or Stage(out)
    try:
        changed = sorted(name for name in files if before.get(name) != digests[name])
        if len(changed) <= len(files) * PATCH_SHARE and (out / MARKER).is_file():
            _patch(out, stage, {name: files[name] for name in changed}, digests, files)
            stage.discard()
            return changed
        written = stage.put({name: content for name, content in sorted(files.items()) if content is not STAGED},
                            digests, before)
        _swap(stage.folder, out)
    except BaseException:
        stage.discard()
        raise
    return sorted({*changed, *written})  # with any file written again because it could not be linked


def _patch(out: Path, stage: Stage, changed: dict[str, bytes | Path | None], digests: dict[str, str],
           files: dict) -> None:
    """Renames each changed file from the Stage over its old self, and removes what the build
    no longer makes. Every file is whole in the Stage before the first rename, and Ctrl-C
    waits for the last, so the output is the old build or the new one, never a mix."""
    stage.put({name: content for name, content in changed.items() if content is not STAGED}, digests, {})
    with held_signals():
        for name in changed:
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage.folder / name, target)
        _remove_others(out, files)


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


def update(out: Path, files: dict[str, bytes | Path | None], digests: dict[str, str],
           before: dict[str, str], remove: bool = True) -> list[str]:
    """Writes only the files whose bytes changed into `out`, and removes the others.

    Each file is written beside its place and renamed over it, so a reader
    (the preview's server) sees the old file or the new one, never half.
    Returns the changed names.
    """
    changed = [name for name in sorted(files) if before.get(name) != digests[name]]
    for name in changed:
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.new-{os.getpid()}")
        _put(temp, files[name])
        os.replace(temp, target)
    if remove:  # not needed when the same names were written last time
        _remove_others(out, files)
    return changed


def present(out: Path) -> set[str]:
    """Every file in the output folder, as output names."""
    found = set()
    for folder, _, names in os.walk(out):
        rel = os.path.relpath(folder, out)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        found.update(prefix + name for name in names)
    return found


def _put(target: Path, content: bytes | Path | None) -> None:
    if content is None:  # a page kept in the output that is not there any more
        raise FileNotFoundError(f"{target.name}: the page from the last build is gone")
    if isinstance(content, Path):
        shutil.copyfile(content, target)
    else:
        target.write_bytes(content)


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


def _link(source: Path, target: Path) -> bool:
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def _swap(new: Path, out: Path) -> None:
    if not out.exists():
        os.rename(new, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rename(out, old / "previous")
    os.rename(new, out)
    shutil.rmtree(old, ignore_errors=True)
