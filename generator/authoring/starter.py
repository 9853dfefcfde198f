"""`init DIR`: a new site folder, ready to build and to put under git.

It holds a site.yaml listing every setting (made from the declaration the
loader checks it with, content.SITE), one starter explainer showing each kind
of annotation (scaffold.py's skeleton, published), a .gitignore for what
builds and previews leave, the editor schemas, and with --github-pages a
workflow that publishes the site to GitHub Pages.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from generator import DISTRIBUTION
from generator.config import SITE
from generator.errors import NOWHERE, Pos, Report

from .editors import FOLDER, documents, schema_line, write_schemas
from .scaffold import write_explainer

STARTER = "first-explainer"
IGNORED = ("build/", ".cache/", ".preview/", ".preview.*", ".build.*")
WORKFLOW = Path(".github", "workflows", "pages.yml")


@dataclass(frozen=True)
class Plan:
    folder: Path  # as the user named it, for messages
    base_url: str
    title: str = "Explainers"
    github_pages: bool = False


def site_yaml(title: str, base_url: str) -> str:
    """Every setting with its help; those left at their default are commented out."""
    lines = [schema_line("site.schema.json", depth=0).rstrip("\n"),
             "# The site's settings. A commented-out setting (#) keeps the default shown.", ""]
    chosen = {"title": title, "base_url": base_url}
    for key, spec in SITE.fields.items():
        lines.append(f"# {spec.help[:1].upper()}{spec.help[1:]}" + (" (required)" if spec.required else ""))
        if key in chosen:
            lines.append(f"{key}: {yaml_value(chosen[key])}")
        else:
            lines.append(f"# {key}: {yaml_value(spec.default)}")
        lines.append("")
    return "\n".join(lines)


def yaml_value(value: object) -> str:
    """A default written as YAML: JSON's scalars are YAML's, and keep every text quoted."""
    return json.dumps(value, ensure_ascii=False)


def workflow(version: str) -> str:
    """docs/github-pages.yml (shipped in the package), installing this version of the generator:
    the site does not live in the generator's repository."""
    text = resources.files("generator").joinpath("github-pages.yml").read_text(encoding="utf-8")
    requirement = f"{DISTRIBUTION}=={version}" if version[:1].isdigit() else DISTRIBUTION
    return text.replace('  GENERATOR: "."\n', f'  GENERATOR: "{requirement}"\n', 1)


def refuse_existing(plan: Plan, report: Report) -> bool:
    """Reports why the folder cannot take a new site; True if it cannot.

    Everything is looked at before anything is written, so a refused init leaves the
    folder as it was; and no path init writes may be a link, which would lead its
    writes out of the folder (or into a file of the user's elsewhere)."""
    folder = plan.folder
    if folder.is_symlink():
        report.error(str(folder), NOWHERE, "this is a link: give the folder it points to, or a new folder")
        return True
    if folder.exists() and not folder.is_dir():
        report.error(str(folder), NOWHERE, "this is a file, not a folder: give a new or empty folder")
        return True
    if os.path.lexists(folder / "site.yaml"):
        report.error(str(folder / "site.yaml"), Pos(), "this folder already holds a site: give a new or empty "
                     "folder (to add an explainer to this site, run `new SLUG` in it)")
        return True
    if os.path.lexists(folder / "content"):
        report.error(str(folder / "content"), NOWHERE, "this folder already holds a site (content/ is there): "
                     "give a new or empty folder")
        return True
    if plan.github_pages and os.path.lexists(folder / WORKFLOW):
        report.error(str(folder / WORKFLOW), NOWHERE, "a workflow of this name is already there: remove it "
                     "or leave out --github-pages")
        return True
    for path, problem in _in_the_way(plan):
        report.error(str(path), NOWHERE, problem)
    return bool(report.errors)


def _in_the_way(plan: Plan) -> list[tuple[Path, str]]:
    """The paths init would write through or over, other than the site's own files."""
    folder = plan.folder
    found = []
    steps = [(folder / ".gitignore", "file"), (folder / FOLDER, "folder")]
    steps += [(folder / FOLDER / document.name, "new") for document in documents()]
    if plan.github_pages:
        steps += [(folder / WORKFLOW.parent.parent, "folder"), (folder / WORKFLOW.parent, "folder")]
    for path, kind in steps:
        if path.is_symlink():
            found.append((path, "a link: init writes no file through a link; remove it, or give a new folder"))
        elif kind == "new" and os.path.lexists(path):
            found.append((path, "already there: init does not replace a file; remove it, or give a new folder"))
        elif kind == "file" and path.exists() and not path.is_file():
            found.append((path, ("not a file: init adds its lines to a .gitignore file; remove it, or give a "
                                 "new folder")))
        elif kind == "folder" and path.exists() and not path.is_dir():
            found.append((path, "not a folder: remove it, or give a new folder"))
    return found


def init_site(plan: Plan, report: Report, version: str, today: date | None = None) -> list[str]:
    """Writes the new site; returns what was written (paths inside it), or [] after a problem."""
    if refuse_existing(plan, report):
        return []
    root = plan.folder
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(site_yaml(plan.title, plan.base_url), encoding="utf-8")
    write_explainer(root / "content" / STARTER, today or date.today(), draft=False)
    add_ignored(root / ".gitignore")
    write_schemas(root)
    written = ["site.yaml", f"content/{STARTER}/", ".gitignore", f"{FOLDER}/"]
    if plan.github_pages:
        (root / WORKFLOW).parent.mkdir(parents=True, exist_ok=True)
        (root / WORKFLOW).write_text(workflow(version), encoding="utf-8")
        written.append(WORKFLOW.as_posix())
    return written


def add_ignored(path: Path) -> None:
    """A .gitignore naming what builds and previews leave; one already there keeps its lines."""
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    missing = [line for line in IGNORED if line not in before.splitlines()]
    if not missing:
        return
    lead = "" if not before or before.endswith("\n") else "\n"
    note = "# What builds and previews leave in the site folder\n"
    path.write_text(before + lead + note + "\n".join(missing) + "\n", encoding="utf-8")
