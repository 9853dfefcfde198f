"""Loading the articles under content/<slug>/article.md (site.yaml is generator/config.py's)."""

from __future__ import annotations

import os
from pathlib import Path

from generator.config import LANGUAGE_RE
from generator.errors import NOWHERE, Pos, Report, quote
from generator.model.common import Image, PartialDate, Source
from generator.model.source import Article, Correction
from generator.render import paths
from generator.validate.limits import MAX_NAME_BYTES, markdown_excess
from generator.validate.nodes import compose
from generator.validate.schema import (
    FULL_DATE,
    IMAGE_SRC,
    NONEMPTY_TEXT,
    SLUG,
    SLUG_RE,
    SOURCE,
    TEXT,
    TEXTS,
    Bool,
    Ctx,
    Entry,
    Field,
    ListOf,
    Record,
    Scalar,
    check_document,
    json_pattern,
)

from .files import contained, no_link_below, read_text, relpath

IMAGE = Record("an image", {
    "src": Field(IMAGE_SRC, required=True),
    "alt": Field(NONEMPTY_TEXT, required=True),
    "caption": Field(TEXT),
    "credit": Field(TEXT),
})

CORRECTION = Record("a correction", {"date": Field(FULL_DATE, required=True),
                                     "text": Field(NONEMPTY_TEXT, required=True)})

FRONT_MATTER = Record("the front matter", {
    "title": Field(NONEMPTY_TEXT, required=True),
    "date": Field(FULL_DATE, required=True),
    "dek": Field(TEXT),
    "byline": Field(TEXT),
    "updated": Field(FULL_DATE),
    "tags": Field(TEXTS),
    "draft": Field(Bool()),
    "slug": Field(SLUG),
    "source": Field(SOURCE),
    "image": Field(IMAGE),
    "corrections": Field(ListOf(CORRECTION)),
    "language": Field(Scalar("a language tag", lambda v: _language(v),
                             lambda: {"type": "string", "pattern": json_pattern(LANGUAGE_RE)})),
    "translation_of": Field(SLUG),
})

# Folders the build makes at the top of the output, and those that would make the output look
# like a site folder (which a build refuses to replace): no explainer may take their names.
RESERVED_SLUGS = {
    "static": "holds the theme's stylesheets and scripts",
    paths.COUNTRIES: "holds the country pages",
    "search": "holds the search index",
    "content": "would make it look like a site folder, which builds refuse to replace",
    "templates": "would make it look like a site folder",
}
# What the build writes into an explainer's folder of the output, beside its files.
GENERATED = {
    paths.PAGE: f"the explainer's page is written as {paths.PAGE}: rename this file",
    paths.ANNOTATIONS: f"the explainer's annotations are written as {paths.ANNOTATIONS}: rename this file",
    paths.SHARE: f"{paths.SHARE}/ holds the explainer's share pages, one folder per quote card and timeline entry: "
                 f"move this file out of {paths.SHARE}/",
    paths.EMBED: f"{paths.EMBED}/ holds the explainer's embeddable pages, one folder per timeline, fact box, quote "
                 f"card and timeline entry: move this file out of {paths.EMBED}/",
}
FENCE = "---"


def explainer_folders(root: Path, report: Report) -> list[Path]:
    """The folders under content/, refusing links that lead out of the site."""
    content = root / "content"
    if not content.is_dir():
        if os.path.lexists(content):  # a file, or a link to nothing or to itself: no explainers, said
            report.error("content", NOWHERE, "content is not a folder: a file, or a link that leads nowhere or "
                         "to itself; make it the folder that holds the explainers")
        return []
    folders = []
    linked = content.is_symlink()
    for entry in sorted(os.scandir(content), key=lambda e: e.name):
        child = Path(entry.path)
        if entry.name.startswith((".", "_")) or not entry.is_dir():
            continue
        shown = relpath(child, root)
        # Resolving every folder is slow in a large archive: only links can lead out.
        if not contained(child, root, shown, report, "folder", None if linked or entry.is_symlink() else True):
            continue
        if not os.path.isfile(os.path.join(entry.path, "article.md")):
            report.error(shown + "/article.md", Pos(), "the explainer folder has no article.md")
            continue
        folders.append(child)
    return folders


def folder_view(folder: Path, root: Path) -> tuple[str | None, bool]:
    """What the files of a folder share, looked at once per folder.

    First the start of their paths as messages show them (relpath's answer
    without the file name), or None when the folder is not below the root.
    Then whether the folder is below the root with no '..' and no link on the
    way, as is_inside walks it: a file there that is no link is inside.
    """
    above, below = str(root), str(folder)
    if os.sep == "/" and above != "/" and below.startswith(above + "/"):
        # Path.relative_to's answer for the usual case, read off the normalised path strings
        steps: tuple[str, ...] = tuple(below[len(above) + 1:].split("/"))
    else:
        try:
            steps = folder.relative_to(root).parts
        except ValueError:
            return None, False
    return "".join(step + "/" for step in steps), no_link_below(above, steps)


