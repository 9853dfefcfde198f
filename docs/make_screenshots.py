"""Writes docs/screenshot-desktop.png and docs/screenshot-phone.png.

Builds the example site into a temporary folder, serves it on loopback and
renders the example explainer in Debian's Chromium at 1280 px and 390 px, so
the README always shows what the current theme really produces.
With --reader it also shows the reader features for docs/reader.md: a
fact box with its locator map, a country page, and search opened.
Run: python3 docs/make_screenshots.py [--full] [--dark] [--reader] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.cli import main  # noqa: E402
from tests.browser import chromium, serve  # noqa: E402

PAGE = "central-asia-recruits/index.html"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def reader_features(browser, base: str, out: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 760}, device_scale_factor=1)
    page.goto(base + PAGE, wait_until="load")
    page.locator("#country-kg").scroll_into_view_if_needed()
    page.locator("#country-kg").screenshot(path=str(out / "fact-box-map.png"))
    page.goto(base + "countries/kg/index.html", wait_until="load")
    page.screenshot(path=str(out / "country-page.png"))
    page.goto(base + PAGE, wait_until="load")
    page.get_by_role("button", name="Search").click()
    page.locator("#search input").fill("Kyrgyz passport")
    page.locator(".pagefind-ui__result").first.wait_for()
    page.screenshot(path=str(out / "search.png"))
    page.close()
    print(f"wrote {out}/fact-box-map.png, country-page.png, search.png")


def shoot(out: Path, full: bool, dark: bool, reader: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp) / "build"
        if main(["build", "--site", str(REPO), "--out", str(build)]) != 0:
            sys.exit("the example site does not build")
        with serve(build) as base, chromium() as browser:
            for name, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height},
                                        device_scale_factor=1,
                                        color_scheme="dark" if dark else "light")
                page.goto(base + PAGE, wait_until="load")
                suffix = "-dark" if dark else ""
                target = out / f"screenshot-{name}{suffix}.png"
                page.screenshot(path=str(target), full_page=full)
                page.close()
                print(f"wrote {target}")
            if reader:
                reader_features(browser, base, out)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the whole page, not the first screen")
    parser.add_argument("--dark", action="store_true", help="dark colour scheme")
    parser.add_argument("--reader", action="store_true", help="also the reader features, for docs/reader.md")
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    args = parser.parse_args()
    shoot(args.out, args.full, args.dark, args.reader)
