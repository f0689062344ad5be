"""The simulated household world: kinematic, deterministic, stepped in fixed increments.

Why it looks like this:

* **One clock.** ``step()`` advances exactly ``dt``; time is ``steps * dt``. Nothing reads
  the wall clock, nothing uses ``uuid4``: the same seed, faults and commands give the same
  :meth:`SimWorld.state_digest` and :attr:`SimWorld.events`, tick for tick.
* **Only the motion port moves things.** The base and arm integrate the *commanded*
  velocities, which only :class:`Actuators` sets. Controllers (``executive.sim.robot``)
  command through a :class:`~behaviours.ports.MotionPort` that the runtime may wrap in a
  safety gate, so nothing reaches an actuator around the gate.
* **Belief vs truth.** The world keeps the true place of every object and, separately, the
  robot's belief (updated by perception and by the robot's own pick/place). Grounding
  (:meth:`entities`) reports the belief; :meth:`state_digest` reports the truth.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from typing import Any, Protocol

import numpy as np

from behaviours.limits import DEFAULT_LIMITS, SafetyLimits
from behaviours.reasons import Reason
from executive.sim.dirt import DirtPatch, in_contact, spots_for
from executive.sim.faults import FaultConfig, FaultInjector
from executive.sim.occupancy import PERSON_RADIUS, Cell, OccupancyGrid, Region
from executive.sim.scene import POURABLE_TYPES, Scene, load_scene
from executive.world_model import EntityInfo

SHOULDER_HEIGHT = 0.8
BLOCK_RADIUS = 0.3
#: Planning keeps this clearance (robot surface to obstacle surface) from fault obstacles,
#: a little more than the default safety distance, so routing round one never trips the gate.
BLOCK_CLEARANCE = 0.45  # > the 0.3 m safety distance plus a grid cell and pursuit slack
ARM_OWN_TORQUE = 20.0
GRAVITY = 9.81
#: Closing the gripper grasps an object whose grasp point (top of its support + this) is
#: within GRASP_RADIUS of the end effector.
GRASP_RADIUS = 0.03
GRASP_HEIGHT = 0.03
#: Opening the gripper at most this high above a surface places the held object on it.
PLACE_HEIGHT = 0.15


@dataclass(frozen=True)
class Event:
    """Something that happened: a fault, a state change, an action's start or end."""

    t: float
    kind: str
    name: str
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ObjectState:
    """Where an object truly is: ``location`` is a fixture id, "floor", "gripper" or a person id."""

    id: str
    type: str
    colour: str
    size: str
    mass: float
    location: str
    relation: str | None
    x: float
    y: float
    z: float
    level: float = 0.0


@dataclass
class FixtureState:
    open: bool = False
    on: bool = False
    dirty: bool = False
    dirt: DirtPatch | None = None  # the spots a camera sees and a wipe removes (see sim.dirt)


@dataclass
class PersonState:
    """The operator (static) or a person a fault made walk into the robot's path."""

    id: str
    x: float
    y: float
    dynamic: bool = False
    radius: float = PERSON_RADIUS
    phase: str = "standing"
    phase_until: float = math.inf
    stay: float = 0.0
    vx: float = 0.0
    vy: float = 0.0


@dataclass
class BlockState:
    id: str
    region: Region
    until: float | None  # None: for good


class Controller(Protocol):
    """What the world steps: an action's controller (see ``executive.sim.robot.SimAction``)."""

    @property
    def done(self) -> bool: ...

    def step(self) -> None: ...


def wrap(a: float) -> float:
    """Angle to (-pi, pi]."""
    return (a + math.pi) % (2 * math.pi) - math.pi


