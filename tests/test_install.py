"""The generator as a newsroom gets it: the sdist and the wheel built from this repository, the
wheel installed into a new virtualenv, and `explainer` run there in a folder far from the checkout."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO

pytestmark = pytest.mark.slow
URL = "https://news.example.org/desk/"
# What a build of the distributions needs from the checkout; a clean clone has no more.
SOURCES = ("pyproject.toml", "README.md", "generator", "templates")


def run(*command, cwd: Path, env: dict, timeout: float = 600) -> str:
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done.stdout


def clean_env(venv: Path | None = None) -> dict:
    """No PYTHONPATH, and the virtualenv (if any) first on PATH, as after `source venv/bin/activate`."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    if venv is not None:
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(venv)
    return env


def theme_files() -> set[str]:
    return {p.relative_to(REPO / "templates").as_posix() for p in (REPO / "templates").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The sdist, and the wheel built from it (python -m build), from a copy of the sources."""
    pytest.importorskip("build", reason="the `build` package of the test extra: pip install -e '.[test]'")
    work = tmp_path_factory.mktemp("dist")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(REPO / name, source / name)
    run(sys.executable, "-m", "build", "--outdir", work / "out", source, cwd=work, env=clean_env())
    return work / "out"


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> Path:
    """A new virtualenv (no system site-packages) with the wheel and its dependencies installed,
    in the versions the tests run with (constraints.txt)."""
    folder = tmp_path_factory.mktemp("venv") / "venv"
    run(sys.executable, "-m", "venv", folder, cwd=folder.parent, env=clean_env())
    wheel, = dist.glob("*.whl")
    run(folder / "bin" / "python", "-m", "pip", "install", "--quiet", "-c", REPO / "constraints.txt", wheel,
        cwd=folder.parent, env=clean_env(folder))
    return folder


def version() -> str:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_distributions_carry_the_theme(dist):
    wheel, = dist.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {n.removeprefix("generator/theme/") for n in names if n.startswith("generator/theme/")} == theme_files()
    assert "generator/github-pages.yml" in names
    assert code_files() <= names  # every module of every sub-package: pyproject.toml lists them one by one
    assert {"generator/preview/client.js", "generator/preview/client.css", "generator/preview/server.py"} <= names
    assert not any(n.startswith(("tests/", "templates/", "content/", "docs/")) for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "explainer = generator:run" in zipfile.ZipFile(wheel).read(entry_points).decode()
    sdist, = dist.glob("*.tar.gz")
    top = f"explainer_generator-{version()}/"
    with tarfile.open(sdist) as tar:
        listed = {n.removeprefix(top) for n in tar.getnames()}
    assert {f"templates/{n}" for n in theme_files()} <= listed
    assert {"pyproject.toml", "README.md", "generator/github-pages.yml"} | code_files() <= listed


def code_files() -> set[str]:
    """The generator's modules in this checkout, as paths inside a distribution."""
    return {p.relative_to(REPO).as_posix() for p in (REPO / "generator").rglob("*.py")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_installed_wheel_starts_builds_checks_and_serves_a_site(venv, tmp_path):
    env = clean_env(venv)
    work = tmp_path / "elsewhere"
    work.mkdir()
    explainer = venv / "bin" / "explainer"
    assert run(explainer, "--version", cwd=work, env=env) == f"explainer {version()}\n"
    where = run(venv / "bin" / "python", "-c", "import generator, generator.render.environment as r; print(generator.__file__); "
                "print(r.THEME)", cwd=work, env=env).splitlines()
    assert all(Path(p).is_relative_to(venv) for p in where), where  # not the checkout's
    said = run(explainer, "init", "newsroom", "--url", URL, cwd=work, env=env)
    assert "explainer serve" in said and "explainer build" in said
    site = work / "newsroom"
    assert (site / "site.yaml").is_file() and (site / ".gitignore").is_file()
    assert "built 1 explainer(s)" in run(explainer, "build", cwd=site, env=env)
    assert run(explainer, "check", "--strict", cwd=site, env=env) == "0 error(s), 0 warning(s)\n"
    # A trimmed quote gets the closest passage, which the wheel's dependencies (rapidfuzz, cydifflib) find.
    quotes = site / "content" / "first-explainer" / "quotes.yaml"
    written = quotes.read_text(encoding="utf-8")
    quotes.write_text(written.replace("here, word for word, as", "here … as"), encoding="utf-8")
    checked = subprocess.run([str(explainer), "check"], cwd=site, env=env, capture_output=True, text=True,
                             timeout=600, check=False)
    assert checked.returncode == 0 and checked.stdout == "0 error(s), 1 warning(s)\n", checked
    assert 'closest passage: "the key quotation here, word for word, as the article prints"' in checked.stderr
    quotes.write_text(written, encoding="utf-8")
    built = site / "build"
    for name in ("index.html", "first-explainer/index.html", "feed.xml", "sitemap.xml", "robots.txt", "404.html"):
        assert (built / name).is_file(), name
    assert {p.name.split(".")[0] for p in (built / "static").iterdir()} >= {"style", "explainer"}
    page = BeautifulSoup((built / "first-explainer/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one('link[rel="canonical"]')["href"] == URL + "first-explainer/"
    assert len(page.select(".timeline > li")) == 2 and len(page.select(".prose figure.quote")) == 2
    # the maps package and its data ship in the wheel: the fact box and the country page have their map
    assert page.select_one("#country-is svg.locator path.here")["d"]
    assert (built / "countries/is/map.svg").stat().st_size > 1000
    for link in page.select('link[rel="stylesheet"][href]'):
        assert (built / "first-explainer" / link["href"]).resolve().is_file(), link["href"]

    port = free_port()
    served = subprocess.Popen([explainer, "serve", "--port", str(port)], cwd=site, env=env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        html = fetch(f"http://127.0.0.1:{port}/first-explainer/", time.monotonic() + 60)
        client = fetch(f"http://127.0.0.1:{port}/__preview__/client.js", time.monotonic() + 10)
    finally:
        served.send_signal(signal.SIGINT)
        try:
            served.wait(timeout=20)
        finally:
            if served.poll() is None:
                served.kill()
    page = BeautifulSoup(html, "html.parser")
    assert page.select_one("h1").get_text(strip=True) == "Headline of the explainer"
    assert len(page.select(".prose figure.quote")) == 2
    assert client == (REPO / "generator/preview/client.js").read_text(encoding="utf-8")  # shipped in the wheel


def test_installed_wheel_writes_the_themes_words_from_its_own_catalogues(venv, tmp_path):
    """The .po files ship in the wheel and are compiled in memory: no compile step, no checkout."""
    env = clean_env(venv)
    explainer = venv / "bin" / "explainer"
    run(explainer, "init", "desk", "--url", URL, cwd=tmp_path, env=env)
    site = tmp_path / "desk"
    with open(site / "site.yaml", "a", encoding="utf-8") as f:
        f.write("\nlanguage: ru\n")
    run(explainer, "build", cwd=site, env=env)
    page = BeautifulSoup((site / "build/first-explainer/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.html["lang"] == "ru" and page.find("h2", id="timeline-heading").get_text() == "Хронология"
    done = subprocess.run([explainer, "check"], cwd=site, env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0 and "not translated" not in done.stderr, done.stderr
