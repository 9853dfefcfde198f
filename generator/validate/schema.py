"""Declarative schemas for the YAML an author writes.

Values are checked on PyYAML's node tree (nodes.py) rather than on loaded Python data:
nodes keep their line and column, and scalars stay the strings the author
typed (never made into dates or numbers), so every message can point at the
exact value and quote it back.
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from generator.errors import Pos, Report, quote
from generator.model.common import PartialDate

from .limits import MAX_NAME_BYTES, markdown_excess
from .nodes import POSITIONS, MappingNode, ScalarNode, SequenceNode, pos_of, position
from .urls import check_base_url, check_url

# The one implicit type the schemas look at (Bool), as PyYAML's resolver tags the plain
# scalars of YAML 1.1; to them every other scalar is the text typed, "~" and "" too.
BOOL_TAG = "tag:yaml.org,2002:bool"
# What Bool reads a boolean scalar as: PyYAML's own reading (true, yes, on; false, no, off).
BOOLEANS = SafeConstructor()


class Invalid(Exception):
    """A value that does not fit its field; caught and reported by the caller."""

    def __init__(self, message: str, node: yaml.Node | None = None):
        super().__init__(message)
        self.node = node


@dataclass
class Ctx:
    """Where the values being checked come from."""

    path: str
    report: Report
    line_offset: int = 0
    prefix: str = ""  # dotted field path of the value being checked, e.g. "image."
    children: dict[str, Ctx] = field(default_factory=dict, init=False, repr=False, compare=False)

    def pos(self, node: yaml.Node) -> Pos:
        return pos_of(node, self.line_offset)

    def at(self, key: str) -> Ctx:
        """The context of a field inside this value; made once per key, as every entry of a list asks."""
        child = self.children.get(key)
        if child is None:
            child = self.children[key] = Ctx(self.path, self.report, self.line_offset, f"{self.prefix}{key}.")
        return child

    def error(self, node: yaml.Node, message: str) -> None:
        self.report.error(self.path, self.pos(node), message)


def describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"the value {quote(node.value)}"


# --- kinds of value -------------------------------------------------------

@dataclass(frozen=True)
class Scalar:
    """A single value on one key: text, a date, a URL, ..."""

    what: str
    parse: Callable[[str], Any] = str
    # What editors are told of the text (JSON Schema keywords, editors.py); made when asked,
    # as some read data files. None: any text, as the validator reads every scalar as text.
    hint: Callable[[], dict] | None = field(default=None, compare=False)

    def convert(self, node: yaml.Node, ctx: Ctx) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise Invalid(f"expected {self.what}, found {describe(node)}", node)
        try:
            return self.parse(node.value)
        except ValueError as exc:
            raise Invalid(str(exc), node) from None


def _direct_parser(kind: Any) -> Callable[[str], Any] | None:
    """What Scalar.convert does with a scalar node's text, for the loops that call it directly."""
    if type(kind) is not Scalar:
        return None
    return str.strip if kind.parse is parse_text else kind.parse  # the same result, without a Python call


@dataclass(frozen=True)
class Bool:
    what: str = "true or false"

    def convert(self, node: yaml.Node, ctx: Ctx) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.tag == BOOL_TAG:
            try:
                return BOOLEANS.construct_yaml_bool(node)
            except KeyError:  # tagged !!bool, but no boolean ("!!bool maybe")
                pass
        raise Invalid(f"expected true or false, found {describe(node)}", node)


@dataclass(frozen=True)
class ListOf:
    item: Any
    what: str = "a list"
    _parse: Callable[[str], Any] | None = field(init=False, repr=False, compare=False)  # set from item

    def __post_init__(self) -> None:
        object.__setattr__(self, "_parse", _direct_parser(self.item))  # for items that are plain Scalars

    def convert(self, node: yaml.Node, ctx: Ctx) -> list:
        if not isinstance(node, SequenceNode):
            raise Invalid(f"expected a list, found {describe(node)}", node)
        convert = self.item.convert
        parse = self._parse
        values: list = []
        append = values.append
        for child in node.value:
            try:
                if parse is not None and isinstance(child, ScalarNode):
                    try:  # Scalar.convert inlined: it runs for every item
                        append(parse(child.value))
                    except ValueError as exc:
                        raise Invalid(str(exc), child) from None
                else:
                    append(convert(child, ctx))
            except Invalid as exc:  # said of the list's field, when the list is one ("aliases: ...")
                ctx.error(exc.node or child, f"{ctx.prefix[:-1]}: {exc.args[0]}" if ctx.prefix else exc.args[0])
        return values


