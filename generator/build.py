"""The build pipeline: load → validate → resolve → render → write.

Each stage reports content problems into one Report; the run stops before
writing if any error was found, so a bad edit never reaches the output.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateError

from .annotations import load_annotations
from .content import load_articles, load_site
from .dates import locale_for
from .errors import BuildError, Pos, Problem, Report
from .markup import new_markdown
from .models import Explainer, Site
from .render import Renderer, report_template_error
from .resolve import resolve

MARKER = ".explainer-build"  # marks a folder this tool wrote, and may replace


@dataclass
class Options:
    site: Path
    out: Path
    drafts: bool = False  # preview builds drafts; publishing never does
    strict: bool = False  # warnings count as errors


@dataclass
class Result:
    explainers: int
    files: int
    seconds: float
    warnings: list = field(default_factory=list)


def build(options: Options) -> Result:
    """Builds the site or raises BuildError with every problem found."""
    started = time.perf_counter()
    root = options.site.resolve()
    out = options.out.resolve()
    check_out_folder(root, out)
    report = Report()
    site, explainers = load_and_resolve(root, options.drafts, report)
    _stop_on_errors(report, options.strict)
    files = render(site, explainers, report)
    _stop_on_errors(report, options.strict)
    write(out, files)
    return Result(len(explainers), len(files), time.perf_counter() - started, report.warnings)


def load_and_resolve(root: Path, drafts: bool, report: Report) -> tuple[Site | None, list[Explainer]]:
    site = load_site(root, report)
    articles = [a for a in load_articles(root, report) if drafts or not a.draft]
    if site is None:
        return None, []
    locale, md = locale_for(site.language), new_markdown()
    explainers = []
    for article in articles:
        notes = load_annotations(article.folder, root, report)
        explainers.append(resolve(site, article, notes, locale, md, report))
    explainers.sort(key=lambda e: e.sort_key, reverse=True)  # newest first
    return site, explainers


def render(site: Site, explainers: list[Explainer], report: Report) -> dict[str, bytes | Path]:
    """Every output file: page text as bytes, copied files as their source path."""
    files: dict[str, bytes | Path] = {MARKER: b"Written by the explainer generator; replaced on every build.\n"}
    renderer = Renderer(site)
    try:
        files["index.html"] = renderer.index(explainers).encode()
        for explainer in explainers:
            files[f"{explainer.slug}/index.html"] = renderer.explainer(explainer).encode()
    except (TemplateError, TypeError, AttributeError) as exc:
        report_template_error(exc, renderer, report)
        return files
    for explainer in explainers:
        for rel in explainer.assets:
            files[f"{explainer.slug}/{rel.as_posix()}"] = explainer.folder / rel
    for source, name in renderer.static.values():
        files[f"static/{name}"] = source
    return files


def _stop_on_errors(report: Report, strict: bool) -> None:
    if report.errors or (strict and report.warnings):
        raise BuildError(report.sorted())


def check_out_folder(root: Path, out: Path) -> None:
    """Refuses an output folder whose replacement would destroy sources."""
    problem = None
    if out == root or out in root.parents:
        problem = "the output folder must not be the site folder or one of its parents"
    elif (out / "site.yaml").exists() or (out / "content").exists():
        problem = "the output folder holds site sources (site.yaml or content/); choose another"
    elif any(out == p or p in out.parents for p in (root / "content", root / "templates")):
        problem = "the output folder must not be inside content/ or templates/"
    elif out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        problem = f"{out.name}/ exists and was not written by this tool; refusing to replace it"
    if problem:
        raise BuildError([Problem("--out", Pos(), problem)])


def write(out: Path, files: dict[str, bytes | Path]) -> None:
    """Writes into a temporary folder beside `out`, then swaps it in whole."""
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for name, content in sorted(files.items()):
            target = temp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, target)
            else:
                target.write_bytes(content)
        _swap(temp, out)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _swap(new: Path, out: Path) -> None:
    if not out.exists():
        os.rename(new, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rename(out, old / "previous")
    os.rename(new, out)
    shutil.rmtree(old, ignore_errors=True)
