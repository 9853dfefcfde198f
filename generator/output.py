"""The write stage: the output folder, replaced whole or updated file by file.

A published build goes into a new folder beside the output (a Stage), and
explainers' pages are written there as soon as they are made, by the
process that made them; the folder is swapped in only when the whole build
succeeded, so an interrupted or failed build leaves the previous output
exactly as it was. The preview updates its folder in place instead.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import BuildError, Pos, Problem

MARKER = ".explainer-build"  # marks a folder this tool wrote, and may replace
STAGED = Path("\0staged")  # stands for a file written into the Stage already


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
    """Fills the Stage (a new one unless given) with what it lacks, then swaps it in whole.

    Files whose bytes are the same as in the last build are hard-linked from
    the current output instead of written again. Returns the changed names.
    """
    stage = stage or Stage(out)
    try:
        changed = [name for name, content in files.items() if content is STAGED and before.get(name) != digests[name]]
        changed += stage.put({name: content for name, content in sorted(files.items()) if content is not STAGED},
                             digests, before)
        _swap(stage.folder, out)
    except BaseException:
        stage.discard()
        raise
    return sorted(changed)


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
