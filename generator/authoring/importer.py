"""Importing a plain-text wire article as a new explainer.

Wire copy arrives as plain text: headline, standfirst, photo caption, a
dateline paragraph, section heads on lines of their own, pull quotes with a
dashed attribution, and video player leftovers ("WATCH: …", "Your browser
doesn't support HTML5"). This turns that into article.md with the front
matter guessed, so an author starts from a page that already builds.
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import Path

from generator.errors import Pos, Report, quote
from generator.load.files import read_text, relpath
from generator.resolve.dates import MONTHS

from .editors import schema_line, write_schemas
from .examples import annotation_examples, yaml_text
from .scaffold import SCHEMAS, free_folder

BOILERPLATE = re.compile(r"your browser (?:doesn['’]t|does not) support html5\.?|ваш браузер не поддерживает html5\.?",
                         re.IGNORECASE)
WATCH = re.compile(r"(WATCH|VIDEO|LISTEN|СМОТРИТЕ|ВИДЕО|СЛУШАЙТЕ):\s*(.+)", re.DOTALL)
DASH = r"(?:--|—|–|―)"
DATELINE = re.compile(r"((?:[A-ZÀ-ÞА-ЯЁ]{2}[A-ZÀ-ÞА-ЯЁ.'’\-]*|[A-ZÀ-ÞА-ЯЁ]\.)(?: [A-ZÀ-ÞА-ЯЁ][A-ZÀ-ÞА-ЯЁ.'’\-]*)*"
                      r"(?:,[^—–\n]{2,60}?)?)\s*" + DASH + r"\s+")
ATTRIBUTION = re.compile(r"\s*" + DASH + r"\s*(.+)")
CREDIT = re.compile(r"\s*\(((?:[^()]*\b(?:photo|illustration|AFP|Reuters|AP|Getty|TASS|EPA|RFE/RL)\b[^()]*)"
                    r"|(?:[^()]*\bфото\b[^()]*))\)\s*$", re.IGNORECASE)
BYLINE = re.compile(r"(?:By|Автор:?)\s+(.+)")
END_PUNCT = tuple(".,;:!?…\"”»)'’")
OPEN_QUOTES, CLOSE_QUOTES = "“\"«„", "”\"»“"

_MONTH = r"([A-Za-zА-Яа-яЁё]+)\.?"
DATE_FORMS = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), lambda m: (m[1], m[2], m[3])),
    (re.compile(_MONTH + r" (\d{1,2}),? (\d{4})\b"), lambda m: (m[3], MONTHS.get(m[1].lower()), m[2])),
    (re.compile(r"\b(\d{1,2}) " + _MONTH + r",? (\d{4})\b"), lambda m: (m[3], MONTHS.get(m[2].lower()), m[1])),
]


@dataclass
class Wire:
    """What the importer made of a wire article."""

    title: str = ""
    dek: str = ""
    byline: str = ""
    date: _date | None = None
    caption: str = ""
    credit: str = ""
    body: list[str] = field(default_factory=list)  # Markdown blocks
    pull_quotes: list[tuple[str, str]] = field(default_factory=list)  # (text, attribution)
    headings: list[str] = field(default_factory=list)


def smarten(text: str) -> str:
    """Typewriter quotes and dashes as a copy desk sets them: “ ” ‘ ’ —."""
    text = re.sub(r"\s+--\s+", " — ", text)
    text = re.sub(r"(?<=\w)--(?=\w)", "—", text)
    text = re.sub(r"(?<=\w)'(?=\w)", "’", text)  # apostrophes: Moscow's, doesn't
    text = re.sub(r"(?:(?<=^)|(?<=[\s(\[{—–-]))'", "‘", text)
    text = text.replace("'", "’")
    text = re.sub(r'(?:(?<=^)|(?<=[\s(\[{—–-]))"', "“", text)
    return text.replace('"', "”")


def paragraphs(text: str) -> list[list[str]]:
    """Blank-line separated paragraphs, each a list of stripped lines."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    found, current = [], []
    for line in text.split("\n"):
        line = smarten(line.strip())
        if line:
            current.append(line)
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def parse_wire(text: str) -> Wire:
    paras = paragraphs(text)
    wire = Wire()
    if not paras:
        return wire
    wire.title = " ".join(paras[0])
    start, leftover = _front_matter(paras, wire)
    _body([*leftover, *paras[start:]], wire)
    return wire


