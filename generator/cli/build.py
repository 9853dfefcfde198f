"""`build`: the site into plain static files."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from generator.build import uptodate
from generator.build.swap import output_path

from .common import add_site, public_url


def add_parser(commands) -> None:
    b = commands.add_parser("build", help="build the site into plain static files")
    add_site(b)
    b.add_argument("--out", type=Path, help="output folder (default: <site>/build)")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--base-url", type=public_url, help="the published address, e.g. https://host/desk/ (overrides site.yaml)")
    b.add_argument("--verify", action="store_true",
                   help="read every file of the output folder, even when nothing changed since the last build, "
                        "and put right any changed by hand")
    b.add_argument("--quiet", "-q", action="store_true",
                   help="print only the problems found: no progress, no summary line")


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    out = args.out if args.out is not None else args.site / "build"
    # What the build would be made from, looked at before the generator is loaded: when nothing
    # changed since the last build, and its output is as it left it, the run ends here.
    stamp = uptodate.take(args.site.resolve(), output_path(out), given(args, out))
    if not args.verify:
        summary = stamp.saved()
        if summary is not None:
            print_problems(summary["warnings"])
            if not args.quiet:
                print(f"built {summary['explainers']} explainer(s), {summary['files']} files, into {out} "
                      f"in {time.perf_counter() - started:.2f} s (nothing had changed)")
            return 0
    return build(args, out, stamp)


def build(args: argparse.Namespace, out: Path, stamp: uptodate.Stamp) -> int:
    from generator.build.pipeline import Builder, Options
    from generator.errors import BuildError

    builder = Builder(Options(site=args.site, out=out, strict=args.strict, base_url=args.base_url, verify=args.verify))
    builder.stamp = stamp
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


def given(args: argparse.Namespace, out: Path) -> str:
    """The options as given, and the folder the command runs in: they shape the output, and the
    paths its problems are printed with."""
    return repr((os.getcwd(), str(args.site), str(out), args.strict, args.base_url))


def progress_for(args: argparse.Namespace):
    """The progress of a build, drawn on the terminal; None without one (a log, a pipe) or with --quiet."""
    if getattr(args, "quiet", False) or not sys.stderr.isatty():
        return None
    from generator.build.progress import Progress
    return Progress()


def print_problems(problems) -> None:
    """Every problem, a line each, in one write: a build may have thousands."""
    sys.stderr.write("".join(f"{problem}\n" for problem in problems))
    sys.stderr.flush()
