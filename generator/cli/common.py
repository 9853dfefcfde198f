"""What the commands share: the site option, the public URL's check, how the tool was run, the last words."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.errors import Report

SITE_HELP = "the site folder (default: current folder)"


def add_site(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=Path("."), help=SITE_HELP)


def public_url(value: str) -> str:
    from generator.validate.urls import check_base_url

    try:
        return check_base_url(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
