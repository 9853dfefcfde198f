#!/usr/bin/env python3
"""A deterministic corpus of explainers for the build benchmark; not a test.

Each explainer is modeled on the example (`content/central-asia-recruits/`):
about 1,500 words in about 35 paragraphs with a few subheadings, links and
emphasis, 10 timeline entries, 4 country fact boxes and 6 quote cards. Every
anchor is a phrase found in exactly one paragraph, every fact-box name is
mentioned in the text and every quote is printed verbatim in it, so the
corpus builds without errors or warnings.

Explainer i is the same whatever N is (its own seeded random generator), so
a site of 100 explainers is the first 100 of a site of 5,000.

    python bench/corpus.py DEST --count 1000      # writes DEST/site.yaml and DEST/content/
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from pathlib import Path

PARAGRAPHS = 35
WORDS = 1500
TIMELINE = 10
COUNTRIES = 4
QUOTES = 6

VOCABULARY = """
the of and to in a is that for on with as was by at from it an be this which or are have has
had not but were their they its more been also after one two new other will would than about
over into who some first last year years week month government officials ministry border
migrants workers citizens region country countries capital city cities service military army
law decree amendment parliament president minister spokesman embassy statement report reports
figures estimates data number numbers people families relatives money wages jobs labor market
economy prices transport flights trains queues station office center centres police court
judge prosecutor prison sentence rights defender lawyer journalist newspaper television radio
online channel social media groups posts messages warning warnings offer offers fast track
passport citizenship residence permit document documents contract contracts year-long training
front line war conflict peace talks agreement treaty deal plan plans program policy reform
crisis pressure demand supply shortage surge drop rise fall increase decrease support protest
protests crowds streets squares villages towns farms factories mines schools hospitals roads
bridges winter summer spring autumn morning evening night quickly slowly quietly openly
officially reportedly widely rarely often already still again later earlier recently soon
said told wrote announced warned asked refused agreed denied confirmed estimated expected
travelled returned crossed waited worked paid sent received signed passed rejected approved
""".split()

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


def article_body(d: Draft, countries, quotes: list[tuple[str, str]]) -> str:
    """Paragraphs with mentions and quotes placed, and a few subheadings."""
    rng = d.rng
    per = WORDS // PARAGRAPHS
    d.paragraphs = [paragraph(rng, rng.randint(per - 12, per + 12)) for _ in range(PARAGRAPHS)]
    for n, (_, name, alias) in enumerate(countries):
        d.paragraphs[2 + 3 * n] += f" Officials in {name} said so."
        d.paragraphs[20 + 2 * n] += f" The {alias} did not reply."
    for text, speaker in quotes:
        i = free_paragraph(d)
        d.paragraphs[i] += f" “{text},” said {speaker}."
    d.used.clear()
    return d.paragraphs


def make_explainer(folder: Path, index: int, seed: int = 0) -> None:
    """Writes one explainer's article.md and annotation files into `folder`."""
    rng = random.Random(f"{seed}-{index}")
    d = Draft(rng)
    countries = rng.sample(COUNTRY_POOL, COUNTRIES)
    people = [(f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}", rng.choice(ROLES)) for _ in range(QUOTES)]
    quote_texts = [" ".join(words(rng, rng.randint(10, 18))).capitalize() for _ in range(QUOTES)]
    paragraphs = article_body(d, countries, [(t, p[0]) for t, p in zip(quote_texts, people)])
    quote_at = [next(i for i, p in enumerate(paragraphs) if f"“{t}," in p) for t in quote_texts]
    d.used = set(quote_at)
    events = [free_paragraph(d) for _ in range(TIMELINE)]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.md").write_text(front_matter(rng, index) + body_text(rng, paragraphs), encoding="utf-8")
    (folder / "lead.svg").write_text(SVG.format(c=f"{rng.randrange(16**6):06x}"), encoding="utf-8")
    (folder / "timeline.yaml").write_text(timeline_yaml(d, events, index), encoding="utf-8")
    (folder / "countries.yaml").write_text(countries_yaml(rng, countries), encoding="utf-8")
    (folder / "quotes.yaml").write_text(quotes_yaml(d, people, quote_texts, quote_at), encoding="utf-8")


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
        out.append(f'- date: "{date}"\n  title: "{" ".join(words(d.rng, 5)).capitalize()}"\n'
                   f'  body: "{" ".join(words(d.rng, 16)).capitalize()}."\n'
                   f'  anchor: "{anchor_phrase(d, i)}"\n')
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


def quotes_yaml(d: Draft, people, texts: list[str], at: list[int]) -> str:
    out = []
    for (speaker, role), text, i in zip(people, texts, at):
        out.append(f'- speaker: "{speaker}"\n  role: "{role}"\n  text: "{text}"\n'
                   f'  anchor: "{anchor_phrase(d, i)}"\n')
    return "\n".join(out)


def make_site(dest: Path, count: int, seed: int = 0) -> Path:
    """Writes a whole site of `count` explainers into `dest` (which must not hold one)."""
    dest.mkdir(parents=True, exist_ok=True)
    # Share images and the search index are measured apart (docs/benchmarks.md): they are
    # publishing extras the peers do not make, and their cost would hide the pipeline's.
    (dest / "site.yaml").write_text('title: "Benchmark explainers"\nlanguage: en\nbase_url: "/"\n'
                                    'description: "A generated corpus."\nshare_pages: false\nsearch: false\n',
                                    encoding="utf-8")
    for i in range(count):
        make_explainer(dest / "content" / f"explainer-{i:05d}", i, seed)
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
    args = parser.parse_args()
    make_site(args.dest, args.count, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
