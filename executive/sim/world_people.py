"""People in the world: spawning, walking, and the obstacle distance they and the furniture leave.
"""

from __future__ import annotations

import math

from executive.sim.world_state import PersonState


class WorldPeople:
    """A part of :class:`~executive.sim.world.SimWorld` (the module docstring says which)."""

    def spawn_person(self, x: float, y: float, stay: float) -> str:
        """A person who walks up to the robot, stays ``stay`` seconds, then walks away."""
        pid = self.next_id("passer_by_")
        self.people[pid] = PersonState(pid, x, y, dynamic=True, phase="approach", stay=stay)
        return pid

    def _advance_people(self) -> None:
        dt, rr = self.dt, self.scene.robot.radius
        for pid in list(self.people):
            p = self.people[pid]
            if not p.dynamic:
                continue
            if p.phase == "approach":
                dx, dy = self.x - p.x, self.y - p.y
                dist = math.hypot(dx, dy)
                gap = dist - rr - p.radius
                if gap <= 0.2:
                    p.phase, p.phase_until = "stay", self.t + p.stay
                    self.record("state", "person_stays", person=pid, clearance=round(gap, 3))
                else:
                    step = min(0.6 * dt, gap - 0.15)  # ends just inside 0.2 m
                    p.x += dx / dist * step
                    p.y += dy / dist * step
            elif p.phase == "stay" and self.t >= p.phase_until:
                dx, dy = p.x - self.x, p.y - self.y
                n = math.hypot(dx, dy) or 1.0
                p.vx, p.vy = -dy / n * 0.8, dx / n * 0.8  # sideways, out of the path
                p.phase, p.phase_until = "leave", self.t + 3.0
                self.record("state", "person_leaves", person=pid)
            elif p.phase == "leave":
                p.x += p.vx * dt
                p.y += p.vy * dt
                if self.t >= p.phase_until:
                    del self.people[pid]
                    self.record("state", "person_gone", person=pid)

    def obstacle_distance(self) -> float:
        """Clearance (m) from the base to the nearest dynamic person or fault obstacle."""
        rr = self.scene.robot.radius
        best = math.inf
        for p in self.people.values():
            if p.dynamic:
                best = min(best, math.hypot(p.x - self.x, p.y - self.y) - rr - p.radius)
        for b in self.blocks.values():
            # A static obstacle counts while it is ahead (within +-90 deg of the heading): the
            # robot may always turn and drive away from one it has just routed round.
            bearing = math.atan2(b.region.y - self.y, b.region.x - self.x) - self.theta
            if math.cos(bearing) > 0.0:
                best = min(best, math.hypot(b.region.x - self.x, b.region.y - self.y) - rr - b.region.radius)
        return max(best, 0.0)

    def nearest_obstacle(self) -> tuple[float, float, float] | None:
        """(clearance, x, y) of the nearest dynamic obstacle, for controllers that yield to it."""
        rr = self.scene.robot.radius
        out: tuple[float, float, float] | None = None
        # Only people: fault obstacles are static and known to the planner, which keeps the
        # path clear of them; yielding to one the path already avoids would wait forever.
        items = [(p.x, p.y, p.radius) for p in self.people.values() if p.dynamic]
        for x, y, rad in items:
            c = max(math.hypot(x - self.x, y - self.y) - rr - rad, 0.0)
            if out is None or c < out[0]:
                out = (c, x, y)
        return out
