#!/usr/bin/env python3
"""A deterministic corpus of explainers for the build benchmark; not a test.

Each explainer is modeled on the example (`content/central-asia-recruits/`):
about 1,500 words in about 35 paragraphs with a few subheadings, links and
emphasis, 10 timeline entries (7 anchored to a paragraph, 3 without an
anchor), 4 country fact boxes and 6 quote cards. The cards are the usual mix
(QUOTE_MIX): 3 quoted verbatim, one of them with a `source`; 2 trimmed, words
left out for an ellipsis; 1 re-punctuated. The article prints every quote in
full, so the trimmed and re-punctuated cards are reported as warnings with
the closest passage, as on a real desk. Every anchor is a phrase found in
exactly one paragraph and every fact-box name is mentioned in the text, so
the corpus builds without errors.

The site.yaml is the one the generator ships (share pages and the search
index on); the options that switch a feature off are labelled as such.

Explainer i is the same whatever N is (its own seeded random generator), so
a site of 100 explainers is the first 100 of a site of 5,000; the quote mix
changes only quotes.yaml, never the article.

    python bench/corpus.py DEST --count 1000      # writes DEST/site.yaml and DEST/content/
    python bench/corpus.py DEST --count 1000 --quotes trimmed --no-share-pages --no-search
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from pathlib import Path

PARAGRAPHS = 35
WORDS = 1500
TIMELINE = 10
UNANCHORED = {2, 5, 8}  # timeline entries without an anchor
COUNTRIES = 4
QUOTES = 6
QUOTE_MIX = {  # what each of the 6 cards is, by corpus
    "mixed": ["verbatim", "trimmed", "sourced", "repunctuated", "verbatim", "trimmed"],
    "verbatim": ["verbatim"] * QUOTES,
    "trimmed": ["trimmed", "repunctuated"] * (QUOTES // 2),
}
SHIPPED_SITE_YAML = Path(__file__).resolve().parent.parent / "site.yaml"  # as the generator ships it

VOCABULARY = [
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "as", "was", "by", "at", "from", "it",
    "an", "be", "this", "which", "or", "are", "have", "has", "had", "not", "but", "were", "their", "they", "its",
    "more", "been", "also", "after", "one", "two", "new", "other", "will", "would", "than", "about", "over", "into",
    "who", "some", "first", "last", "year", "years", "week", "month", "government", "officials", "ministry", "border",
    "migrants", "workers", "citizens", "region", "country", "countries", "capital", "city", "cities", "service",
    "military", "army", "law", "decree", "amendment", "parliament", "president", "minister", "spokesman", "embassy",
    "statement", "report", "reports", "figures", "estimates", "data", "number", "numbers", "people", "families",
    "relatives", "money", "wages", "jobs", "labor", "market", "economy", "prices", "transport", "flights", "trains",
    "queues", "station", "office", "center", "centres", "police", "court", "judge", "prosecutor", "prison", "sentence",
    "rights", "defender", "lawyer", "journalist", "newspaper", "television", "radio", "online", "channel", "social",
    "media", "groups", "posts", "messages", "warning", "warnings", "offer", "offers", "fast", "track", "passport",
    "citizenship", "residence", "permit", "document", "documents", "contract", "contracts", "year-long", "training",
    "front", "line", "war", "conflict", "peace", "talks", "agreement", "treaty", "deal", "plan", "plans", "program",
    "policy", "reform", "crisis", "pressure", "demand", "supply", "shortage", "surge", "drop", "rise", "fall",
    "increase", "decrease", "support", "protest", "protests", "crowds", "streets", "squares", "villages", "towns",
    "farms", "factories", "mines", "schools", "hospitals", "roads", "bridges", "winter", "summer", "spring", "autumn",
    "morning", "evening", "night", "quickly", "slowly", "quietly", "openly", "officially", "reportedly", "widely",
    "rarely", "often", "already", "still", "again", "later", "earlier", "recently", "soon", "said", "told", "wrote",
    "announced", "warned", "asked", "refused", "agreed", "denied", "confirmed", "estimated", "expected", "travelled",
    "returned", "crossed", "waited", "worked", "paid", "sent", "received", "signed", "passed", "rejected", "approved",
]

COUNTRY_POOL = [
    ("KZ", "Kazakhstan", "Republic of Kazakhstan"), ("KG", "Kyrgyzstan", "Kyrgyz Republic"),
    ("UZ", "Uzbekistan", "Republic of Uzbekistan"), ("TJ", "Tajikistan", "Republic of Tajikistan"),
    ("TM", "Turkmenistan", "Turkmen Republic"), ("RU", "Russia", "Russian Federation"),
    ("UA", "Ukraine", "Ukrainian Republic"), ("GE", "Georgia", "Sakartvelo"),
    ("AM", "Armenia", "Republic of Armenia"), ("AZ", "Azerbaijan", "Republic of Azerbaijan"),
    ("MN", "Mongolia", "Mongol Uls"), ("BY", "Belarus", "Republic of Belarus"),
]

FIRST_NAMES = ["Aigul", "Bakyt", "Dilnoza", "Erlan", "Farrukh", "Gulnara", "Ilkhom", "Jamshid", "Kamila",
               "Marat", "Nodira", "Oksana", "Pavel", "Rustam", "Saule", "Timur", "Umida", "Zarina"]
SURNAMES = ["Abdullaev", "Beisenova", "Chorieva", "Dzhaparov", "Ermekov", "Fayzullaev", "Gafurova",
            "Ismoilov", "Karimova", "Mamytov", "Nazarova", "Omurbekov", "Rakhimov", "Saidova", "Tokaev"]
ROLES = ["Migration researcher", "Rights defender", "Diaspora leader", "Former minister", "Economist",
         "Lawyer", "Journalist", "Embassy spokeswoman"]
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 9"><rect width="16" height="9" fill="#{c}"/>'
       '</svg>\n')


@dataclass
class Draft:
    """One explainer being made: its paragraphs, then what annotates them."""

    rng: random.Random
    paragraphs: list[str] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # paragraphs already holding an anchor or quote


def words(rng: random.Random, n: int) -> list[str]:
    return [rng.choice(VOCABULARY) for _ in range(n)]


def sentence(rng: random.Random, n: int) -> str:
    w = words(rng, n)
    if rng.random() < 0.15:
        w[rng.randrange(n)] = f"*{rng.choice(VOCABULARY)}*"
    if rng.random() < 0.08:
        i = rng.randrange(n)
        w[i] = f"[{w[i]}](https://example.org/{rng.randrange(10**6)})"
    return " ".join(w).capitalize() + "."


def paragraph(rng: random.Random, n_words: int) -> str:
    out, left = [], n_words
    while left > 0:
        n = min(left, rng.randint(9, 22))
        out.append(sentence(rng, max(n, 4)))
        left -= n
    return " ".join(out)


def free_paragraph(d: Draft) -> int:
    choices = [i for i in range(len(d.paragraphs)) if i not in d.used]
    i = d.rng.choice(choices)
    d.used.add(i)
    return i


def anchor_phrase(d: Draft, i: int) -> str:
    """A run of words from paragraph i that no other paragraph has."""
    plain = d.paragraphs[i].replace("*", "").split()
    for _ in range(50):
        start = d.rng.randrange(max(1, len(plain) - 7))
        run = plain[start:start + 7]
        phrase = " ".join(run)
        if any("[" in w or "“" in w for w in run):  # keep clear of links and quotations
            continue
        if sum(phrase.lower() in _plain(p) for p in d.paragraphs) == 1:
            return phrase.rstrip(".")
    raise RuntimeError("no unique phrase found")  # never with this vocabulary and these lengths


def _plain(p: str) -> str:
    return p.replace("*", "").lower()


def article_body(d: Draft, countries, quotes: list[tuple[str, str]], words_in_all: int = WORDS) -> str:
    """Paragraphs with mentions and quotes placed, and a few subheadings."""
    rng = d.rng
    per = WORDS // PARAGRAPHS
    count = max(PARAGRAPHS, round(words_in_all / per))
    d.paragraphs = [paragraph(rng, rng.randint(per - 12, per + 12)) for _ in range(count)]
    for n, (_, name, alias) in enumerate(countries):
        d.paragraphs[2 + 3 * n] += f" Officials in {name} said so."
        d.paragraphs[20 + 2 * n] += f" The {alias} did not reply."
    for text, speaker in quotes:
        i = free_paragraph(d)
        d.paragraphs[i] += f" “{text},” said {speaker}."
    d.used.clear()
    return d.paragraphs


def card_text(said: str, kind: str) -> str:
    """A quote card's text for words the article prints as `said`."""
    words = said.split()
    if kind == "trimmed":  # three words left out, as a desk trims a pull quote
        return " ".join(words[:4] + ["…"] + words[7:])
    if kind == "repunctuated":  # a comma and a full stop the article does not have
        return " ".join(words[:3]) + ", " + " ".join(words[3:]) + "."
    return said


