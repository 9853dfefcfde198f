"""`check`: everything build validates, plus the editorial checks, writing nothing."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from .common import add_site, public_url


def add_parser(commands) -> None:
    c = commands.add_parser("check", help="validate everything build does, plus editorial checks, writing nothing")
    add_site(c)
    c.add_argument("--strict", action="store_true", help="fail on warnings too")
    c.add_argument("--base-url", type=public_url, help="the published address, as given to build (overrides site.yaml)")


def run(args: argparse.Namespace, today: date | None = None) -> int:
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