class SimWorld:
    """The household: robot base + arm, fixtures, objects, people, faults, events."""

    def __init__(
        self,
        scene: Scene | None = None,
        seed: int = 0,
        faults: FaultConfig | None = None,
        dt: float = 0.1,
    ) -> None:
        if dt <= 0 or not math.isfinite(dt):
            raise ValueError(f"dt must be a positive number, got {dt!r}")
        self.scene = scene if scene is not None else load_scene()
        self.seed = int(seed)
        self.dt = float(dt)
        self.faults = FaultInjector(faults or FaultConfig(), self.seed)
        self.grid = OccupancyGrid(self.scene)
        self.steps = 0
        self.events: list[Event] = []
        r = self.scene.robot
        self.n_joints = r.arm_joints
        self.link1 = r.arm_reach * 0.53
        self.link2 = r.arm_reach - self.link1
        self.home_joints = [0.0, 1.2, -2.4] + [0.0] * (self.n_joints - 3)
        # robot state
        self.x, self.y, self.theta = r.pose
        self.v = self.w = 0.0
        self.q = np.array(self.home_joints, dtype=float)
        self.qd = np.zeros(self.n_joints)
        self.torques = np.zeros(self.n_joints)
        self.ee_target: tuple[float, float, float] | None = None
        self.ee_joint_velocity_cap = min(r.max_joint_velocity, DEFAULT_LIMITS.joint_velocity)
        self.gripper_closed = False
        self.held: str | None = None
        self.odometer = 0.0
        self._in_collision = False
        # world state
        self.fixtures = {
            fid: FixtureState(open=f.open, on=f.on, dirty=f.dirty) for fid, f in self.scene.fixtures.items()
        }
        self.objects: dict[str, ObjectState] = {}
        for oid, o in self.scene.objects.items():
            level = o.level if o.level is not None else (1.0 if o.type in {"bottle", "carton"} else 0.0)
            x, y, z = self.slot_on(o.support, oid)
            self.objects[oid] = ObjectState(
                oid, o.type, o.colour, o.size, o.mass, o.support, o.relation, x, y, z, level
            )
        self.people = {pid: PersonState(pid, p.pose[0], p.pose[1]) for pid, p in self.scene.people.items()}
        self.belief: dict[str, str | None] = {oid: self.place_of(oid) for oid in self.objects}
        for fid, f in self.scene.fixtures.items():
            if f.dirty and f.surface:
                self.soil(fid, record=False)
        # faults in progress
        self.blocks: dict[str, BlockState] = {}
        self.stuck_doors: dict[str, int] = {}  # remaining failing attempts; -1 = for good
        self.slip_at_odometer: float | None = None
        self._controllers: list[Controller] = []
        self._counter = 0

    # ------------------------------------------------------------------ time
    @property
    def t(self) -> float:
        return round(self.steps * self.dt, 9)

    def next_id(self, prefix: str) -> str:
        """Sequential ids (deterministic, unlike uuid4)."""
        self._counter += 1
        return f"{prefix}{self._counter}"

    def record(self, kind: str, name: str, **detail: Any) -> Event:
        ev = Event(self.t, kind, name, detail)
        self.events.append(ev)
        return ev

    def register(self, controller: Controller) -> None:
        """Add an action controller; it is stepped first in every :meth:`step`."""
        self._controllers.append(controller)

    def unregister(self, controller: Controller) -> None:
        if controller in self._controllers:
            self._controllers.remove(controller)

    @property
    def active_controllers(self) -> tuple[Controller, ...]:
        return tuple(self._controllers)

    def step(self) -> None:
        """Advance exactly ``dt``: controllers, then kinematics, then people and fault timers."""
        for c in list(self._controllers):
            if not c.done:
                c.step()
        self._controllers = [c for c in self._controllers if not c.done]
        self._integrate()
        self._advance_people()
        self._advance_faults()
        self.steps += 1

    def run(self, steps: int) -> None:
        for _ in range(steps):
            self.step()

    # ------------------------------------------------------------ kinematics
    def fk(
        self, q: Sequence[float] | None = None, base: tuple[float, float, float] | None = None
    ) -> tuple[float, float, float]:
        """End effector in the map frame: yaw joint, planar shoulder/elbow; wrists are ignored."""
        q = self.q if q is None else q
        bx, by, bt = (self.x, self.y, self.theta) if base is None else base
        q0, q1, q2 = float(q[0]), float(q[1]), float(q[2])
        r = self.link1 * math.cos(q1) + self.link2 * math.cos(q1 + q2)
        z = SHOULDER_HEIGHT + self.link1 * math.sin(q1) + self.link2 * math.sin(q1 + q2)
        yaw = bt + q0
        return (bx + r * math.cos(yaw), by + r * math.sin(yaw), z)

    def ik(self, target: Sequence[float]) -> np.ndarray:
        """Joint positions (elbow up) putting the end effector at, or nearest to, ``target``."""
        tx, ty, tz = (float(v) for v in target)
        dx, dy = tx - self.x, ty - self.y
        q = self.q.copy()
        q[0] = self.q[0] + wrap(math.atan2(dy, dx) - self.theta - self.q[0]) if (dx or dy) else q[0]
        r, zz = math.hypot(dx, dy), tz - SHOULDER_HEIGHT
        d = math.hypot(r, zz)
        lo, hi = abs(self.link1 - self.link2) + 1e-3, self.link1 + self.link2 - 1e-3
        if d < 1e-9:
            r, zz, d = lo, 0.0, lo
        elif not lo <= d <= hi:
            s = min(max(d, lo), hi) / d
            r, zz, d = r * s, zz * s, d * s
        c2 = (d * d - self.link1**2 - self.link2**2) / (2 * self.link1 * self.link2)
        q2 = -math.acos(min(max(c2, -1.0), 1.0))
        q1 = math.atan2(zz, r) + math.atan2(
            self.link2 * math.sin(-q2), self.link1 + self.link2 * math.cos(q2)
        )
        q[1], q[2] = q1, q2
        return q

    def ee_position(self) -> tuple[float, float, float]:
        return self.fk()

    def _integrate(self) -> None:
        dt = self.dt
        # base (unicycle); a collision with a wall or fixture stops translation
        theta = wrap(self.theta + self.w * dt)
        mid = self.theta + self.w * dt / 2
        nx_, ny_ = self.x + self.v * math.cos(mid) * dt, self.y + self.v * math.sin(mid) * dt
        body = self.scene.robot.radius * 0.8
        blocked = self.v != 0.0 and self.grid.collides(nx_, ny_, body)
        if blocked and self.grid.collides(self.x, self.y, body):
            # Already touching something: let it back out (any move that gains clearance), or a
            # robot that grazed a corner could never leave it.
            blocked = self.grid.clearance(nx_, ny_) <= self.grid.clearance(self.x, self.y)
        if blocked:
            # bump and slide: keep whichever axis of the motion stays clear (grazing a corner)
            for sx, sy in ((nx_, self.y), (self.x, ny_)):
                if (sx, sy) != (self.x, self.y) and not self.grid.collides(sx, sy, body):
                    nx_, ny_, blocked = sx, sy, False
                    break
        if blocked:
            if not self._in_collision:
                self.record("state", "collision", x=round(nx_, 3), y=round(ny_, 3))
            self._in_collision = True
        else:
            self._in_collision = False
            self.odometer += abs(self.v) * dt
            self.x, self.y = nx_, ny_
        self.theta = theta
        # arm: joint velocities, or a Cartesian target at the joint-velocity cap
        if self.ee_target is not None:
            goal = self.ik(self.ee_target)
            cap = self.ee_joint_velocity_cap
            self.qd = np.clip((goal - self.q) / dt, -cap, cap)
        self.q = self.q + self.qd * dt
        if self.held is not None:
            o = self.objects[self.held]
            o.x, o.y, o.z = self.fk()
        self._wipe_contact()

    # ----------------------------------------------------------------- dirt
    def soil(
        self,
        fid: str,
        *,
        centre: tuple[float, float] | None = None,
        n: int | None = None,
        record: bool = True,
    ) -> DirtPatch:
        """Put a patch of dirt spots on a surface (seeded by the world seed and the fixture;
        away from the objects standing there unless ``centre`` is given); it is dirty until
        every spot has been wiped off."""
        if fid not in self.scene.fixtures or not self.scene.fixtures[fid].surface:
            raise ValueError(f"{fid!r} is not a surface that can be soiled")
        f = self.scene.fixtures[fid]
        avoid = [(o.x, o.y) for o in getattr(self, "objects", {}).values() if o.location == fid]
        patch = DirtPatch(spots_for(self.seed, fid, f.rect, avoid=avoid, centre=centre, n=n))
        st = self.fixtures[fid]
        st.dirt, st.dirty = patch, True
        if record:
            self.record("state", "soiled", fixture=fid, spots=len(patch.spots))
        return patch

    def dirt_left(self, fid: str) -> int:
        st = self.fixtures.get(fid)
        return 0 if st is None or st.dirt is None else st.dirt.left

    def _wipe_contact(self) -> None:
        """A hand in contact with a dirty surface takes the spots under it (sim.dirt)."""
        patches = [(fid, st) for fid, st in self.fixtures.items() if st.dirt is not None and st.dirty]
        if not patches:
            return
        ex, ey, ez = self.fk()
        for fid, st in patches:
            f = self.scene.fixtures[fid]
            x0, y0, x1, y1 = f.rect
            if not (x0 <= ex <= x1 and y0 <= ey <= y1 and in_contact(ez, f.height)):
                continue
            assert st.dirt is not None
            if st.dirt.wipe(ex, ey) and st.dirt.clean:
                st.dirty = False
                self.record("state", "wiped", fixture=fid, by="contact")

    # --------------------------------------------------------------- people
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

    # --------------------------------------------------------------- faults
    def _advance_faults(self) -> None:
        for bid in list(self.blocks):
            b = self.blocks[bid]
            if b.until is not None and self.t >= b.until:
                del self.blocks[bid]
                self.grid.unblock(bid)
                self.record("fault_cleared", "blocked_path", block=bid)
        if (
            self.slip_at_odometer is not None
            and self.held is not None
            and self.odometer >= self.slip_at_odometer
        ):
            self.slip_at_odometer = None
            self._drop_held()

    def _drop_held(self) -> None:
        oid = self.held
        assert oid is not None
        for ang in (math.pi / 2, -math.pi / 2, math.pi, 0.0):
            px = self.x + 0.45 * math.cos(self.theta + ang)
            py = self.y + 0.45 * math.sin(self.theta + ang)
            if not self.grid.collides(px, py, 0.08):
                break
        self.move_object(oid, "floor", None, (px, py, 0.0))
        self.held = None
        self.gripper_closed = False
        self.belief[oid] = None
        self.record("fault", "grasp_slip", object=oid, x=round(px, 3), y=round(py, 3))

    def arm_slip(self, path_length: float) -> None:
        """Navigation start: maybe schedule the held object to slip after part of the drive."""
        if self.held is None or path_length <= 0.3 or not self.faults.draw("grasp_slip"):
            return
        frac = float(self.faults.rng("grasp_slip").uniform(0.3, 0.7))
        self.slip_at_odometer = self.odometer + frac * path_length

    def cancel_slip(self) -> None:
        self.slip_at_odometer = None

    def inject_blocked_path(self, path: Sequence[Cell]) -> BlockState | None:
        """Navigation start: maybe put an obstacle on the planned path (doorway first)."""
        pts = [self.grid.centre(c) for c in path]
        if len(pts) < 3:
            return None
        start, goal = pts[0], pts[-1]
        length = sum(math.dist(a, b) for a, b in pairwise(pts))
        if length < 1.0:
            return None  # nothing to block on so short a drive
        near_start, near_goal = min(2.0, 0.5 * length), min(1.2, 0.35 * length)
        ok = [
            k
            for k, p in enumerate(pts)
            if math.dist(p, start) >= near_start and math.dist(p, goal) >= near_goal
        ]
        if not ok:
            return None
        rooms = [self.scene.room_at(*p) for p in pts]
        door = [k for k in ok if k > 0 and rooms[k] != rooms[k - 1]]
        k = door[0] if door else ok[len(ok) // 2]
        if not self.faults.draw("blocked_path"):
            return None
        rng = self.faults.rng("blocked_path")
        permanent = bool(rng.random() < 0.5)
        duration = float(rng.uniform(5.0, 15.0))
        bid = self.next_id("block_")
        x, y = pts[k]
        region = Region(x, y, BLOCK_RADIUS)
        self.grid.block(bid, region, margin=self.scene.robot.radius + BLOCK_CLEARANCE)
        b = BlockState(bid, region, None if permanent else round(self.t + duration, 6))
        self.blocks[bid] = b
        self.record(
            "fault",
            "blocked_path",
            block=bid,
            x=round(x, 3),
            y=round(y, 3),
            doorway=bool(door),
            permanent=permanent,
            until=b.until,
        )
        return b

    def maybe_move_object(self, oid: str) -> None:
        """Detect start: maybe move a visible object to another surface (belief unchanged)."""
        o = self.objects.get(oid)
        if o is None or o.location not in self.scene.fixtures or not self.is_visible_truth(oid):
            return
        if not self.faults.draw("object_moved"):
            return
        choices = sorted(f for f, s in self.scene.fixtures.items() if s.surface and f != o.location)
        new = choices[int(self.faults.rng("object_moved").integers(len(choices)))]
        old = o.location
        self.move_object(oid, new, "on", self.slot_on(new, oid))
        self.record("fault", "object_moved", object=oid, old=old, new=new)

    def door_attempt(self, fid: str) -> bool:
        """Open attempt: False when the door is stuck (this attempt fails)."""
        if fid in self.stuck_doors:
            left = self.stuck_doors[fid]
            if left == 0:
                del self.stuck_doors[fid]
                self.record("fault_cleared", "door_stuck", fixture=fid)
                return True
            if left > 0:
                self.stuck_doors[fid] = left - 1
            self.record("fault", "door_stuck", fixture=fid, repeat=True, for_good=left < 0)
            return False
        if not self.faults.draw("door_stuck"):
            return True
        rng = self.faults.rng("door_stuck")
        for_good = bool(rng.random() < 0.3)
        self.stuck_doors[fid] = -1 if for_good else int(rng.integers(0, 2))
        self.record("fault", "door_stuck", fixture=fid, repeat=False, for_good=for_good)
        return False

    # --------------------------------------------------------------- gripper
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

    def grasp_fails(self, oid: str) -> bool:
        """The one ``grasp_fail`` draw, for every way of grasping (the scripted pick and the
        gripper the VLA leaf closes): a hit is recorded as a fault and the jaws hold nothing."""
        if self.faults.draw("grasp_fail"):
            self.record("fault", "grasp_fail", object=oid)
            return True
        return False

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

    # ---------------------------------------------------------------- places
    def kind_of(self, entity: str) -> str | None:
        if entity in self.scene.rooms:
            return "room"
        if entity in self.scene.fixtures:
            return "fixture"
        if entity in self.objects:
            return "object"
        if entity in self.people:
            return "person"
        return None

    def slot_on(self, fid: str, oid: str) -> tuple[float, float, float]:
        """A free spot on/in a fixture: slots along its long axis, first one not taken."""
        f = self.scene.fixtures[fid]
        (cx, cy), (w, d) = f.pose, f.size
        along_x = w >= d
        length = w if along_x else d
        n = max(1, int(length / 0.2))
        z = f.height if f.surface and not f.container else f.height * 0.5
        taken = [
            (o.x, o.y) for o in getattr(self, "objects", {}).values() if o.location == fid and o.id != oid
        ]
        slots = []
        for k in range(n):
            off = -length / 2 + (k + 0.5) * length / n
            slots.append((cx + off, cy) if along_x else (cx, cy + off))
        for sx, sy in slots:
            if all(math.hypot(sx - tx, sy - ty) > 0.1 for tx, ty in taken):
                return (sx, sy, z)
        return (cx, cy, z)

    def move_object(
        self, oid: str, location: str, relation: str | None, pos: tuple[float, float, float]
    ) -> None:
        o = self.objects[oid]
        o.location, o.relation = location, relation
        o.x, o.y, o.z = pos

    def place_of(self, oid: str) -> str | None:
        """True place as a grounding id: fixture, room (floor), person, or "gripper"."""
        o = self.objects[oid]
        if o.location == "floor":
            return self.scene.room_at(o.x, o.y)
        return o.location

    def room_of(self, entity: str) -> str | None:
        """The room an entity is in (truth)."""
        kind = self.kind_of(entity)
        if kind == "room":
            return entity
        if kind == "fixture":
            return self.scene.fixtures[entity].room
        if kind == "person":
            p = self.people[entity]
            return self.scene.room_at(p.x, p.y)
        if kind == "object":
            o = self.objects[entity]
            if o.location == "gripper":
                return self.robot_room()
            return self.scene.room_at(o.x, o.y)
        return None

    def robot_room(self) -> str | None:
        return self.scene.room_at(self.x, self.y)

    def is_open(self, fixture: str) -> bool:
        """Doors: their state; fixtures without a door count as open (nothing to open)."""
        spec = self.scene.fixtures.get(fixture)
        if spec is None:
            return False
        return self.fixtures[fixture].open if spec.door else True

    def is_on(self, fixture: str) -> bool:
        st = self.fixtures.get(fixture)
        return bool(st and st.on)

    def holding(self) -> str | None:
        return self.held

    def is_visible_truth(self, entity: str) -> bool:
        """Not hidden inside a closed container (room checks are the caller's)."""
        o = self.objects.get(entity)
        if o is None:
            return entity in self.people or entity in self.scene.fixtures or entity in self.scene.rooms
        if o.location in self.scene.fixtures and o.relation == "in":
            return self.is_open(o.location)
        return True

    def blocked_cells(self) -> frozenset[Cell]:
        return self.grid.blocked_cells()

    def approach_pose(self, target: str, *, believed: bool = True) -> tuple[float, float, float] | None:
        """Where the base should stand to act on ``target`` (None: unknown or unreachable).

        For objects, ``believed`` uses the robot's belief: the true spot when the belief is
        right, else the believed fixture/room (where a search would start).
        """
        g, ex = self.grid, self.grid.blocked_cells()
        kind = self.kind_of(target)
        if kind == "room":
            return g.approach_room(target, ex)
        if kind == "fixture":
            return g.approach_fixture(target, ex)
        if kind == "person":
            p = self.people[target]
            return g.approach_point(p.x, p.y, standoff=0.7, exclude=ex)
        if kind != "object":
            return None
        o = self.objects[target]
        if o.location == "gripper":
            return (self.x, self.y, self.theta)
        if believed and self.belief.get(target) != self.place_of(target):
            where = self.belief.get(target)
            return None if where is None or where == "gripper" else self.approach_pose(where)
        if o.location in self.scene.fixtures:
            return g.approach_point(o.x, o.y, near=self.scene.fixtures[o.location].rect, exclude=ex)
        if o.location in self.people:
            return self.approach_pose(o.location)
        return g.approach_point(o.x, o.y, standoff=0.5, exclude=ex)

    # -------------------------------------------------------------- catalogue
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


class Actuators:
    """The raw motion port of the simulated robot: sets commanded velocities, nothing more.

    Unguarded on purpose: the runtime wraps it in a safety gate. It only refuses
    malformed commands (wrong length, NaN/inf) so they cannot corrupt the world state.
    """

    def __init__(self, world: SimWorld) -> None:
        self.world = world
        self._last_rejection = Reason.NONE

    def _finite(self, values: Sequence[float], n: int | None = None) -> np.ndarray | None:
        try:
            arr = np.asarray(values, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            arr = None
        if arr is None or (n is not None and arr.shape[0] != n) or not np.all(np.isfinite(arr)):
            self._last_rejection = Reason.SAFETY_INVALID_COMMAND
            return None
        return arr

    def command_base(self, linear: float, angular: float) -> bool:
        arr = self._finite([linear, angular])
        if arr is None:
            return False
        self.world.v, self.world.w = float(arr[0]), float(arr[1])
        return True

    def command_arm(self, joint_velocities: Sequence[float]) -> bool:
        arr = self._finite(joint_velocities, self.world.n_joints)
        if arr is None:
            return False
        self.world.ee_target = None
        self.world.qd = arr
        return True

    def command_torques(self, torques: Sequence[float]) -> bool:
        arr = self._finite(torques, self.world.n_joints)
        if arr is None:
            return False
        self.world.torques = arr
        return True

    def command_ee_target(self, position: Sequence[float]) -> bool:
        arr = self._finite(position, 3)
        if arr is None:
            return False
        self.world.ee_target = (float(arr[0]), float(arr[1]), float(arr[2]))
        return True

    def command_gripper(self, closed: bool) -> bool:
        if not isinstance(closed, (bool, int, np.bool_)):
            self._last_rejection = Reason.SAFETY_INVALID_COMMAND
            return False
        if closed:
            self.world.close_gripper()
        else:
            self.world.open_gripper()
        return True

    def stop(self) -> None:
        w = self.world
        w.v = w.w = 0.0
        w.qd = np.zeros(w.n_joints)
        w.ee_target = None

    def current_limits(self) -> SafetyLimits:
        return DEFAULT_LIMITS

    @property
    def last_rejection(self) -> Reason:
        return self._last_rejection
