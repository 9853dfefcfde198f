"""Languages: page language and direction, localized words and dates, linked translations."""

from __future__ import annotations

import re

AR_ARTICLE = """---
title: "اندفاع على الحدود"
date: 2022-09-24
language: ar
translation_of: border-rush
dek: "لماذا غادر الرجال بهذه السرعة"
---
تشكلت طوابير طويلة على الحدود مع جورجيا بعد الإعلان.

قال مسؤولون في عاصمة كازاخستان إن أعداد الوافدين تضاعفت في أسبوع.

## ماذا قالت قيرغيزستان

حذرت قيرغيزستان مواطنيها من القتال في الخارج.
"""

AR_TIMELINE = """- date: "2022-09-21"
  title: إعلان التعبئة
  body: كان المرسوم غامضاً.
  anchor: على الحدود مع جورجيا بعد الإعلان
- date: "2022-09"
  title: شهر من المغادرة
"""

AR_COUNTRIES = """- code: KZ
  name: كازاخستان
  facts:
    - label: الوافدون في أسبوع
      value: تضاعفوا
- code: KG
  name: قيرغيزستان
"""

AR_QUOTES = """- speaker: مسؤول
  text: أعداد الوافدين تضاعفت في أسبوع
  anchor: أعداد الوافدين تضاعفت في أسبوع
"""

RU_ARTICLE = """---
title: "Очередь на границе"
date: 2022-09-25
language: ru
translation_of: border-rush
---
Длинные очереди выстроились на границе с Грузией после объявления.

Чиновники в столице Казахстана сказали, что число прибывших за неделю удвоилось.
"""

RU_TIMELINE = """- date: "2022-09-21"
  title: Объявлена мобилизация
- date: "2022-09"
  title: Месяц отъездов
"""


def add_translations(site):
    site.write("content/border-rush-ar/article.md", AR_ARTICLE)
    site.write("content/border-rush-ar/timeline.yaml", AR_TIMELINE)
    site.write("content/border-rush-ar/countries.yaml", AR_COUNTRIES)
    site.write("content/border-rush-ar/quotes.yaml", AR_QUOTES)
    site.write("content/border-rush-ru/article.md", RU_ARTICLE)
    site.write("content/border-rush-ru/timeline.yaml", RU_TIMELINE)


def test_site_language_sets_lang_dir_and_words(site):
    site.write("site.yaml", "title: Объяснения\nlanguage: ru\n")
    assert site.build() == 0
    page = site.page("border-rush/index.html")
    assert page.html["lang"] == "ru" and page.html["dir"] == "ltr"
    assert page.find("h2", id="timeline-heading").get_text() == "Хронология"
    assert page.select_one("a.skip").get_text() == "Перейти к содержанию"
    dates = [t.get_text().replace("\u202f", " ") for t in page.select("ol.timeline time")]
    assert dates[:2] == ["2022", "сентябрь 2022 г."] and dates[2] == "21 сентября 2022 г."
    assert page.find("meta", property="og:locale")["content"] == "ru_RU"
    assert site.page("404.html").h1.get_text() == "Страница не найдена"


def test_explainer_language_overrides_the_site(site):
    add_translations(site)
    assert site.build() == 0
    ar, en = site.page("border-rush-ar/index.html"), site.page("border-rush/index.html")
    assert (ar.html["lang"], ar.html["dir"]) == ("ar", "rtl")
    assert (en.html["lang"], en.html["dir"]) == ("en", "ltr")
    assert ar.find("h2", id="timeline-heading").get_text() == "الخط الزمني"
    assert ar.select_one("#country-kz .hub-link a").get_text() == "كازاخستان: كل الشروحات"
    assert ar.select_one("#country-kz svg.locator title").get_text() == "كازاخستان على خريطة المنطقة"
    assert ar.select_one("ol.timeline time").get_text() != "September 2022"
    share = site.page("border-rush-ar/q/" + ar.select_one("figure.quote")["id"] + "/index.html")
    assert (share.html["lang"], share.html["dir"]) == ("ar", "rtl")
    assert share.find("a", href=re.compile(r"^\.\./\.\./index\.html#")).get_text() == "اقرأه في الشرح"


def test_uzbek_kyrgyz_and_tajik_words_and_dates(site):
    expected = {"ky": "Хронология", "uz": "Xronologiya", "tg": "Солшумор"}
    for lang, heading in expected.items():
        site.write("site.yaml", f"title: T\nlanguage: {lang}\n")
        assert site.build() == 0
        page = site.page("border-rush/index.html")
        assert page.html["lang"] == lang and page.find("h2", id="timeline-heading").get_text() == heading
        assert "September" not in page.select("ol.timeline time")[2].get_text()


