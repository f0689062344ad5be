"""The one door to the actuators: every motion command is checked against the innermost limits.

The gate implements :class:`~behaviours.ports.MotionPort` around the backend's raw actuators.
Backends get only the gate, leaves get only the gate, so nothing reaches an actuator around it.
A rejected command is never forwarded: the gate commands a stop instead, records a
:class:`Violation` with a reason code, and the enclosing guard fails its subtree.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from behaviours.limits import LimitStack, SafetyLimits
from behaviours.ports import MotionPort, RobotStatePort
from behaviours.reasons import Reason

#: Look-ahead for the workspace check of base commands (seconds of travel at the commanded speed).
WORKSPACE_LOOKAHEAD_S = 0.2


@dataclass(frozen=True)
class Violation:
    t: float
    reason: Reason
    command: str
    value: Any
    limit: Any
    scope: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "t": round(self.t, 6),
            "reason": self.reason.name,
            "command": self.command,
            "value": _jsonable(self.value),
            "limit": _jsonable(self.limit),
            "scope": self.scope,
        }


def _jsonable(v: Any) -> Any:
    if isinstance(v, float):
        return v if math.isfinite(v) else str(v)
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


def _finite(values: Sequence[float]) -> bool:
    try:
        return all(math.isfinite(float(v)) for v in values)
    except (TypeError, ValueError):
        return False


class SafetyGate:
    """Checks, forwards or refuses each command. Implements MotionPort."""

    def __init__(
        self,
        actuators: MotionPort,
        limits: LimitStack,
        clock: Callable[[], float],
        state: RobotStatePort | None = None,
    ) -> None:
        self._act = actuators
        self._limits = limits
        self._clock = clock
        self._state = state
        self.violations: list[Violation] = []
        self.accepted = 0
        self._estop_reason: str | None = None
        self._halted = False
        self.stopped_at: float | None = None  # perf_counter of the last stop()
        self._last_rejection = Reason.NONE
        self.forwarded: list[tuple[str, tuple[float, ...]]] | None = None  # set to [] to audit
        #: The runtime sets this: a motion command while no guard's scope is active comes from a
        #: behaviour that is not declared actuating (so no validator check applied to it); it is
        #: refused with SAFETY_UNGUARDED and the runtime fails the goal.
        self.require_scope = False

    # -- MotionPort ---------------------------------------------------------------------
    def current_limits(self) -> SafetyLimits:
        return self._limits.current

    @property
    def last_rejection(self) -> Reason:
        return self._last_rejection

    def command_base(self, linear: float, angular: float) -> bool:
        lim = self._limits.current
        vals = (linear, angular)
        if not _finite(vals):
            return self._reject(Reason.SAFETY_INVALID_COMMAND, "base", vals, "finite")
        linear, angular = float(linear), float(angular)
        if reason := self._estop_check():
            return self._reject(reason, "base", vals, _needs(reason))
        if abs(linear) > lim.linear_velocity:
            return self._reject(Reason.SAFETY_LINEAR_VELOCITY, "base", linear, lim.linear_velocity)
        if abs(angular) > lim.angular_velocity:
            return self._reject(
                Reason.SAFETY_ANGULAR_VELOCITY, "base", angular, lim.angular_velocity
            )
        if self._state is not None and linear != 0.0:
            d = self._state.obstacle_distance()
            if not d >= lim.obstacle_distance:  # NaN distance counts as too close
                return self._reject(Reason.SAFETY_OBSTACLE, "base", d, lim.obstacle_distance)
            pose = self._state.base_pose()
            nx = pose.x + math.cos(pose.theta) * linear * WORKSPACE_LOOKAHEAD_S
            ny = pose.y + math.sin(pose.theta) * linear * WORKSPACE_LOOKAHEAD_S
            if not lim.inside_workspace(nx, ny):
                return self._reject(Reason.SAFETY_WORKSPACE, "base", [nx, ny], lim.workspace)
        return self._forward("base", (linear, angular), lambda: self._act.command_base(linear, angular))

    def command_arm(self, joint_velocities: Sequence[float]) -> bool:
        lim = self._limits.current
        vals = tuple(joint_velocities)
        if not _finite(vals):
            return self._reject(Reason.SAFETY_INVALID_COMMAND, "arm", list(vals), "finite")
        if reason := self._estop_check():
            return self._reject(reason, "arm", list(vals), _needs(reason))
        peak = max((abs(float(v)) for v in vals), default=0.0)
        if peak > lim.joint_velocity:
            return self._reject(Reason.SAFETY_JOINT_VELOCITY, "arm", peak, lim.joint_velocity)
        qd = tuple(float(v) for v in vals)
        return self._forward("arm", qd, lambda: self._act.command_arm(qd))

    def command_torques(self, torques: Sequence[float]) -> bool:
        lim = self._limits.current
        vals = tuple(torques)
        if not _finite(vals):
            return self._reject(Reason.SAFETY_INVALID_COMMAND, "torque", list(vals), "finite")
        if reason := self._estop_check():
            return self._reject(reason, "torque", list(vals), _needs(reason))
        peak = max((abs(float(v)) for v in vals), default=0.0)
        if peak > lim.torque:
            return self._reject(Reason.SAFETY_TORQUE, "torque", peak, lim.torque)
        tau = tuple(float(v) for v in vals)
        return self._forward("torque", tau, lambda: self._act.command_torques(tau))

    def command_ee_target(self, position: Sequence[float]) -> bool:
        lim = self._limits.current
        vals = tuple(position)
        if len(vals) != 3 or not _finite(vals):
            return self._reject(Reason.SAFETY_INVALID_COMMAND, "ee", list(vals), "finite xyz")
        if reason := self._estop_check():
            return self._reject(reason, "ee", list(vals), _needs(reason))
        x, y, z = (float(v) for v in vals)
        if not lim.inside_workspace(x, y) or not lim.ee_height[0] <= z <= lim.ee_height[1]:
            return self._reject(
                Reason.SAFETY_WORKSPACE, "ee", [x, y, z], [*lim.workspace, *lim.ee_height]
            )
        return self._forward("ee", (x, y, z), lambda: self._act.command_ee_target((x, y, z)))

    def command_gripper(self, closed: bool) -> bool:
        if not isinstance(closed, (bool, int)) or isinstance(closed, float):
            return self._reject(Reason.SAFETY_INVALID_COMMAND, "gripper", closed, "bool")
        if reason := self._estop_check():
            return self._reject(reason, "gripper", bool(closed), _needs(reason))
        c = bool(closed)
        return self._forward("gripper", (float(c),), lambda: self._act.command_gripper(c))

    def stop(self) -> None:
        self._act.stop()
        self.stopped_at = time.perf_counter()

    def halt(self) -> None:
        """The goal is being cancelled: drop every motion command until :meth:`release` (a
        tick already in progress on another thread must not undo the cancel's stop). Not a
        safety violation and not latched across goals like the e-stop."""
        self._halted = True

    def release(self) -> None:
        self._halted = False

    @property
    def halted(self) -> bool:
        return self._halted

    # -- e-stop ---------------------------------------------------------------------------
    @property
    def estopped(self) -> bool:
        return self._estop_reason is not None

    def estop(self, why: str = "operator") -> None:
        """Latch the emergency stop: every command is refused until :meth:`reset`."""
        self._estop_reason = why
        self._act.stop()

    def reset(self) -> None:
        self._estop_reason = None

    # -- internals ------------------------------------------------------------------------
    def _estop_check(self) -> Reason | None:
        if self._estop_reason is not None:
            return Reason.ESTOP
        if self.require_scope and self._limits.depth == 0:
            return Reason.SAFETY_UNGUARDED
        return None

    def _forward(self, kind: str, vals: tuple[float, ...], send: Callable[[], Any]) -> bool:
        if self._halted:
            self._last_rejection = Reason.CANCELLED
            return False
        self.accepted += 1
        if self.forwarded is not None:
            self.forwarded.append((kind, vals))
        send()
        return True

    def _reject(self, reason: Reason, command: str, value: Any, limit: Any) -> bool:
        self._last_rejection = reason
        self.violations.append(
            Violation(self._clock(), reason, command, value, limit, self._limits.owner)
        )
        self._act.stop()
        return False


def _needs(reason: Reason) -> str:
    """The 'limit' a refused command missed: the e-stop released, or a guard's scope."""
    return "estop" if reason is Reason.ESTOP else "a safety guard's scope"
