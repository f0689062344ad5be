"""The viewer lets in only its own pages: Host allow-list, Origin on the WebSocket and control."""

from __future__ import annotations

import http.client

import pytest

from executive.observe.origin import allowed_hosts, host_name, origin_ok
from executive.observe.server import ViewerServer

from .conftest import live_server, run_in_own_thread


def _get(srv: ViewerServer, path: str, headers: dict[str, str]) -> int:
    """A raw request, so the Host header is exactly what a rebinding page would send."""
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
    try:
        c.putrequest("GET", path, skip_host=True)
        for k, v in headers.items():
            c.putheader(k, v)
        c.endheaders()
        r = c.getresponse()
        r.read()
        return r.status
    finally:
        c.close()


@pytest.fixture
def srv():
    s = ViewerServer(None, port=0, allow_hosts=("viewer.lan",))
    s.start()
    yield s
    s.stop()


def test_foreign_host_gets_403_on_every_route_and_is_counted(srv):
    for path in ("/", "/status", "/healthz", "/api/logs", "/api/log?file=a.mcap", "/static/app.js",
                 "/ws"):
        assert _get(srv, path, {"Host": "evil.example.com"}) == 403, path
        assert _get(srv, path, {"Host": f"evil.example.com:{srv.port}"}) == 403, path
    assert srv.refused["host"] == 14
    assert srv.status()["refused"]["host"] == 14


def test_own_hosts_and_allow_host_are_served(srv):
    for host in (f"127.0.0.1:{srv.port}", f"localhost:{srv.port}", "LOCALHOST", "viewer.lan:1"):
        assert _get(srv, "/status", {"Host": host}) == 200, host
    assert srv.refused["host"] == 0


def test_websocket_with_foreign_origin_is_refused_own_origin_accepted(srv):
    from aiohttp import ClientSession, WSServerHandshakeError

    async def go() -> None:
        async with ClientSession() as s:
            with pytest.raises(WSServerHandshakeError) as e:
                async with s.ws_connect(srv.url + "ws", origin="http://evil.example.com"):
                    pass
            assert e.value.status == 403
            with pytest.raises(WSServerHandshakeError):  # same host, another port's page
                async with s.ws_connect(srv.url + "ws", origin="http://127.0.0.1:1"):
                    pass
            async with s.ws_connect(srv.url + "ws", origin=srv.url.rstrip("/")) as ws:
                msg = await ws.receive(timeout=60)  # generous: the machine is shared
                assert msg.type.name == "TEXT", msg

    run_in_own_thread(go, 120)
    assert srv.refused["origin"] == 2


def test_control_without_or_with_foreign_origin_is_refused():
    s, sink, rt, compiled = live_server(allow_control=True, token="t")
    try:
        import urllib.error
        import urllib.request

        def post(headers: dict[str, str]) -> int:
            req = urllib.request.Request(s.url + "api/control/estop", data=b"{}", method="POST",
                                         headers={"X-Executive-Token": "t", **headers})
            try:
                with urllib.request.urlopen(req, timeout=5) as r:
                    return r.status
            except urllib.error.HTTPError as e:
                return e.code

        assert post({}) == 403
        assert post({"Origin": "http://evil.example.com"}) == 403
        assert post({"Origin": "null"}) == 403
        assert not rt.gate.estopped
        assert s.refused["origin"] == 3
        assert post({"Origin": s.url.rstrip("/")}) == 200
        assert rt.gate.estopped
    finally:
        s.stop()


def test_helpers():
    hosts = allowed_hosts("127.0.0.1", ["Box.Local"])
    assert {"127.0.0.1", "localhost", "::1", "box.local"} <= hosts
    assert {"localhost", "10.0.0.2"} <= allowed_hosts("10.0.0.2")
    assert "evil.example.com" not in allowed_hosts("0.0.0.0")
    assert host_name("[::1]:8765") == "::1" and host_name("a:b:c") is None
    assert origin_ok("http://localhost:8765", hosts, 8765)
    assert not origin_ok("http://localhost:8766", hosts, 8765)
    assert not origin_ok("file://localhost", hosts, 8765)
