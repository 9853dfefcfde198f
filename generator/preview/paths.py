"""Which request may read which file: request paths to output names, and their content types."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

PREVIEW = ".preview"  # under the site folder; git-ignored
PREFIX = "/__preview__/"  # the preview's own addresses: its script, status and WebSocket


def output_name(raw_path: str) -> str | None:
    """The output file a request path asks for, relative to the preview folder.

    `raw_path` is the path as sent (still percent-encoded). It is decoded
    once; what is left must be a plain relative path: no `.`/`..` or hidden
    segments, no backslashes, NULs, empty segments, and no percent sign (a
    double-encoded path is refused, not decoded again). A path ending in `/`
    names its index.html. None means "not found".
    """
    if not raw_path.startswith("/") or "\\" in raw_path or "%5c" in raw_path.lower():
        return None
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "%" in path or "\\" in path or "\x00" in path or not path.startswith("/"):
        return None
    parts = path[1:].split("/")
    if parts[-1] == "":
        parts[-1] = "index.html"
    if any(p == "" or p.startswith(".") or p.strip() != p for p in parts):
        return None
    return "/".join(parts)


def page_for_url(url: str) -> str | None:
    """The output page a browser tab shows, from its address (query and fragment ignored)."""
    try:
        path = urlsplit(url).path or "/"
    except ValueError:
        return None
    name = output_name(path)
    if name is not None and "." not in name.rsplit("/", 1)[-1]:
        name += "/index.html"  # /slug is redirected to /slug/
    return name


def inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a loop of links, which leads nowhere
        return False
    return True


def content_type(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if kind == "application/javascript":
        kind = "text/javascript"
    if kind.startswith("text/") or kind in ("image/svg+xml", "application/xml", "application/json",
                                            "application/atom+xml"):
        kind += "; charset=utf-8"
    return kind
