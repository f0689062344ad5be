"""The MuJoCo world: short seeded episodes (the suite stays fast)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("MUJOCO_GL", "egl")  # before MuJoCo is first imported
mujoco = pytest.importorskip("mujoco", reason="mujoco not installed (pip install -e '.[physics]')")

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def backend():
    from executive.physics.backend import MujocoBackend
    from executive.physics.render import RenderUnavailable

    try:
        return MujocoBackend.create(seed=1)
    except RenderUnavailable as e:
        pytest.skip(f"EGL rendering unavailable: {e}")


def test_scene_builds_with_joints_and_free_objects(backend) -> None:
    w = backend.world
    assert w.model.opt.timestep == pytest.approx(0.004)
    assert {"fridge", "drawer", "cabinet"} <= set(w.doors)
    assert w.doors["fridge"].kind == "hinge" and w.doors["drawer"].kind == "slide"
    assert w.support_of("red_cup") == ("kitchen_table", "on")
    assert w.support_of("apple") == ("fridge", "in")
    assert not w.is_visible_truth("apple")  # the fridge's lid is closed


def test_camera_frames_are_rendered(backend) -> None:
    img = backend.bind(backend.actuators).camera.image()
    assert img.shape[0] >= 96 and img.shape[1] >= 96 and img.shape[2] == 3
    assert img.std() > 1.0  # a real render, not a flat frame


def _run(*args: str, world: tuple[str, ...] = ("--world", "mujoco")) -> dict:
    out = subprocess.run([sys.executable, "-m", "executive.cli", "run", *args, *world,
                          "--seed", "1", "--json", "--no-log"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_bring_red_cup_succeeds_deterministically_and_names_the_engine(backend) -> None:
    """The README's command 1: MuJoCo is ``executive run``'s default world."""
    a = _run("bring the red cup from the table to the sink", world=())
    b = _run("bring the red cup from the table to the sink")
    assert a["outcome"] == "succeeded", a
    assert a["trace_sha256"] == b["trace_sha256"]
    assert a["world"] == {"name": "mujoco", "version": mujoco.__version__}


def test_wipe_removes_dirt_by_contact(backend) -> None:
    d = _run("--plan", "examples/clean_table.yaml", "--dirty", "kitchen_table")
    assert d["outcome"] == "succeeded", d


def test_pick_blue_bottle_succeeds_deterministically(backend) -> None:
    """The bottle sits 1.1 m from the nearest free standing cell (counter corner): the hand's
    up-across-down path keeps it off the counter's edge, so the base is not shoved out of reach."""
    a = _run("--plan", "examples/pick_blue_bottle.yaml")
    b = _run("--plan", "examples/pick_blue_bottle.yaml")
    assert a["outcome"] == "succeeded", a
    assert a["steps"][0]["retries"] == 0, a  # first grasp holds: no knocked-over bottle
    assert a["trace_sha256"] == b["trace_sha256"]


def test_apple_out_of_the_fridge_through_the_hinged_door(backend) -> None:
    """The apple is 7 cm from the fridge's side wall: the jaws (and palm) go down parallel to it."""
    d = _run("--plan", "examples/apple_out_of_fridge.yaml")
    assert d["outcome"] == "succeeded", d
    assert [s["status"] for s in d["steps"]] == ["succeeded", "succeeded"], d


def test_a_knocked_over_bottle_still_lies_on_its_counter() -> None:
    import math

    from executive.physics.world import PhysicsWorld

    w = PhysicsWorld(seed=1)
    qa, s2 = w.obj_qpos["blue_bottle"], math.sqrt(0.5)
    w.data.qpos[qa:qa + 7] = (0.6, 0.35, 0.9 + 0.03, s2, s2, 0.0, 0.0)  # on its side, 3 cm high
    mujoco.mj_forward(w.model, w.data)
    assert w.obj_half_height("blue_bottle") == pytest.approx(0.03, abs=1e-6)
    assert w.support_of("blue_bottle") == ("counter", "on")
    w.data.qpos[qa:qa + 7] = (0.6, 0.35, 0.03, s2, s2, 0.0, 0.0)  # the same, fallen to the floor
    mujoco.mj_forward(w.model, w.data)
    assert w.support_of("blue_bottle") == ("floor", None)
