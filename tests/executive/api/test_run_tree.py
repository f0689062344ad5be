"""The public API (issue 19): a user's own py_trees tree runs with one call, its steps found
from the tree, and the validator catches what users get wrong, with the node path."""

from __future__ import annotations

import json
import runpy
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import py_trees
import pytest

import executive
from behaviours.guards import SafetyGuard
from behaviours.leaves import NavigateTo
from behaviours.reasons import Reason
from executive.runtime import Runtime
from executive.sim.backend import SimBackend

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "python" / "own_tree.py"


def _example() -> Any:
    """The example as its user runs it: a script, not a module of ours (its globals)."""
    return SimpleNamespace(**runpy.run_path(str(EXAMPLE), run_name="own_tree_example"))


def test_users_own_tree_runs_with_one_call_and_its_log_opens_in_the_viewer(tmp_path):
    pytest.importorskip("mcap")
    pytest.importorskip("aiohttp")
    log = tmp_path / "own.mcap"
    out = _example().main(str(log))
    assert out.outcome == "succeeded", out.message
    assert [s.status for s in out.steps] == ["succeeded"] * 4  # top-level children are the steps
    assert any("[recovery]" in w for w in out.extra["warnings"])  # hand-written: warned, not refused

    from executive.observe.server import ViewerServer

    server = ViewerServer(None, log_dir=tmp_path, default_file=log.name, host="127.0.0.1", port=0)
    url = server.start()
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/api/log?file={log.name}", timeout=10) as r:
            body = json.loads(r.read().decode())
    finally:
        server.stop()
    assert body["frames"] and body["frames"][0]["data"]  # the camera
    from executive.observe.fold import replay

    bb = replay(body["snapshots"])["blackboard"]["data"]
    assert bb["/errand/route"] == "table" and "/errand/started_at" in bb
    assert body["outcome"]["outcome"] == "succeeded"


def test_a_bare_tree_runs_through_runtime_execute_with_step_ids_assigned():
    leaf = NavigateTo("go", "kitchen")
    root = py_trees.composites.Sequence("mine", memory=True, children=[
        SafetyGuard("g", leaf, {"linear_velocity": 0.5}), py_trees.behaviours.Success("done")])
    out = Runtime(SimBackend.create(seed=0)).execute(root)
    assert out.outcome == "succeeded", out.message
    assert [s.name for s in out.steps] == ["g", "done"]
    assert leaf.step_id == "s1"


class Sneaky(py_trees.behaviour.Behaviour):
    """Commands the base but is not declared actuating (so no guard is required above it)."""

    def setup(self, **kwargs: Any) -> None:
        self.ctx = kwargs["context"]

    def update(self) -> py_trees.common.Status:
        self.ctx.ports.motion.command_base(0.2, 0.0)
        return py_trees.common.Status.SUCCESS


def test_motion_from_a_behaviour_not_declared_actuating_fails_the_tree():
    root = py_trees.composites.Sequence("mine", memory=True, children=[Sneaky("drive myself")])
    out = executive.run_tree(root, engine="none")
    assert out.outcome == "aborted"  # never a silent "succeeded"
    assert out.reason_code is Reason.SAFETY_UNGUARDED
    assert "mine/drive myself" in out.message and "actuating" in out.message


def test_a_misspelled_place_is_refused_before_the_first_tick_with_a_suggestion():
    root = py_trees.composites.Sequence("mine", memory=True, children=[
        SafetyGuard("g", NavigateTo("go", "kitchen_tabel"))])
    out = executive.run_tree(root, engine="none")
    assert out.outcome == "refused" and out.ticks == 0
    assert "mine/g/go" in out.message and "'kitchen_table'" in out.message, out.message


def test_a_looser_guard_warns_and_is_refused_under_strict():
    def tree() -> py_trees.behaviour.Behaviour:
        return SafetyGuard("outer", SafetyGuard("inner", NavigateTo("go", "kitchen"),
                                                {"linear_velocity": 0.9}), {"linear_velocity": 0.5})

    out = executive.run_tree(tree(), engine="none")
    assert out.outcome == "succeeded"
    assert any("outer/inner" in w and "linear_velocity=0.9" in w for w in out.extra["warnings"])
    strict = executive.run_tree(tree(), engine="none", strict=True)
    assert strict.outcome == "refused" and "guard-limits" in strict.message


def test_hand_written_recovery_is_a_warning_unless_strict_and_a_missing_guard_stays_an_error():
    out = executive.run_tree(NavigateTo("go", "kitchen"), engine="none")
    assert out.outcome == "refused" and "[guard]" in out.message and "go" in out.message
    assert "[recovery]" not in out.message
    guarded = SafetyGuard("g", NavigateTo("go", "kitchen"))
    assert executive.run_tree(guarded, engine="none", strict=True).outcome == "refused"


def test_run_plan_and_run_instruction_are_the_cli_runs():
    plan = Path(__file__).resolve().parents[3] / "examples" / "go_to_red_cube.yaml"
    out = executive.run_plan(plan, seed=7, engine="none")
    assert out.outcome == "succeeded" and out.steps
    said = executive.run_instruction("go to the kitchen", engine="none")
    assert said.outcome == "succeeded", said.message
    assert executive.run_instruction("go to the garage", engine="none").outcome in ("refused", "clarify")