def _front_matter(paras: list[list[str]], wire: Wire) -> tuple[int, list[list[str]]]:
    """Reads standfirst, byline, date and caption.

    Returns where the body starts, and the paragraphs before it that are none
    of these, which belong to the body.
    """
    joined = [" ".join(p) for p in paras]
    dateline = next((i for i in range(1, min(len(joined), 6)) if DATELINE.match(joined[i])), None)
    if dateline is not None:
        front, start = list(range(1, dateline)), dateline
    else:
        captioned = next((i for i in range(1, min(len(joined), 4)) if CREDIT.search(joined[i])), None)
        front = list(range(1, captioned + 1)) if captioned else []
        start = captioned + 1 if captioned else 1
        while start < len(joined) and (BYLINE.fullmatch(joined[start]) or _date_in(joined[start], whole=True)):
            front.append(start)
            start += 1
    plain = []
    for n in front:
        text = joined[n]
        if (m := BYLINE.fullmatch(text)) and len(text) < 80:
            wire.byline = m[1]
        elif _date_in(text, whole=True):
            wire.date = _date_in(text, whole=True)
        elif (m := CREDIT.search(text)) and not wire.caption:
            wire.caption, wire.credit = text[:m.start()].strip(), m[1][:1].upper() + m[1][1:]
        else:
            plain.append(n)
    if plain:
        wire.dek = joined[plain.pop(0)]
    if plain and not wire.caption:
        wire.caption = joined[plain.pop(0)]  # wire copy puts the caption right above the dateline
    if wire.date is None and dateline is not None and (m := DATELINE.match(joined[dateline])):
        wire.date = _date_in(m[1])
    return start, [paras[n] for n in plain]


def _date_in(text: str, whole: bool = False) -> _date | None:
    for pattern, parts in DATE_FORMS:
        m = pattern.fullmatch(text.strip(" .")) if whole else pattern.search(text)
        if not m:
            continue
        year, month, day = parts(m)
        try:
            return _date(int(year), int(month), int(day))
        except (TypeError, ValueError):
            continue
    return None


def _body(paras: list[list[str]], wire: Wire) -> None:
    i = 0
    plain: str | None = None  # the text of the last block when it is a plain paragraph
    while i < len(paras):
        lines, text = paras[i], " ".join(paras[i])
        i += 1
        if BOILERPLATE.fullmatch(text):
            continue
        if watch := WATCH.fullmatch(text):
            i, plain = _video(paras, i, watch, wire), None
            continue
        block, kept = _block(lines, text, wire, plain)
        if block is not None:
            wire.body.append(block)
        elif plain is not None and (attribution := ATTRIBUTION.fullmatch(text)):
            # An attribution on its own (_block's one None): the paragraph before was a pull quote.
            wire.body[-1] = _pull_quote(plain, attribution[1], wire)
        plain = kept


def _block(lines: list[str], text: str, wire: Wire, plain: str | None) -> tuple[str | None, str | None]:
    """The Markdown for one paragraph, and its text when it is a plain paragraph."""
    if not wire.body and (m := DATELINE.match(text)):
        return escape_md(f"{m[1]} — {text[m.end():]}"), None
    if len(lines) > 1 and (m := ATTRIBUTION.fullmatch(lines[-1])):
        return _pull_quote(" ".join(lines[:-1]), m[1], wire), None
    if plain is not None and ATTRIBUTION.fullmatch(text) and len(text) < 100:
        return None, None
    if _is_head(lines):
        wire.headings.append(text)
        return "## " + escape_md(text, heading=True), None
    return escape_md(text), text


def _video(paras: list[list[str]], i: int, watch: re.Match, wire: Wire) -> int:
    """A video blurb, the player's leftovers after it, and its title; returns the next paragraph."""
    title = ""
    if i < len(paras) and BOILERPLATE.fullmatch(" ".join(paras[i])):
        while i < len(paras) and BOILERPLATE.fullmatch(" ".join(paras[i])):
            i += 1
        if i < len(paras) and _is_head(paras[i], words=16):
            title = paras[i][0]
            i += 1
    wire.body.append(video_figure(watch[1].capitalize(), watch[2].strip(), title))
    return i


def _is_head(lines: list[str], words: int = 10) -> bool:
    """A section head (or video title): one short line, no closing punctuation, capitalized."""
    text = lines[0]
    return (len(lines) == 1 and len(text) <= 12 * words and len(text.split()) <= words and text[0].isupper()
            and not text.endswith(END_PUNCT) and not DATELINE.match(text))


def _pull_quote(text: str, attribution: str, wire: Wire) -> str:
    text = text.strip()
    if text[:1] in OPEN_QUOTES:
        text = text[1:]
    if text[-1:] in CLOSE_QUOTES and not any(q in text[:-1] for q in OPEN_QUOTES):
        text = text[:-1]  # a closing mark without its opening one
    # What stood inside the marks, without the space after them: a leading space would make
    # "- X" a list item in Markdown (escape_md marks only what a line begins with).
    text = text.strip()
    wire.pull_quotes.append((text, attribution))
    return f"> {escape_md(text)}\n>\n> — {escape_md(attribution)}"


