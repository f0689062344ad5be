"""The VLA leaf on the simulated world: success with the shipped model, determinism, safety
(NaN/inf/out-of-range never reach the actuators), low confidence, stalls, recovery, bad models."""

from __future__ import annotations

import math
import threading
import time

import numpy as np
import pytest
from vla_leaf_helpers import ROOT, ScriptedEngine, make_harness

from behaviours import vla_engine
from behaviours.reasons import Reason
from behaviours.vla import VLAPolicy
from executive.compiler import compile_plan
from executive.plan import Plan, Step, load_plan
from executive.runtime import RunConfig, Runtime
from executive.sim.backend import SimBackend
from executive.validator import validate
from executive.vla_setup import EngineSetupError, setup_engine
from inference.encoding import anchor_chunk
from inference.reference import REFERENCE_MODEL

PICK = Plan(steps=[Step(skill="pick", object="blue_bottle")], source_text="pick up the blue bottle")


def run_pick(seed: int = 1, engine=None, faults: str = ""):
    if engine is not None:
        vla_engine.configure(lambda: engine)
    backend = SimBackend.create(seed=seed, faults=faults)
    rt = Runtime(backend, RunConfig(clock="lockstep"))
    out = rt.execute(compile_plan(PICK, backend.entities(), vla=True))
    return out, backend.world, rt.last_context


def test_pick_blue_bottle_with_shipped_model(reference_engine):
    out, world, ctx = run_pick(1, reference_engine)
    assert out.outcome == "succeeded", out
    assert world.held == "blue_bottle" and world.objects["blue_bottle"].location == "gripper"
    kinds = [e.kind for e in ctx.events]
    assert "vla_done" in kinds  # the policy did it, not the scripted alternative
    assert not any(e.kind == "recovery" for e in ctx.events)
    eng = next(e for e in ctx.events if e.kind == "engine")
    assert eng.detail["provider"] == "CPUExecutionProvider"
    assert eng.detail["model"].endswith("inference/models/reference/model.onnx")


def test_same_seed_same_trace(reference_engine):
    a, _, _ = run_pick(3, reference_engine)
    b, _, _ = run_pick(3, reference_engine)
    assert a.trace_sha256 == b.trace_sha256 and a.ticks == b.ticks


def _check_port_side(h, card):
    lo, hi = card.bounds()
    for ee, tgt in h.actuators.ee_commands:
        assert all(math.isfinite(v) for v in tgt)
        d = np.asarray(tgt) - np.asarray(ee)
        assert np.all(d <= hi[:3] + 1e-6) and np.all(d >= lo[:3] - 1e-6), (ee, tgt)


def test_nan_inf_out_of_range_never_reach_the_port(reference_engine):
    card = reference_engine.card
    bad = [np.full((8, 4), np.nan), np.full((8, 4), np.inf), np.full((8, 4), -np.inf)]
    h = make_harness()
    leaf = VLAPolicy("vla", "red_cup")
    leaf._test_setup = {"vla_engine": ScriptedEngine(card, bad), "vla_mode": "inline"}
    status = h.run(leaf)
    assert status.value == "FAILURE" and leaf.reason is Reason.VLA_INVALID_ACTION
    assert h.actuators.ee_commands == []  # nothing reached the actuators
    assert leaf.chain.counts["finite"]["rejected"] >= 3
    assert sum(e.kind == "vla_rejected" for e in h.ctx.events) >= 3
    assert h.actuators.stops >= 1

    # out of range: clipped to the card bounds (and rate-limited), never beyond
    huge = np.tile(np.array([[5.0, -5.0, 3.0, 7.0]], np.float32), (8, 1))
    h = make_harness()
    leaf = VLAPolicy("vla", "red_cup", time_limit=3.0)
    leaf._test_setup = {"vla_engine": ScriptedEngine(card, [huge]), "vla_mode": "inline"}
    h.run(leaf)
    assert h.actuators.ee_commands, "clipped actions are still commanded"
    _check_port_side(h, card)
    assert leaf.chain.counts["bounds"]["modified"] > 0


