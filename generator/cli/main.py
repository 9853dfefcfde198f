"""Command line: `explainer build|serve|init|import|new|check|diff`, also run as `python -m generator`.

One parser; each command is a module of this package with add_parser(commands) and run(args).
"""

from __future__ import annotations

import argparse
import os
import sys

from . import build, check, diff, import_, init, new, serve
from .common import program

# In the order `--help` lists them.
COMMANDS = {"build": build, "serve": serve, "init": init, "import": import_, "check": check, "diff": diff, "new": new}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=program(), description="Build explainer sites.")
    parser.add_argument("--version", action=ShowVersion)
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS.values():
        command.add_parser(commands)
    args = parser.parse_args(argv)
    try:
        os.getcwd()
    except OSError as exc:  # the folder the command was started in was removed meanwhile
        print(f"{os.environ.get('PWD', '.')}: error: the current folder is gone ({exc.strerror}); "
              "cd into the site folder again", file=sys.stderr)
        return 1
    try:
        return COMMANDS[args.command].run(args)
    except KeyboardInterrupt:
        if args.command == "serve":
            raise
        # The output is never left half-written: the previous build's, or this one's if Ctrl-C came
        # just as it was swapped in (swap.held_signals).
        print("interrupted; the output folder holds a whole build, not a half-written one", file=sys.stderr)
        return 130
    except OSError as exc:  # a folder not writable, a full disk: said as a problem with a file, not a traceback
        from generator.errors import os_problem

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
