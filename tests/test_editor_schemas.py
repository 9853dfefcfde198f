"""The JSON Schemas editors read (generator/editors.py) agree with the validator: files it accepts
validate, files it rejects do not, and the files `init` and `new` write point at them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import HERE, REPO, SITES, Site
from generator.authoring.editors import FOLDER, document_schema, documents
from generator.cli.main import main

URL = "https://news.example.org/"
SCHEMA_LINE = re.compile(r"# yaml-language-server: \$schema=(\S+)\n")


class EditorLoader(yaml.SafeLoader):
    """YAML as editors read it (1.2): an unquoted 2022-03-03 stays text."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}

SCHEMAS = {document.name: document_schema(document) for document in documents()}
FOR_FILE = {"site.yaml": "site.schema.json", "article.md": "front-matter.schema.json",
            "timeline.yaml": "timeline.schema.json", "countries.yaml": "countries.schema.json",
            "quotes.yaml": "quotes.schema.json"}


def data_of(path: Path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        text = text.split("---\n")[1]
    return yaml.load(text, Loader=EditorLoader)


def errors(path: Path) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMAS[FOR_FILE[path.name]])
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data_of(path))]


def site_files(root: Path) -> list[Path]:
    found = [root / "site.yaml"] + sorted(p for p in (root / "content").glob("*/*") if p.name in FOR_FILE)
    assert len(found) > 1
    return found


def new_site(tmp_path: Path) -> Site:
    root = tmp_path / "newsroom"
    assert main(["init", str(root), "--url", URL]) == 0
    assert main(["new", "second-story", "--site", str(root)]) == 0
    return Site(root)


def test_schemas_are_valid_draft_7_schemas():
    assert len(SCHEMAS) == 5
    for schema in SCHEMAS.values():
        jsonschema.Draft7Validator.check_schema(schema)


def test_init_writes_the_schemas_and_every_file_names_its_own(tmp_path):
    site = new_site(tmp_path)
    for name, schema in SCHEMAS.items():
        assert json.loads((site.root / FOLDER / name).read_text(encoding="utf-8")) == schema
    for path in site_files(site.root):
        text = path.read_text(encoding="utf-8")
        first = SCHEMA_LINE.match(text.removeprefix("---\n"))
        assert first, path
        assert (path.parent / first[1]).resolve() == (site.root / FOLDER / FOR_FILE[path.name]).resolve()


@pytest.mark.parametrize("where", ["init", "example", "fixture"])
def test_files_the_validator_accepts_validate(where, tmp_path):
    root = {"init": lambda: new_site(tmp_path).root, "example": lambda: REPO, "fixture": lambda: SITES / "valid"}[where]()
    for path in site_files(root):
        assert errors(path) == [], path


def test_values_editors_read_as_numbers_are_texts_to_both(tmp_path, capsys):
    site = new_site(tmp_path)
    site.write("content/first-explainer/countries.yaml", "- code: is\n  name: Iceland\n  facts:\n"
               "    - label: Residents\n      value: 4200\n      as_of: 2024\n")
    site.write("site.yaml", "title: 2024\nbase_url: https://news.example.org/\nstale_after_days: 30\nsearch: false\n")
    assert main(["check", "--site", str(site.root)]) == 0, capsys.readouterr().err
    for path in site_files(site.root):
        assert errors(path) == [], path


BAD = {
    "unknown key": ("content/first-explainer/timeline.yaml", '- date: "2024-03-03"\n  titel: Vote\n'),
    "bad date": ("content/first-explainer/timeline.yaml", '- date: "sometime in 2024"\n  title: Vote\n'),
    "bad country": ("content/first-explainer/countries.yaml", "- code: XX\n  name: Nowhere\n"),
    "quote without text": ("content/first-explainer/quotes.yaml", "- speaker: Ann Example\n"),
    "empty title": ("site.yaml", 'title: ""\n'),
    "days out of range": ("site.yaml", "title: Desk\nstale_after_days: 0\n"),
    "not a boolean": ("site.yaml", "title: Desk\nsearch: sometimes\n"),
    "bad slug": ("content/first-explainer/article.md", '---\ntitle: T\ndate: "2024-03-03"\nslug: Not A Slug\n---\nText.\n'),
    "month only": ("content/first-explainer/article.md", '---\ntitle: T\ndate: "2024-03"\n---\nText.\n'),
    "image without alt": ("content/first-explainer/article.md", '---\ntitle: T\ndate: "2024-03-03"\nimage:\n  src: a.png\n---\nText.\n'),
}


@pytest.mark.parametrize("case", BAD)
def test_files_the_validator_rejects_do_not_validate(case, tmp_path, capsys):
    rel, text = BAD[case]
    site = new_site(tmp_path)
    path = site.write(rel, text)
    assert main(["check", "--site", str(site.root)]) == 1
    assert any(line.startswith(rel + ":") for line in capsys.readouterr().err.splitlines())
    assert errors(path) != []


def test_imported_files_name_their_schemas_and_their_examples_validate(tmp_path, capsys):
    site = new_site(tmp_path)
    shutil.rmtree(site.root / FOLDER)
    assert main(["import", str(HERE / "wire" / "article.txt"), "--slug", "wire-story", "--site", str(site.root)]) == 0
    folder = site.root / "content" / "wire-story"
    for name in ("timeline.yaml", "countries.yaml", "quotes.yaml"):
        path = folder / name
        lines = path.read_text(encoding="utf-8").split("\n")
        assert lines[0] == f"# yaml-language-server: $schema=../../{FOLDER}/{FOR_FILE[name]}"
        start = next(n for n, line in enumerate(lines) if line.startswith("# - "))
        path.write_text("\n".join(lines[:start] + [line[2:] for line in lines[start:]]), encoding="utf-8")
        assert errors(path) == [], path
    assert (site.root / FOLDER / "timeline.schema.json").is_file()
    assert main(["build", "--site", str(site.root), "--out", str(site.out)]) == 0, capsys.readouterr().err