def test_fuzzed_chunks_keep_the_port_safe(reference_engine):
    card = reference_engine.card
    rng = np.random.default_rng(0)
    chunks = []
    for _ in range(60):
        c = rng.normal(0, 0.2, (8, 4)).astype(np.float32)
        mask = rng.random((8, 4))
        c[mask < 0.1] = np.nan
        c[(mask >= 0.1) & (mask < 0.15)] = np.inf
        c[(mask >= 0.15) & (mask < 0.2)] *= 1e6
        chunks.append(c)
    h = make_harness()
    leaf = VLAPolicy("vla", "red_cup", time_limit=30.0)
    leaf._test_setup = {"vla_engine": ScriptedEngine(card, chunks), "vla_mode": "inline"}
    h.run(leaf)
    _check_port_side(h, card)
    assert leaf.counts["rejected"] + leaf.counts["commands"] > 0


def test_low_confidence_fails_with_a_stop(reference_engine):
    card = reference_engine.card
    h = make_harness()
    leaf = VLAPolicy("vla", "red_cup")
    leaf._test_setup = {"vla_engine": ScriptedEngine(card, [np.zeros((8, 4))], confidence=0.05),
                        "vla_mode": "inline"}
    status = h.run(leaf)
    assert status.value == "FAILURE" and leaf.reason is Reason.VLA_LOW_CONFIDENCE
    assert h.actuators.ee_commands == [] and h.actuators.stops >= 1
    assert leaf.chain.counts["confidence"]["rejected"] == 1


class StalledEngine(ScriptedEngine):
    def __init__(self, card) -> None:
        super().__init__(card, [np.zeros((8, 4))])
        self.release = threading.Event()

    def infer(self, obs):
        self.release.wait(10.0)
        return super().infer(obs)


def test_stalled_engine_async_goes_stale_without_blocking(reference_engine):
    h = make_harness()
    eng = StalledEngine(reference_engine.card)
    leaf = VLAPolicy("vla", "red_cup")
    leaf._test_setup = {"vla_engine": eng, "vla_mode": "async"}
    leaf.setup(context=h.ctx, **leaf._test_setup)
    worst = 0.0
    try:
        for _ in range(200):
            t = time.perf_counter()
            leaf.tick_once()
            worst = max(worst, time.perf_counter() - t)
            if leaf.status.value in ("SUCCESS", "FAILURE"):
                break
            h.backend.step(0.1)
    finally:
        eng.release.set()
    assert leaf.status.value == "FAILURE" and leaf.reason is Reason.VLA_STALE
    assert worst < 0.5  # the tick never waited on the engine
    assert h.actuators.ee_commands == []


def test_recovery_falls_back_to_the_scripted_primitive(reference_engine):
    low = ScriptedEngine(reference_engine.card, [np.zeros((8, 4))], confidence=0.01)
    out, world, ctx = run_pick(1, low)
    assert out.outcome == "succeeded", out
    assert world.held == "blue_bottle"
    stages = [e.detail.get("stage") for e in ctx.events if e.kind == "recovery"]
    assert "alternative" in stages
    reasons = [e.detail.get("reason") for e in ctx.events if e.kind == "failure"]
    assert "VLA_LOW_CONFIDENCE" in reasons


def test_corrupt_and_mismatched_models_name_both_files(tmp_path, capsys):
    src = REFERENCE_MODEL.parent
    bad = tmp_path / "model.onnx"
    bad.write_bytes(b"not an onnx file at all")
    (tmp_path / "model.card.yaml").write_text((src / "model.card.yaml").read_text())
    with pytest.raises(EngineSetupError) as ei:
        setup_engine("auto", model=bad)
    msg = str(ei.value)
    assert str(bad) in msg and "model.card.yaml" in msg
    # mismatched: a real ONNX file whose inputs do not match the card
    from inference.tiny import write_tiny_model

    other = write_tiny_model(tmp_path / "tiny")
    (other.parent / "model.card.yaml").write_text((src / "model.card.yaml").read_text())
    with pytest.raises(EngineSetupError, match="card"):
        setup_engine("onnxruntime", model=other)

    from executive.cli import main

    rc = main(["run", "--world", "kinematic",
               "--plan", str(ROOT / "examples/pick_blue_bottle.yaml"), "--model", str(bad),
               "--no-log"] if _has_no_log() else
              ["run", "--world", "kinematic",
               "--plan", str(ROOT / "examples/pick_blue_bottle.yaml"), "--model", str(bad)])
    err = capsys.readouterr().err
    assert rc == 2 and str(bad) in err and "model.card.yaml" in err


def _has_no_log() -> bool:
    from executive.cli import _parser

    return "--no-log" in _parser()._subparsers._group_actions[0].choices["run"].format_help()


