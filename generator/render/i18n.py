"""Languages: the theme's words in the page's language, its direction, and links between translations.

The theme's words are gettext catalogues keyed by the English text,
templates/locales/<lang>/LC_MESSAGES/messages.po (docs/translations.md), read
with Babel and compiled in memory when a page in that language is first made:
a checkout and an installed wheel work alike, with no compile step. A site's
own templates/locales/ come first, message by message; a message no catalogue
translates is written in English. Templates call them through Jinja's i18n
extension (`{{ _("Timeline") }}`, `{{ _("%(name)s: all explainers", name=...) }}`).
Writing direction and language names come from Babel's CLDR data.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from gettext import NullTranslations
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import TemplateError, pass_context
from markupsafe import escape

from generator.errors import NOWHERE, Pos, Report, quote
from generator.load.files import is_inside, outside_message
from generator.model.common import Site
from generator.model.page import Explainer, Translation
from generator.model.source import Article

from .locales import parse_locale
from .meta import absolute

if TYPE_CHECKING:
    from babel.support import Translations

    from .environment import Origin

CATALOGUE = "locales/{}/LC_MESSAGES/messages.po"  # in a folder of templates: the theme, or a site's templates/
MESSAGES = "locales/messages.pot"  # the theme's strings, extracted by pybabel (babel.cfg)
SHOWN_MISSING = 5  # untranslated strings named in check's warning


class CatalogueError(TemplateError):
    """A catalogue the build cannot read, with the place to say (a line, or each faulty message's)."""

    def __init__(self, shown: str, pos: Pos, message: str, more: Sequence[tuple[Pos, str]] = ()):
        super().__init__(message)
        self.shown = shown
        self.pos = pos
        self.problems = [(pos, message), *more]


@dataclass
class Catalogue:
    """One catalogue file as read: compiled, and its translated messages."""

    translations: Translations  # gettext's interface, plural forms and contexts included
    words: dict[str, str]  # English -> translation, for the messages with neither
    translated: frozenset  # (context, English) of every message it translates


class UI:
    """The theme's words and the writing direction for one page language."""

    def __init__(self, lang: str, dir: str, found: Sequence[Catalogue] = (), name: str = ""):
        self.lang = lang  # the tag as the author wrote it, for <html lang>
        self.dir = dir  # "ltr" or "rtl"
        self.catalogue: NullTranslations = NullTranslations()  # English: the messages themselves
        self.words: dict[str, str] = {}  # the most wanted catalogue's translation of each plain message
        for one in reversed(found):
            self.words.update(one.words)
            one.translations.add_fallback(self.catalogue)  # a message one lacks is looked up in the next
            self.catalogue = one.translations
        self.translated = frozenset().union(*(one.translated for one in found))
        self.name = name or catalogue_names(lang)[-1]  # its catalogues' folder under locales/
        self.template_words = template_words(self.catalogue, self.words)  # gettext, _, ngettext, ... for templates

    def gettext(self, message: str, **values) -> str:
        """A message in this language (English when no catalogue has it), its %(name)s filled in."""
        text = self.words.get(message, message)
        return text % values if values or "%" in message else text


def template_words(catalogue: NullTranslations, words: dict[str, str]) -> dict[str, Callable]:
    """The functions Jinja's i18n extension calls, in its "newstyle" form: values are given by
    name (`_("%(name)s: all explainers", name=country.name)`), and under autoescape the
    message is text like any other value, escaped where it is written (a stray quote in a
    translation cannot end an attribute), each value escaped unless it is Markup."""
    lookup, plural, in_context, plural_in_context = (words.get, catalogue.ngettext, catalogue.pgettext,
                                                     catalogue.npgettext)

    @pass_context
    def gettext(context, message: str, **values) -> str:
        text = lookup(message, message)  # one dict lookup: a page asks for dozens of words
        if not values and "%" not in message:  # most of the theme's words
            return text
        return _written(context, text, values)

    @pass_context
    def ngettext(context, singular: str, many: str, num: int, **values) -> str:
        text = plural(singular, many, num)
        if not values and "%" not in singular + many:
            return text
        return _written(context, text, {"num": num, **values})

    @pass_context
    def pgettext(context, where: str, message: str, **values) -> str:
        text = in_context(where, message)
        if not values and "%" not in message:
            return text
        return _written(context, text, {"context": where, **values})

    @pass_context
    def npgettext(context, where: str, singular: str, many: str, num: int, **values) -> str:
        text = plural_in_context(where, singular, many, num)
        if not values and "%" not in singular + many:
            return text
        return _written(context, text, {"context": where, "num": num, **values})

    def t(english: str, **values) -> str:
        """The theme's words as templates asked for them before the catalogues: t("{name}: ...", name=...)."""
        return lookup(_gettext_form(english), _gettext_form(english)) % values

    return {"gettext": gettext, "_": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext,
            "t": t}


def _written(context, text: str, values: dict):
    """A translation with its values filled in. (A message given no values and with no % in it is
    no format string: its translation is written as it is, a % in it included.)"""
    if context.eval_ctx.autoescape:
        return escape(text) % values  # Markup: the text escaped, and each value unless it is Markup
    return text % values


@functools.lru_cache(maxsize=256)
def _gettext_form(english: str) -> str:
    """t()'s "{name}" placeholders as gettext's "%(name)s", a literal % as %%."""
    return re.sub(r"\{(\w+)\}", r"%(\1)s", english.replace("%", "%%"))


class Languages:
    """The words of each page language from one list of template folders (a site's templates/
    first, then the theme), a language's catalogues read when a page first needs them."""

    def __init__(self, folders: list[tuple[Path, Origin]]):
        self.folders = folders
        self.known: dict[str, UI] = {}

    def ui(self, language: str) -> UI:
        ui = self.known.get(language)
        if ui is None:
            ui = self.known[language] = self._load(language)
        return ui

    def _load(self, language: str) -> UI:
        names = catalogue_names(language)
        found = [(name, _read(folder / CATALOGUE.format(name), origin))
                 for folder, origin in self.folders for name in names if (folder / CATALOGUE.format(name)).is_file()]
        deepest = min((name for name, _ in found), key=names.index, default="")
        return UI(language, direction(language), [one for _, one in found], deepest)

    def template_globals(self, language: str) -> dict[str, Callable]:
        """The template words of `language` as the environment's globals, for a template rendered
        without a page's own (a macro imported without context); read when first called."""

        def word(name: str) -> Callable:
            @pass_context
            def call(context, *args, **values):
                return context.call(self.ui(language).template_words[name], *args, **values)
            return call

        words = {name: word(name) for name in ("gettext", "ngettext", "pgettext", "npgettext", "t")}
        return {**words, "_": words["gettext"]}


def catalogue_names(language: str) -> list[str]:
    """The catalogue folders for a language tag, the most specific first: "de-CH" -> de_CH, de."""
    locale = parse_locale(language)
    names = [str(locale), locale.language] if locale is not None else []
    return list(dict.fromkeys([*names, _base(language)]))


def _read(path: Path, origin: Origin) -> Catalogue:
    """One catalogue, compiled in memory."""
    # Babel's catalogue tools load here, not on import: an English site never needs them.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po
    from babel.support import Translations

    shown = origin.shown(path)
    if not is_inside(path, origin.root):
        raise CatalogueError(shown, Pos(), outside_message(where=origin.where))
    try:
        with open(path, "rb") as f:
            catalog = read_po(f, abort_invalid=True)
        faults = [fault for message in catalog for fault in _format_faults(message)]
        if faults:
            raise CatalogueError(shown, *faults[0], faults[1:])
        compiled = io.BytesIO()
        write_mo(compiled, catalog)  # untranslated and fuzzy messages left out: they fall back
        compiled.seek(0)
        translations = Translations(compiled)
    except PoFileError as exc:
        what = re.sub(r" on \d+$", "", str(exc))  # Babel's message names the line 0-based
        raise CatalogueError(shown, Pos(exc.lineno + 1, 1), f"invalid catalogue syntax: {what[:1].lower()}{what[1:]} "
                             "(each line of a message is a keyword or text in double quotes)") from None
    except UnicodeDecodeError:
        raise CatalogueError(shown, Pos(), "this catalogue is not in the character set its header names "
                                           "(UTF-8 when it names none); save it as UTF-8") from None
    except ValueError as exc:  # a header Python's gettext refuses, such as its Plural-Forms
        raise CatalogueError(shown, Pos(), f"this catalogue cannot be read: {exc}") from None
    except OSError as exc:
        raise CatalogueError(shown, NOWHERE, f"cannot read this catalogue: {exc.strerror or exc}") from None
    done = [m for m in catalog if m.id and _done(m)]
    return Catalogue(translations, {m.id: m.string for m in done
                                    if isinstance(m.id, str) and isinstance(m.string, str) and not m.context},
                     frozenset(_key(m) for m in done))


PLACEHOLDER = re.compile(r"%\((\w+)\)")


def _format_faults(message) -> list[tuple[Pos, str]]:
    """A translation of a format string must take the English text's values, and no others.

    (Babel's Catalog.check does the like, but finds its checkers through the installed
    packages' metadata, which takes longer than reading every catalogue.)"""
    english = message.id if isinstance(message.id, tuple) else (message.id,)
    if not message.id or "%" not in "".join(english) or not _done(message):
        return []
    values = dict.fromkeys(PLACEHOLDER.findall("".join(english)), 0)
    if "num" not in values and len(english) > 1:
        values["num"] = 0  # ngettext's own
    for text in message.string if isinstance(message.string, tuple) else (message.string,):
        try:
            text % values
        except KeyError as exc:
            problem = f"%({exc.args[0]})s is not a value of the English text ({', '.join(sorted(values)) or 'none'})"
        except (ValueError, TypeError) as exc:
            problem = f"not a format string like the English text's ({exc}); write a literal % as %%"
        else:
            continue
        return [(Pos(message.lineno or 1, 1), f"the translation of {quote(english[0])}: {problem}")]
    return []


def _key(message) -> tuple[str | None, str]:
    return message.context, message.id if isinstance(message.id, str) else message.id[0]


def _done(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


@functools.cache
def theme_languages() -> Languages:
    """The default theme's catalogues alone (dates.event_view without a site's words)."""
    from .environment import THEME, Origin

    return Languages([(THEME, Origin(THEME, "(default theme)/", "default theme"))])


def theme_strings() -> list[tuple[str | None, str]]:
    """The theme's messages, from its messages.pot: (context, English text)."""
    from babel.messages.pofile import read_po

    from .environment import THEME

    with open(THEME / MESSAGES, "rb") as f:
        return [_key(m) for m in read_po(f) if m.id]


def report_untranslated(languages: Languages, tags: Iterable[str], report: Report) -> None:
    """Warns, for each page language but English, about theme strings no catalogue translates."""
    theme = theme_strings()
    for tag in dict.fromkeys(tags):
        if catalogue_names(tag)[-1] == "en":  # the messages are English
            continue
        try:
            ui = languages.ui(tag)
        except CatalogueError as exc:
            for pos, message in exc.problems:
                report.error(exc.shown, pos, message)
            continue
        missing = [text for context, text in theme if (context, text) not in ui.translated]
        if missing:
            shown = ", ".join(quote(text) for text in missing[:SHOWN_MISSING])
            more = f" and {len(missing) - SHOWN_MISSING} more" if len(missing) > SHOWN_MISSING else ""
            report.warning(f"templates/{CATALOGUE.format(ui.name)}", NOWHERE,
                           f"{len(missing)} theme string(s) not translated into {tag}, shown in English: "
                           f"{shown}{more}")


def direction(language: str) -> str:
    locale = parse_locale(language)
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


def language_name(language: str) -> str:
    locale = parse_locale(language)
    name = locale.get_display_name(locale) if locale is not None else None
    return name or language


def _base(language: str) -> str:
    return language.split("-")[0].lower()


def translation_links(site: Site, articles: list[Article], report: Report) -> dict[str, tuple[Translation, ...]]:
    """Slug -> the links between versions of one explainer (empty for one without translations).

    A translation names its original with `translation_of`; all explainers
    naming the same original, and the original itself, link to each other.
    Only front matter is needed, so pages can be rendered with their links.
    """
    by_slug = {a.slug: a for a in articles}
    groups: dict[str, list[Article]] = {}
    for a in articles:
        root = a.translation_of or a.slug
        if a.translation_of and root not in by_slug:
            report.error(a.path, a.where.get("translation_of", Pos()),
                         f"translation_of: no published explainer has the slug {quote(root)}")
            continue
        groups.setdefault(root, []).append(a)
    for root, members in groups.items():
        if root in by_slug and by_slug[root] not in members:
            members.insert(0, by_slug[root])
    links = {}
    for a in articles:
        members = groups.get(a.translation_of or a.slug, [a]) if (a.translation_of or a.slug) in by_slug else [a]
        links[a.slug] = tuple(_link(site, m) for m in members) if len(members) > 1 else ()
    return links


def _link(site: Site, a: Article) -> Translation:
    lang = a.language or site.language
    return Translation(lang, language_name(lang), a.title, a.slug, absolute(site, f"{a.slug}/"))


def report_missing(article: Article, mine: Explainer, theirs: Explainer, report: Report) -> None:
    """Warns about annotations the original has and the translation lacks, matched by date or code."""
    missing = []
    dates = [e.date.iso for e in mine.timeline]
    for event in theirs.timeline:
        if event.date.iso in dates:
            dates.remove(event.date.iso)
        else:
            missing.append(f"timeline entry {event.date.iso} ({quote(event.title)})")
    codes = {c.code for c in mine.countries}
    missing += [f"fact box {c.code}" for c in theirs.countries if c.code not in codes]
    if len(mine.quotes) < len(theirs.quotes):
        missing.append(f"{len(theirs.quotes) - len(mine.quotes)} quote card(s)")
    if missing:
        where = article.where.get("translation_of", Pos())
        report.warning(article.path, where, f"this translation of {quote(theirs.slug)} lacks: " + "; ".join(missing))
