"""`serve`: the preview, drafts included, rebuilt and reloaded on every save."""

from __future__ import annotations

import argparse

from .common import add_site


def add_parser(commands) -> None:
    s = commands.add_parser("serve", help="preview the site, drafts included, rebuilding and reloading on every save")
    add_site(s)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    s.add_argument("--port", type=port_number, default=8000, help="port to listen on (default: 8000; 0 picks a free one)")
    s.add_argument("--allow-host", action="append", default=[], type=host_name, metavar="NAME",
                   help="another host name the preview answers to, e.g. one other machines know this one by "
                        "(repeatable; loopback names, and beyond loopback this machine's own, always work)")


def run(args: argparse.Namespace) -> int:
    from generator.preview.command import run_serve
    return run_serve(args)


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
