#!/usr/bin/env python3
"""What one share image costs, step by step; not a test.

Draws N typical cards (quote cards and timeline entries, in Latin, Cyrillic
and right-to-left Arabic, as many and as long as bench/corpus.py makes them) with
generator/share.py and prints the median CPU time of each step per image
(layout, draw, encode, and reading a kept image back from the store), and
the image's bytes.

With --formats it also encodes every drawn card in other ways, to choose
the format by measurement: the 4-bit PNG at other zlib-ng levels, palette PNGs
with other numbers of shades per ink written by Pillow, JPEG at a few qualities (the card
converted to RGB first, which is timed apart), WebP, and the previous method
(the card drawn in colour, reduced to 32 colours with Image.quantize and
written as a PNG at level 6).

    python bench/share_bench.py                   # 320 cards (20 explainers)
    python bench/share_bench.py --count 1600 --formats
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw

from corpus import VOCABULARY
from generator.features import share
from generator.features.images import store as imagestore

LATIN = VOCABULARY[:85]  # the corpus's commonest words, as the share pages of a built site carry
CYRILLIC = [
    "власти", "граница", "мигранты", "работники", "граждане", "регион", "страна", "столица", "служба", "армия",
    "закон", "указ", "парламент", "президент", "министр", "посольство", "заявление", "доклад", "данные", "неделя",
    "месяц", "год", "город",
]
ARABIC = [
    "الحكومة", "الحدود", "المهاجرين", "العمال", "المواطنين", "المنطقة", "البلد", "العاصمة", "الخدمة", "الجيش",
    "القانون", "المرسوم", "البرلمان", "الرئيس", "الوزير", "السفارة", "البيان", "التقرير", "الأسبوع", "الشهر",
]
SCRIPTS = [(LATIN, False), (LATIN, False), (CYRILLIC, False), (ARABIC, True)]  # mostly Latin, as sites are
PER_EXPLAINER, QUOTES = 16, 6  # cards per explainer, of which quote cards
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
]

# The other encodings --formats tries: name -> (how, save() options). `how` is "ours" for
# share.encode at other zlib-ng levels, a number of shades per ink for the card drawn with that
# many and written by Pillow, or "RGB" for the card converted to colour first.
FORMATS = {
    **{f"png 4-bit, our writer, zlib-ng level {level}": ("ours", {"level": level}) for level in (1, 2, 3, 6)},
    **{f"png 4-bit (5 shades per ink), Pillow's writer, level {level}": (5, {"format": "PNG", "compress_level": level})
       for level in (1, 2, 6)},
    **{f"png 8-bit (16 shades per ink), Pillow's writer, level {level}": (16, {"format": "PNG", "compress_level": level})
       for level in (1, 3, 6)},
    "png 8-bit (32 shades per ink), Pillow's writer, level 1": (32, {"format": "PNG", "compress_level": 1}),
    "jpeg q85 4:2:0": ("RGB", {"format": "JPEG", "quality": 85}),
    "jpeg q90 4:2:0": ("RGB", {"format": "JPEG", "quality": 90}),
    "jpeg q90 4:4:4": ("RGB", {"format": "JPEG", "quality": 90, "subsampling": 0}),
    "webp lossless, method 0": ("RGB", {"format": "WEBP", "lossless": True, "method": 0}),
    "webp q90, method 0": ("RGB", {"format": "WEBP", "quality": 90, "method": 0}),
}


def cards(count: int, seed: int) -> list[share.Inputs]:
    """The cards of count / 16 explainers, each with 6 quote cards (10-18 words, a speaker and
    role) and 10 timeline entries (a date, a 5-word title, a 16-word body), as bench/corpus.py
    makes them; every fourth explainer Cyrillic, and every fourth right-to-left Arabic."""
    rng = random.Random(seed)
    found: list[share.Inputs] = []
    while len(found) < count:
        vocabulary, rtl = SCRIPTS[len(found) // PER_EXPLAINER % len(SCRIPTS)]

        def words(n: int, vocabulary: list[str] = vocabulary) -> str:  # this explainer's script
            return " ".join(rng.choice(vocabulary) for _ in range(n)).capitalize()

        explainer = words(8)
        for _ in range(QUOTES):
            found.append(("quote", "", words(rng.randint(10, 18)), f"{words(2)}, {words(2)}", "Benchmark explainers",
                          explainer, rtl))
        for _ in range(PER_EXPLAINER - QUOTES):
            date = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2015, 2024)}"
            found.append(("event", date, words(5), words(16) + ".", "Benchmark explainers", explainer, rtl))
    return found[:count]


def cpu_ms(run, *args, **options):
    started = time.process_time_ns()
    value = run(*args, **options)
    return (time.process_time_ns() - started) / 1e6, value


def previous(layout: share.Layout) -> bytes:
    """The card as it was made before: drawn in colour, quantized to 32 colours, PNG at level 6."""
    picture = Image.new("RGB", share.SIZE, share.COLORS["bg"])
    pen = ImageDraw.Draw(picture)
    x, anchor = (share.SIZE[0] - share.MARGIN, "ra") if layout.rtl else (share.MARGIN, "la")
    pen.rectangle((0, 0, share.SIZE[0], 12), fill=share.COLORS["accent"])
    for line in layout.lines:
        pen.text((x, line.y), line.text, font=share.font(line.face, line.size), fill=share.COLORS[line.ink],
                 anchor=anchor)
    pen.line((share.MARGIN, share.RULE_Y, share.SIZE[0] - share.MARGIN, share.RULE_Y), fill=share.COLORS["rule"],
             width=2)
    out = io.BytesIO()
    picture.quantize(colors=32, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        out, "PNG", compress_level=6)
    return out.getvalue()


def measure(inputs: list[share.Inputs], formats: bool, store: Path) -> dict[str, tuple[list[float], list[int]]]:
    steps: dict[str, tuple[list[float], list[int]]] = {}

    def note(step: str, ms: float, size: int = 0) -> None:
        times, sizes = steps.setdefault(step, ([], []))
        times.append(ms)
        if size:
            sizes.append(size)

    for card in inputs:
        t_layout, layout = cpu_ms(share.layout, *card)
        t_draw, picture = cpu_ms(share.draw, layout)
        t_encode, data = cpu_ms(share.encode, picture)
        note("layout", t_layout)
        note("draw", t_draw)
        note("encode", t_encode)
        note("image (layout + draw + encode)", t_layout + t_draw + t_encode, len(data))
        key = share.image_key(card)
        imagestore.put(store, key, data)
        t_read, kept = cpu_ms(imagestore.get, store, key)
        assert kept == data
        note("kept image read back (imagestore.get)", t_read)
        if not formats:
            continue
        t_rgb, rgb = cpu_ms(picture.convert, "RGB")
        note("convert to RGB (for JPEG, WebP)", t_rgb)
        drawn = {share.SHADES: picture}
        for name, (how, options) in FORMATS.items():
            if how == "ours":
                t_save, data = cpu_ms(share.encode, picture, **options)
                note(f"encode {name}", t_save, len(data))
                continue
            if how != "RGB" and how not in drawn:
                drawn[how] = share.draw(layout, how)
            out = io.BytesIO()
            t_save, _ = cpu_ms((rgb if how == "RGB" else drawn[how]).save, out, **options)
            note(f"encode {name}", t_save, out.tell())
        t_previous, data = cpu_ms(previous, layout)
        note("previous: colour draw + quantize + png level 6", t_previous, len(data))
    return steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=320, help="cards to draw (default 320)")
    parser.add_argument("--formats", action="store_true", help="compare other formats and the previous method")
    args = parser.parse_args()
    for card in cards(48, seed=1):  # fonts loaded and code warm before measuring
        share.encode(share.draw(share.layout(*card)))
    with tempfile.TemporaryDirectory() as folder:
        steps = measure(cards(args.count, seed=0), args.formats, Path(folder))
    print(f"{args.count} cards; CPU time per image; {share.MIME}, {share.SHADES} shades per ink, "
          f"zlib-ng level {share.COMPRESS_LEVEL}")
    print(f"{'step':62} {'median ms':>10} {'p90 ms':>8} {'median bytes':>13}")
    for step, (times, sizes) in steps.items():
        p90 = statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0]
        size = f"{statistics.median(sizes):>13,.0f}" if sizes else ""
        print(f"{step:62} {statistics.median(times):>10.2f} {p90:>8.2f} {size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
