"""The theme's environment escapes every value exactly as Jinja's own autoescape does.

render.py compiles `{{ value }}` to a faster call than Jinja's (no Markup
object per value); these tests hold it to Jinja's behaviour for every kind
of value a template can print.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, StrictUndefined, select_autoescape
from markupsafe import Markup

from conftest import examples
from generator.model.common import Site
from generator.render.environment import Renderer


class HasHtml:
    def __html__(self) -> str:
        return "<b>own</b>"


class Text(str):
    """A str subclass, which Jinja escapes like any string."""


TEMPLATES = [
    "{{ v }}", "<p title=\"{{ v }}\">{{ v }}</p>", "{{ v ~ '<i>' }}", "{{ v|e }}", "{{ v|safe }}",
    "{% autoescape false %}{{ v }}{% endautoescape %}", "{% autoescape true %}{{ v }}{% endautoescape %}",
    "{% set x = v %}{{ x }}", "{% macro m(a) %}<{{ a }}>{% endmacro %}{{ m(v) }}", "{{ [v, v]|join(', ') }}",
    "{% for c in [v] %}{{ c }}{% endfor %}", "{{ v if v else '&' }}",
]
VALUES = [
    "plain", "<script>alert('x')</script>", "Tom & \"Jerry\" 'quoted'", "", "Кыргызстан <&>", Markup("<em>kept</em>"),
    Text("<sub>"), 42, 3.5, None, True, HasHtml(), ["<a>", Markup("<b>")],
]


def environments(tmp_path: Path) -> tuple[Environment, Environment]:
    site = Site(root=tmp_path, title="t", base_url="/", language="en")
    ours = Renderer(site, theme=tmp_path).env
    jinja = Environment(autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=False),
                        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return ours, jinja


@pytest.mark.parametrize("source", TEMPLATES)
def test_every_kind_of_value_is_escaped_as_jinja_escapes_it(tmp_path, source):
    ours, jinja = environments(tmp_path)
    for value in VALUES:
        assert ours.from_string(source).render(v=value) == jinja.from_string(source).render(v=value), (source, value)


@settings(max_examples=examples(300), deadline=None)
@given(st.text())
def test_any_text_is_escaped_as_jinja_escapes_it(tmp_path_factory, text):
    ours, jinja = environments(tmp_path_factory.mktemp("env"))
    for source in TEMPLATES[:4]:
        assert ours.from_string(source).render(v=text) == jinja.from_string(source).render(v=text)
