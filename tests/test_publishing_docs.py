"""The recipes in docs/publishing.md and docs/github-pages.yml fit what the build writes.

The commands are taken from the documents themselves and run (the build) or
applied to the built file names (cache rules), so the documents cannot drift
away from the generator unnoticed.
"""

from __future__ import annotations

import fnmatch
import itertools
import os
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import REPO, copy_example
from generator.build.pipeline import Options, build
from generator.build.sealed import cache_key
from generator.cli.main import main

DOC = (REPO / "docs" / "publishing.md").read_text(encoding="utf-8")
WORKFLOW = REPO / "docs" / "github-pages.yml"


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", DOC, re.DOTALL)


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


def workflow_steps() -> list[dict]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]


def step(steps: list[dict], word: str) -> dict:
    return next(s for s in steps if word in s.get("uses", "") or word in s.get("run", ""))


def test_workflow_keeps_the_build_cache_keyed_by_the_generator_s_version(tmp_path):
    steps = workflow_steps()
    cache = step(steps, "actions/cache@")
    named = next(s for s in steps if s.get("id") == "generator")
    building = step(steps, "generator build")
    assert steps.index(named) < steps.index(cache) < steps.index(step(steps, "pip install")) < steps.index(building)
    paths = cache["with"]["path"].splitlines()
    xdg = building["env"]["XDG_CACHE_HOME"]
    assert building["env"]["EXPLAINER_CACHE_KEY"] == "${{ secrets.EXPLAINER_CACHE_KEY }}"  # empty without one
    assert {".cache", "build", "${{ runner.temp }}/venv", f"{xdg}/explainer-generator"} == set(paths)
    key = cache["with"]["key"]
    for part in ("${{ runner.os }}", "${{ steps.python.outputs.python-version }}",
                 "${{ steps.generator.outputs.version }}", "${{ github.run_id }}"):
        assert part in key
    restore = cache["with"]["restore-keys"].splitlines()
    assert restore == [key.removesuffix("${{ github.run_id }}")]  # the same generator version only
    # The version step, run as the workflow runs it, names pyproject.toml's version.
    output = tmp_path / "output"
    subprocess.run(["bash", "-c", named["run"]], cwd=REPO, check=True,
                   env={**os.environ, "GENERATOR": ".", "GITHUB_OUTPUT": str(output)})
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert re.fullmatch(rf"version={re.escape(version)}-[0-9a-f]{{12}}\n", output.read_text())
    subprocess.run(["bash", "-c", named["run"]], cwd=REPO, check=True,
                   env={**os.environ, "GENERATOR": "explainer-generator @ git+https://example.org/g@v2",
                        "GITHUB_OUTPUT": str(output)})
    assert re.fullmatch(r"version=[0-9a-f]{12}\n", output.read_text().splitlines(keepends=True)[-1])


@pytest.fixture
def own_key(monkeypatch):
    """The builds of this test read their cache key anew, and later tests read theirs anew."""
    cache_key.cache_clear()
    yield
    monkeypatch.undo()
    cache_key.cache_clear()


def test_what_the_workflow_keeps_is_enough_for_a_deploy_to_render_nothing_new(tmp_path, monkeypatch, own_key):
    """A deploy in a fresh checkout and a fresh home (same places, new file times), with what
    the cache step keeps: the site's folders and the generator's key."""
    steps = workflow_steps()
    cache, building = step(steps, "actions/cache@"), step(steps, "generator build")
    temp = tmp_path / "runner-temp"
    kept = [p.replace("${{ runner.temp }}", str(temp)) for p in cache["with"]["path"].splitlines()]
    monkeypatch.delenv("EXPLAINER_CACHE_KEY", raising=False)  # no repository secret
    monkeypatch.setenv("XDG_CACHE_HOME", building["env"]["XDG_CACHE_HOME"].replace("${{ runner.temp }}", str(temp)))
    site = copy_example(tmp_path / "checkout")
    assert build(Options(site=site.root, out=site.root / "build")).rendered == 1
    assert any((temp / "xdg").rglob("cache-key"))
    # actions/cache packs with GNU tar's POSIX format, which keeps file times to the nanosecond;
    # a path that is not there (no environment here) it leaves out.
    kept = [path for path in kept if (site.root / path).exists()]
    subprocess.run(["tar", "--posix", "-cPf", str(tmp_path / "cache.tar"), "-C", str(site.root), *kept], check=True)
    shutil.rmtree(site.root)
    shutil.rmtree(temp)
    cache_key.cache_clear()  # a new run: the key is read again
    site = copy_example(tmp_path / "checkout")
    subprocess.run(["tar", "-xPf", str(tmp_path / "cache.tar"), "-C", str(site.root)], check=True)
    result = build(Options(site=site.root, out=site.root / "build"))
    assert result.rendered == 0 and result.changed == []


def test_netlify_builds_into_its_publish_folder_and_caches_hashed_assets(example):
    config = tomllib.loads(next(b for b in blocks("toml")))
    command = config["build"]["command"].split("&&")[-1]
    kept = next(p for p in config["plugins"] if p["package"] == "netlify-plugin-cache")["inputs"]["paths"]
    assert {".cache", config["build"]["publish"], ".venv"} == set(kept)
    assert command.split()[0] == ".venv/bin/python"  # the environment kept
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
    for flag, pattern in itertools.pairwise(words):
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
