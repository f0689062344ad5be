"""Shared fixtures for the simulated-world tests: a world factory, an action driver and a run of
actions that must each succeed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from behaviours.ports import ActionHandle, ActionStatus, RobotPorts
from executive.sim import Actuators, FaultConfig, SimRobot, SimWorld, load_scene
from executive.sim.scene import Scene


@pytest.fixture(scope="session")
def scene() -> Scene:
    return load_scene()


Make = Callable[..., tuple[SimWorld, RobotPorts]]


@pytest.fixture
def make(scene: Scene) -> Make:
    """make(seed=0, faults="") -> (world, ports) driven by the raw Actuators."""

    def _make(seed: int = 0, faults: str = "", motion_wrapper=None) -> tuple[SimWorld, RobotPorts]:
        world = SimWorld(scene, seed=seed, faults=FaultConfig.parse(faults))
        motion = Actuators(world)
        if motion_wrapper is not None:
            motion = motion_wrapper(motion)
        return world, SimRobot(world, motion).ports()

    return _make


@pytest.fixture
def drive() -> Callable[[SimWorld, ActionHandle, int], int]:
    """Step the world until the handle is done (or ``limit`` steps); return the steps taken."""

    def _drive(world: SimWorld, handle: ActionHandle, limit: int = 2000) -> int:
        for k in range(limit):
            if handle.status.done:
                return k
            world.step()
        raise AssertionError(f"action still running after {limit} steps: {handle.feedback}")

    return _drive


@pytest.fixture
def succeed(drive: Callable[[SimWorld, ActionHandle, int], int]) -> Callable[..., None]:
    """succeed(world, *starts): start each action in turn and drive it; each must succeed."""

    def _succeed(world: SimWorld, *starts: Callable[[], ActionHandle]) -> None:
        for start in starts:
            handle = start()
            drive(world, handle)
            assert handle.status is ActionStatus.SUCCEEDED, handle.result

    return _succeed
