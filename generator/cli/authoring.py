"""The authoring commands: init, import, new, check and diff.

They live apart from cli.py's build and serve so each stays small; every
problem goes through a Report and prints as path:line:col like a build's.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from generator import version
from generator.errors import Report

SITE_HELP = "the site folder (default: current folder)"
SITE_TITLE = "Explainers"


def add_commands(commands) -> None:
    t = commands.add_parser("init", help="start a new site folder: settings, a starter explainer, .gitignore")
    t.add_argument("dir", type=Path, metavar="DIR", help="the new site's folder (made if missing; must hold no site)")
    t.add_argument("--url", type=public_url, help="the site's public address, e.g. https://news.example.org/explainers/ "
                   "(asked for on a terminal when left out)")
    t.add_argument("--title", default=SITE_TITLE, help=f"the site's name (default: {SITE_TITLE})")
    t.add_argument("--github-pages", action="store_true",
                   help="add .github/workflows/pages.yml, which publishes the site to GitHub Pages on every push")
    i = commands.add_parser("import", help="turn a plain-text wire article into a new explainer")
    i.add_argument("article", type=Path, help="the article as a plain-text file")
    i.add_argument("--slug", required=True, help="the new explainer's folder name under content/")
    i.add_argument("--site", type=Path, default=Path("."), help=SITE_HELP)
    i.add_argument("--date", type=iso_date, help="publication date YYYY-MM-DD, when the article does not say")
    i.add_argument("--image", type=Path, help="the lead photo, copied into the explainer folder")
    c = commands.add_parser("check", help="validate everything build does, plus editorial checks, writing nothing")
    c.add_argument("--site", type=Path, default=Path("."), help=SITE_HELP)
    c.add_argument("--strict", action="store_true", help="fail on warnings too")
    c.add_argument("--base-url", type=public_url, help="the published address, as given to build (overrides site.yaml)")
    d = commands.add_parser("diff", help="list the explainers, annotations and facts that changed between two builds")
    d.add_argument("old", type=Path, help="the earlier build folder")
    d.add_argument("new", type=Path, help="the later build folder")
    n = commands.add_parser("new", help="start a new explainer from a skeleton that builds at once")
    n.add_argument("slug", help="the new explainer's folder name under content/")
    n.add_argument("--site", type=Path, default=Path("."), help=SITE_HELP)


def run_command(args: argparse.Namespace) -> int | None:
    """Runs an authoring command; None when the command is not one of them."""
    if args.command == "init":
        return run_init(args)
    if args.command == "import":
        return run_import(args)
    if args.command == "check":
        return run_check(args)
    if args.command == "diff":
        return run_diff(args)
    if args.command == "new":
        return run_new(args)
    return None


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {value!r}: write YYYY-MM-DD") from None


def public_url(value: str) -> str:
    from generator.validate.urls import check_base_url

    try:
        return check_base_url(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def ask_url() -> str:
    """The public URL, asked for on a terminal; empty keeps "/" (set base_url later)."""
    while True:
        answer = input("The site's public URL, e.g. https://news.example.org/explainers/ (Enter: decide later): ")
        if not answer.strip():
            return "/"
        try:
            return public_url(answer.strip())
        except argparse.ArgumentTypeError as exc:
            print(exc, file=sys.stderr)


def run_init(args: argparse.Namespace) -> int:
    from generator.authoring.starter import Plan, init_site

    url = args.url or (ask_url() if sys.stdin.isatty() else "/")
    report = Report()
    written = init_site(Plan(args.dir, url, args.title, args.github_pages), report, version())
    if not written:
        return finish(report, "")
    run = program()
    later = "" if url != "/" else "\nbase_url is \"/\": set it in site.yaml to the public URL before publishing."
    return finish(report, f"wrote a new site into {args.dir}: {', '.join(written)}{later}\n\n"
                          f"next:\n  cd {args.dir}\n  {run} serve    # preview it, rebuilt on every save\n"
                          f"  {run} build    # the site as plain files in build/")


def program() -> str:
    """How the user ran the generator, to name the next commands: `explainer` or `python -m generator`."""
    return "explainer" if Path(sys.argv[0]).name == "explainer" else "python -m generator"


def finish(report: Report, done: str) -> int:
    for problem in report.sorted():
        print(problem, file=sys.stderr)
    if report.errors:
        return 1
    print(done)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from generator.authoring.importer import import_article

    report = Report()
    folder = import_article(args.article, args.slug, args.site, report, args.date, args.image)
    return finish(report, f"wrote content/{args.slug}/: article.md and annotation files with commented examples"
                  if folder else "")


def run_new(args: argparse.Namespace) -> int:
    from generator.authoring.scaffold import new_explainer

    report = Report()
    folder = new_explainer(args.slug, args.site, report)
    return finish(report, f"wrote content/{args.slug}/ (a draft: `serve` shows it; remove `draft: true` to publish)"
                  if folder else "")


def run_check(args: argparse.Namespace, today: date | None = None) -> int:
    from generator.build.pipeline import Builder, Options
    from generator.validate.editorial import check_explainer

    builder = Builder(Options(site=args.site, out=args.site / "build", drafts=True, cache=False, base_url=args.base_url))
    report, site, explainers = builder.check()
    if site is not None:  # else site.yaml's own errors are reported, and there is no explainer to check
        for explainer in explainers:
            check_explainer(explainer, report, today or date.today(), site.stale_after_days)
    for problem in report.sorted():
        print(problem, file=sys.stderr)
    errors, warnings = len(report.errors), len(report.warnings)
    print(f"{errors} error(s), {warnings} warning(s)")
    return 1 if errors or (args.strict and warnings) else 0


def run_diff(args: argparse.Namespace) -> int:
    from generator.authoring.diff import compare

    report = Report()
    lines = compare(args.old, args.new, report)
    if lines is None:
        return finish(report, "")
    print("\n".join(lines) if lines else "no changes")
    return 0
