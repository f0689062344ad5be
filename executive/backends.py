"""What the runtime needs from a robot backend (the simulated world, or ROS 2)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from behaviours.ports import MotionPort, RobotPorts, RobotStatePort
from executive.world_model import EntityInfo


class RobotBackend(Protocol):
    """A robot the runtime can drive. The runtime wraps ``actuators`` in the safety gate and
    passes the gate back through :meth:`bind`, so the backend's own controllers also go
    through it."""

    name: str

    @property
    def actuators(self) -> MotionPort: ...

    @property
    def state(self) -> RobotStatePort: ...

    def bind(self, motion: MotionPort) -> RobotPorts: ...

    def step(self, dt: float) -> None:
        """Advance the world by ``dt`` seconds (lockstep), or let the robot run (real time)."""
        ...

    def now(self) -> float: ...

    def entities(self) -> Sequence[EntityInfo]: ...

    def fault_events(self) -> list[dict[str, Any]]: ...

    def digest(self) -> dict[str, Any]:
        """Deterministic summary of the world state, folded into the trace."""
        ...
