"""The recipes in docs/publishing.md and docs/github-pages.yml fit what the build writes.

The commands are taken from the documents themselves and run (the build) or
applied to the built file names (cache rules), so the documents cannot drift
away from the generator unnoticed.
"""

from __future__ import annotations

import fnmatch
import re
import shlex
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from generator.cli import main

DOC = (REPO / "docs" / "publishing.md").read_text(encoding="utf-8")
WORKFLOW = REPO / "docs" / "github-pages.yml"


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", DOC, re.S)


def build_args(command: str, **env: str) -> list[str]:
    """The arguments after `-m generator` of a shell command, with variables filled in."""
    for name, value in env.items():
        command = command.replace(name, value)
    words = shlex.split(command)
    return words[words.index("generator") + 1:]


def files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != ".explainer-build")


@pytest.fixture
def built(example):
    assert example.build("--base-url", "https://news.example.org/explainers/") == 0
    return files(example.out)


def test_workflow_builds_for_the_pages_address_and_deploys_the_build(example):
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = flow["jobs"]["build"]["steps"]
    run = next(s["run"] for s in steps if "generator build" in s.get("run", ""))
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert any(s.get("id") == "pages" and s["uses"].startswith("actions/configure-pages@") for s in steps)
    assert flow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    args = build_args(run, **{"${{ steps.pages.outputs.base_url }}": "https://owner.github.io/repo"})
    assert args[args.index("--out") + 1] == upload["with"]["path"]
    args[args.index("--site") + 1] = str(example.root)  # the checkout
    args[args.index("--out") + 1] = str(example.root / upload["with"]["path"])
    assert main(args) == 0
    page = example.root / upload["with"]["path"] / "central-asia-recruits" / "index.html"
    assert '<link rel="canonical" href="https://owner.github.io/repo/central-asia-recruits/">' in page.read_text()


def test_netlify_builds_into_its_publish_folder_and_caches_hashed_assets(example):
    config = tomllib.loads(next(b for b in blocks("toml")))
    command = config["build"]["command"].split("&&")[-1]
    args = build_args(command, **{'"$URL"': "https://explainers.netlify.app"})
    assert args[args.index("--out") + 1] == config["build"]["publish"]
    args[args.index("--out") + 1] = str(example.root / config["build"]["publish"])
    assert main([*args[:1], "--site", str(example.root), *args[1:]]) == 0
    built = files(example.root / config["build"]["publish"])
    immutable = [h["for"].lstrip("/") for h in config["headers"] if "immutable" in h["values"]["Cache-Control"]]
    hashed = [f for f in built if re.fullmatch(r"static/.+\.[0-9a-f]{10}\.(css|js)", f)]
    assert len(hashed) >= 2
    assert sorted(f for f in built if any(fnmatch.fnmatch(f, p) for p in immutable)) == hashed


def aws_selects(command: str, path: str) -> bool:
    """Whether `aws s3 sync` with this command's filters takes the file (the last matching filter wins)."""
    words = shlex.split(command)
    chosen = True
    for flag, pattern in zip(words, words[1:]):
        if flag in ("--exclude", "--include") and fnmatch.fnmatchcase(path, pattern):
            chosen = flag == "--include"
    return chosen


def test_s3_passes_give_every_file_exactly_one_cache_rule(built):
    script = next(b for b in blocks("sh") if "aws s3 sync" in b).replace("\\\n", " ")
    passes = [line for line in script.splitlines() if line.startswith("aws s3 sync") and "--cache-control" in line]
    assert len(passes) == 3
    for path in built:
        rules = [re.search(r'--cache-control "([^"]+)"', p).group(1) for p in passes if aws_selects(p, path)]
        assert len(rules) == 1, f"{path}: {rules}"
        if re.fullmatch(r"static/.+\.[0-9a-f]{10}\.(css|js)", path):
            assert "immutable" in rules[0], path
        elif path.endswith((".html", ".xml")) or path == "robots.txt":
            assert rules[0] == "no-cache", path
        else:
            assert "max-age=86400" in rules[0], path
    assert not any(aws_selects(p, ".explainer-build") for p in passes)


def test_nginx_rules_match_the_built_names(built):
    nginx = next(b for b in blocks("nginx"))
    hashed_rule, image_rule = re.findall(r'location ~ "([^"]+)"', nginx)
    for path in built:
        url = "/explainers/" + path
        if path.startswith("static/") and path.endswith((".css", ".js")):
            assert re.search(hashed_rule, url), url
        else:
            assert not re.search(hashed_rule, url), url
        if path.endswith(".svg"):
            assert re.search(image_rule, url), url
