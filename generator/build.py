"""The build pipeline: load → validate → resolve → render → write.

Each stage reports content problems into one Report; the run stops before
writing if any error was found, so a bad edit never reaches the output.
A Builder remembers each explainer's rendered page under a fingerprint of
its input files and the templates, so a rebuild only redoes what changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from jinja2 import TemplateError

from .annotations import load_annotations
from .content import check_unique_slugs, explainer_folders, load_article, load_site, with_slash
from .dates import locale_for
from .errors import BuildError, Pos, Problem, Report
from .markup import new_markdown
from .models import Article, Explainer, Site
from .render import Renderer, report_template_error, template_folders
from .resolve import resolve

MARKER = ".explainer-build"  # marks a folder this tool wrote, and may replace
TEMPLATE_ERRORS = (TemplateError, TypeError, AttributeError, ValueError)


@dataclass
class Options:
    site: Path
    out: Path
    drafts: bool = False  # preview builds drafts; publishing never does
    strict: bool = False  # warnings count as errors
    hashed_assets: bool = True  # content hashes in CSS/JS names; the preview turns them off
    base_url: str | None = None  # overrides site.yaml's base_url


@dataclass
class Result:
    explainers: int
    files: int
    seconds: float
    rendered: int = 0  # explainers rendered anew (the others came from the cache)
    warnings: list[Problem] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # output files whose bytes changed


@dataclass
class Done:
    """One explainer's outcome, kept while its inputs stay the same."""

    fingerprint: str
    article: Article
    explainer: Explainer | None  # None for a draft left out of this build
    page: bytes
    warnings: list[Problem]


