"""Plain host pages that embed a built site's items, as a newsroom's CMS story would.

Used by the embed tests and by docs/make_embed_screenshot.py. Each page is
written into a folder that is served on an origin of its own.
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

from browser import NODE_MODULES

STYLE = ("body{margin:0;font:18px/1.55 Georgia,serif;color:#222;background:#fff}"
         "article{max-width:640px;margin:0 auto;padding:24px 16px}"
         "header{border-bottom:1px solid #ddd;padding:12px 16px;font:700 20px/1 Helvetica,Arial,sans-serif}"
         "h1{font-size:34px;line-height:1.15}")
WORDS = ("Thousands of people have crossed the border since the mobilization was announced, and officials in "
         "the capitals of the region have answered in very different ways.")


def snippet(out: Path, slug: str, ident: str) -> str:
    """The published snippet of an item: the html of its oEmbed response, which its share page shows too."""
    return json.loads((out / slug / "embed" / ident / "oembed.json").read_text(encoding="utf-8"))["html"]


def article(title: str, embeds: list[str]) -> str:
    """A story with a paragraph before and after each embedded piece of HTML."""
    body = "".join(f"<p>{WORDS}</p>\n<div class=\"embed\">{piece}</div>\n" for piece in embeds)
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{html.escape(title)}"
            f"</title><style>{STYLE}</style></head><body><header>The Daily Example</header><article>"
            f"<h1>{html.escape(title)}</h1>\n{body}<p>{WORDS}</p></article></body></html>\n")


def pym_page(urls: list[str]) -> str:
    """A story that embeds each URL with the Pym.js parent library (pym.v1.min.js beside it)."""
    divs = "".join(f'<p>{WORDS}</p><div id="pym-{n}"></div>' for n in range(len(urls)))
    calls = "".join(f"new pym.Parent({json.dumps(f'pym-{n}')}, {json.dumps(url)}, {{title: 'Embed {n}'}});"
                    for n, url in enumerate(urls))
    return article("Pym.js parent", []).replace("</article>", f"{divs}</article><script src=\"pym.v1.min.js\">"
                                                               f"</script><script>{calls}</script>")


def frames_page(urls: list[str]) -> str:
    """A story that embeds each URL with @newswire/frames (frames.umd.js beside it)."""
    divs = "".join(f'<p>{WORDS}</p><div data-frame-src="{html.escape(url)}" '
                   f'data-frame-attribute-title="Embed {n}"></div>' for n, url in enumerate(urls))
    return article("Frames parent", []).replace("</article>", f"{divs}</article><script src=\"frames.umd.js\">"
                                                               f"</script><script>newswireFrames.autoInitFrames();"
                                                               f"</script>")


def copy_parent_libraries(folder: Path) -> None:
    """The real parent libraries from npm (tests/tools/package.json), served beside the pages."""
    shutil.copy(NODE_MODULES / "pym.js" / "dist" / "pym.v1.min.js", folder / "pym.v1.min.js")
    shutil.copy(NODE_MODULES / "@newswire" / "frames" / "dist" / "frames.umd.js", folder / "frames.umd.js")
