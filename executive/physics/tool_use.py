"""Tool-use skills on the physics world: switches pressed, surfaces wiped by the closed jaws'
contact, pours, hand-overs and pushes. A mixin of
:class:`executive.physics.manipulation.Manipulation` (``free_spot`` and the doors come from
there; arm motion from :class:`executive.physics.arm.Arm`).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

import numpy as np

from behaviours.ports import ActionResult
from behaviours.reasons import Reason
from executive.physics.arm import REACH_TOL, Arm
from executive.physics.grasps import TIP
from executive.physics.model import half_height
from executive.sim.robot_core import _fail, _ok  # one home for the result constructors
from executive.sim.scene import POURABLE_TYPES, RECEPTACLE_TYPES


class ToolUse(Arm):
    world: Any
    motion: Any

    # --------------------------------------------------------------- switch
    def toggle(self, fixture: str, on: bool) -> Any:
        return self._start("toggle", fixture, self._toggle(fixture, bool(on)))  # type: ignore[attr-defined]

    def _toggle(self, fixture: str, on: bool) -> Generator[str, None, ActionResult]:
        w = self.world
        yield f"preparing to switch {fixture}"
        if w.kind_of(fixture) != "fixture" or not w.scene.fixtures[fixture].switch:
            return _fail(Reason.INVALID_TARGET, f"{fixture} has no switch")
        if not self._near(fixture):
            return _fail(Reason.NOT_REACHABLE, f"{fixture} is out of reach from here")
        # as before every arm skill: a navigation that stopped within its tolerance left the
        # switch up to 0.8 m off, and the long reach there and back overran the step's timeout
        if (r := (yield from self._close_in(fixture))) is not None:
            return r
        fx0, fy0, fx1, fy1 = w.scene.fixtures[fixture].rect
        pt = (min(max(w.x, fx0), fx1), min(max(w.y, fy0), fy1), w.scene.fixtures[fixture].height + 0.05)
        if (r := (yield from self._reach(pt, f"reaching the {fixture} switch", strict=False))) is not None:
            return r
        if (r := (yield from self._wait(0.3, f"pressing {fixture}"))) is not None:  # type: ignore[attr-defined]
            return r
        w.fixtures[fixture].on = on
        w.record("state", "switched", fixture=fixture, on=on)
        if (r := (yield from self._home())) is not None:
            return r
        return _ok(f"{fixture} switched {'on' if on else 'off'}", fixture=fixture, on=on)

    # ---------------------------------------------------------------- wipe
    def wipe(self, surface: str) -> Any:
        return self._start("wipe", surface, self._wipe(surface))  # type: ignore[attr-defined]

    def _wipe(self, surface: str) -> Generator[str, None, ActionResult]:
        """Jaws closed, pressed onto the surface, swept in rows over the dirt: the spots go where
        the hand's contact with the surface passes (``PhysicsWorld._wipe_contact``)."""
        w = self.world
        yield f"preparing to wipe {surface}"
        if w.kind_of(surface) != "fixture" or not w.scene.fixtures[surface].surface:
            return _fail(Reason.INVALID_TARGET, f"{surface} is not a surface")
        if not self._near(surface):
            return _fail(Reason.NOT_REACHABLE, f"{surface} is out of reach from here")
        if (r := (yield from self._close_in(surface))) is not None:
            return r
        f, st = w.scene.fixtures[surface], w.fixtures[surface]
        x0, y0, x1, y1 = f.rect
        if st.dirt is not None and st.dirt.left:
            pts = st.dirt.remaining()
            bx0, by0 = pts.min(axis=0) - 0.03
            bx1, by1 = pts.max(axis=0) + 0.03
        else:
            cx, cy = min(max(w.x, x0), x1), min(max(w.y, y0), y1)
            bx0, by0, bx1, by1 = cx - 0.15, cy - 0.15, cx + 0.15, cy + 0.15
        bx0, by0 = max(bx0, x0 + 0.03), max(by0, y0 + 0.03)
        bx1, by1 = min(bx1, x1 - 0.03), min(by1, y1 - 0.03)
        if (r := (yield from self._gripper(True, "closing the jaws to wipe"))) is not None:
            return r
        press = f.height + TIP - 0.008
        # one fixed tool roll for the whole wipe: left free, the IK lets the roll wander between
        # points, and turning the roll with the jaws pressed on the table fights their friction
        yaw = math.pi / 2
        rows = np.arange(by0, by1 + 1e-6, 0.06) if by1 > by0 else np.array([by0])
        xs = np.arange(bx0, bx1 + 1e-6, 0.05) if bx1 > bx0 else np.array([bx0])
        for k, ry in enumerate(rows):
            line = xs if k % 2 == 0 else xs[::-1]
            first = (float(line[0]), float(ry))
            if math.dist(w.fk_of(w.ik((*first, press), yaw)), (*first, press)) > REACH_TOL:
                continue
            above = (*first, press + 0.05)
            if (r := (yield from self._reach(above, f"wiping {surface}", yaw, strict=False))) is not None:
                return r
            for px in line:
                p = (float(px), float(ry), press)
                if math.dist(w.fk_of(w.ik(p, yaw)), p) > REACH_TOL:
                    continue
                if (r := (yield from self._reach(p, f"wiping {surface}", yaw, strict=False))) is not None:
                    return r
            if not st.dirty:
                break
        self.motion.command_gripper(False)
        if (r := (yield from self._home())) is not None:
            return r
        if st.dirty:
            left = st.dirt.left if st.dirt else 0
            return _fail(Reason.NOT_REACHABLE, f"{left} spots on {surface} were out of reach")
        return _ok(f"{surface} wiped", fixture=surface)

    # --------------------------------------------------------- pour, give, push
    def pour(self, target: str) -> Any:
        return self._start("pour", target, self._pour(target))  # type: ignore[attr-defined]

    def _pour(self, target: str) -> Generator[str, None, ActionResult]:
        w = self.world
        yield f"preparing to pour into {target}"
        if w.held is None:
            return _fail(Reason.NOT_HOLDING, "not holding anything to pour from")
        src = w.held
        if w.scene.objects[src].type not in POURABLE_TYPES:
            return _fail(Reason.INVALID_TARGET, f"cannot pour from a {w.scene.objects[src].type}")
        kind = w.kind_of(target)
        if kind == "fixture" and w.scene.fixtures[target].container:
            if not w.is_open(target):
                return _fail(Reason.CONTAINER_CLOSED, f"{target} is closed")
            f = w.scene.fixtures[target]
            point = (f.pose[0], f.pose[1], f.height)
        elif kind == "object" and w.scene.objects[target].type in RECEPTACLE_TYPES and target != src:
            point = w.obj_pos(target)
        else:
            return _fail(Reason.INVALID_TARGET, f"cannot pour into {target}")
        if not self._near(target):
            return _fail(Reason.NOT_REACHABLE, f"{target} is out of reach from here")
        over = (point[0], point[1], point[2] + 0.3)
        if (r := (yield from self._reach(over, f"moving over {target}", strict=False))) is not None:
            return r
        level = w.q_ref.copy()
        tilted = level.copy()
        tilted[4] += 1.2
        if (r := (yield from self._arm_to(tilted, f"pouring into {target}"))) is not None:
            return r
        if (r := (yield from self._wait(0.5, f"pouring into {target}"))) is not None:  # type: ignore[attr-defined]
            return r
        w.record("state", "poured", source=src, target=target)
        if (r := (yield from self._arm_to(level, "levelling"))) is not None:
            return r
        if (r := (yield from self._home())) is not None:
            return r
        return _ok(f"poured {src} into {target}", source=src, target=target)

    def give(self, person: str) -> Any:
        return self._start("give", person, self._give(person))  # type: ignore[attr-defined]

    def _give(self, person: str) -> Generator[str, None, ActionResult]:
        w = self.world
        yield f"preparing to hand over to {person}"
        if w.kind_of(person) != "person":
            return _fail(Reason.INVALID_TARGET, f"{person} is not a person")
        oid = w.held
        if oid is None:
            return _fail(Reason.NOT_HOLDING, "not holding anything to give")
        p = w.people[person]
        if math.hypot(p["x"] - w.x, p["y"] - w.y) > 1.2:
            return _fail(Reason.NOT_REACHABLE, f"{person} is out of reach")
        d = math.hypot(p["x"] - w.x, p["y"] - w.y) or 1.0
        out = (w.x + (p["x"] - w.x) / d * 0.6, w.y + (p["y"] - w.y) / d * 0.6, 1.0)
        if (r := (yield from self._reach(out, f"holding it out to {person}", strict=False))) is not None:
            return r
        if (r := (yield from self._wait(0.5, f"waiting for {person} to take it"))) is not None:  # type: ignore[attr-defined]
            return r
        # the person takes it: the body leaves the hand and goes with them (parked at their feet)
        qa = w.obj_qpos[oid]
        w.data.qpos[qa:qa + 7] = (p["x"], p["y"], half_height(w.scene.objects[oid].type) + 0.01, 1, 0, 0, 0)
        self.motion.command_gripper(False)
        w.belief[oid] = person
        w.record("state", "given", object=oid, person=person)
        if (r := (yield from self._home())) is not None:
            return r
        return _ok(f"gave {oid} to {person}", object=oid, person=person)

    def push(self, entity: str) -> Any:
        return self._start("push", entity, self._push(entity))  # type: ignore[attr-defined]

    def _push(self, entity: str) -> Generator[str, None, ActionResult]:
        w = self.world
        yield f"preparing to push {entity}"
        kind = w.kind_of(entity)
        if kind == "fixture" and entity in w.doors:
            return (yield from self._door(entity, False))  # type: ignore[attr-defined]
        if kind != "object" or w.held == entity:
            return _fail(Reason.INVALID_TARGET, f"cannot push {entity}")
        if not w.is_visible_truth(entity):
            return _fail(Reason.CONTAINER_CLOSED, f"{w.support_of(entity)[0]} is closed")
        if not self._near(entity):
            return _fail(Reason.NOT_REACHABLE, f"{entity} is out of reach from here")
        x, y, z = w.obj_pos(entity)
        d = math.hypot(x - w.x, y - w.y) or 1.0
        ux, uy = (x - w.x) / d, (y - w.y) / d
        hz = z - half_height(w.scene.objects[entity].type) + TIP + 0.01
        for pt, label in (((x - ux * 0.09, y - uy * 0.09, hz + 0.1), "over"),
                          ((x - ux * 0.09, y - uy * 0.09, hz), "touching"),
                          ((x + ux * 0.06, y + uy * 0.06, hz), "pushing")):
            if (r := (yield from self._reach(pt, f"{label} {entity}", strict=False))) is not None:
                return r
        nx_, ny_, _ = w.obj_pos(entity)
        w.record("state", "pushed", object=entity, x=round(nx_, 3), y=round(ny_, 3))
        if (r := (yield from self._home())) is not None:
            return r
        return _ok(f"pushed {entity}", object=entity)
