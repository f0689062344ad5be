"""The raw motion port of the simulated robot (the only thing that sets commanded velocities).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from behaviours.limits import DEFAULT_LIMITS, SafetyLimits
from behaviours.reasons import Reason

if TYPE_CHECKING:  # the world holds its actuators' world: a type only, no import cycle
    from executive.sim.world import SimWorld


class Actuators:
    """The raw motion port of the simulated robot: sets commanded velocities, nothing more.

    Unguarded on purpose: the runtime wraps it in a safety gate. It only refuses
    malformed commands (wrong length, NaN/inf) so they cannot corrupt the world state.
    """

    def __init__(self, world: SimWorld) -> None:
        self.world = world
        self._last_rejection = Reason.NONE

    def _finite(self, values: Sequence[float], n: int | None = None) -> np.ndarray | None:
        try:
            arr = np.asarray(values, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            arr = None
        if arr is None or (n is not None and arr.shape[0] != n) or not np.all(np.isfinite(arr)):
            self._last_rejection = Reason.SAFETY_INVALID_COMMAND
            return None
        return arr

    def command_base(self, linear: float, angular: float) -> bool:
        arr = self._finite([linear, angular])
        if arr is None:
            return False
        self.world.v, self.world.w = float(arr[0]), float(arr[1])
        return True

    def command_arm(self, joint_velocities: Sequence[float]) -> bool:
        arr = self._finite(joint_velocities, self.world.n_joints)
        if arr is None:
            return False
        self.world.ee_target = None
        self.world.qd = arr
        return True

    def command_torques(self, torques: Sequence[float]) -> bool:
        arr = self._finite(torques, self.world.n_joints)
        if arr is None:
            return False
        self.world.torques = arr
        return True

    def command_ee_target(self, position: Sequence[float]) -> bool:
        arr = self._finite(position, 3)
        if arr is None:
            return False
        self.world.ee_target = (float(arr[0]), float(arr[1]), float(arr[2]))
        return True

    def command_gripper(self, closed: bool) -> bool:
        if not isinstance(closed, (bool, int, np.bool_)):
            self._last_rejection = Reason.SAFETY_INVALID_COMMAND
            return False
        if closed:
            self.world.close_gripper()
        else:
            self.world.open_gripper()
        return True

    def stop(self) -> None:
        w = self.world
        w.v = w.w = 0.0
        w.qd = np.zeros(w.n_joints)
        w.ee_target = None

    def current_limits(self) -> SafetyLimits:
        return DEFAULT_LIMITS

    @property
    def last_rejection(self) -> Reason:
        return self._last_rejection
