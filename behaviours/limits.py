"""Safety limits and their scoping.

Defaults are the seed's SafetyMonitor values. Guards push limits for their subtree; the
innermost active set applies to every command leaving through a port. A guard can only
*tighten* what encloses it (an inner guard asking for 3 m/s under an outer 0.5 m/s gets
0.5 m/s), so no subtree can loosen a limit set above it. The one exception is the time budget
``action_timeout``: each guard sets its own, and the enclosing guard's timer still runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Any

Bounds = tuple[float, float, float, float]  # x_min, y_min, x_max, y_max (map frame, metres)


@dataclass(frozen=True)
class SafetyLimits:
    joint_velocity: float = 2.0  # rad/s, per joint
    torque: float = 100.0  # Nm, per joint
    linear_velocity: float = 1.0  # m/s, base
    angular_velocity: float = 0.5  # rad/s, base
    action_timeout: float = 30.0  # s, per guarded subtree
    obstacle_distance: float = 0.3  # m, nearest person/obstacle while moving
    workspace: Bounds = (-math.inf, -math.inf, math.inf, math.inf)
    ee_height: tuple[float, float] = (0.0, 2.0)  # m, end-effector z range

    def tightened(self, **overrides: Any) -> SafetyLimits:
        """Apply overrides, never loosening: maxima take the min, minima the max."""
        if unknown := set(overrides) - {f.name for f in fields(self)}:
            raise ValueError(f"unknown safety limit(s): {sorted(unknown)}")
        out = self
        for key, value in overrides.items():
            cur = getattr(self, key)
            if key == "workspace":
                v = tuple(float(x) for x in value)
                if len(v) != 4:
                    raise ValueError("workspace must be [x_min, y_min, x_max, y_max]")
                new: Any = (max(cur[0], v[0]), max(cur[1], v[1]), min(cur[2], v[2]), min(cur[3], v[3]))
            elif key == "ee_height":
                v = tuple(float(x) for x in value)
                new = (max(cur[0], v[0]), min(cur[1], v[1]))
            elif key == "obstacle_distance":
                new = max(cur, _positive(key, value))
            elif key == "action_timeout":
                # A time budget, not a physical limit: each guard sets its own (a long drive may
                # need 90 s); an enclosing guard's own timer still bounds the whole subtree.
                new = _positive(key, value)
            else:
                new = min(cur, _positive(key, value))
            out = replace(out, **{key: new})
        return out

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def inside_workspace(self, x: float, y: float) -> bool:
        x0, y0, x1, y1 = self.workspace
        return x0 <= x <= x1 and y0 <= y <= y1


def _positive(key: str, value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError) as e:
        raise ValueError(f"safety limit {key} must be a number, got {value!r}") from e
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"safety limit {key} must be finite and >= 0, got {value!r}")
    return v


DEFAULT_LIMITS = SafetyLimits()


class LimitStack:
    """The scopes in force, innermost last. Guards push in ``initialise`` and pop in ``terminate``."""

    def __init__(self, base: SafetyLimits = DEFAULT_LIMITS) -> None:
        self._stack: list[tuple[str, SafetyLimits]] = [("robot", base)]

    @property
    def current(self) -> SafetyLimits:
        return self._stack[-1][1]

    @property
    def owner(self) -> str:
        return self._stack[-1][0]

    @property
    def depth(self) -> int:
        return len(self._stack) - 1

    def push(self, owner: str, **overrides: Any) -> SafetyLimits:
        limits = self.current.tightened(**overrides)
        self._stack.append((owner, limits))
        return limits

    def pop(self, owner: str) -> None:
        """Remove ``owner``'s scope (and anything pushed above it that was not popped)."""
        for i in range(len(self._stack) - 1, 0, -1):
            if self._stack[i][0] == owner:
                del self._stack[i:]
                return

    def reset(self) -> None:
        """Drop every scope but the robot's own (a new goal starts with no guard active)."""
        del self._stack[1:]

    def scopes(self) -> list[tuple[str, SafetyLimits]]:
        return list(self._stack)
