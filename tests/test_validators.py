"""The Nu Html Checker (vnu) finds no error in any built page or stylesheet.

Both the example site and the valid fixture site are built, and every file is
checked in one Java run (starting the JVM is most of the cost). A deliberately
broken control page goes into the same run, so a checker that silently checks
nothing cannot pass the test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser import require, require_tool
from conftest import SITES, copy_example, copy_site

CONTROL = "<!doctype html><html lang=en><title>x</title><span><div>block in inline</div></span></html>\n"


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> dict:
    """Builds both sites, runs vnu once over every page and stylesheet; messages by file."""
    jar = require_tool("vnu-jar/build/dist/vnu.jar")
    require(shutil.which("java") is not None, "java is not installed (default-jre-headless)")
    root = tmp_path_factory.mktemp("vnu")
    outs = {"example": _build(copy_example(root / "example")), "valid": _build(copy_site(SITES / "valid", root / "valid"))}
    control = root / "control.html"
    control.write_text(CONTROL, encoding="utf-8")
    pages = {name: sorted(out.rglob("*.html")) for name, out in outs.items()}
    sheets = sorted(p for out in outs.values() for p in out.rglob("*.css"))
    files = [control, *(p for found in pages.values() for p in found), *sheets]
    run = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--also-check-css", "--format", "json",
                          "--stdout", *map(str, files)], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode in (0, 1) and run.stdout, f"vnu failed ({run.returncode}): {run.stderr[-2000:]}"
    report = json.loads(run.stdout)
    by_file: dict[Path, list[str]] = {p.resolve(): [] for p in files}
    for m in report["messages"]:
        path = Path(unquote(urlsplit(m.get("url", "")).path)).resolve()
        by_file.setdefault(path, []).append(_describe(m))
    return {"outs": outs, "pages": pages, "sheets": sheets, "control": control.resolve(), "by_file": by_file}


def _build(site) -> Path:
    assert site.build() == 0
    return site.out


def _describe(m: dict) -> str:
    return f"{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: {m['type']}: {m['message']} [{m.get('extract', '').strip()}]"


def test_checker_reports_the_broken_control_page(checked):
    assert checked["by_file"][checked["control"]], "vnu found nothing in a page with a div inside a span"
    stray = [p for p in checked["by_file"] if p not in {f.resolve() for f in _all(checked)} | {checked["control"]}]
    assert not stray, f"vnu reported files it was not given: {stray}"


def _all(checked: dict) -> list[Path]:
    return [p for found in checked["pages"].values() for p in found] + checked["sheets"]


@pytest.mark.parametrize("name", ["example", "valid"])
def test_every_built_page_is_valid_html(checked, name):
    out, pages = checked["outs"][name], checked["pages"][name]
    rel = {p.relative_to(out).as_posix() for p in pages}
    assert {"index.html", "404.html"} <= rel and len(rel) >= 3, sorted(rel)
    errors = {p.relative_to(out).as_posix(): checked["by_file"][p.resolve()] for p in pages
              if checked["by_file"][p.resolve()]}
    assert not errors, "vnu errors:\n" + "\n".join(f"{page}:{msg}" for page, msgs in errors.items() for msg in msgs)


def test_stylesheets_are_valid_css(checked):
    assert checked["sheets"], "no stylesheet was built"
    errors = {p.name: checked["by_file"][p.resolve()] for p in checked["sheets"] if checked["by_file"][p.resolve()]}
    assert not errors, "vnu CSS errors:\n" + "\n".join(f"{name}:{msg}" for name, msgs in errors.items() for msg in msgs)


@pytest.mark.parametrize("name", ["example", "valid"])
def test_every_embed_page_was_checked_and_is_valid(checked, name):
    out = checked["outs"][name]
    embeds = [p for p in checked["pages"][name] if p.relative_to(out).parts[1:2] == ("embed",)]
    assert len(embeds) >= 8, "the build made too few embed pages to check"
    errors = {p.relative_to(out).as_posix(): checked["by_file"][p.resolve()] for p in embeds
              if checked["by_file"][p.resolve()]}
    assert not errors, "vnu errors:\n" + "\n".join(f"{page}:{msg}" for page, msgs in errors.items() for msg in msgs)