@dataclass(frozen=True)
class Field:
    kind: Any
    required: bool = False
    default: Any = None  # the value when left out: the loader's, and what editors and `init` show
    help: str = ""  # one line for the author, in editors and in the site.yaml `init` writes


@dataclass
class Entry:
    """A checked mapping: its values and where each one was written."""

    values: dict[str, Any]
    at: Pos
    where: dict[str, Pos] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def pos(self, key: str) -> Pos:
        return self.where.get(key, self.at)


@dataclass(frozen=True)
class Record:
    """A mapping with known keys; unknown keys are errors with a suggestion."""

    what: str
    fields: dict[str, Field]
    _steps: dict[str, tuple[Any, Callable[[str], Any] | None]] = field(init=False, repr=False, compare=False)
    _required: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Per key, the field's kind and, for a plain Scalar, its parser, which
        # convert calls directly; the required keys in the order they are reported.
        steps = {key: (spec.kind, _direct_parser(spec.kind)) for key, spec in self.fields.items()}
        object.__setattr__(self, "_steps", steps)
        object.__setattr__(self, "_required", tuple(key for key, spec in self.fields.items() if spec.required))

    def convert(self, node: yaml.Node, ctx: Ctx) -> Entry:
        if not isinstance(node, MappingNode):
            raise Invalid(f"expected {self.what} (a mapping of keys to values), found {describe(node)}", node)
        # The loop below runs for every field of every entry: positions are
        # looked up inline and scalars parsed without Scalar.convert.
        offset = ctx.line_offset + 1
        positions = POSITIONS
        steps = self._steps
        mark = node.start_mark
        values: dict[str, Any] = {}
        where: dict[str, Pos] = {}  # also the keys seen so far
        line_col = (mark.line + offset, mark.column + 1)
        at = positions.get(line_col)
        entry = Entry(values, at if at is not None else position(*line_col), where)
        bad = False
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            step = None if key is None else steps.get(key)
            if key is None or step is None:
                ctx.error(key_node, self._unknown(key))
                continue
            if key in where:
                ctx.error(key_node, f"duplicate key {quote(key)} in {self.what}")
                continue
            mark = value_node.start_mark
            line_col = (mark.line + offset, mark.column + 1)
            at = positions.get(line_col)
            where[key] = at if at is not None else position(*line_col)
            kind, parse = step
            try:
                if isinstance(value_node, ScalarNode) and parse is not None:
                    try:
                        values[key] = parse(value_node.value)
                    except ValueError as exc:
                        raise Invalid(str(exc), value_node) from None
                    continue
                values[key] = kind.convert(value_node, ctx.at(key))
            except Invalid as exc:
                ctx.error(exc.node or value_node, f"{ctx.prefix}{key}: {exc.args[0]}")
                values[key] = Invalid  # present but bad: not "missing"
                bad = True
        for key in self._required:
            if key not in values:
                ctx.error(node, f"{self.what} is missing the required field {quote(key)}")
        if bad:
            entry.values = {k: v for k, v in values.items() if v is not Invalid}
        return entry

    def _unknown(self, key: str | None) -> str:
        if key is None:
            return f"keys of {self.what} must be plain words"
        message = f"unknown field {quote(key)} in {self.what}"
        close = difflib.get_close_matches(key, list(self.fields), n=1, cutoff=0.6)
        if close:
            message += f"; did you mean {quote(close[0])}?"
        else:
            message += "; known fields: " + ", ".join(self.fields)
        return message


# --- parsers for scalar text ---------------------------------------------

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")
SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


def parse_text(value: str) -> str:
    return value.strip()


def parse_nonempty_text(value: str) -> str:
    """A text that must say something: a title, a name, a quote."""
    text = value.strip()
    if not text:
        raise ValueError("the text is empty: write it")
    return text


def parse_markdown(value: str) -> str:
    """Annotation Markdown, within the nesting and bracket limits Markdown can read."""
    excess = markdown_excess(value)
    if excess is not None:
        where = f" (line {excess.line + 1} of the text)" if "\n" in value.strip() else ""
        raise ValueError(excess.message + where)
    return value.strip()


def parse_slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(f"invalid slug {quote(value)}: use lowercase letters, digits and single hyphens")
    if len(value) > MAX_NAME_BYTES:  # it names a folder, and file names are bounded
        raise ValueError(f"slug {quote(value)} is {len(value)} characters long: use at most {MAX_NAME_BYTES}")
    return value


