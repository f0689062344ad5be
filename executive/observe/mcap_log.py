"""The execution log: one MCAP file per run, written as the run goes, readable after a crash.

Channels (JSON message encoding, JSON Schemas, so Foxglove opens the file; the ``foxglove.*``
types are described in :mod:`executive.observe.foxglove`):

* ``/snapshots`` — every tick's snapshot (``snapshot.schema.json``)
* ``/events`` — one ``foxglove.Log`` per event (retries, recoveries, faults, guard trips,
  rejected commands, aborts); the event's fields under ``event``
* ``/tf`` — ``foxglove.FrameTransforms``: ``map → base_link → end_effector``, every tick
* ``/scene`` — ``foxglove.SceneUpdate``: the world as boxes (worlds that can describe it)
* ``/camera`` — downsampled camera frames as ``foxglove.CompressedImage`` (base64 PNG)
* ``/actions`` — commands the safety gate forwarded to the actuators
* ``/outcome`` — the goal's outcome (the CLI's ``--json`` object)

Every message's ``log_time`` (and every ``timestamp`` inside a Foxglove message) is the run's
clock: simulated time in lockstep (a 32 s lockstep run spans 32 s in Foxglove, like its
camera stamps), wall-clock Unix time in real time. The writer's ``clock`` says which.

A background thread drains a bounded :class:`~executive.observe.sink.DropQueue` (the tick
loop never waits) and closes the current chunk, flushes and fsyncs at least every
``flush_interval_s`` (default 0.5 s), so a run killed with SIGKILL leaves a file readable up to
its last flush. :func:`read_log` reads such a truncated file (non-seeking stream, stops at the
broken end).
"""

from __future__ import annotations

import base64
import json
import os
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from executive.observe.foxglove import (
    FRAME_TRANSFORMS_SCHEMA,
    LOG_SCHEMA,
    SCENE_UPDATE_SCHEMA,
    frame_transforms,
    log_message,
)
from executive.observe.sink import DropQueue, SnapshotSink
from executive.observe.snapshot import jsonable
from executive.os_realtime import helper_thread_init

SCHEMA_DIR = Path(__file__).resolve().parent
TOPICS = ("/snapshots", "/events", "/tf", "/scene", "/camera", "/actions", "/outcome")
#: schema name of each topic (encoding ``jsonschema``, message encoding ``json``)
SCHEMA_NAMES = {"/snapshots": "bt_executive.Snapshot", "/events": "foxglove.Log",
                "/tf": "foxglove.FrameTransforms", "/scene": "foxglove.SceneUpdate",
                "/camera": "foxglove.CompressedImage", "/actions": "bt_executive.Action",
                "/outcome": "bt_executive.Outcome"}
CLOCKS = ("lockstep", "realtime")
MCAP_MAGIC = b"\x89MCAP0\r\n"

#: The executive's event record: what a ``foxglove.Log`` on ``/events`` carries under ``event``.
EVENT_SCHEMA = {
    "type": "object", "title": "bt_executive.Event",
    "required": ["kind", "source", "t", "tick"],
    "properties": {"kind": {"type": "string"}, "source": {"type": "string"},
                   "t": {"type": ["number", "string"]}, "tick": {"type": "integer"},
                   "step": {"type": ["string", "null"]}, "reason": {"type": "string"},
                   "message": {"type": "string"}},
}
ACTION_SCHEMA = {
    "type": "object", "title": "bt_executive.Action",
    "required": ["tick", "t", "kind", "values"],
    "properties": {"tick": {"type": "integer"}, "t": {"type": "number"},
                   "kind": {"enum": ["base", "arm", "torque", "ee"]},
                   "values": {"type": "array", "items": {"type": "number"}}},
}
OUTCOME_SCHEMA = {
    "type": "object", "title": "bt_executive.Outcome",
    "required": ["outcome", "reason_code", "message"],
    "properties": {"outcome": {"enum": ["succeeded", "aborted", "cancelled", "refused", "clarify"]},
                   "reason_code": {"type": "string"}, "message": {"type": "string"},
                   "ticks": {"type": "integer"}, "steps": {"type": "array"}},
}
#: foxglove.CompressedImage, JSON encoding (bytes as base64 strings).
COMPRESSED_IMAGE_SCHEMA = {
    "title": "foxglove.CompressedImage", "type": "object",
    "properties": {
        "timestamp": {"type": "object", "title": "time",
                      "properties": {"sec": {"type": "integer", "minimum": 0},
                                     "nsec": {"type": "integer", "minimum": 0, "maximum": 999999999}}},
        "frame_id": {"type": "string"},
        "data": {"type": "string", "contentEncoding": "base64"},
        "format": {"type": "string"},
    },
}


