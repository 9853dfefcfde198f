"""The fonts the share images are drawn with: found on the system, without loading Pillow.

The build's cache keys name them (build.fingerprint.code), so a font installed, upgraded or
removed makes the pages and images that use it again; finding them must not cost
a build that draws nothing the import of Pillow.
"""

from __future__ import annotations

import functools
from pathlib import Path

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONTS = {"serif": "DejaVuSerif.ttf", "sans": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}


@functools.cache
def font_path(face: str) -> Path | None:
    """The file of a face (a key of FONTS); None when the system has none: Pillow's own font is used."""
    for folder in FONT_DIRS:
        path = folder / FONTS[face]
        if path.is_file():
            return path
    return None


def identity() -> str:
    """Each face's file with its size, times and inode, which installing another version changes."""
    found = []
    for face in sorted(FONTS):
        path = font_path(face)
        try:
            st = path.stat() if path else None
        except OSError:
            st = None
        found.append(f"{face} {path} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}" if st
                     else f"{face} Pillow's default")
    return "\n".join(found)
