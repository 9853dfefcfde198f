"""`init DIR`: a new site folder that builds and checks clean at once; `--version`; the console script."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import REPO, Site, _env
from generator.cli.main import main
from generator.config import SITE

URL = "https://news.example.org/desk/"


def init(tmp_path, *args: str) -> Site:
    root = tmp_path / "newsroom"
    assert main(["init", str(root), "--url", URL, *args]) == 0
    return Site(root)


def test_init_writes_a_site_that_builds_and_checks_clean(tmp_path, capsys):
    site = init(tmp_path)
    out = capsys.readouterr().out
    assert f"cd {site.root}" in out and "serve" in out and "build" in out
    names = sorted(p.relative_to(site.root).as_posix() for p in site.root.rglob("*") if p.is_file())
    assert names == [".gitignore", ".schemas/countries.schema.json", ".schemas/front-matter.schema.json",
                     ".schemas/quotes.schema.json", ".schemas/site.schema.json", ".schemas/timeline.schema.json",
                     "content/first-explainer/article.md", "content/first-explainer/countries.yaml",
                     "content/first-explainer/quotes.yaml", "content/first-explainer/timeline.yaml", "site.yaml"]
    assert site.build("--strict") == 0, capsys.readouterr().err
    assert main(["check", "--site", str(site.root), "--strict"]) == 0, capsys.readouterr().err
    page = site.page("first-explainer/index.html")
    assert page.select_one('link[rel="canonical"]')["href"] == URL + "first-explainer/"
    assert len(page.select(".timeline > li")) == 2
    assert page.select_one("a.mention")["href"] == "#country-is" and page.select_one("#country-is") is not None
    cards = page.select(".prose figure.quote")
    sourced = ["Council statement" in card.get_text() for card in cards]  # in whatever order placement gives
    assert len(cards) == 2 and sorted(sourced) == [False, True]
    assert (site.out / "index.html").is_file() and (site.out / "feed.xml").is_file()


def test_site_yaml_lists_every_setting_with_its_default(tmp_path):
    site = init(tmp_path, "--title", "Desk explainers")
    text = (site.root / "site.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text) == {"title": "Desk explainers", "base_url": URL}
    uncommented = yaml.safe_load("\n".join(line.removeprefix("# ") for line in text.splitlines()
                                           if line.startswith(tuple(f"# {k}:" for k in SITE.fields))))
    assert uncommented == {key: spec.default for key, spec in SITE.fields.items() if key not in ("title", "base_url")}
    for spec in SITE.fields.values():  # each with its help
        assert f"# {spec.help[:1].upper()}{spec.help[1:]}" in text


def test_uncommented_settings_are_the_defaults_the_build_uses(tmp_path):
    """Uncommenting every setting in the site.yaml `init` wrote changes no byte of the output."""
    site = init(tmp_path)
    assert site.build() == 0
    before = {p.relative_to(site.out): p.read_bytes() for p in site.out.rglob("*") if p.is_file()}
    path = site.root / "site.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line[2:] if line.startswith(tuple(f"# {k}:" for k in SITE.fields)) else line
                              for line in lines) + "\n", encoding="utf-8")
    assert site.build() == 0
    assert {p.relative_to(site.out): p.read_bytes() for p in site.out.rglob("*") if p.is_file()} == before


def test_gitignore_names_what_builds_and_previews_leave(tmp_path):
    site = init(tmp_path)
    lines = (site.root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"build/", ".cache/", ".preview/", ".build.*"} <= set(lines)
    assert site.build() == 0
    listed = subprocess.run(["git", "init", "-q", str(site.root)], capture_output=True, check=False)
    if listed.returncode == 0:  # git sees only the sources once a build has run
        status = subprocess.run(["git", "-C", str(site.root), "status", "--porcelain", "-uall"],
                                capture_output=True, text=True, check=True).stdout
        assert "build/" not in status and ".cache/" not in status and "content/first-explainer/article.md" in status


def test_init_keeps_a_gitignore_already_there(tmp_path):
    root = tmp_path / "newsroom"
    root.mkdir()
    (root / ".gitignore").write_text("*.bak", encoding="utf-8")
    assert main(["init", str(root), "--url", URL]) == 0
    lines = (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "*.bak" and "build/" in lines and len(lines) == len(set(lines))


def test_github_pages_workflow_is_the_documented_one_installing_this_version(tmp_path):
    site = init(tmp_path, "--github-pages")
    written = (site.root / ".github/workflows/pages.yml").read_text(encoding="utf-8")
    documented = (REPO / "docs" / "github-pages.yml").read_text(encoding="utf-8")
    assert (REPO / "generator" / "github-pages.yml").read_text(encoding="utf-8") == documented, \
        "generator/github-pages.yml (shipped) must be a copy of docs/github-pages.yml"
    generator = yaml.safe_load(written)["env"]["GENERATOR"]
    assert generator.startswith("explainer-generator")
    assert written.replace(f'GENERATOR: "{generator}"', 'GENERATOR: "."') == documented
    assert not (init(tmp_path / "plain").root / ".github").exists()


@pytest.mark.parametrize("existing", ["site.yaml", "content/"])
def test_init_refuses_a_folder_that_holds_a_site(existing, tmp_path, capsys):
    root = tmp_path / "newsroom"
    root.mkdir()
    if existing.endswith("/"):
        (root / existing).mkdir()
    else:
        (root / existing).write_text("title: Ours\n", encoding="utf-8")
    assert main(["init", str(root), "--url", URL]) == 1
    err = capsys.readouterr().err
    shown = str(root / existing.rstrip("/"))
    assert err.startswith(f"{shown}:1:1: error: " if existing == "site.yaml" else f"{shown}: error: ")
    assert "already holds a site" in err
    assert sorted(p.name for p in root.iterdir()) == [existing.rstrip("/")]  # nothing written


def test_init_refuses_a_file(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_text("x", encoding="utf-8")
    assert main(["init", str(path), "--url", URL]) == 1
    assert capsys.readouterr().err.startswith(f"{path}: error: ")


def test_init_asks_for_the_public_url_on_a_terminal(tmp_path, monkeypatch, capsys):
    answers = iter(["news.example.org", "https://news.example.org/x/"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert main(["init", str(tmp_path / "a")]) == 0
    assert yaml.safe_load((tmp_path / "a/site.yaml").read_text(encoding="utf-8"))["base_url"] == "https://news.example.org/x/"
    assert "news.example.org" in capsys.readouterr().err  # the first answer was refused, and said why
    monkeypatch.setattr("builtins.input", lambda prompt: "")
    assert main(["init", str(tmp_path / "b")]) == 0
    assert yaml.safe_load((tmp_path / "b/site.yaml").read_text(encoding="utf-8"))["base_url"] == "/"
    assert "set it in site.yaml" in capsys.readouterr().out


def test_init_without_a_terminal_keeps_the_default_url(tmp_path, capsys):
    done = subprocess.run([sys.executable, "-m", "generator", "init", "site"], cwd=tmp_path, env=_env(),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert yaml.safe_load((tmp_path / "site/site.yaml").read_text(encoding="utf-8"))["base_url"] == "/"
    assert "python -m generator serve" in done.stdout


def test_version_is_the_distribution_s():
    from generator import version

    done = subprocess.run([sys.executable, "-m", "generator", "--version"], env=_env(), capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stdout == f"python -m generator {version()}\n"


def test_console_script_runs_the_same_command_line():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"] == {"explainer": "generator:run"}
    assert project["name"] == "explainer-generator"
    from generator import DISTRIBUTION
    assert DISTRIBUTION == project["name"]


def _tree(top: Path) -> dict[str, str]:
    """Every path under `top` (links not followed) and what it holds."""
    found = {}
    for path in sorted(top.rglob("*")):
        rel = path.relative_to(top).as_posix()
        found[rel] = ("link " + os.readlink(path) if path.is_symlink() else
                      "folder" if path.is_dir() else path.read_text(encoding="utf-8", errors="replace"))
    return found


@pytest.mark.parametrize("planted", [".gitignore", ".schemas", ".github", ".github/workflows"])
def test_init_writes_nothing_through_a_link_and_nothing_at_all_when_refused(planted, tmp_path, capsys):
    root, outside = tmp_path / "newsroom", tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "mine.txt").write_text("mine\n", encoding="utf-8")
    (root / planted).parent.mkdir(parents=True, exist_ok=True)
    target = outside / "mine.txt" if planted == ".gitignore" else outside
    (root / planted).symlink_to(target)
    before, outside_before = _tree(root), _tree(outside)
    assert main(["init", str(root), "--url", URL, "--github-pages"]) == 1
    err = capsys.readouterr().err
    assert f"{root / planted}: error: a link" in err and "Traceback" not in err
    assert _tree(root) == before and _tree(outside) == outside_before


@pytest.mark.parametrize("planted, kind", [(".schemas", "file"), (".gitignore", "folder"),
                                           (".schemas/site.schema.json", "file")])
def test_init_replaces_no_file_of_the_users_and_leaves_no_half_made_site(planted, kind, tmp_path, capsys):
    root = tmp_path / "newsroom"
    (root / planted).parent.mkdir(parents=True, exist_ok=True)
    if kind == "folder":
        (root / planted).mkdir()
    else:
        (root / planted).write_text("mine\n", encoding="utf-8")
    before = _tree(root)
    assert main(["init", str(root), "--url", URL]) == 1
    assert capsys.readouterr().err.startswith(f"{root / planted}: error: ")
    assert _tree(root) == before  # nothing written: the same init works once the path is cleared


def test_init_refuses_a_link_as_the_folder(tmp_path, capsys):
    (tmp_path / "newsroom").symlink_to(tmp_path / "not-yet")
    assert main(["init", str(tmp_path / "newsroom"), "--url", URL]) == 1
    assert capsys.readouterr().err.startswith(f"{tmp_path / 'newsroom'}: error: this is a link")
    assert not (tmp_path / "not-yet").exists()