def snapshot_schema() -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / "snapshot.schema.json").read_text(encoding="utf-8"))


def topic_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of every topic (named by :data:`SCHEMA_NAMES`)."""
    return {"/snapshots": snapshot_schema(), "/events": LOG_SCHEMA, "/tf": FRAME_TRANSFORMS_SCHEMA,
            "/scene": SCENE_UPDATE_SCHEMA, "/camera": COMPRESSED_IMAGE_SCHEMA, "/actions": ACTION_SCHEMA,
            "/outcome": OUTCOME_SCHEMA}


def png_bytes(img: Any) -> bytes:
    """A minimal PNG encoder (RGB uint8, H×W×3) on zlib: no imaging library needed."""
    h, w = int(img.shape[0]), int(img.shape[1])
    raw = b"".join(b"\x00" + img[r].tobytes() for r in range(h))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def _stamp(t: float) -> dict[str, int]:
    t = max(0.0, float(t))
    sec = int(t)
    return {"sec": sec, "nsec": min(999_999_999, round((t - sec) * 1e9))}


def _utf8(v: Any) -> str:
    """``str(v)`` that MCAP can store: lone surrogates (undecodable argv bytes) escaped."""
    return str(v).encode("utf-8", "backslashreplace").decode("utf-8")


def default_log_path(log_dir: str | Path = "logs") -> Path:
    d = Path(log_dir)
    return d / f"run-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.mcap"


class McapLogWriter:
    """Writes one run to ``path`` from its own thread, fed by a bounded queue."""

    def __init__(self, path: str | Path, flush_interval_s: float = 0.5, queue_size: int = 8192,
                 metadata: dict[str, Any] | None = None, chunk_size: int = 64 * 1024,
                 clock: str = "lockstep") -> None:
        """``clock``: the run's clock, which every ``log_time`` is in: ``"lockstep"`` (the
        simulated time of each tick) or ``"realtime"`` (the wall-clock time of each tick)."""
        from mcap.writer import CompressionType, Writer

        if clock not in CLOCKS:
            raise ValueError(f"clock must be one of {CLOCKS}, got {clock!r}")
        self.clock = clock
        self._last_t = 0.0
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.flush_interval_s = flush_interval_s
        self.queue = DropQueue(queue_size)
        self._f = open(self.path, "wb")  # noqa: SIM115 - owned by the writer thread until close()
        self._w = Writer(self._f, chunk_size=chunk_size, compression=CompressionType.NONE)
        self._w.start(profile="", library="bt-executive")
        sid = {t: self._w.register_schema(SCHEMA_NAMES[t], "jsonschema", json.dumps(sch).encode())
               for t, sch in topic_schemas().items()}
        self._ch = {t: self._w.register_channel(t, "json", sid[t]) for t in TOPICS}
        self._w.add_metadata("run", {"log_clock": clock,
                                     **{_utf8(k): _utf8(v) for k, v in (metadata or {}).items()}})
        self._seq = 0
        self.messages = 0
        self.flushes = 0
        self.last_flush_wall = time.time()
        self.errors = 0
        self.last_error: str | None = None
        self._flush()
        self._thread = threading.Thread(target=self._loop, name="mcap-log", daemon=True)
        self._thread.start()

    @property
    def dropped(self) -> int:
        return self.queue.dropped

    def attach(self, sink: SnapshotSink) -> McapLogWriter:
        """Feed this writer from a snapshot sink (replaces the default queue)."""
        self.queue = sink.subscribe(self.queue.maxsize)
        return self

    # -- writer thread ---------------------------------------------------------------------
    def _loop(self) -> None:
        helper_thread_init()  # --rt-helpers: raised (below the tick thread) while a goal runs
        next_flush = time.monotonic() + self.flush_interval_s
        while True:
            item = self.queue.get(timeout=max(0.01, next_flush - time.monotonic()))
            if item is not None:
                topic, payload = item
                if topic == "close":
                    break
                try:
                    self._write(topic, payload)
                except Exception as e:  # a bad record must not end the log
                    self.errors += 1
                    self.last_error = f"{type(e).__name__}: {e}"
            if time.monotonic() >= next_flush:
                self._flush()
                next_flush = time.monotonic() + self.flush_interval_s
        try:
            self._w.finish()
        finally:
            self._f.flush()
            os.fsync(self._f.fileno())
            self._f.close()

    def _time(self, t: Any, wall: Any) -> float:
        """The run's clock for a record: its sim time in lockstep, its wall time in real time."""
        v = wall if self.clock == "realtime" else t
        try:
            v = float(v)
        except (TypeError, ValueError):
            v = self._last_t
        if not v >= 0.0 or v == float("inf"):  # NaN, negative or inf: keep the last good time
            v = self._last_t
        self._last_t = v
        return v

    def _msg(self, topic: str, obj: Any, t: float) -> None:
        ns = round(t * 1e9)
        self._w.add_message(self._ch[topic], log_time=ns, publish_time=ns, sequence=self._seq,
                            data=json.dumps(obj, separators=(",", ":"), allow_nan=False).encode())
        self._seq += 1
        self.messages += 1

    def _write(self, topic: str, payload: Any) -> None:
        if topic == "snapshot":
            t = self._time(payload.get("timestamp"), payload.get("tick_stats", {}).get("wall_time"))
            self._msg("/snapshots", payload, t)
            robot = payload.get("robot")
            if robot:
                self._msg("/tf", frame_transforms(robot, t), t)
            for ev in payload.get("events", ()):
                self._msg("/events", log_message(ev, t), t)
            for a in payload.get("actions", ()):
                self._msg("/actions", {"tick": payload["tick"], "t": payload["timestamp"], **a}, t)
        elif topic == "frame":
            t = self._time(payload["t"], payload.get("wall", time.time()))
            img = payload["image"]
            self._msg("/camera", {"timestamp": _stamp(t), "frame_id": "camera",
                                  "data": base64.b64encode(png_bytes(img)).decode(), "format": "png",
                                  "tick": payload["tick"]}, t)
        elif topic == "scene":
            t = self._time(payload["t"], payload.get("wall", time.time()))
            self._msg("/scene", payload["update"], t)
        elif topic == "outcome":
            self._msg("/outcome", jsonable(payload), self._last_t)

    def _flush(self) -> None:
        fin = getattr(self._w, "_Writer__finalize_chunk", None)
        if fin is not None:
            fin()  # close the open chunk so its messages reach the file now
        self._f.flush()
        os.fsync(self._f.fileno())
        self.flushes += 1
        self.last_flush_wall = time.time()

    # -- owner ------------------------------------------------------------------------------
    def put(self, topic: str, payload: Any) -> bool:
        return self.queue.put(topic, payload)

    def close(self, timeout: float = 10.0) -> None:
        self.queue.close()
        self._thread.join(timeout)