class Builder:
    """Builds a site again and again, redoing only explainers whose inputs changed."""

    def __init__(self, options: Options):
        self.options = options
        self.root = options.site.resolve()
        self.out = options.out.resolve()
        self.done: dict[Path, Done] = {}
        self.written: dict[str, str] = {}  # output name -> digest of what was written
        self.renderer: tuple[tuple, Renderer] | None = None  # (what it was made from, renderer)

    def build(self) -> Result:
        """Builds the site or raises BuildError with every problem found."""
        started = time.perf_counter()
        check_out_folder(self.root, self.out)
        report = Report()
        site = load_site(self.root, report)
        if site is None:
            raise BuildError(report.sorted())
        if self.options.base_url is not None:
            site = replace(site, base_url=with_slash(self.options.base_url))
        renderer, theme = self._renderer(site)
        done, rendered = self._explainers(site, renderer, theme, report)
        self._stop_on_errors(report)
        files = self._files(renderer, done, report)
        self._stop_on_errors(report)
        digests = {name: _digest(content) for name, content in files.items()}
        changed = write(self.out, files, digests, self.written)
        self.written = digests
        explainers = sum(d.explainer is not None for d in done)
        return Result(explainers, len(files), time.perf_counter() - started, rendered, report.warnings, changed)

    def _renderer(self, site: Site) -> tuple[Renderer, str]:
        """The last build's Renderer, with its compiled templates, while site.yaml
        and the templates stay the same; and the fingerprint pages depend on.

        Static files matter to pages only through content-hashed names, so
        without hashing (the preview) a stylesheet edit re-renders nothing.
        """
        folders = template_folders(self.root)
        templates = _fingerprint([self.root / "site.yaml", *folders], str(self.options.drafts), skip="static")
        key = (site, tuple(folders), templates)
        if self.renderer is not None and self.renderer[0] == key:
            renderer = self.renderer[1]
            renderer.refresh_static()
        else:
            renderer = Renderer(site, hashed=self.options.hashed_assets)
            self.renderer = (key, renderer)
        if not self.options.hashed_assets:
            return renderer, templates
        names = sorted(f"{name}={out}" for name, (_, out) in renderer.static.items())
        return renderer, hashlib.sha256("\n".join([templates, *names]).encode()).hexdigest()

    def _explainers(self, site: Site, renderer: Renderer, theme: str, report: Report) -> tuple[list[Done], int]:
        locale, md = locale_for(site.language), new_markdown()
        keep: dict[Path, Done] = {}
        rendered = 0
        for folder in explainer_folders(self.root, report):
            fingerprint = _fingerprint([folder], theme)
            done = self.done.get(folder)
            if done is None or done.fingerprint != fingerprint:
                done = self._make(folder, fingerprint, site, renderer, locale, md, report)
                rendered += done is not None and done.explainer is not None
            else:
                report.problems.extend(done.warnings)
            if done is not None:
                keep[folder] = done
        self.done = keep
        unique = {a.path for a in check_unique_slugs([d.article for d in keep.values()], report)}
        published = [d for d in keep.values() if d.explainer is not None and d.article.path in unique]
        published.sort(key=lambda d: d.explainer.sort_key, reverse=True)  # newest first
        return published, rendered

    def _make(self, folder: Path, fingerprint: str, site: Site, renderer: Renderer, locale, md,
              report: Report) -> Done | None:
        """Loads, resolves and renders one explainer; None when it has errors."""
        own = Report()
        article = load_article(folder, self.root, own)
        if article is None or (article.draft and not self.options.drafts):
            report.problems.extend(own.problems)
            return None if article is None else Done(fingerprint, article, None, b"", [])
        notes = load_annotations(folder, self.root, own)
        explainer = resolve(site, article, notes, locale, md, own)
        page = b""
        if not own.errors:
            try:
                page = renderer.explainer(explainer).encode()
            except TEMPLATE_ERRORS as exc:
                report_template_error(exc, renderer, own)
        report.problems.extend(own.problems)
        return None if own.errors else Done(fingerprint, article, explainer, page, own.warnings)

    def _files(self, renderer: Renderer, done: list[Done], report: Report) -> dict[str, bytes | Path]:
        """Every output file: page text as bytes, copied files as their source path."""
        files: dict[str, bytes | Path] = {MARKER: b"Written by the explainer generator; replaced on every build.\n"}
        explainers = [d.explainer for d in done]
        try:
            files["index.html"] = renderer.index(explainers).encode()
            files.update((name, text.encode()) for name, text in renderer.extras(explainers).items())
        except TEMPLATE_ERRORS as exc:
            report_template_error(exc, renderer, report)
        for d in done:
            slug = d.explainer.slug
            files[f"{slug}/index.html"] = d.page
            for rel in d.explainer.assets:
                files[f"{slug}/{rel.as_posix()}"] = d.explainer.folder / rel
        for source, name in renderer.static.values():
            files[f"static/{name}"] = source
        return files

    def _stop_on_errors(self, report: Report) -> None:
        if report.errors or (self.options.strict and report.warnings):
            raise BuildError(report.sorted())


def build(options: Options) -> Result:
    """One complete build, as `python -m generator build` runs it."""
    return Builder(options).build()


def _fingerprint(paths: list[Path], extra: str = "", skip: str = "") -> str:
    """A digest of every file under `paths` (but not under a top-level `skip` folder)."""
    h = hashlib.sha256(extra.encode())
    for top in paths:
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        if skip:
            files = [p for p in files if p == top or p.relative_to(top).parts[0] != skip]
        for path in files:
            h.update(str(path).encode() + b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()


def _digest(content: bytes | Path) -> str:
    data = content.read_bytes() if isinstance(content, Path) else content
    return hashlib.sha256(data).hexdigest()


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


def write(out: Path, files: dict[str, bytes | Path], digests: dict[str, str], before: dict[str, str]) -> list[str]:
    """Writes into a temporary folder beside `out`, then swaps it in whole.

    Files whose bytes are the same as in the last build are hard-linked from
    the current output instead of written again. Returns the changed names.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    changed = []
    try:
        for name, content in sorted(files.items()):
            target = temp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if before.get(name) == digests[name] and _link(out / name, target):
                continue
            changed.append(name)
            if isinstance(content, Path):
                shutil.copyfile(content, target)
            else:
                target.write_bytes(content)
        _swap(temp, out)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return changed


def _link(source: Path, target: Path) -> bool:
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def _swap(new: Path, out: Path) -> None:
    if not out.exists():
        os.rename(new, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rename(out, old / "previous")
    os.rename(new, out)
    shutil.rmtree(old, ignore_errors=True)
