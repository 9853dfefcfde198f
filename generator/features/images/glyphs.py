"""Lines of text drawn from glyph masks rasterised once per font and size.

Rasterising a line through the font renders every glyph again, and that was
most of the cost of a share image. Here each glyph's mask is rendered once,
set side by side with the font's own advance and kerning into the mask of a
word, which is kept for the next card that uses the word, and pasted where
the line's layout puts it: a line of Latin, Greek or Cyrillic text comes out
as the font would draw it, at the cost of one paste per word. What glyphs set
side by side cannot reproduce is drawn through the font as a whole: words the
font joins into ligatures (as DejaVu does with "fi"), right-to-left lines and
scripts that need shaping or combining marks.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from PIL import Image, ImageDraw, ImageFont

WORDS_KEPT = 4096  # word masks kept per process: a few kilobytes each
# Letters the fonts may join with the next one; a word holding such a pair is drawn whole.
LIGATURE = re.compile(r"f[a-z]|ſ|ﬀ|ﬁ|ﬂ|ﬃ|ﬄ", re.IGNORECASE)


def draw_line(picture: Image.Image, xy: tuple[int, int], text: str,
              font: ImageFont.FreeTypeFont | ImageFont.ImageFont, fill: int, rtl: bool = False) -> None:
    """Draws `text` with its left (or, `rtl`, right) end at x and the top of the
    font's ascender at y, blending `fill` into the picture as ImageDraw.text does."""
    x, y = xy
    if rtl or not isinstance(font, ImageFont.FreeTypeFont) or not composable(text):
        ImageDraw.Draw(picture).text((x, y), text, font=font, fill=fill, anchor="ra" if rtl else "la")
        return
    baseline = y + font.getmetrics()[0]
    space = _advance(font, " ")
    at = float(x)
    for word in text.split(" "):
        _paste(picture, _word(font, word), at, baseline, fill)
        at += _advance(font, word) + space


def composable(text: str) -> bool:
    """Whether the text is in scripts whose glyphs stand side by side, one per character."""
    return all(_simple(c) for c in text)


def _paste(picture: Image.Image, mask: tuple[Image.Image | None, int, int], at: float, baseline: int,
           fill: int) -> None:
    image, left, top = mask
    if image is not None:
        picture.paste(fill, (round(at) + left, baseline + top), image)


@functools.lru_cache(maxsize=8192)
def _mask(font: ImageFont.FreeTypeFont, text: str) -> tuple[Image.Image | None, int, int]:
    """The text's coverage as an "L" image, and where its corner sits from the baseline's start."""
    # Whole pixels, as Pillow gives them without a stroke (its type allows a fractional stroke width).
    left, top, right, bottom = map(int, font.getbbox(text, anchor="ls"))
    if right <= left or bottom <= top:
        return None, 0, 0  # a space, or a character the font draws as nothing
    image = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(image).text((-left, -top), text, font=font, fill=255, anchor="ls")
    return image, left, top


@functools.lru_cache(maxsize=WORDS_KEPT)
def _word(font: ImageFont.FreeTypeFont, word: str) -> tuple[Image.Image | None, int, int]:
    """A word's mask: the font's own drawing of it, or (without ligatures) its glyphs' masks set side by side."""
    if LIGATURE.search(word) or len(word) < 2:
        return _mask(font, word)
    masks = [_mask(font, c) for c in word]
    at, spots = 0.0, []
    for i, (char, mask) in enumerate(zip(word, masks)):
        if i:
            at += _kerning(font, word[i - 1] + char)
        spots.append((at, mask))
        at += _advance(font, char)
    placed = [(round(x) + m[1], m[2], m[0]) for x, m in spots if m[0] is not None]
    if not placed:
        return None, 0, 0
    left = min(x for x, _, _ in placed)
    top = min(y for _, y, _ in placed)
    right = max(x + im.width for x, _, im in placed)
    bottom = max(y + im.height for _, y, im in placed)
    image = Image.new("L", (right - left, bottom - top), 0)
    for x, y, im in placed:
        image.paste(255, (x - left, y - top), im)  # coverage adds up as the picture's blend would
    return image, left, top


@functools.lru_cache(maxsize=65536)
def _advance(font: ImageFont.FreeTypeFont, text: str) -> float:
    return font.getlength(text)


@functools.lru_cache(maxsize=65536)
def _kerning(font: ImageFont.FreeTypeFont, pair: str) -> float:
    """How much closer (negative) or farther the font sets two characters than their advances."""
    return _advance(font, pair) - _advance(font, pair[0]) - _advance(font, pair[1])


@functools.lru_cache(maxsize=4096)
def _simple(char: str) -> bool:
    """Latin, Greek, Cyrillic and common punctuation, without combining marks or direction controls."""
    code = ord(char)
    if unicodedata.combining(char) or unicodedata.category(char) in ("Cf", "Cc", "Mn", "Me"):
        return False
    return code < 0x0530 or 0x1E00 <= code < 0x2000 or 0x2010 <= code < 0x2028 or 0x2030 <= code < 0x205F \
        or 0x20A0 <= code < 0x20C1

