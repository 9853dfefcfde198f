"""The fast paths of generator/fastpaths.py give exactly what the plain library path gives,
and are taken at all; and YAML's scalars are read as the schemas expect.

These fail when a release of Jinja2, MarkupSafe, Python-Markdown or PyYAML changes
what the build relies on: fix generator/fastpaths.py (or validate/schema.py, validate/nodes.py), or drop the fast path.
"""

from __future__ import annotations

import contextlib
import datetime
import filecmp

import jinja2
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from conftest import copy_example, examples
from generator import fastpaths
from generator.build.pipeline import Options, build
from generator.errors import Report
from generator.fastpaths import (
    TRIGGERS,
    FastEnvironment,
    escape_text,
    inline_patterns,
    only_inline_patterns_for,
)
from generator.render import environment as render
from generator.resolve.markup import new_markdown
from generator.validate import nodes
from generator.validate.nodes import compose
from generator.validate.schema import TEXT, Bool, Ctx, Field, Invalid, Record, check_document

# --- escaping: escape_text and the templates that write with it -------------

TRICKY_TEXT = ["", "plain words", "<>&\"'", "<script>alert('x')</script>", 'a "quoted" & <b>bold</b>',
               "&amp; already", "&#39; &#34; &lt;", "AT&T > 3 < 4", "é ü “curly” ‘quotes’ — dash", "\x00<\x01",
               "\ud800 lone surrogate &", "'" * 50 + '"' * 50, "x" * 5000 + "<", "&&<<>>''\"\""]


class Html:
    """An object with its own HTML, as Jinja's autoescape honours it."""

    def __html__(self) -> str:
        return "<i>own & html</i>"

    def __str__(self) -> str:
        return "<not used>"

    def __repr__(self) -> str:  # the test's id: the same in every process that collects it (pytest -n)
        return "Html()"


class Text(str):
    pass


class Safe(Markup):
    pass


TRICKY_VALUES = [*TRICKY_TEXT, Markup("<b>kept</b> &amp;"), Markup(""), Safe("<u>sub</u>"), Text("<sub & str>"),
                 Html(), 42, -3.5, None, True, ["<a>", "b&"], {"k": "<v>"}]


@pytest.mark.parametrize("value", TRICKY_VALUES, ids=repr)
def test_escape_text_writes_what_markupsafe_escape_writes(value):
    assert str(escape_text(value)) == str(escape(value))


@settings(max_examples=examples(2000), deadline=None)
@given(st.text())
def test_escape_text_of_any_text_is_markupsafes(text):
    assert escape_text(text) == str(escape(text))


def test_markup_is_written_as_it_is():
    value = Markup("<b>x</b>")
    assert escape_text(value) is value


TEMPLATES = {
    "base.html": "<title>{% block title %}{{ title }}{% endblock %}</title>\n{% block body %}{% endblock %}\n",
    "macros.html": (
        '{% macro card(x, cls="c<") %}<p class="{{ cls }}">{{ x }}</p>{% endmacro %}\n'
        "{% macro wrap() %}<div>{{ caller() }}</div>{% endmacro %}\n"),
    "inc.html": "<inc>{{ value }}</inc>",
    "plain.txt": "{{ value }} {{ html }}\n",
    "page.html": """{% extends "base.html" %}
{% import "macros.html" as m %}
{% block title %}{{ super() }} – {{ value }}{% endblock %}
{% block body %}
{{ value }}|{{ value|e }}|{{ value|safe }}|{{ value ~ "<" }}|{{ items|join(", ") }}|{{ data|tojson }}
{{ value|upper }}|{{ html }}|{{ obj }}|{{ num }}|{{ none }}|{{ "<lit & 'x'>" }}|{{ value if flag else html }}
{% for v in items %}{{ loop.index }}:{{ v }};{% endfor %}
{% set caught %}<{{ value }}>{% endset %}{{ caught }}|{{ caught|length }}
{% filter upper %}{{ value }}{% endfilter %}
{% autoescape false %}{{ value }}{% endautoescape %}|{% autoescape flag %}{{ value }}{{ html }}{% endautoescape %}
{{ m.card(value) }}{{ m.card(html, cls=value) }}{% call m.wrap() %}{{ value }}{% endcall %}
{% include "inc.html" %}|{{ "%s<%s"|format(value, html) }}|{{ value|urlencode }}|{{ value|title|e }}
<a href="{{ root }}{{ value }}" title="{{ value|striptags }}">{{ value|truncate(9) }}</a>
{% endblock %}
""",
}


