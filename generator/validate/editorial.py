"""Editorial checks: a copy desk that reads the annotations against the article.

They run on resolved explainers only, the same data the templates see, and
report warnings: things an editor should look at, not errors that stop a
build. The quote check also runs on every build; the others run in `check`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from generator.errors import Pos, Report, quote
from generator.model.common import EventDate, PartialDate
from generator.model.page import Block, Explainer, Fact
from generator.resolve.dates import MONTHS

from .passages import Passages, hint, normalize
from .schema import parse_partial_date

DASHES = re.compile(r"\s*(?:--|[‐‑‒–—―−-])\s*")
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?(?![\w])")
NUMBER_WORDS = {w: str(n) for n, w in enumerate([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"])}
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
# "September 22", "Sept. 22, 2022", "22 September 2022", "22 сентября", "March 2022", "since March"
MENTION = re.compile(
    rf"(?<!\w)(?:(?P<m1>{MONTH_NAMES})\.? (?P<d1>\d{{1,2}})(?!\d)(?:,? (?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}}) (?P<m2>{MONTH_NAMES})(?:,? (?P<y2>\d{{4}}))?"
    rf"|(?P<m3>{MONTH_NAMES})(?: (?P<y3>\d{{4}}))?)(?!\w)", re.IGNORECASE)
# What a desk changes at the end of a pull quote: the article's `political,"` is the card's `political.`
CLOSING = ".,;:!?\"' "
SENTENCE = re.compile(r"(?<=[.!?…”\"])\s+(?=[\"“«A-ZА-ЯЁ])")


def loose(text: str) -> str:
    """Text as quotes are compared: case, whitespace, quote marks and dashes ignored."""
    return DASHES.sub(" - ", normalize(text).replace("…", "...")).strip()


def check_quotes(explainer: Explainer, report: Report) -> None:
    """A quote card's words must be the article's, unless the card names another source."""
    text = " ".join(b.text for b in explainer.blocks)
    article = ""  # loose(text), made only for a quote not found as it is written
    path = explainer.paths.get("quotes", "")
    passages = None  # the article's words, read only for a quote not found
    for q in explainer.quotes:
        if q.source is not None or q.text in text:  # verbatim is loosely verbatim too
            continue
        article = article or loose(text)
        if _differs_only_at_the_close(loose(q.text).strip("\"' "), article):
            continue
        passages = passages or Passages([(b, normalize(b.text)) for b in explainer.blocks if b.id])
        report.warning(path, q.where.get("text", q.where["_at"]),
                       f"the quote {quote(q.text)} is not found verbatim in the article{hint(q.text, passages)}; "
                       "copy it exactly, or give the card a `source` if it comes from elsewhere")


def _differs_only_at_the_close(card: str, article: str) -> bool:
    """Whether the card's words are the article's, save the punctuation that closes the card.

    The article may go on after them, but not within a word ("politic." is not "political").
    """
    core = card.rstrip(CLOSING)
    if not core:
        return False
    if core == card:
        return card in article
    at = article.find(core)
    while at >= 0:  # as re's (?!\w), without a pattern compiled for each card
        after = at + len(core)
        if after == len(article) or not _word_character(article[after]):
            return True
        at = article.find(core, at + 1)
    return False


def _word_character(c: str) -> bool:
    """What re's \\w matches in a str pattern."""
    return c.isalnum() or c == "_"


def check_explainer(explainer: Explainer, report: Report, today: date, stale_after_days: int) -> None:
    """The checks `check` adds to a build's: dates, figures and stale facts."""
    check_timeline_dates(explainer, report)
    check_fact_numbers(explainer, report)
    check_stale_facts(explainer, report, today, stale_after_days)


# --- timeline dates against the article --------------------------------------

@dataclass(frozen=True)
class Mention:
    text: str
    year: int | None
    month: int
    day: int | None


def mentions(text: str) -> list[Mention]:
    found = []
    for m in MENTION.finditer(text):
        name = m["m1"] or m["m2"] or m["m3"]
        if m["m3"] and name == "May" and not m["y3"]:
            continue  # "May" alone is more often the verb
        if m["m3"] and name[0].islower() and name.isascii():
            continue  # "march", "may": English month names are capitalized
        year = m["y1"] or m["y2"] or m["y3"]
        day = m["d1"] or m["d2"]
        found.append(Mention(m[0], int(year) if year else None, MONTHS[name.lower()], int(day) if day else None))
    return found


