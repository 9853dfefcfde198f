"""Which Host and Origin headers name this server: host names and addresses, parsed and compared.

A web page whose name an attacker points at this machine (DNS rebinding)
sends its own name as Host and Origin, so both must name this server and its
port, whatever address it listens on.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
HOST_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\Z")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    return host in ("", "0.0.0.0", "::", "[::]")


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def normal_host(name: str) -> str | None:
    """A host name lowercased, or an IP address as ipaddress spells it (no brackets); None if neither."""
    name = name.lower()
    bare = name[1:-1] if name.startswith("[") and name.endswith("]") else name
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        return name if HOST_NAME.match(name) else None
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:a.b.c.d is a.b.c.d, as a dual-stack socket shows it
    return str(mapped or address)


def split_host(value: str) -> tuple[str, int] | None:
    """A Host header, `host[:port]`, as (normal host, port), a missing port being 80; None if malformed."""
    if not value or value.endswith(":") or any(not "!" <= c <= "~" or c in "/?#@\\" for c in value):
        return None
    try:
        parts = urlsplit("//" + value)
        port = parts.port  # a port that is not a number raises
    except ValueError:
        return None
    host = normal_host(parts.hostname or "")
    if host is None or ("[" in value and ":" not in host):  # only an IPv6 address goes in brackets
        return None
    return host, 80 if port is None else port


def split_origin(origin: str) -> tuple[str, int] | None:
    """An Origin header as (normal host, port) when it is `http://host[:port]` and nothing more."""
    if any(not "!" <= c <= "~" or c in "?#@\\" for c in origin):
        return None
    try:
        parts = urlsplit(origin)
    except ValueError:
        return None
    if parts.scheme != "http" or parts.path or not parts.netloc:
        return None
    return split_host(parts.netloc)


def answered_names(host: str, allow: Iterable[str], own: Iterable[str]) -> frozenset[str]:
    """The host names and addresses the preview answers to: loopback always, and the names
    given with --allow-host; beyond loopback, also the address it listens on and this
    machine's own names and addresses."""
    names = {normal_host(name) for name in (*LOOPBACK_NAMES, *allow)}
    if not is_loopback(host):
        names |= {normal_host(name) for name in own}
        if not is_wildcard(host):
            names.add(normal_host(host))
    return frozenset(name for name in names if name)


def own_names() -> set[str]:
    """This machine's host name and the addresses it resolves to (from /etc/hosts, mostly)."""
    found = set()
    try:
        name = socket.gethostname()
        found.add(name)
        # getaddrinfo gives IPv4 and IPv6 addresses here, as text; its type allows other families' too.
        found |= {info[4][0] for info in socket.getaddrinfo(name, None) if isinstance(info[4][0], str)}
    except (OSError, UnicodeError):
        pass
    return found


def local_address(request) -> str | None:
    """The address of this machine that a request came in on, as normal_host spells it."""
    try:
        return normal_host(str(request.connection.stream.socket.getsockname()[0]))
    except (AttributeError, OSError, IndexError):
        return None


@dataclass(frozen=True)
class Hosts:
    """The address the preview listens on, and the names it answers to there."""

    host: str  # as given with --host
    port: int
    names: frozenset[str]

    @classmethod
    def answering(cls, host: str, port: int, allow: Iterable[str] = (), own: Iterable[str] = ()) -> Hosts:
        """`allow`: more host names to answer to (--allow-host); `own`: this machine's names and
        addresses, answered to when listening beyond loopback (own_names)."""
        return cls(host, port, answered_names(host, allow, own))

    @property
    def loopback_only(self) -> bool:
        return is_loopback(self.host)

    def host_ok(self, request_host: str | None, local: str | None = None) -> bool:
        """Whether a Host header names this server, on whatever address it listens: a page of
        another site whose name was pointed at this machine (DNS rebinding) names its own.

        `local` is the address the request came in on: beyond loopback, a request naming
        that address (a phone opening http://192.168.1.5:8000/) is for this server.
        """
        return self.ours(split_host(request_host or ""), local)

    def origin_ok(self, origin: str, local: str | None = None) -> bool:
        """Whether a WebSocket's Origin is a page of this server: http, a host it answers to,
        its port; anything malformed is refused."""
        return self.ours(split_origin(origin), local)

    def ours(self, found: tuple[str, int] | None, local: str | None) -> bool:
        if found is None:
            return False
        host, port = found
        if port != self.port:
            return False
        return host in self.names or (not self.loopback_only and local is not None and host == local)
