"""The independent command auditor of every campaign episode.

Why its own check: "0 commands beyond the limits" must be counted, not assumed. The auditor
sits between the safety gate and the world's raw actuators and checks each command that
arrives against the limits in force at that moment with its own arithmetic (not the gate's
code), so a bug in the gate shows up as a count here.
"""

from __future__ import annotations

import math
from typing import Any

from behaviours.reasons import Reason

#: Faults that can make success impossible; an abort caused by them is not a recovery failure.
PERMANENT_REASONS = frozenset({Reason.NAV_NO_PATH, Reason.NAV_GOAL_INVALID, Reason.DOOR_STUCK})


class AuditedActuators:
    """Pass-through to the raw actuators that checks each command independently."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.stack: Any = None
        self.commands = 0
        self.violations: list[tuple[str, Any]] = []

    def _limits(self):
        return self.stack.current

    def _bad(self, kind: str, vals: Any, ok: bool) -> None:
        self.commands += 1
        if not ok:
            self.violations.append((kind, vals))

    def command_base(self, linear: float, angular: float) -> bool:
        lim = self._limits()
        ok = (
            all(math.isfinite(v) for v in (linear, angular))
            and abs(linear) <= lim.linear_velocity
            and abs(angular) <= lim.angular_velocity
        )
        self._bad("base", (linear, angular), ok)
        return self.inner.command_base(linear, angular)

    def command_arm(self, qd: Any) -> bool:
        lim = self._limits()
        self._bad("arm", qd, all(math.isfinite(v) and abs(v) <= lim.joint_velocity for v in qd))
        return self.inner.command_arm(qd)

    def command_torques(self, tau: Any) -> bool:
        lim = self._limits()
        self._bad("torque", tau, all(math.isfinite(v) and abs(v) <= lim.torque for v in tau))
        return self.inner.command_torques(tau)

    def command_ee_target(self, p: Any) -> bool:
        lim = self._limits()
        x, y, z = p
        ok = lim.inside_workspace(x, y) and lim.ee_height[0] <= z <= lim.ee_height[1]
        self._bad("ee", p, ok)
        return self.inner.command_ee_target(p)

    def command_gripper(self, closed: bool) -> bool:
        self._bad("gripper", closed, isinstance(closed, (bool, int)))
        return self.inner.command_gripper(closed)

    def stop(self) -> None:
        self.inner.stop()

    def current_limits(self):
        return self.inner.current_limits()

    @property
    def last_rejection(self) -> Reason:
        return self.inner.last_rejection
