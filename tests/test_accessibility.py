"""axe-core finds no violation on any built page, at desktop and phone widths, light and dark.

axe is injected into Debian's Chromium (bypass_csp, so a strict Content
Security Policy on a page cannot block it) and runs its default rule set:
WCAG 2.x A and AA plus axe's best practices. Colour contrast is checked as
rendered, so the dark scheme is a separate run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser import chromium, require_tool, serve

WIDTHS = (1280, 390)
SCHEMES = ("light", "dark")

RUN_AXE = """async () => (await axe.run(document)).violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary.replace(/\\s+/g, ' '))}))"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    return require_tool("axe-core/axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(shared_build) -> dict[str, Path]:
    """Both sites built, {name: output folder}: the session's shared builds, which these tests only read."""
    return {name: shared_build(name).out for name in ("example", "valid")}


@pytest.fixture(scope="module")
def sites(built):
    """Both sites served; yields {name: (base URL, [page paths])}."""
    with serve(built["example"]) as ex_url, serve(built["valid"]) as va_url:
        yield {"example": (ex_url, _pages(built["example"])), "valid": (va_url, _pages(built["valid"]))}


def _pages(out) -> list[str]:
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert "index.html" in pages and "404.html" in pages
    return pages


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def violations(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    return page.evaluate(RUN_AXE)


def _report(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, items in found.items():
        for v in items:
            lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']}")
            lines.extend(f"    {n}" for n in v["nodes"])
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_axe_violations_on_any_page(browser, sites, axe_source, width, scheme):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    found = {}
    try:
        for name, (base, pages) in sites.items():
            for rel in pages:
                page.goto(base + rel)
                found[f"{name}/{rel}"] = violations(page, axe_source)
    finally:
        context.close()
    assert len(found) >= 7
    bad = {where: items for where, items in found.items() if items}
    assert not bad, f"axe violations at {width} px, {scheme}:\n" + _report(bad)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_axe_violations_with_a_fact_box_popover_open(browser, sites, axe_source, scheme):
    """The popover a country mention opens is checked too (its colours, its dialog semantics)."""
    base, _ = sites["example"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(base + "central-asia-recruits/index.html")
        page.locator("a.mention").first.click()
        page.wait_for_selector(".pop:popover-open")
        found = violations(page, axe_source)
    finally:
        context.close()
    assert not found, f"axe violations with the popover open, {scheme}:\n" + _report({"popover": found})


def test_every_embed_page_is_among_the_pages_checked(built):
    for name, out in built.items():
        assert len([p for p in _pages(out) if "/embed/" in p]) >= 8, name


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_axe_violations_with_the_embed_code_open(browser, sites, axe_source, scheme):
    """A share page's "Copy embed code" button (shown by its script) and the snippet's box, opened."""
    base, pages = sites["example"]
    share = next(p for p in pages if "/q/q-" in p)
    context = browser.new_context(viewport={"width": 390, "height": 900}, color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(base + share)
        page.locator(".embed-code summary").click()
        assert page.locator(".embed-copy").is_visible() and page.locator(".embed-code textarea").is_visible()
        found = violations(page, axe_source)
    finally:
        context.close()
    assert not found, f"axe violations with the embed code open, {scheme}:\n" + _report({share: found})
