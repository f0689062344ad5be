"""The public API names its world as the CLI does (``world="kinematic"`` / ``"mujoco"``): the
same names, the same errors, and the physics engine named in the outcome."""

from __future__ import annotations

import os

import pytest

import executive
from executive.plan import Plan, Step


def _go(where: str) -> Plan:
    return Plan(steps=[Step(skill="navigate", target=where)], source_text=f"go to {where}")


def test_an_unknown_world_name_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="one of kinematic, mujoco"):
        executive.run_plan(_go("kitchen"), world="gazebo", engine="none")


def test_faults_apply_to_a_named_world_in_run_instruction() -> None:
    # a fault mix with run_instruction used to raise: the backend was built once with the faults
    # and then handed back as an object, which refuses faults=
    out = executive.run_instruction("go to the kitchen", faults="blocked_path=1.0:1", engine="none", seed=3)
    assert out.outcome == "succeeded", out.message


def test_run_plan_on_mujoco_names_the_physics_engine() -> None:
    os.environ.setdefault("MUJOCO_GL", "egl")
    pytest.importorskip("mujoco", reason="mujoco not installed (pip install -e '.[physics]')")
    from executive.physics.render import RenderUnavailable

    try:
        out = executive.run_plan(_go("kitchen"), world="mujoco", seed=1)
    except RenderUnavailable as e:
        pytest.skip(f"EGL rendering unavailable: {e}")
    assert out.outcome == "succeeded", out.message
    assert out.extra["world"]["name"] == "mujoco"
