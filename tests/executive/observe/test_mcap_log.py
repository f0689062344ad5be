"""The MCAP execution log: channels Foxglove can open, crash survival, summary, CLI."""

from __future__ import annotations

import base64
import json
import os
import signal
import time
from pathlib import Path

import jsonschema

from executive.cli import main
from executive.observe.mcap_log import COMPRESSED_IMAGE_SCHEMA, read_log, snapshot_schema
from executive.observe.summary import summarise

from .conftest import EX, start_cli, wait_for_line

PLAN = str(EX / "bring_red_cup_to_sink.yaml")


def test_run_writes_a_complete_log_with_all_channels(tmp_path, capsys):
    log = tmp_path / "run.mcap"
    code = main(["run", "--world", "kinematic",
                 "--plan", PLAN, "--seed", "1", "--faults", "grasp_fail=0.6", "--log", str(log),
                 "--json", "--engine", "none"])
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 0
    data = read_log(log)
    assert not data.truncated
    assert len(data.snapshots) == out["ticks"]
    assert data.outcome["trace_sha256"] == out["trace_sha256"]
    assert data.frames and data.actions and data.events
    assert data.metadata["run"]["seed"] == "1"
    v = jsonschema.Draft202012Validator(snapshot_schema())
    for s in data.snapshots[:60]:
        v.validate(s)
    img = data.frames[0]
    jsonschema.validate(img, COMPRESSED_IMAGE_SCHEMA)
    assert base64.b64decode(img["data"]).startswith(b"\x89PNG")
    # the summary section is there too (Foxglove/indexed readers)
    from mcap.reader import make_reader

    with open(log, "rb") as f:
        summary = make_reader(f).get_summary()
    topics = {c.topic for c in summary.channels.values()}
    assert topics == {"/snapshots", "/events", "/tf", "/scene", "/camera", "/actions", "/outcome"}
    assert {s.encoding for s in summary.schemas.values()} == {"jsonschema"}
    assert any(s.name == "foxglove.CompressedImage" for s in summary.schemas.values())


