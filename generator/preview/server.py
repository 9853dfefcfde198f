"""The tornado application: the preview folder's files, livereload's script and WebSocket, the
overlay's script, status and WebSocket; every request checked for this server's own Host."""

from __future__ import annotations

import json
from pathlib import Path

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import escape, httputil, web
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from .hosts import local_address
from .overlay import client_file, inject
from .paths import PREFIX, content_type, inside, output_name, page_for_url
from .state import Preview


def application(preview: Preview) -> web.Application:
    args = {"preview": preview}
    return web.Application([
        (r"/livereload", LiveSocket, args),
        (r"/livereload\.js", LiveReloadJS, args),
        (PREFIX + "ws", StatusSocket, args),
        (PREFIX + "status", StatusHandler, args),
        (PREFIX + r"(client\.js|client\.css)", ClientHandler, args),
        (r"/(.*)", FileHandler, args),
    ], log_function=lambda _handler: None, websocket_max_message_size=64 * 1024)


class HostChecked(web.RequestHandler):
    """A request answered only when its Host header names this server."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        if not self.preview.hosts.host_ok(self.request.host, local_address(self.request)):
            raise web.HTTPError(403)

    def compute_etag(self) -> None:
        return None  # every response is fresh: nothing to revalidate

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def write_error(self, status_code: int, **kwargs) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code} {httputil.responses.get(status_code, 'Unknown')}\n")


class FileHandler(HostChecked):
    """Serves the preview folder, and nothing outside it."""

    def get(self, _path: str = "") -> None:
        self._serve(head=False)

    def head(self, _path: str = "") -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        raw = self.request.path
        name = output_name(raw)
        if name is None:
            return self._not_found(None, head)
        out = self.preview.out
        target = out / name
        if not raw.endswith("/") and (out / name).is_dir() and (out / name / "index.html").is_file():
            query = f"?{self.request.query}" if self.request.query else ""
            return self.redirect("/" + escape.url_escape(name, plus=False).replace("%2F", "/") + "/" + query,
                                 permanent=False)
        if not target.is_file() or not inside(target, out):
            return self._not_found(page_for_url(raw), head)
        self._send_file(target, name, 200, head)

    def _send_file(self, target: Path, page: str, status: int, head: bool) -> None:
        try:
            body = target.read_bytes()
        except OSError:  # replaced by a build between the check and the read
            raise web.HTTPError(404) from None
        self._send(target.name, page, status, head, body)

    def _send(self, name: str, page: str, status: int, head: bool, body: bytes) -> None:
        """`body` served as the file `name` (its type) would be."""
        kind = content_type(name)
        if kind.startswith("text/html"):
            body = inject(body, self.preview.script_tags(page, self.request.host))
        self.set_status(status)
        self.set_header("Content-Type", kind)
        self.set_header("Content-Length", str(len(body)))
        if not head:
            self.write(body)
        self.finish()

    def _not_found(self, page: str | None, head: bool) -> None:
        page = page or "404.html"
        custom = self.preview.out / "404.html"
        if custom.is_file():
            return self._send_file(custom, page, 404, head)
        body = (b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>'
                b"<body><h1>Not found</h1><p>Nothing in the preview at this address.</p></body></html>")
        self._send("page.html", page, 404, head, body)


class StatusHandler(HostChecked):
    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(self.preview.status()))


class ClientHandler(HostChecked):
    """The overlay's script and its style, as the package holds them."""

    def get(self, name: str) -> None:
        self.set_header("Content-Type", content_type(name))
        self.finish(client_file(name))


class LiveReloadJS(HostChecked, LiveReloadJSHandler):
    """livereload.js, as livereload ships it."""


class CheckedSocket(WebSocketHandler):
    """A WebSocket open only to this server's own pages."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview
        self.page: str | None = None

    def prepare(self) -> None:
        # Checked here, before tornado's own test (which lets any scheme through
        # when the Origin's host:port equals the Host header, and trusts
        # Sec-Fetch-Site), so that only this server's own pages may connect.
        headers = self.request.headers
        origin = headers.get("Origin", headers.get("Sec-Websocket-Origin"))
        local = local_address(self.request)
        if not self.preview.hosts.host_ok(self.request.host, local) or (
                origin is not None and not self.check_origin(origin)):
            raise web.HTTPError(403)

    def check_origin(self, origin: str) -> bool:
        """Only pages served by this preview may connect: http://<a host it answers to>:<port>."""
        return self.preview.hosts.origin_ok(origin, local_address(self.request))

    def send(self, message: dict | str) -> None:
        try:
            sent = self.write_message(message if isinstance(message, str) else json.dumps(message))
        except WebSocketClosedError:
            self.on_close()
            return
        sent.add_done_callback(self._sent)

    def _sent(self, future) -> None:
        if future.cancelled() or future.exception() is not None:  # the tab went away meanwhile
            self.on_close()


class LiveSocket(CheckedSocket, LiveReloadHandler):
    """livereload's WebSocket handler, with an Origin check and this preview's own tab list.

    The handshake is livereload's (hello, then info with the tab's address);
    reloads are sent by Preview.reload, for every good build, with no 3 s drop.
    """

    def on_message(self, message: str | bytes) -> None:
        try:
            data = json.loads(message)
        except ValueError:
            return
        if not isinstance(data, dict):
            return
        if data.get("command") == "hello":
            self.send({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"],
                       "serverName": "explainer-preview"})
        elif data.get("command") == "info" and isinstance(data.get("url"), str):
            self.page = page_for_url(data["url"])
            self.preview.tabs.add(self)

    def on_close(self) -> None:
        self.preview.tabs.discard(self)

    def reload(self, path: str, live: bool) -> None:
        self.send({"command": "reload", "path": path, "liveCSS": live, "liveImg": live})


class StatusSocket(CheckedSocket):
    """The overlay script's connection: build status now and after every build."""

    def open(self) -> None:
        self.page = self.get_argument("page", None)
        try:
            generation = int(self.get_argument("generation", "0"))
        except ValueError:
            generation = 0
        self.preview.overlays.add(self)
        self.send({"type": "status", **self.preview.status()})
        if self.preview.stale(self.page, generation):  # a build finished before this tab connected
            self.send({"type": "reload"})

    def on_message(self, message) -> None:
        pass

    def on_close(self) -> None:
        self.preview.overlays.discard(self)
