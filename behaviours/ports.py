"""Robot ports: the Protocols leaves call. Backends (simulated world, ROS 2) implement them.

Long actions return an :class:`ActionHandle` with the shape of a ROS 2 action client goal
handle (status, feedback, result, cancel) so a leaf can start an action in ``initialise()``,
poll it in ``update()`` and cancel it in ``terminate()`` without ever blocking a tick.

Every motion command (base velocity, arm joint velocities, torques) goes through a
:class:`MotionPort`. The runtime hands backends a *guarded* motion port (see
``behaviours.safety_gate``), so nothing can reach an actuator around a guard.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from behaviours.limits import SafetyLimits
from behaviours.reasons import Reason

#: The place target that means "put it down here, on the floor" (no fixture): the compiler
#: writes it for a bare "put it down", every world's manipulation port understands it.
PUT_DOWN_TARGET = "floor"


class ActionStatus(enum.Enum):
    """Lifecycle of a long action, mirroring ROS 2 action goal states."""

    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def done(self) -> bool:
        return self is not ActionStatus.RUNNING


@dataclass(frozen=True)
class ActionResult:
    """Terminal result of a long action: the reason is the lowest-level cause known."""

    reason: Reason = Reason.NONE
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.reason is Reason.NONE


@runtime_checkable
class ActionHandle(Protocol):
    """A running action. Polling never blocks."""

    @property
    def status(self) -> ActionStatus: ...

    @property
    def feedback(self) -> str: ...

    @property
    def result(self) -> ActionResult | None:
        """``None`` while running; set once the action is done."""
        ...

    def cancel(self) -> None:
        """Request cancellation; the backend stops motion and reports CANCELLED."""
        ...


class HandleState:
    """Status, feedback and result storage for backends' action handles (they add ``cancel``
    and whatever drives the action). Starts RUNNING with no result."""

    def __init__(self, feedback: str = "accepted") -> None:
        self._status = ActionStatus.RUNNING
        self._feedback = feedback
        self._result: ActionResult | None = None

    @property
    def status(self) -> ActionStatus:
        return self._status

    @property
    def feedback(self) -> str:
        return self._feedback

    @property
    def result(self) -> ActionResult | None:
        return self._result


@dataclass(frozen=True)
class Pose2D:
    x: float
    y: float
    theta: float = 0.0


@runtime_checkable
class MotionPort(Protocol):
    """Low-level motion commands. Each returns True when the command was accepted."""

    def command_base(self, linear: float, angular: float) -> bool: ...

    def command_arm(self, joint_velocities: Sequence[float]) -> bool: ...

    def command_torques(self, torques: Sequence[float]) -> bool: ...

    def command_ee_target(self, position: Sequence[float]) -> bool:
        """Ask the arm to move its end effector towards a Cartesian target (metres, map frame)."""
        ...

    def command_gripper(self, closed: bool) -> bool:
        """Close (grasp what is between the jaws) or open (release/place) the gripper."""
        ...

    def stop(self) -> None:
        """Zero every velocity now. Always allowed, also while the e-stop is latched."""
        ...

    def current_limits(self) -> SafetyLimits:
        """The innermost limits in force: controllers use them as speed caps (like Nav2's
        speed-limit topic); the gate still checks every command against them."""
        ...

    @property
    def last_rejection(self) -> Reason:
        """Why the most recent rejected command was rejected (NONE if none was)."""
        ...


@runtime_checkable
class RobotStatePort(Protocol):
    """What the robot senses about itself and its surroundings (read-only, never blocks)."""

    def base_pose(self) -> Pose2D: ...

    def ee_position(self) -> tuple[float, float, float]: ...

    def obstacle_distance(self) -> float:
        """Distance in metres to the nearest person or dynamic obstacle (inf if none)."""
        ...

    def holding(self) -> str | None:
        """Id of the held object, or None."""
        ...

    def is_at(self, place: str, tolerance: float = 0.6) -> bool:
        """True when the base is at a named place (room, fixture or object), within tolerance."""
        ...

    def is_open(self, fixture: str) -> bool: ...

    def is_on(self, fixture: str) -> bool: ...

    def is_dirty(self, fixture: str) -> bool:
        """True while the robot sees dirt left on a surface (what a wipe is judged by)."""
        ...

    def is_visible(self, entity: str) -> bool: ...

    def holding_torques(self) -> list[float]:
        """Joint torques (Nm) needed to hold the arm and its load against gravity now: what a
        controller commands while carrying, so the gate can refuse a load that is too heavy."""
        ...

    def location_of(self, entity: str) -> str | None:
        """Id of the fixture/room an entity is on or in (the robot's belief), None if unknown."""
        ...


@runtime_checkable
class NavigationPort(Protocol):
    def navigate_to(
        self, target: str, *, max_linear: float, max_angular: float, avoid: Sequence[str] = ()
    ) -> ActionHandle:
        """Drive to a named place (room, fixture, object or person). Speeds are caps."""
        ...


@runtime_checkable
class PerceptionPort(Protocol):
    def detect(self, entity: str, *, search: Sequence[str] = ()) -> ActionHandle:
        """Look for an entity from where the robot stands.

        ``search`` lists further places to look (fixtures/rooms) when it is not where
        believed; the result's ``data`` holds ``{"entity": id, "location": fixture_id}``.
        """
        ...


@runtime_checkable
class ManipulationPort(Protocol):
    def pick(self, entity: str, *, grasp: str = "top") -> ActionHandle: ...

    def place(self, target: str, *, relation: str = "on") -> ActionHandle: ...

    def open(self, fixture: str) -> ActionHandle: ...

    def close(self, fixture: str) -> ActionHandle: ...

    def toggle(self, fixture: str, on: bool) -> ActionHandle: ...

    def wipe(self, surface: str) -> ActionHandle: ...

    def pour(self, target: str) -> ActionHandle: ...

    def give(self, person: str) -> ActionHandle: ...

    def push(self, entity: str) -> ActionHandle: ...


@runtime_checkable
class SpeechPort(Protocol):
    def say(self, text: str) -> ActionHandle: ...


@runtime_checkable
class CameraPort(Protocol):
    def image(self) -> Any:
        """Latest RGB frame near the gripper: uint8 array (H, W, 3)."""
        ...


@dataclass
class RobotPorts:
    """Everything a leaf may call. Built by the runtime with a guarded motion port."""

    navigation: NavigationPort
    perception: PerceptionPort
    manipulation: ManipulationPort
    motion: MotionPort
    speech: SpeechPort
    state: RobotStatePort
    camera: CameraPort | None = None