def test_cli_prints_the_engine_and_none_runs_scripted(capsys):
    from executive.cli import main

    extra = ["--no-log"] if _has_no_log() else []
    rc = main(["run", "--world", "kinematic",
               "--plan", str(ROOT / "examples/pick_blue_bottle.yaml"), "--seed", "1", "--json",
               *extra])
    err = capsys.readouterr().err
    assert rc == 0
    assert "engine: onnxruntime CPUExecutionProvider (inference/models/reference/model.onnx)" in err
    rc = main(["run", "--world", "kinematic",
               "--plan", str(ROOT / "examples/pick_blue_bottle.yaml"), "--seed", "1",
               "--engine", "none", "--json", *extra])
    assert rc == 0 and "engine: none" in capsys.readouterr().err


def test_validator_accepts_compiled_trees_with_vla_leaves():
    backend = SimBackend.create()
    for plan_file in sorted((ROOT / "examples").glob("*.yaml")):
        for use_vla in (True, False):
            tree = compile_plan(load_plan(plan_file), backend.entities(), vla=use_vla)
            assert validate(tree.root) == [], plan_file
            has = any(isinstance(n, VLAPolicy) for n in tree.root.iterate())
            if not use_vla:
                assert not has
    tree = compile_plan(PICK, backend.entities(), vla=True)
    assert sum(isinstance(n, VLAPolicy) for n in tree.root.iterate()) == 2  # attempt + replan


# -- async anchoring: a late chunk's targets land where they were meant to ----------------------


def test_anchor_chunk_is_the_cumulative_sum_from_the_observation_pose():
    d = np.array([[0.01, 0.0, -0.02, 0.0], [0.01, 0.01, -0.02, 0.0], [0.0, 0.01, 0.0, 1.0]], np.float32)
    t = anchor_chunk(d, (0.5, -0.2, 0.9))
    want = np.array([0.5, -0.2, 0.9]) + np.cumsum(d[:, :3].astype(np.float64), axis=0)
    assert np.allclose(t[:, :3], want, atol=1e-9)
    assert np.array_equal(t[:, 3], d[:, 3])  # the gripper column is kept


class GatedEngine(ScriptedEngine):
    """Answers only when released (a slow model), remembering the observations it answered."""

    def __init__(self, card, chunks) -> None:
        super().__init__(card, chunks)
        self.release = threading.Event()
        self.seen = []

    def infer(self, obs):
        self.seen.append(obs)
        self.release.wait(10.0)
        return super().infer(obs)


def test_async_stale_chunk_is_anchored_at_the_observation_pose(reference_engine):
    """The chunk answers an observation taken 0.3 s (3 steps) earlier; meanwhile the arm moved
    sideways. Its step-3 action must aim at ee_obs + d0 + d1 + d2 + d3 (where the policy meant
    the arm to be), not at the ee now + d3 (which would carry the sideways move along)."""
    h = make_harness()
    step = np.array([0.01, 0.0, 0.0, 0.0], np.float32)
    eng = GatedEngine(reference_engine.card, [np.tile(step, (8, 1))])
    leaf = VLAPolicy("vla", "red_cup")
    leaf._test_setup = {"vla_engine": eng, "vla_mode": "async"}
    leaf.setup(context=h.ctx, **leaf._test_setup)
    w = h.world
    try:
        for _ in range(50):  # look + reach until the policy's first observation is in flight
            leaf.tick_once()
            leaf.runner.queue_threshold = 0.5  # no second request when this chunk lands (5 left)
            deadline = time.monotonic() + 1.0
            while leaf.phase == "policy" and not eng.seen and time.monotonic() < deadline:
                time.sleep(0.005)
            if eng.seen:
                break
            h.backend.step(0.1)
        assert eng.seen and leaf.status.value == "RUNNING"
        obs = eng.seen[0]
        ee_obs = np.asarray(w.fk(), np.float64)
        assert np.allclose(np.asarray(leaf._target) - obs.state[:3], ee_obs, atol=1e-6)
        moved = ee_obs + np.array([0.0, 0.03, 0.0])  # the arm moved on while the model ran
        w.q = w.ik(moved)
        ee_moved = np.asarray(w.fk(), np.float64)
        assert np.linalg.norm(ee_moved - moved) < 1e-3
        for _ in range(3):  # 0.3 s of latency: nothing to serve yet (and not stale)
            h.backend.step(0.1)
            leaf.tick_once()
        assert leaf.status.value == "RUNNING" and h.actuators.ee_commands == []
        eng.release.set()
        assert leaf.runner.wait_for_chunks(1, timeout=5.0)
        leaf.tick_once()
    finally:
        eng.release.set()
        leaf.runner.stop(timeout=1.0)
    assert h.actuators.ee_commands, leaf.feedback_message
    ee_cmd, target = h.actuators.ee_commands[-1]
    assert np.allclose(ee_cmd, ee_moved, atol=1e-9)
    intended = ee_obs + 4 * step[:3]  # actions 0..2 were overtaken; action 3 ends here
    assert np.allclose(target, intended, atol=1e-5), (target, intended)
    assert leaf.runner.stats()["drops"] == 3


