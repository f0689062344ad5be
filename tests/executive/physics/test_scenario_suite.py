"""executive/scenario_suite.py (``tools/scenario_suite.py``): a run counts only when it exits 0
*and* the world ends as asked; the summary compares the worlds. Kinematic runs only (seconds);
the MuJoCo suite is the tool's job."""

from __future__ import annotations

import pytest

from executive import scenario_suite as suite


def _one(sid: str):
    return next(s for s in suite.scenarios() if s.id == sid)


def test_suite_names_every_group_once() -> None:
    ids = [s.id for s in suite.scenarios()]
    assert len(ids) == len(set(ids)) == 35
    assert {s.group for s in suite.scenarios()} == {"scenario", "plan", "tree", "python", "language"}


def test_a_run_succeeds_only_when_its_goal_holds_in_the_final_world() -> None:
    sc = _one("plan:go_to_red_cube")
    ok = suite.run_one(sc, "kinematic", 1)
    assert ok["exit"] == 0 and ok["goal"] is True and ok["success"] is True, ok
    wrong = suite.Scenario(sc.id, sc.group, lambda f: f.near("book", 0.5), sc.argv)  # somewhere else
    bad = suite.run_one(wrong, "kinematic", 1)
    assert bad["outcome"] == "succeeded" and bad["goal"] is False and bad["success"] is False, bad
    assert bad["trace_sha256"] == ok["trace_sha256"]  # same seeded lockstep run


def test_python_example_runs_on_a_backend_of_the_named_world() -> None:
    rec = suite.run_one(_one("python:own_tree.py"), "kinematic", 1)
    assert rec["success"] is True, rec


def test_summary_counts_per_scenario_and_says_which_world_falls_short() -> None:
    recs = [{"scenario": "a", "world": w, "seed": s, "success": w == "kinematic" or s == 1, "wall_s": 1.0}
            for w in ("kinematic", "mujoco") for s in (1, 2)]
    out = suite.summarise(recs, ("kinematic", "mujoco"))
    assert out["per_scenario"]["a"] == {"kinematic": "2/2", "mujoco": "1/2"}
    assert out["mujoco_at_least_kinematic"] is False and out["mujoco_only_failures"] == ["a"]


@pytest.mark.parametrize("text, seeds", [("1-3", [1, 2, 3]), ("1,4", [1, 4]), ("2", [2])])
def test_seeds(text: str, seeds: list[int]) -> None:
    assert suite.seeds_from(text) == seeds


@pytest.mark.parametrize("text", ["3-1", "x", ""])
def test_bad_seeds_are_named(text: str) -> None:
    with pytest.raises(ValueError, match="--seeds"):
        suite.seeds_from(text)


def test_a_hand_over_on_mujoco_leaves_the_object_with_the_person() -> None:
    """The give records the person; the hand opening after it must not overwrite that with the
    floor (it did once the world began recording where its own hand let go)."""
    pytest.importorskip("mujoco", reason="mujoco not installed (pip install -e '.[physics]')")
    from executive.physics.render import RenderUnavailable, renderer
    from executive.physics.world import PhysicsWorld

    try:
        renderer(PhysicsWorld(seed=0).model, 8, 8).close()
    except RenderUnavailable as e:
        pytest.skip(f"EGL rendering unavailable: {e}")
    res = suite.run_one(_one("plan:bring_me_the_book"), "mujoco", 1)
    assert res["outcome"] == "succeeded" and res["goal"] is True, res
