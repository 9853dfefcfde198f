"""`init`: a new site folder with settings, a starter explainer and .gitignore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import version
from generator.errors import Report

from .common import finish, program, public_url

SITE_TITLE = "Explainers"


def add_parser(commands) -> None:
    t = commands.add_parser("init", help="start a new site folder: settings, a starter explainer, .gitignore")
    t.add_argument("dir", type=Path, metavar="DIR", help="the new site's folder (made if missing; must hold no site)")
    t.add_argument("--url", type=public_url, help="the site's public address, e.g. https://news.example.org/explainers/ "
                   "(asked for on a terminal when left out)")
    t.add_argument("--title", default=SITE_TITLE, help=f"the site's name (default: {SITE_TITLE})")
    t.add_argument("--github-pages", action="store_true",
                   help="add .github/workflows/pages.yml, which publishes the site to GitHub Pages on every push")


def run(args: argparse.Namespace) -> int:
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