def _span(value: EventDate) -> tuple[tuple[int, int, int], tuple[int, int, int]] | None:
    """The days an entry's date covers; None when it is too loose to contradict anything."""
    if value.qualifier:
        return None
    return value.start.sort_key, (value.end or value.start).last_day


def _agrees(mention: Mention, span: tuple, year: int) -> bool:
    first, last = span
    y = mention.year or year
    if mention.day is None:
        lo, hi = (y, mention.month, 1), PartialDate(y, mention.month).last_day
    else:
        lo = hi = (y, mention.month, mention.day)
    return lo <= last and hi >= first


def check_timeline_dates(explainer: Explainer, report: Report) -> None:
    """Flags an entry whose date differs from the one the article gives at its anchor."""
    blocks = {b.id: b for b in explainer.blocks if b.id}
    path = explainer.paths.get("timeline", "")
    for event in explainer.timeline:
        block = blocks.get(event.anchor_id or "")
        if block is None or (span := _span(event.written)) is None:
            continue
        said = mentions(_sentence(block, event.anchor))
        if said and not any(_agrees(m, span, event.written.start.year) for m in said):
            report.warning(path, event.where.get("date", event.where["_at"]),
                           f"the entry's date {quote(_written(event.written))} differs from the article, which says "
                           f"{quote(said[0].text)} at the anchor: check which is right")


def _sentence(block: Block, anchor: str) -> str:
    """The sentence(s) of a block that hold the anchor phrase."""
    wanted = normalize(anchor)
    sentences = SENTENCE.split(block.text)
    for n in range(1, len(sentences) + 1):
        for i in range(len(sentences) - n + 1):
            joined = " ".join(sentences[i:i + n])
            if wanted in normalize(joined):
                return joined
    return block.text


def _written(value: EventDate) -> str:
    return f"{value.start.iso}/{value.end.iso}" if value.end else value.start.iso


# --- figures in fact boxes ---------------------------------------------------------

def numbers(text: str) -> list[tuple[str, str]]:
    """(as written, canonical) for each number: "1,300" and "1300" are the same figure."""
    found = []
    for m in NUMBER.finditer(text):
        written = m[0]
        canon = re.sub(r"[,\u00a0\u202f ](?=\d{3}(?!\d))", "", written).replace(",", ".")
        found.append((written, canon))
    return found


def check_fact_numbers(explainer: Explainer, report: Report) -> None:
    """Lists figures in fact boxes that the article never gives."""
    text = " ".join(b.text for b in explainer.blocks)
    words = re.findall(r"\w+", text.casefold())
    known = {canon for _, canon in numbers(text)} | {NUMBER_WORDS[w] for w in words if w in NUMBER_WORDS}
    known.add(explainer.date.iso[:4])  # the year of publication goes without saying
    path = explainer.paths.get("countries", "")
    for country in explainer.countries:
        for fact in country.facts:
            missing = list(dict.fromkeys(w for w, canon in numbers(f"{fact.label} | {fact.value}") if canon not in known))
            if missing and fact.source is None:
                report.warning(path, _fact_pos(fact, "value"),
                               f"fact {quote(fact.label)}: {', '.join(missing)} not found in the article; "
                               "check the figure, or give the fact a `source`")


def _fact_pos(fact: Fact, key: str) -> Pos:
    return fact.where.get(key, fact.where.get("_at", Pos()))


# --- stale facts -------------------------------------------------------------------

def check_stale_facts(explainer: Explainer, report: Report, today: date, days: int) -> None:
    """Facts true "as of" long ago may no longer be true."""
    path = explainer.paths.get("countries", "")
    for country in explainer.countries:
        for fact in country.facts:
            if fact.as_of is None:
                continue
            as_of = parse_partial_date(fact.as_of.iso)
            if today - date(*as_of.last_day) > timedelta(days=days):
                report.warning(path, _fact_pos(fact, "as_of"),
                               f"fact {quote(fact.label)} is as of {as_of.iso}, more than {days} days ago: "
                               "check it is still true and update `as_of` (stale_after_days in site.yaml)")
