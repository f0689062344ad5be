"""Grasps chosen from an object's geometry on MuJoCo: a plate wider than the open jaws is
pinched by its lip and held by contact and friction alone (short seeded episodes)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("MUJOCO_GL", "egl")  # before MuJoCo is first imported
mujoco = pytest.importorskip("mujoco", reason="mujoco not installed (pip install -e '.[physics]')")


def _at(oid: str):
    from executive.physics.backend import MujocoBackend
    from executive.physics.render import RenderUnavailable

    try:
        b = MujocoBackend.create(seed=1)
    except RenderUnavailable as e:
        pytest.skip(f"EGL rendering unavailable: {e}")
    w = b.world
    w.data.qpos[w.base_qpos] = w.approach_pose(oid)
    mujoco.mj_forward(w.model, w.data)
    for _ in range(5):
        w.step()
    return b, b.bind(b.actuators)


def _drive(w, action) -> None:
    while not action.done:
        w.step()


def _fingers_on(w, oid: str) -> set[int]:
    """The finger geoms touching any geom of ``oid``'s body, read from ``data.contact``."""
    d, m = w.data, w.model
    body = m.body(f"obj_{oid}").id
    fingers = {m.geom("finger_l").id, m.geom("finger_r").id}
    out = set()
    for c in d.contact[: d.ncon]:
        g1, g2 = int(c.geom1), int(c.geom2)
        for a, o in ((g1, g2), (g2, g1)):
            if a in fingers and int(m.geom_bodyid[o]) == body:
                out.add(a)
    return out


def test_the_grasp_is_chosen_from_the_geometry() -> None:
    b, ports = _at("plate")
    man = ports.manipulation
    assert man.width_of("plate") == pytest.approx(0.2) and man.grasp_for("plate").kind == "rim"
    assert man.width_of("red_cup") == pytest.approx(0.07) and man.grasp_for("red_cup").kind == "body"
    assert man.grasp_for("book").kind == "body"  # 10 cm across its narrow side: still straddled


def test_the_plate_is_pinched_by_its_lip_and_held_by_contact_alone() -> None:
    b, ports = _at("plate")
    w = b.world
    assert w.model.neq == 0  # no weld, no equality constraint of any kind
    action = ports.manipulation.pick("plate")
    _drive(w, action)
    assert action.result.ok, action.result
    assert w.held == "plate" and len(_fingers_on(w, "plate")) == 2
    x, y, z = w.obj_pos("plate")
    assert z > 1.0  # carried up with the folded arm, hanging from its lip
    for _ in range(20):  # held still: it stays in the jaws
        w.step()
    assert w.held == "plate"
