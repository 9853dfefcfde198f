"""What the generator's output depends on besides the site: its version, its theme, the libraries
that shape its pages and images, the fonts those are drawn with.

Found without importing any of those libraries: a build that has nothing to do (build/uptodate.py)
must not pay for loading them.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from importlib import resources
from pathlib import Path

from generator import DISTRIBUTION
from generator.features.images import fonts

# What renders pages and images besides the generator: an upgrade of one makes every page again.
# Pillow draws the share images and zlib-ng compresses them, rcssmin and rjsmin minify stylesheets and
# scripts (the maps' data is the generator's own).
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "babel", "yaml", "pycountry", "PIL", "zlib_ng", "rcssmin",
             "rjsmin")

PACKAGE = Path(__file__).resolve().parent


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
    render differently. The generator's own files are the callers' to look at."""
    return [sys.version, f"generator {version()}", installed(LIBRARIES), fonts.identity()]


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
    """Where each library is installed, and its main file's size and time, which installing
    another version changes; found without importing them, as a build may need none."""
    found = []
    for name in names:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        try:
            st = os.stat(origin or "")
        except OSError:  # not there, or not from a file
            found.append(f"{name} -")
            continue
        found.append(f"{name} {origin} {st.st_size} {st.st_mtime_ns}")
    return "\n".join(found)
