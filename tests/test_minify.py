"""The theme's CSS is written compacted, with selectors and strings intact."""

from __future__ import annotations

from generator.minify import compact_css


def test_compacting_keeps_selectors_values_and_strings():
    css = """/* a comment */
.prose > p a:hover ,
.x  .y::after {
  content: " (" attr(href) ")";
  margin: 0 auto;
  width: calc(100% - 2 * var(--gutter));
}
@media (min-width: 1100px) { .a :focus { color: red; } }
"""
    assert compact_css(css) == ('.prose>p a:hover,.x .y::after{content:" (" attr(href) ")";margin:0 auto;'
                                'width:calc(100% - 2 * var(--gutter))}@media (min-width:1100px){.a :focus{color:red}}\n')


def test_built_stylesheet_is_the_compacted_theme(site):
    from conftest import REPO
    site.build()
    [built] = (site.out / "static").glob("style.*.css")
    source = (REPO / "templates" / "static" / "style.css").read_text(encoding="utf-8")
    assert built.read_text(encoding="utf-8") == compact_css(source)
    assert len(built.read_bytes()) < len(source.encode()) * 0.9
