"""Viewer server: health, status, control off by default and token-guarded, refusals counted,
file paths confined to the log directory, and ``executive status``."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest

from executive.cli import main
from executive.observe.server import MAX_CLIENT_MESSAGE, PathRefused, ViewerServer, safe_log_path

from .conftest import EX, live_server, run_in_own_thread


def http(url, method="GET", body=None, headers=None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, raw.decode(errors="replace")


@pytest.fixture
def logdir(tmp_path, capsys):
    d = tmp_path / "logs"
    d.mkdir()
    assert main(["run", "--world", "kinematic",
                 "--plan", str(EX / "go_to_red_cube.yaml"), "--log", str(d / "a.mcap")]) == 0
    (tmp_path / "secret.mcap").write_bytes((d / "a.mcap").read_bytes())
    capsys.readouterr()
    return d


@pytest.fixture
def replay_server(logdir):
    srv = ViewerServer(None, log_dir=logdir, default_file="a.mcap", port=0)
    srv.start()
    yield srv
    srv.stop()


def test_binds_localhost_by_default():
    assert ViewerServer().host == "127.0.0.1"


def test_replay_server_serves_page_assets_and_the_log(replay_server):
    base = replay_server.url
    with urllib.request.urlopen(base, timeout=5) as r:
        html = r.read().decode()
    assert "/static/app.js" in html and "http" not in html.replace("http-equiv", "")  # no CDN
    for asset in ("app.js", "style.css"):
        with urllib.request.urlopen(base + "static/" + asset, timeout=5) as r:
            assert r.status == 200
    code, body = http(base + "api/logs")
    assert code == 200 and [f["name"] for f in body["files"]] == ["a.mcap"]
    code, body = http(base + "api/log?file=a.mcap")
    assert code == 200 and body["snapshots"][0]["kind"] == "keyframe" and body["outcome"]["outcome"]
    code, body = http(base + "healthz")
    assert code == 200
    code, st = http(base + "status")
    assert st["mode"] == "replay" and "engine" in st and st["engine"]["provider"] is None


@pytest.mark.parametrize("name", ["../secret.mcap", "..%2Fsecret.mcap", "/etc/passwd", "%2Fetc%2Fpasswd",
                                  "sub/../../secret.mcap", "a.mcap/../../secret.mcap", "~root/x.mcap",
                                  "..\\secret.mcap", "nope.mcap", ""])
def test_file_paths_cannot_leave_the_log_directory(replay_server, logdir, name):
    before = replay_server.refused["path"]
    code, body = http(replay_server.url + "api/log?file=" + name)
    assert code in (403, 404), (name, code)
    assert "snapshots" not in (body if isinstance(body, dict) else {})
    assert replay_server.refused["path"] == before + 1


def test_safe_log_path_rules(logdir, tmp_path):
    assert safe_log_path(logdir, "a.mcap") == (logdir / "a.mcap").resolve()
    for bad in ("../secret.mcap", str(tmp_path / "secret.mcap"), "/etc/passwd", "a.mcap\x00",
                "x/../../secret.mcap"):
        with pytest.raises(PathRefused):
            safe_log_path(logdir, bad)
    (logdir / "link.mcap").symlink_to(tmp_path / "secret.mcap")
    with pytest.raises(PathRefused):
        safe_log_path(logdir, "link.mcap")  # a symlink pointing out is refused too


def test_static_route_does_not_escape(replay_server):
    for path in ("static/../server.py", "static/%2e%2e/server.py", "static/..%2fserver.py"):
        code, _ = http(replay_server.url + path)
        assert code in (403, 404), path


def test_control_is_off_by_default(replay_server):
    code, body = http(replay_server.url + "api/control/estop", "POST", b"{}")
    assert code == 403 and "allow-control" in body["error"]
    assert replay_server.refused["control_disabled"] == 1


def test_control_needs_the_token_and_refuses_oversize_and_malformed():
    srv, sink, rt, compiled = live_server(allow_control=True, token="s3cret")
    try:
        url = srv.url + "api/control/estop"
        own = {"Origin": srv.url.rstrip("/")}  # control needs this viewer's Origin (test_origin.py)
        assert http(url, "POST", b"{}", own)[0] == 401
        assert http(url, "POST", b"{}", {"X-Executive-Token": "wrong", **own})[0] == 401
        assert srv.refused["bad_token"] == 2
        assert not rt.gate.estopped
        code, _ = http(url, "POST", b"x" * (MAX_CLIENT_MESSAGE + 1), {"X-Executive-Token": "s3cret", **own})
        assert code == 413 and srv.refused["oversize"] == 1
        assert http(url, "POST", b"{not json", {"X-Executive-Token": "s3cret", **own})[0] == 400
        assert srv.refused["malformed"] == 1
        assert not rt.gate.estopped
        tok = {"X-Executive-Token": "s3cret", **own}
        assert http(url, "POST", b"{}", tok) == (200, {"ok": True, "action": "estop"})
        assert rt.gate.estopped
        # the e-stop shows in /status, and a goal run now is refused motion (aborts)
        assert http(srv.url + "status")[1]["estop"] is True
        assert http(srv.url + "api/control/reset", "POST", None, tok)[0] == 200
        assert not rt.gate.estopped
        assert http(srv.url + "api/control/launch_missiles", "POST", b"{}", tok)[0] == 404
    finally:
        srv.stop()


def test_generated_token_when_none_given():
    srv = ViewerServer(allow_control=True)
    assert srv.token and len(srv.token) >= 16
    assert ViewerServer().token is None


def test_websocket_refuses_oversize_and_malformed_messages_and_counts_them():
    from aiohttp import ClientError, ClientSession, WSMsgType

    srv, sink, rt, compiled = live_server()
    try:
        async def talk():
            async with ClientSession() as s, s.ws_connect(srv.url + "ws") as ws:
                hello = await ws.receive_json(timeout=5)
                assert hello["type"] == "hello" and hello["mode"] == "live"
                await ws.send_str("x" * (MAX_CLIENT_MESSAGE + 10))
                assert (await ws.receive_json(timeout=5))["type"] == "error"
                await ws.send_str("{oops")
                assert (await ws.receive_json(timeout=5))["type"] == "error"
                await ws.send_str("[1,2]")
                assert (await ws.receive_json(timeout=5))["type"] == "error"
                await ws.send_str(json.dumps({"type": "ping"}))
                assert (await ws.receive_json(timeout=5))["type"] == "pong"
                try:  # beyond the protocol limit: the server closes the connection
                    await ws.send_bytes(b"\x00" * (2 << 20))
                except (ConnectionError, ClientError):
                    return  # closed while we were still sending: the refusal we want
                msg = await ws.receive(timeout=5)
                assert msg.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING, WSMsgType.ERROR)

        run_in_own_thread(talk, 30)
        assert srv.refused["oversize"] >= 1 and srv.refused["malformed"] == 2
    finally:
        srv.stop()


def test_health_and_status_follow_the_loop(capsys):
    srv, sink, rt, compiled = live_server()
    try:
        code, body = http(srv.url + "healthz")
        assert code == 503 and body["detail"] == "no tick yet"
        seen = {}

        class Probe:
            def on_tick(self, info):
                if info.tick == 30:
                    seen["health"] = http(srv.url + "healthz")
                    seen["status"] = http(srv.url + "status")[1]
                    assert main(["status", "--port", str(srv.port)]) == 0
                    seen["cli"] = json.loads(capsys.readouterr().out)

            def on_outcome(self, o):
                pass

        rt.sinks.append(Probe())
        t = threading.Thread(target=rt.execute, args=(compiled,))
        t.start()
        t.join(60)
        assert seen["health"][0] == 200
        st = seen["status"]
        for key in ("engine", "tick_rate_hz", "target_rate_hz", "estop", "last_error", "uptime_s", "ticks"):
            assert key in st
        assert st["target_rate_hz"] == 10 and st["ticks"] >= 30 and st["estop"] is False
        assert st["engine"] == {"loaded": False, "provider": None, "name": None}
        assert seen["cli"]["mode"] == "live"
        code, body = http(srv.url + "healthz")
        assert code == 503 and body["detail"] == "run finished"
    finally:
        srv.stop()
    assert main(["status", "--port", str(srv.port), "--timeout", "1"]) == 1  # nobody there now


def test_no_encoding_without_clients_and_status_stays_correct():
    """With nobody connected the viewer folds every snapshot (a client gets the current state
    on connecting) and keeps the outcome for /status, but encodes nothing (JSON of the tree,
    PNG frames: GIL time taken from the tick thread). With a client it encodes its pushes."""
    import time

    from aiohttp import ClientSession

    srv, sink, rt, compiled = live_server()
    try:
        out = rt.execute(compiled)
        deadline = time.monotonic() + 10
        while (srv.outcome is None or srv.state["tick"] != out.ticks) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert srv.outcome is not None and srv.state["tick"] == out.ticks
        assert srv.idle_pushes > 0 and srv.encoded_pushes == 0
        code, st = http(srv.url + "status")
        assert code == 200 and st["ticks"] == out.ticks and st["outcome"]["outcome"] == out.outcome
        assert st["clients"] == 0 and st["encoded_pushes"] == 0
        assert http(srv.url + "healthz")[1]["detail"] == "run finished"

        async def watch():
            async with ClientSession() as s, s.ws_connect(srv.url + "ws") as ws:
                assert (await ws.receive_json(timeout=5))["type"] == "hello"
                state = await ws.receive_json(timeout=5)  # folded while nobody listened
                assert state["type"] == "state" and state["state"]["tick"] == out.ticks
                goal = threading.Thread(target=rt.execute, args=(compiled,))
                goal.start()
                pushed = await ws.receive_json(timeout=10)
                assert pushed["type"] in ("state", "delta")
                goal.join(60)

        run_in_own_thread(watch, 60)
        assert srv.encoded_pushes > 0
    finally:
        srv.stop()
