"""`diff`: the explainers, annotations and facts that changed between two builds."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.errors import Report

from .common import finish


def add_parser(commands) -> None:
    d = commands.add_parser("diff", help="list the explainers, annotations and facts that changed between two builds")
    d.add_argument("old", type=Path, help="the earlier build folder")
    d.add_argument("new", type=Path, help="the later build folder")


def run(args: argparse.Namespace) -> int:
    from generator.authoring.diff import compare

    report = Report()
    lines = compare(args.old, args.new, report)
    if lines is None:
        return finish(report, "")
    print("\n".join(lines) if lines else "no changes")
    return 0
