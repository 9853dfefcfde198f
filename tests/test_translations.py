"""The theme's words as gettext catalogues: extraction kept current, each catalogue complete in
its entries, pages in the catalogue's language, a site's own catalogue, and check's report of
the theme strings a page language lacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from conftest import REPO

LOCALES = REPO / "templates" / "locales"
POT = LOCALES / "messages.pot"
# The command docs/translations.md gives, run from the repository's root.
EXTRACT = ["extract", "-F", "babel.cfg", "--add-location=file", "--sort-output", "-c", "Translators:",
           "--project=explainer-generator"]
UNTRANSLATED = ("Copied", "Embeds", "Search")  # left out of the test's Spanish catalogue


def read(path: Path) -> Catalog:
    with open(path, "rb") as f:
        return read_po(f)


def messages(catalog: Catalog) -> list[tuple]:
    """What extraction decides about each message (the header aside)."""
    return [(m.context, m.id, sorted(m.flags), m.auto_comments, sorted({name for name, _ in m.locations}))
            for m in catalog if m.id]


def keys(catalog: Catalog) -> list[tuple]:
    return [(m.context, m.id) for m in catalog if m.id]


def test_messages_pot_is_what_pybabel_extracts_from_the_theme_and_the_code(tmp_path):
    out = tmp_path / "messages.pot"
    done = subprocess.run([sys.executable, "-m", "babel.messages.frontend", *EXTRACT, "-o", str(out), "."],
                          cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    extracted, checked_in = messages(read(out)), messages(read(POT))
    assert {m[1] for m in extracted} >= {"Timeline", "Explainers", "about %(date)s", "MMMM y"}
    assert extracted == checked_in, (
        "templates/locales/messages.pot is out of date: run the pybabel extract and update commands of "
        "docs/translations.md and translate the new strings")


def test_every_theme_catalogue_has_an_entry_for_each_theme_string_and_valid_placeholders():
    template = keys(read(POT))
    catalogues = sorted(LOCALES.glob("*/LC_MESSAGES/messages.po"))
    assert {p.parts[-3] for p in catalogues} >= {"ru", "ky", "uz", "tg", "ar", "de", "fr"}
    for path in catalogues:
        catalog = read(path)
        assert keys(catalog) == template, f"{path.relative_to(REPO)}: run pybabel update (docs/translations.md)"
        assert not catalog.obsolete, path
        assert list(catalog.check()) == [], path  # every %(name)s of a translation is the English one's
    russian = read(LOCALES / "ru/LC_MESSAGES/messages.po")
    assert all(m.string for m in russian if m.id), "the Russian catalogue is complete"


def spanish_catalogue(site, left_out=UNTRANSLATED, **words) -> Path:
    """A site's own catalogue for `es`: every theme string translated ("ES:" and the English text)
    but `left_out`; `words` give chosen translations."""
    catalog = Catalog(locale="es")
    for m in read(POT):
        if m.id and m.id not in left_out:
            catalog.add(m.id, words.get(m.id, f"ES:{m.id}"), context=m.context, flags=m.flags)
    path = site.root / "templates/locales/es/LC_MESSAGES/messages.po"
    path.parent.mkdir(parents=True)
    with open(path, "wb") as f:
        write_po(f, catalog)
    return path


def test_a_site_catalogue_translates_the_theme_and_its_dates_for_a_language_the_theme_lacks(site):
    site.write("site.yaml", "title: T\nlanguage: es\n")
    site.write("content/border-rush/timeline.yaml",
               '- date: "circa 2001"\n  title: Long ago\n- date: "before 2022-03"\n  title: Before March\n')
    spanish_catalogue(site, **{"Timeline": "Cronología", "about %(date)s": "hacia %(date)s",
                               "before %(date)s": "antes de %(date)s", "MMMM y": "MMMM 'de' y",
                               "%(name)s: all explainers": "%(name)s: todo"})
    assert site.build() == 0
    page = site.page("border-rush/index.html")
    assert page.find("h2", id="timeline-heading").get_text() == "Cronología"
    assert [when.get_text() for when in page.select("ol.timeline .when")] == ["hacia 2001", "antes de marzo de 2022"]
    assert page.select_one(".hub-link a").get_text() == "Kazakhstan: todo"
    assert page.select_one("a.skip").get_text() == "ES:Skip to content"
    assert page.find("script", attrs={"data-label": True})["data-label"] == "Search"  # left out: English


def test_a_site_catalogue_overrides_the_themes_word_by_word(site):
    site.write("site.yaml", "title: T\nlanguage: ru\n")
    site.write("templates/locales/ru/LC_MESSAGES/messages.po",
               'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
               'msgid "Timeline"\nmsgstr "Хроника"\n\nmsgid "Atom feed"\nmsgstr "Atom: 100% & <b>"\n')
    assert site.build() == 0
    page = site.page("border-rush/index.html")
    assert page.find("h2", id="timeline-heading").get_text() == "Хроника"  # the site's
    assert page.find("a", href="../feed.xml").get_text() == "Atom: 100% & <b>"  # no format string: as it is
    assert page.select_one("a.skip").get_text() == "Перейти к содержанию"  # the theme's
    assert site.page("404.html").h1.get_text() == "Страница не найдена"
    done = site.run_cli("check")
    assert "not translated" not in done.stderr, done.stderr


def test_a_russian_page_keeps_its_russian_words_and_dates(site):
    site.write("content/no-notes/article.md",
               "---\ntitle: Очередь\ndate: 2022-09-25\nlanguage: ru\n---\nДлинные очереди на границе.\n")
    site.write("content/no-notes/timeline.yaml",
               '- date: "before 2022-03"\n  title: До марта\n- date: "circa 2001"\n  title: Давно\n')
    assert site.build() == 0
    page = site.page("no-notes/index.html")
    assert page.html["lang"] == "ru" and page.find("h2", id="timeline-heading").get_text() == "Хронология"
    assert [when.get_text() for when in page.select("ol.timeline .when")] == ["около 2001", "до марта 2022\u202fг."]
    english = site.page("border-rush/index.html")
    assert english.find("h2", id="timeline-heading").get_text() == "Timeline"


def test_check_names_the_theme_strings_a_page_language_lacks(site):
    site.write("site.yaml", "title: T\nlanguage: es\n")
    spanish_catalogue(site)
    site.write("content/no-notes/article.md",
               "---\ntitle: T\ndate: 2022-09-25\nlanguage: en-GB\n---\nText.\n")
    done = site.run_cli("check")
    warned = [line for line in done.stderr.splitlines() if "not translated" in line]
    assert warned == [('templates/locales/es/LC_MESSAGES/messages.po: warning: 3 theme string(s) not translated '
                       'into es, shown in English: "Copied", "Embeds", "Search"')], done.stderr  # none for en-GB
    assert site.build() == 0  # a warning of check's, not the build's


def test_check_counts_a_language_without_any_catalogue(site):
    site.write("content/no-notes/article.md", "---\ntitle: T\ndate: 2022-09-25\nlanguage: pt-BR\n---\nText.\n")
    done = site.run_cli("check")
    total = len(keys(read(POT)))
    assert f"templates/locales/pt/LC_MESSAGES/messages.po: warning: {total} theme string(s) not translated " \
           "into pt-BR, shown in English: " in done.stderr, done.stderr


def test_a_broken_site_catalogue_is_a_located_error(site, capsys):
    site.write("site.yaml", "title: T\nlanguage: ru\n")
    site.write("templates/locales/ru/LC_MESSAGES/messages.po",
               'msgid "Timeline"\nmsgstr "Хроника"\nmsgstr_wrong "x"\n')
    assert site.build() == 1
    err = capsys.readouterr().err
    assert "templates/locales/ru/LC_MESSAGES/messages.po:3:1: error: invalid catalogue syntax: " in err, err
    assert "Traceback" not in err


def test_translations_that_do_not_take_the_english_values_are_located_errors_all_at_once(site, capsys):
    site.write("templates/locales/en/LC_MESSAGES/messages.po",
               'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
               '#, python-format\nmsgid "%(name)s: all explainers"\nmsgstr "%(nom)s: everything"\n\n'
               'msgid "From %(site)s"\nmsgstr "100% %(site)s"\n\n'
               'msgid "Search"\nmsgstr "Find 100%"\n')  # no format string: written as it is
    assert site.build() == 1
    err = capsys.readouterr().err
    path = "templates/locales/en/LC_MESSAGES/messages.po"
    assert f'{path}:6:1: error: the translation of "%(name)s: all explainers": %(nom)s is not a value of the ' \
           "English text (name)" in err, err
    assert f'{path}:9:1: error: the translation of "From %(site)s": not a format string like the English ' \
           "text's" in err, err
    assert err.count(": error: ") == 2, err


def test_templates_written_with_t_and_macros_imported_without_context_still_translate(site):
    site.write("site.yaml", "title: T\nlanguage: ru\n")
    site.write("templates/words.html", '{% macro kicker() %}<p class="w">{{ _("Voices") }}</p>{% endmacro %}')
    page = (REPO / "templates/404.html").read_text(encoding="utf-8")
    site.write("templates/404.html", page.replace(
        '<h1>{{ _("Page not found") }}</h1>',
        '{% import "words.html" as words %}<h1>{{ t("Page not found") }}</h1>{{ words.kicker() }}'
        '<p class="n">{{ t("{name}: all explainers", name="<Казахстан>") }}</p>'))
    assert site.build() == 0
    built = site.page("404.html")
    assert built.h1.get_text() == "Страница не найдена"
    assert built.select_one("p.w").get_text() == "Голоса"
    assert built.select_one("p.n").get_text() == "<Казахстан>: все материалы"
    assert "&lt;Казахстан&gt;" in (site.out / "404.html").read_text(encoding="utf-8")
