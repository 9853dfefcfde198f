"""Annotations where the reader needs them, honest media and a readable search, in Debian's Chromium.

On a wide screen each fact box (in brief), timeline entry and quote card sits
in the margin beside the paragraph that brings it up; on a phone a quote card
never follows the paragraph that holds its words; a video with an address
plays behind a facade that fetches nothing from elsewhere before the click;
nothing on the page looks like a control and does nothing; search results
are readable in the dark scheme.
"""

from __future__ import annotations

import itertools

import pytest

from browser import chromium, require_tool, serve
from conftest import copy_example
from generator.validate.editorial import loose

PAGE = "central-asia-recruits/index.html"
WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
RUN_AXE = """async () => (await axe.run(document)).violations.map(v => v.id + ': ' +
  v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The example, with one video given its address and one audio file of its own."""
    site = copy_example(tmp_path_factory.mktemp("placement") / "example")
    article = site.root / "content/central-asia-recruits/article.md"
    text = article.read_text(encoding="utf-8")
    first = text.index('<div class="video-frame">')
    end = text.index("</div>", first) + len("</div>")
    frame = text[first:end].replace('<div class="video-frame">', f'<a class="video-frame" href="{YOUTUBE}">')
    text = text[:first] + frame[:-len("</div>")] + "</a>" + text[end:]
    text += ('\n\n<figure class="audio">\n<a class="audio-frame" href="interview.mp3"><span class="video-title">'
             'The interview</span></a>\n<figcaption>Listen to the interview.</figcaption>\n</figure>\n')
    article.write_text(text, encoding="utf-8")
    (article.parent / "interview.mp3").write_bytes(b"ID3")
    assert site.build() == 0
    with serve(site.out) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def open_page(browser, url, viewport, **options):
    context = browser.new_context(viewport=viewport, reduced_motion="reduce", **options)
    page = context.new_page()
    return context, page


@pytest.mark.slow
def test_on_a_wide_screen_each_fact_box_is_within_a_screen_of_its_first_mention(browser, built):
    context, page = open_page(browser, built + PAGE, WIDE)
    try:
        page.goto(built + PAGE)
        found = page.evaluate("""() => [...document.querySelectorAll('.prose a.mention')].map(a => {
            const note = [...document.querySelectorAll('.prose > .note')]
                .find(n => n.querySelector('a').getAttribute('href') === a.getAttribute('href'));
            const text = document.querySelector('.prose > p').getBoundingClientRect();
            return {code: a.dataset.country, mention: a.getBoundingClientRect().top,
                    note: note && note.getBoundingClientRect().top, left: note && note.getBoundingClientRect().left,
                    column: text.right};
        })""")
        assert len(found) == 4, found
        for item in found:
            assert item["note"] is not None, item
            assert item["left"] >= item["column"], item  # in the margin, beside the text
            assert abs(item["note"] - item["mention"]) <= WIDE["height"], item
        # The notes never overlap: each starts below the one before it in the margin.
        boxes = page.evaluate("""() => [...document.querySelectorAll(
            '.prose > .note, .prose > .quote, .prose .backlink')].map(n => n.getBoundingClientRect())
            .map(r => [r.top, r.bottom, r.left])""")
        side = sorted(b for b in boxes if b[2] >= found[0]["column"])
        assert len(side) >= 15
        assert all(a[1] <= b[0] + 0.5 for a, b in itertools.pairwise(side)), side
        # The text column keeps its rhythm: no paragraph waits for a note.
        gaps = page.evaluate("""() => { const flow = [...document.querySelectorAll('.prose > *')]
            .filter(el => getComputedStyle(el).float === 'none' && el.getClientRects().length);
            return flow.slice(1).map((el, i) => el.getBoundingClientRect().top - flow[i].getBoundingClientRect().bottom); }""")
        assert len(gaps) > 40 and max(gaps) < 80, gaps
    finally:
        context.close()


@pytest.mark.slow
def test_on_a_phone_no_quote_card_follows_the_paragraph_that_holds_its_words(browser, built):
    context, page = open_page(browser, built + PAGE, PHONE)
    try:
        page.goto(built + PAGE)
        pairs = page.evaluate("""() => [...document.querySelectorAll('.prose > figure.quote')]
            .filter(card => card.getBoundingClientRect().height > 0).map(card => {
                let before = card.previousElementSibling;
                while (before && before.getBoundingClientRect().height === 0) before = before.previousElementSibling;
                return [card.querySelector('blockquote').innerText, before ? before.innerText : ''];
            })""")
        assert len(pairs) == 7
        for words, before in pairs:
            assert loose(words).strip(".,;:!? ") not in loose(before), (words, before)
        assert page.locator(".prose > .note").first.is_hidden()  # the mention jumps to the full box instead
    finally:
        context.close()


