"""Share pages: one small page per quote card and timeline entry.

`<slug>/q/<id>/index.html` carries Open Graph and Twitter tags and a share
image, `<slug>/q/<id>/share.png`, drawn at build time with Pillow, so a single
quote or event can be posted on its own and leads back to its passage.

An image is made in three steps: `layout` places the lines of text, `draw`
rasterises them into a palette image and `encode` writes the PNG. Each
distinct card is drawn once: in a process the bytes are remembered, and
between runs (and workers) they are kept in the site's cache under a digest
of everything that shapes the pixels (imagestore).
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont, features
from zlib_ng import zlib_ng

from generator.model.common import Site
from generator.model.page import Event, Explainer, Quote
from generator.render import paths
from generator.render.meta import PageMeta, absolute, plain

from .images import store as imagestore
from .images.cards import SIZE  # the size Open Graph and Twitter cards show best
from .images.fonts import FONTS, font_path
from .images.glyphs import draw_line

MARGIN = 80
WIDTH = SIZE[0] - 2 * MARGIN  # of a line of text
RULE_Y = 548  # the line above the footer
FOOTER_Y = 566
DETAIL_GAP, DETAIL_STEP = 18, 38  # between the headline and the detail; between the detail's lines
ABOVE = 8  # pixels a mark may reach above its line's ascender and still get its ink
HEADLINE_SIZES = (54, 46, 40, 34, 30, 26)  # the largest at which the headline fits is used
COLORS = {"bg": (251, 249, 244), "ink": (28, 26, 23), "ink2": (90, 84, 75), "accent": (165, 31, 23),
          "rule": (217, 210, 197)}

# The card is drawn as a palette image (see draw), so it needs no quantizing pass,
# and written as a 4-bit PNG: 16 colours, the rule's and SHADES shades of each ink.
# The format, shades and compression were chosen with bench/share_bench.py.
INKS = ("ink", "ink2", "accent")
SHADES = 5  # of each ink, from the background to the ink
# zlib-ng's level, chosen with bench/share_bench.py: about half libdeflate's time at level 1
# for output as small. zlib-ng, like zlib, starts each stream from cleared tables, so the same
# pixels give the same bytes on every run: two cold builds of a site write the same images.
COMPRESS_LEVEL = 2
MIME = "image/png"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
UNDRAWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


@dataclass(frozen=True)
class Card:
    """What one share page and its image show."""

    id: str
    kind: str  # "quote" or "event"
    kicker: str  # the event's date, or "Quote"
    headline: str  # the quote's text or the event's title
    detail: str  # speaker and role, or the event's body as text
    item: Quote | Event


@dataclass(frozen=True)
class Text:
    """One line of text on the card; `y` is the top of its font's ascender."""

    text: str
    face: str  # a key of FONTS
    size: int
    ink: str  # one of INKS
    y: int


@dataclass(frozen=True)
class Layout:
    """Where every line of a card goes, top to bottom."""

    lines: tuple[Text, ...]
    rtl: bool  # lines start at the right margin


def cards(e: Explainer) -> list[Card]:
    found = [Card(q.id, "quote", "", q.text, ", ".join(filter(None, [q.speaker, q.role])), q) for q in e.quotes]
    found += [Card(ev.id, "event", ev.date.display, ev.title, plain(ev.body), ev) for ev in e.timeline]
    return found


def share_meta(site: Site, e: Explainer, card: Card) -> PageMeta:
    if isinstance(card.item, Quote):  # card.kind "quote"
        title = f"{card.item.speaker}: “{card.headline}”"
    else:
        title = f"{card.kicker}: {card.headline}"
    return PageMeta(
        title=f"{title} — {site.title}",
        description=card.detail if card.kind == "event" and card.detail else e.title,
        canonical=absolute(site, paths.share(e.slug, card.id)),
        kind="article",
        image=absolute(site, paths.share_image(e.slug, card.id)),
        image_alt=f"{title} — {card.detail}" if card.kind == "quote" else title,
        image_type=MIME,
        image_size=SIZE,
    )


# The most of each text an image can show, with room to spare: the headline fills at most
# about ten lines of 85 characters, the detail two, the footer and the kicker one. Longer
# text is cut before it is measured word by word to be wrapped, which would take minutes
# for a title of a megabyte; what the image shows stays the same.
HEADLINE_CHARS = 2000
OTHER_CHARS = 500


def share_image(card: Card, site_title: str, explainer_title: str, rtl: bool = False,
                store: Path | None = None) -> bytes:
    """The image's bytes; `store` is the folder of images kept between runs (None: none)."""
    return image_bytes((card.kind, card.kicker[:OTHER_CHARS], card.headline[:HEADLINE_CHARS],
                        card.detail[:OTHER_CHARS], site_title[:OTHER_CHARS], explainer_title[:OTHER_CHARS], rtl),
                       store)


