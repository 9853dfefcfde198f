"""Commented example annotations for an imported article.

The annotation files an import writes hold examples taken from the article
itself (a dated sentence, a country it names, its pull quote), commented
out so the explainer builds at once; removing the `# ` makes them real.
"""

from __future__ import annotations

import json
import re
from datetime import date as _date

from generator.resolve.dates import MONTHS


def yaml_text(value: str) -> str:
    """A double-quoted YAML scalar; JSON strings are valid YAML."""
    return json.dumps(value, ensure_ascii=False)


MONTH_DAY = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
                       r" (\d{1,2})\b")


def annotation_examples(body: list[str], pull_quotes: list[tuple[str, str]], when: _date) -> dict[str, str]:
    """The three annotation files, holding only commented examples taken from the article."""
    text = [b for b in body if not b.startswith(("#", ">", "<"))]
    return {
        "timeline.yaml": _commented(TIMELINE_HEAD, _timeline_example(text, when)),
        "countries.yaml": _commented(COUNTRIES_HEAD, _country_example(" ".join(text))),
        "quotes.yaml": _commented(QUOTES_HEAD, _quote_example(pull_quotes)),
    }


TIMELINE_HEAD = """\
# Dated events from the article. Remove the '# ' in front of an entry to use
# it. Dates are quoted and carry only the precision the article gives:
# "2021", "2022-03", "2022-09-21", "circa 2001", "before 2022-03",
# "2022-09-21/2022-09-28". See docs/format.md."""
COUNTRIES_HEAD = """\
# Country fact boxes: mentions of `name` in the article link to the box.
# Remove the '# ' in front of an entry to use it. See docs/format.md."""
QUOTES_HEAD = """\
# Quote cards: `text` is the quotation exactly as the article prints it.
# Remove the '# ' in front of an entry to use it. See docs/format.md."""


def _commented(head: str, example: list[str]) -> str:
    return head + "\n\n" + "\n".join("# " + line for line in example) + "\n"


def _timeline_example(blocks: list[str], when: _date) -> list[str]:
    for block in blocks:
        if m := MONTH_DAY.search(block):
            anchor = " ".join(block[m.start():].split()[:10]).rstrip(".,;:")
            day = f"{when.year}-{MONTHS[m[1].lower()]:02d}-{int(m[2]):02d}"
            return [f"- date: {yaml_text(day)}", "  title: Short headline of the event",
                    "  body: One or two sentences on what happened.", f"  anchor: {yaml_text(anchor)}"]
    return [f"- date: {yaml_text(when.isoformat())}", "  title: Short headline of the event",
            "  body: One or two sentences on what happened.",
            "  anchor: a phrase of 6 to 12 words copied from one paragraph"]


def _country_example(text: str) -> list[str]:
    import pycountry

    counts: dict[tuple[str, str], int] = {}
    for country in pycountry.countries:
        for name in (getattr(country, "common_name", None), country.name):
            if name and (n := len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", text))):
                counts[(country.alpha_2, name)] = n
    if counts:
        code, name = max(counts, key=counts.__getitem__)
        return [f"- code: {code}", f"  name: {yaml_text(name)}",
                "  summary: One or two sentences on its part in the story.",
                "  facts:", "    - label: A figure from the article",
                "      value: The figure, as the article gives it"]
    return ["- code: KG", "  name: Kyrgyzstan", "  summary: One or two sentences on its part in the story."]


def _quote_example(pull_quotes: list[tuple[str, str]]) -> list[str]:
    if pull_quotes:
        text, who = pull_quotes[0]
        return [f"- speaker: {yaml_text(who)}", f"  text: {yaml_text(text)}"]
    return ["- speaker: Full Name", "  role: Who they are", "  text: The quotation, word for word"]