def test_unknown_language_falls_back_to_english_words(site):
    site.write("site.yaml", "title: T\nlanguage: de\n")
    site.build()
    page = site.page("border-rush/index.html")
    assert page.html["lang"] == "de" and page.find("h2", id="timeline-heading").get_text() == "Timeline"
    assert page.select("ol.timeline time")[2].get_text() == "21. September 2022"


def test_translations_link_to_each_other(site):
    add_translations(site)
    site.build("--base-url", "https://news.example/")
    pages = {slug: site.page(f"{slug}/index.html") for slug in ("border-rush", "border-rush-ar", "border-rush-ru")}
    for slug, page in pages.items():
        alternates = {l["hreflang"]: l["href"] for l in page.find_all("link", rel="alternate", hreflang=True)}
        assert alternates == {"en": "https://news.example/border-rush/", "ar": "https://news.example/border-rush-ar/",
                              "ru": "https://news.example/border-rush-ru/"}
        visible = {a["hreflang"]: a["href"] for a in page.select(".translations a")}
        assert len(visible) == 2 and f"../{slug}/index.html" not in visible.values()
        for href in visible.values():
            assert (site.out / slug / href).resolve().is_file()
    names = {a["hreflang"]: a.get_text() for a in pages["border-rush"].select(".translations a")}
    assert names == {"ar": "العربية", "ru": "русский"}
    assert site.page("no-notes/index.html").select(".translations") == []


def test_a_translation_added_later_updates_the_original(site):
    site.build()
    assert site.page("border-rush/index.html").select(".translations") == []
    from generator.build.pipeline import Builder, Options
    builder = Builder(Options(site=site.root, out=site.out))
    builder.build()
    add_translations(site)
    builder.build()  # border-rush itself is unchanged, yet its page must gain the links
    assert len(site.page("border-rush/index.html").select(".translations a")) == 2


def test_translation_of_an_unknown_slug_is_an_error(site, capsys):
    site.write("content/stray/article.md", "---\ntitle: T\ndate: 2022-01-01\ntranslation_of: nowhere\n---\nText.\n")
    assert site.build() == 1
    assert re.search(r"content/stray/article.md:4:\d+: error: translation_of: no published explainer has the slug "
                     r'"nowhere"', capsys.readouterr().err)


def test_invalid_language_tag_is_an_error(site, capsys):
    site.write("content/stray/article.md", "---\ntitle: T\ndate: 2022-01-01\nlanguage: english!\n---\nText.\n")
    assert site.build() == 1
    assert "content/stray/article.md:4:11: error:" in capsys.readouterr().err


def test_build_reports_what_each_translation_lacks(site, capsys):
    add_translations(site)
    assert site.build() == 0
    err = capsys.readouterr().err
    ru = [line for line in err.splitlines() if line.startswith("content/border-rush-ru/article.md")]
    assert len(ru) == 1 and ru[0].startswith("content/border-rush-ru/article.md:5:")
    assert 'warning: this translation of "border-rush" lacks: timeline entry 2022 ("The year of the war"); ' \
        'timeline entry 2022-09-21 ("Second event same day"); fact box KZ; fact box KG; 2 quote card(s)' in ru[0]
    ar = [line for line in err.splitlines() if line.startswith("content/border-rush-ar/article.md")]
    assert len(ar) == 1 and "fact box" not in ar[0] and "1 quote card(s)" in ar[0]


def test_right_to_left_share_image_is_drawn_from_the_right(site):
    from PIL import Image, ImageChops

    add_translations(site)
    site.build()
    quote_id = site.page("border-rush-ar/index.html").select_one("figure.quote")["id"]
    with Image.open(site.out / "border-rush-ar" / "q" / quote_id / "share.png") as png:
        image = png.convert("RGB")
    band = image.crop((0, 140, 1200, 230))  # the quote's first line
    ink = ImageChops.difference(band, Image.new("RGB", band.size, band.getpixel((5, 5)))).convert("L")
    left, _, right, _ = ink.point(lambda v: 255 if v > 80 else 0).getbbox()
    assert 1100 <= right <= 1125 and left > 200, (left, right)


def test_check_reports_what_each_translation_lacks(site):
    add_translations(site)
    done = site.run_cli("check")
    lines = [line for line in done.stdout.splitlines() + done.stderr.splitlines()
             if line.startswith("content/border-rush-ru/article.md:5:")]
    assert len(lines) == 1 and 'lacks: timeline entry 2022 ("The year of the war")' in lines[0], done.stderr