Inputs = tuple[str, str, str, str, str, str, bool]  # kind, kicker, headline, detail, site and explainer titles, rtl


@functools.lru_cache(maxsize=512)
def image_bytes(inputs: Inputs, store: Path | None = None) -> bytes:
    """The same inputs always give the same bytes: drawn once, then read from the store."""
    key = image_key(inputs)
    data = imagestore.get(store, key)
    if data is None:
        data = encode(draw(layout(*inputs)))
        imagestore.put(store, key, data)
    return data


def image_key(inputs: Inputs) -> str:
    """A digest of everything the pixels and bytes depend on: the text, this drawing
    code and its settings, the font files, and the libraries that rasterise and encode."""
    return hashlib.sha256(f"{_identity()}\0{inputs!r}".encode()).hexdigest()


@functools.cache
def _identity() -> str:
    # The card's size is cards.SIZE, kept there for the page cards' metadata: named here with this code.
    parts = [hashlib.sha256(Path(__file__).read_bytes()).hexdigest(), f"size {SIZE}", f"Pillow {PIL.__version__}"]
    parts += [f"{lib} {features.version(lib)}" for lib in ("freetype2", "raqm", "fribidi", "harfbuzz")]
    parts.append(f"zlib-ng {zlib_ng.ZLIBNG_VERSION}")
    for face in sorted(FONTS):
        path = font_path(face)
        parts.append(f"{face} {hashlib.sha256(path.read_bytes()).hexdigest() if path else 'Pillow default'}")
    return "\n".join(parts)


def layout(kind: str, kicker: str, headline: str, detail: str, site_title: str, explainer_title: str,
           rtl: bool = False) -> Layout:
    """Each line measured once, word by word, and placed: a kicker or quotation mark, the
    headline at the largest size that fits above the detail, the detail, the footer."""
    kicker, headline, detail, site_title, explainer_title = (
        _drawable(text) for text in (kicker, headline, detail, site_title, explainer_title))
    if kind == "quote":
        lines, y = [Text("“", "serif", 150, "accent", 50)], 150
    else:
        lines, y = [Text(kicker, "bold", 34, "accent", 70)], 132
    detail_face = "sans" if kind == "event" else "bold"
    details = _wrap(detail, detail_face, 28, keep=2)
    room = RULE_Y - y - (DETAIL_GAP + DETAIL_STEP * len(details) if details else 0)
    face = _face(headline)
    size, heads = _fit(headline, face, room)
    step = int(size * 1.3)
    for text in heads:
        lines.append(Text(text, face, size, "ink", y))
        y += step
    y += DETAIL_GAP
    for text in details:
        lines.append(Text(text, detail_face, 28, "ink2" if kind == "event" else "ink", y))
        y += DETAIL_STEP
    lines.append(Text(_ellipsize(f"{site_title} · {explainer_title}", "sans", 24), "sans", 24, "ink2", FOOTER_Y))
    return Layout(tuple(lines), rtl)


def _drawable(text: str) -> str:
    """The text with line and paragraph separators and other controls as spaces, which the
    text layout engine (raqm) refuses; joiners, which shaping needs, are kept."""
    return UNDRAWABLE.sub(" ", text)


def draw(card: Layout, shades: int = SHADES) -> Image.Image:
    """The card as a palette image, its text rasterised once, straight into palette indices.

    Each ink has a run of `shades` palette entries shading from the background
    (index `_base(ink)`) to the ink (`_base(ink) + shades - 1`), and lines of one
    ink follow each other down the card with room between inks. So the rows
    are cut into bands, one per ink, each filled with its ink's background
    index, and text drawn there in the ink's last index: Pillow's anti-aliasing
    blends the two into the shades between, which are the shades of that ink.
    """
    picture = Image.new("L", SIZE, 0)
    pen = ImageDraw.Draw(picture)
    for top, bottom, ink in _bands(card.lines):
        pen.rectangle((0, top, SIZE[0] - 1, bottom - 1), fill=_base(ink, shades))
    x = SIZE[0] - MARGIN if card.rtl else MARGIN  # right-to-left pages start their lines at the right margin
    for line in card.lines:
        draw_line(picture, (x, line.y), line.text, font(line.face, line.size), _base(line.ink, shades) + shades - 1,
                  card.rtl)
    pen.rectangle((0, 0, SIZE[0], 12), fill=_base("accent", shades) + shades - 1)
    pen.line((MARGIN, RULE_Y, SIZE[0] - MARGIN, RULE_Y), fill=_base("rule", shades), width=2)
    picture.putpalette(_palette(shades))
    return picture


