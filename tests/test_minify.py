"""Published stylesheets are minified without changing what any element looks like."""

from __future__ import annotations

import hashlib

import pytest

from browser import chromium, serve
from conftest import REPO
from generator.build.pipeline import Options, build
from generator.render.minify import minify_css


@pytest.mark.parametrize("source, expected", [
    ("a {\n  color: red;\n  margin: 0 auto;\n}\n", "a{color:red;margin:0 auto}\n"),
    ("/* theme */\n.x { top: 0; } /* end */", ".x{top:0}\n"),
    ('.q::before { content: "/* not a comment */ { ; }"; }', '.q::before{content:"/* not a comment */ { ; }"}\n'),
    (".b::after { content: ' \\00b7  '; }", ".b::after{content:' \\00b7  '}\n"),
    ("main :focus, a:hover { outline: 0 }", "main :focus,a:hover{outline:0}\n"),
    (".w { width: calc(100% - 2 * var(--g)); font: 1rem/1.5 serif; }", ".w{width:calc(100% - 2 * var(--g));font:1rem/1.5 serif}\n"),
    ("@media (min-width: 40rem) {\n  .a > .b { x: y }\n}", "@media (min-width:40rem){.a>.b{x:y}}\n"),
    (".a{x:y}/* unterminated", ".a{x:y}/* unterminated\n"),  # kept: CSS reads it as a comment to the end
    ("@media print { p { color: #444 !important; } }", "@media print{p{color:#444!important}}\n"),
    ('.p > a:hover ,\n.x  .y::after { content: " (" attr(href) ")"; }',
     '.p>a:hover,.x .y::after{content:" (" attr(href) ")"}\n'),
])
def test_minify_css(source, expected):
    assert minify_css(source) == expected


def test_published_stylesheet_is_smaller_and_named_by_its_bytes(shared_build):
    example = shared_build("example")
    (sheet,) = (example.out / "static").glob("style.*.css")
    source = REPO / "templates" / "static" / "style.css"
    assert sheet.stat().st_size < source.stat().st_size * 0.95
    assert sheet.name == f"style.{hashlib.sha256(sheet.read_bytes()).hexdigest()[:10]}.css"
    assert "/*" not in sheet.read_text()


def test_published_scripts_are_minified_and_named_by_their_bytes(shared_build):
    example = shared_build("example")
    (script,) = (example.out / "static").glob("explainer.*.js")
    source = REPO / "templates" / "static" / "explainer.js"
    assert script.stat().st_size < source.stat().st_size * 0.9
    assert script.name == f"explainer.{hashlib.sha256(script.read_bytes()).hexdigest()[:10]}.js"
    assert "/*" not in script.read_text()


STYLES = """() => [...document.querySelectorAll('*')].map(el => {
    const s = getComputedStyle(el), out = [el.tagName];
    for (const name of s) if (!name.startsWith('--')) out.push(name + ':' + s.getPropertyValue(name));
    return out.join(';');
})"""


@pytest.mark.parametrize("width, scheme", [(1280, "light"), (390, "dark")])
def test_minified_and_original_stylesheets_style_every_element_alike(example, width, scheme):
    """The preview serves the stylesheet as written; a published build, minified. Compare in Chromium."""
    raw_out, min_out = example.root / "raw", example.root / "min"
    build(Options(site=example.root, out=raw_out, hashed_assets=False))
    build(Options(site=example.root, out=min_out))
    assert (raw_out / "static" / "style.css").stat().st_size > next((min_out / "static").glob("style.*.css")).stat().st_size
    styles = {}
    with chromium() as browser, serve(raw_out) as raw, serve(min_out) as small:
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        for name, base in (("raw", raw), ("minified", small)):
            page.goto(base + "central-asia-recruits/index.html")
            styles[name] = page.evaluate(STYLES)
        context.close()
    assert len(styles["raw"]) > 300
    assert len(styles["raw"]) == len(styles["minified"])
    differing = [_difference(a, b) for a, b in zip(styles["raw"], styles["minified"]) if a != b]
    assert not differing, f"{len(differing)} elements styled differently, first: {differing[0]}"


def _difference(raw: str, small: str) -> str:
    a, b = raw.split(";"), small.split(";")
    return a[0] + ": " + ", ".join(f"{x} became {y}" for x, y in zip(a[1:], b[1:]) if x != y)
