"""Locator maps: made at build time from the packaged Natural Earth data, small, accessible, stable."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest

from generator.features.maps import HEIGHT, WIDTH, LocatorMaps, parse_path

SVG = "{http://www.w3.org/2000/svg}"
LIMIT = 15 * 1024


@pytest.fixture(scope="module")
def maps():
    return LocatorMaps()


def test_every_box_shows_its_map_inline_and_as_a_file(shared_build):
    site = shared_build()
    page = site.page("border-rush/index.html")
    for box in page.select("section.country"):
        name = box.h3.get_text()
        svg = box.select_one("svg.locator")
        assert svg["role"] == "img" and svg.title.get_text() == f"{name} on a map of the region"
        assert svg.select_one("path.here")["d"]
        assert len(str(svg).encode()) <= LIMIT
        path = site.out / "countries" / box["id"].removeprefix("country-") / "map.svg"
        root = ET.parse(path).getroot()
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        assert root.find(f"{SVG}title").text == f"{name} on a map of the region"
        assert root.find(f"{SVG}path[@class='here']").get("d")
        assert path.stat().st_size <= LIMIT
        assert "http" not in path.read_text().replace("http://www.w3.org/2000/svg", "")


def test_hub_page_has_the_map_inline(shared_build):
    site = shared_build()
    svg = site.page("countries/kz/index.html").select_one("svg.locator")
    assert svg["role"] == "img" and svg.title.get_text() == "Kazakhstan on a map of the region"
    assert svg.select_one("path.here")["d"].startswith("M")


def test_the_largest_and_busiest_maps_fit_the_size_limit(maps):
    # Every country is drawn in a few tenths of a second; these are the largest outlines and
    # the regions with the most borders and islands, the heaviest maps there are.
    assert len(maps.shapes) > 200
    sizes = {code: len(maps.file(code, code)) for code in ("ru", "ca", "us", "kz", "cn", "id", "ph", "gr", "no",
                                                           "hr", "ch", "kg", "tj", "sg", "cl", "fj")}
    assert max(sizes.values()) <= LIMIT, max(sizes, key=sizes.get)


def test_the_country_is_drawn_in_the_middle_of_its_map(maps):
    for code in ("kg", "fr", "br", "au", "ru"):
        d = ET.fromstring(maps.file(code, code)).find(f"{SVG}path[@class='here']").get("d")
        points = [p for ring in parse_path(d) for p in ring]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        assert abs(cx - WIDTH / 2) < WIDTH / 5 and abs(cy - HEIGHT / 2) < HEIGHT / 5, code
        assert min(xs) >= -3 and max(xs) <= WIDTH + 3 and min(ys) >= -3 and max(ys) <= HEIGHT + 3, code


def test_a_tiny_country_gets_a_marker(maps):
    assert re.search(r'<circle class="dot"', maps.file("sg", "Singapore").decode())
    assert "<circle" not in maps.file("kg", "Kyrgyzstan").decode()


def test_maps_are_the_same_bytes_every_time(maps):
    from generator.features import maps as module
    before = {code: maps.file(code, "t") for code in ("kg", "ru", "us")}
    module.drawing.cache_clear()  # draw again rather than reuse this process's maps
    again = LocatorMaps()
    for code in ("kg", "ru", "us"):
        assert before[code] == again.file(code, "t")


def test_unknown_code_has_no_map(site, maps):
    assert not maps.has("ZZ") and maps.svg("ZZ", "t") == ""
    # Christmas Island is a valid ISO code that Natural Earth draws with Australia's territories.
    site.write("content/border-rush/countries.yaml", "- code: CX\n  name: Kazakhstan\n")
    assert site.build() == 0
    assert site.page("border-rush/index.html").select_one("#country-cx .locator") is None
    assert site.page("countries/cx/index.html").select_one("svg") is None
    assert not (site.out / "countries/cx/map.svg").exists()


def test_path_outlines_keep_end_points_of_every_command():
    d = "M1,2 L3,4 5,6 H7 V8 h1 v-2 Z m1 1 2 2 c1 1 1 1 2 -3 s0 0 1 1 q0 0 -1 0 t1 1 a1 1 0 0 1 1 1 z"
    assert parse_path(d) == [
        [(1.0, 2.0), (3.0, 4.0), (5.0, 6.0), (7.0, 6.0), (7.0, 8.0), (8.0, 8.0), (8.0, 6.0)],
        [(2.0, 3.0), (4.0, 5.0), (6.0, 2.0), (7.0, 3.0), (6.0, 3.0), (7.0, 4.0), (8.0, 5.0)],
    ]


def test_path_numbers_may_run_together_as_svg_allows():
    assert parse_path("m 0,0 l 1.5-2.5.5.5 1e1,-1E0 z M 1,,2 L-.5+.5") == [
        [(0.0, 0.0), (1.5, -2.5), (2.0, -2.0), (12.0, -3.0)], [(1.0, 2.0), (-0.5, 0.5)]]
    assert parse_path("M 1_0 2 3 4") == [[(1.0, 0.0), (2.0, 3.0)]]  # SVG has no 1_000 numbers: "1", "0"


def segments(d: str) -> list[tuple]:
    """The straight pieces of a path, each written the same way whichever way it runs. Pieces of a
    unit or so are left out: two short arcs meeting at a corner may round to the same pixel step."""
    return [tuple(sorted((a, b))) for line in parse_path(d) for a, b in itertools.pairwise(line)
            if abs(a[0] - b[0]) + abs(a[1] - b[1]) > 2]


@pytest.mark.parametrize("code", ["kg", "tj", "kz", "ch", "ru"])
def test_each_border_is_drawn_once_and_fills_share_it(maps, code):
    root = ET.fromstring(maps.file(code, code))
    paths = {p.get("class"): p.get("d") for p in root.iter(f"{SVG}path")}
    assert paths["here"] and paths["land"] and paths["border"] and paths["coast"] is not None
    border = segments(paths["border"])
    assert border and len(border) == len(set(border)), "a border segment is drawn twice"
    assert not set(border) & set(segments(paths["coast"])), "a segment is both border and coast"


def test_the_country_and_its_neighbours_are_named(site, maps):
    labels = {t.text: t.get("class") for t in ET.fromstring(maps.file("kg", "t", "Kyrgyzstan")).iter(f"{SVG}text")}
    assert labels["Kyrgyzstan"] == "label name"
    # Neighbours are named where their names fit without covering another (Uzbekistan's Fergana corner may not)
    assert {"Kazakhstan", "Tajikistan", "China"} <= set(labels), labels
    assert site.build() == 0
    box = site.page("border-rush/index.html").select_one("#country-kz svg.locator")
    names = [t.get_text() for t in box.select("text.label")]
    assert names[0] == "Kazakhstan" and "Russia" in names and "China" in names
    # The highlighted country keeps the author's own name; the neighbours are in the site's language.
    site.write("site.yaml", (site.root / "site.yaml").read_text().replace("language: en", "") + "\nlanguage: ru\n")
    ru = LocatorMaps("ru")
    labels = [t.text for t in ET.fromstring(ru.file("kg", "t", "Киргизия")).iter(f"{SVG}text")]
    assert labels[0] == "Киргизия" and "Казахстан" in labels


def test_small_countries_get_a_world_inset(maps):
    for code in ("kg", "tj", "ch", "sg"):
        root = ET.fromstring(maps.file(code, code))
        inset = root.find(f"{SVG}g[@class='inset-map']")
        assert inset is not None, code
        assert inset.find(f"{SVG}path[@class='inset-land']").get("d") and inset.find(f"{SVG}rect[@class='here']") is not None
    for code in ("ru", "us", "br"):  # a large country places itself
        assert ET.fromstring(maps.file(code, code)).find(f"{SVG}g[@class='inset-map']") is None, code


def test_maps_take_the_pages_colours_from_classes(shared_build):
    site = shared_build()
    svg = site.page("countries/kg/index.html").select_one("svg.locator")
    assert not svg.select("[fill], [stroke], [style]")  # colours come from the page's CSS, light and dark
    css = "".join(p.read_text() for p in (site.out / "static").glob("*.css"))
    for name in (".locator .border", ".locator .coast", ".locator .label", ".locator .inset"):
        assert name in css.replace("\n", " ") or name.replace(" ", "") in css, name
