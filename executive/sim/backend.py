"""The simulated world as a :class:`~executive.backends.RobotBackend` (the embedded default)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from behaviours.ports import MotionPort, RobotPorts, RobotStatePort
from executive.sim.faults import FaultConfig
from executive.sim.world import Actuators, SimWorld
from executive.world_model import EntityInfo


class SimWorldModel:
    """The world-model view of the sim that grounding reads (catalogue + a little state)."""

    def __init__(self, world: SimWorld) -> None:
        self._world = world

    def entities(self) -> Sequence[EntityInfo]:
        return self._world.entities()

    def is_open(self, fixture: str) -> bool:
        return self._world.is_open(fixture)

    def holding(self) -> str | None:
        return self._world.holding()


class SimBackend:
    name = "sim"

    def __init__(self, world: SimWorld) -> None:
        from executive.sim.robot import SimRobot

        self.world = world
        self._actuators = Actuators(world)
        self._robot_cls = SimRobot
        self._robot: Any = SimRobot(world, self._actuators)

    @classmethod
    def create(cls, seed: int = 0, faults: str | FaultConfig = "", dt: float = 0.1) -> SimBackend:
        cfg = faults if isinstance(faults, FaultConfig) else FaultConfig.parse(faults)
        return cls(SimWorld(seed=seed, faults=cfg, dt=dt))

    @property
    def actuators(self) -> MotionPort:
        return self._actuators

    @property
    def state(self) -> RobotStatePort:
        return self._robot

    def bind(self, motion: MotionPort) -> RobotPorts:
        self._robot = self._robot_cls(self.world, motion)
        return self._robot.ports()

    def step(self, dt: float) -> None:
        n = max(1, round(dt / self.world.dt))
        for _ in range(n):
            self.world.step()

    def now(self) -> float:
        return self.world.t

    def entities(self) -> Sequence[EntityInfo]:
        return self.world.entities()

    def world_model(self) -> SimWorldModel:
        return SimWorldModel(self.world)

    def fault_events(self) -> list[dict[str, Any]]:
        return [e.as_record() for e in self.world.events if e.kind == "fault"]

    def digest(self) -> dict[str, Any]:
        return self.world.state_digest()