# -- reading ------------------------------------------------------------------------------------
@dataclass
class LogData:
    path: str
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    frames: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    outcome: dict[str, Any] | None = None
    metadata: dict[str, dict[str, str]] = field(default_factory=dict)
    truncated: bool = False
    error: str | None = None
    #: the file starts with the MCAP magic (a log, however short); False: not an MCAP file
    is_mcap: bool = True
    snapshot_log_times: list[int] = field(default_factory=list)
    transforms: list[dict[str, Any]] = field(default_factory=list)
    scene_updates: list[dict[str, Any]] = field(default_factory=list)


def read_log(path: str | Path) -> LogData:
    """Read a whole log (complete or cut short by a crash) into memory."""
    from mcap.records import Channel, Message, Metadata
    from mcap.stream_reader import StreamReader

    out = LogData(str(path))
    channels: dict[int, str] = {}
    with open(path, "rb") as f:
        out.is_mcap = f.read(8) == MCAP_MAGIC
        f.seek(0)
        reader = StreamReader(f, skip_magic=False, emit_chunks=False)
        it = reader.records
        while True:
            try:
                rec = next(it)
            except StopIteration:
                break
            except Exception as e:  # truncated or damaged tail: keep what was read
                out.truncated = True
                out.error = f"{type(e).__name__}: {e}"
                break
            if isinstance(rec, Channel):
                channels[rec.id] = rec.topic
            elif isinstance(rec, Message):
                topic = channels.get(rec.channel_id)
                try:
                    obj = json.loads(rec.data)
                except ValueError:
                    continue
                if topic == "/snapshots":
                    out.snapshots.append(obj)
                    out.snapshot_log_times.append(rec.log_time)
                elif topic == "/events":  # foxglove.Log, the event itself under "event"
                    ev = obj.get("event") if isinstance(obj, dict) else None
                    out.events.append(ev if isinstance(ev, dict) else obj)
                elif topic == "/tf":
                    out.transforms.append(obj)
                elif topic == "/scene":
                    out.scene_updates.append(obj)
                elif topic == "/camera":
                    out.frames.append(obj)
                elif topic == "/actions":
                    out.actions.append(obj)
                elif topic == "/outcome":
                    out.outcome = obj
            elif isinstance(rec, Metadata):
                out.metadata[rec.name] = dict(rec.metadata)
    return out