def load_article(folder: Path, root: Path, report: Report) -> Article | None:
    path = folder / "article.md"
    prefix, plain = folder_view(folder, root)
    shown = relpath(path, root) if prefix is None else prefix + "article.md"
    if not contained(path, root, shown, report, inside=(plain and not os.path.islink(path)) or None):
        return None
    text = read_text(path, shown, report)
    if text is None:
        return None
    split = split_front_matter(text, shown, report)
    if split is None:
        return None
    front, body, body_line = split
    readable = body_within_limits(body, body_line, shown, report)
    ctx = Ctx(shown, report, line_offset=1)
    known = len(report.problems)
    node = compose(front, shown, report, line_offset=1)
    if node is None and len(report.problems) == known:  # no syntax error: only blanks or comments
        report.error(shown, Pos(2, 1), "the front matter is empty: it needs at least a title and a date")
        return None
    entry = check_document(node, FRONT_MATTER, ctx)
    if entry is None or not readable:
        return None
    values = entry.values
    slug = values.get("slug") or folder.name
    if "slug" not in values and not _is_slug(slug):
        rule = f"at most {MAX_NAME_BYTES} characters" if SLUG_RE.match(slug) else "lowercase letters, digits and hyphens"
        report.error(shown, Pos(), f"invalid slug {quote(slug)} (the folder name): rename the folder or set `slug:` "
                     f"to {rule}")
    elif slug in RESERVED_SLUGS:
        fix = "choose another `slug:`" if "slug" in values else "rename the folder or set `slug:`"
        report.error(shown, entry.pos("slug") if "slug" in values else Pos(), f"{reserved_slug(slug)}; {fix}")
    if "title" not in values or "date" not in values:
        return None
    source, image = values.get("source"), values.get("image")
    return Article(
        slug=slug,
        folder=folder,
        path=shown,
        title=values["title"],
        date=values["date"],
        body=body,
        body_line=body_line,
        dek=values.get("dek", ""),
        byline=values.get("byline", ""),
        updated=values.get("updated"),
        tags=values.get("tags", []),
        draft=values.get("draft", False),
        source=None if source is None else to_source(source),
        image=None if image is None else _to_image(image),
        where=entry.where,
        corrections=_corrections(entry, shown, report) if "corrections" in values else [],
        language=values.get("language", ""),
        translation_of=values.get("translation_of", ""),
    )


def body_within_limits(body: str, body_line: int, shown: str, report: Report) -> bool:
    """Whether Markdown can read the body: nesting and brackets within the limits, checked before it tries."""
    excess = markdown_excess(body)
    if excess is not None:
        report.error(shown, Pos(body_line + excess.line, excess.col + 1), excess.message)
    return excess is None


def _language(value: str) -> str:
    if not LANGUAGE_RE.match(value):
        raise ValueError(f"invalid language tag {quote(value)}; use a code such as \"en\", \"ru\" or \"ar\"")
    return value


def split_front_matter(text: str, shown: str, report: Report) -> tuple[str, str, int] | None:
    """Splits `---` front matter from the Markdown body."""
    if not text or text.isspace():  # blank; tells without copying the text
        report.error(shown, Pos(), "the file is empty: an article needs front matter (title, date) and a body")
        return None
    # Only the lines up to the closing fence are looked at; the body is cut off whole.
    end = text.find("\n")
    if (text if end < 0 else text[:end]).rstrip() != FENCE:
        report.error(shown, Pos(), "missing front matter: the file must start with a line '---', then title and date, then '---'")
        return None
    front_start = start = end + 1  # where the front matter and the line looked at begin
    number = 1  # that line's index
    while end >= 0:
        end = text.find("\n", start)
        if (text[start:] if end < 0 else text[start:end]).rstrip() == FENCE:
            front = text[front_start:start - 1] if start > front_start else ""
            return front, "" if end < 0 else text[end + 1:], number + 2
        number, start = number + 1, end + 1
    report.error(shown, Pos(), "unterminated front matter: no closing '---' line after the opening one")
    return None


def to_source(entry: Entry | None) -> Source | None:
    if entry is None:
        return None
    return Source(entry.values.get("name", ""), entry.values.get("url", ""))


def _corrections(entry: Entry, shown: str, report: Report) -> list[Correction]:
    """Corrections in date order; one dated before the article itself is an error."""
    found: list[tuple[PartialDate, str]] = []
    for item in entry.get("corrections", []):
        if not {"date", "text"} <= item.values.keys():
            continue
        if item.values["date"].sort_key < entry.values["date"].sort_key:
            report.error(shown, item.pos("date"), f"corrections: the correction of {item.values['date'].iso} is dated "
                         f"before the article ({entry.values['date'].iso})")
        found.append((item.values["date"], item.values["text"]))
    return [Correction(date, text) for date, text in sorted(found, key=lambda dated: dated[0].sort_key)]


def _to_image(entry: Entry | None) -> Image | None:
    if entry is None or "src" not in entry.values:
        return None
    return Image(entry.values["src"], entry.get("alt", ""), entry.get("caption", ""), entry.get("credit", ""))


def reserved_slug(slug: str) -> str | None:
    """Why an explainer may not have this slug, or None when it may."""
    what = RESERVED_SLUGS.get(slug)
    return None if what is None else f"the slug {quote(slug)} can't be used: {slug}/ in the output {what}"


def generated_name(rel: Path) -> str | None:
    """Why a file in an explainer folder can't be copied into the output (the build writes
    a file of that name there), or None when it can."""
    return GENERATED.get(rel.parts[0].casefold())


def _is_slug(value: str) -> bool:
    try:
        SLUG.parse(value)
    except ValueError:
        return False
    return True


def check_unique_slugs(articles: list[Article], report: Report) -> list[Article]:
    """Keeps the first article of each slug; a later one is an error."""
    seen: dict[str, str] = {}
    unique = []
    for article in articles:
        if article.slug in seen:
            report.error(article.path, article.where.get("slug", Pos()), f"duplicate slug {quote(article.slug)}: {seen[article.slug]} uses it already")
            continue
        seen[article.slug] = article.path
        unique.append(article)
    return unique
