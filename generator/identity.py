"""What the generator's output depends on besides the site: its version, its theme, the libraries
that shape its pages and images, the fonts those are drawn with.

Found without importing any of those libraries: a build that has nothing to do (build/uptodate.py)
must not pay for loading them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import stat
import sys
import time
from importlib import resources
from pathlib import Path

from generator import DISTRIBUTION
from generator.features.images import fonts

# What renders pages and images besides the generator: an upgrade of one makes every page again.
# Pillow draws the share images and zlib-ng compresses them, rcssmin and rjsmin (and their compiled
# halves) minify stylesheets and scripts (the maps' data is the generator's own).
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "babel", "yaml", "pycountry", "PIL", "zlib_ng", "rcssmin",
             "_rcssmin", "rjsmin", "_rjsmin")

PACKAGE = Path(__file__).resolve().parent
CODE = (".py", ".so", ".pyd")  # a library's files that are its code
Found = list[tuple]  # (path, st_mode, st_size, st_mtime_ns, st_ctime_ns, st_ino) of each file, or (path,) if missing


def default_theme() -> Path:
    """The default theme's folder: package data (generator/theme/) in an installed wheel, where
    pyproject.toml maps the repository's top-level templates/ into the package; in a checkout
    (run from source, or installed with `pip install -e`) that templates/ folder itself."""
    packaged = resources.files("generator").joinpath("theme")
    if isinstance(packaged, Path) and packaged.is_dir():  # a zipped install is not a folder: not supported
        return packaged.resolve()
    return PACKAGE.parent / "templates"


def described() -> list[str]:
    """Python's version, the generator's, the libraries' and the fonts': a new version of any may
    render differently. The generator's own files are the callers' to look at. And the folders
    Python imports from, by their times: a package installed or removed there (one that plugs
    into Python-Markdown, or a module named as one of Python's own) changes them."""
    paths: Found = []
    here = os.getcwd()
    for folder in sys.path:
        path = os.path.abspath(folder or ".")
        if path == here:  # `python -m` imports from the folder it runs in, often the site's, which every build changes
            paths.append((path, *importable(path)))
        else:
            look_at(path, paths)
    return [sys.version, f"generator {version()}", installed(LIBRARIES), fonts.identity(), repr(paths)]


def importable(folder: str) -> list[tuple]:
    """What Python could import from a folder: its modules and .pth files by name, size and times,
    and its packages by name; not the folder's own time, which the output's swap beside changes."""
    found: list[tuple] = []
    try:
        with os.scandir(folder) as listed:
            for entry in listed:
                if entry.name.endswith((*CODE, ".pyc", ".pth")):
                    st = entry.stat()
                    found.append((entry.name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
                elif entry.is_dir() and os.path.exists(os.path.join(entry.path, "__init__.py")):
                    found.append((entry.name,))
    except OSError:
        return []
    return sorted(found)


def version() -> str:
    """The installed generator's version, from the name of its .dist-info folder ("" when run
    from a checkout never installed). Read without importlib.metadata, whose import alone
    takes longer than a build that changes nothing."""
    prefix = DISTRIBUTION.replace("-", "_").lower() + "-"
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.lower().startswith(prefix) and name.endswith(".dist-info"):
                return name[len(prefix):-len(".dist-info")]
    return ""


def installed(names: tuple[str, ...]) -> str:
    """Where each library is installed, and each of its code files by size, times and inode: an
    upgrade (which writes the main file anew, whatever else it changes), or its code patched in
    place, changes them. Its data files are left out (Babel's and pycountry's are thousands), as
    only an upgrade changes them. Found without importing them, as a build may need none."""
    found = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:  # not there, or not from a file
            found.append(f"{name} -")
            continue
        files: Found = []
        for folder in spec.submodule_search_locations or []:
            look_under(folder, files, skip="__pycache__", only=CODE)
        look_at(spec.origin, files)
        found.append(f"{name} {spec.origin} {hashlib.sha256(repr(files).encode('utf-8', 'surrogateescape')).hexdigest()}")
    return "\n".join(found)


def look_under(top: str, found: Found, skip: str = "", only: tuple[str, ...] = ()) -> int:
    """Adds `top` and every file and folder below it to `found` (any folder named `skip` left out;
    with `only`, only the files whose names end so), in the order the system lists them; returns
    their newest time. Plain strings and os.scandir: this runs for every file of the site."""
    newest = look_at(top, found)
    todo = [top]
    while todo:
        try:
            with os.scandir(todo.pop()) as listed:
                entries = list(listed)
        except OSError:  # not a folder, or not there
            continue
        for entry in entries:
            if entry.name == skip or only and not entry.name.endswith(only) and not entry.is_dir(follow_symlinks=False):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:  # gone since listed (an editor's temporary file): the next look tells
                found.append((entry.path,))
                continue
            if stat.S_ISLNK(st.st_mode):
                newest = max(newest, look_at(entry.path, found))
                continue
            found.append((entry.path, st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
            newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
            if stat.S_ISDIR(st.st_mode):
                todo.append(entry.path)
    return newest


def look_at(path: str, found: Found) -> int:
    """Adds what `path` is to `found`, and its target's too if it is a link; returns its newest
    time. A link to a folder (which a build may follow into places not looked at here) gives
    the time of now, too new to be trusted (build/uptodate.py keeps no stamp then)."""
    try:
        st = os.lstat(path)
    except OSError:
        found.append((path,))
        return 0
    found.append((path, st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    newest = max(st.st_mtime_ns, st.st_ctime_ns)
    if stat.S_ISLNK(st.st_mode):
        try:
            target = os.stat(path)
        except OSError:
            return newest
        if stat.S_ISDIR(target.st_mode):
            return time.time_ns()
        found.append((path, target.st_mode, target.st_size, target.st_mtime_ns, target.st_ctime_ns, target.st_ino))
        newest = max(newest, target.st_mtime_ns, target.st_ctime_ns)
    return newest
