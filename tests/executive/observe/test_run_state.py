"""What the viewer shows besides the tree: the run's blackboard keys (issue 19 item 5)."""

from __future__ import annotations

import json

from executive.cli import main
from executive.observe.fold import replay
from executive.observe.mcap_log import read_log

from .conftest import EX

PLAN = str(EX / "bring_red_cup_to_sink.yaml")


def test_compiled_tree_writes_steps_abort_and_limits_to_the_blackboard(tmp_path, capsys):
    log = tmp_path / "f.mcap"
    assert main(["run", "--world", "kinematic",
                 "--plan", PLAN, "--seed", "1", "--faults", "grasp_fail=0.6,blocked_path=0.3",
                 "--log", str(log), "--json", "--engine", "none"]) == 1
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    data = read_log(log)
    first = data.snapshots[0]["blackboard"]["data"]
    assert first["/steps/s1"]["status"] == "running" and first["/steps/s2"]["status"] == "not started"
    assert first["/safety/scope"].startswith("guard") and "linear_velocity" in first["/safety/limits"]
    bb = replay(data.snapshots)["blackboard"]["data"]
    assert [bb[f"/steps/s{i}"]["status"] for i in (1, 2)] == [s["status"] for s in out["steps"]]
    assert bb["/steps/s2"]["reason"] == out["reason_code"] == "NAV_NO_PATH"
    assert bb["/steps/s1"]["failures"] >= 1  # recovered from a grasp failure
    assert bb["/abort"] == {"reason": "NAV_NO_PATH", "message": out["message"], "step": "s2"}
    # written only on change: most deltas carry no blackboard key
    deltas = [s for s in data.snapshots if s["kind"] == "delta"]
    assert sum(1 for s in deltas if s["blackboard"]["data"]) < len(deltas) / 3


def test_idle_nodes_carry_no_stale_feedback(tmp_path, capsys):
    """A leaf reset by a retry (INVALID again) shows no feedback or reason from its last run."""
    from executive.observe.fold import apply, new_state

    log = tmp_path / "f.mcap"
    main(["run", "--world", "kinematic",
          "--plan", PLAN, "--seed", "1", "--faults", "grasp_fail=0.6,blocked_path=0.3",
          "--log", str(log), "--engine", "none"])
    data = read_log(log)
    state, idle_seen, stale = new_state(), 0, []
    had_feedback: set[str] = set()
    for snap in data.snapshots:
        apply(state, snap)
        for k, b in state["behaviours"].items():
            if b["status"] != "INVALID":
                if b["data"].get("Feedback"):
                    had_feedback.add(k)
                continue
            if k in had_feedback:
                idle_seen += 1
            if b["data"].get("Feedback") or b["data"].get("reason", "NONE") != "NONE":
                stale.append((snap["tick"], b["name"], b["data"].get("Feedback"), b["data"].get("reason")))
    assert idle_seen > 0  # nodes did go idle again after giving feedback (retries, escalations)
    assert not stale, stale[:5]


def test_view_paces_a_lockstep_run_without_changing_it(capsys):
    """``--view`` in lockstep ticks at (pace ×) the run's rate in wall time so a page can follow;
    the run itself (ticks, trace) is the same as without the viewer."""
    import time

    plan = str(EX / "go_to_red_cube.yaml")
    assert main(["run", "--world", "kinematic",
                 "--plan", plan, "--seed", "1", "--no-log", "--json", "--engine", "none"]) == 0
    plain = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    t0 = time.perf_counter()
    assert main(["run", "--world", "kinematic",
                 "--plan", plan, "--seed", "1", "--no-log", "--json", "--engine", "none",
                 "--view", "--port", "0", "--linger", "0", "--pace", "4"]) == 0
    wall = time.perf_counter() - t0
    paced = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert paced["trace_sha256"] == plain["trace_sha256"] and paced["ticks"] == plain["ticks"]
    assert wall >= 0.9 * plain["ticks"] / (10.0 * 4), (wall, plain["ticks"])


def _run_on_a_terminal(args: list[str], env_extra: dict[str, str], size: bool = True) -> tuple[int, str]:
    """The CLI with stderr on a pseudo-terminal (what a person sees), stdout to a pipe;
    ``size``: a 120×40 terminal (else one of no size, where the plain line is used)."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    from .conftest import ROOT

    master, slave = pty.openpty()
    if size:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**os.environ, "PYTHONPATH": str(ROOT), **env_extra}
    p = subprocess.Popen([sys.executable, "-m", "executive.cli", *args], stdout=subprocess.PIPE,
                         stderr=slave, cwd=ROOT, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            b = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not b:
            break
        chunks.append(b)
    p.communicate(timeout=120)
    os.close(master)
    return p.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_progress_line_on_a_terminal_only_and_not_with_quiet(tmp_path, capsys):
    args = ["run", "--world", "kinematic", "--plan", PLAN, "--seed", "1", "--engine", "none", "--no-log"]
    env = {"EXECUTIVE_PROGRESS_AFTER_S": "0"}  # the run is short: show it from the first tick
    code, err = _run_on_a_terminal(args, env)
    assert code == 0
    assert "executive: tick " in err and " s · 0 failures · 0 retries" in err, err[-500:]
    code, err = _run_on_a_terminal(args, env, size=False)  # the plain line
    assert code == 0 and "executive: tick " in err and "0 failures" in err, err[-500:]
    code, err = _run_on_a_terminal([*args, "--quiet"], env)
    assert code == 0 and "executive: tick " not in err
    # not a terminal (a pipe, capsys): no progress line at all
    assert main([*args, "--log", str(tmp_path / "p.mcap")]) == 0
    assert "tick " not in capsys.readouterr().err


def test_server_patches_fold_to_the_servers_state(tmp_path, capsys):
    """One fold: the server folds every snapshot with ``fold.apply`` and sends the page the
    current entries of what changed; a page folding those patches holds the server's state."""
    import random

    from executive.observe.fold import apply, new_state
    from executive.observe.server import patch_since

    log = tmp_path / "f.mcap"
    main(["run", "--world", "kinematic",
          "--plan", PLAN, "--seed", "1", "--faults", "grasp_fail=0.6", "--log", str(log),
          "--engine", "none"])
    snaps = read_log(log).snapshots
    rng = random.Random(3)
    server, page = new_state(), new_state()
    i = 0
    while i < len(snaps):
        batch = snaps[i:i + rng.randrange(1, 40)]
        i += len(batch)
        pending = []
        for sn in batch:
            apply(server, sn)
            if sn["kind"] == "keyframe":
                pending = []
                apply(page, sn)  # the server sends a whole state here; a keyframe is one
            else:
                pending.append(sn)
        if pending:
            apply(page, patch_since(server, pending))
        assert page["behaviours"] == server["behaviours"], i
        assert page["blackboard"] == server["blackboard"] and page["tick"] == server["tick"]
        assert page["limits"] == server["limits"]
