"""Pixel size of an image file, read from its header.

The page gives <img> its width and height so the browser reserves the space
before the image arrives and the text below does not jump (layout shift).
PNG, GIF, JPEG and WebP are read by Pillow, which reads the header and decodes
nothing (one over Pillow's decompression-bomb limit has no size, so no card is
cut from it); SVG, which Pillow does not read, from the root element's width,
height and viewBox.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

RASTER = ("PNG", "GIF", "JPEG", "WEBP")
SVG_HEAD = 64 * 1024  # bytes of a drawing read for its root element
SVG_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")
SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.DOTALL)
MARKUP_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*<")  # XML text, which no raster format starts with


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in CSS pixels, or None when the file does not say."""
    try:
        with path.open("rb") as f:
            head = f.read(SVG_HEAD)
    except OSError:
        return None
    # A drawing is told by its first bytes, so an SVG lead never loads Pillow.
    size = None if MARKUP_START.match(head) else _raster(path)
    if size is None:
        try:
            size = _svg(head)
        except (ValueError, OverflowError):  # a number that is none, or too large to round (viewBox="0 0 inf 9")
            size = None
    return size if size and size[0] > 0 and size[1] > 0 else None


def _raster(path: Path) -> tuple[int, int] | None:
    from PIL import Image, WebPImagePlugin  # noqa: F401 (registers WebP, so that opening needs no other plugin)

    try:
        with warnings.catch_warnings():
            # Over Pillow's pixel limit it warns (on stderr, or as an error under -W error) and would
            # decode the card from it; twice over, refuses: either way, too large to draw from.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=RASTER) as image:
                return image.size
    except (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None  # not one of them, damaged, or too large to draw


def _svg(b: bytes) -> tuple[int, int] | None:
    root = SVG_ROOT.search(b)
    if not root:
        return None
    tag = root.group(0).decode("utf-8", "replace")
    attrs = dict(re.findall(r'([\w:-]+)\s*=\s*["\']([^"\']*)["\']', tag))
    width, height = _svg_length(attrs.get("width")), _svg_length(attrs.get("height"))
    if width and height:
        return round(width), round(height)
    box = [float(x) for x in re.split(r"[\s,]+", attrs.get("viewBox", "").strip()) if x]
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        if width:  # one length given: the other follows the viewBox's proportions
            return round(width), round(width * box[3] / box[2])
        if height:
            return round(height * box[2] / box[3]), round(height)
        return round(box[2]), round(box[3])
    return None


def _svg_length(value: str | None) -> float | None:
    match = SVG_LENGTH.match(value or "")
    return float(match.group(1)) if match else None