def test_lockstep_log_is_in_sim_time_with_foxglove_schemas(tmp_path, capsys):
    """Issue 19 item 4: log_time spans the run's sim time (not the ~0.3 s of wall time a lockstep
    run takes); /events is foxglove.Log, /tf foxglove.FrameTransforms, /scene
    foxglove.SceneUpdate, each message valid against its schema (read with the mcap reader)."""
    from mcap.reader import make_reader

    from executive.observe.mcap_log import SCHEMA_NAMES, topic_schemas

    log = tmp_path / "run.mcap"
    assert main(["run", "--world", "kinematic",
                 "--plan", PLAN, "--seed", "1", "--faults", "grasp_fail=0.6", "--log", str(log),
                 "--json", "--engine", "none"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    with open(log, "rb") as f:
        reader = make_reader(f)
        summary = reader.get_summary()
        by_topic: dict[str, list] = {}
        times: dict[str, list[int]] = {}
        for schema, channel, message in reader.iter_messages():
            assert channel.message_encoding == "json"
            assert schema.encoding == "jsonschema" and schema.name == SCHEMA_NAMES[channel.topic]
            by_topic.setdefault(channel.topic, []).append(json.loads(message.data))
            times.setdefault(channel.topic, []).append(message.log_time)
    names = {c.topic: summary.schemas[c.schema_id].name for c in summary.channels.values()}
    assert names["/events"] == "foxglove.Log"
    assert names["/tf"] == "foxglove.FrameTransforms"
    assert names["/scene"] == "foxglove.SceneUpdate"
    assert names["/camera"] == "foxglove.CompressedImage"
    snaps = by_topic["/snapshots"]
    sim_span = snaps[-1]["timestamp"] - snaps[0]["timestamp"]
    assert sim_span > 10.0  # the run lasts tens of simulated seconds
    st = summary.statistics
    assert abs((st.message_end_time - st.message_start_time) / 1e9 - sim_span) < 1e-3
    assert [t / 1e9 for t in times["/snapshots"]] == [round(s["timestamp"], 9) for s in snaps]
    # header stamps agree with log_time (camera, events, tf)
    for topic in ("/camera", "/events"):
        for m, t in zip(by_topic[topic], times[topic], strict=True):
            assert m["timestamp"]["sec"] * 10**9 + m["timestamp"]["nsec"] == t, topic
    for m, t in zip(by_topic["/tf"], times["/tf"], strict=True):
        assert {(x["parent_frame_id"], x["child_frame_id"]) for x in m["transforms"]} == {
            ("map", "base_link"), ("base_link", "end_effector")}
        assert m["transforms"][0]["timestamp"]["sec"] * 10**9 + m["transforms"][0]["timestamp"]["nsec"] == t
    assert len(by_topic["/tf"]) == len(snaps) == out["ticks"]
    xs = [m["transforms"][0]["translation"]["x"] for m in by_topic["/tf"]]
    assert max(xs) - min(xs) > 0.5  # the base moved
    schemas = topic_schemas()
    for topic in ("/events", "/tf", "/scene", "/camera"):
        v = jsonschema.Draft202012Validator(schemas[topic])
        for m in by_topic[topic][:50]:
            v.validate(m)
    assert {m["level"] for m in by_topic["/events"]} <= {0, 1, 2, 3, 4, 5}
    assert any("grasp_fail" in m["message"] for m in by_topic["/events"])
    # the scene: fixtures and objects as boxes, the robot's body on base_link
    first = {e["id"]: e for e in by_topic["/scene"][0]["entities"]}
    assert "fixture/sink" in first and "object/red_cup" in first
    assert first["robot/base"]["frame_id"] == "base_link" and first["robot/base"]["frame_locked"]
    assert all(len(e["cubes"]) == 1 for e in first.values())
    # the executive's reader still sees the events as events
    data = read_log(log)
    assert data.events and all("kind" in e and "tick" in e for e in data.events)


def test_default_log_goes_to_logs_dir_and_no_log_disables(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EXECUTIVE_LOG_DIR", raising=False)
    assert main(["run", "--world", "kinematic", "--plan", PLAN, "--seed", "1"]) == 0
    assert len(list((tmp_path / "logs").glob("run-*.mcap"))) == 1
    assert main(["run", "--world", "kinematic", "--plan", PLAN, "--seed", "1", "--no-log"]) == 0
    assert len(list((tmp_path / "logs").glob("*.mcap"))) == 1


def test_truncated_file_reads_up_to_the_break(tmp_path, capsys):
    log = tmp_path / "run.mcap"
    assert main(["run", "--world", "kinematic", "--plan", PLAN, "--seed", "1", "--log", str(log)]) == 0
    full = read_log(log)
    raw = log.read_bytes()
    for cut in (len(raw) // 3, len(raw) // 2, len(raw) - 7):
        part = tmp_path / f"cut{cut}.mcap"
        part.write_bytes(raw[:cut])
        d = read_log(part)
        assert d.truncated
        assert 0 < len(d.snapshots) <= len(full.snapshots)
        assert [s["tick"] for s in d.snapshots] == list(range(1, len(d.snapshots) + 1))
        s = summarise(d)
        assert s["truncated"] and s["ticks"] == len(d.snapshots)


def test_sigkill_leaves_a_log_readable_to_within_a_second(tmp_path):
    """Realtime run, SIGKILL after ~2.5 s: the file holds snapshots to <= 1 s before the kill."""
    log = tmp_path / "killed.mcap"
    p = start_cli(["run", "--world", "kinematic",
                   "--plan", PLAN, "--seed", "1", "--clock", "realtime", "--rate", "20",
                   "--log", str(log)])
    try:
        wait_for_line(p, r"log: ")
        time.sleep(2.5)
        killed_at = time.time()
        os.kill(p.pid, signal.SIGKILL)
        p.wait(10)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait(10)
    data = read_log(log)
    assert data.outcome is None
    assert data.snapshots, "nothing readable after the kill"
    last_wall = data.snapshots[-1]["tick_stats"]["wall_time"]
    assert abs(data.snapshot_log_times[-1] / 1e9 - last_wall) < 1e-3  # realtime: log_time is wall time
    assert data.metadata["run"]["log_clock"] == "realtime"
    gap = killed_at - last_wall
    report = {"ticks_recovered": len(data.snapshots), "last_snapshot_before_kill_s": round(gap, 3),
              "truncated": data.truncated, "bytes": log.stat().st_size}
    (Path(os.environ.get("OBSERVE_REPORT_DIR", tmp_path)) / "kill9.json").write_text(json.dumps(report))
    print("kill -9:", report)
    assert gap <= 1.0, report
    assert len(data.snapshots) >= 20  # 20 Hz for ~2 s
    assert [s["tick"] for s in data.snapshots] == list(range(1, len(data.snapshots) + 1))
    assert data.snapshots[0]["kind"] == "keyframe"


def test_log_summary_text_and_json(tmp_path, capsys):
    log = tmp_path / "f.mcap"
    code = main(["run", "--world", "kinematic",
                 "--plan", PLAN, "--seed", "1", "--faults", "grasp_fail=0.6,blocked_path=0.3",
                 "--log", str(log), "--json", "--engine", "none"])
    outcome = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 1
    assert main(["log", "summary", str(log), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["outcome"] == outcome["outcome"] == "aborted"
    # each cause once: the injected grasp_fail is the origin of GRASP_FAILED, not a second type,
    # and the abort restates the last NAV_NO_PATH instead of adding one
    assert s["faults"]["grasp_fail"] >= 1
    assert "grasp_fail" not in s["failures_by_type"] and "blocked_path" not in s["failures_by_type"]
    assert s["fault_origins"]["GRASP_FAILED"]["grasp_fail"] == s["failures_by_type"]["GRASP_FAILED"]
    data = read_log(log)
    nav = sum(1 for e in data.events if e["kind"] == "failure" and e.get("reason") == "NAV_NO_PATH")
    assert any(e["kind"] == "abort" and e["reason"] == "NAV_NO_PATH" for e in data.events)
    assert s["failures_by_type"]["NAV_NO_PATH"] == nav
    assert s["root_cause"]["reason"] == "NAV_NO_PATH" and s["root_cause"]["fault"] == "blocked_path"
    assert {"retry", "alternative"} <= set(s["recovery"])
    assert s["recovery"]["alternative"]["worked"] == 1  # step 1 succeeded on its alternative
    assert [st["name"] for st in s["steps"]] == ["step 1 pick red_cup", "step 2 place red_cup into sink"]
    assert all(st["time_s"] and st["time_s"] > 0 for st in s["steps"])
    assert main(["log", "summary", str(log)]) == 0
    text = capsys.readouterr().out
    for needle in ("failures by cause:", "root cause:", "recovery strategies:", "time per step:",
                   "safety violations blocked:", "grasp_fail", "NAV_NO_PATH"):
        assert needle in text
    assert main(["log", "summary", str(tmp_path / "missing.mcap")]) == 2
    bad = tmp_path / "bad.mcap"
    bad.write_bytes(b"not an mcap")
    assert main(["log", "summary", str(bad)]) == 2  # a clear error, never a traceback
    assert "cannot read" in capsys.readouterr().err


def test_violations_blocked_are_logged(tmp_path):
    """A command beyond the limits is refused at the gate and shows in the log and its summary."""
    from executive.observe.mcap_log import open_run_log
    from executive.observe.sink import SnapshotSink

    from .conftest import run_plan

    sink = SnapshotSink()

    class Rogue:  # after a few ticks, try to drive too fast through the gate
        def __init__(self, rt) -> None:
            self.rt = rt

        def on_tick(self, info):
            if info.tick == 5:
                self.rt.gate.command_base(5.0, 0.0)

        def on_outcome(self, o):
            pass

    rt, backend, compiled = run_plan(sinks=[])
    rt.sinks[:] = [Rogue(rt), sink]
    log = tmp_path / "v.mcap"
    w = open_run_log(sink, log)
    rt.execute(compiled)
    w.close()
    d = read_log(log)
    rejected = [e for e in d.events if e["kind"] == "rejected"]
    assert rejected and rejected[0]["reason"] == "SAFETY_LINEAR_VELOCITY"
    assert summarise(d)["violations_blocked"]["total"] >= 1


def test_log_summary_root_cause_of_a_grasp_that_timed_out(tmp_path, capsys):
    """Every grasp fails (the VLA pick retries inside its attempt) until the step times out: the
    root cause is the grasp failure with its count, not only VLA_TIMEOUT."""
    log = tmp_path / "g.mcap"
    assert main(["run", "--world", "kinematic",
                 "--plan", PLAN, "--seed", "1", "--faults", "grasp_fail=1.0", "--log", str(log),
                 "--json"]) == 1
    outcome = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert main(["log", "summary", str(log), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    rc = s["root_cause"]
    faults = sum(1 for e in read_log(log).events if e["kind"] == "fault" and e.get("name") == "grasp_fail")
    assert faults > 10
    if outcome["reason_code"] in ("VLA_TIMEOUT", "SAFETY_TIMEOUT", "RETRIES_EXHAUSTED"):
        assert rc["ended_as"] == outcome["reason_code"]
    assert rc["reason"] == "GRASP_FAILED" and rc["fault"] == "grasp_fail"
    assert rc["count"] == faults  # each failed grasp once (fault and failure are one cause)
    assert main(["log", "summary", str(log)]) == 0
    assert f"root cause: the grasp failed (GRASP_FAILED ×{faults}" in capsys.readouterr().out


def test_log_summary_of_a_run_killed_before_its_first_flush(tmp_path, capsys):
    """Cut inside the first chunk: an MCAP with nothing complete is still a log (0 ticks,
    truncated, exit 0); bytes that are not an MCAP are an error naming the file."""
    log = tmp_path / "run.mcap"
    assert main(["run", "--world", "kinematic", "--plan", PLAN, "--seed", "1", "--log", str(log)]) == 0
    raw = log.read_bytes()
    for cut in (8, 37, 2000):
        part = tmp_path / f"cut{cut}.mcap"
        part.write_bytes(raw[:cut])
        capsys.readouterr()
        assert main(["log", "summary", str(part), "--json"]) == 0, cut
        s = json.loads(capsys.readouterr().out)
        assert s["truncated"] and s["ticks"] == 0
    bad = tmp_path / "bad.mcap"
    bad.write_bytes(raw[:4])
    assert main(["log", "summary", str(bad)]) == 2
    assert f"cannot read {bad}" in capsys.readouterr().err
