"""Manipulation on the physics world: arm motion by damped-least-squares IK through the guarded
motion port, grasps held by the fingers' contact and friction, wipes by contact; doors and
drawers, moved by the hand on their handle, are :mod:`executive.physics.doors`. A mixin of
:class:`executive.physics.skills.PhysicsRobot` (it supplies ``world``, ``motion``, ``_start``,
``_hold``, ``_wait`` and ``_rejected``).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

import numpy as np

from behaviours.ports import ActionResult
from behaviours.reasons import Reason
from executive.physics.doors import ARM_SPEED, FAST, FAST_STEP, Doors
from executive.physics.grasps import TIP, Grasps
from executive.physics.model import container_floor, half_height
from executive.sim.occupancy import rect_dist
from executive.sim.scene import POURABLE_TYPES, RECEPTACLE_TYPES

Step = Generator[str, None, ActionResult | None]
NEAR = 1.0
REACH_TOL = 0.03
#: Longest straight step of a hand path (one IK solve, one servo move).
STEP = 0.08
FLOOR = "floor"
#: A held object whose centre is this far (m) off the hand's axis (a dish pinched by its lip)
#: is carried at a fixed jaw angle and set down with its centre, not the hand, on the spot.
OFF_AXIS = 0.02


def _fail(reason: Reason, message: str, **data: Any) -> ActionResult:
    return ActionResult(reason, message, dict(data))


def _ok(message: str, **data: Any) -> ActionResult:
    return ActionResult(Reason.NONE, message, dict(data))


class Manipulation(Grasps, Doors):
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
            return (yield from self._door(entity, False))
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
