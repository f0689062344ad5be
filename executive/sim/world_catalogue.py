"""The catalogue: the entities grounding sees (belief) and the state digest (truth) for determinism checks.
"""

from __future__ import annotations

from typing import Any

from executive.sim.scene import POURABLE_TYPES
from executive.world_model import EntityInfo


class WorldCatalogue:
    """A part of :class:`~executive.sim.world.SimWorld` (the module docstring says which)."""

    def entities(self) -> list[EntityInfo]:
        """Everything an instruction can name; objects carry the robot's *believed* place."""
        out: list[EntityInfo] = []
        for rid, r in self.scene.rooms.items():
            out.append(EntityInfo(rid, "room", "room", room=rid, aliases=r.aliases))
        for fid, f in self.scene.fixtures.items():
            out.append(
                EntityInfo(
                    fid,
                    "fixture",
                    f.type or fid,
                    room=f.room,
                    aliases=f.aliases,
                    surface=f.surface,
                    container=f.container,
                    door=f.door,
                    switch=f.switch,
                )
            )
        for oid, spec in self.scene.objects.items():
            where = self.belief.get(oid)
            loc = rel = None
            room: str | None = None
            if where in self.scene.fixtures:
                loc = where
                rel = self.objects[oid].relation if where == self.objects[oid].location else None
                if rel is None:
                    rel = (
                        "in"
                        if self.scene.fixtures[where].container and not self.scene.fixtures[where].surface
                        else "on"
                    )
                room = self.scene.fixtures[where].room
            elif where in self.scene.rooms:
                room = where
            elif where == "gripper":
                room = self.robot_room()
            elif where in self.people:
                room = self.room_of(where)
            tags = tuple(dict.fromkeys(spec.tags + (("pourable",) if spec.type in POURABLE_TYPES else ())))
            out.append(
                EntityInfo(
                    oid,
                    "object",
                    spec.type,
                    colour=spec.colour,
                    size=spec.size,
                    material=spec.material,
                    room=room,
                    location=loc,
                    relation=rel,
                    aliases=spec.aliases,
                    sharp=spec.sharp,
                    mass=spec.mass,
                    tags=tags,
                )
            )
        for pid in self.people:
            aliases = self.scene.people[pid].aliases if pid in self.scene.people else ()
            out.append(EntityInfo(pid, "person", "person", room=self.room_of(pid), aliases=aliases))
        return out

    def state_digest(self) -> dict[str, Any]:
        """Compact, deterministic world state for traces and tests (truth, rounded)."""
        return {
            "t": round(self.t, 3),
            "robot": [round(self.x, 3), round(self.y, 3), round(self.theta, 3)],
            "arm": [round(float(v), 3) for v in self.q],
            "gripper": "closed" if self.gripper_closed else "open",
            "held": self.held,
            "objects": {
                oid: [o.location, o.relation, round(o.x, 2), round(o.y, 2)]
                for oid, o in sorted(self.objects.items())
            },
            "fixtures": {
                fid: {"open": s.open, "on": s.on, "dirty": s.dirty,
                      **({"dirt_left": s.dirt.left} if s.dirt is not None else {})}
                for fid, s in sorted(self.fixtures.items())
            },
            "people": {
                pid: [round(p.x, 2), round(p.y, 2), p.phase]
                for pid, p in sorted(self.people.items())
                if p.dynamic
            },
            "blocks": sorted(self.blocks),
        }
