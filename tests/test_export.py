"""annotations.json: valid against the documented schema, and the same content as the page."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import REPO

SCHEMA = json.loads((REPO / "docs" / "annotations.schema.json").read_text(encoding="utf-8"))


def load(site, rel):
    return json.loads((site.out / rel).read_text(encoding="utf-8"))


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_explainer_and_site_files_validate(shared_build):
    site = shared_build("valid", "--base-url", "https://news.example/")
    for rel in ("border-rush/annotations.json", "no-notes/annotations.json", "annotations.json"):
        jsonschema.validate(load(site, rel), SCHEMA, cls=jsonschema.Draft202012Validator)
    assert not (site.out / "secret" / "annotations.json").exists()


def test_schema_rejects_a_broken_document(shared_build):
    site = shared_build()
    data = load(site, "border-rush/annotations.json")
    del data["explainer"]["timeline"][0]["permalink"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)


def test_content_matches_the_page(shared_build):
    site = shared_build("valid", "--base-url", "https://news.example/")
    data = load(site, "border-rush/annotations.json")["explainer"]
    page = site.page("border-rush/index.html")
    assert data["title"] == 'Rush at the border & <other> "tales"'
    # Timeline: same ids in the same order as the page, permalinks resolve to page ids.
    assert [e["id"] for e in data["timeline"]] == [li["id"] for li in page.select("ol.timeline > li")]
    assert [e["date"] for e in data["timeline"]] == ["2022", "2022-09", "2022-09-21", "2022-09-21"]
    first = next(e for e in data["timeline"] if e["date"] == "2022-09-21")
    assert first["title"] == 'Mobilization <announced> & "feared"'
    assert first["body_text"] == "The decree was vague." and "<strong>decree</strong>" in first["body_html"]
    assert first["passage"].startswith("https://news.example/border-rush/#")
    assert page.find(id=first["passage"].split("#")[1]) is not None
    for item in data["timeline"] + data["countries"] + data["quotes"]:
        url, _, fragment = item["permalink"].partition("#")
        assert url == "https://news.example/border-rush/" and page.find(id=fragment) is not None
    for item in data["timeline"] + data["quotes"]:
        assert item["share_page"] == f"https://news.example/border-rush/q/{item['id']}/"
        assert item["share_image"] == item["share_page"] + "share.png"
        local = site.out / "border-rush" / "q" / item["id"]
        assert (local / "index.html").is_file() and (local / "share.png").is_file()
    kz = next(c for c in data["countries"] if c["code"] == "KZ")
    assert kz["country_page"] == "https://news.example/countries/kz/"
    assert kz["facts"] == [{"label": "Arrivals <week>", "value": "doubled & more"}]
    assert kz["summary_text"] == "A neighbour."
    assert [q["speaker"] for q in data["quotes"]] == ['Ann <Smith> & "Co"', "Иван Петров"]
    assert data["quotes"][1]["passage"] is None
    assert data["source"] == {"name": "Wire & Co", "url": "https://example.org/a?b=1&c=2"}


def test_site_file_lists_every_published_explainer_newest_first(shared_build):
    site = shared_build()
    data = load(site, "annotations.json")
    assert [e["slug"] for e in data["explainers"]] == ["border-rush", "no-notes"]
    assert data["explainers"][0] == load(site, "border-rush/annotations.json")["explainer"]
    assert data["explainers"][1]["timeline"] == [] and data["site"]["title"] == 'Desk & <Co> "Explainers"'