def parse_partial_date(value: str) -> PartialDate:
    match = DATE_RE.match(value.strip())
    if not match:
        raise ValueError(f"invalid date {quote(value)}: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    year, month, day = int(year), int(month) if month else None, int(day) if day else None
    try:
        if not (year and (month is None or 0 < month < 13) and (day is None or 0 < day < 29)):
            # Only a date that may not exist is built to be checked; a month or day of 00 is one.
            _date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError as exc:
        raise ValueError(f"impossible date {quote(value)}: {exc}") from None
    return PartialDate(year, month, day)


def parse_full_date(value: str) -> PartialDate:
    parsed = parse_partial_date(value)
    if parsed.day is None:
        raise ValueError(f"invalid date {quote(value)}: write the full date as YYYY-MM-DD")
    return parsed


def parse_image_src(value: str) -> str:
    """An image is a web URL or a file in the explainer's own folder."""
    src = check_url(value)
    if SCHEME_RE.match(src):
        if not src.lower().startswith(("http://", "https://")):
            raise ValueError(f"image {quote(value)} must be a file in the explainer folder or an http(s) URL")
        return src
    parts = src.replace("\\", "/").split("/")
    if src.startswith("/") or ".." in parts or not src:
        raise ValueError(f"image {quote(value)} must be a file in the explainer folder (no '..', no leading '/')")
    return src


def parse_country_code(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or code not in country_codes():
        raise ValueError(f"unknown country code {quote(value)}: use an ISO 3166-1 alpha-2 code such as \"KG\"")
    return code


@functools.cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, from pycountry's own data file.

    Importing pycountry takes ~20 ms (it loads importlib.metadata), a tenth of
    rebuilding one explainer in a new process; the file takes 1 ms to read.
    """
    spec = importlib.util.find_spec("pycountry")
    folders = (spec.submodule_search_locations if spec else None) or []
    try:
        path = Path(folders[0]) / "databases" / "iso3166-1.json"
        return frozenset(entry["alpha_2"] for entry in json.loads(path.read_bytes())["3166-1"])
    except (AttributeError, TypeError, IndexError, OSError, ValueError, KeyError):  # laid out otherwise
        import pycountry

        return frozenset(country.alpha_2 for country in pycountry.countries)


def json_pattern(regex: re.Pattern, strip: bool = False) -> str:
    """A regex the parser matches from the start (re.match), as a JSON Schema pattern."""
    body = regex.pattern.removesuffix(r"\Z")
    return rf"^\s*(?:{body})\s*$" if strip else f"^(?:{body})$"


def date_hint(regex: re.Pattern) -> Callable[[], dict]:
    # YAML 1.2 (what editors read) makes an unquoted 2022 a number: the validator takes it as text
    return lambda: {"type": ["string", "integer"], "pattern": json_pattern(regex, strip=True)}


FULL_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")

TEXT = Scalar("a text", parse_text)
NONEMPTY_TEXT = Scalar("a text", parse_nonempty_text, lambda: {"pattern": r"\S"})
MARKDOWN = Scalar("a text", parse_markdown)
SLUG = Scalar("a slug", parse_slug, lambda: {"type": ["string", "integer"], "pattern": json_pattern(SLUG_RE),
                                             "maxLength": MAX_NAME_BYTES})
DATE = Scalar("a date", parse_partial_date, date_hint(DATE_RE))
FULL_DATE = Scalar("a date", parse_full_date, date_hint(FULL_DATE_RE))
URL = Scalar("a URL", check_url)  # the one URL policy (urls.py), for every URL field
BASE_URL = Scalar("a URL", check_base_url)
IMAGE_SRC = Scalar("an image path", parse_image_src)
COUNTRY_CODE = Scalar("a country code", parse_country_code, lambda: {
    "type": "string", "enum": sorted(country_codes()) + sorted(code.lower() for code in country_codes())})
TEXTS = ListOf(NONEMPTY_TEXT)

SOURCE = Record("a source", {"name": Field(NONEMPTY_TEXT, required=True), "url": Field(URL)})


def check_document(node: yaml.Node | None, kind: Any, ctx: Ctx) -> Any:
    """Checks a whole file against its schema; None when it is unusable."""
    if node is None:
        return None
    try:
        return kind.convert(node, ctx)
    except Invalid as exc:
        ctx.error(exc.node or node, exc.args[0])
        return None
