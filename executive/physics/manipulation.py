"""Manipulation on the physics world: pick and place, held by the fingers' contact and friction.
The rest is split by job: arm motion (:mod:`executive.physics.arm`), where the hand takes hold
(:mod:`executive.physics.grasps`), doors and drawers moved by the hand on their handle
(:mod:`executive.physics.doors`), switches, wipes, pours, hand-overs and pushes
(:mod:`executive.physics.tool_use`). A mixin of :class:`executive.physics.skills.PhysicsRobot`
(it supplies ``world``, ``motion``, ``_start``, ``_hold``, ``_wait`` and ``_rejected``).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

import numpy as np

from behaviours.ports import ActionResult
from behaviours.reasons import Reason
from executive.physics.arm import FAST, FAST_STEP
from executive.physics.doors import Doors
from executive.physics.grasps import TIP, Grasps
from executive.physics.model import container_floor, half_height
from executive.physics.tool_use import ToolUse
from executive.sim.robot_core import _fail, _ok  # one home for the result constructors

__all__ = ["TIP", "Manipulation"]

Step = Generator[str, None, ActionResult | None]
FLOOR = "floor"
#: A held object whose centre is this far (m) off the hand's axis (a dish pinched by its lip)
#: is carried at a fixed jaw angle and set down with its centre, not the hand, on the spot.
OFF_AXIS = 0.02


class Manipulation(ToolUse, Grasps, Doors):
    world: Any
    motion: Any

    def free_spot(self, fid: str) -> tuple[float, float, float]:
        """A free spot on/in a fixture (slots along its long axis, nearest the robot first)."""
        w = self.world
        f = w.scene.fixtures[fid]
        (cx, cy), (wd, dp) = f.pose, f.size
        along_x = wd >= dp
        length = wd if along_x else dp
        n = max(1, int(length / 0.2))
        z = f.height if f.surface and not f.container else container_floor(f.height)
        taken = [w.obj_pos(o)[:2] for o in w.scene.objects if w.support_of(o)[0] == fid and o != w.held]
        slots = [((cx + off, cy) if along_x else (cx, cy + off))
                 for off in (-length / 2 + (k + 0.5) * length / n for k in range(n))]
        slots.sort(key=lambda s: math.hypot(s[0] - w.x, s[1] - w.y))
        for sx, sy in slots:
            if all(math.hypot(sx - tx, sy - ty) > 0.12 for tx, ty in taken):
                return (sx, sy, z)
        return (cx, cy, z)

    # ---------------------------------------------------------------- pick
    def pick(self, entity: str, *, grasp: str = "top") -> Any:
        return self._start("pick", entity, self._pick(entity))  # type: ignore[attr-defined]

    def _pick(self, entity: str) -> Generator[str, None, ActionResult]:
        w = self.world
        yield f"preparing to pick {entity}"
        if w.held is not None:
            return _fail(Reason.HAND_OCCUPIED, f"already holding {w.held}")
        if w.kind_of(entity) != "object":
            return _fail(Reason.INVALID_TARGET, f"{entity} is not an object that can be picked")
        loc, rel = w.support_of(entity)
        if not self._near(entity):
            return _fail(Reason.NOT_REACHABLE, f"{entity} is out of reach from here")
        if rel == "in" and not w.is_open(loc):
            return _fail(Reason.CONTAINER_CLOSED, f"{loc} is closed")
        if (r := (yield from self._close_in(entity))) is not None:
            return r
        return (yield from self._grasp_here(entity, loc))

    def _grasp_here(self, entity: str, loc: str, fast: bool = False) -> Generator[str, None, ActionResult]:
        """The arm's part of a pick, from where the base stands: grasp, lift, fold. Also how a
        place takes back what the open skill set down on free floor to free the hand
        (``fast``: the arm is not folded; the place carries it on from the floor at speed)."""
        w = self.world
        grasp = self.grasp_for(entity)
        if grasp is None:
            return _fail(Reason.NOT_REACHABLE, f"{entity} is {self.width_of(entity):.2f} m wide, wider "
                         "than the open jaws, and has no lip to pinch")
        (x, y, gz), yaw = grasp.point, grasp.yaw
        hh = w.obj_half_height(entity)
        if (r := (yield from self._gripper(False, "opening the gripper"))) is not None:
            return r
        over = self._clear_height(x, y, gz)
        if (r := (yield from self._reach((x, y, over), f"reaching for {entity}", yaw))) is not None:
            return r
        if w.faults.draw("grasp_fail"):
            # the fault as physics: the hand stops short, above the object, and closes on air
            w.record("fault", "grasp_fail", object=entity)
            gz += hh + TIP + 0.03
        if (r := (yield from self._descend(x, y, over, gz, f"grasping {entity}", yaw))) is not None:
            return r
        if (r := (yield from self._settle((x, y, gz), f"grasping {entity}", yaw))) is not None:
            return r
        if (r := (yield from self._gripper(True, f"closing the gripper on {entity}"))) is not None:
            return r
        if w.held != entity:
            self.motion.command_gripper(False)
            yield from self._home()
            return _fail(Reason.GRASP_FAILED, f"the grasp on {entity} failed: the jaws closed empty")
        w.record("state", "grasped", object=entity)
        if w.set_aside is not None and w.set_aside[0] == entity:
            w.record("state", "taken_back", object=entity, fixture=w.set_aside[1])
            w.set_aside = None
        if (r := self._hold()) is not None:  # type: ignore[attr-defined]
            self.motion.command_gripper(False)
            w.record("state", "released", object=entity, to=loc)
            return r
        if (r := (yield from self._descend(x, y, gz, over + 0.05, f"lifting {entity}", yaw))) is not None:
            return r
        if not fast and (r := (yield from self._home())) is not None:
            return r
        if w.held != entity:
            w.belief[entity] = None
            return _fail(Reason.OBJECT_SLIPPED, f"{entity} slipped out of the gripper")
        w.belief[entity] = "gripper"
        return _ok(f"picked {entity}", object=entity)

    # --------------------------------------------------------------- place
    def place(self, target: str, *, relation: str = "on") -> Any:
        return self._start("place", target, self._place(target, relation))  # type: ignore[attr-defined]

    def _release_at(self, oid: str, sx: float, sy: float, support_z: float, label: str,
                    fast: bool = False) -> Step:
        """Lower the held object onto (sx, sy) at ``support_z`` and let go. ``fast``: the hand
        comes from the floor beside the base (a take-back, see ``_place``): it goes up and over
        at ``doors.FAST`` speed in ``FAST_STEP`` steps first."""
        w = self.world
        (ox, oy, oz), (hx, hy, hz) = w.obj_pos(oid), w.fk()
        dz = oz - hz
        ez = support_z + half_height(w.scene.objects[oid].type) + 0.015 - dz
        yaw = None
        if math.hypot(ox - hx, oy - hy) > OFF_AXIS:
            # held off-centre (a lip pinch): keep the jaws' map angle, so the offset keeps its
            # direction, and put the object's centre, not the hand, over the spot
            yaw = self.jaw_map_yaw()
            sx, sy = sx + hx - ox, sy + hy - oy
        over = self._clear_height(sx, sy, ez)
        if fast and (r := (yield from self._travel((sx, sy, over), f"moving over {label}", yaw,
                                                   strict=False, speed=FAST, step=FAST_STEP))) is not None:
            return r
        if (r := (yield from self._reach((sx, sy, over), f"moving over {label}", yaw))) is not None:
            return r
        if (r := (yield from self._descend(sx, sy, over, ez, f"lowering onto {label}", yaw))) is not None:
            return r
        if w.held != oid:
            return _fail(Reason.NOT_HOLDING, f"{oid} is no longer in the gripper")
        if (r := (yield from self._gripper(False, "opening the gripper"))) is not None:
            return r
        if (r := (yield from self._descend(sx, sy, ez, over, "backing off", yaw))) is not None:
            return r
        if fast:
            home = self.world.fk_of(np.array(w.home_joints, dtype=float))
            r = yield from self._travel(home, "retracting", None, strict=False, speed=FAST, step=FAST_STEP)
            if r is not None:
                return r
        return (yield from self._home())

    def _place(self, target: str, relation: str) -> Generator[str, None, ActionResult]:
        w = self.world
        yield f"preparing to place on {target}"
        oid = w.held
        took_back = False
        if oid is None and w.set_aside is not None and target == w.set_aside[1]:
            # the open skill set what the hand held down beside this container to lift its lid:
            # take it back from where the base still stands, then place it. The hand first goes
            # straight up: a tree stops the open skill once the lid counts open, which leaves
            # the open jaws round the lid's bar (going across from there pulled the lid shut)
            hx, hy, hz = w.fk()
            r = yield from self._arm_to(w.ik((hx, hy, hz + 0.08)), "lifting the hand clear", timeout=2.0)
            if r is not None and r.reason is not Reason.NOT_REACHABLE:
                return r
            oid = w.set_aside[0]
            ox, oy, oz = w.obj_pos(oid)
            r = yield from self._travel((ox, oy, oz + 0.15), f"reaching for {oid}", None, strict=False,
                                        speed=FAST, step=FAST_STEP)
            if r is not None:
                return r
            took = yield from self._grasp_here(oid, w.support_of(oid)[0], fast=True)
            if not took.ok:
                return took
            oid, took_back = w.held, True
        if oid is None:
            return _fail(Reason.NOT_HOLDING, "not holding anything")
        if target == FLOOR:
            return (yield from self._put_down(oid))
        if w.kind_of(target) != "fixture":
            return _fail(Reason.INVALID_TARGET, f"cannot place things on {target}")
        f = w.scene.fixtures[target]
        rel = relation if relation in ("on", "in") else "on"
        if rel == "on" and not f.surface:
            rel = "in"
        elif rel == "in" and not f.container:
            rel = "on"
        if (rel == "on" and not f.surface) or (rel == "in" and not f.container):
            return _fail(Reason.INVALID_TARGET, f"{target} is neither a surface nor a container")
        if rel == "in" and not w.is_open(target):
            return _fail(Reason.CONTAINER_CLOSED, f"{target} is closed")
        if not self._near(target):
            return _fail(Reason.NOT_REACHABLE, f"{target} is out of reach from here")
        if (r := (yield from self._close_in(target))) is not None:
            return r
        sx, sy, sz = self.free_spot(target)
        if (r := (yield from self._release_at(oid, sx, sy, sz, target, fast=took_back))) is not None:
            return r
        yield from self._wait(0.3, "checking the placement")  # type: ignore[attr-defined]
        loc, got = w.support_of(oid)
        w.belief[oid] = w.place_of(oid)
        if loc != target:
            return _fail(Reason.PLACE_FAILED, f"{oid} did not come to rest {rel} {target} (at {loc})")
        w.record("state", "placed", object=oid, target=target, relation=got)
        return _ok(f"placed {oid} {got} {target}", object=oid, target=target, relation=got)

    def _put_down(self, oid: str) -> Generator[str, None, ActionResult]:
        w = self.world
        for ang in (0.0, math.pi / 2, -math.pi / 2, math.pi):
            px, py = w.x + 0.6 * math.cos(w.theta + ang), w.y + 0.6 * math.sin(w.theta + ang)
            if not w.grid.collides(px, py, 0.08):
                break
        else:
            return _fail(Reason.PLACE_FAILED, "no free floor here to put it down")
        if (r := (yield from self._release_at(oid, px, py, 0.0, "the floor"))) is not None:
            return r
        w.belief[oid] = w.place_of(oid)
        w.record("state", "placed", object=oid, target=FLOOR, relation="on")
        return _ok(f"put {oid} down", object=oid, target=FLOOR, relation="on")
