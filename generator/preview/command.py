"""`python -m generator serve`: binds the port, makes the first build, serves until Ctrl-C."""

from __future__ import annotations

import asyncio
import errno
import signal
import socket
import sys

from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets

from .hosts import is_loopback, is_wildcard, own_names, url_host
from .paths import PREVIEW
from .rebuilder import Outcome, Rebuilder, preview_builder
from .server import application
from .state import Preview
from .watcher import Snapshot, Watcher


def run_serve(args) -> int:
    """`python -m generator serve`; returns the exit status."""
    root = args.site.resolve()
    if not root.is_dir():
        print(f"serve: {args.site} is not a folder", file=sys.stderr)
        return 1
    host, port = args.host, args.port
    try:
        sockets = bind_sockets(port, address=host or None)
    except (OSError, socket.gaierror) as exc:
        print(f"serve: cannot listen on {url_host(host)}:{port}: {bind_problem(exc, port)}", file=sys.stderr)
        return 1
    port = sockets[0].getsockname()[1]  # the real one when --port 0
    out = root / PREVIEW
    allow = getattr(args, "allow_host", None) or []
    preview = Preview(root, out, host, port, allow, () if is_loopback(host) else own_names())
    builder = preview_builder(root, out)
    rebuilder = Rebuilder(builder, preview.hand_over)
    watcher = Watcher(root, rebuilder.changed)
    print(f"building {root} into {PREVIEW}/ (drafts included) …", flush=True)
    try:
        # The sources as the first build starts: what is saved from now on is built too (Watcher).
        since = watcher.snapshot()
        first = first_build(rebuilder, args)
    except KeyboardInterrupt:
        close(sockets)
        print("stopped", flush=True)
        return 0
    refused = [p for p in first.problems if p.path == "--out"] if not first.ok else []
    if refused:  # the preview folder is not ours to replace: nothing to serve
        for problem in refused:
            print(f"serve: {out}: {problem.message}", file=sys.stderr)
        close(sockets)
        return 1
    try:
        asyncio.run(serve(preview, rebuilder, watcher, since, sockets, first))
    except KeyboardInterrupt:
        pass
    print("stopped", flush=True)
    return 0


def first_build(rebuilder: Rebuilder, args) -> Outcome:
    """The first build, with its progress shown on a terminal: on a large site it is the long one."""
    from generator.cli.build import progress_for

    rebuilder.builder.progress = progress_for(args)
    try:
        return rebuilder.build()
    finally:
        if rebuilder.builder.progress is not None:
            rebuilder.builder.progress.close()
        rebuilder.builder.progress = None


async def serve(preview: Preview, rebuilder: Rebuilder, watcher: Watcher, since: Snapshot, sockets,
                first: Outcome) -> None:
    """Serves, builds and watches until SIGINT or SIGTERM, then stops each in turn."""
    preview.loop = IOLoop.current()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    server = HTTPServer(application(preview))
    server.add_sockets(sockets)
    preview.built(first)
    rebuilder.start()
    watcher.start(since)
    announce(preview)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        print("stopping …", flush=True)
        server.stop()
        for sock in [*preview.tabs, *preview.overlays]:
            sock.close()
        watcher.stop()
        await loop.run_in_executor(None, rebuilder.stop)
        await server.close_all_connections()


def announce(preview: Preview) -> None:
    """Where the preview is; and, when other machines can reach it, a warning naming what it answers to."""
    hosts = preview.hosts
    shown = "127.0.0.1" if is_wildcard(hosts.host) else url_host(hosts.host)
    print(f"serving the preview at http://{shown}:{hosts.port}/ — Ctrl-C to stop", flush=True)
    if not hosts.loopback_only:
        where = "all interfaces" if is_wildcard(hosts.host) else hosts.host
        names = ", ".join(url_host(name) for name in sorted(hosts.names))
        print(f"warning: listening on {where}: other machines on the network can read this preview, "
              f"drafts included; it answers to {names} and the address it is reached at "
              "(more names: --allow-host NAME)", file=sys.stderr, flush=True)


def bind_problem(exc: OSError, port: int) -> str:
    """Why the port cannot be listened on, and what to do."""
    if isinstance(exc, socket.gaierror):
        return "unknown host name"
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} is already in use (another preview?); stop that server or choose another --port"
    if exc.errno == errno.EACCES:
        return "permission denied; choose a port above 1023"
    if exc.errno == errno.EADDRNOTAVAIL:
        return "this machine has no such address; use 127.0.0.1"
    return exc.strerror or str(exc)


def close(sockets) -> None:
    for sock in sockets:
        sock.close()
