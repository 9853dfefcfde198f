"""The closest-passage hint: the same words as the old search over every phrase, at a bounded cost."""

from __future__ import annotations

import difflib
import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from generator.config import load_site
from generator.errors import Report
from generator.load.annotations import load_annotations
from generator.load.content import load_article
from generator.model.page import Block
from generator.render.locales import locale_for
from generator.resolve.links import resolve
from generator.resolve.markup import LazyMarkdown
from generator.validate import passages
from generator.validate.editorial import check_quotes
from generator.validate.passages import Passages, normalize

HINT = re.compile(r'closest passage: "(.*)"; copy it exactly')
VOCABULARY = [
    "officials", "border", "migrants", "workers", "said", "told", "the", "of", "and", "to", "in", "a", "week",
    "arrivals", "doubled", "queues", "ministry", "decree", "“signed”", "contracts", "citizens", "Moscow’s", "embassy",
    "—", "long", "lines", "formed",
]
SPOKEN = [
    "recruitment", "numbers", "infrastructure", "organizing", "entry", "service", "foreign", "relatives",
    "consequences", "interest", "impossible", "sign", "up", "queues", "tragic", "impact",
]


def exhaustive(missing: str, blocks: list[Block]) -> str | None:
    """The search the hint used to make: difflib over every phrase of the article, its choice
    difflib.get_close_matches(n=1, cutoff=0.5)'s."""
    size = len(missing.split())
    phrases = []
    for block in blocks:
        words = block.text.split()
        phrases += [" ".join(words[i:i + size]) for i in range(max(1, len(words) - size + 1))]
    by_norm = {normalize(p): p for p in phrases}
    close = close_match(normalize(missing), list(by_norm), cutoff=0.5)
    return by_norm[close] if close is not None else None


def close_match(word: str, possibilities: list[str], cutoff: float) -> str | None:
    """difflib.get_close_matches(word, possibilities, n=1, cutoff)'s one match, or None: of the
    possibilities whose ratio reaches the cutoff (after its real_quick_ratio and quick_ratio do),
    the one with the highest ratio, then the greatest text. The ratio is worked out only while it
    may win: a possibility's quick_ratio is never below its ratio, so once the next one's
    quick_ratio is below the best ratio found, none after it can win."""
    s = difflib.SequenceMatcher()
    s.set_seq2(word)
    bounded = []
    for x in possibilities:
        s.set_seq1(x)
        if s.real_quick_ratio() >= cutoff and s.quick_ratio() >= cutoff:
            bounded.append((s.quick_ratio(), x))
    best: tuple[float, str] | None = None
    for bound, x in sorted(bounded, reverse=True):
        if best is not None and bound < best[0]:
            break
        s.set_seq1(x)
        if s.ratio() >= cutoff and (best is None or (s.ratio(), x) > best):
            best = (s.ratio(), x)
    return best[1] if best else None


def explainer(root, slug: str):
    report = Report()
    site = load_site(root, report)
    folder = root / "content" / slug
    article = load_article(folder, root, report)
    notes = load_annotations(folder, root, report)
    return resolve(site, article, notes, locale_for(site.language), LazyMarkdown(), report), report


def passages_of(blocks: list[Block]) -> Passages:
    return Passages([(b, normalize(b.text)) for b in blocks if b.id])


def test_hint_is_the_old_search_s_choice_on_the_example(example):
    """Quotes and anchors of the example, each trimmed, re-punctuated or with a word changed."""
    found, _ = explainer(example.root, "central-asia-recruits")
    blocks = [b for b in found.blocks if b.id]
    rng = random.Random(5)
    cases = []
    for n, text in enumerate([q.text for q in found.quotes] + [e.anchor for e in found.timeline if e.anchor][:3]):
        words = text.split()
        cut = rng.randrange(1, len(words) - 2)
        cases.append([" ".join(words[:cut] + words[cut + 2:]),  # trimmed
                      " ".join(words[:cut] + ["…"] + words[cut + 1:]) + ".",  # an ellipsis, a full stop
                      " ".join(words[:cut] + ["tripled"] + words[cut + 1:])][n % 3])  # a word changed
    cases += ["How many will sign on? It is impossible to say", "arrivals tripled in a week"]
    hints = passages_of(blocks)
    for missing in cases:
        assert hints.closest(missing) == exhaustive(missing, blocks), missing


def long_article(rng: random.Random) -> tuple[str, list[str], list[str]]:
    """≈5,000 words in 100 paragraphs, six of them quoting someone; the quotes trimmed for the cards."""
    paragraphs = [" ".join(rng.choice(VOCABULARY) for _ in range(50)).capitalize() + "." for _ in range(100)]
    said, cards = [], []
    for n in range(6):
        words = [rng.choice(SPOKEN) for _ in range(14)]
        said.append(" ".join(words))
        cards.append(" ".join(words[:5] + words[8:]))  # three words trimmed from the middle
        paragraphs[7 + 15 * n] += f" “{said[-1]},” said speaker {n}."
    return "\n\n".join(paragraphs), said, cards


def write_cards(site, cards: list[str]) -> None:
    """The explainer's quote cards, and no timeline entry or fact box to check beside them."""
    site.write("content/border-rush/quotes.yaml", "".join(f"- speaker: S{n}\n  text: \"{card}\"\n"
                                                         for n, card in enumerate(cards)))
    site.write("content/border-rush/timeline.yaml", "[]\n")
    site.write("content/border-rush/countries.yaml", "[]\n")


