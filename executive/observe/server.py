"""The tree viewer's web server (aiohttp, own thread, own event loop) and health endpoints.

Routes:

* ``GET /`` and ``/static/…`` — the page (all JS/CSS ship in this package; no CDN)
* ``GET /ws`` — WebSocket: live state (a full state first, then coalesced deltas at most every
  ``push_interval_s``), the latest camera frame; clients may send ``{"type": "ping"}``
* ``GET /api/logs`` — the recorded runs in the log directory; ``GET /api/log?file=NAME`` — one
  run's snapshots, events, frames, actions and outcome (``NAME`` may not leave the directory)
* ``GET /healthz`` — 200 while the tick loop is alive (or while serving a recording), else 503
* ``GET /status`` — JSON: engine, tick rate vs target, overruns, e-stop, last error, uptime …
* ``POST /api/control/{cancel|estop|reset}`` — off unless ``allow_control``; then it needs the
  token in the ``X-Executive-Token`` header

Bound to 127.0.0.1 by default; only requests whose ``Host`` (and, for the WebSocket and
control, ``Origin``) name this viewer are served (``executive.observe.origin``). Client
messages and request bodies over 64 KiB or malformed are
refused and counted (``/status`` → ``refused``).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hmac
import json
import math
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from executive.observe.fold import apply, new_state
from executive.observe.mcap_log import png_bytes, read_log
from executive.observe.sink import DropQueue, SnapshotSink
from executive.os_realtime import helper_thread_init

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_CLIENT_MESSAGE = 64 * 1024
TOKEN_HEADER = "X-Executive-Token"
CONTROL_ACTIONS = ("cancel", "estop", "reset")


class PathRefused(ValueError):
    """A requested file name would leave the log directory or is not a log."""


def safe_log_path(log_dir: Path, name: str) -> Path:
    """``log_dir/name`` if it stays inside ``log_dir`` and names an existing ``.mcap`` file."""
    if not isinstance(name, str) or not name or len(name) > 255 or "\x00" in name:
        raise PathRefused("bad file name")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise PathRefused("absolute paths are not allowed")
    parts = Path(name).parts
    if ".." in parts or any(p.startswith("~") for p in parts):
        raise PathRefused("the file must be inside the log directory")
    base = log_dir.resolve()
    p = (base / name).resolve()
    if p != base and base not in p.parents:
        raise PathRefused("the file must be inside the log directory")
    if p.suffix != ".mcap" or not p.is_file():
        raise PathRefused("no such log")
    return p


def patch_since(state: dict[str, Any], snaps: list[dict[str, Any]]) -> dict[str, Any]:
    """One delta for the page covering ``snaps`` (already folded into ``state`` by
    :func:`executive.observe.fold.apply`, the one fold): the *current* entries of the
    behaviours and blackboard keys they touched, their events and actions, the latest tick.

    Why: the server used to merge deltas with a second fold of its own; reading the changed
    entries back from the folded state keeps one definition of what folding means."""
    last = snaps[-1]
    ids = {k for sn in snaps for k in sn.get("behaviours", {})}
    keys = {k for sn in snaps for k in sn.get("blackboard", {}).get("data", {})}
    bs, bb = state["behaviours"], state["blackboard"]["data"]
    out: dict[str, Any] = {
        "schema": last.get("schema"), "kind": "delta", "tick": last["tick"], "timestamp": last["timestamp"],
        "changed": any(sn.get("changed") for sn in snaps), "root": state.get("root", "0"),
        "behaviours": {k: {"id": k, "status": bs[k]["status"], "data": dict(bs[k].get("data", {}))}
                       for k in sorted(ids, key=int) if k in bs},
        "visited_path": list(state["visited_path"]),
        "blackboard": {"data": {k: bb.get(k) for k in keys}},
        "events": [e for sn in snaps for e in sn.get("events", ())],
        "actions": [{**a, "tick": sn["tick"]} for sn in snaps for a in sn.get("actions", ())],
        "tick_stats": dict(state.get("tick_stats", {})),
    }
    if any("limits" in sn for sn in snaps):
        out["limits"] = list(state["limits"])
    if "robot" in last:
        out["robot"] = last["robot"]
    return out


class ViewerServer:
    """Serves the viewer for a live run (``sink``) and/or recordings in ``log_dir``."""

    def __init__(self, sink: SnapshotSink | None = None, log_dir: str | Path | None = None,
                 default_file: str | None = None, host: str = "127.0.0.1", port: int = 8765,
                 allow_control: bool = False, token: str | None = None,
                 controls: dict[str, Callable[[], Any]] | None = None,
                 engine: dict[str, Any] | None = None, target_rate_hz: float | None = None,
                 push_interval_s: float = 0.05, gate: Any = None,
                 allow_hosts: tuple[str, ...] | list[str] = ()) -> None:
        self.sink = sink
        self.allow_hosts = tuple(allow_hosts or ())  # besides the bound address and localhost
        self.gate = gate
        self.log_dir = Path(log_dir) if log_dir is not None else None
        self.default_file = default_file
        self.host = host
        self.port = port
        self.allow_control = allow_control
        self.token = (token or secrets.token_urlsafe(18)) if allow_control else None
        self.controls = dict(controls or {})
        self.engine = engine or {"loaded": False, "provider": None, "name": None}
        self.target_rate_hz = target_rate_hz
        self.push_interval_s = push_interval_s
        self.refused: Counter[str] = Counter()
        self.started = time.time()
        self.state = new_state()
        self.frame: dict[str, Any] | None = None
        self.outcome: dict[str, Any] | None = None
        self.last_error: str | None = None
        self.clients: set[Any] = set()
        self.control_log: list[dict[str, Any]] = []
        self._queue: DropQueue | None = sink.subscribe(512) if sink is not None else None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._log_cache: dict[tuple[str, float, int], dict[str, Any]] = {}
        #: pushes that encoded a message (JSON state/delta, PNG frame) and pushes skipped
        #: because no client was connected (``/status``: ``encoded_pushes``/``idle_pushes``)
        self.encoded_pushes = 0
        self.idle_pushes = 0

    # -- lifecycle ------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def start(self, timeout: float = 10.0) -> str:
        self._thread = threading.Thread(target=self._run, name="viewer", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError("viewer did not start")
        if self._error is not None:
            raise RuntimeError(f"viewer could not start: {self._error}") from self._error
        self._warm_up()
        return self.url

    def _warm_up(self) -> None:
        """One ``GET /healthz`` and ``/status`` through the server's own socket, now (before
        any goal), not at the first request during a goal. Why: the first request costs the
        server thread 40-45 ms (importing ``encodings.idna`` and ``stringprep`` for the Host
        and URL, aiohttp's first use of its request and JSON paths) against ~1 ms after, all
        of it holding the GIL the tick thread needs. Best effort: no counters move (both are
        plain allowed GETs), and a failure only leaves the cost where it was."""
        import http.client

        host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        for path in ("/healthz", "/status"):
            conn = http.client.HTTPConnection(host, self.port, timeout=2.0)
            try:
                conn.request("GET", path, headers={"Host": f"127.0.0.1:{self.port}"})
                conn.getresponse().read()
            except (OSError, http.client.HTTPException):
                return
            finally:
                conn.close()

    def stop(self, timeout: float = 5.0) -> None:
        if self._loop is not None and self._stop is not None:
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout)
        if self.sink is not None and self._queue is not None:
            self.sink.unsubscribe(self._queue)

    def wait(self, seconds: float | None = None) -> None:
        """Block until the server stops (or ``seconds`` pass)."""
        if self._thread is not None:
            self._thread.join(seconds)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        helper_thread_init()  # --rt-helpers: raised (below the tick thread) while a goal runs
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        except BaseException as e:  # surfaced by start()
            self._error = e
            self._ready.set()
        finally:
            loop.close()

    async def _main(self) -> None:
        from aiohttp import web

        self._stop = asyncio.Event()
        from executive.observe.origin import make_middleware

        app = web.Application(client_max_size=MAX_CLIENT_MESSAGE,
                              middlewares=[make_middleware(self)])  # Host / Origin checks
        app.router.add_get("/", self._index)
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/status", self._status)
        app.router.add_get("/ws", self._ws)
        app.router.add_get("/api/logs", self._logs)
        app.router.add_get("/api/log", self._log)
        app.router.add_post("/api/control/{action}", self._control)
        app.router.add_static("/static", STATIC_DIR, follow_symlinks=False)
        runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        server = getattr(site, "_server", None)
        if server is not None and server.sockets:
            self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        pump = asyncio.ensure_future(self._pump())
        try:
            await self._stop.wait()
        finally:
            pump.cancel()
            for ws in list(self.clients):
                with contextlib.suppress(Exception):
                    await ws.close()
            await runner.cleanup()

    # -- live feed ------------------------------------------------------------------------
    async def _pump(self) -> None:
        last_frame_sent = -1
        while True:
            await asyncio.sleep(self.push_interval_s)
            try:
                last_frame_sent = await self._pump_once(last_frame_sent)
            except asyncio.CancelledError:
                raise
            except Exception as e:  # keep serving
                self.last_error = f"viewer: {type(e).__name__}: {e}"

    async def _pump_once(self, last_frame_sent: int) -> int:
        q = self._queue
        if q is None:
            return last_frame_sent
        pending: list[dict[str, Any]] = []  # deltas folded since the last push
        full = False
        for _ in range(5000):  # bounded drain
            item = q.get(timeout=0)
            if item is None:
                break
            topic, payload = item
            if topic == "snapshot":
                was_synced = self.state["synced"]
                apply(self.state, payload)
                if payload["kind"] == "keyframe" or not was_synced:
                    full, pending = True, []
                elif not full:
                    pending.append(payload)
            elif topic == "frame":
                self.frame = payload
            elif topic == "outcome":
                self.outcome = payload
                full = True
        if not self.clients:
            # Nobody listens: the snapshots are folded (the state a client gets on connecting)
            # and the outcome kept (/status, /healthz), but nothing is encoded. Why: this thread
            # shares the GIL with the tick thread; JSON of the whole tree and a PNG per frame,
            # for nobody, were GIL time taken from the tick loop. A client that connects gets
            # the state and the latest frame from its handler (_ws), so this frame is counted
            # as sent.
            self.idle_pushes += 1
            return self.frame["tick"] if self.frame is not None else last_frame_sent
        msgs = []
        if full and self.state["synced"]:
            msgs.append(self._state_msg())
        elif pending and self.state["synced"]:
            msgs.append(json.dumps({"type": "delta", "delta": patch_since(self.state, pending)}))
        if self.frame is not None and self.frame["tick"] != last_frame_sent:
            msgs.append(json.dumps(self._frame_msg(self.frame)))
            last_frame_sent = self.frame["tick"]
        if msgs:
            self.encoded_pushes += 1
        for m in msgs:
            await self._broadcast(m)
        return last_frame_sent

    def _state_msg(self) -> str:
        st = {k: v for k, v in self.state.items()}
        return json.dumps({"type": "state", "state": st, "outcome": self.outcome,
                           "status": self.status()})

    @staticmethod
    def _frame_msg(frame: dict[str, Any]) -> dict[str, Any]:
        return {"type": "frame", "tick": frame["tick"], "format": "png",
                "data": base64.b64encode(png_bytes(frame["image"])).decode()}

    async def _broadcast(self, msg: str) -> None:
        for ws in list(self.clients):
            try:
                await asyncio.wait_for(ws.send_str(msg), 2.0)
            except Exception:  # a slow or gone client is dropped, never waited on
                self.clients.discard(ws)
                with contextlib.suppress(Exception):
                    await ws.close()

    # -- handlers -----------------------------------------------------------------------
    async def _index(self, request: Any) -> Any:
        from aiohttp import web

        return web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-store"})

    def alive(self) -> tuple[bool, str]:
        if self.sink is None:
            return True, "serving recordings"
        st = self.sink.status()
        if self.outcome is not None or st["outcome"] is not None:
            return False, "run finished"
        age = st["last_tick_age_s"]
        if age is None:
            return False, "no tick yet"
        period = 1.0 / self.target_rate_hz if self.target_rate_hz else 0.1
        limit = max(2.0, 10 * period)
        return (age <= limit), ("ticking" if age <= limit else f"no tick for {age:.1f} s")

    async def _healthz(self, request: Any) -> Any:
        from aiohttp import web

        ok, why = self.alive()
        return web.json_response({"ok": ok, "detail": why}, status=200 if ok else 503)

    def status(self) -> dict[str, Any]:
        s: dict[str, Any] = {
            "mode": "live" if self.sink is not None else "replay",
            "engine": self.engine,
            "uptime_s": round(time.time() - self.started, 3),
            "target_rate_hz": self.target_rate_hz,
            "tick_rate_hz": None, "ticks": 0, "overruns": 0, "estop": False,
            "last_error": self.last_error, "dropped_snapshots": 0,
            "control_enabled": self.allow_control,
            "refused": dict(self.refused), "clients": len(self.clients),
            "encoded_pushes": self.encoded_pushes, "idle_pushes": self.idle_pushes,
            "log_dir": str(self.log_dir) if self.log_dir else None,
        }
        if self.sink is not None:
            st = self.sink.status()
            s.update({k: st[k] for k in ("tick_rate_hz", "ticks", "overruns", "estop",
                                         "dropped_snapshots", "last_tick_age_s", "outcome", "timing")})
            s["last_error"] = self.last_error or st["last_error"]
        if self.gate is not None:
            s["estop"] = bool(getattr(self.gate, "estopped", False))
        s["alive"], s["health"] = self.alive()
        return s

    async def _status(self, request: Any) -> Any:
        from aiohttp import web

        return web.json_response(self.status())

    async def _ws(self, request: Any) -> Any:
        from aiohttp import WSMsgType, web

        ws = web.WebSocketResponse(max_msg_size=1 << 20, heartbeat=20)
        await ws.prepare(request)
        self.clients.add(ws)
        try:
            await ws.send_str(json.dumps({
                "type": "hello", "mode": "live" if self.sink is not None else "replay",
                "default_file": self.default_file, "control_enabled": self.allow_control,
                "target_rate_hz": self.target_rate_hz}))
            if self.state["synced"]:
                await ws.send_str(self._state_msg())
            if self.frame is not None:
                await ws.send_str(json.dumps(self._frame_msg(self.frame)))
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._client_message(ws, msg.data)
                elif msg.type == WSMsgType.BINARY:
                    self.refused["binary"] += 1
                    await ws.send_str(json.dumps({"type": "error", "error": "binary messages are refused"}))
                elif msg.type == WSMsgType.ERROR:
                    self.refused["oversize"] += 1
                    break
        finally:
            self.clients.discard(ws)
        return ws

    async def _client_message(self, ws: Any, data: str) -> None:
        if len(data.encode("utf-8", "replace")) > MAX_CLIENT_MESSAGE:
            self.refused["oversize"] += 1
            await ws.send_str(json.dumps({"type": "error", "error": "message over 64 KiB refused"}))
            return
        try:
            msg = json.loads(data)
            if not isinstance(msg, dict) or not isinstance(msg.get("type"), str):
                raise ValueError("not an object with a type")
        except ValueError:
            self.refused["malformed"] += 1
            await ws.send_str(json.dumps({"type": "error", "error": "malformed message refused"}))
            return
        if msg["type"] == "ping":
            await ws.send_str(json.dumps({"type": "pong", "t": time.time()}))
        elif msg["type"] == "resync" and self.state["synced"]:
            await ws.send_str(self._state_msg())
        else:
            self.refused["unknown"] += 1
            await ws.send_str(json.dumps({"type": "error", "error": f"unknown message type {msg['type']!r}"}))

    async def _logs(self, request: Any) -> Any:
        from aiohttp import web

        files = []
        if self.log_dir is not None and self.log_dir.is_dir():
            for p in sorted(self.log_dir.glob("*.mcap"), key=lambda p: p.stat().st_mtime, reverse=True)[:200]:
                files.append({"name": p.name, "size": p.stat().st_size, "mtime": p.stat().st_mtime})
        return web.json_response({"files": files, "default": self.default_file})

    async def _log(self, request: Any) -> Any:
        from aiohttp import web

        name = request.query.get("file", self.default_file or "")
        if self.log_dir is None:
            self.refused["path"] += 1
            return web.json_response({"error": "no log directory"}, status=404)
        try:
            path = safe_log_path(self.log_dir, name)
        except PathRefused as e:
            self.refused["path"] += 1
            return web.json_response({"error": str(e)}, status=403 if "inside" in str(e) or "absolute"
                                     in str(e) else 404)
        st = path.stat()
        key = (str(path), st.st_mtime, st.st_size)
        body = self._log_cache.get(key)
        if body is None:
            data = await asyncio.get_running_loop().run_in_executor(None, read_log, path)
            body = {"file": path.name, "snapshots": data.snapshots, "events": data.events,
                    "frames": [{"tick": f.get("tick", 0), "data": f.get("data", ""),
                                "format": f.get("format", "png")} for f in data.frames],
                    "actions": data.actions, "outcome": data.outcome, "truncated": data.truncated,
                    "metadata": data.metadata}
            self._log_cache = {key: body}
        resp = web.Response(text=json.dumps(body, allow_nan=False, default=_nan_safe),
                            content_type="application/json")
        resp.enable_compression()
        return resp

    async def _control(self, request: Any) -> Any:
        from aiohttp import web

        action = request.match_info["action"]
        if not self.allow_control:
            self.refused["control_disabled"] += 1
            return web.json_response({"error": "control is off (start with --allow-control)"}, status=403)
        given = request.headers.get(TOKEN_HEADER, "")
        if not self.token or not hmac.compare_digest(given.encode(), self.token.encode()):
            self.refused["bad_token"] += 1
            return web.json_response({"error": f"missing or wrong {TOKEN_HEADER}"}, status=401)
        if (request.content_length or 0) > MAX_CLIENT_MESSAGE:
            self.refused["oversize"] += 1
            return web.json_response({"error": "body over 64 KiB refused"}, status=413)
        try:
            raw = await request.read()
            if raw:
                body = json.loads(raw)
                if not isinstance(body, dict):
                    raise ValueError("body must be a JSON object")
        except web.HTTPRequestEntityTooLarge:
            self.refused["oversize"] += 1
            return web.json_response({"error": "body over 64 KiB refused"}, status=413)
        except ValueError:
            self.refused["malformed"] += 1
            return web.json_response({"error": "malformed body"}, status=400)
        fn = self.controls.get(action) if action in CONTROL_ACTIONS else None
        if fn is None:
            self.refused["unknown"] += 1
            return web.json_response({"error": f"unknown or unavailable action {action!r}"}, status=404)
        try:
            fn()
        except Exception as e:
            self.last_error = f"control {action}: {type(e).__name__}: {e}"
            return web.json_response({"error": self.last_error}, status=500)
        self.control_log.append({"action": action, "t": time.time()})
        return web.json_response({"ok": True, "action": action})


def _nan_safe(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    return str(v)
