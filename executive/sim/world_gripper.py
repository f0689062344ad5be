"""The gripper: the one grasp (with the one ``grasp_fail`` draw) and the release onto a surface,
into a container or to the floor.
"""

from __future__ import annotations

import math

from executive.sim.world_state import GRASP_HEIGHT, GRASP_RADIUS, PLACE_HEIGHT


class WorldGripper:
    """A part of :class:`~executive.sim.world.SimWorld` (the module docstring says which)."""

    def close_gripper(self) -> str | None:
        """Close the jaws: grasp the nearest graspable object within GRASP_RADIUS of the ee.

        The ``grasp_fail`` fault (:meth:`grasp_fails`, as in the scripted pick): the jaws close empty.
        Returns the grasped object's id (or the one already held), else None.
        """
        if self.gripper_closed:
            return self.held
        self.gripper_closed = True
        ex, ey, ez = self.fk()
        best: tuple[float, str] | None = None
        for oid, o in sorted(self.objects.items()):
            if o.location == "gripper" or o.location in self.people or not self.is_visible_truth(oid):
                continue
            d = math.dist((ex, ey, ez), (o.x, o.y, o.z + GRASP_HEIGHT))
            if d <= GRASP_RADIUS and (best is None or d < best[0]):
                best = (d, oid)
        if best is None:
            self.record("state", "gripper_closed", object=None)
            return None
        oid = best[1]
        if self.grasp_fails(oid):
            return None
        self.attach(oid, (ex, ey, ez))
        self.belief[oid] = "gripper"
        return oid

    def attach(self, oid: str, at: tuple[float, float, float]) -> None:
        """The jaws hold ``oid`` at ``at`` (the end effector): the one place a grasp succeeds."""
        self.held, self.gripper_closed = oid, True
        self.move_object(oid, "gripper", None, at)
        self.record("state", "grasped", object=oid)

    def open_gripper(self) -> str | None:
        """Open the jaws: the held object is placed on/in the fixture under the ee, else drops
        to the floor below. Returns the fixture (or "floor") it went to, None if nothing held."""
        self.gripper_closed = False
        oid = self.held
        if oid is None:
            return None
        ex, ey, ez = self.fk()
        self.held = None
        for fid, f in sorted(self.scene.fixtures.items()):
            x0, y0, x1, y1 = f.rect
            if not (x0 <= ex <= x1 and y0 <= ey <= y1):
                continue
            if f.surface and not f.container and 0.0 <= ez - f.height <= PLACE_HEIGHT:
                self.move_object(oid, fid, "on", (ex, ey, f.height))
            elif f.container and self.is_open(fid) and ez <= f.height + PLACE_HEIGHT:
                self.move_object(oid, fid, "in", (ex, ey, f.height * 0.5))
            else:
                continue
            self.belief[oid] = fid
            self.record("state", "placed", object=oid, target=fid, relation=self.objects[oid].relation)
            return fid
        self.move_object(oid, "floor", None, (ex, ey, 0.0))
        self.belief[oid] = self.place_of(oid)
        self.record("state", "dropped", object=oid, x=round(ex, 3), y=round(ey, 3))
        return "floor"