def _environment(kind: type) -> jinja2.Environment:
    """An environment set up as render.Renderer sets up its own."""
    return kind(loader=jinja2.DictLoader(TEMPLATES), undefined=jinja2.StrictUndefined, trim_blocks=True,
                lstrip_blocks=True, autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True,
                                                                      default=False))


FAST, PLAIN = _environment(FastEnvironment), _environment(jinja2.Environment)


def _page(env: jinja2.Environment, value, flag: bool, name: str = "page.html") -> str:
    """The page, or the error it fails with (|urlencode refuses a lone surrogate, as it should)."""
    try:
        return _render(env, value, flag, name)
    except UnicodeError as exc:
        return f"{type(exc).__name__}: {exc}"


def _render(env: jinja2.Environment, value, flag: bool, name: str) -> str:
    return env.get_template(name).render(
        value=value, title=value, html=Markup("<em>safe & sound</em>"), obj=Html(), num=1.5, none=None, flag=flag,
        items=[value, "<two>", Markup("<three/>")], data={"v": value, "n": [1, "<"]}, root="../")


@pytest.mark.parametrize("flag", [True, False])
@pytest.mark.parametrize("value", TRICKY_TEXT + [Markup("<b>m</b> & co"), Text("<sub>")], ids=repr)
def test_templates_write_what_plain_jinja_writes(value, flag):
    for name in ("page.html", "plain.txt"):
        assert _page(FAST, value, flag, name) == _page(PLAIN, value, flag, name)


@settings(max_examples=examples(300), deadline=None)
@given(st.text(), st.booleans())
def test_templates_write_what_plain_jinja_writes_for_any_text(value, flag):
    assert _page(FAST, value, flag) == _page(PLAIN, value, flag)


def test_templates_escape_through_escape_text(monkeypatch):
    """The fast path is taken: each value a template writes goes through escape_text."""
    seen = []

    def spy(value):
        seen.append(value)
        return escape_text(value)

    monkeypatch.setattr(fastpaths, "escape_text", spy)
    env = _environment(FastEnvironment)  # compiled anew, after the spy is in place
    assert _page(env, "<v>", True) == _page(PLAIN, "<v>", True)
    assert "<v>" in seen, ("Jinja no longer escapes output through the name `escape` of the compiled "
                           "template: fastpaths.TemplateCode's fast path is not taken")


def test_the_theme_writes_what_plain_jinja_writes(tmp_path, monkeypatch):
    """The example site, built with the default theme, is the same file for file."""
    example = copy_example(tmp_path / "example")
    build(Options(site=example.root, out=tmp_path / "fast", cache=False))
    monkeypatch.setattr(render, "FastEnvironment", jinja2.Environment)
    build(Options(site=example.root, out=tmp_path / "plain", cache=False))
    compared = filecmp.dircmp(tmp_path / "fast", tmp_path / "plain")
    assert _differences(compared) == []
    assert (tmp_path / "fast" / "central-asia-recruits" / "index.html").is_file()


def _differences(compared: filecmp.dircmp, where: str = "") -> list[str]:
    found = [where + name for name in compared.left_only + compared.right_only + compared.funny_files]
    _, mismatch, errors = filecmp.cmpfiles(compared.left, compared.right, compared.common_files, shallow=False)
    found += [where + name for name in mismatch + errors]
    for name, sub in compared.subdirs.items():
        found += _differences(sub, f"{where}{name}/")
    return found


# --- Markdown: only the inline patterns that can match ------------------------

