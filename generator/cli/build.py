"""`build`: the site into plain static files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.build.pipeline import Builder, Options
from generator.errors import BuildError

from .common import add_site, public_url


def add_parser(commands) -> None:
    b = commands.add_parser("build", help="build the site into plain static files")
    add_site(b)
    b.add_argument("--out", type=Path, help="output folder (default: <site>/build)")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--base-url", type=public_url, help="the published address, e.g. https://host/desk/ (overrides site.yaml)")
    b.add_argument("--quiet", "-q", action="store_true",
                   help="print only the problems found: no progress, no summary line")


def run(args: argparse.Namespace) -> int:
    out = args.out if args.out is not None else args.site / "build"
    builder = Builder(Options(site=args.site, out=out, strict=args.strict, base_url=args.base_url))
    builder.progress = progress_for(args)
    try:
        result = builder.build()
    except BuildError as exc:
        print_problems(exc.problems)
        errors = sum(p.severity == "error" for p in exc.problems) or len(exc.problems)
        if not args.quiet:
            print(f"build failed: {errors} error(s); {out} was not changed", file=sys.stderr)
        return 1
    finally:
        if builder.progress is not None:
            builder.progress.close()
    print_problems(result.warnings)
    if not args.quiet:
        print(f"built {result.explainers} explainer(s), {result.files} files, into {out} in {result.seconds:.2f} s")
    return 0


def progress_for(args: argparse.Namespace):
    """The progress of a build, drawn on the terminal; None without one (a log, a pipe) or with --quiet."""
    if getattr(args, "quiet", False) or not sys.stderr.isatty():
        return None
    from generator.build.progress import Progress
    return Progress()


def print_problems(problems) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