def test_async_leaf_conditions_requests_on_its_plan_at_arrival(reference_engine):
    """Async: the runner gets the leaf's forecast, which moves an observation to the anchored
    plan's pose at arrival (state = believed target - that pose, its gripper) and restamps it;
    the chunk is then anchored at that pose. Inline mode has no forecast (it answers at once).
    The runner's side (which plan action, when, no drops) is tested in tests/inference."""
    from inference.contract import Observation

    card = reference_engine.card
    for mode, wants in (("async", True), ("inline", False)):
        h = make_harness()
        leaf = VLAPolicy("vla", "red_cup")
        leaf.setup(context=h.ctx, vla_engine=ScriptedEngine(card, [np.zeros((8, 4), np.float32)]),
                   vla_mode=mode)
        leaf.tick_once()  # initialise: the runner exists (look phase)
        try:
            assert (leaf.runner.forecast is not None) is wants, mode
        finally:
            leaf.runner.stop(timeout=1.0)
    leaf._target = (1.0, 2.0, 0.8)
    obs = Observation({"wrist": np.zeros((96, 96, 3), np.uint8)}, "pick up the red cup",
                      np.array([0.1, 0.2, -0.3, 0.0, 0.0], np.float32), 1.0)
    planned = np.array([0.95, 1.9, 0.9, 1.0])
    out = leaf._forecast(obs, planned, 1.3)
    assert out.stamp == pytest.approx(1.3) and out.instruction == obs.instruction
    assert np.allclose(out.state[:3], np.array([1.0, 2.0, 0.8]) - planned[:3], atol=1e-6)
    assert out.state[3] == 1.0 and out.state[4] == 0.0  # the plan's gripper; holding as observed
    assert np.allclose(leaf._obs_ee(out), planned[:3], atol=1e-6)  # anchored at the forecast pose
    assert np.array_equal(obs.state, np.array([0.1, 0.2, -0.3, 0.0, 0.0], np.float32))  # a copy


# -- place: the same leaf puts the held object on a fixture ---------------------------------


def _place_harness():
    from vla_leaf_helpers import hold

    h = make_harness()
    fixture = hold(h.world, "red_cup")
    return h, fixture


def test_place_puts_the_held_object_on_the_fixture(reference_engine):
    from vla_leaf_helpers import PlaceOracle

    h, fixture = _place_harness()
    leaf = VLAPolicy("vla place", fixture, task="place")
    leaf._test_setup = {"vla_engine": PlaceOracle(reference_engine.card), "vla_mode": "inline"}
    status = h.run(leaf)
    assert status.value == "SUCCESS", (leaf.reason, leaf.feedback_message)
    w = h.world
    assert w.held is None and w.objects["red_cup"].location == fixture
    assert leaf.instruction == f"put the red cup on the {fixture.replace('_', ' ')}"
    assert any(e.kind == "vla_done" and e.detail["task"] == "place" for e in h.ctx.events)


def test_place_released_off_target_fails_with_place_failed(reference_engine):
    from vla_leaf_helpers import PlaceOracle

    h, fixture = _place_harness()
    h.world.q = h.world.ik(tuple(np.asarray(h.world.fk()) + np.array([0.0, 0.0, 0.3])))  # high above
    leaf = VLAPolicy("vla place", fixture, task="place")
    leaf._test_setup = {"vla_engine": PlaceOracle(reference_engine.card, open_at_once=True),
                        "vla_mode": "inline"}
    assert h.run(leaf).value == "FAILURE"
    assert leaf.reason is Reason.PLACE_FAILED and "released red_cup" in leaf.feedback_message
    assert h.world.objects["red_cup"].location != fixture


def test_place_without_a_held_object_fails_at_once(reference_engine):
    from vla_leaf_helpers import PlaceOracle

    h = make_harness()
    leaf = VLAPolicy("vla place", "kitchen_table", task="place")
    leaf._test_setup = {"vla_engine": PlaceOracle(reference_engine.card), "vla_mode": "inline"}
    assert h.run(leaf, max_ticks=3).value == "FAILURE" and leaf.reason is Reason.NOT_HOLDING


