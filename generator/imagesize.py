"""Pixel size of an image file, read from its header.

The page gives <img> its width and height so the browser reserves the space
before the image arrives and the text below does not jump (layout shift).
Only the header is read; formats: PNG, GIF, JPEG, WebP, SVG.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

SVG_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")
SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.S)


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in CSS pixels, or None when the file does not say."""
    try:
        with path.open("rb") as f:
            head = f.read(64 * 1024)
    except OSError:
        return None
    for reader in (_png, _gif, _jpeg, _webp, _svg):
        try:
            size = reader(head)
        except (struct.error, ValueError, IndexError):
            size = None
        if size and size[0] > 0 and size[1] > 0:
            return size
    return None


def _png(b: bytes):
    if b[:8] == b"\x89PNG\r\n\x1a\n" and b[12:16] == b"IHDR":
        return struct.unpack(">II", b[16:24])
    return None


def _gif(b: bytes):
    if b[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", b[6:10])
    return None


def _jpeg(b: bytes):
    if b[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 9 < len(b):
        if b[i] != 0xFF:
            return None
        marker = b[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            i += 2
            continue
        length = struct.unpack(">H", b[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # start of frame
            height, width = struct.unpack(">HH", b[i + 5:i + 9])
            return width, height
        i += 2 + length
    return None


def _webp(b: bytes):
    if b[:4] != b"RIFF" or b[8:12] != b"WEBP":
        return None
    kind = b[12:16]
    if kind == b"VP8X":
        return 1 + int.from_bytes(b[24:27], "little"), 1 + int.from_bytes(b[27:30], "little")
    if kind == b"VP8 ":
        w, h = struct.unpack("<HH", b[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if kind == b"VP8L":
        bits = int.from_bytes(b[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    return None


def _svg(b: bytes):
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
