"""Fast paths through the libraries the build leans on hardest, by their public API only.

Each gives exactly what the plain library call gives, in less time:

* Jinja2: `{{ x }}` under autoescape writes escape_text(x), the text of
  markupsafe's escape(x) without its Markup wrapper;
* Python-Markdown: the inline patterns a text cannot match are not tried.

tests/test_fastpaths.py compares each with the plain library path on tricky
input and checks that it is taken at all: when a release of Jinja2,
MarkupSafe or Python-Markdown changes what a fast path relies on, those tests
fail; fix the fast path there, or drop it.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING

from jinja2 import Environment
from jinja2.compiler import CodeGenerator
from markupsafe import Markup, escape

if TYPE_CHECKING:
    import markdown
    from markdown.util import Registry


# --- Jinja2 and MarkupSafe: escaping what templates write ------------------

def escape_text(value) -> str:
    """What `{{ value }}` writes under autoescape: the text of markupsafe's escape(value).

    The pieces of a page are only joined together, so a plain string needs
    no Markup wrapper of its own, and Markup is written as it is. A page has
    hundreds of small values, and wrapping each one cost more than escaping it.
    The replacements are MarkupSafe's own, in its order.
    """
    kind = type(value)
    if kind is str:
        if "&" in value or "<" in value or ">" in value or "'" in value or '"' in value:
            return (value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
                    .replace("'", "&#39;").replace('"', "&#34;"))
        return value
    if kind is Markup:
        return value
    return escape(value)


class TemplateCode(CodeGenerator):
    """Jinja's code generator, for templates that write `{{ x }}` with escape_text.

    A compiled template escapes each value it writes by calling the name
    `escape` of its own module, which Jinja imports from MarkupSafe at the top.
    The line added at the module's end binds that name to escape_text before
    any of the module's functions runs. Values are escaped as before; the
    |e filter, Markup() and `{% autoescape %}` blocks stay Jinja's own.
    """

    def visit_Template(self, node, frame=None) -> None:
        super().visit_Template(node, frame)
        self.writeline(f"from {__name__} import escape_text as escape")


class FastEnvironment(Environment):
    code_generator_class = TemplateCode
    newstyle_gettext: bool  # added by the jinja2.ext.i18n extension (Environment.extend)


# --- Python-Markdown: trying only the inline patterns that can match ------

# Inline patterns of Python-Markdown (and its "extra" extensions) and the characters without
# which they cannot match (em_strong: its delimiters); patterns not named here always run.
TRIGGERS = {"backtick": "`", "escape": "\\", "reference": "[", "link": "[", "image_link": "[",
            "image_reference": "[", "short_reference": "[", "short_image_ref": "[", "footnote": "[",
            "autolink": "<", "automail": "<", "html": "<", "entity": "&", "em_strong": "*_",
            "linebreak": ("  ", "\t")}

# Per parser, the registries made so far, by the names left out of them.
_KEPT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def inline_patterns(md: markdown.Markdown, text: str) -> Registry:
    """The inline patterns of `md` that can match somewhere in `text`, in their order.

    Each pattern is tried on every run of text, and most need a character
    that a plain news paragraph never has (a backtick, `<`, `&`, `[`): leaving
    those out halves the time Markdown takes, with the same result.
    """
    unneeded = frozenset(name for name, chars in TRIGGERS.items() if not any(c in text for c in chars))
    made = _KEPT.setdefault(md, {})
    kept = made.get(unneeded)
    if kept is None:
        kept = md.inlinePatterns[:]  # a copy, with the same names and priorities
        for name in unneeded:
            kept.deregister(name, strict=False)
        made[unneeded] = kept
    return kept


@contextlib.contextmanager
def only_inline_patterns_for(md: markdown.Markdown, text: str) -> Iterator[None]:
    """Within the block, `md`'s inline processor tries only inline_patterns(md, text)."""
    from markdown.treeprocessors import InlineProcessor

    inline = md.treeprocessors["inline"]
    if not isinstance(inline, InlineProcessor):  # an extension's own processor: it tries every pattern
        yield
        return
    every = inline.inlinePatterns
    inline.inlinePatterns = inline_patterns(md, text)
    try:
        yield
    finally:
        inline.inlinePatterns = every
