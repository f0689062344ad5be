"""``executive campaign --world mujoco``: the world travels with every episode."""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from executive.campaigns.matrix import MatrixError, build_matrix

os.environ.setdefault("MUJOCO_GL", "egl")
PLAN = "examples/go_to_red_cube.yaml"


def test_world_is_part_of_the_episode_and_kinematic_ids_are_unchanged() -> None:
    kin = build_matrix(plans=[PLAN], mixes=["blocked_path=0.5"], seeds=2).episodes()
    muj = build_matrix(plans=[PLAN], mixes=["blocked_path=0.5"], seeds=2, world="mujoco").episodes()
    for k, m in zip(kin, muj, strict=True):
        old = json.dumps([k.kind, k.task, k.faults, k.seed, k.engine])  # ids from before `world`
        assert k.id == hashlib.sha1(old.encode()).hexdigest()[:16]
        assert m.id != k.id and m.world == "mujoco"
        assert "--world mujoco" in m.command() and "--world kinematic" in k.command()


def test_an_unknown_world_is_refused_naming_the_field() -> None:
    with pytest.raises(MatrixError, match="world: unknown world 'gazebo'"):
        build_matrix(plans=[PLAN], world="gazebo")


def test_a_mujoco_episode_runs_audited_on_the_physics_world() -> None:
    pytest.importorskip("mujoco", reason="mujoco not installed (pip install -e '.[physics]')")
    from executive.campaigns.episode import run_episode

    spec = build_matrix(plans=[PLAN], mixes=["person_in_path=1.0"], seeds=[1], world="mujoco").episodes()[0]
    row = run_episode(spec)
    assert row["outcome"] == "succeeded", row
    assert "person_in_path" in row["faults"], row  # the passer-by body walked into the path
    assert row["commands"] > 0 and row["reached_port"] == 0, row
