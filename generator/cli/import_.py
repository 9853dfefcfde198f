"""`import`: a plain-text wire article made into a new explainer (the module's name avoids the keyword)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from generator.errors import Report

from .common import add_site, finish


def add_parser(commands) -> None:
    i = commands.add_parser("import", help="turn a plain-text wire article into a new explainer")
    i.add_argument("article", type=Path, help="the article as a plain-text file")
    i.add_argument("--slug", required=True, help="the new explainer's folder name under content/")
    add_site(i)
    i.add_argument("--date", type=iso_date, help="publication date YYYY-MM-DD, when the article does not say")
    i.add_argument("--image", type=Path, help="the lead photo, copied into the explainer folder")


def run(args: argparse.Namespace) -> int:
    from generator.authoring.importer import import_article

    report = Report()
    folder = import_article(args.article, args.slug, args.site, report, args.date, args.image)
    return finish(report, f"wrote content/{args.slug}/: article.md and annotation files with commented examples"
                  if folder else "")


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {value!r}: write YYYY-MM-DD") from None
