"""Writes full-page captures of the example site into docs/captures/.

Builds the example site into a temporary folder, serves it on loopback and
captures, in Debian's Chromium, at 1280 px and 390 px, light and dark: the
explainer, a country page, a share page and the explainer with search
results open; and docs/fact-box-map.png, one fact box. The README and
docs/reader.md show them, so they always show what the current theme really
produces. Each capture is reduced to 64 colours, which text and flat colours
survive, so the set stays a few megabytes.
Run: python3 docs/make_screenshots.py [--out DIR] [--only NAME]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PIL import Image  # noqa: E402

from generator.cli.main import main  # noqa: E402
from tests.browser import chromium, serve  # noqa: E402

ARTICLE = "central-asia-recruits/index.html"
PAGES = {
    "article": ARTICLE,
    "country": "countries/kg/index.html",
    "share": "central-asia-recruits/q/q-kulov-the-call-up-of/index.html",
    "search": ARTICLE,
}
WIDTHS = {"1280": (1280, 800), "390": (390, 844)}
SCHEMES = ("light", "dark")


def open_search(page) -> None:
    page.get_by_role("button", name="Search").click()
    page.locator("#search input").fill("Kyrgyz passport")
    page.locator("#search .search-excerpt").first.wait_for()
    page.wait_for_timeout(300)  # the result excerpts load one after another


def capture(browser, base: str, name: str, width: str, scheme: str, out: Path) -> Path:
    w, h = WIDTHS[width]
    page = browser.new_page(viewport={"width": w, "height": h}, device_scale_factor=1, color_scheme=scheme)
    try:
        page.goto(base + PAGES[name], wait_until="load")
        if name == "search":
            open_search(page)
        target = out / f"{name}-{width}-{scheme}.png"
        # Search results are shown from the top: the rest is the article already captured.
        page.screenshot(path=str(target), full_page=name != "search")
        shrink(target)
        return target
    finally:
        page.close()


def shrink(path: Path) -> None:
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.FASTOCTREE)
    small.save(path, optimize=True)


def fact_box(browser, base: str, out: Path) -> Path:
    page = browser.new_page(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    try:
        page.goto(base + ARTICLE, wait_until="load")
        target = out / "fact-box-map.png"
        page.locator("#country-kg").screenshot(path=str(target))
        shrink(target)
        return target
    finally:
        page.close()


def shoot(out: Path, only: str | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp) / "build"
        if main(["build", "--site", str(REPO), "--out", str(build)]) != 0:
            sys.exit("the example site does not build")
        with serve(build) as base, chromium() as browser:
            for name in PAGES:
                if only and name != only:
                    continue
                for width in WIDTHS:
                    for scheme in SCHEMES:
                        written.append(capture(browser, base, name, width, scheme, out))
                        print(f"wrote {written[-1]}")
            if not only:
                written.append(fact_box(browser, base, out.parent))
                print(f"wrote {written[-1]}")
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "captures")
    parser.add_argument("--only", choices=sorted(PAGES), help="capture this page only")
    args = parser.parse_args()
    shoot(args.out, args.only)
