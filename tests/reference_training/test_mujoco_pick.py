"""The reference VLA on the MuJoCo world: splits, the expert, a seeded demo and leaf episode, the
world -> card lookup. Short and seeded (the training itself is a tool run, not a test)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from inference.reference import REFERENCE_DIR, REFERENCE_MODEL, REFERENCE_MUJOCO_MODEL, reference_model
from reference_training import mujoco_pick as mp
from reference_training.scenes import CHUNK, IMG, STEP


def test_held_out_pairs_are_unseen_and_every_colour_and_type_is_seen():
    assert not set(mp.UNSEEN) & set(mp.SEEN)
    assert len(mp.UNSEEN) == 2 * len(mp.COLOURS)
    assert {c for c, _ in mp.SEEN} == set(mp.COLOURS) and {t for _, t in mp.SEEN} == set(mp.TYPES)


def test_expert_goes_over_the_grasp_point_then_down_then_closes():
    far = mp.expert_chunk(np.array([0.3, 0.0, -0.2]), False, False)
    assert far.shape == (CHUNK, 4)
    assert far[0, 0] == pytest.approx(STEP) and far[0, 2] == pytest.approx(-STEP)  # toward, to hover
    assert (far[:, 3] == 0).all()  # the jaws stay open on the way
    above = mp.expert(np.array([0.0, 0.0, -0.03]), False, False)
    assert above[2] == pytest.approx(-0.03) and above[3] == 0.0  # down first
    at = mp.expert(np.array([0.002, 0.0, 0.004]), False, False)
    assert at[3] == 1.0  # at the grasp point: close
    # closed a little off the point (the fingers pulled the object): stay closed, no reopen
    assert mp.expert(np.array([0.015, 0.0, 0.01]), True, False)[3] == 1.0
    assert mp.expert(np.array([0.2, 0.0, 0.0]), True, False)[3] == 0.0  # far off: open


def test_expert_demo_grasps_by_contact_from_rendered_frames(physics):
    def one():
        rng = np.random.default_rng(7)
        ep = mp.make_scene(rng, mp.SEEN, mp.TRAIN_TEMPLATES, belief_noise=0.01, arm="leaf")
        rows, ok = mp.rollout(ep, None, rng=rng)
        return ep, rows, ok

    ep, rows, ok = one()
    assert ok and ep.world.held == "target"
    assert ep.world.cmd.gripper_closed  # held by the closed fingers' contact, not a weld
    frame, state, label = rows[0]
    assert frame.shape == (IMG, IMG, 3) and frame.std() > 1.0  # a real render
    assert state.shape == (5,) and np.isfinite(state).all() and label.shape == (CHUNK, 4)
    digest = hashlib.sha256(np.stack([r[1] for r in rows]).tobytes()).hexdigest()
    _, rows2, _ = one()
    assert hashlib.sha256(np.stack([r[1] for r in rows2]).tobytes()).hexdigest() == digest  # seeded


def test_leaf_with_the_scripted_expert_picks_on_the_mujoco_backend(physics):
    from inference.card import load_card

    card = load_card(REFERENCE_DIR / "model.card.yaml")  # the contract only; the expert acts
    rng = np.random.default_rng(1000)
    ep = mp.make_scene(rng, mp.SEEN, mp.TRAIN_TEMPLATES, belief_noise=0.0, arm="home")
    res = mp.run_leaf_episode(ep, mp.ExpertEngine(card))
    assert res["ok"], res


def test_each_world_has_its_reference_card():
    assert reference_model() == REFERENCE_MODEL == reference_model("kinematic") == reference_model("sim")
    assert reference_model("mujoco") == REFERENCE_MUJOCO_MODEL
    with pytest.raises(ValueError, match="no reference VLA policy for world 'bullet'"):
        reference_model("bullet")


def test_setup_engine_names_a_bad_world():
    from executive.vla_setup import EngineSetupError, setup_engine

    with pytest.raises(EngineSetupError, match="bullet"):
        setup_engine("onnxruntime", world="bullet")


@pytest.mark.skipif(not REFERENCE_MUJOCO_MODEL.exists(), reason="MuJoCo reference card not trained")
def test_the_shipped_mujoco_card_keeps_the_engine_contract():
    from inference.card import load_card

    kin, mj = load_card(REFERENCE_DIR / "model.card.yaml"), load_card(REFERENCE_MUJOCO_MODEL.with_name(
        "model.card.yaml"))
    assert mj.name == "reference-vla-mujoco" and "world: mujoco" in mj.provenance.notes
    assert mj.inputs.model_dump() == kin.inputs.model_dump()
    assert mj.outputs.action.names == kin.outputs.action.names
    assert mj.outputs.action.chunk == kin.outputs.action.chunk
    assert {"pick_success_seen", "pick_success_held_out", "pick_success_paraphrase"} <= set(
        mj.provenance.metrics)


@pytest.mark.skipif(not REFERENCE_MUJOCO_MODEL.exists(), reason="MuJoCo reference card not trained")
def test_the_leaf_on_mujoco_resolves_the_mujoco_card(physics):
    """No engine handed in and no process provider: the world in the context picks the card."""
    from behaviours.context import RunContext
    from behaviours.limits import LimitStack
    from behaviours.safety_gate import SafetyGate
    from behaviours.vla import VLAPolicy
    from behaviours.vla_engine import reset_settings
    from executive.physics.backend import MujocoBackend

    reset_settings()
    rng = np.random.default_rng(1000)
    ep = mp.make_scene(rng, mp.SEEN, mp.TRAIN_TEMPLATES, belief_noise=0.0, arm="home")
    backend = MujocoBackend(ep.world)
    try:
        limits = LimitStack()
        gate = SafetyGate(backend.actuators, limits, backend.now, backend.state)
        ctx = RunContext(ports=backend.bind(gate), limits=limits, clock=backend.now, gate=gate,
                         extras={"world": "mujoco"})
        leaf = VLAPolicy("vla", "target", "pick", ep.instruction, time_limit=10.0)
        leaf.setup(context=ctx, vla_mode="inline")
        for _ in range(120):
            leaf.tick_once()
            if leaf.status.value in ("SUCCESS", "FAILURE"):
                break
            backend.step(0.1)
        engines = [e for e in ctx.events if e.kind == "engine"]
        assert engines and engines[0].detail["card"].startswith("reference-vla-mujoco@")
        assert leaf.status.value in ("SUCCESS", "FAILURE", "RUNNING")
    finally:
        backend.cameras.close()


def test_kinematic_card_text_is_unchanged():
    """``make_card``'s defaults still write the shipped kinematic card's notes and provenance."""
    from inference.card import load_card
    from reference_training.export import make_card

    shipped = load_card(REFERENCE_DIR / "model.card.yaml")
    act = shipped.outputs.action
    card = make_card("xattn", {"mean": list(act.mean), "std": list(act.std)}, 0, {}, 0.01, {})
    assert card.name == shipped.name and card.version == shipped.version
    assert card.provenance.notes == shipped.provenance.notes
    assert card.provenance.training_data == shipped.provenance.training_data


@pytest.mark.skipif(not REFERENCE_MUJOCO_MODEL.exists(), reason="MuJoCo reference card not trained")
def test_setup_engine_on_mujoco_loads_the_mujoco_card():
    from behaviours.vla_engine import reset_settings
    from executive.vla_setup import setup_engine

    try:
        eng = setup_engine("onnxruntime", world="mujoco")
        assert eng.engine.card.name == "reference-vla-mujoco"
        assert "reference_mujoco" in eng.info["model"]
        assert setup_engine("onnxruntime", world="kinematic").engine.card.name == "reference-vla"
    finally:
        reset_settings()


def test_dagger_through_the_leaf_labels_every_observation_the_leaf_sent(physics):
    """The leaf's own observations (from the folded arm) are recorded with the expert's label
    for the true state; with the scripted expert driving, the label is the chunk it acted on."""
    from inference.card import load_card

    card = load_card(REFERENCE_MUJOCO_MODEL.parent / "model.card.yaml")
    data, tally = mp.leaf_dagger_data(mp.ExpertEngine(card), 2, seed=11)
    assert tally["pick"][:2] == [2, 2]  # the expert through the leaf grasps both
    n = tally["pick"][2]
    assert n == len(data["actions"]) and n >= 4
    assert data["images"].shape[1:] == (IMG, IMG, 3) and data["actions"].shape[1:] == (CHUNK, 4)
    # the leaf's first observation is the folded arm's, far above: the label says go down
    assert data["actions"][0, 0, 2] < 0
