"""Share pages: one small page per quote card and timeline entry.

`<slug>/q/<id>/index.html` carries Open Graph and Twitter tags and a share
image, `<slug>/q/<id>/share.png`, drawn at build time with Pillow, so a single
quote or event can be posted on its own and leads back to its passage.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .metadata import PageMeta, absolute, plain
from .models import Event, Explainer, Quote, Site

SIZE = (1200, 630)  # the size Open Graph and Twitter cards show best
MARGIN = 80
COLORS = {"bg": (251, 249, 244), "ink": (28, 26, 23), "ink2": (90, 84, 75), "accent": (165, 31, 23)}
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONTS = {"serif": "DejaVuSerif.ttf", "sans": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}


@dataclass(frozen=True)
class Card:
    """What one share page and its image show."""

    id: str
    kind: str  # "quote" or "event"
    kicker: str  # the event's date, or "Quote"
    headline: str  # the quote's text or the event's title
    detail: str  # speaker and role, or the event's body as text
    item: Quote | Event


def cards(e: Explainer) -> list[Card]:
    found = [Card(q.id, "quote", "", q.text, ", ".join(filter(None, [q.speaker, q.role])), q) for q in e.quotes]
    found += [Card(ev.id, "event", ev.date.display, ev.title, plain(ev.body), ev) for ev in e.timeline]
    return found


def share_meta(site: Site, e: Explainer, card: Card) -> PageMeta:
    folder = f"{e.slug}/q/{card.id}/"
    if card.kind == "quote":
        title = f"{card.item.speaker}: “{card.headline}”"
    else:
        title = f"{card.kicker}: {card.headline}"
    return PageMeta(
        title=f"{title} — {site.title}",
        description=card.detail if card.kind == "event" and card.detail else e.title,
        canonical=absolute(site, folder),
        kind="article",
        image=absolute(site, f"{folder}share.png"),
        image_alt=f"{title} — {card.detail}" if card.kind == "quote" else title,
    )


# The most of each text an image can show, with room to spare: the headline fills at most
# about ten lines of 85 characters, the detail two, the footer and the kicker one. Longer
# text is cut before it is measured word by word to be wrapped, which would take minutes
# for a title of a megabyte; what the image shows stays the same.
HEADLINE_CHARS = 2000
OTHER_CHARS = 500


def share_image(card: Card, site_title: str, explainer_title: str, rtl: bool = False) -> bytes:
    return _draw(card.kind, card.kicker[:OTHER_CHARS], card.headline[:HEADLINE_CHARS], card.detail[:OTHER_CHARS],
                 site_title[:OTHER_CHARS], explainer_title[:OTHER_CHARS], rtl)


@functools.lru_cache(maxsize=512)
def _draw(kind: str, kicker: str, headline: str, detail: str, site_title: str, explainer_title: str,
          rtl: bool = False) -> bytes:
    """The PNG bytes; the same text always gives the same bytes (and is drawn once per process)."""
    image = Image.new("RGB", SIZE, COLORS["bg"])
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN

    def write(y: int, text: str, font, fill) -> None:
        # Right-to-left pages start their lines at the right margin.
        x = SIZE[0] - MARGIN - draw.textlength(text, font=font) if rtl else MARGIN
        draw.text((x, y), text, font=font, fill=fill)

    draw.rectangle((0, 0, SIZE[0], 12), fill=COLORS["accent"])
    y = 70
    if kind == "quote":
        write(y - 20, "“", _font("serif", 150), COLORS["accent"])
        y += 80
    else:
        write(y, kicker, _font("bold", 34), COLORS["accent"])
        y += 62
    face = _face(headline)
    size, lines = _fit(draw, headline, face, width, 560 - y - (70 if detail else 0), (54, 46, 40, 34, 30, 26))
    for line in lines:
        write(y, line, _font(face, size), COLORS["ink"])
        y += int(size * 1.3)
    if detail:
        y += 18
        small = _font("sans" if kind == "event" else "bold", 28)
        for line in _wrap(draw, detail, small, width)[:2]:
            write(y, line, small, COLORS["ink2"] if kind == "event" else COLORS["ink"])
            y += 38
    footer = _font("sans", 24)
    draw.line((MARGIN, 548, SIZE[0] - MARGIN, 548), fill=(217, 210, 197), width=2)
    write(566, _ellipsize(draw, f"{site_title} · {explainer_title}", footer, width), footer, COLORS["ink2"])
    out = io.BytesIO()
    # A small palette keeps the file small; quantizing is deterministic. Level 6 is
    # several times faster than "optimize" for about a tenth more bytes.
    image.quantize(colors=32, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(out, "PNG", compress_level=6)
    return out.getvalue()


def _face(text: str) -> str:
    """The serif covers Latin, Greek and Cyrillic; other scripts (Arabic, Hebrew, ...) need the sans."""
    return "serif" if all(ord(c) < 0x0530 or 0x1E00 <= ord(c) < 0x2100 for c in text) else "sans"


def _fit(draw, text: str, face: str, width: int, height: int, sizes: tuple[int, ...]) -> tuple[int, list[str]]:
    """The largest size at which the text fits the box; the smallest one, cut, otherwise."""
    for size in sizes:
        lines = _wrap(draw, text, _font(face, size), width)
        if len(lines) * size * 1.3 <= height:
            return size, lines
    size = sizes[-1]
    keep = max(1, int(height // (size * 1.3)))
    lines = _wrap(draw, text, _font(face, size), width)
    if len(lines) > keep:
        lines = lines[:keep]
        lines[-1] = _ellipsize(draw, lines[-1] + " …", _font(face, size), width)
    return size, lines


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _ellipsize(draw, text: str, font, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


@functools.lru_cache(maxsize=32)
def _font(face: str, size: int):
    """DejaVu when the system has it (it covers Cyrillic and more), else Pillow's own font."""
    for folder in FONT_DIRS:
        path = folder / FONTS[face]
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)
