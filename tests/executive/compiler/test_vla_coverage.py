"""The compiler runs the VLA leaf only for the tasks the loaded policy covers (a world's reference
card: ``inference.reference.reference_skills``); the other VLA templates keep their scripted
alternative as the attempt."""

from __future__ import annotations

from pathlib import Path

import pytest

import executive
from behaviours.vla import VLAPolicy
from executive.compiler import compile_plan
from executive.plan import Plan, Step, load_plan
from inference.reference import reference_skills

ROOT = Path(__file__).resolve().parents[3]


def _vla_tasks(compiled) -> list[tuple[str, str]]:
    """The (task, relation) of every VLA leaf of the tree, once each (retry stages repeat them)."""
    return sorted({(n.task, n.relation) for n in compiled.root.iterate() if isinstance(n, VLAPolicy)})


@pytest.fixture(scope="module")
def entities():
    return executive.simulated_world(seed=1).entities()


def test_a_place_into_a_container_stays_scripted_when_the_policy_places_on_surfaces_only(entities):
    plan = load_plan(ROOT / "examples" / "bring_red_cup_to_sink.yaml")  # place *in* the sink
    assert _vla_tasks(compile_plan(plan, entities, vla=True)) == [("pick", "on"), ("place", "in")]
    covered = compile_plan(plan, entities, vla=frozenset({"pick", "place:on"}))
    assert _vla_tasks(covered) == [("pick", "on")]
    both = compile_plan(plan, entities, vla={"pick", "place"})
    assert _vla_tasks(both) == [("pick", "on"), ("place", "in")]
    assert _vla_tasks(compile_plan(plan, entities, vla=False)) == []


def test_a_place_on_a_surface_and_an_uncovered_wipe(entities):
    plan = Plan(steps=[Step(skill="pick", object="red_cup"),
                       Step(skill="place", object="red_cup", target="counter", depends_on=[0]),
                       Step(skill="wipe", object="kitchen_table")], source_text="test")
    got = _vla_tasks(compile_plan(plan, entities, vla=reference_skills("mujoco")))
    assert got == [("pick", "on"), ("place", "on")]  # no VLA wipe on MuJoCo
    assert len(_vla_tasks(compile_plan(plan, entities, vla=reference_skills("kinematic")))) == 3


def test_reference_skills_per_world():
    assert reference_skills() == reference_skills("kinematic") == {"pick", "place", "wipe"}
    assert reference_skills("mujoco") == {"pick", "place:on"}
    with pytest.raises(ValueError, match="no reference VLA policy for world 'bullet'"):
        reference_skills("bullet")


def test_engine_setup_hands_the_compiler_the_cards_tasks():
    from behaviours.vla_engine import reset_settings
    from executive.vla_setup import setup_engine
    from inference.reference import REFERENCE_MODEL, REFERENCE_MUJOCO_MODEL

    try:
        assert setup_engine("none").vla is False
        assert setup_engine("onnxruntime").vla == reference_skills("kinematic")
        assert setup_engine("onnxruntime", model=REFERENCE_MODEL).vla is True  # a given model: every task
        if REFERENCE_MUJOCO_MODEL.exists():
            assert setup_engine("onnxruntime", world="mujoco").vla == {"pick", "place:on"}
    finally:
        reset_settings()


def test_auto_runs_the_policy_only_for_tasks_its_card_shows_at_the_bar():
    from inference.reference import AUTO_BAR, proven_skills

    good = {f"pick_success_{k}": v for k, v in AUTO_BAR.items()}
    low = {**good, "place_success_seen": 1.0, "place_success_held_out": AUTO_BAR["held_out"] - 0.05}
    assert proven_skills(frozenset({"pick", "place:on"}), good) == {"pick"}  # place: no figure
    assert proven_skills(frozenset({"pick", "place:on"}), low) == {"pick"}  # place: held-out low
    ok = {**good, "place_success_seen": 1.0, "place_success_held_out": 1.0}
    assert proven_skills(frozenset({"pick", "place:on"}), ok) == {"pick", "place:on"}
    assert proven_skills(frozenset({"wipe"}), {}) == frozenset()
    # a world's household suite can hold a task back that the card's own scenes prove
    assert proven_skills(frozenset({"pick", "place:on"}), ok, "mujoco") == {"place:on"}


@pytest.mark.parametrize("world", ["kinematic", "mujoco"])
def test_auto_takes_the_shipped_cards_figures(world):
    """``--engine auto`` on each world: the covered tasks its shipped card proves; an explicit
    engine runs the policy for every covered task."""
    from executive.vla_setup import setup_engine
    from inference.card import load_card
    from inference.reference import proven_skills, reference_model

    card = load_card(reference_model(world).parent / "model.card.yaml")
    want = proven_skills(reference_skills(world), dict(card.provenance.metrics), world)
    auto = setup_engine("auto", world=world)
    assert (auto.vla or frozenset()) == want
    assert setup_engine("onnxruntime", world=world).vla == reference_skills(world)
    if world == "kinematic":
        assert want == reference_skills(world)  # every kinematic task is at the bar
    else:  # the MuJoCo card's pick is at the bar on its scenes, not in the household
        assert card.provenance.metrics["pick_success_seen"] >= 0.9 and want == {"place:on"}
