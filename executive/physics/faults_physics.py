"""The kinematic world's faults as physics, with the same names, draws and seeding.

``blocked_path`` parks the obstacle body (a mocap cylinder) on the planned path and blocks the
grid cells round it; ``person_in_path`` walks the passer-by body up to the robot, lets it stay,
walks it away; ``grasp_slip`` drops the held object's friction so it slides out of the jaws;
``door_stuck`` loads the door joint with friction the hand cannot beat (the skill finds it by
measuring the joint, ``executive.physics.doors``); ``object_moved`` moves an object's free body
to another surface. ``missed_detection`` and ``port_timeout`` are drawn here too, when the
shared port code asks; ``grasp_fail`` by the manipulation skills. The shared port code
(``executive.sim.navigation`` / ``perception`` / ``robot_core``) meets these faults through the
same calls in both worlds (``executive.sim.robot_core.FaultEffects``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from executive.sim.occupancy import PERSON_RADIUS, Cell
from executive.sim.world_faults import block_on_path
from executive.sim.world_state import BlockState

if TYPE_CHECKING:
    from executive.physics.world import PhysicsWorld

STUCK_FRICTION = 1e4
SLIP_FRICTION = 0.0
SLIP_PRIORITY = 1


class FaultState:
    """Faults in progress in one physics world."""

    def __init__(self, world: PhysicsWorld) -> None:
        self.w = world
        self.blocks: dict[str, BlockState] = {}
        self.stuck_doors: dict[str, int] = {}
        #: each stuck door's own hinge friction, put back when it frees
        self.door_friction: dict[str, float] = {}
        self.slip_at: float | None = None
        self.slipping: str | None = None
        m = world.model
        self.obstacle_mocap = int(m.body_mocapid[m.body("obstacle").id])
        self.person_mocap = int(m.body_mocapid[m.body("passer_by").id])

    # ------------------------------------------------------------ per step
    def advance(self) -> None:
        w = self.w
        for bid in list(self.blocks):
            b = self.blocks[bid]
            if b.until is not None and w.t >= b.until:
                del self.blocks[bid]
                w.grid.unblock(bid)
                w.data.mocap_pos[self.obstacle_mocap] = (-5.0, -5.0, 0.5)
                w.record("fault_cleared", "blocked_path", block=bid)
        if self.slip_at is not None and w.held is not None and w.odometer >= self.slip_at:
            self.slip_at = None
            self.slipping = w.held
            for g in w.obj_geoms[w.held]:
                w.model.geom_friction[g][0] = SLIP_FRICTION
                # MuJoCo mixes two geoms' friction by their maximum, so the pads' own friction
                # would hold on; the higher priority makes the contact take the object's (none)
                w.model.geom_priority[g] = SLIP_PRIORITY
            w.record("fault", "grasp_slip", object=w.held)
        if self.slipping is not None and w.held != self.slipping:
            oid, self.slipping = self.slipping, None
            for g in w.obj_geoms[oid]:
                w.model.geom_friction[g][0] = w.model.geom_friction[g][0] or 1.2
                w.model.geom_priority[g] = 0
            w.belief[oid] = None
            x, y, _ = w.obj_pos(oid)
            w.record("state", "dropped", object=oid, x=round(x, 3), y=round(y, 3))
        self._advance_people()

    # --------------------------------------------------------------- slip
    def arm_slip(self, path_length: float) -> None:
        w = self.w
        if w.held is None or path_length <= 0.3 or not w.faults.draw("grasp_slip"):
            return
        self.slip_at = w.odometer + float(w.faults.rng("grasp_slip").uniform(0.3, 0.7)) * path_length

    def cancel_slip(self) -> None:
        self.slip_at = None

    # -------------------------------------------------------------- blocks
    def inject_blocked_path(self, path: Sequence[Cell]) -> BlockState | None:
        """Navigation start: maybe block the path (the kinematic world's draw) and park the
        obstacle body there."""
        b = block_on_path(self.w, path)
        if b is not None:
            self.blocks[b.id] = b
            self.w.data.mocap_pos[self.obstacle_mocap] = (b.region.x, b.region.y, 0.5)
        return b

    # --------------------------------------------------------------- doors
    def door_attempt(self, fid: str) -> bool:
        """Open attempt: False when the door is stuck (its joint then carries friction the
        hand cannot overcome, so the pull really fails; the skill measures that, it does not
        read this answer)."""
        w = self.w
        dof = int(w.model.joint(w.doors[fid].joint).dofadr[0])
        if fid in self.stuck_doors:
            left = self.stuck_doors[fid]
            if left == 0:
                del self.stuck_doors[fid]
                w.model.dof_frictionloss[dof] = self.door_friction.pop(fid)
                w.record("fault_cleared", "door_stuck", fixture=fid)
                return True
            if left > 0:
                self.stuck_doors[fid] = left - 1
            w.record("fault", "door_stuck", fixture=fid, repeat=True, for_good=left < 0)
            return False
        if not w.faults.draw("door_stuck"):
            return True
        rng = w.faults.rng("door_stuck")
        for_good = bool(rng.random() < 0.3)
        self.stuck_doors[fid] = -1 if for_good else int(rng.integers(0, 2))
        self.door_friction[fid] = float(w.model.dof_frictionloss[dof])
        w.model.dof_frictionloss[dof] = STUCK_FRICTION
        w.record("fault", "door_stuck", fixture=fid, repeat=False, for_good=for_good)
        return False

    # ------------------------------------------------------ object moved
    def maybe_move_object(self, oid: str) -> None:
        w = self.w
        loc, _ = w.support_of(oid)
        if loc not in w.scene.fixtures or not w.is_visible_truth(oid):
            return
        if not w.faults.draw("object_moved"):
            return
        choices = sorted(f for f, s in w.scene.fixtures.items() if s.surface and f != loc)
        new = choices[int(w.faults.rng("object_moved").integers(len(choices)))]
        f = w.scene.fixtures[new]
        from executive.physics.model import half_height

        qa = w.obj_qpos[oid]
        z = f.height + half_height(w.scene.objects[oid].type) + 0.005
        w.data.qpos[qa:qa + 7] = (f.pose[0], f.pose[1], z, 1.0, 0.0, 0.0, 0.0)
        w.data.qvel[w.model.jnt_dofadr[w.model.joint(f"obj_{oid}").id]:][:6] = 0.0
        w.mj.mj_forward(w.model, w.data)
        w.record("fault", "object_moved", object=oid, old=loc, new=new)

    # -------------------------------------------------------------- people
    def spawn_person(self, x: float, y: float, stay: float) -> str:
        w = self.w
        pid = w.next_id("passer_by_")
        w.people[pid] = {"x": x, "y": y, "dynamic": True, "phase": "approach", "stay": stay,
                         "until": math.inf, "vx": 0.0, "vy": 0.0, "radius": PERSON_RADIUS}
        w.data.mocap_pos[self.person_mocap] = (x, y, 0.85)
        return pid

    def _advance_people(self) -> None:
        w = self.w
        dt, rr = w.dt, w.scene.robot.radius
        for pid in list(w.people):
            p = w.people[pid]
            if not p["dynamic"]:
                continue
            if p["phase"] == "approach":
                dx, dy = w.x - p["x"], w.y - p["y"]
                dist = math.hypot(dx, dy)
                gap = dist - rr - p["radius"]
                if gap <= 0.2:
                    p["phase"], p["until"] = "stay", w.t + p["stay"]
                    w.record("state", "person_stays", person=pid, clearance=round(gap, 3))
                else:
                    step = min(0.6 * dt, gap - 0.15)
                    p["x"] += dx / dist * step
                    p["y"] += dy / dist * step
            elif p["phase"] == "stay" and w.t >= p["until"]:
                dx, dy = p["x"] - w.x, p["y"] - w.y
                n = math.hypot(dx, dy) or 1.0
                p["vx"], p["vy"] = -dy / n * 0.8, dx / n * 0.8
                p["phase"], p["until"] = "leave", w.t + 3.0
                w.record("state", "person_leaves", person=pid)
            elif p["phase"] == "leave":
                p["x"] += p["vx"] * dt
                p["y"] += p["vy"] * dt
                if w.t >= p["until"]:
                    del w.people[pid]
                    w.data.mocap_pos[self.person_mocap] = (-5.0, -5.0, 0.85)
                    w.record("state", "person_gone", person=pid)
                    continue
            w.data.mocap_pos[self.person_mocap] = (p["x"], p["y"], 0.85)

    def obstacle_distance(self) -> float:
        w = self.w
        rr = w.scene.robot.radius
        best = math.inf
        for p in w.people.values():
            if p["dynamic"]:
                best = min(best, math.hypot(p["x"] - w.x, p["y"] - w.y) - rr - p["radius"])
        for b in self.blocks.values():
            bearing = math.atan2(b.region.y - w.y, b.region.x - w.x) - w.theta
            if math.cos(bearing) > 0.0:
                best = min(best, math.hypot(b.region.x - w.x, b.region.y - w.y) - rr - b.region.radius)
        return max(best, 0.0)

    def person_steps_in(self, at: tuple[float, float]) -> str | None:
        """``person_in_path``: the passer-by steps in at ``at`` (a point on the path ahead) and
        stays 3-8 s; returns their id, or None when the fault does not hit."""
        w = self.w
        if not w.faults.draw("person_in_path"):
            return None
        px, py = at
        stay = float(w.faults.rng("person_in_path").uniform(3.0, 8.0))
        pid = self.spawn_person(px, py, stay)
        w.record("fault", "person_in_path", person=pid, x=round(px, 3), y=round(py, 3), stay=round(stay, 3))
        return pid

    def port_times_out(self, kind: str, target: str) -> bool:
        """``port_timeout``: the robot interface will not answer this action (drawn at its start)."""
        if self.w.faults.draw("port_timeout"):
            self.w.record("fault", "port_timeout", action=kind, target=target)
            return True
        return False

    def detection_missed(self, entity: str) -> bool:
        """``missed_detection``: the detector misses ``entity`` this time."""
        if self.w.faults.draw("missed_detection"):
            self.w.record("fault", "missed_detection", entity=entity)
            return True
        return False

    def nearest_obstacle(self) -> tuple[float, float, float] | None:
        """(clearance, x, y) of the nearest walking person, for controllers that yield to it."""
        w = self.w
        rr = w.scene.robot.radius
        out: tuple[float, float, float] | None = None
        for p in w.people.values():
            if p["dynamic"]:
                c = max(math.hypot(p["x"] - w.x, p["y"] - w.y) - rr - p["radius"], 0.0)
                if out is None or c < out[0]:
                    out = (c, p["x"], p["y"])
        return out

    def describe(self) -> dict[str, Any]:
        return {"blocks": sorted(self.blocks), "stuck_doors": dict(sorted(self.stuck_doors.items()))}
