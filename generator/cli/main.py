"""Command line: `explainer build|serve|init|import|new|check|diff`, also run as `python -m generator`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generator.build.pipeline import Builder, Options
from generator.errors import BuildError, os_problem

from .authoring import add_commands, program, public_url, run_command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=program(), description="Build explainer sites.")
    parser.add_argument("--version", action=ShowVersion)
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="build the site into plain static files")
    b.add_argument("--site", type=Path, default=Path("."), help="the site folder (default: current folder)")
    b.add_argument("--out", type=Path, help="output folder (default: <site>/build)")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--base-url", type=public_url, help="the published address, e.g. https://host/desk/ (overrides site.yaml)")
    b.add_argument("--quiet", "-q", action="store_true",
                   help="print only the problems found: no progress, no summary line")
    s = commands.add_parser("serve", help="preview the site, drafts included, rebuilding and reloading on every save")
    s.add_argument("--site", type=Path, default=Path("."), help="the site folder (default: current folder)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    s.add_argument("--port", type=port_number, default=8000, help="port to listen on (default: 8000; 0 picks a free one)")
    s.add_argument("--allow-host", action="append", default=[], type=host_name, metavar="NAME",
                   help="another host name the preview answers to, e.g. one other machines know this one by "
                        "(repeatable; loopback names, and beyond loopback this machine's own, always work)")
    add_commands(commands)
    args = parser.parse_args(argv)
    try:
        os.getcwd()
    except OSError as exc:  # the folder the command was started in was removed meanwhile
        print(f"{os.environ.get('PWD', '.')}: error: the current folder is gone ({exc.strerror}); "
              "cd into the site folder again", file=sys.stderr)
        return 1
    try:
        if args.command == "serve":
            from generator.preview.command import run_serve
            return run_serve(args)
        done = run_command(args)
        return done if done is not None else run_build(args)
    except KeyboardInterrupt:
        if args.command == "serve":
            raise
        # The output is never left half-written: the previous build's, or this one's if Ctrl-C came
        # just as it was swapped in (output.held_signals).
        print("interrupted; the output folder holds a whole build, not a half-written one", file=sys.stderr)
        return 130
    except OSError as exc:  # a folder not writable, a full disk: said as a problem with a file, not a traceback
        site = getattr(args, "site", None)
        print(os_problem(exc, None if site is None else site.resolve()), file=sys.stderr)
        return 1


class ShowVersion(argparse.Action):
    """--version: the distribution's version, looked up only when asked for."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help="show the generator's version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        from generator import version

        print(f"{parser.prog} {version()}")
        parser.exit()


def port_number(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"invalid port {value!r}: use a number from 1 to 65535")
    return number


def host_name(value: str) -> str:
    from generator.preview.hosts import normal_host
    name = normal_host(value)
    if name is None:
        raise argparse.ArgumentTypeError(f"invalid host name {value!r}: give a name such as preview.lan or an "
                                         "address such as 192.168.1.5, without a port")
    return name


def run_build(args: argparse.Namespace) -> int:
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
