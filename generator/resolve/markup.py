"""Markdown to HTML: the article body as separate blocks, annotation fields as snippets.

The article body is kept as a list of top-level blocks so templates can place
quote cards and backlinks between paragraphs without parsing HTML again.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import TYPE_CHECKING

import nh3
from markupsafe import Markup

from generator.model.page import Block
from generator.validate.urls import attribute_problem

if TYPE_CHECKING:
    import markdown

PLACEHOLDER = re.compile("\x02wzxhzdk:(\\d+)\x03")
VOID = {"hr", "br", "img"}
# Letters and digits ([^\W_] is exactly str.isalnum) and punctuation that is never markup.
PLAIN = re.compile(r"(?:[^\W_]|[ ,.;:!?'\"’‘“”()%/–—-])*")

# What annotation Markdown may produce: text-level markup only, never scripts,
# styles, forms or frames, whatever the author pastes in.
SNIPPET_TAGS = {"p", "a", "em", "strong", "code", "br", "ul", "ol", "li", "blockquote", "sub", "sup", "abbr"}
SAFE_SCHEMES = {"http", "https", "mailto"}  # nh3's own check; urls.py then judges what is left
ARTICLE_TAGS = nh3.ALLOWED_TAGS | {"figure", "figcaption", "span", "div", "section", "aside", "time", "mark", "table",
                                   "thead", "tbody", "tr", "th", "td", "caption"}
ARTICLE_ATTRS = {tag: {"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-hidden"}
                 for tag in ARTICLE_TAGS} | {"a": {"href", "title", "class", "id", "hreflang"},
                                             "img": {"src", "alt", "width", "height", "class", "loading"},
                                             "time": {"datetime", "class"}}


def new_markdown() -> markdown.Markdown:
    import markdown  # here: a build whose text takes only the fast paths below never loads it

    return markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


class LazyMarkdown:
    """A Markdown parser made on first use.

    Most articles and annotation fields take the fast paths below, so a
    rebuild of one explainer, or a worker, often never needs the ~30 ms the
    parser and its extensions take to load.
    """

    def __init__(self):
        self._md = None

    def __getattr__(self, name: str):
        if self._md is None:
            self._md = new_markdown()
        return getattr(self._md, name)


def is_plain(text: str) -> bool:
    """Whether Markdown would make `text` one paragraph of the same characters.

    One line of letters, digits, spaces and punctuation that is never markup,
    starting with a letter (so never a list, heading or code block).
    """
    return text[0].isalpha() and "  " not in text and text[-1] != " " and PLAIN.fullmatch(text) is not None


# Python-Markdown writes "&" as this in the trees it makes (a mailto autolink's
# character references); its last postprocessor turns it back into "&".
AMP_SUBSTITUTE = "\x02amp\x03"


def clean_snippet(html: str) -> str:
    return nh3.clean(html, tags=SNIPPET_TAGS, attributes={"a": {"href", "title"}, "abbr": {"title"}},
                     url_schemes=SAFE_SCHEMES, link_rel="noopener", attribute_filter=_allowed_value)


def clean_article(html: str) -> str:
    return nh3.clean(html, tags=ARTICLE_TAGS, attributes=ARTICLE_ATTRS, url_schemes=SAFE_SCHEMES, link_rel=None,
                     attribute_filter=_allowed_value)


def _allowed_value(tag: str, name: str, value: str) -> str | None:
    """nh3's last word on each attribute it keeps: a URL must pass urls.py too ("//host" does not)."""
    return None if attribute_problem(name, value) else value


def clean_attrs(tag: str, attrs: dict[str, str]) -> dict[str, str]:
    """A top-level block's own attributes, kept as clean_article keeps them inside a block.

    They come from an attribute list or a markdown="1" element, and reach the
    page through the template rather than through clean_article: only the
    attributes ARTICLE_ATTRS lists for the tag stay (no `style`, no `on*`).
    """
    allowed = ARTICLE_ATTRS.get(tag, ())
    return {name: value for name, value in attrs.items()
            if name in allowed and _allowed_value(tag, name, value) is not None}


def refuse_urls(root: etree.Element) -> list[tuple[str, str]]:
    """Takes every URL the tree's elements carry that urls.py refuses out of the tree.

    Returns (URL as written, why) for each. Made by Markdown syntax (links,
    images, reference links, attribute lists), these URLs are errors whatever
    unsafe_html says; raw HTML is not in the tree, only its placeholder.
    """
    refused = []
    for el in root.iter():
        for name, value in el.items():
            problem = attribute_problem(name, value.replace(AMP_SUBSTITUTE, "&"))
            if problem:
                refused.append((value, problem))
                del el.attrib[name]
    return refused