@pytest.mark.slow
def test_a_timeline_chip_stays_on_the_line_of_the_words_before_it(browser, built):
    context, page = open_page(browser, built + PAGE, PHONE)
    try:
        page.goto(built + PAGE)
        alone = page.evaluate("""() => [...document.querySelectorAll('.prose > p > a.backlink:first-of-type')].filter(a => {
            const range = document.createRange();
            range.setEnd(a, 0);
            range.setStart(a.parentNode, 0);
            const rects = range.getClientRects();
            const last = rects[rects.length - 1];
            return !last || last.bottom <= a.getBoundingClientRect().top;
        }).map(a => a.getAttribute('href'))""")
        assert page.locator(".prose > p > a.backlink").count() >= 8
        assert alone == []
    finally:
        context.close()


@pytest.mark.slow
def test_a_video_facade_fetches_nothing_from_elsewhere_before_the_click(browser, built):
    context, page = open_page(browser, built + PAGE, WIDE)
    elsewhere = []

    def route(r):
        if r.request.url.startswith(built.rsplit("/", 1)[0]):
            return r.continue_()
        elsewhere.append(r.request.url)
        return r.abort()

    try:
        page.route("**/*", route)
        page.goto(built + PAGE)
        page.mouse.wheel(0, 20000)
        page.wait_for_timeout(300)
        assert elsewhere == []
        # A file plays in the browser's own player (clicked first: a blocked frame can swallow later clicks).
        page.locator("a.audio-frame").click()
        audio = page.locator("figure.audio audio.player")
        audio.wait_for(state="attached", timeout=5000)
        assert audio.evaluate("el => el.controls") and audio.get_attribute("src").endswith("/interview.mp3")
        facade = page.locator("a.video-frame")
        assert facade.get_attribute("href") == YOUTUBE  # without the script, the video's own page
        facade.click()
        player = page.locator("figure.video iframe.player")
        assert player.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
        assert player.get_attribute("title")
        page.wait_for_timeout(300)
        assert elsewhere and all(u.startswith("https://www.youtube-nocookie.com/") for u in elsewhere), elsewhere
        assert page.evaluate("location.pathname").endswith(PAGE)  # the page stayed
        # A video without an address shows no play mark: nothing there looks like a player.
        still = page.locator("figure.video div.video-frame").first
        assert still.evaluate("el => getComputedStyle(el, '::before').content") == "none"
    finally:
        context.close()


CONTROLS = """() => [...document.querySelectorAll('a, button')].filter(el => el.getClientRects().length)
    .map(el => ({tag: el.tagName, text: el.textContent.trim().slice(0, 40), href: el.getAttribute('href'),
                 type: el.type, form: !!el.form, html: el.outerHTML.slice(0, 80)}))"""


@pytest.mark.slow
@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
def test_every_control_does_something(browser, built, viewport):
    """Every link has a target, and every button changes the page when clicked."""
    context, page = open_page(browser, built + PAGE, viewport)
    try:
        for rel in (PAGE, "countries/kg/index.html", "central-asia-recruits/q/q-kulov-the-call-up-of/index.html"):
            page.goto(built + rel)
            for control in page.evaluate(CONTROLS):
                if control["tag"] == "A":
                    assert control["href"] and control["href"] != "#", control
                else:
                    assert control["type"] == "submit" and control["form"] or control["text"], control
            for i in range(page.locator("button").count()):
                button = page.locator("button").nth(i)
                if not button.is_visible():
                    continue
                before = page.evaluate("document.body.innerHTML.length + ':' + document.querySelectorAll('[hidden]').length")
                button.click()
                page.wait_for_timeout(200)
                after = page.evaluate("document.body.innerHTML.length + ':' + document.querySelectorAll('[hidden]').length")
                assert before != after, button.evaluate("el => el.outerHTML")
    finally:
        context.close()


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_search_results_pass_axe_in_both_schemes(browser, built, scheme):
    axe = require_tool("axe-core/axe.min.js").read_text(encoding="utf-8")
    context, page = open_page(browser, built + PAGE, WIDE, color_scheme=scheme, bypass_csp=True)
    try:
        page.goto(built + PAGE)
        page.get_by_role("button", name="Search").click()
        page.locator("#search input").fill("Kyrgyz passport")
        page.locator("#search .search-excerpt mark").first.wait_for()
        page.wait_for_timeout(500)
        assert page.locator("#search input").get_attribute("aria-label")
        page.add_script_tag(content=axe)
        assert page.evaluate(RUN_AXE) == []
    finally:
        context.close()