def make_explainer(folder: Path, index: int, seed: int = 0, quotes: str = "mixed", words_in_all: int = WORDS) -> None:
    """Writes one explainer's article.md and annotation files into `folder`."""
    rng = random.Random(f"{seed}-{index}")
    d = Draft(rng)
    countries = rng.sample(COUNTRY_POOL, COUNTRIES)
    people = [(f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}", rng.choice(ROLES)) for _ in range(QUOTES)]
    quote_texts = [" ".join(words(rng, rng.randint(10, 18))).capitalize() for _ in range(QUOTES)]
    paragraphs = article_body(d, countries, [(t, p[0]) for t, p in zip(quote_texts, people)], words_in_all)
    quote_at = [next(i for i, p in enumerate(paragraphs) if f"“{t}," in p) for t in quote_texts]
    d.used = set(quote_at)
    events = [free_paragraph(d) for _ in range(TIMELINE)]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.md").write_text(front_matter(rng, index) + body_text(rng, paragraphs), encoding="utf-8")
    (folder / "lead.svg").write_text(SVG.format(c=f"{rng.randrange(16**6):06x}"), encoding="utf-8")
    (folder / "timeline.yaml").write_text(timeline_yaml(d, events, index), encoding="utf-8")
    (folder / "countries.yaml").write_text(countries_yaml(rng, countries), encoding="utf-8")
    (folder / "quotes.yaml").write_text(quotes_yaml(d, people, quote_texts, quote_at, QUOTE_MIX[quotes]),
                                        encoding="utf-8")


def front_matter(rng: random.Random, index: int) -> str:
    title = " ".join(words(rng, 7)).capitalize()
    return (f'---\ntitle: "Explainer {index}: {title}"\n'
            f"date: {2020 + index % 5}-{1 + index % 12:02d}-{1 + index % 28:02d}\n"
            f'dek: "{" ".join(words(rng, 24)).capitalize()}."\n'
            f'byline: "Newsroom staff"\ntags: [migration, {rng.choice(VOCABULARY)}]\n'
            f'source: {{name: "Newsroom", url: "https://example.org/"}}\n'
            f'image:\n  src: lead.svg\n  alt: "A coloured rectangle"\n  caption: "Illustration."\n---\n')


def body_text(rng: random.Random, paragraphs: list[str]) -> str:
    out = []
    for i, p in enumerate(paragraphs):
        if i in (10, 24):
            out.append(f"## {' '.join(words(rng, 4)).capitalize()}")
        out.append(p)
    return "\n\n".join(out) + "\n"


def timeline_yaml(d: Draft, events: list[int], index: int) -> str:
    out = []
    for n, i in enumerate(events):
        date = f"{2015 + n}-{1 + (index + n) % 12:02d}-{1 + (index * 7 + n) % 28:02d}"
        anchor = anchor_phrase(d, i)  # drawn for every entry, so the others stay the same
        out.append(f'- date: "{date}"\n  title: "{" ".join(words(d.rng, 5)).capitalize()}"\n'
                   f'  body: "{" ".join(words(d.rng, 16)).capitalize()}."\n'
                   + ("" if n in UNANCHORED else f'  anchor: "{anchor}"\n'))
    return "\n".join(out)


def countries_yaml(rng: random.Random, countries) -> str:
    out = []
    for code, name, alias in countries:
        facts = "".join(f'    - label: "{" ".join(words(rng, 4)).capitalize()}"\n'
                        f'      value: "{rng.randrange(1000, 10**6):,}"\n' for _ in range(4))
        out.append(f'- code: {code}\n  name: "{name}"\n  aliases: ["{alias}"]\n'
                   f'  summary: "{" ".join(words(rng, 30)).capitalize()}."\n  facts:\n{facts}'
                   f'  source: {{name: "Newsroom", url: "https://example.org/"}}\n')
    return "\n".join(out)


def quotes_yaml(d: Draft, people, texts: list[str], at: list[int], kinds: list[str]) -> str:
    out = []
    for (speaker, role), text, i, kind in zip(people, texts, at, kinds):
        source = '  source: {name: "Interview", url: "https://example.org/interview"}\n' if kind == "sourced" else ""
        out.append(f'- speaker: "{speaker}"\n  role: "{role}"\n  text: "{card_text(text, kind)}"\n'
                   f'  anchor: "{anchor_phrase(d, i)}"\n{source}')
    return "\n".join(out)


def site_yaml(share_pages: bool = True, search: bool = True) -> str:
    """The site.yaml the generator ships, with a feature switched off only when asked."""
    text = SHIPPED_SITE_YAML.read_text(encoding="utf-8")
    off = [f"{name}: false\n" for name, on in (("share_pages", share_pages), ("search", search)) if not on]
    return text.rstrip("\n") + "\n" + "".join(off)


def make_site(dest: Path, count: int, seed: int = 0, quotes: str = "mixed", share_pages: bool = True,
              search: bool = True) -> Path:
    """Writes a whole site of `count` explainers into `dest` (which must not hold one)."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "site.yaml").write_text(site_yaml(share_pages, search), encoding="utf-8")
    for i in range(count):
        make_explainer(dest / "content" / f"explainer-{i:05d}", i, seed, quotes)
    return dest


def plain_articles(site: Path) -> list[tuple[str, str, str, str]]:
    """(slug, title, date, Markdown body) of each explainer: the same text without annotations."""
    out = []
    for folder in sorted((site / "content").iterdir()):
        text = (folder / "article.md").read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = dict(line.split(": ", 1) for line in front.splitlines() if ": " in line and not line[0].isspace())
        out.append((folder.name, meta["title"].strip('"'), meta["date"], body))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quotes", choices=sorted(QUOTE_MIX), default="mixed",
                        help="the quote cards: the usual mix (default), all verbatim, or all trimmed or re-punctuated")
    parser.add_argument("--no-share-pages", action="store_true", help="feature off: share_pages: false in site.yaml")
    parser.add_argument("--no-search", action="store_true", help="feature off: search: false in site.yaml")
    args = parser.parse_args()
    make_site(args.dest, args.count, args.seed, args.quotes, not args.no_share_pages, not args.no_search)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
