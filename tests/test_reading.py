"""The example explainer as a reader meets it, in Debian's Chromium.

Without JavaScript every link works and everything is on the page; with it,
country mentions open their fact box as a popover on wide screens. Quote
cards sit in the margin on a desktop and inline on a phone.
"""

from __future__ import annotations

import pytest

from browser import chromium, serve
from conftest import copy_example

PAGE = "central-asia-recruits/index.html"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    # A copy: a build of the repository itself would write its .cache/, which other runs share.
    example = copy_example(tmp_path_factory.mktemp("reading") / "example")
    assert example.build() == 0
    with serve(example.out) as base:
        yield base + PAGE


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def open_page(browser, url, viewport, js=True):
    context = browser.new_context(viewport=viewport, java_script_enabled=js, reduced_motion="reduce")
    page = context.new_page()
    page.goto(url, wait_until="load")
    return context, page


def test_without_javascript_a_mention_jumps_to_its_fact_box(browser, site_url):
    context, page = open_page(browser, site_url, DESKTOP, js=False)
    try:
        link = page.locator("a.mention[href='#country-kg']").first
        link.click()
        page.wait_for_function("location.hash === '#country-kg'")
        box = page.locator("#country-kg")
        assert box.is_visible()
        assert box.bounding_box()["y"] < DESKTOP["height"]  # scrolled into view
        # Everything is on the page without the script.
        assert page.locator("ol.timeline > li").count() >= 7
        assert page.locator("section.country").count() == 4
        assert page.locator("figure.quote").count() >= 5
        assert page.locator("#mention-pop").count() == 0
    finally:
        context.close()


def test_on_a_desktop_a_mention_opens_an_accessible_popover(browser, site_url):
    context, page = open_page(browser, site_url, DESKTOP)
    try:
        link = page.locator("a.mention[href='#country-kg']").first
        assert link.get_attribute("aria-haspopup") == "dialog"
        link.click()
        pop = page.locator("#mention-pop")
        assert pop.is_visible()
        assert pop.get_attribute("role") == "dialog"
        assert pop.locator("h3").inner_text() == "Kyrgyzstan"
        assert link.get_attribute("aria-expanded") == "true"
        assert page.evaluate("document.activeElement.id") == "mention-pop"
        assert page.evaluate("location.hash") == ""  # the page did not jump
        page.keyboard.press("Escape")
        assert not pop.is_visible()
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#country-kg"
    finally:
        context.close()


def test_on_a_phone_a_mention_jumps_instead(browser, site_url):
    context, page = open_page(browser, site_url, PHONE)
    try:
        page.locator("a.mention[href='#country-kg']").first.click()
        page.wait_for_function("location.hash === '#country-kg'")
        assert not page.locator("#mention-pop").is_visible()
    finally:
        context.close()


def quote_and_paragraph(page):
    card = page.locator("figure.quote").first
    paragraph_id = card.evaluate("el => el.previousElementSibling.id")
    return card.bounding_box(), page.locator(f"#{paragraph_id}").bounding_box()


def test_quote_cards_are_margin_notes_on_a_desktop_and_inline_on_a_phone(browser, site_url):
    context, page = open_page(browser, site_url, DESKTOP)
    try:
        card, paragraph = quote_and_paragraph(page)
        assert card["x"] >= paragraph["x"] + paragraph["width"]  # beside the text column
        assert abs(card["y"] - paragraph["y"]) < 400  # level with its passage
    finally:
        context.close()
    context, page = open_page(browser, site_url, PHONE)
    try:
        card, paragraph = quote_and_paragraph(page)
        assert card["y"] >= paragraph["y"] + paragraph["height"]  # right below its passage
        assert card["x"] + card["width"] <= PHONE["width"]  # no sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_timeline_entry_and_its_paragraph_link_both_ways_in_the_browser(browser, site_url):
    context, page = open_page(browser, site_url, PHONE, js=False)
    try:
        entry = page.locator("ol.timeline > li").filter(has=page.locator("a.to-article")).first
        entry_id = entry.get_attribute("id")
        entry.locator("a.to-article").click()
        paragraph_id = page.evaluate("location.hash.slice(1)")
        assert paragraph_id.startswith("p-")
        assert page.locator(f"#{paragraph_id}").is_visible()
        page.locator(f"#{paragraph_id} a.backlink[href='#{entry_id}']").click()
        assert page.evaluate("location.hash") == f"#{entry_id}"
    finally:
        context.close()
