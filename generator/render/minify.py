"""Smaller theme files for published builds, so pages stay within their byte budget.

CSS goes through rcssmin and JavaScript through rjsmin, by the same author: each
removes only comments and whitespace where the language gives it no meaning, and
leaves strings alone. The preview serves the files as written, so a stylesheet
can be swapped live.
"""

from __future__ import annotations

from pathlib import Path

import rcssmin
import rjsmin


def minify_css(text: str) -> str:
    return rcssmin.cssmin(text) + "\n"


def published(path: Path) -> bytes | Path:
    """What a published build writes for a theme file: CSS and JS minified, the rest as it is.

    Minified once per version of the file: a running process (the preview, or a build told
    what changed) looks at the static files before every build."""
    if path.suffix not in (".css", ".js"):
        return path
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns, st.st_ino)
    if key not in _MINIFIED:
        _MINIFIED[key] = _minified(path)
    return _MINIFIED[key]


_MINIFIED: dict[tuple, bytes] = {}


def _minified(path: Path) -> bytes:
    if path.suffix == ".css":
        return minify_css(path.read_text(encoding="utf-8")).encode("utf-8")
    return (rjsmin.jsmin(path.read_text(encoding="utf-8")) + "\n").encode("utf-8")