def open_run_log(sink: SnapshotSink, path: str | Path, metadata: dict[str, Any] | None = None,
                 flush_interval_s: float = 0.5, clock: str = "lockstep") -> McapLogWriter:
    """A writer subscribed to ``sink`` (queue of 8192: it drops only if the disk stalls);
    ``clock`` is the run's (``RunConfig.clock``), which the log's times are in."""
    w = McapLogWriter(path, flush_interval_s=flush_interval_s, metadata=metadata, clock=clock)
    return w.attach(sink)


@dataclass
class Recovered:
    """What :func:`recover_log` kept: messages per topic, and why the source ended."""

    messages: int = 0
    per_topic: dict[str, int] = field(default_factory=dict)
    truncated: bool = False
    error: str | None = None


def recover_log(src: str | Path, dst: str | Path | None = None) -> Recovered:
    """Rewrite a log cut short by a kill as a complete MCAP file (summary, index, footer).

    Why: after ``kill -9`` the file has no summary or footer, and the stock seeking reader
    (``mcap.reader.make_reader(f).iter_messages()``, Foxglove) refuses it. The records up to
    the last flush are intact (each flush closes a chunk), so a non-seeking pass reads them and
    a fresh :class:`mcap.writer.Writer` writes them again, schemas, channels and metadata
    included. ``dst`` defaults to ``src`` (replaced atomically, only once the copy is complete).
    """
    from mcap.records import Channel, Message, Metadata, Schema
    from mcap.stream_reader import StreamReader
    from mcap.writer import CompressionType, Writer

    src = Path(src)
    target = Path(dst) if dst is not None else src
    tmp = target.with_name(target.name + ".recovering")
    out = Recovered()
    schemas: dict[int, int] = {}
    channels: dict[int, tuple[int, str]] = {}
    with open(src, "rb") as f, open(tmp, "wb") as g:
        w = Writer(g, compression=CompressionType.NONE)
        w.start(profile="", library="bt-executive (recovered)")
        it = StreamReader(f, skip_magic=False, emit_chunks=False).records
        while True:
            try:
                rec = next(it)
            except StopIteration:
                break
            except Exception as e:  # the broken tail of a killed run: keep what was read
                out.truncated, out.error = True, f"{type(e).__name__}: {e}"
                break
            if isinstance(rec, Schema):
                schemas[rec.id] = w.register_schema(rec.name, rec.encoding, rec.data)
            elif isinstance(rec, Channel):
                cid = w.register_channel(rec.topic, rec.message_encoding,
                                         schemas.get(rec.schema_id, 0), dict(rec.metadata))
                channels[rec.id] = (cid, rec.topic)
            elif isinstance(rec, Message) and rec.channel_id in channels:
                cid, topic = channels[rec.channel_id]
                w.add_message(cid, rec.log_time, rec.data, rec.publish_time, rec.sequence)
                out.messages += 1
                out.per_topic[topic] = out.per_topic.get(topic, 0) + 1
            elif isinstance(rec, Metadata):
                w.add_metadata(rec.name, dict(rec.metadata))
        w.finish()
    os.replace(tmp, target)
    return out
