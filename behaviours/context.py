"""What every behaviour receives at ``setup()``: ports, the safety gate, the clock, the event log.

py_trees passes keyword arguments from ``BehaviourTree.setup(**kwargs)`` to each behaviour's
``setup``; py_trees_ros passes ``node=`` the same way. We pass ``context=`` so a compiled tree
is plain data until the runtime binds it to a robot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from behaviours.limits import LimitStack
from behaviours.ports import RobotPorts


@dataclass
class Event:
    """Something that happened, for an operator or a log: the one event type of the project.

    A run's events (a retry, a rejected command, an abort) have ``source`` = the behaviour
    they come from; a world's events (a fault, a state change) have ``source`` = what happened
    (``grasp_fail``, ``grasped``), which the world calls the event's ``name``.
    """

    t: float
    kind: str
    source: str
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The world's word for ``source``: the name of the fault or state change."""
        return self.source

    def as_dict(self) -> dict[str, Any]:
        """Flat, for the viewer and the run log: ``t`` (6 decimals), kind, source, the details."""
        return {"t": round(self.t, 6), "kind": self.kind, "source": self.source, **self.detail}

    def as_record(self) -> dict[str, Any]:
        """Nested, as a world reports it (``Outcome.faults_injected``): t, kind, name, detail."""
        return {"t": self.t, "kind": self.kind, "name": self.source, "detail": dict(self.detail)}


@dataclass
class RunContext:
    """Per-run state shared by the behaviours of one tree (nothing here outlives the run)."""

    ports: RobotPorts
    limits: LimitStack
    clock: Callable[[], float]
    gate: Any = None  # behaviours.safety_gate.SafetyGate (Any avoids an import cycle)
    events: list[Event] = field(default_factory=list)
    retries: dict[str, int] = field(default_factory=dict)
    step_reasons: dict[str, list[Any]] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)

    def now(self) -> float:
        return self.clock()

    def record(self, kind: str, source: str, **detail: Any) -> Event:
        ev = Event(self.clock(), kind, source, detail)
        self.events.append(ev)
        return ev


class ContextMissingError(RuntimeError):
    """A behaviour was ticked before ``setup(context=...)``: the tree was never bound to a robot."""
