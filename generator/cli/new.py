"""`new`: a new explainer from a skeleton that builds at once."""

from __future__ import annotations

import argparse

from generator.errors import Report

from .common import add_site, finish


def add_parser(commands) -> None:
    n = commands.add_parser("new", help="start a new explainer from a skeleton that builds at once")
    n.add_argument("slug", help="the new explainer's folder name under content/")
    add_site(n)


def run(args: argparse.Namespace) -> int:
    from generator.authoring.scaffold import new_explainer

    report = Report()
    folder = new_explainer(args.slug, args.site, report)
    return finish(report, f"wrote content/{args.slug}/ (a draft: `serve` shows it; remove `draft: true` to publish)"
                  if folder else "")
