"""Writes docs/embed-timeline.png: the example's timeline embedded in a plain article page.

Builds the example site for one loopback origin and serves it there, writes
a plain story holding the published snippet (the html of the timeline's
oEmbed response) and serves it at another origin, as a CMS would, and
renders the story in Debian's Chromium once the frame has taken its height.
Run: python3 docs/make_embed_screenshot.py [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from generator.cli.main import main  # noqa: E402
from browser import chromium, serve  # noqa: E402
from embedding import article, snippet  # noqa: E402

SLUG = "central-asia-recruits"


def shoot(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        build, host = Path(tmp) / "build", Path(tmp) / "host"
        host.mkdir()
        with serve(build) as site, serve(host) as story:
            if main(["build", "--site", str(REPO), "--out", str(build), "--base-url", site]) != 0:
                sys.exit("the example site does not build")
            (host / "story.html").write_text(article("Central Asia weighs the cost of Russia's call-up",
                                                     [snippet(build, SLUG, "timeline")]), encoding="utf-8")
            with chromium() as browser:
                page = browser.new_page(viewport={"width": 900, "height": 900}, device_scale_factor=1)
                page.goto(story + "story.html", wait_until="load")
                inside = page.locator("iframe").element_handle().content_frame()
                inside.wait_for_selector(".embed-from")
                height = inside.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
                page.wait_for_function(f"Math.abs(document.querySelector('iframe').offsetHeight - {height}) <= 3")
                # The whole story in the viewport: a full-page capture leaves the frame's lower part blank.
                page.set_viewport_size({"width": 900, "height": page.evaluate("document.documentElement.scrollHeight")})
                page.wait_for_timeout(300)
                page.screenshot(path=str(out / "embed-timeline.png"))
                page.close()
    print(f"wrote {out / 'embed-timeline.png'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    shoot(parser.parse_args().out)
