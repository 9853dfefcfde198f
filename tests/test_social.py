"""Social cards: every page names a raster og:image of the size it declares, with alt text and locale."""

from __future__ import annotations

import re

import pytest
from PIL import Image

from generator.features.images.cards import og_locale

BASE = "https://news.example/desk/"
LOCALE = re.compile(r"^[a-z]{2,3}_[A-Z]{2}$")


def social_tags(page) -> dict[str, str]:
    tags = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
    tags.update((m["name"], m["content"]) for m in page.find_all("meta", attrs={"name": True}))
    return tags


def check_card(out, tags: dict[str, str]) -> Image.Image:
    """The page's og:image is a file of the build, a PNG or JPEG of the size and type the page says."""
    url = tags["og:image"]
    assert url.startswith(BASE) and tags["twitter:image"] == url
    with Image.open(out / url.removeprefix(BASE)) as image:
        image.load()
        assert image.format in ("PNG", "JPEG")
        assert (str(image.width), str(image.height)) == (tags["og:image:width"], tags["og:image:height"])
        assert image.size == (1200, 630)
        assert tags["og:image:type"] == Image.MIME[image.format]
    assert tags["og:image:alt"].strip() and tags["twitter:image:alt"] == tags["og:image:alt"]
    assert tags["twitter:card"] == "summary_large_image"
    assert LOCALE.match(tags["og:locale"]), tags["og:locale"]
    return image


def test_every_page_has_a_raster_card_of_its_declared_size(shared_build):
    site = shared_build("valid", "--base-url", BASE)
    # Embed pages are items for other sites' iframes, never shared on their own (noindex): no card.
    pages = [p for p in site.out.rglob("*.html") if "embed" not in p.parts]
    kinds = {p.relative_to(site.out).as_posix() for p in pages}
    # the explainer, the index, the not-found page, a country page and share pages are all among them
    assert {"index.html", "404.html", "border-rush/index.html", "countries/kg/index.html"} <= kinds
    assert any("/q/" in k for k in kinds)
    for path in pages:
        check_card(site.out, social_tags(site.page(path.relative_to(site.out).as_posix())))
    explainer = social_tags(site.page("border-rush/index.html"))
    # The lead is an SVG: the card is drawn, and its alt text says what it shows.
    assert explainer["og:image"] == BASE + "border-rush/card.png"
    assert explainer["og:image:alt"].startswith('Rush at the border & <other> "tales"')
    country = social_tags(site.page("countries/kg/index.html"))
    assert country["og:image"] == BASE + "countries/kg/card.png" and "Kyrgyzstan" in country["og:image:alt"]
    assert social_tags(site.page("404.html"))["og:image"] == social_tags(site.page("index.html"))["og:image"]


def test_a_raster_lead_is_fitted_to_the_card(site):
    Image.new("RGB", (1600, 1200), (30, 90, 160)).save(site.root / "content/border-rush/photo.png")
    article = site.root / "content/border-rush/article.md"
    article.write_text(article.read_text().replace("src: photo.svg", "src: photo.png"))
    assert site.build("--base-url", BASE) == 0
    tags = social_tags(site.page("border-rush/index.html"))
    assert tags["og:image"] == BASE + "border-rush/card.jpg"
    check_card(site.out, tags)
    assert tags["og:image:alt"] == "A queue <at> the border"  # the photo's own alt text
    with Image.open(site.out / "border-rush/card.jpg") as image:
        r, g, b = image.convert("RGB").getpixel((600, 315))
        assert abs(r - 30) < 8 and abs(g - 90) < 8 and abs(b - 160) < 8  # the photo, not a drawn card


@pytest.mark.parametrize("lang, expected", [("en", "en_US"), ("en-GB", "en_GB"), ("ru", "ru_RU"), ("ky", "ky_KG"),
                                            ("uz", "uz_UZ"), ("tg", "tg_TJ"), ("ar", "ar_EG"), ("kk", "kk_KZ"),
                                            ("zh-Hant", "zh_TW"), ("pt-BR", "pt_BR")])
def test_og_locale_is_language_and_territory(lang, expected):
    assert og_locale(lang) == expected


def test_a_russian_site_says_ru_ru(site):
    config = site.root / "site.yaml"
    config.write_text(re.sub(r"(?m)^language:.*$", "", config.read_text()) + "language: ru\n")
    assert site.build("--base-url", BASE) == 0
    for page in ("index.html", "404.html", "countries/kg/index.html"):
        assert social_tags(site.page(page))["og:locale"] == "ru_RU", page
