"""A hung port is the root cause even when a guard's timer fires first (issue 16).

The guard's ``action_timeout`` (5 s) is shorter than the simulated interface's hang (40 s), so
its timer fires while the navigate request is still unanswered: the run must say PORT_TIMEOUT
("lowest-level cause wins", behaviours/reasons.py), not SAFETY_TIMEOUT. Without the fault the
same guard on a slow leg still says SAFETY_TIMEOUT.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from executive.cli import main

TREE = """
tree:
  chain:
    name: leg
    step: s1
    children:
      - stage:
          name: attempt leg
          stage: attempt
          child:
            guard:
              name: tight guard
              limits: {action_timeout: %s}
              child: {leaf: {type: navigate, name: go to kitchen, target: kitchen}}
      - abort: {name: abort leg, message: I could not reach the kitchen.}
"""


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], timeout: float, faults: str) -> dict:
    tree = tmp_path / "t.yaml"
    tree.write_text(TREE % timeout)
    argv = ["run", "--world", "kinematic", "--tree", str(tree), "--no-log", "--json", "--engine", "none"]
    if faults:
        argv += ["--faults", faults]
    assert main(argv) == 1
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_hung_port_beats_the_guard_timer(tmp_path, capsys):
    out = _run(tmp_path, capsys, 5, "port_timeout=1.0")
    assert out["reason_code"] == "PORT_TIMEOUT", out
    assert out["steps"][0]["reason"] == "PORT_TIMEOUT"


def test_a_slow_answered_action_is_still_a_safety_timeout(tmp_path, capsys):
    out = _run(tmp_path, capsys, 0.5, "")
    assert out["reason_code"] == "SAFETY_TIMEOUT", out