def render_snippet(md: markdown.Markdown, text: str, refused: list[tuple[str, str]] | None = None) -> Markup:
    """Annotation Markdown, sanitized: raw HTML there cannot inject markup.

    URLs of its links and images that urls.py refuses are added to `refused`
    as (URL, why), for the caller to report.
    """
    if not text or text.isspace():
        return Markup()
    if is_plain(text):  # most annotation text: the same result without the parser's ~0.2 ms
        return Markup(f"<p>{text}</p>")
    md.reset()
    root = _markdown_tree(md, text)
    bad = refuse_urls(root)
    if refused is not None:
        refused.extend(bad)
    return Markup(clean_snippet(_document_html(md, root)))


def _document_html(md: markdown.Markdown, root: etree.Element) -> str:
    """The end of Markdown.convert: the tree's HTML without its wrapping element, then the postprocessors."""
    html = md.serializer(root)
    start, end = html.find(f"<{md.doc_tag}>"), html.rfind(f"</{md.doc_tag}>")
    html = html[start + len(md.doc_tag) + 2:end].strip() if 0 <= start < end else ""
    for post in md.postprocessors:
        html = post.run(html)
    return html.strip()


def render_blocks(md: markdown.Markdown, text: str, edit_tree: Callable[[etree.Element], None],
                  sanitize: bool) -> list[Block]:
    """Converts the article body, letting `edit_tree` change the element tree first.

    This follows Markdown.convert step by step, but serializes each top-level
    element on its own so every block keeps its own HTML.
    """
    root = simple_tree(text)
    if root is None:
        md.reset()
        root = _markdown_tree(md, text)
        edit_tree(root)
        return [_block(el, sanitize, lambda el: _finish(md, md.serializer(el))) for el in root]
    edit_tree(root)
    return [_block(el, sanitize, simple_html) for el in root]


def _markdown_tree(md: markdown.Markdown, text: str) -> etree.Element:
    from generator.fastpaths import only_inline_patterns_for  # here: loaded with Markdown, when first needed

    lines = text.split("\n")
    for pre in md.preprocessors:
        lines = pre.run(lines)
    # parseDocument's tree always has its root; types-Markdown leaves out the type that says so.
    root: etree.Element = md.parser.parseDocument(lines).getroot()  # type: ignore[assignment]
    with only_inline_patterns_for(md, text):
        for tree in md.treeprocessors:
            root = tree.run(root) or root
    _unstash_attributes(md, root)
    return root


def _unstash_attributes(md: markdown.Markdown, root: etree.Element) -> None:
    """Puts back into attribute values what Markdown stashed out of them.

    The attribute lists extension reads `{: title="..." }` after the inline
    patterns ran, so an entity or a tag typed in a value sits there as a
    placeholder, replaced only after serializing: unescaped, where a quote
    ends the attribute, and unseen by refuse_urls. Put back as text, the
    serializer escapes it (an entity such as `&#x61;` it leaves as it is,
    as the placeholder would have) and refuse_urls judges the whole value.
    """
    stash = md.htmlStash.rawHtmlBlocks
    for el in root.iter():
        for name, value in el.items():
            if "\x02" in value:
                el.set(name, PLACEHOLDER.sub(lambda m: _stashed(stash, int(m[1])), value))


def _stashed(stash: list, index: int) -> str:
    raw = stash[index] if index < len(stash) else ""
    return raw if isinstance(raw, str) else ""


# The element tree of an article made only of paragraphs and "#" headings
# whose only markup is *emphasis*, **strong** and [links](url): most news
# articles. Python-Markdown takes ~2 ms to parse one; this takes a tenth of
# that and gives the same tree (tests/test_markup.py compares the two on
# random text). Anything else, down to one odd character, goes to Markdown.
REFUSED_CHARS = "<>&\\`|{}^~"  # raw HTML, entities, escapes, code, tables, attribute lists, footnotes, fences
REFUSED_LINE = re.compile(r"\n(?:[>:=+\- ]|\*(?:\s|[ ]*\*[ ]*\*[ *]*(?=\n|\Z))|\d+[.)](?:\s|\Z))")
HEADING = re.compile(r"(#{1,6}) ([^#\s](?:[^#\n]*[^#\s])?)")
EMPHASIS = (r"\*\*(?P<strong>[^\s*\[\]_]|[^\s*\[\]_][^*\[\]_\n]*[^\s*\[\]_])\*\*(?!\*)"
            r"|\*(?P<em>[^\s*\[\]_]|[^\s*\[\]_][^*\[\]_\n]*[^\s*\[\]_])\*(?!\*)")
INLINE = re.compile(EMPHASIS + r"|\[(?P<text>[^\s\[\]_()]|[^\s\[\]_()][^\[\]_()\n]*[^\s\[\]_()])\]"
                    r"\((?P<url>[A-Za-z0-9/:.~%?#=+@!$,;_-]+)\)")