def encode(picture: Image.Image, level: int = COMPRESS_LEVEL) -> bytes:
    """The card as a 4-bit palette PNG. Written here rather than by Pillow's PNG writer,
    which packs and compresses row by row with zlib, measurably slower (bench/share_bench.py --formats)."""
    width, height = picture.size
    palette = picture.getpalette() if picture.mode == "P" else None
    if not palette or len(palette) > 16 * 3:
        raise ValueError("a 4-bit PNG holds a palette image of at most 16 colours")
    # Each row of PNG data starts with its filter type, 0 (none): two more pixels of index 0
    # at the left of each row pack into that byte.
    wide = Image.new("P", (width + 2, height), 0)
    wide.paste(picture, (2, 0))
    rows = wide.tobytes("raw", "P;4")  # two pixels a byte, each row starting on a byte
    header = struct.pack(">IIBBBBB", width, height, 4, 3, 0, 0, 0)  # 4 bits, palette colours, no interlacing
    return b"".join([PNG_SIGNATURE, _chunk(b"IHDR", header), _chunk(b"PLTE", bytes(palette)),
                     _chunk(b"IDAT", zlib_ng.compress(rows, level)), _chunk(b"IEND", b"")])


def _chunk(kind: bytes, data: bytes | bytearray) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _bands(lines: tuple[Text, ...]) -> list[tuple[int, int, str]]:
    """(top, bottom, ink) of each run of rows holding one ink: a band ends just above the next ink's first line."""
    bands = []
    top = 0
    for line, after in zip(lines, [*lines[1:], None]):
        if after is not None and after.ink == line.ink:
            continue
        bottom = SIZE[1] if after is None else max(top, after.y - ABOVE)
        if bottom > top:
            bands.append((top, bottom, line.ink))
            top = bottom
    return bands


def _base(ink: str, shades: int) -> int:
    """The palette index where `ink`'s shades start (the background colour); the rule has one entry."""
    return len(INKS) * shades if ink == "rule" else INKS.index(ink) * shades


@functools.cache
def _palette(shades: int) -> tuple[int, ...]:
    bg = COLORS["bg"]
    colours = [tuple(round(b + (c - b) * shade / (shades - 1)) for b, c in zip(bg, COLORS[ink]))
               for ink in INKS for shade in range(shades)]
    colours.append(COLORS["rule"])
    return tuple(v for colour in colours for v in colour)


def _face(text: str) -> str:
    """The serif covers Latin, Greek and Cyrillic; other scripts (Arabic, Hebrew, ...) need the sans."""
    return "serif" if all(ord(c) < 0x0530 or 0x1E00 <= ord(c) < 0x2100 for c in text) else "sans"


def _fit(text: str, face: str, room: int) -> tuple[int, list[str]]:
    """The largest size at which the text fits `room` pixels of height; the smallest one, cut, otherwise."""
    for size in HEADLINE_SIZES:
        lines = _wrap(text, face, size)
        if len(lines) * int(size * 1.3) <= room:
            return size, lines
    size = HEADLINE_SIZES[-1]
    return size, _wrap(text, face, size, keep=max(1, room // int(size * 1.3)))


def _wrap(text: str, face: str, size: int, keep: int = 0) -> list[str]:
    """Lines no wider than WIDTH, from word widths (words are shaped on their own; a space
    joins nothing); with `keep`, at most that many, the last one ending in an ellipsis if cut."""
    space = _length(face, size, " ")
    lines: list[str] = []
    width = 0.0
    for word in text.split():
        length = _length(face, size, word)
        if lines and width + space + length <= WIDTH:
            lines[-1] = f"{lines[-1]} {word}"
            width += space + length
        else:
            lines.append(word)
            width = length
    if keep and len(lines) > keep:
        lines = lines[:keep]
        lines[-1] = _ellipsize(lines[-1] + " …", face, size)
    return lines


@functools.lru_cache(maxsize=256)  # an explainer's cards share their footer
def _ellipsize(text: str, face: str, size: int) -> str:
    """The text, or as much of it as fits WIDTH followed by an ellipsis."""
    measure = font(face, size).getlength
    if measure(text) <= WIDTH:
        return text
    low, high = 0, len(text)  # the longest cut that fits: found by halving
    while low < high:
        middle = (low + high + 1) // 2
        if measure(text[:middle] + "…") <= WIDTH:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


@functools.lru_cache(maxsize=8192)
def _length(face: str, size: int, word: str) -> float:
    return font(face, size).getlength(word)


@functools.lru_cache(maxsize=32)
def font(face: str, size: int):
    """DejaVu when the system has it (it covers Cyrillic and more), else Pillow's own font."""
    path = font_path(face)
    return ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)