INLINE = [
    "Officials said", " ", " ", "\n", "\n\n", ".", ",", "`code`", "`", "\\*", "\\", "[link](https://e.org/a_b)",
    "[ref][r]", "[r]", "\n\n[r]: https://e.org/r\n", "![img](a.png)", "![", "[^1]", "\n\n[^1]: a note\n",
    "<https://e.org>", "<me@e.org>", "<b>bold</b>", "<", ">", "&copy;", "&#169;", "AT&T", "&", "*em*", "**strong**",
    "***both***", "_em_", "__strong__", "snake_case_word", "*", "_", "line  \nbreak", "  ", "\t", "a\tb",
    "{: .cls}", "*[HTML]: Hyper Text", "HTML", "| a | b |\n|---|---|\n| 1 | 2 |\n", "Term\n: def\n", "~~~\nx\n~~~\n",
    '[t](https://e.org "title & <more>")', "[a](<b c>)", "<span markdown=\"1\">*x*</span>", "-", "1.", "> q",
]
TRICKY_MARKDOWN = ["", "Plain words only.", "A `tick` only", "Back\\slash \\[not a link]", "a < b and c > d",
                   "Tom &amp; Jerry &copy; &bogus;", "Soft  \nbreak and\ttab", "*[HTML]: Hyper Text\n\nHTML here",
                   "Link [a](https://e.org) and *em* and `code` and <i>raw</i> & more  \nend"]


def _convert(md, text: str, fast: bool) -> str:
    md.reset()
    with only_inline_patterns_for(md, text) if fast else contextlib.nullcontext():
        return md.convert(text)


MD_FAST, MD_PLAIN = new_markdown(), new_markdown()


@pytest.mark.parametrize("text", TRICKY_MARKDOWN + INLINE)
def test_markdown_with_fewer_patterns_writes_what_markdown_writes(text):
    assert _convert(MD_FAST, text, True) == _convert(MD_PLAIN, text, False)


@settings(max_examples=examples(1500), deadline=None)
@given(st.lists(st.sampled_from(INLINE), max_size=14).map("".join))
def test_markdown_with_fewer_patterns_writes_what_markdown_writes_for_any_mix(text):
    assert _convert(MD_FAST, text, True) == _convert(MD_PLAIN, text, False)


def test_every_pattern_left_out_is_one_of_markdowns():
    """A pattern renamed by Python-Markdown would silently always run: named here, it fails."""
    md = new_markdown()
    missing = [name for name in TRIGGERS if name not in md.inlinePatterns]
    assert missing == [], f"Python-Markdown has no inline pattern named {missing}: update fastpaths.TRIGGERS"


def test_emphasis_needs_one_of_its_delimiters():
    md = new_markdown()
    assert set(md.delimiters.tokens) <= set(TRIGGERS["em_strong"])


def test_plain_text_leaves_out_every_pattern_it_cannot_need():
    md = new_markdown()
    kept = inline_patterns(md, "Officials said on Monday.")
    assert [name for name in TRIGGERS if name in kept] == []
    assert len(kept) == len(md.inlinePatterns) - len(TRIGGERS)
    assert [p for p in md.inlinePatterns if p in kept] == list(kept)  # in Markdown's own order


def test_text_with_every_trigger_keeps_every_pattern_in_order():
    md = new_markdown()
    text = "`\\[<&*_  \t"
    assert list(inline_patterns(md, text)) == list(md.inlinePatterns)
    assert inline_patterns(md, text) is inline_patterns(md, text + " more")  # made once per set left out


def test_the_parser_gets_all_its_patterns_back():
    md = new_markdown()
    inline = md.treeprocessors["inline"]
    with pytest.raises(RuntimeError), only_inline_patterns_for(md, "plain"):
        assert list(inline.inlinePatterns) != list(md.inlinePatterns)
        raise RuntimeError
    assert inline.inlinePatterns is md.inlinePatterns


# --- YAML: how the schemas read PyYAML's scalars -----------------------------

PLAIN_SCALARS = ["yes", "Yes", "YES", "yEs", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n",
                 "N", "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "1e3", "1.0e+3", "0x10", "0o10",
                 "010", "007", "1_000", "+12", "1:20", ".inf", "-.Inf", ".NaN", "~", "null", "Null", "NULL", "nULL",
                 "", "2020-01-01", "2020-02-30", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5",
                 "<<", "=", "word", "two words"]