IN_LINK = re.compile(EMPHASIS)  # link text may hold emphasis, not links
NOT_PLAIN = re.compile(r"[*\[\]_]")


def simple_tree(text: str) -> etree.Element | None:
    """The tree Markdown would make of `text`, or None if `text` is not that simple."""
    text = text.strip("\n")
    if _refused(text):
        return None
    root = etree.Element("div")
    for chunk in text.split("\n\n") if text else []:
        if chunk[0] == "#":
            heading = HEADING.fullmatch(chunk)
            if heading is None:
                return None
            el = etree.SubElement(root, f"h{len(heading[1])}")
            chunk = heading[2]
        else:
            el = etree.SubElement(root, "p")
        if not _inline(el, chunk):
            return None
    return root


def _refused(text: str) -> bool:
    """Whether `text` has anything the fast way does not read as Markdown does.

    Plain string tests, not one regex: this runs over every article.
    """
    if not text.replace("\n", "").isprintable():  # tabs, control characters, unusual spaces
        return True
    if any(c in text for c in REFUSED_CHARS) or "![" in text or " \n" in text or "\n\n\n" in text:
        return True
    if text.endswith(" ") or REFUSED_LINE.search("\n" + text):  # lists, quotes, rules, setext and indented lines
        return True
    at = text.find("\n#")
    while at > 0:  # a heading is a block of its own: one inside a paragraph is not
        if text[at - 1] != "\n":
            return True
        at = text.find("\n#", at + 1)
    return False


def _inline(el: etree.Element, text: str, pattern: re.Pattern = INLINE) -> bool:
    """Fills `el` from one block's text; False if some of it is not simple markup."""
    start, last = 0, None
    for m in pattern.finditer(text):
        if not _plain_run(el, last, text[start:m.start()]):
            return False
        if m["strong"] is not None or m["em"] is not None:
            last = etree.SubElement(el, "strong" if m["strong"] is not None else "em")
            last.text = m["strong"] if m["strong"] is not None else m["em"]
        else:
            last = etree.SubElement(el, "a", href=m["url"])
            if not _inline(last, m["text"], IN_LINK):
                return False
        start = m.end()
    return _plain_run(el, last, text[start:])


def _plain_run(el: etree.Element, last: etree.Element | None, run: str) -> bool:
    if NOT_PLAIN.search(run):
        return False
    if run:
        if last is None:
            el.text = run
        else:
            last.tail = run
    return True


def _block(el: etree.Element, sanitize: bool, to_html: Callable[[etree.Element], str]) -> Block:
    text = plain_text(el)
    # A tag no article may have (an <iframe markdown="1">) is cleaned whole, as raw HTML is.
    if is_raw(el) or (sanitize and el.tag not in ARTICLE_TAGS):
        html = to_html(el)
        return Block(None, None, Markup(clean_article(html) if sanitize else html), text)
    ident = el.attrib.pop("id", None)
    attrs = dict(el.attrib)
    el.attrib.clear()
    if sanitize:
        attrs = clean_attrs(el.tag, attrs)
    if el.tag in VOID:
        return Block(None, None, Markup(to_html(el)))
    tail, el.tail = el.tail, None
    html = to_html(el)
    el.tail = tail
    inner = html[len(el.tag) + 2: -(len(el.tag) + 3)]
    if sanitize:
        inner = clean_article(inner)
    return Block(el.tag, ident, Markup(inner), text, attrs)


def is_raw(el: etree.Element) -> bool:
    """A raw HTML block sits in the tree as a paragraph holding one placeholder."""
    return el.tag == "p" and len(el) == 0 and PLACEHOLDER.fullmatch((el.text or "").strip()) is not None


def simple_html(el: etree.Element) -> str:
    """HTML of a simple tree's element, as Python-Markdown's serializer writes it (attributes
    sorted, text escaped); its postprocessors have nothing to do in such a tree."""
    attrs = "".join(f' {k}="{_escape(v, quotes=True)}"' for k, v in sorted(el.items()))
    inner = "".join([_escape(el.text or ""), *map(simple_html, el)])
    return f"<{el.tag}{attrs}>{inner}</{el.tag}>{_escape(el.tail or '')}"


def _escape(text: str, quotes: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") if any(
        c in text for c in "&<>") else text
    return text.replace('"', "&quot;") if quotes and '"' in text else text


def _finish(md: markdown.Markdown, html: str) -> str:
    for post in md.postprocessors:
        html = post.run(html)
    return html.strip()


def plain_text(el: etree.Element) -> str:
    text = "".join(el.itertext())
    return PLACEHOLDER.sub("", text) if "\x02" in text else text
