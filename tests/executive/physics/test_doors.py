"""Doors and drawers on MuJoCo are moved by the hand on their handle, not by a motor.

Each test puts the robot at the fixture's approach pose and runs the skill on a fresh, seeded
world (a few seconds each); the contacts are read from ``data.contact`` directly, not through
the world's own helpers, so the test checks the physics and not the code under test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MUJOCO_GL", "egl")  # before MuJoCo is first imported
mujoco = pytest.importorskip("mujoco", reason="mujoco not installed (pip install -e '.[physics]')")

ROOT = Path(__file__).resolve().parents[3]


def _at(fixture: str, faults: str = ""):
    """A backend with the robot standing at ``fixture``'s approach pose, ports on the raw
    actuators (the skills' own caps apply; no gate is needed to move a door)."""
    from executive.physics.backend import MujocoBackend
    from executive.physics.render import RenderUnavailable

    try:
        b = MujocoBackend.create(seed=1, faults=faults)
    except RenderUnavailable as e:
        pytest.skip(f"EGL rendering unavailable: {e}")
    w = b.world
    w.data.qpos[w.base_qpos] = w.approach_pose(fixture)
    mujoco.mj_forward(w.model, w.data)
    for _ in range(5):
        w.step()
    return b, b.bind(b.actuators)


def _hand_on_handle(w, fixture: str) -> bool:
    d, m = w.data, w.model
    handle = m.geom(f"door_{fixture}_handle").id
    fingers = {m.geom("finger_l").id, m.geom("finger_r").id}
    for c in d.contact[: d.ncon]:
        if {int(c.geom1), int(c.geom2)} & fingers and handle in (int(c.geom1), int(c.geom2)):
            return True
    return False


def _drive(w, action) -> list[tuple[float, bool]]:
    """Step until the action ends: (joint position, hand on the handle) after every step."""
    trace = []
    while not action.done:
        w.step()
        trace.append((w.door_q(action.target), _hand_on_handle(w, action.target)))
    return trace


def _moved_only_in_contact(start: float, trace: list[tuple[float, bool]], tol: float, coast: int = 1) -> None:
    """Every step that moved the joint by more than ``tol`` had the hand on the handle in it or
    in the ``coast`` steps before (a contact that ends inside a step still moved it; a pushed
    cover coasts a few millimetres after the finger leaves it)."""
    prev_q, touched = start, [False] * coast
    for k, (q, c) in enumerate(trace):
        if abs(q - prev_q) > tol:
            assert c or any(touched), f"step {k}: the joint moved {prev_q:.3f} -> {q:.3f} untouched"
        prev_q, touched = q, [*touched[1:], c]


def test_no_door_has_a_motor_and_a_door_left_alone_stays_put() -> None:
    b, _ = _at("fridge")
    w, m = b.world, b.world.model
    door_joints = {m.joint(i.joint).id for i in w.doors.values()}
    driven = {int(m.actuator_trnid[a][0]) for a in range(m.nu)}
    assert not (door_joints & driven), "an actuator drives a door joint"
    q0 = {f: w.door_q(f) for f in w.doors}
    for _ in range(20):
        w.step()
    assert all(abs(w.door_q(f) - q0[f]) < 1e-3 for f in w.doors)


def test_the_fridge_lid_rises_only_while_the_hand_grips_its_bar_and_closes_the_same_way() -> None:
    b, ports = _at("fridge")
    w = b.world
    trace = _drive(w, ports.manipulation.open("fridge"))
    assert w.is_open("fridge") and w.door_q("fridge") > 0.95, trace[-1]
    assert any(c for _, c in trace)
    _moved_only_in_contact(0.0, trace, 2e-3)
    held = w.door_q("fridge")
    for _ in range(20):  # let go: the friction hinge holds the lid against its weight
        w.step()
    assert abs(w.door_q("fridge") - held) < 0.02
    trace = _drive(w, ports.manipulation.close("fridge"))
    assert not w.is_open("fridge") and w.door_q("fridge") < 0.05
    _moved_only_in_contact(held, trace, 2e-3)


def test_the_drawer_cover_slides_only_while_the_hand_pushes_its_knob() -> None:
    b, ports = _at("drawer")
    w = b.world
    action = ports.manipulation.open("drawer")
    trace = _drive(w, action)
    assert action.result.ok, action.result
    assert w.door_q("drawer") > 0.5, trace[-1]
    _moved_only_in_contact(0.0, trace, 1e-3, coast=3)
    opened = w.door_q("drawer")
    action = ports.manipulation.close("drawer")
    trace = _drive(w, action)
    assert action.result.ok and w.door_q("drawer") < 0.04, action.result
    _moved_only_in_contact(opened, trace, 1e-3, coast=3)


def test_with_a_spoon_held_the_drawer_knob_is_pushed_by_a_finger() -> None:
    b, ports = _at("drawer")
    w = b.world
    import math

    qa = w.obj_qpos["spoon"]
    x, y, z = w.fk()  # the spoon across the jaws (they span its 2.4 cm), the jaws shut on it
    jaw = w.data.site_xmat[w.ee_site].reshape(3, 3)[:, 1]
    half = (math.atan2(jaw[1], jaw[0]) + math.pi / 2) / 2
    w.data.qpos[qa:qa + 7] = (x, y, z - 0.01, math.cos(half), 0.0, 0.0, math.sin(half))
    w.data.qpos[w.finger_qpos] = 0.012
    for jn in ("finger_l", "finger_r"):  # the jaws close from where they are (a finger-speed ramp)
        w.data.ctrl[w.act[jn]] = 0.012
    mujoco.mj_forward(w.model, w.data)
    w.cmd.gripper_closed = True
    for _ in range(30):  # the jaws close at a finger speed (world.GRIPPER_CLOSE_SPEED), not at once
        w.step()
        if w.held == "spoon":
            break
    assert w.held == "spoon"
    action = ports.manipulation.open("drawer")
    trace = _drive(w, action)
    assert action.result.ok and w.door_q("drawer") > 0.5, action.result
    assert w.held == "spoon"  # the jaws stayed closed on it
    assert ("state", "handle_pushed") in [(e.kind, e.name) for e in w.events]
    _moved_only_in_contact(0.0, trace, 1e-3, coast=3)


def test_a_locked_hinge_is_found_stuck_by_measuring_the_joint() -> None:
    """No fault is injected: the joint is locked by hand, so only a measurement can tell."""
    from behaviours.reasons import Reason

    b, ports = _at("fridge")
    w = b.world
    w.model.dof_frictionloss[w.model.joint("door_fridge").dofadr[0]] = 1e4
    action = ports.manipulation.open("fridge")
    _drive(w, action)
    assert action.result.reason is Reason.DOOR_STUCK, action.result
    assert action.result.data["q"] < 0.05
    assert ("state", "door_not_moving") in [(e.kind, e.name) for e in w.events]
    assert not w.held and not w.cmd.gripper_closed  # let go of the handle


def test_apple_out_of_the_fridge_opens_the_lid_by_hand_deterministically() -> None:
    from executive import api
    from executive.physics.backend import MujocoBackend

    runs = []
    for _ in range(2):
        b = MujocoBackend.create(seed=3)
        out = api.run_plan(ROOT / "examples" / "apple_out_of_fridge.yaml", world=b, seed=3, engine="none")
        names = [(e.kind, e.name) for e in b.world.events]
        assert out.outcome == "succeeded", out
        assert ("state", "handle_gripped") in names  # the hand, not a motor, opened it
        # the tree stops ``open`` once the lid counts open; the friction hinge keeps it there
        assert b.world.is_open("fridge"), b.world.door_q("fridge")
        runs.append(out.trace_sha256)
    assert runs[0] == runs[1]


def _in_the_jaws(b, oid: str, width: float) -> None:
    """Put ``oid`` across the closed jaws (their axis along its narrow side) and let them grip."""
    import math

    w = b.world
    qa = w.obj_qpos[oid]
    x, y, z = w.fk()
    jaw = w.data.site_xmat[w.ee_site].reshape(3, 3)[:, 1]
    half = (math.atan2(jaw[1], jaw[0]) + math.pi / 2) / 2
    w.data.qpos[qa:qa + 7] = (x, y, z - 0.008, math.cos(half), 0.0, 0.0, math.sin(half))
    w.data.qvel[w.model.joint(f"obj_{oid}").dofadr[0]:][:6] = 0.0
    w.data.qpos[w.finger_qpos] = width / 2 + 0.001
    for jn in ("finger_l", "finger_r"):
        w.data.ctrl[w.act[jn]] = width / 2 + 0.001
    mujoco.mj_forward(w.model, w.data)
    w.cmd.gripper_closed = True
    for _ in range(30):
        w.step()
        if w.held == oid:
            break
    assert w.held == oid


def test_with_a_towel_held_a_lid_is_opened_by_setting_it_down_and_the_place_takes_it_back() -> None:
    """A lid is lifted by gripping its bar: the towel goes on the free floor beside the base,
    the freed hand lifts the lid (only through contact), and the place into the wardrobe picks
    the towel back up from where the base still stands."""
    b, ports = _at("wardrobe")
    w = b.world
    _in_the_jaws(b, "towel", 0.1)
    action = ports.manipulation.open("wardrobe")
    trace = _drive(w, action)
    assert action.result.ok and w.is_open("wardrobe"), action.result
    assert action.result.data["set_aside"] == "towel"
    assert w.support_of("towel") == ("floor", None) and w.set_aside == ("towel", "wardrobe")
    names = [(e.kind, e.name) for e in w.events]
    assert names.index(("state", "set_aside")) < names.index(("state", "handle_gripped"))
    _moved_only_in_contact(0.0, trace, 2e-3)
    action = ports.manipulation.place("wardrobe", relation="in")
    _drive(w, action)
    assert action.result.ok, action.result
    assert w.support_of("towel") == ("wardrobe", "in") and w.set_aside is None
    assert ("state", "taken_back") in [(e.kind, e.name) for e in w.events]


def test_a_stuck_lid_with_a_towel_held_says_where_the_towel_was_left() -> None:
    from behaviours.reasons import Reason

    b, ports = _at("wardrobe")
    w = b.world
    w.model.dof_frictionloss[w.model.joint("door_wardrobe").dofadr[0]] = 1e4
    _in_the_jaws(b, "towel", 0.1)
    action = ports.manipulation.open("wardrobe")
    _drive(w, action)
    assert action.result.reason is Reason.DOOR_STUCK, action.result  # retried by the trees
    assert "towel is on the floor" in action.result.message and action.result.data["set_aside"] == "towel"
    assert w.support_of("towel") == ("floor", None) and not w.held
