"""Who may talk to the viewer: a ``Host`` allow-list and an ``Origin`` check (aiohttp middleware).

Why: the viewer binds 127.0.0.1, but any page the developer opens can still reach it, by DNS
rebinding (``evil.example.com`` resolving to 127.0.0.1: the browser then sends
``Host: evil.example.com``) or by cross-site WebSocket hijacking (a WebSocket opened from a
foreign page carries that page's ``Origin``). So:

* every HTTP route and the WebSocket need a ``Host`` whose name is allowed: the bound address,
  ``localhost`` and the loopback addresses, plus ``--allow-host``;
* the WebSocket, when it carries an ``Origin`` (browsers always send one), needs an allowed
  origin: ``http(s)://ALLOWED-HOST:PORT`` of this very server;
* control routes (``/api/control/…``, when control is on) need such an ``Origin``, always: a
  missing one is refused too (a script with the token can send the header; a page cannot forge it).

Refusals answer 403 and are counted in ``/status`` → ``refused`` (``host``, ``origin``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def allowed_hosts(bound: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """Host names accepted in ``Host``/``Origin``: the bound address, localhost, and ``extra``."""
    names = {bound.strip("[]").lower(), *LOOPBACK}  # a page cannot rebind a loopback name
    names.update(h.strip().strip("[]").lower() for h in extra if h.strip())
    names.discard("")
    return frozenset(names)


def host_name(value: str) -> str | None:
    """The name part of a ``Host`` header (``name``, ``name:port``, ``[v6]:port``)."""
    try:
        parts = urlsplit("//" + value.strip())
        _ = parts.port  # a malformed port raises here
        return (parts.hostname or "").lower() or None
    except ValueError:
        return None


def origin_ok(origin: str, hosts: frozenset[str], port: int) -> bool:
    """``Origin`` names this server: http(s), an allowed host, this port."""
    try:
        parts = urlsplit(origin.strip())
        origin_port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return False
    return (parts.scheme in ("http", "https") and (parts.hostname or "").lower() in hosts
            and origin_port == port)


def make_middleware(server: Any) -> Callable[..., Awaitable[Any]]:
    """The middleware for ``server`` (a ViewerServer: ``host``, ``port``, ``allow_hosts``,
    ``allow_control`` and its ``refused`` counter)."""
    from aiohttp import web

    @web.middleware
    async def only_own_pages(request: Any, handler: Callable[[Any], Awaitable[Any]]) -> Any:
        hosts = allowed_hosts(server.host, server.allow_hosts)
        if host_name(request.headers.get("Host", "")) not in hosts:
            server.refused["host"] += 1
            return web.json_response({"error": "Host not allowed (see --allow-host)"}, status=403)
        origin = request.headers.get("Origin")
        is_ws = request.path == "/ws"
        is_control = request.path.startswith("/api/control/") and server.allow_control
        checked = (is_ws and origin is not None) or is_control
        if checked and (origin is None or not origin_ok(origin, hosts, server.port)):
            server.refused["origin"] += 1
            return web.json_response({"error": "Origin missing or not this viewer's"}, status=403)
        return await handler(request)

    return only_own_pages
