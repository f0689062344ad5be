"""The simulated mobile manipulator: every robot port, backed by :class:`SimWorld`.

Long actions are generators stepped by ``world.step()`` (one ``yield`` = one ``dt``) and
wrapped in :class:`SimAction`, a non-blocking handle shaped like a ROS 2 goal handle.

Safety rule: controllers move the base and arm **only** through the motion port they
were given (``command_base``, ``command_arm``, ``command_torques``), never by writing
world state, and cap their speeds with ``motion.current_limits()``. When the port rejects
a command, the action stops and fails with ``motion.last_rejection`` (PORT_ERROR if none),
so a safety gate wrapped around :class:`~executive.sim.world.Actuators` has the last word.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from itertools import pairwise
from typing import Any

import numpy as np

from behaviours.ports import ActionResult, ActionStatus, HandleState, MotionPort, Pose2D, RobotPorts
from behaviours.reasons import Reason
from executive.sim.camera import CameraRenderer
from executive.sim.occupancy import Cell, Region, rect_dist
from executive.sim.scene import POURABLE_TYPES, RECEPTACLE_TYPES
from executive.sim.world import ARM_OWN_TORQUE, GRAVITY, SimWorld, wrap

Gen = Generator[str, None, ActionResult]

#: The base must be this close to a target's approach pose to manipulate it.
NEAR = 1.0
GOAL_TOLERANCE = 0.1  # < the 0.15 m promised
PORT_TIMEOUT_S = 40.0
DETECT_S = 0.5
YIELD_LIMIT_S = 20.0
#: ``place`` target meaning "put it down here, on the floor".
FLOOR = "floor"
#: Fraction of the joint-velocity limit the manipulation controllers use.
ARM_SPEED = 0.5


def _fail(reason: Reason, message: str, **data: Any) -> ActionResult:
    return ActionResult(reason, message, dict(data))


def _ok(message: str, **data: Any) -> ActionResult:
    return ActionResult(Reason.NONE, message, dict(data))


class SimAction(HandleState):
    """A running action: the world steps its generator; polling never blocks."""

    def __init__(
        self,
        world: SimWorld,
        motion: MotionPort,
        kind: str,
        target: str,
        gen: Gen,
        *,
        moves: bool,
    ) -> None:
        self.world = world
        self.motion = motion
        self.kind = kind
        self.target = target
        self.id = world.next_id(f"{kind}_")
        self._gen = gen
        self._moves = moves
        super().__init__("accepted")
        world.record("action", kind, id=self.id, target=target, status="started")
        world.register(self)


    @property
    def done(self) -> bool:
        return self._status.done

    def step(self) -> None:
        """Advance one ``dt`` (called by ``world.step``)."""
        if self.done:
            return
        try:
            self._feedback = next(self._gen)
        except StopIteration as stop:
            self._finish(stop.value if isinstance(stop.value, ActionResult) else _ok("done"))
        except Exception as e:  # a bug must not kill the tick loop: report it as a port error
            self._finish(_fail(Reason.PORT_ERROR, f"{self.kind} failed inside the simulator: {e!r}"))

    def cancel(self) -> None:
        """Stop now: close the controller, zero motion, report CANCELLED."""
        if self.done:
            return
        self._gen.close()
        if self._moves:
            self.motion.stop()
        self._status = ActionStatus.CANCELLED
        self._result = _fail(Reason.CANCELLED, f"{self.kind} cancelled")
        self._feedback = "cancelled"
        self.world.unregister(self)
        self.world.record("action", self.kind, id=self.id, target=self.target, status="cancelled")

    def _finish(self, result: ActionResult) -> None:
        if self._moves and not result.ok:
            self.motion.stop()
        self._result = result
        self._status = ActionStatus.SUCCEEDED if result.ok else ActionStatus.FAILED
        self._feedback = result.message or self._status.value
        self.world.record(
            "action",
            self.kind,
            id=self.id,
            target=self.target,
            status=self._status.value,
            reason=result.reason.name,
        )


class SimRobot:
    """Navigation, perception, manipulation, speech, state and camera ports on a SimWorld."""

    def __init__(self, world: SimWorld, motion: MotionPort) -> None:
        self.world = world
        self.motion = motion
        self.camera = CameraRenderer(world)

    def ports(self) -> RobotPorts:
        """All ports, with ``motion`` being the (possibly guarded) port given here."""
        return RobotPorts(
            navigation=self,
            perception=self,
            manipulation=self,
            motion=self.motion,
            speech=self,
            state=self,
            camera=self,
        )

    # ------------------------------------------------------------- plumbing
    def _start(self, kind: str, target: str, gen: Gen, *, moves: bool = True) -> SimAction:
        hung = self.world.faults.draw("port_timeout")
        if hung:
            gen.close()
            self.world.record("fault", "port_timeout", action=kind, target=target)
            gen = self._hang(kind)
        action = SimAction(self.world, self.motion, kind, target, gen, moves=moves)
        action.answered = not hung  # the interface never answers a hung request
        return action

    def _hang(self, kind: str) -> Gen:
        for _ in range(round(PORT_TIMEOUT_S / self.world.dt)):
            yield f"{kind}: waiting for the robot interface"
        return _fail(Reason.PORT_TIMEOUT, f"{kind}: the robot interface did not answer")

    def _rejected(self, what: str) -> ActionResult:
        reason = self.motion.last_rejection
        if reason is Reason.NONE:
            reason = Reason.PORT_ERROR
        self.motion.stop()
        return _fail(reason, f"{what} rejected: {reason.describe}")

    def holding_torques(self) -> list[float]:
        """Gravity torques with the held load: mass * g * reach on the shoulder + the arm's own."""
        w = self.world
        mass = w.objects[w.held].mass if w.held else 0.0
        tau = mass * GRAVITY * w.scene.robot.arm_reach + ARM_OWN_TORQUE
        out = [0.0] * w.n_joints
        out[1], out[2] = tau, 0.4 * tau
        return out

    def _hold(self) -> ActionResult | None:
        """While holding, command the gravity torques every step (the gate checks them)."""
        if self.world.held is None:
            return None
        if not self.motion.command_torques(self.holding_torques()):
            return self._rejected("command_torques")
        return None

    def _arm_to(
        self, goal: np.ndarray, label: str, timeout: float = 6.0
    ) -> Generator[str, None, ActionResult | None]:
        """Drive joints to ``goal`` with capped joint velocities via ``command_arm``."""
        w = self.world
        t_end = w.t + timeout
        while True:
            lim = self.motion.current_limits()
            cap = min(lim.joint_velocity, w.scene.robot.max_joint_velocity) * ARM_SPEED
            err = goal - w.q
            err[0] = wrap(float(err[0]))
            if float(np.max(np.abs(err))) < 0.01:
                if not self.motion.command_arm([0.0] * w.n_joints):
                    return self._rejected("command_arm")
                return None
            if w.t >= t_end:
                return _fail(Reason.NOT_REACHABLE, f"{label}: the arm did not get there")
            qd = np.clip(err / w.dt, -cap, cap)
            if not self.motion.command_arm(qd.tolist()):
                return self._rejected("command_arm")
            if (r := self._hold()) is not None:
                return r
            yield label

    def _reach(self, point: Sequence[float], label: str) -> Generator[str, None, ActionResult | None]:
        return (yield from self._arm_to(self.world.ik(point), label))

    def _home(self) -> Generator[str, None, ActionResult | None]:
        return (yield from self._arm_to(np.array(self.world.home_joints, dtype=float), "retracting"))

    def _wait(self, seconds: float, label: str) -> Generator[str, None, ActionResult | None]:
        for _ in range(max(1, round(seconds / self.world.dt))):
            if (r := self._hold()) is not None:
                return r
            yield label
        return None

    def _near(self, target: str) -> bool:
        """Close enough to manipulate: near its approach pose, or within arm's reach of it."""
        w = self.world
        pose = w.approach_pose(target, believed=False)
        if pose is not None and math.hypot(pose[0] - w.x, pose[1] - w.y) <= NEAR:
            return True
        kind = w.kind_of(target)
        if kind == "fixture":
            f = w.scene.fixtures[target]
            return float(rect_dist(w.x, w.y, f.rect)) <= w.scene.robot.arm_reach * 0.8
        if kind == "object":
            o = w.objects[target]
            return math.hypot(o.x - w.x, o.y - w.y) <= w.scene.robot.arm_reach + 0.2
        return False

    def _front_point(self, fid: str, z_frac: float = 1.0) -> tuple[float, float, float]:
        """The point of a fixture's footprint nearest the base, at a fraction of its height."""
        w = self.world
        f = w.scene.fixtures[fid]
        x0, y0, x1, y1 = f.rect
        return (min(max(w.x, x0), x1), min(max(w.y, y0), y1), f.height * z_frac)

    # ------------------------------------------------------------ navigation
    def navigate_to(
        self, target: str, *, max_linear: float, max_angular: float, avoid: Sequence[str] = ()
    ) -> SimAction:
        """Plan to the approach pose of a room/fixture/object/person and follow the path."""
        return self._start("navigate", target, self._navigate(target, max_linear, max_angular, tuple(avoid)))

    def _avoid_cells(self, avoid: Sequence[str], goal: tuple[float, float]) -> frozenset[Cell]:
        w, g = self.world, self.world.grid
        cells: set[Cell] = set()
        for name in avoid:
            kind = w.kind_of(name)
            if kind == "room":
                room = w.scene.rooms[name]
                if room.contains(w.x, w.y) or room.contains(*goal):
                    continue
                cells |= {
                    (i, j)
                    for i in range(g.nx_cells)
                    for j in range(g.ny_cells)
                    if room.contains(*g.centre((i, j)))
                }
            elif kind == "fixture":
                f = w.scene.fixtures[name]
                reg = Region(f.pose[0], f.pose[1], math.hypot(*f.size) / 2)
                cells |= g.region_cells(reg, margin=0.5)
            elif kind == "person":
                p = w.people[name]
                cells |= g.region_cells(Region(p.x, p.y, p.radius), margin=0.8)
        cells.discard(g.cell_of(w.x, w.y))
        cells.discard(g.cell_of(*goal))
        return frozenset(cells)

    def _plan(self, goal: tuple[float, float], avoid: frozenset[Cell]) -> tuple[list[Cell] | None, Reason]:
        w = self.world
        start = (w.x, w.y)
        path = w.grid.plan(start, goal, avoid=avoid)
        if path is not None:
            return path, Reason.NONE
        temporary = [bid for bid, b in w.blocks.items() if b.until is not None]
        if temporary and w.grid.plan(start, goal, avoid=avoid, ignore_blocks=temporary) is not None:
            return None, Reason.NAV_BLOCKED
        return None, Reason.NAV_NO_PATH

    def _navigate(self, target: str, max_linear: float, max_angular: float, avoid: tuple[str, ...]) -> Gen:
        w, robot = self.world, self.world.scene.robot
        yield "planning"
        for name, value in (("max_linear", max_linear), ("max_angular", max_angular)):
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
                return _fail(Reason.NAV_GOAL_INVALID, f"{name} must be a positive number, got {value!r}")
        if w.kind_of(target) is None:
            return _fail(Reason.NAV_GOAL_INVALID, f"unknown place {target!r}")
        if w.kind_of(target) == "object" and w.belief.get(target) is None:
            return _fail(Reason.NAV_GOAL_INVALID, f"where {target} is is not known; detect it first")
        goal = w.approach_pose(target)
        if goal is None:
            return _fail(Reason.NAV_GOAL_INVALID, f"no reachable place to stand near {target}")
        gxy = (goal[0], goal[1])
        avoid_cells = self._avoid_cells(avoid, gxy)
        path, reason = self._plan(gxy, avoid_cells)
        if path is None:
            return _fail(reason, f"no path to {target}: {reason.describe}")
        w.inject_blocked_path(path)
        waypoints = w.grid.smooth(path, w.blocked_cells() | avoid_cells)
        w.arm_slip(sum(math.dist(a, b) for a, b in pairwise(waypoints)))
        person_check_at = w.odometer + 1.0
        person_checked = False
        idx = 1 if len(waypoints) > 1 else 0
        waited = 0.0
        moved = False
        replanned: set[str] = set()
        try:
            while True:
                lim = self.motion.current_limits()
                vmax = min(max_linear, lim.linear_velocity, robot.max_linear)
                wmax = min(max_angular, lim.angular_velocity, robot.max_angular)
                if (r := self._hold()) is not None:
                    return r
                # a fault obstacle on the path, reached (within 1 m)?
                path_set = set(path)
                rerouted = False
                for b in list(w.blocks.values()):
                    if b.id in replanned:
                        continue  # already routed round it (the start cell may sit in its margin)
                    if not (w.grid.blocks.get(b.id, (None, frozenset()))[1] & path_set):
                        continue
                    gap = math.hypot(b.region.x - w.x, b.region.y - w.y) - robot.radius - b.region.radius
                    if gap > 1.0:
                        continue
                    if b.until is not None:
                        if not self.motion.command_base(0.0, 0.0):
                            return self._rejected("command_base")
                        return _fail(Reason.NAV_BLOCKED, f"the path to {target} is blocked")
                    goal = w.approach_pose(target) or goal  # the old one may be covered now
                    gxy = (goal[0], goal[1])
                    path, reason = self._plan(gxy, avoid_cells)
                    if path is None:
                        self.motion.command_base(0.0, 0.0)
                        return _fail(reason, f"no way round the obstacle to {target}")
                    waypoints = w.grid.smooth(path, w.blocked_cells() | avoid_cells)
                    idx = 1 if len(waypoints) > 1 else 0
                    w.record("state", "replanned", target=target, block=b.id)
                    replanned.add(b.id)
                    rerouted = True
                    break
                if rerouted:
                    yield f"replanned round an obstacle to {target}"
                    continue
                remaining = self._remaining(waypoints, idx)
                # a person steps into the path
                if not person_checked and w.odometer >= person_check_at and remaining >= 2.0:
                    person_checked = True
                    if w.faults.draw("person_in_path"):
                        px, py = self._ahead(waypoints, idx, 0.9)
                        stay = float(w.faults.rng("person_in_path").uniform(3.0, 8.0))
                        pid = w.spawn_person(px, py, stay)
                        w.record(
                            "fault",
                            "person_in_path",
                            person=pid,
                            x=round(px, 3),
                            y=round(py, 3),
                            stay=round(stay, 3),
                        )
                # Someone close ahead: before setting off, wait for them to go; once moving,
                # the safety gate is what catches a person stepping in (it sees every
                # command), and only a last-resort bumper below its distance holds us.
                near = w.nearest_obstacle()
                bumper = max(0.5 * lim.obstacle_distance, vmax * w.dt + 0.05)
                hold_at = lim.obstacle_distance + 0.2 if not moved else bumper
                if near is not None and near[0] < hold_at:
                    bearing = wrap(math.atan2(near[2] - w.y, near[1] - w.x) - w.theta)
                    if abs(bearing) < math.radians(100):
                        if not self.motion.command_base(0.0, 0.0):
                            return self._rejected("command_base")
                        waited += w.dt
                        if waited > YIELD_LIMIT_S:
                            return _fail(Reason.NAV_BLOCKED, "an obstacle stayed in the path")
                        yield "waiting: someone is in the way"
                        continue
                waited = 0.0
                tx, ty = waypoints[idx]
                dist = math.hypot(tx - w.x, ty - w.y)
                final = idx == len(waypoints) - 1
                if not final and dist < 0.25:
                    idx += 1
                    continue
                if final and dist < GOAL_TOLERANCE:
                    err = wrap(goal[2] - w.theta)
                    if abs(err) < 0.05:
                        if not self.motion.command_base(0.0, 0.0):
                            return self._rejected("command_base")
                        return _ok(f"arrived at {target}", x=round(w.x, 3), y=round(w.y, 3))
                    if not self.motion.command_base(0.0, float(np.clip(1.5 * err, -wmax, wmax))):
                        return self._rejected("command_base")
                    yield f"turning to face {target}"
                    continue
                err = wrap(math.atan2(ty - w.y, tx - w.x) - w.theta)
                if abs(err) > 0.35:
                    v = 0.0
                else:
                    v = min(vmax, max(0.1, remaining)) * math.cos(err)
                    if final:
                        v = min(v, dist / w.dt)
                om = float(np.clip(2.0 * err, -wmax, wmax))
                if not self.motion.command_base(v, om):
                    return self._rejected("command_base")
                moved = moved or v != 0.0
                yield f"driving to {target}: {remaining:.1f} m left"
        finally:
            w.cancel_slip()

    def _remaining(self, waypoints: list[tuple[float, float]], idx: int) -> float:
        w = self.world
        pts = [(w.x, w.y), *waypoints[idx:]]
        return sum(math.dist(a, b) for a, b in pairwise(pts))

    def _ahead(self, waypoints: list[tuple[float, float]], idx: int, dist: float) -> tuple[float, float]:
        w = self.world
        pts = [(w.x, w.y), *waypoints[idx:]]
        for a, b in pairwise(pts):
            seg = math.dist(a, b)
            if seg >= dist:
                t = dist / seg
                return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
            dist -= seg
        return pts[-1]

    # ------------------------------------------------------------ perception
    def detect(self, entity: str, *, search: Sequence[str] = ()) -> SimAction:
        """Look for an entity here, then in each ``search`` place (0.5 s per look)."""
        return self._start("detect", entity, self._detect(entity, tuple(search)), moves=False)

    def _detect(self, entity: str, search: tuple[str, ...]) -> Gen:
        w = self.world
        kind = w.kind_of(entity)
        if kind is None:
            yield "looking"
            return _fail(Reason.NOT_FOUND, f"there is no {entity!r} in this world")
        if kind == "object":
            w.maybe_move_object(entity)
        if (r := (yield from self._wait(DETECT_S, f"looking for {entity}"))) is not None:
            return r
        if w.faults.draw("missed_detection"):
            w.record("fault", "missed_detection", entity=entity)
            return _fail(Reason.DETECTION_MISSED, f"the detector missed {entity}")
        here = w.robot_room()
        if kind == "fixture" and (w.scene.fixtures[entity].surface or w.scene.fixtures[entity].container):
            # where a held object would go: the first free slot on/in it (a VLA place's target)
            sx, sy, sz = w.slot_on(entity, w.held or "")
            extra: dict[str, Any] = {}
            st = w.fixtures[entity]
            if st.dirty and st.dirt is not None and (c := st.dirt.centre()) is not None:
                # a stain detector's answer: where the dirt is (its centre on the top), how far
                # it spreads, how many spots (a VLA wipe's target)
                top = w.scene.fixtures[entity].height
                extra["dirt"] = {"centre": [round(c[0], 3), round(c[1], 3), round(top, 3)],
                                 "radius": round(st.dirt.extent(), 3), "spots": st.dirt.left}
            return _ok(f"{entity} seen", entity=entity, location=w.room_of(entity),
                       position=[round(sx, 3), round(sy, 3), round(sz, 3)], **extra)
        if kind in ("room", "fixture"):
            return _ok(f"{entity} seen", entity=entity, location=w.room_of(entity))
        if kind == "person":
            room = w.room_of(entity)
            if room == here or room in search:
                return _ok(f"{entity} seen", entity=entity, location=room)
            return _fail(Reason.NOT_FOUND, f"{entity} is not in sight")
        o = w.objects[entity]
        true_place = w.place_of(entity)
        if o.location == "gripper":
            return _ok(f"{entity} is in the gripper", entity=entity, location="gripper")
        believed = w.belief.get(entity)
        visible = w.is_visible_truth(entity)
        in_sight = w.room_of(entity) == here or math.hypot(o.x - w.x, o.y - w.y) <= 2.5
        if believed == true_place and in_sight:
            return self._found(entity, visible=visible)
        if believed is None and visible and in_sight:
            return self._found(entity, visible=True)
        for place in search:
            if (r := (yield from self._wait(DETECT_S, f"looking for {entity} at {place}"))) is not None:
                return r
            if not visible:
                continue
            if place == true_place or (place in w.scene.rooms and w.room_of(entity) == place):
                return self._found(entity, visible=True)
        where = f" at {believed}" if believed else ""
        return _fail(Reason.NOT_FOUND, f"{entity} was not found{where}")

    def _found(self, entity: str, *, visible: bool) -> ActionResult:
        w = self.world
        o = w.objects[entity]
        place = w.place_of(entity)
        w.belief[entity] = place
        return _ok(
            f"{entity} found at {place}",
            entity=entity,
            location=place,
            relation=o.relation,
            position=[round(o.x, 3), round(o.y, 3), round(o.z, 3)],
            visible=visible,
        )

    # ---------------------------------------------------------- manipulation
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
        if w.faults.draw("grasp_fail"):
            w.record("fault", "grasp_fail", object=entity)
            yield from self._home()
            return _fail(Reason.GRASP_FAILED, f"the grasp on {entity} failed")
        if (r := (yield from self._wait(0.5, f"closing the gripper on {entity}"))) is not None:
            return r
        before = (o.location, o.relation, (o.x, o.y, o.z))
        w.held, w.gripper_closed = entity, True
        w.move_object(entity, "gripper", None, w.fk())
        w.record("state", "grasped", object=entity)
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
        if target == FLOOR:
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
        w.record("state", "placed", object=oid, target=FLOOR, relation="on")
        if (r := (yield from self._home())) is not None:
            return r
        return _ok(f"put {oid} down", object=oid, target=FLOOR, relation="on")

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

    # ---------------------------------------------------------------- speech
    def say(self, text: str) -> SimAction:
        """Speak: 0.1 s per word (at least one step); recorded as an event."""
        return self._start("say", "speech", self._say(str(text)), moves=False)

    def _say(self, text: str) -> Gen:
        self.world.record("say", "speech", text=text)
        for _ in range(max(1, round(len(text.split()) * 0.1 / self.world.dt))):
            yield "speaking"
        return _ok("said", text=text)

    # ----------------------------------------------------------------- state
    def base_pose(self) -> Pose2D:
        w = self.world
        return Pose2D(w.x, w.y, w.theta)

    def ee_position(self) -> tuple[float, float, float]:
        return self.world.fk()

    def obstacle_distance(self) -> float:
        return self.world.obstacle_distance()

    def holding(self) -> str | None:
        return self.world.held

    def is_at(self, place: str, tolerance: float = 0.6) -> bool:
        """Inside a room's bounds, or within ``tolerance`` of a thing's (believed) approach pose."""
        w = self.world
        kind = w.kind_of(place)
        if kind is None:
            return False
        if kind == "room":
            return w.scene.rooms[place].contains(w.x, w.y)
        if kind == "object" and w.held == place:
            return True
        pose = w.approach_pose(place)
        return pose is not None and math.hypot(pose[0] - w.x, pose[1] - w.y) <= tolerance

    def is_open(self, fixture: str) -> bool:
        return self.world.is_open(fixture)

    def is_on(self, fixture: str) -> bool:
        return self.world.is_on(fixture)

    def is_dirty(self, fixture: str) -> bool:
        st = self.world.fixtures.get(fixture)
        return bool(st is not None and st.dirty)

    def is_visible(self, entity: str) -> bool:
        """Same room as the robot and not hidden inside a closed container."""
        w = self.world
        if w.held is not None and w.held == entity:
            return True
        if w.kind_of(entity) is None:
            return False
        return w.room_of(entity) == w.robot_room() and w.is_visible_truth(entity)

    def location_of(self, entity: str) -> str | None:
        """Belief for objects (fixture, room if on the floor, person, "gripper"); room otherwise."""
        w = self.world
        kind = w.kind_of(entity)
        if kind == "object":
            return w.belief.get(entity)
        if kind in ("fixture", "person"):
            return w.room_of(entity)
        return None

    # ---------------------------------------------------------------- camera
    def image(self) -> np.ndarray:
        return self.camera.image()
