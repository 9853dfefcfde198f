"""`new SLUG`: an explainer skeleton that builds at once.

Every file shows its format by example, and the examples fit together: the
timeline entry and the quote cards anchor to paragraphs that exist, and the
country named in the fact box is mentioned, so the first preview already
shows every kind of annotation in place. Each file names its JSON Schema on
its first line (editors.schema_line); the schemas are written beside.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.errors import Pos, Report
from generator.load.content import reserved_slug
from generator.load.files import relpath
from generator.validate.schema import parse_slug

from .editors import schema_line, write_schemas

ARTICLE = """\
---
{schema}title: "Headline of the explainer"
date: {today}
dek: "One sentence that tells the reader what this explainer answers."
byline: "Newsroom"
tags: [Example]
{draft}---
CITY — The first paragraph tells the news in one or two sentences. Iceland is
the country this example is about.

On March 3, the council voted to keep the harbor open through the winter,
after a petition signed by 4,200 residents.

## A section head

“Write the key quotation here, word for word, as the article prints it,”
said Ann Example, a spokeswoman for the council.

“We will look at the decision again in the spring,” the council said in a
statement.

A last paragraph with the background the reader needs.
"""
DRAFT = "draft: true  # the preview (serve) shows drafts; remove this line to publish\n"

TIMELINE = """\
{schema}# Dated entries; the timeline is sorted by date. See docs/format.md#timelineyaml.
- date: "{year}-03-03"
  title: Council keeps the harbor open
  body: The vote followed a petition signed by 4,200 residents.
  anchor: the council voted to keep the harbor open

# Uncertain dates say so: "circa 2001", "before {year}-03", "{year}-02-20/{year}-02-28".
- date: "before {year}-03"
  title: Residents start a petition
"""

COUNTRIES = """\
{schema}# One fact box per country; mentions of `name` link to it. See docs/format.md#countriesyaml.
- code: IS
  name: Iceland
  summary: The country this example explainer is about.
  facts:
    - label: Residents who signed the petition
      value: "4,200"
      as_of: {today}
"""

QUOTES = """\
{schema}# Quote cards: `text` exactly as the article prints it. See docs/format.md#quotesyaml.
- speaker: Ann Example
  role: Council spokeswoman
  text: Write the key quotation here, word for word, as the article prints it,
  anchor: said Ann Example, a spokeswoman for the council

# `source` names where a quote comes from, when not from the article's own reporting.
- speaker: The council
  text: We will look at the decision again in the spring,
  anchor: the council said in a statement
  source:
    name: Council statement
    url: https://example.org/council/statement
"""
SCHEMAS = {"article.md": "front-matter.schema.json", "timeline.yaml": "timeline.schema.json",
           "countries.yaml": "countries.schema.json", "quotes.yaml": "quotes.schema.json"}
FILES = {"article.md": ARTICLE, "timeline.yaml": TIMELINE, "countries.yaml": COUNTRIES, "quotes.yaml": QUOTES}


def free_folder(site: Path, slug: str, report: Report, named_by: str = "SLUG") -> Path | None:
    """content/<slug>/ of a site, if the slug is valid and the folder is not there yet.

    Both `new` and `import` write a new explainer; neither may replace one.
    `named_by` is how the command line names the slug, for the messages.
    """
    root = site.resolve()
    folder = root / "content" / slug
    if not (root / "site.yaml").is_file():
        report.error("site.yaml", Pos(), "no site.yaml in the site folder: run this in a site folder or give --site")
        return None
    try:
        parse_slug(slug)
    except ValueError as exc:
        report.error(named_by, Pos(), str(exc))
        return None
    if reserved_slug(slug):
        report.error(named_by, Pos(), f"{reserved_slug(slug)}; choose another slug")
        return None
    if folder.exists():
        choose = "another --slug" if named_by.startswith("--") else "another slug"
        report.error(relpath(folder, root), Pos(), f"content/{slug}/ already exists; choose {choose} or remove the folder first")
        return None
    return folder


def new_explainer(slug: str, site: Path, report: Report, today: date | None = None) -> Path | None:
    """Writes content/<slug>/ with an article and one example of each annotation, as a draft,
    and the site's editor schemas (.schemas/), refreshed for this generator."""
    folder = free_folder(site, slug, report)
    if folder is None:
        return None
    write_explainer(folder, today or date.today(), draft=True)
    write_schemas(site.resolve())
    return folder


def write_explainer(folder: Path, today: date, draft: bool) -> None:
    """The skeleton's files in content/<slug>/ (made here), each naming its schema."""
    folder.mkdir(parents=True)
    for name, text in FILES.items():
        schema = schema_line(SCHEMAS[name], depth=2)
        values = {"today": today.isoformat(), "year": today.year, "schema": schema,
                  "draft": DRAFT if draft else ""}
        (folder / name).write_text(text.format(**values), encoding="utf-8")