WRITTEN = [*PLAIN_SCALARS, "'007'", '"007"', "'yes'", '"off"', "''", '""', "'~'", "!!str yes", "!!str 1e3",
           "!!bool yes", "!!bool no", "!!bool maybe", "!!null ''", "! yes", "!!int 12"]


def _value_node(written: str) -> yaml.Node:
    report = Report()
    root = compose(f"k: {written}\n", "t.yaml", report)
    assert report.problems == [] and isinstance(root, yaml.MappingNode)
    return root.value[0][1]


def _safe_load(written: str):
    try:
        return yaml.safe_load(f"k: {written}\n")["k"]
    except (yaml.YAMLError, ValueError, KeyError):  # "<<", "=", an impossible date, "!!bool maybe"
        return Invalid


@pytest.mark.parametrize("written", WRITTEN)
def test_a_boolean_is_what_yaml_reads(written):
    loaded, node = _safe_load(written), _value_node(written)
    if isinstance(loaded, bool):
        assert Bool().convert(node, Ctx("t.yaml", Report())) is loaded
    else:
        with pytest.raises(Invalid):
            Bool().convert(node, Ctx("t.yaml", Report()))


def test_yaml_1_1_booleans_are_booleans():
    """PyYAML reads YAML 1.1, where yes/no/on/off are booleans; YAML 1.2 would read them as text."""
    assert [_safe_load(w) for w in ("yes", "No", "ON", "off", "true", "FALSE")] == [True, False, True, False,
                                                                                   True, False]
    assert [_safe_load(w) for w in ("y", "n", "yEs", "'yes'")] == ["y", "n", "yEs", "yes"]


@pytest.mark.parametrize("written", WRITTEN)
def test_text_is_the_text_typed_whatever_yaml_makes_of_it(written):
    node = _value_node(written)
    assert TEXT.convert(node, Ctx("t.yaml", Report())) == node.value.strip()
    if written in PLAIN_SCALARS:
        assert node.value == written


def test_numbers_and_dates_stay_as_typed_in_a_record():
    entry_schema = Record("an entry", {"flag": Field(Bool()), "text": Field(TEXT), "code": Field(TEXT),
                                 "when": Field(TEXT), "hex": Field(TEXT), "empty": Field(TEXT)})
    source = "flag: off\ntext: 1.5e+3\ncode: 007\nwhen: 2020-01-01\nhex: 0x10\nempty: ~\n"
    report = Report()
    entry = check_document(compose(source, "t.yaml", report), entry_schema, Ctx("t.yaml", report))
    assert report.problems == []
    assert entry.values == {"flag": False, "text": "1.5e+3", "code": "007", "when": "2020-01-01", "hex": "0x10",
                            "empty": "~"}
    # what PyYAML would have made of them
    assert yaml.safe_load(source) == {"flag": False, "text": 1500.0, "code": 7, "when": datetime.date(2020, 1, 1),
                                      "hex": 16, "empty": None}


def test_a_quoted_yes_is_no_boolean():
    report = Report()
    check_document(compose('flag: "yes"\n', "t.yaml", report), ENTRY, Ctx("t.yaml", report))
    assert [str(p) for p in report.problems] == ['t.yaml:1:7: error: flag: expected true or false, found the value "yes"']



ENTRY = Record("an entry", {"flag": Field(Bool()), "text": Field(TEXT)})


def _checked(written: str) -> tuple[dict | None, list[str]]:
    """What the schemas make of one scalar written as a text and as a flag: values and messages."""
    report = Report()
    entry = check_document(compose(f"text: {written}\nflag: {written}\n", "t.yaml", report), ENTRY,
                           Ctx("t.yaml", report))
    return (entry.values if entry else None), [str(p) for p in report.problems]


def test_pyyamls_c_and_python_loaders_are_read_alike(monkeypatch):
    """Whether PyYAML was built with libyaml (CSafeLoader) or not, every value and message is the same."""
    assert nodes.Loader is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    made = [_checked(written) for written in WRITTEN]
    monkeypatch.setattr(nodes, "Loader", yaml.SafeLoader)
    assert [_checked(written) for written in WRITTEN] == made
