"""The manipulation port of the simulated robot: pick, place, doors, switches, wipe, pour, give, push.

Each is a scripted controller on the arm (through the motion port); the grasp itself is the
world's one grasp (:meth:`SimWorld.grasp_fails`, :meth:`SimWorld.attach`), the same the VLA
leaf's gripper commands reach.
"""

from __future__ import annotations

import math

from behaviours.ports import (
    PUT_DOWN_TARGET,
)
from behaviours.reasons import Reason
from executive.sim.robot_core import (
    Gen,
    RobotCore,
    SimAction,
    _fail,
    _ok,
)
from executive.sim.scene import POURABLE_TYPES, RECEPTACLE_TYPES


class SimManipulation(RobotCore):
    """The manipulation port: scripted arm controllers over the world's gripper."""

    def pick(self, entity: str, *, grasp: str = "top") -> SimAction:
        return self._start("pick", entity, self._pick(entity, grasp))

    def _pick(self, entity: str, grasp: str) -> Gen:
        w = self.world
        yield f"preparing to pick {entity}"
        if w.held is not None:
            return _fail(Reason.HAND_OCCUPIED, f"already holding {w.held}")
        if w.kind_of(entity) != "object":
            return _fail(Reason.INVALID_TARGET, f"{entity} is not an object that can be picked")
        o = w.objects[entity]
        if o.location in w.people:
            return _fail(Reason.NOT_REACHABLE, f"{o.location} has {entity}")
        if not self._near(entity):
            return _fail(Reason.NOT_REACHABLE, f"{entity} is out of reach from here")
        if o.relation == "in" and o.location in w.scene.fixtures and not w.is_open(o.location):
            return _fail(Reason.CONTAINER_CLOSED, f"{o.location} is closed")
        if (r := (yield from self._reach((o.x, o.y, o.z + 0.15), f"reaching for {entity}"))) is not None:
            return r
        if (r := (yield from self._reach((o.x, o.y, o.z + 0.03), f"grasping {entity}"))) is not None:
            return r
        if w.grasp_fails(entity):
            yield from self._home()
            return _fail(Reason.GRASP_FAILED, f"the grasp on {entity} failed")
        if (r := (yield from self._wait(0.5, f"closing the gripper on {entity}"))) is not None:
            return r
        before = (o.location, o.relation, (o.x, o.y, o.z))
        w.attach(entity, w.fk())
        if (r := self._hold()) is not None:  # the load's torque goes through the gate
            w.held, w.gripper_closed = None, False
            w.move_object(entity, before[0], before[1], before[2])
            w.record("state", "released", object=entity, to=before[0])
            return r
        if (r := (yield from self._reach((o.x, o.y, o.z + 0.2), f"lifting {entity}"))) is not None:
            return r
        if (r := (yield from self._home())) is not None:
            return r
        w.belief[entity] = "gripper"
        return _ok(f"picked {entity}", object=entity)

    def place(self, target: str, *, relation: str = "on") -> SimAction:
        return self._start("place", target, self._place(target, relation))

    def _place(self, target: str, relation: str) -> Gen:
        w = self.world
        yield f"preparing to place on {target}"
        if w.held is None:
            return _fail(Reason.NOT_HOLDING, "not holding anything")
        if target == PUT_DOWN_TARGET:
            return (yield from self._put_down())
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
        oid = w.held
        sx, sy, sz = w.slot_on(target, oid)
        if (r := (yield from self._reach((sx, sy, sz + 0.15), f"moving over {target}"))) is not None:
            return r
        if (r := (yield from self._reach((sx, sy, sz + 0.05), f"lowering onto {target}"))) is not None:
            return r
        if w.held != oid:  # slipped on the way
            return _fail(Reason.NOT_HOLDING, f"{oid} is no longer in the gripper")
        if (r := (yield from self._wait(0.5, "opening the gripper"))) is not None:
            return r
        w.held, w.gripper_closed = None, False
        w.move_object(oid, target, rel, (sx, sy, sz))
        w.belief[oid] = target
        w.record("state", "placed", object=oid, target=target, relation=rel)
        if (r := (yield from self._home())) is not None:
            return r
        return _ok(f"placed {oid} {rel} {target}", object=oid, target=target, relation=rel)

    def _put_down(self) -> Gen:
        """Place on the floor just in front of (or beside) the base: "put it down here"."""
        w = self.world
        spot = None
        for ang in (0.0, math.pi / 2, -math.pi / 2, math.pi):
            px = w.x + 0.55 * math.cos(w.theta + ang)
            py = w.y + 0.55 * math.sin(w.theta + ang)
            if not w.grid.collides(px, py, 0.08):
                spot = (px, py)
                break
        if spot is None:
            return _fail(Reason.PLACE_FAILED, "no free floor here to put it down")
        oid = w.held
        if (r := (yield from self._reach((spot[0], spot[1], 0.15), "lowering to the floor"))) is not None:
            return r
        if (r := (yield from self._wait(0.5, "opening the gripper"))) is not None:
            return r
        if w.held != oid or oid is None:
            return _fail(Reason.NOT_HOLDING, "the object is no longer in the gripper")
        w.held, w.gripper_closed = None, False
        w.move_object(oid, "floor", None, (spot[0], spot[1], 0.0))
        w.belief[oid] = w.place_of(oid)
        w.record("state", "placed", object=oid, target=PUT_DOWN_TARGET, relation="on")
        if (r := (yield from self._home())) is not None:
            return r
        return _ok(f"put {oid} down", object=oid, target=PUT_DOWN_TARGET, relation="on")

    def open(self, fixture: str) -> SimAction:
        return self._start("open", fixture, self._door(fixture, True))

    def close(self, fixture: str) -> SimAction:
        return self._start("close", fixture, self._door(fixture, False))

    def _door(self, fixture: str, want_open: bool) -> Gen:
        w = self.world
        verb = "open" if want_open else "close"
        yield f"preparing to {verb} {fixture}"
        if w.kind_of(fixture) != "fixture" or not w.scene.fixtures[fixture].door:
            return _fail(Reason.INVALID_TARGET, f"{fixture} has no door to {verb}")
        if not self._near(fixture):
            return _fail(Reason.NOT_REACHABLE, f"{fixture} is out of reach from here")
        if w.fixtures[fixture].open == want_open:
            return _ok(f"{fixture} is already {'open' if want_open else 'closed'}", fixture=fixture)
        if (
            r := (yield from self._reach(self._front_point(fixture, 0.7), f"reaching the {fixture} handle"))
        ) is not None:
            return r
        if want_open and not w.door_attempt(fixture):
            if (r := (yield from self._wait(0.5, f"pulling the {fixture} door"))) is not None:
                return r
            yield from self._home()
            return _fail(Reason.DOOR_STUCK, f"the {fixture} door is stuck")
        if (
            r := (yield from self._wait(0.5, f"{verb[:-1] if verb.endswith('e') else verb}ing {fixture}"))
        ) is not None:
            return r
        w.fixtures[fixture].open = want_open
        w.record("state", "opened" if want_open else "closed", fixture=fixture)
        if (r := (yield from self._home())) is not None:
            return r
        return _ok(f"{fixture} {'opened' if want_open else 'closed'}", fixture=fixture)

    def toggle(self, fixture: str, on: bool) -> SimAction:
        return self._start("toggle", fixture, self._toggle(fixture, bool(on)))

    def _toggle(self, fixture: str, on: bool) -> Gen:
        w = self.world
        yield f"preparing to switch {fixture}"
        if w.kind_of(fixture) != "fixture" or not w.scene.fixtures[fixture].switch:
            return _fail(Reason.INVALID_TARGET, f"{fixture} has no switch")
        if not self._near(fixture):
            return _fail(Reason.NOT_REACHABLE, f"{fixture} is out of reach from here")
        if (
            r := (yield from self._reach(self._front_point(fixture, 1.0), f"reaching the {fixture} switch"))
        ) is not None:
            return r
        if (r := (yield from self._wait(0.3, f"pressing the {fixture} switch"))) is not None:
            return r
        w.fixtures[fixture].on = on
        w.record("state", "switched", fixture=fixture, on=on)
        if (r := (yield from self._home())) is not None:
            return r
        return _ok(f"{fixture} switched {'on' if on else 'off'}", fixture=fixture, on=on)

    def wipe(self, surface: str) -> SimAction:
        return self._start("wipe", surface, self._wipe(surface))

    def _wipe(self, surface: str) -> Gen:
        w = self.world
        yield f"preparing to wipe {surface}"
        if w.kind_of(surface) != "fixture" or not w.scene.fixtures[surface].surface:
            return _fail(Reason.INVALID_TARGET, f"{surface} is not a surface")
        if not self._near(surface):
            return _fail(Reason.NOT_REACHABLE, f"{surface} is out of reach from here")
        px, py, pz = self._front_point(surface, 1.0)
        if (r := (yield from self._reach((px, py, pz + 0.05), f"reaching {surface}"))) is not None:
            return r
        centre = w.q.copy()
        for k in range(4):  # sweep left and right with the yaw joint
            goal = centre.copy()
            goal[0] += 0.25 if k % 2 == 0 else -0.25
            if (r := (yield from self._arm_to(goal, f"wiping {surface}"))) is not None:
                return r
        st = w.fixtures[surface]
        st.dirty = False  # the scripted sweep stands for full coverage: every spot goes
        if st.dirt is not None:
            st.dirt.clear()
        w.record("state", "wiped", fixture=surface)
        if (r := (yield from self._home())) is not None:
            return r
        return _ok(f"{surface} wiped", fixture=surface)

    def pour(self, target: str) -> SimAction:
        return self._start("pour", target, self._pour(target))

    def _pour(self, target: str) -> Gen:
        w = self.world
        yield f"preparing to pour into {target}"
        if w.held is None:
            return _fail(Reason.NOT_HOLDING, "not holding anything to pour from")
        src = w.objects[w.held]
        if src.type not in POURABLE_TYPES:
            return _fail(Reason.INVALID_TARGET, f"cannot pour from a {src.type}")
        kind = w.kind_of(target)
        if kind == "fixture":
            f = w.scene.fixtures[target]
            if not f.container:
                return _fail(Reason.INVALID_TARGET, f"cannot pour into {target}")
            if not w.is_open(target):
                return _fail(Reason.CONTAINER_CLOSED, f"{target} is closed")
            point = self._front_point(target, 1.0)
        elif kind == "object" and w.objects[target].type in RECEPTACLE_TYPES and target != w.held:
            t_obj = w.objects[target]
            if not w.is_visible_truth(target):
                return _fail(Reason.CONTAINER_CLOSED, f"{target} is inside a closed container")
            point = (t_obj.x, t_obj.y, t_obj.z)
        else:
            return _fail(Reason.INVALID_TARGET, f"cannot pour into {target}")
        if not self._near(target):
            return _fail(Reason.NOT_REACHABLE, f"{target} is out of reach from here")
        if (
            r := (yield from self._reach((point[0], point[1], point[2] + 0.25), f"moving over {target}"))
        ) is not None:
            return r
        wrist = min(3, w.n_joints - 1)
        tilted = w.q.copy()
        tilted[wrist] += 1.8
        level_before = w.q.copy()
        if (r := (yield from self._arm_to(tilted, f"pouring into {target}"))) is not None:
            return r
        if (r := (yield from self._wait(0.5, f"pouring into {target}"))) is not None:
            return r
        amount = src.level
        src.level = 0.0
        if kind == "object":
            dst = w.objects[target]
            dst.level = min(1.0, dst.level + amount)
        w.record("state", "poured", source=src.id, target=target, amount=round(amount, 3))
        if (r := (yield from self._arm_to(level_before, "levelling"))) is not None:
            return r
        if (r := (yield from self._home())) is not None:
            return r
        return _ok(f"poured {src.id} into {target}", source=src.id, target=target, amount=amount)

    def give(self, person: str) -> SimAction:
        return self._start("give", person, self._give(person))

    def _give(self, person: str) -> Gen:
        w = self.world
        yield f"preparing to hand over to {person}"
        if w.kind_of(person) != "person":
            return _fail(Reason.INVALID_TARGET, f"{person} is not a person")
        if w.held is None:
            return _fail(Reason.NOT_HOLDING, "not holding anything to give")
        p = w.people[person]
        if math.hypot(p.x - w.x, p.y - w.y) > 1.2:
            return _fail(Reason.NOT_REACHABLE, f"{person} is out of reach")
        if (r := (yield from self._reach((p.x, p.y, 1.0), f"holding it out to {person}"))) is not None:
            return r
        if (r := (yield from self._wait(0.5, f"waiting for {person} to take it"))) is not None:
            return r
        oid = w.held
        if oid is None:
            return _fail(Reason.NOT_HOLDING, "the object slipped before the hand-over")
        w.held, w.gripper_closed = None, False
        w.move_object(oid, person, None, (p.x, p.y, 1.0))
        w.belief[oid] = person
        w.record("state", "given", object=oid, person=person)
        if (r := (yield from self._home())) is not None:
            return r
        return _ok(f"gave {oid} to {person}", object=oid, person=person)

    def push(self, entity: str) -> SimAction:
        return self._start("push", entity, self._push(entity))

    def _push(self, entity: str) -> Gen:
        w = self.world
        yield f"preparing to push {entity}"
        kind = w.kind_of(entity)
        if kind == "fixture" and w.scene.fixtures[entity].door:
            return (yield from self._door(entity, False))
        if kind != "object" or w.objects[entity].location in ("gripper", *w.people):
            return _fail(Reason.INVALID_TARGET, f"cannot push {entity}")
        o = w.objects[entity]
        if o.relation == "in" and not w.is_visible_truth(entity):
            return _fail(Reason.CONTAINER_CLOSED, f"{o.location} is closed")
        if not self._near(entity):
            return _fail(Reason.NOT_REACHABLE, f"{entity} is out of reach from here")
        if (r := (yield from self._reach((o.x, o.y, o.z + 0.05), f"touching {entity}"))) is not None:
            return r
        d = math.hypot(o.x - w.x, o.y - w.y) or 1.0
        nx_, ny_ = o.x + (o.x - w.x) / d * 0.15, o.y + (o.y - w.y) / d * 0.15
        if o.location in w.scene.fixtures:
            x0, y0, x1, y1 = w.scene.fixtures[o.location].rect
            nx_, ny_ = min(max(nx_, x0 + 0.03), x1 - 0.03), min(max(ny_, y0 + 0.03), y1 - 0.03)
        if (r := (yield from self._reach((nx_, ny_, o.z + 0.05), f"pushing {entity}"))) is not None:
            return r
        w.move_object(entity, o.location, o.relation, (nx_, ny_, o.z))
        w.record("state", "pushed", object=entity, x=round(nx_, 3), y=round(ny_, 3))
        if (r := (yield from self._home())) is not None:
            return r
        return _ok(f"pushed {entity}", object=entity)
