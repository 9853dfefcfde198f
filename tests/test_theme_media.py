"""The default theme honours print, prefers-color-scheme and prefers-reduced-motion.

Checked on the example explainer as Chromium renders it, through computed
styles rather than by reading the stylesheet.
"""

from __future__ import annotations

import re

import pytest

from browser import chromium, serve
from conftest import copy_example

PAGE = "central-asia-recruits/index.html"
CONTENT = [".article-head h1", ".prose", ".timeline > li", "main .country", "main .quote", ".lead img"]
CHROME = [".masthead", ".colophon", ".skip", ".toc", ".backlink", ".to-article", ".pop"]


@pytest.fixture(scope="module")
def explainer(tmp_path_factory):
    site = copy_example(tmp_path_factory.mktemp("media") / "example")
    assert site.build() == 0
    with serve(site.out) as base:
        yield base + PAGE


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def open_page(browser):
    contexts = []

    def open_(url, **options):
        context = browser.new_context(viewport={"width": options.pop("width", 1280), "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        page.goto(url)
        return page

    yield open_
    for context in contexts:
        context.close()


def luminance(css_color: str) -> float:
    """WCAG relative luminance of a computed `rgb(...)` colour."""
    r, g, b = (int(x) / 255 for x in re.findall(r"[\d.]+", css_color)[:3])
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def visibility(page, selector: str) -> list[bool]:
    """For each element matching selector: is it rendered with a size?"""
    return page.eval_on_selector_all(selector, """els => els.map(el => {
        const r = el.getBoundingClientRect();
        return el.checkVisibility({visibilityProperty: true}) && r.width > 0 && r.height > 0; })""")


def backdrop(page, selector: str) -> str:
    """The colour behind an element: its own background or the nearest ancestor's."""
    return page.eval_on_selector(selector, """el => {
        for (let n = el; n; n = n.parentElement) {
            const c = getComputedStyle(n).backgroundColor;
            if (c !== 'rgba(0, 0, 0, 0)') return c;
        }
        return 'rgb(255, 255, 255)'; }""")


def style(page, selector: str, prop: str, pseudo: str | None = None) -> str:
    return page.eval_on_selector(selector, "(el, [p, ps]) => getComputedStyle(el, ps).getPropertyValue(p)", [prop, pseudo])


def test_print_shows_timeline_boxes_and_quotes_and_hides_the_chrome(open_page, explainer):
    page = open_page(explainer, color_scheme="dark")
    page.locator("a.mention").first.click()  # an open popover must not print either
    page.wait_for_selector(".pop:popover-open")
    page.emulate_media(media="print")
    for selector in CONTENT:
        shown = visibility(page, selector)
        assert shown and all(shown), f"{selector} is hidden in print: {shown}"
    for selector in CHROME:
        shown = visibility(page, selector)
        assert shown and not any(shown), f"{selector} is printed: {shown}"
    for selector in (".timeline > li", ".country", ".quote"):
        assert style(page, selector, "break-inside") == "avoid", selector


def test_print_is_black_on_white_even_in_dark_mode(open_page, explainer):
    page = open_page(explainer, color_scheme="dark")
    page.emulate_media(media="print")
    assert luminance(style(page, "body", "background-color")) > 0.95
    for selector in ("body", ".prose p", ".timeline h3", ".country h3", ".quote blockquote"):
        assert luminance(style(page, selector, "color")) < 0.05, selector
    for selector in (".quote", ".country", ".timeline > li"):
        assert luminance(backdrop(page, selector)) > 0.9, selector
    label = style(page, ".video-title", "color", "::before")  # the "Video" label on a grey frame
    assert contrast(label, backdrop(page, ".video-frame")) >= 4.5, label


def test_print_spells_out_where_source_links_go(open_page, explainer):
    page = open_page(explainer)
    page.emulate_media(media="print")
    href = page.get_attribute(".article-source a", "href")
    assert href.startswith("http") and href in style(page, ".article-source a", "content", "::after")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_color_scheme_sets_background_and_readable_text(open_page, explainer, scheme):
    page = open_page(explainer, color_scheme=scheme)
    background = style(page, "body", "background-color")
    assert (luminance(background) < 0.05) if scheme == "dark" else (luminance(background) > 0.8), background
    for selector in ("body", ".prose p", ".timeline h3", ".dek", ".facts dt", ".quote figcaption .role"):
        color = style(page, selector, "color")
        surface = backdrop(page, selector)
        assert contrast(color, surface) >= 4.5, f"{selector}: {color} on {surface} in {scheme}"


def test_dark_scheme_changes_every_surface(open_page, explainer):
    light, dark = open_page(explainer, color_scheme="light"), open_page(explainer, color_scheme="dark")
    for selector in ("body", ".quote", ".country", ".backlink", ".toc .count"):
        assert luminance(backdrop(light, selector)) > 0.7, selector
        assert luminance(backdrop(dark, selector)) < 0.05, selector
    assert style(light, "html", "color-scheme") == style(dark, "html", "color-scheme") == "light dark"


MOTION = """() => {
    const moving = [...document.querySelectorAll('*')].filter(el => {
        const s = getComputedStyle(el);
        return s.animationName !== 'none' ||
            s.transitionDuration.split(',').some(d => parseFloat(d) > 0);
    }).map(el => el.tagName + (el.className ? '.' + el.className : ''));
    return {animations: document.getAnimations().length, moving,
            scroll: getComputedStyle(document.documentElement).scrollBehavior};
}"""


def test_motion_without_a_preference_is_there(open_page, explainer):
    """The control for the next test: a linked timeline entry flashes and scrolling is smooth."""
    page = open_page(explainer, reduced_motion="no-preference")
    target = page.get_attribute(".timeline > li", "id")
    page.goto(f"{explainer}#{target}")
    found = page.evaluate(MOTION)
    assert found["animations"] > 0 and found["scroll"] == "smooth", found


def test_reduced_motion_stops_animations_transitions_and_smooth_scroll(open_page, explainer):
    page = open_page(explainer, reduced_motion="reduce")
    target = page.get_attribute(".timeline > li", "id")
    page.goto(f"{explainer}#{target}")
    page.locator("a.mention").first.click()
    page.wait_for_selector(".pop:popover-open")
    found = page.evaluate(MOTION)
    assert found == {"animations": 0, "moving": [], "scroll": "auto"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_video_titles_are_readable_on_the_lightest_part_of_their_gradient(open_page, explainer, scheme):
    """axe cannot judge text over a gradient (it reports it as incomplete), so the worst case is checked here.

    The example's videos have no address, so one is made a player's facade (a link) here.
    The title's own overlay runs from transparent to black, so it only darkens;
    the lightest colour under the text is the lightest stop of the frame's gradients.
    """
    page = open_page(explainer, color_scheme=scheme)
    page.evaluate("""() => { const div = document.querySelector('div.video-frame'), a = document.createElement('a');
        a.className = 'video-frame'; a.href = 'https://vimeo.com/1'; a.append(...div.childNodes); div.replaceWith(a); }""")
    gradient = style(page, "a.video-frame", "background-image")
    stops = [c for c in re.findall(r"rgba?\([^)]*\)", gradient) if not c.endswith(", 0)")]
    assert len(stops) >= 2, gradient
    lightest = max(stops, key=luminance)
    for pseudo in (None, "::before"):  # the title, and its "Video" label
        color = style(page, "a.video-frame .video-title", "color", pseudo)
        assert contrast(color, lightest) >= 4.5, f"{pseudo or 'title'}: {color} on {lightest}"
    # A video without an address: a plain caption on a flat ground, and no play mark.
    for pseudo in (None, "::before"):
        color = style(page, "div.video-frame .video-title", "color", pseudo)
        assert contrast(color, backdrop(page, "div.video-frame")) >= 4.5, f"{pseudo or 'title'}: {color}"
    assert style(page, "div.video-frame", "content", "::before") == "none"