def escape_md(text: str, heading: bool = False) -> str:
    """Plain text as Markdown that renders back to the same text."""
    text = text.replace("\\", "\\\\").replace("`", "\\`").replace("*", "\\*").replace("_", "\\_")
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)  # "&amp;" typed in the text stays "&amp;" on the page
    text = text.replace("<", "&lt;").replace("](", "]\\(").replace("{:", "\\{:")
    if heading:
        return re.sub(r"#+$", lambda m: "\\#" * len(m[0]), text)  # closing #s would be dropped
    if re.fullmatch(r"[-=\s]+", text):
        return "\\" + text  # a line of dashes would be a rule
    if text and text[0] in ":~":  # a definition list, a code fence: no backslash escape for these
        text = f"&#{ord(text[0])};" + text[1:]
    return re.sub(r"^(#|>|\[|[-+] |(\d+)([.)]) )", lambda m: "\\" + m[0] if not m[2] else f"{m[2]}\\{m[3]} ", text)


def video_figure(label: str, blurb: str, title: str) -> str:
    """A video the wire copy only names, kept as a captioned figure that plays nothing.

    Its frame is a <div>; an author who has the video's address makes it a link,
    <a class="video-frame" href="...">, and the page plays it (docs/format.md).
    """
    frame = f'<span class="video-title">{html.escape(title, quote=False)}</span>' if title else ""
    return "\n".join([
        '<figure class="video">',
        f'<div class="video-frame">{frame}</div>',
        f"<figcaption><strong>{html.escape(label)}:</strong> {html.escape(blurb, quote=False)}</figcaption>",
        "</figure>",
    ])


def article_md(wire: Wire, when: _date, dated: bool, image: str | None) -> str:
    lines = ["---", f"title: {yaml_text(wire.title)}"]
    if not dated:
        lines.append("# date: not found in the article; set the publication date")
    lines.append(f"date: {when.isoformat()}")
    if wire.dek:
        lines.append(f"dek: {yaml_text(wire.dek)}")
    if wire.byline:
        lines.append(f"byline: {yaml_text(wire.byline)}")
    if wire.caption or image:
        lines += _image_lines(wire, image)
    lines.append("---")
    return "\n".join(lines) + "\n" + "\n\n".join(wire.body) + "\n"


def _image_lines(wire: Wire, image: str | None) -> list[str]:
    fields = [f"  src: {yaml_text(image or 'lead.jpg')}",
              f"  alt: {yaml_text(wire.caption or 'Lead photo')}  # say what the photo shows"]
    if wire.caption:
        fields.append(f"  caption: {yaml_text(wire.caption)}")
    if wire.credit:
        fields.append(f"  credit: {yaml_text(wire.credit)}")
    if image:
        return ["image:", *fields]
    return ["# The lead photo: put it in this folder, then remove the '# ' below.", "# image:",
            *("# " + f for f in fields)]


def import_article(source: Path, slug: str, site: Path, report: Report, when: _date | None = None,
                   image: Path | None = None) -> Path | None:
    """Writes content/<slug>/ from a wire article; refuses to replace anything."""
    folder = free_folder(site, slug, report, named_by="--slug")
    if folder is None:
        return None
    shown = relpath(folder, site.resolve())
    if image is not None and not image.is_file():
        report.error(image.as_posix(), Pos(), "no such image file: give the path of the lead photo")
        return None
    if not source.is_file():
        report.error(source.as_posix(), Pos(), "no such file: give the path of a plain-text article")
        return None
    text = read_text(source, source.as_posix(), report, drop_controls=True)  # wire copy carries junk: warn, go on
    if text is None:
        return None
    wire = parse_wire(text)
    if not wire.title or not wire.body:
        report.error(source.as_posix(), Pos(), "no article found: the file needs a headline line, a blank line and the text")
        return None
    return _write(folder, shown, wire, when, image, report)


def _write(folder: Path, shown: str, wire: Wire, when: _date | None, image: Path | None, report: Report) -> Path:
    dated = when is not None or wire.date is not None
    when = when or wire.date or _date.today()
    folder.mkdir(parents=True)
    if image is not None:
        shutil.copyfile(image, folder / image.name)
    md = article_md(wire, when, dated, image.name if image else None)
    (folder / "article.md").write_text(md, encoding="utf-8")
    for name, content in annotation_examples(wire.body, wire.pull_quotes, when).items():
        (folder / name).write_text(schema_line(SCHEMAS[name], depth=2) + content, encoding="utf-8")
    write_schemas(folder.parent.parent)  # the site's editor schemas, which those first lines name
    path = f"{shown}/article.md"
    lines = md.split("\n")
    if not dated:
        report.warning(path, Pos(_line(lines, "date:"), 7), "no date found in the article; wrote today's date: set the publication date")
    if wire.caption and image is None:
        report.warning(path, Pos(_line(lines, "# image:"), 1), f"the photo caption {quote(wire.caption)} is kept in a comment: add the photo (or use --image) and remove the '# '")
    return folder


def _line(lines: list[str], start: str) -> int:
    return next((n for n, line in enumerate(lines, start=1) if line.startswith(start)), 1)
