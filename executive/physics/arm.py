"""Arm motion on the physics world, shared by every arm skill: joint moves through the guarded
motion port with capped joint velocities, hand paths that go up, across and down in short
damped-least-squares IK steps, fine positioning of the base before the arm is used, and the
gripper. A mixin of :class:`executive.physics.skills.PhysicsRobot` (it supplies ``world``,
``motion``, ``_hold``, ``_wait`` and ``_rejected``).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

import numpy as np

from behaviours.ports import ActionResult
from behaviours.reasons import Reason
from executive.sim.occupancy import rect_dist
from executive.sim.robot_core import _fail  # one home for the result constructors

Step = Generator[str, None, ActionResult | None]
#: The arm's usual joint speed, a fraction of the guard's (and the robot's) limit.
ARM_SPEED = 0.5
#: Joint speed of moves over free floor (the hands-full lid open and its take-back,
#: ``executive.physics.doors``): the guard's full limit.
FAST = 1.0
#: ... and their travel steps (between far postures the hand's path bows; over free floor and
#: up to a lid's handle from above there is nothing for it to bow into).
FAST_STEP = 0.6
NEAR = 1.0
REACH_TOL = 0.03
#: Longest straight step of a hand path (one IK solve, one servo move).
STEP = 0.08
#: Hand travel (``_travel``) goes up-across-down in steps this long (the 8 cm steps settle at
#: every point, which made a door's open take ~17 s of its 20 s guard).
TRAVEL_STEP = 0.25
STEP_TIMEOUT = 2.0


class Arm:
    world: Any
    motion: Any

    # ------------------------------------------------------------ arm motion
    def _arm_to(self, goal: np.ndarray, label: str, timeout: float = 6.0, speed: float = ARM_SPEED) -> Step:
        """Drive the joints to ``goal`` with capped joint velocities through ``command_arm``,
        until the servos have settled there. ``speed``: the fraction of the guard's (and the
        robot's) joint velocity limit to use."""
        w = self.world
        lim = self.motion.current_limits()
        cap = min(lim.joint_velocity, w.scene.robot.max_joint_velocity) * speed
        # a guard's slow joint limit (near a person) makes a long move take longer, not fail
        travel = float(np.max(np.abs(goal - w.q_ref)))
        t_end = w.t + max(timeout, 2.0 + 1.5 * travel / max(cap, 1e-3))
        while True:
            lim = self.motion.current_limits()
            cap = min(lim.joint_velocity, w.scene.robot.max_joint_velocity) * speed
            err = goal - w.q_ref
            if float(np.max(np.abs(err))) < 1e-4 and float(np.max(np.abs(goal - w.q))) < 0.02:
                if not self.motion.command_arm([0.0] * w.n_joints):
                    return self._rejected("command_arm")  # type: ignore[attr-defined]
                return None
            if w.t >= t_end:
                return _fail(Reason.NOT_REACHABLE, f"{label}: the arm did not get there")
            qd = np.clip(err / w.dt, -cap, cap)
            if not self.motion.command_arm(qd.tolist()):
                return self._rejected("command_arm")  # type: ignore[attr-defined]
            if (r := self._hold()) is not None:  # type: ignore[attr-defined]
                return r
            yield label

    def _reach(self, point: tuple[float, float, float], label: str, yaw: float | None = None,
               strict: bool = True) -> Step:
        """Put the grasp point at ``point``. A long move goes up, across, then down in short IK
        steps: one joint-space move between far postures bows, and swept the hand through a
        counter's edge (the contact shoved the base, and the grasp then missed)."""
        w = self.world
        q = w.ik(point, yaw)
        miss = math.dist(w.fk_of(q), point)
        if miss > REACH_TOL and strict:
            return _fail(Reason.NOT_REACHABLE, f"{label}: {miss:.2f} m out of the arm's reach")
        for via in self._via_points(w.fk(), point):
            if (r := (yield from self._arm_to(w.ik(via, yaw), label))) is not None:
                return r
        return (yield from self._arm_to(w.ik(point, yaw), label))

    @staticmethod
    def _via_points(start: tuple[float, float, float],
                    goal: tuple[float, float, float]) -> list[tuple[float, float, float]]:
        """Points (not the goal) of an up-across-down path, at most ``STEP`` apart."""
        (x0, y0, z0), (x1, y1, z1) = start, goal
        zc = max(z0, z1)
        legs = [((x0, y0, z0), (x0, y0, zc)), ((x0, y0, zc), (x1, y1, zc)), ((x1, y1, zc), (x1, y1, z1))]
        out: list[tuple[float, float, float]] = []
        for a, b in legs:
            n = math.ceil(math.dist(a, b) / STEP - 1e-9)
            out += [tuple(a[i] + (b[i] - a[i]) * k / n for i in range(3)) for k in range(1, n + 1)]  # type: ignore[misc]
        return out[:-1] if out else out

    def _descend(self, x: float, y: float, z0: float, z1: float, label: str,
                 yaw: float | None = None) -> Step:
        """A vertical move in short IK steps (joint-space moves between far IK solutions bow,
        and would swing the hand into a container's wall)."""
        n = max(1, math.ceil(abs(z0 - z1) / 0.08))
        for k in range(1, n + 1):
            if (r := (yield from self._reach((x, y, z0 + (z1 - z0) * k / n), label, yaw))) is not None:
                return r
        return None

    def _settle(self, point: tuple[float, float, float], label: str, yaw: float | None = None,
                tol: float = 0.002, tries: int = 2) -> Step:
        """Correct the hand's remaining offset from ``point`` (the servos settle a few mm off the
        IK posture under gravity): aim past it by the measured error, at most ``tries`` times.
        A thin object (a 12 mm phone) is missed by a hand that stops 6 mm high."""
        w = self.world
        aim = np.array(point, dtype=float)
        for _ in range(tries):
            err = np.array(point, dtype=float) - np.array(w.fk())
            if float(np.max(np.abs(err))) < tol:
                break
            aim = aim + err
            if (r := (yield from self._arm_to(w.ik(tuple(aim), yaw), label))) is not None:
                return r
        return None

    def _clear_height(self, x: float, y: float, z: float) -> float:
        """A height to move in over (x, y): 10 cm above ``z`` and above any container rim there."""
        top = z + 0.1
        for f in self.world.scene.fixtures.values():
            x0, y0, x1, y1 = f.rect
            if f.container and x0 <= x <= x1 and y0 <= y <= y1:
                top = max(top, f.height + 0.1)
        return top

    def _home(self) -> Step:
        """Back to the folded posture, by the hand's up-across path first (see :meth:`_reach`).
        A via point the arm cannot settle on (close to the mast the IK may keep a far yaw) is
        left for the final joint-space move, which is what must succeed."""
        w = self.world
        home = np.array(w.home_joints, dtype=float)
        for via in self._via_points(w.fk(), w.fk_of(home)):
            r = yield from self._arm_to(w.ik(via), "retracting", timeout=2.0)
            if r is not None and r.reason is not Reason.NOT_REACHABLE:
                return r  # a refused command stops the retract; a missed via point does not
            if r is not None:
                break
        return (yield from self._arm_to(home, "retracting"))

    def _gripper(self, closed: bool, label: str) -> Step:
        if not self.motion.command_gripper(closed):
            return self._rejected("command_gripper")  # type: ignore[attr-defined]
        return (yield from self._wait(0.6, label))  # type: ignore[attr-defined]

    def _near(self, target: str) -> bool:
        w = self.world
        pose = w.approach_pose(target, believed=False)
        if pose is not None and math.hypot(pose[0] - w.x, pose[1] - w.y) <= NEAR:
            return True
        kind = w.kind_of(target)
        if kind == "fixture":
            return float(rect_dist(w.x, w.y, w.scene.fixtures[target].rect)) <= w.scene.robot.arm_reach * 0.8
        if kind == "object":
            x, y, _ = w.obj_pos(target)
            return math.hypot(x - w.x, y - w.y) <= w.scene.robot.arm_reach + 0.2
        return False

    def _close_in(self, target: str) -> Step:
        """Fine positioning before using the arm: drive the base (through the gate) the last
        stretch to the target's approach pose, when a navigation stopped within its tolerance."""
        w = self.world
        pose = w.approach_pose(target, believed=False)
        if pose is None or math.hypot(pose[0] - w.x, pose[1] - w.y) > NEAR:
            return None
        t_end = w.t + 8.0
        while w.t < t_end:
            lim = self.motion.current_limits()
            vmax, wmax = min(0.3, lim.linear_velocity), min(0.5, lim.angular_velocity)
            dx, dy = pose[0] - w.x, pose[1] - w.y
            dist = math.hypot(dx, dy)
            if dist < 0.05:
                err = (pose[2] - w.theta + math.pi) % (2 * math.pi) - math.pi
                if abs(err) < 0.05:
                    break
                v, om = 0.0, float(np.clip(1.5 * err, -wmax, wmax))
            else:
                bearing = (math.atan2(dy, dx) - w.theta + math.pi) % (2 * math.pi) - math.pi
                v = 0.0 if abs(bearing) > 0.3 else min(vmax, dist / w.dt) * math.cos(bearing)
                om = float(np.clip(2.0 * bearing, -wmax, wmax))
            if not self.motion.command_base(v, om):
                return self._rejected("command_base")  # type: ignore[attr-defined]
            if (r := self._hold()) is not None:  # type: ignore[attr-defined]
                return r
            yield f"closing in on {target}"
        if not self.motion.command_base(0.0, 0.0):
            return self._rejected("command_base")  # type: ignore[attr-defined]
        return None

    def _travel(self, goal: tuple[float, float, float], label: str, yaw: float | None,
                strict: bool = True, speed: float = ARM_SPEED,
                step: float = TRAVEL_STEP) -> Generator[str, None, ActionResult | None]:
        """The hand up, across, then down to ``goal`` in ``step``-long steps (clear of the
        container's walls, which the fingers collide with), ``STEP_TIMEOUT`` for each point.
        ``strict``: a via point the arm cannot settle on fails the move; otherwise the next
        point is tried."""
        w = self.world
        (x0, y0, z0), (x1, y1, z1) = w.fk(), goal
        zc = max(z0, z1)
        pts: list[tuple[float, float, float]] = []
        for a, b in (((x0, y0, z0), (x0, y0, zc)), ((x0, y0, zc), (x1, y1, zc)), ((x1, y1, zc), goal)):
            n = math.ceil(math.dist(a, b) / step - 1e-9)
            pts += [(a[0] + (b[0] - a[0]) * k / n, a[1] + (b[1] - a[1]) * k / n, a[2] + (b[2] - a[2]) * k / n)
                    for k in range(1, n + 1)]
        if strict:
            q = w.ik(goal, yaw)
            if (miss := math.dist(w.fk_of(q), goal)) > REACH_TOL:
                return _fail(Reason.NOT_REACHABLE, f"{label}: {miss:.2f} m out of the arm's reach")
        for p in pts:
            r = yield from self._arm_to(w.ik(p, yaw), label, timeout=STEP_TIMEOUT, speed=speed)
            if r is not None and (strict or r.reason is not Reason.NOT_REACHABLE):
                return r
        return None