def test_bring_red_cup_to_sink_uses_the_vla_for_pick_and_place(reference_engine):
    """The compiled place skill's attempt is the VLA leaf (task place), the scripted place its
    alternative; with a place-capable engine both fine phases are the policy's."""
    from vla_leaf_helpers import PlaceOracle

    place = PlaceOracle(reference_engine.card)

    class Both:  # pick: the shipped model; place: the oracle (by the instruction's verb)
        card, name, provider = reference_engine.card, "pick+place/test", "test"

        def infer(self, obs):
            return (place if obs.instruction.startswith("put ") else reference_engine).infer(obs)

    plan = load_plan(ROOT / "examples/bring_red_cup_to_sink.yaml")
    vla_engine.configure(lambda: Both())
    backend = SimBackend.create(seed=1)
    tree = compile_plan(plan, backend.entities(), vla=True)
    places = [n for n in tree.root.iterate() if isinstance(n, VLAPolicy) and n.task == "place"]
    assert places and places[0].entity == "sink" and places[0].relation == "in"
    rt = Runtime(backend, RunConfig(clock="lockstep"))
    out = rt.execute(tree)
    assert out.outcome == "succeeded", out
    assert backend.world.objects["red_cup"].location == "sink"
    done = [e.detail["task"] for e in rt.last_context.events if e.kind == "vla_done"]
    assert done[-1] == "place"  # the place was the policy's (the pick may have needed a retry)
    assert place.calls > 0


def test_place_on_the_floor_compiles_to_the_scripted_place(reference_engine):
    plan = Plan(steps=[Step(skill="pick", object="red_cup"), Step(skill="place", target="floor")])
    backend = SimBackend.create(seed=1)
    tree = compile_plan(plan, backend.entities(), vla=True)
    assert not any(isinstance(n, VLAPolicy) and n.task == "place" for n in tree.root.iterate())
    assert validate(tree.root) == []


def test_engine_torch_runs_the_shipped_twin(reference_engine):
    """``--engine torch`` with the shipped ONNX path loads the card's PyTorch twin and answers
    as ONNX Runtime does."""
    pytest.importorskip("torch")
    from inference.contract import Observation

    eng = setup_engine("torch")
    assert eng.info["provider"] == "torch-cpu-eager" and eng.info["model"].endswith("model.pt2")
    rng = np.random.default_rng(4)
    obs = Observation({"wrist": rng.integers(0, 256, (96, 96, 3), dtype=np.uint8)}, "pick up the red cup",
                      rng.normal(0, 0.1, 5).astype(np.float32), 0.0)
    np.testing.assert_allclose(eng.engine.infer(obs).actions, reference_engine.infer(obs).actions, atol=1e-4)


def test_reach_in_that_stalls_far_from_the_target_fails_not_reachable(reference_engine):
    """A base that stops moving (blocked, wheels slipping) more than REACH_GIVE_UP from the target
    fails the leaf with NOT_REACHABLE instead of starting the policy out of its domain."""
    h = make_harness()
    h.world.x -= 1.5  # well out of the arm's reach
    h.ctx.ports.motion.command_base = lambda v, w: True  # accepted, but the base never moves
    leaf = VLAPolicy("vla", "red_cup")
    leaf._test_setup = {"vla_engine": ScriptedEngine(reference_engine.card, [np.zeros((8, 4), np.float32)]),
                        "vla_mode": "inline"}
    assert h.run(leaf, max_ticks=40).value == "FAILURE"
    assert leaf.reason is Reason.NOT_REACHABLE and "stalled" in leaf.feedback_message
    assert leaf.counts["observations"] == 0  # the policy never ran


def test_compiled_pick_instruction_names_colour_and_type():
    """The policy is asked in the words it was trained on ("pick up the black dumbbell"), not
    with the entity id ("pick up the dumbbell", which v1.3 missed by 2.5 cm)."""
    plan = Plan(steps=[Step(skill="pick", object="dumbbell"), Step(skill="place", target="kitchen_table")])
    tree = compile_plan(plan, SimBackend.create(seed=0).entities(), vla=True)
    vlas = {n.task: n.instruction for n in tree.root.iterate() if isinstance(n, VLAPolicy)}
    assert vlas["pick"] == "pick up the black dumbbell"
    assert vlas["place"] == "put it on the kitchen table"  # the leaf's default, filled at runtime
