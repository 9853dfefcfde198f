"""The fast way to the article's element tree gives exactly what Python-Markdown gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from generator.resolve import markup

WORDS = ["Officials", "said", "migrants", "2022", "Kyrgyzstan’s", "“quoted”", "(RFE/RL)", "é", "a", "B"]
# Pieces the fast way accepts alone, and pieces that make Markdown do something else.
NEAR = st.sampled_from(WORDS + [
    " ", " ", " ", ".", ",", ":", ";", "!", "?", "-", "–", "'", '"', "%", "/", "\n", "\n\n", "\n\n\n",
    "*", "**", "***", "_", "[", "]", "(", ")", "#", "## ", "# ", "### ", " #", "1.", "=", "+",
    "*em*", "**strong**", "*two words*", "[link](https://example.org/a_b)", "[*em link*](https://e.org/x)",
    "[a](b c)", "[a][b]", "[a]", "(b)",
])
FAR = st.sampled_from([
    "1. ", "1) ", "- ", "+ ", "* ", "> ", ": ", "---", "\t", "\xa0", "  ", "  \n", "\\", "`", "<", "&", "![",
    "{: .c}", "|", "^", "~", "[a](<b>)", "\n[b]: https://e.org\n", "*[HTML]: Hyper\n", "[^1]", "\n[^1]: note\n",
    "    code", "~~~\n", "```\n", "Term\n: def\n",
])
PIECES = st.one_of(NEAR, NEAR, NEAR, NEAR, NEAR, NEAR, FAR)


def blocks(md, root) -> list[tuple]:
    """The blocks of a simple tree, made as the build makes them, after mentions are linked."""
    link_mentions(root)
    made = [markup._block(el, False, markup.simple_html) for el in root]
    return [(b.tag, b.id, str(b.inner), b.text, b.attrs) for b in made]


def markdown_blocks(text: str) -> list[tuple]:
    md = markup.new_markdown()
    md.reset()
    root = markup._markdown_tree(md, text)
    link_mentions(root)
    made = [markup._block(el, False, lambda el: markup._finish(md, md.serializer(el))) for el in root]
    return [(b.tag, b.id, str(b.inner), b.text, b.attrs) for b in made]


def link_mentions(root) -> None:
    from generator.model.source import Country
    from generator.resolve.ids import IdMaker
    from generator.resolve.links import TreeEditor

    countries = [Country(id="country-kg", code="KG", name="Kyrgyzstan’s", summary="", aliases=["said"]),
                 Country(id="country-x", code="RU", name="B", summary="", aliases=[])]
    TreeEditor(countries, IdMaker())(root)


@settings(max_examples=examples(3000), deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_simple_tree_is_the_tree_markdown_makes(text):
    tree = markup.simple_tree(text)
    if tree is not None:
        assert blocks(markup.new_markdown(), tree) == markdown_blocks(text)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.sampled_from(WORDS + ["*em*", "**strong**", "[link](https://e.org/p?q=1)", "[*em link*](https://e.org/)",
                                         "said,", "it.", "“Quoted,”"]), min_size=1, max_size=30).map(" ".join),
       st.integers(1, 6))
def test_news_paragraphs_and_headings_take_the_fast_way(text, level):
    document = f"{'#' * level} Heading {level}\n\n{text}\n\n{text}\nsecond line.\n"
    tree = markup.simple_tree(document)
    assert tree is not None, document
    assert blocks(markup.new_markdown(), tree) == markdown_blocks(document)


def test_anything_else_goes_to_markdown():
    for text in ["- a list", "> a quote", "Text <b>raw</b>", "Line  \nbreak", "Title\n=====", "a `code` span",
                 "1. first", "Fish & chips", "[ref][1]\n\n[1]: https://e.org", "![image](a.png)", "a\tb",
                 "Para\n# heading inside", "*[HTML]: Hyper", "snake_case"]:
        assert markup.simple_tree(text) is None, text


def test_the_example_article_takes_the_fast_way_or_the_same_path():
    from conftest import REPO

    for path in (REPO / "content").glob("*/article.md"):
        body = path.read_text(encoding="utf-8").split("---\n", 2)[-1]
        tree = markup.simple_tree(body)
        if tree is not None:
            assert blocks(markup.new_markdown(), tree) == markdown_blocks(body)


def slug_reference(text: str, words: int = 6) -> str:
    """Ids as they were first defined: the whole text normalized, then cut to its first words."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "").replace("'", "")
    return "-".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split()[:words]) or "x"


@settings(max_examples=examples(1500), deadline=None)
@given(st.lists(st.sampled_from(["a", "B", "é", "e\u0301", "\u0301", "ﬁ", "㈱", "Ж", "٣", " ", "  ", "-", "’", "'", "_",
                                 ".", "\u00a0", "\n", "x" * 25, "Кыргызстан", "word "]), max_size=80).map("".join))
def test_ids_from_the_opening_words_are_the_ids_from_the_whole_text(text):
    from generator.resolve.ids import slugify

    assert slugify(text) == slug_reference(text)
    assert slugify(text, 2) == slug_reference(text, 2)


@settings(max_examples=examples(1500), deadline=None)
@given(st.text(alphabet="aBß İ \n\t.-–—‐…“”’'\"x1", max_size=60), st.integers(0, 60), st.integers(0, 60))
def test_a_quote_found_as_written_is_found_loosely(text, start, end):
    from generator.validate.editorial import loose

    quoted = text[start:end]
    assert loose(quoted).strip("\"' ") in loose(text)


@settings(max_examples=examples(400), deadline=None)
@given(st.text(alphabet="ab_1٣é. ,;", max_size=30), st.text(alphabet="ab_1٣é. ,;!?\"'", min_size=1, max_size=8))
def test_a_card_that_differs_only_at_the_close_is_found_as_the_pattern_finds_it(article, card):
    """The card's words, then anything but a word character: as `re.escape(words) + (?!\\w)` finds them."""
    import re

    from generator.validate.editorial import CLOSING, _differs_only_at_the_close

    core = card.rstrip(CLOSING)
    expected = bool(core) and (card in article if core == card else re.search(re.escape(core) + r"(?!\w)", article) is not None)
    assert _differs_only_at_the_close(card, article) == expected


def test_word_characters_are_the_patterns_word_characters():
    import re
    import sys

    from generator.validate.editorial import _word_character

    word = re.compile(r"\w")
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if bool(word.match(c)) != _word_character(c)] == []
