"""The robot's kinematics: forward and inverse arm kinematics, integration of commanded velocities.

Only commanded velocities move the base and arm (set by
:class:`~executive.sim.actuators.Actuators`); ``_integrate`` turns them into motion, one ``dt``
at a time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from executive.sim.world_state import SHOULDER_HEIGHT, wrap


class WorldKinematics:
    """A part of :class:`~executive.sim.world.SimWorld` (the module docstring says which)."""

    def fk(
        self, q: Sequence[float] | None = None, base: tuple[float, float, float] | None = None
    ) -> tuple[float, float, float]:
        """End effector in the map frame: yaw joint, planar shoulder/elbow; wrists are ignored."""
        q = self.q if q is None else q
        bx, by, bt = (self.x, self.y, self.theta) if base is None else base
        q0, q1, q2 = float(q[0]), float(q[1]), float(q[2])
        r = self.link1 * math.cos(q1) + self.link2 * math.cos(q1 + q2)
        z = SHOULDER_HEIGHT + self.link1 * math.sin(q1) + self.link2 * math.sin(q1 + q2)
        yaw = bt + q0
        return (bx + r * math.cos(yaw), by + r * math.sin(yaw), z)

    def ik(self, target: Sequence[float]) -> np.ndarray:
        """Joint positions (elbow up) putting the end effector at, or nearest to, ``target``."""
        tx, ty, tz = (float(v) for v in target)
        dx, dy = tx - self.x, ty - self.y
        q = self.q.copy()
        q[0] = self.q[0] + wrap(math.atan2(dy, dx) - self.theta - self.q[0]) if (dx or dy) else q[0]
        r, zz = math.hypot(dx, dy), tz - SHOULDER_HEIGHT
        d = math.hypot(r, zz)
        lo, hi = abs(self.link1 - self.link2) + 1e-3, self.link1 + self.link2 - 1e-3
        if d < 1e-9:
            r, zz, d = lo, 0.0, lo
        elif not lo <= d <= hi:
            s = min(max(d, lo), hi) / d
            r, zz, d = r * s, zz * s, d * s
        c2 = (d * d - self.link1**2 - self.link2**2) / (2 * self.link1 * self.link2)
        q2 = -math.acos(min(max(c2, -1.0), 1.0))
        q1 = math.atan2(zz, r) + math.atan2(
            self.link2 * math.sin(-q2), self.link1 + self.link2 * math.cos(q2)
        )
        q[1], q[2] = q1, q2
        return q

    def ee_position(self) -> tuple[float, float, float]:
        return self.fk()

    def _integrate(self) -> None:
        dt = self.dt
        # base (unicycle); a collision with a wall or fixture stops translation
        theta = wrap(self.theta + self.w * dt)
        mid = self.theta + self.w * dt / 2
        nx_, ny_ = self.x + self.v * math.cos(mid) * dt, self.y + self.v * math.sin(mid) * dt
        body = self.scene.robot.radius * 0.8
        blocked = self.v != 0.0 and self.grid.collides(nx_, ny_, body)
        if blocked and self.grid.collides(self.x, self.y, body):
            # Already touching something: let it back out (any move that gains clearance), or a
            # robot that grazed a corner could never leave it.
            blocked = self.grid.clearance(nx_, ny_) <= self.grid.clearance(self.x, self.y)
        if blocked:
            # bump and slide: keep whichever axis of the motion stays clear (grazing a corner)
            for sx, sy in ((nx_, self.y), (self.x, ny_)):
                if (sx, sy) != (self.x, self.y) and not self.grid.collides(sx, sy, body):
                    nx_, ny_, blocked = sx, sy, False
                    break
        if blocked:
            if not self._in_collision:
                self.record("state", "collision", x=round(nx_, 3), y=round(ny_, 3))
            self._in_collision = True
        else:
            self._in_collision = False
            self.odometer += abs(self.v) * dt
            self.x, self.y = nx_, ny_
        self.theta = theta
        # arm: joint velocities, or a Cartesian target at the joint-velocity cap
        if self.ee_target is not None:
            goal = self.ik(self.ee_target)
            cap = self.ee_joint_velocity_cap
            self.qd = np.clip((goal - self.q) / dt, -cap, cap)
        self.q = self.q + self.qd * dt
        if self.held is not None:
            o = self.objects[self.held]
            o.x, o.y, o.z = self.fk()
        self._wipe_contact()
