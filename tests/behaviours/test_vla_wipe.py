"""The VLA leaf's wipe task: the policy wipes the dirt it sees off a surface until none is left;
the compiled wipe skill runs it with the scripted sweep as the alternative."""

from __future__ import annotations

import json

import numpy as np
from vla_leaf_helpers import ScriptedEngine, WipeOracle, make_harness

from behaviours import vla_engine
from behaviours.leaves import Wipe
from behaviours.reasons import Reason
from behaviours.vla import VLAPolicy
from executive.cli import main
from executive.compiler import compile_plan
from executive.plan import Plan, Step
from executive.runtime import RunConfig, Runtime
from executive.sim.backend import SimBackend
from executive.validator import validate

WIPE = Plan(steps=[Step(skill="wipe", object="kitchen_table")], source_text="wipe the kitchen table")


def _harness(seed: int = 1):
    h = make_harness(seed, near="kitchen_table")
    patch = h.world.soil("kitchen_table")
    return h, patch


def test_wipe_cleans_the_surface_with_the_oracle(reference_engine):
    h, patch = _harness()
    oracle = WipeOracle(reference_engine.card, h.world, "kitchen_table")
    leaf = VLAPolicy("vla wipe", "kitchen_table", task="wipe")
    leaf._test_setup = {"vla_engine": oracle, "vla_mode": "inline"}
    status = h.run(leaf)
    assert status.value == "SUCCESS", (leaf.reason, leaf.feedback_message)
    assert patch.clean and not h.world.fixtures["kitchen_table"].dirty
    assert leaf.instruction == "wipe the kitchen table" and oracle.calls > 0
    assert any(e.kind == "vla_done" and e.detail["task"] == "wipe" for e in h.ctx.events)
    assert any(e.name == "wiped" and e.detail.get("by") == "contact" for e in h.world.events)


def test_wipe_of_a_clean_surface_succeeds_without_the_policy(reference_engine):
    h = make_harness(1, near="kitchen_table")
    oracle = WipeOracle(reference_engine.card, h.world, "kitchen_table")
    leaf = VLAPolicy("vla wipe", "kitchen_table", task="wipe")
    leaf._test_setup = {"vla_engine": oracle, "vla_mode": "inline"}
    assert h.run(leaf).value == "SUCCESS" and oracle.calls == 0
    assert "already clean" in leaf.feedback_message


def test_wipe_of_what_is_not_a_surface_is_an_invalid_target(reference_engine):
    h = make_harness(1, near="tv")
    leaf = VLAPolicy("vla wipe", "tv", task="wipe")
    leaf._test_setup = {"vla_engine": WipeOracle(reference_engine.card, h.world, "tv"), "vla_mode": "inline"}
    assert h.run(leaf).value == "FAILURE" and leaf.reason is Reason.INVALID_TARGET


def test_shipped_policy_wipes_the_kitchen_table(reference_engine):
    """The shipped multi-task model (not an oracle) wipes from the camera image: the state only
    carries the dirt's centre, which spots are left is only in the frame."""
    for seed in (1, 2):
        h, patch = _harness(seed)
        leaf = VLAPolicy("vla wipe", "kitchen_table", task="wipe")
        leaf._test_setup = {"vla_engine": reference_engine, "vla_mode": "inline"}
        status = h.run(leaf)
        assert status.value == "SUCCESS", (seed, leaf.reason, leaf.feedback_message, patch.left)
        assert patch.clean


def test_wipe_skill_compiles_the_vla_attempt_and_the_scripted_alternative():
    backend = SimBackend.create(seed=1)
    tree = compile_plan(WIPE, backend.entities(), vla=True)
    nodes = list(tree.root.iterate())
    assert any(isinstance(n, VLAPolicy) and n.task == "wipe" and n.entity == "kitchen_table" for n in nodes)
    assert any(isinstance(n, Wipe) for n in nodes)  # the alternative
    assert validate(tree.root) == []
    scripted = list(compile_plan(WIPE, backend.entities(), vla=False).root.iterate())
    assert not any(isinstance(n, VLAPolicy) for n in scripted) and any(isinstance(n, Wipe) for n in scripted)


def test_a_policy_that_never_wipes_falls_back_to_the_scripted_sweep(reference_engine):
    """Zero actions: the leaf times out (VLA_TIMEOUT) on every attempt, then the alternative
    (the scripted wipe) cleans the table and the step succeeds."""
    idle = ScriptedEngine(reference_engine.card, [np.zeros((8, 4), np.float32)])
    vla_engine.configure(lambda: idle)
    backend = SimBackend.create(seed=1)
    backend.world.soil("kitchen_table")
    rt = Runtime(backend, RunConfig(clock="lockstep"))
    out = rt.execute(compile_plan(WIPE, backend.entities(), vla=True))
    assert out.outcome == "succeeded", out
    assert not backend.world.fixtures["kitchen_table"].dirty
    fails = [e.detail.get("reason") for e in rt.last_context.events if e.kind == "leaf_failed"]
    assert idle.calls > 0 and out.steps[0].retries >= 1, (out.steps, fails)


def test_cli_wipes_a_soiled_table_and_refuses_soiling_a_tv(capsys):
    assert main(["run", "--world", "kinematic",
                 "wipe the kitchen table", "--dirty", "kitchen_table", "--json"]) == 0
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["outcome"] == "succeeded", last
    assert last["steps"][0]["retries"] == 0  # the policy's first attempt did it (no alternative)
    assert main(["run", "--world", "kinematic", "wipe the kitchen table", "--dirty", "tv"]) == 2
    assert "not a surface" in capsys.readouterr().err


def test_ros_sim_node_refuses_soiling_what_is_not_a_surface(capsys):
    from executive.ros.sim_node import main as sim_node_main

    assert sim_node_main(["--dirty", "kitchen_table,tv"]) == 2
    assert "not a surface that can be soiled: tv" in capsys.readouterr().err