def counted_comparisons(monkeypatch) -> list:
    """The arguments of every SequenceMatcher (cydifflib's, difflib's compiled) the passage search
    makes from now on."""
    import cydifflib

    compared = []
    made = cydifflib.SequenceMatcher

    def counting(*args, **kwargs):
        compared.append(args)
        return made(*args, **kwargs)

    monkeypatch.setattr(cydifflib, "SequenceMatcher", counting)
    return compared


def test_six_trimmed_quotes_in_a_5000_word_article_get_their_passage_at_a_bounded_cost(site, monkeypatch):
    body, said, cards = long_article(random.Random(11))
    assert 4900 < len(body.split()) < 5300
    site.write("content/border-rush/article.md", f"---\ntitle: Long\ndate: 2022-09-23\n---\n{body}\n")
    write_cards(site, cards)
    found, report = explainer(site.root, "border-rush")
    assert not report.problems
    compared = counted_comparisons(monkeypatch)
    check_quotes(found, report)
    hints = [HINT.search(p.message).group(1).removesuffix("…") for p in report.problems]  # as shortened
    assert len(hints) == 6
    # Each hint is words of the passage the quote was trimmed from, and the difflib scoring the
    # old search ran on every phrase of the article ran on a few phrases per quote.
    for hint, words in zip(hints, said):
        paragraph = next(b.text for b in found.blocks if words in b.text)
        at, quoted = paragraph.find(hint), paragraph.find(words)
        assert at >= 0 and quoted - 1 <= at < quoted + len(words), (hint, words)  # "“" opens the quote
    assert 6 <= len(compared) <= 6 * passages.SHORTLIST


def test_a_hint_is_worked_out_once_while_the_article_stays_the_same(site, monkeypatch):
    """The preview makes an explainer again at each save of any of its files: the hints of an article
    that did not change are the ones already found, and an article changed gets hints of its own words."""
    body, said, cards = long_article(random.Random(5))
    write_cards(site, cards)
    compared = counted_comparisons(monkeypatch)

    def hints(article: str) -> list[str]:
        site.write("content/border-rush/article.md", f"---\ntitle: Long\ndate: 2022-09-23\n---\n{article}\n")
        found, report = explainer(site.root, "border-rush")
        check_quotes(found, report)
        return [HINT.search(p.message).group(1) for p in report.problems]

    first = hints(body)
    assert len(first) == 6 and compared
    compared.clear()
    assert hints(body) == first and compared == []  # the same article: nothing worked out again
    changed = said[0].split()
    changed[3] = "rearranged"
    edited = body.replace(said[0], " ".join(changed))
    again = hints(edited)
    assert compared and again[0] != first[0] and again[1:] == first[1:]
    passages.forget_hints()
    assert hints(edited) == again  # as worked out afresh


def test_a_quote_found_once_its_dashes_and_quote_marks_are_loosened_gets_no_warning(site):
    site.write("content/border-rush/timeline.yaml", "[]\n")
    site.write("content/border-rush/countries.yaml", "[]\n")
    site.write("content/border-rush/quotes.yaml",
               "- speaker: A\n  text: \"officials in kazakhstan's capital said arrivals doubled -- in a week\"\n")
    site.write("content/border-rush/article.md",
               "---\ntitle: T\ndate: 2022-09-23\n---\nOfficials in Kazakhstan’s capital said arrivals "
               "doubled — in a week.\n")
    found, report = explainer(site.root, "border-rush")
    check_quotes(found, report)
    assert report.problems == []


words = st.sampled_from(VOCABULARY + ["Arrivals", "WEEK", "week.", "“Queues", "lines,”", "--"])
blocks = st.lists(st.lists(words, min_size=1, max_size=40), min_size=1, max_size=8)


def as_blocks(texts: list[list[str]]) -> list[Block]:
    return [Block("p", f"p-{n}", "", " ".join(t)) for n, t in enumerate(texts)]


def is_passage(hint: str, article: list[Block]) -> bool:
    """Whether `hint` is a run of whole words of one block, as the article writes them."""
    shown = hint.split()
    for block in article:
        words = block.text.split()
        if any(words[i:i + len(shown)] == shown for i in range(len(words) - len(shown) + 1)):
            return True
    return False


@settings(max_examples=examples(200), deadline=None)
@given(blocks, st.lists(words, min_size=1, max_size=20))
def test_the_hint_is_always_a_passage_of_the_article(texts, missing):
    article = as_blocks(texts)
    hint = passages_of(article).closest(" ".join(missing))
    assert hint is None or is_passage(hint, article)


@settings(max_examples=examples(200), deadline=None)
@given(blocks, st.data())
def test_a_phrase_the_article_holds_is_its_own_hint(texts, data):
    article = as_blocks(texts)
    words = data.draw(st.sampled_from(texts))
    start = data.draw(st.integers(0, len(words) - 1))
    phrase = " ".join(words[start:data.draw(st.integers(start + 1, len(words)))])
    hint = passages_of(article).closest(phrase.upper())
    assert hint is not None and normalize(hint) == normalize(phrase)


@settings(max_examples=examples(500), deadline=None)
@given(st.lists(words, max_size=60), st.lists(words, max_size=60))
def test_the_compiled_ratio_the_hint_ranks_by_is_difflib_s(a, b):
    """The hint's last step scores phrases with cydifflib, difflib's algorithm compiled: its ratio
    must be difflib's to the last bit, past 200 characters (where difflib's autojunk starts) too."""
    import cydifflib

    first, second = normalize(" ".join(a)), normalize(" ".join(b))
    for x, y in ((first, second), (second, first)):
        assert cydifflib.SequenceMatcher(None, x, y).ratio() == difflib.SequenceMatcher(None, x, y).ratio()
