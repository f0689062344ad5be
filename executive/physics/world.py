"""The household in MuJoCo: one physics state, stepped in lockstep, read by the robot's ports.

Why it looks like this:

* **One clock.** :meth:`PhysicsWorld.step` advances exactly ``dt`` (a whole number of MuJoCo
  steps); nothing reads the wall clock, so the same seed, faults and commands give the same
  state on one machine (MuJoCo is deterministic for the same call sequence).
* **Only the motion port moves things.** The base's velocity servos, the arm's position
  servos and the gripper take their set points from :class:`PhysicsCommands`, which only the
  backend's actuators write; the skills (``executive.physics.skills``) command through the
  guarded motion port, as in the kinematic world.
* **Truth from physics, belief kept apart.** Where an object is comes from its body's pose
  and the contacts (held = touched by both fingers); the robot's belief is updated only by
  perception and its own pick/place, and is what grounding reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from behaviours.context import Event  # the one event type of the project
from executive.physics import faults_physics
from executive.physics.model import build_spec, container_floor, vertical_half_extent
from executive.physics.robot_model import ARM_JOINTS, BASE_JOINTS, FINGER_KP, FINGER_OPEN, FINGERS, HOME
from executive.sim.dirt import DirtPatch, in_contact
from executive.sim.faults import FaultConfig, FaultInjector
from executive.sim.occupancy import Cell, OccupancyGrid
from executive.sim.scene import Scene, load_scene
from executive.sim.world import WorldClock
from executive.sim.world_dirt import WorldDirt
from executive.sim.world_places import EntityRooms

TIMESTEP = 0.004
GRAVITY = 9.81
ARM_OWN_TORQUE = 20.0
#: Finger closing speed (m/s, each finger): slow enough that a finger meets a thin object's side
#: within one physics step (at 12 cm/s, 0.5 mm a step) rather than jumping onto its top.
GRIPPER_CLOSE_SPEED = 0.12
#: The least squeeze (N) of each closed finger. The servo's target is the closed position, so
#: it squeezed with its stiffness times the finger's opening: 26 N on a 7 cm cup but 2.4 N on
#: a plate's 6 mm lip. On anything thinner than 6 cm the target goes on past closed until the
#: finger presses this hard (wider objects are squeezed as before).
MIN_GRIP = 24.0
#: The base's forward acceleration limit (m/s^2) when it speeds up; stops are not ramped.
BASE_ACCEL = 4.0


@dataclass
class PhysicsCommands:
    """Set points, written only by the actuators: base (unicycle) velocities, arm joint
    velocities or a Cartesian target, the gripper, the torques last commanded."""

    v: float = 0.0
    w: float = 0.0
    qd: np.ndarray = field(default_factory=lambda: np.zeros(len(ARM_JOINTS)))
    ee_target: tuple[float, float, float] | None = None
    ee_cap: float = 1.0
    gripper_closed: bool = False
    torques: np.ndarray = field(default_factory=lambda: np.zeros(len(ARM_JOINTS)))


@dataclass
class FixtureState:
    dirty: bool = False
    dirt: DirtPatch | None = None
    on: bool = False


def kinematic_slots(scene: Scene) -> dict[str, tuple[float, float, float]]:
    """Where the scene's objects start: the kinematic world's slots along each fixture's long
    axis (x, y, support height), so both worlds lay the house out alike."""
    taken: dict[str, list[tuple[float, float]]] = {}
    out: dict[str, tuple[float, float, float]] = {}
    for oid, o in scene.objects.items():
        f = scene.fixtures[o.support]
        (cx, cy), (w, d) = f.pose, f.size
        along_x = w >= d
        length = w if along_x else d
        n = max(1, int(length / 0.2))
        z = f.height if f.surface and not f.container else container_floor(f.height)
        spot = (cx, cy)
        for k in range(n):
            off = -length / 2 + (k + 0.5) * length / n
            s = (cx + off, cy) if along_x else (cx, cy + off)
            if all(math.hypot(s[0] - a, s[1] - b) > 0.1 for a, b in taken.get(o.support, [])):
                spot = s
                break
        taken.setdefault(o.support, []).append(spot)
        out[oid] = (spot[0], spot[1], z)
    return out


class PhysicsWorld(WorldDirt, EntityRooms, WorldClock):
    """MjModel + MjData of the household, with the bookkeeping the ports need (the clock, event
    log and controller list are the kinematic world's :class:`~executive.sim.world.WorldClock`)."""

    def __init__(self, scene: Scene | None = None, seed: int = 0, faults: FaultConfig | None = None,
                 dt: float = 0.1) -> None:
        import mujoco

        if dt <= 0 or not math.isfinite(dt):
            raise ValueError(f"dt must be a positive number, got {dt!r}")
        self.mj = mujoco
        self.scene = scene if scene is not None else load_scene()
        self.seed, self.dt = int(seed), float(dt)
        self.substeps = max(1, round(self.dt / TIMESTEP))
        self.faults = FaultInjector(faults or FaultConfig(), self.seed)
        self.grid = OccupancyGrid(self.scene)
        spec, self.doors = build_spec(self.scene, kinematic_slots(self.scene), self.grid,
                                      timestep=self.dt / self.substeps)
        self.model = spec.compile()
        self.data = mujoco.MjData(self.model)
        self._scratch = mujoco.MjData(self.model)
        m = self.model
        self.n_joints = len(ARM_JOINTS)
        self.base_qpos = [int(m.joint(j).qposadr[0]) for j in BASE_JOINTS]
        self.base_dof = [int(m.joint(j).dofadr[0]) for j in BASE_JOINTS]
        self.arm_qpos = np.array([int(m.joint(j).qposadr[0]) for j in ARM_JOINTS])
        self.arm_dof = np.array([int(m.joint(j).dofadr[0]) for j in ARM_JOINTS])
        self.arm_range = np.array([m.joint(j).range for j in ARM_JOINTS])
        self.finger_qpos = [int(m.joint(j).qposadr[0]) for j in FINGERS]
        self.finger_geoms = {int(m.geom(f).id) for f in FINGERS}
        self.hand_geoms = self.finger_geoms | {int(m.geom("palm").id)}
        self.act = {m.actuator(i).name: i for i in range(m.nu)}
        self.ee_site = int(m.site("ee").id)
        self.obj_body = {oid: int(m.body(f"obj_{oid}").id) for oid in self.scene.objects}
        self.obj_geom = {oid: int(m.geom(f"obj_{oid}").id) for oid in self.scene.objects}
        body_obj = {b: oid for oid, b in self.obj_body.items()}
        # every geom of an object's body (a dish's base and lip segments): what the fingers touch
        self.geom_obj = {g: body_obj[int(m.geom_bodyid[g])] for g in range(m.ngeom)
                         if int(m.geom_bodyid[g]) in body_obj}
        self.obj_geoms = {oid: [g for g, o in self.geom_obj.items() if o == oid]
                          for oid in self.scene.objects}
        self.obj_qpos = {oid: int(m.joint(f"obj_{oid}").qposadr[0]) for oid in self.scene.objects}
        self.fixture_geoms = {fid: int(m.geom(f"fx_{fid}").id) for fid in self.scene.fixtures}
        self.handle_geoms = {fid: int(m.geom(i.handle).id) for fid, i in self.doors.items()}
        self.home_joints = list(HOME)
        x, y, th = self.scene.robot.pose
        d = self.data
        d.qpos[self.base_qpos] = (x, y, th)
        d.qpos[self.arm_qpos] = HOME
        d.qpos[self.finger_qpos] = FINGER_OPEN
        for fid, f in self.scene.fixtures.items():
            if f.open and fid in self.doors:
                d.qpos[m.joint(self.doors[fid].joint).qposadr[0]] = self.doors[fid].open_q
        self.cmd = PhysicsCommands()
        self._v_drive = 0.0  # the base's applied forward speed (ramped up, see _apply_ctrl)
        self.q_ref = np.array(HOME, dtype=float)
        self._apply_ctrl()
        mujoco.mj_forward(m, d)
        self.steps = 0
        self.events: list[Event] = []
        self._counter = 0
        self._controllers: list[Any] = []
        self.odometer = 0.0
        self.held: str | None = None
        #: (object, fixture): what the open skill set down beside a lidded container to lift its
        #: lid with the freed hand; the place into that container takes it back first
        self.set_aside: tuple[str, str] | None = None
        self.fixtures = {fid: FixtureState(on=f.on) for fid, f in self.scene.fixtures.items()}
        self.people: dict[str, dict[str, Any]] = {
            pid: {"x": p.pose[0], "y": p.pose[1], "dynamic": False} for pid, p in self.scene.people.items()
        }
        self.belief: dict[str, str | None] = {}
        for _ in range(max(1, round(0.5 / self.dt))):  # let everything settle on its support
            self._physics()
        self.steps = 0
        self.belief = {oid: self.place_of(oid) for oid in self.scene.objects}
        self.fx = faults_physics.FaultState(self)
        for fid, f in self.scene.fixtures.items():
            if f.dirty and f.surface:
                self.soil(fid, record=False)

    # ------------------------------------------------------------------ time
    # step(): WorldClock's (the controllers, then _advance, then the clock)
    def _advance(self) -> None:
        """One ``dt`` after the controllers: physics, then people and fault timers."""
        self._physics()
        self.fx.advance()

    def _apply_ctrl(self) -> None:
        d, a = self.data, self.act
        th = float(d.qpos[self.base_qpos[2]])
        # the base speeds up at BASE_ACCEL (a stop or a slow-down is applied at once): the stiff
        # velocity servos took 0 -> 1 m/s in a few ms and threw a held phone out of the jaws
        v, cur = self.cmd.v, 0.0 if self.cmd.v * self._v_drive < 0 else self._v_drive
        if abs(v) > abs(cur):
            v = math.copysign(min(abs(v), abs(cur) + BASE_ACCEL * self.model.opt.timestep), v)
        self._v_drive = v
        d.ctrl[a["base_x"]] = v * math.cos(th)
        d.ctrl[a["base_y"]] = v * math.sin(th)
        d.ctrl[a["base_yaw"]] = self.cmd.w
        for k, jn in enumerate(ARM_JOINTS):
            d.ctrl[a[jn]] = self.q_ref[k]
        for jn in FINGERS:
            if self.cmd.gripper_closed:
                # the jaws close at a finger speed, not in one servo jump: at the servo's own
                # ~1.8 m/s a finger moved 7 mm a step and popped up over a 12 mm phone's side
                # instead of pressing on it (the final squeeze is the same)
                q = float(d.qpos[self.finger_qpos[FINGERS.index(jn)]])
                step = GRIPPER_CLOSE_SPEED * self.model.opt.timestep
                d.ctrl[a[jn]] = max(min(0.0, q - MIN_GRIP / FINGER_KP), float(d.ctrl[a[jn]]) - step)
            else:
                d.ctrl[a[jn]] = FINGER_OPEN

    def _physics(self) -> None:
        h = self.dt / self.substeps
        if self.cmd.ee_target is not None:
            goal = self.ik(self.cmd.ee_target)
            cap = self.cmd.ee_cap
            self.cmd.qd = np.clip((goal - self.q_ref) / self.dt, -cap, cap)
        x0, y0 = self.x, self.y
        for _ in range(self.substeps):
            self.q_ref = np.clip(self.q_ref + self.cmd.qd * h, self.arm_range[:, 0], self.arm_range[:, 1])
            self._apply_ctrl()
            self.mj.mj_step(self.model, self.data)
        self.odometer += math.hypot(self.x - x0, self.y - y0)
        was = self.held
        self.held = self._held_now()
        if (was is not None and self.held is None and not self.cmd.gripper_closed
                and self.belief.get(was) not in self.people):
            # the robot opened its own hand: it knows where it let go (as the kinematic world's
            # open_gripper does), so a place by the VLA leaf is seen to succeed; a slip (the
            # jaws still closed) leaves the belief for perception to correct, and a hand-over
            # keeps the person the give recorded (the body is parked at their feet)
            self.belief[was] = self.place_of(was)
        self._wipe_contact()

    # --------------------------------------------------------------- sensing
    @property
    def x(self) -> float:
        return float(self.data.qpos[self.base_qpos[0]])

    @property
    def y(self) -> float:
        return float(self.data.qpos[self.base_qpos[1]])

    @property
    def theta(self) -> float:
        th = float(self.data.qpos[self.base_qpos[2]])
        return (th + math.pi) % (2 * math.pi) - math.pi

    @property
    def q(self) -> np.ndarray:
        return np.array(self.data.qpos[self.arm_qpos], dtype=float)

    def fk(self) -> tuple[float, float, float]:
        p = self.data.site_xpos[self.ee_site]
        return (float(p[0]), float(p[1]), float(p[2]))

    def obj_pos(self, oid: str) -> tuple[float, float, float]:
        p = self.data.xpos[self.obj_body[oid]]
        return (float(p[0]), float(p[1]), float(p[2]))

    def obj_half_height(self, oid: str) -> float:
        """Half the object's height as it lies now (upright or knocked over)."""
        rot = self.data.xmat[self.obj_body[oid]].reshape(3, 3)
        return vertical_half_extent(self.scene.objects[oid].type, rot)

    def contacts(self) -> list[tuple[int, int, np.ndarray]]:
        d = self.data
        return [(int(c.geom1), int(c.geom2), np.array(c.pos)) for c in d.contact[: d.ncon]]

    def _held_now(self) -> str | None:
        """The object both fingers touch while the gripper is closed (contact, not a weld)."""
        if not self.cmd.gripper_closed:
            return None
        touched: dict[str, set[int]] = {}
        for g1, g2, _ in self.contacts():
            for a, b in ((g1, g2), (g2, g1)):
                if a in self.finger_geoms and b in self.geom_obj:
                    touched.setdefault(self.geom_obj[b], set()).add(a)
        both = sorted(o for o, fs in touched.items() if len(fs) == 2)
        return both[0] if both else None

    def obstacle_distance(self) -> float:
        """Clearance to the nearest fault body ahead (passer-by, obstacle)."""
        return self.fx.obstacle_distance()

    def door_q(self, fid: str) -> float:
        info = self.doors[fid]
        return float(self.data.qpos[self.model.joint(info.joint).qposadr[0]])

    def handle_touch(self, fid: str) -> set[int]:
        """The finger geoms touching this door's handle now (a contact in ``data.contact``)."""
        h, out = self.handle_geoms[fid], set()
        for g1, g2, _ in self.contacts():
            for a, b in ((g1, g2), (g2, g1)):
                if a in self.finger_geoms and b == h:
                    out.add(a)
        return out

    def is_open(self, fixture: str) -> bool:
        """Doors: open when the joint is past the door's ``open_at`` (a lid: where it stays up
        by itself; the drawer: half its travel); no door counts as open."""
        spec = self.scene.fixtures.get(fixture)
        if spec is None:
            return False
        if fixture not in self.doors:
            return True
        return self.door_q(fixture) > self.doors[fixture].open_at

    def is_on(self, fixture: str) -> bool:
        st = self.fixtures.get(fixture)
        return bool(st and st.on)

    # ------------------------------------------------------------------- IK
    def ik(self, target: Any, finger_yaw: float | None = None, iters: int = 60) -> np.ndarray:
        """Damped least squares: arm joints putting the grasp point at ``target`` with the tool
        pointing down (and, given ``finger_yaw``, the jaws closing along that map angle).
        Starts from the commanded posture, so successive targets stay on one branch."""
        mj, m, s = self.mj, self.model, self._scratch
        tgt = np.asarray(target, dtype=float)
        s.qpos[:] = self.data.qpos
        q = self.q_ref.copy()
        bx, by, bt = self.x, self.y, self.theta
        want_yaw = math.atan2(tgt[1] - by, tgt[0] - bx) - bt
        if math.hypot(tgt[0] - bx, tgt[1] - by) > 0.2:
            q[0] = q[0] + ((want_yaw - q[0] + math.pi) % (2 * math.pi) - math.pi)
        jp, jr = np.zeros((3, m.nv)), np.zeros((3, m.nv))
        down = np.array([0.0, 0.0, -1.0])
        lam2 = 0.02**2
        for _ in range(iters):
            s.qpos[self.arm_qpos] = q
            mj.mj_kinematics(m, s)
            mj.mj_comPos(m, s)
            p = s.site_xpos[self.ee_site]
            tool = s.site_xmat[self.ee_site].reshape(3, 3)[:, 0]
            ep = tgt - p
            eo = np.cross(tool, down)
            if np.linalg.norm(ep) < 1e-3 and np.linalg.norm(eo) < 1e-2:
                break
            mj.mj_jacSite(m, s, jp, jr, self.ee_site)
            jac = np.vstack([jp[:, self.arm_dof], 0.5 * jr[:, self.arm_dof]])
            err = np.concatenate([ep, 0.5 * eo])
            dq = jac.T @ np.linalg.solve(jac @ jac.T + lam2 * np.eye(6), err)
            dq[3] -= 0.1 * q[3]  # keep the forearm roll near zero (posture, elbow up)
            q = np.clip(q + np.clip(dq, -0.3, 0.3), self.arm_range[:, 0], self.arm_range[:, 1])
        if finger_yaw is not None:
            q = self._align_jaws(q, finger_yaw)
        return q

    def _align_jaws(self, q: np.ndarray, finger_yaw: float) -> np.ndarray:
        """Turn the tool roll so the jaws close along ``finger_yaw`` (mod pi: they are symmetric)."""
        mj, m, s = self.mj, self.model, self._scratch
        best = (math.inf, q)
        for sign in (1.0, -1.0):
            qq = q.copy()
            s.qpos[self.arm_qpos] = qq
            mj.mj_kinematics(m, s)
            jaw = s.site_xmat[self.ee_site].reshape(3, 3)[:, 1]
            cur = math.atan2(jaw[1], jaw[0])
            delta = (finger_yaw - cur + math.pi / 2) % math.pi - math.pi / 2
            qq[5] = float(np.clip(qq[5] + sign * delta, *self.arm_range[5]))
            s.qpos[self.arm_qpos] = qq
            mj.mj_kinematics(m, s)
            jaw = s.site_xmat[self.ee_site].reshape(3, 3)[:, 1]
            err = abs((math.atan2(jaw[1], jaw[0]) - finger_yaw + math.pi / 2) % math.pi - math.pi / 2)
            if err < best[0]:
                best = (err, qq)
        return best[1]

    def fk_of(self, q: np.ndarray) -> tuple[float, float, float]:
        s = self._scratch
        s.qpos[:] = self.data.qpos
        s.qpos[self.arm_qpos] = q
        self.mj.mj_kinematics(self.model, s)
        p = s.site_xpos[self.ee_site]
        return (float(p[0]), float(p[1]), float(p[2]))

    def holding_torques(self) -> list[float]:
        """Gravity torques to hold the load: J^T of its weight at the grasp point, plus the arm's
        own (its links are compensated by the servos, counted as in the kinematic world)."""
        out = np.zeros(self.n_joints)
        out[1], out[2] = ARM_OWN_TORQUE, 0.4 * ARM_OWN_TORQUE
        if self.held is not None:
            jp = np.zeros((3, self.model.nv))
            self.mj.mj_jacSite(self.model, self.data, jp, None, self.ee_site)
            mass = float(self.model.body_mass[self.obj_body[self.held]])
            out += np.abs(jp[:, self.arm_dof].T @ np.array([0.0, 0.0, mass * GRAVITY]))
        return [round(float(v), 4) for v in out]

    # ----------------------------------------------------------------- dirt
    # soil() and dirt_left() are the kinematic world's (WorldDirt): the same seeded draw
    def _standing_on(self, fid: str) -> list[tuple[float, float]]:
        return [self.obj_pos(o)[:2] for o in self.scene.objects if self.place_of(o) == fid]

    def _wipe_contact(self) -> None:
        """Spots go where the hand touches a dirty surface (a contact of a hand geom with it)."""
        dirty = {self.fixture_geoms[f]: f for f, st in self.fixtures.items() if st.dirty and st.dirt}
        if not dirty:
            return
        for g1, g2, pos in self.contacts():
            for a, b in ((g1, g2), (g2, g1)):
                if a in self.hand_geoms and b in dirty:
                    fid = dirty[b]
                    st = self.fixtures[fid]
                    assert st.dirt is not None
                    if not in_contact(float(pos[2]), self.scene.fixtures[fid].height):
                        continue
                    if st.dirt.wipe(float(pos[0]), float(pos[1])) and st.dirt.clean:
                        st.dirty = False
                        self.record("state", "wiped", fixture=fid, by="contact")

    # ---------------------------------------------------------------- places
    # kind_of(), room_of() and robot_room() are the kinematic world's (EntityRooms)
    def _person_xy(self, pid: str) -> tuple[float, float]:
        p = self.people[pid]
        return (p["x"], p["y"])

    def _object_room(self, oid: str) -> str | None:
        x, y, _ = self.obj_pos(oid)
        return self.scene.room_at(x, y)

    def support_of(self, oid: str) -> tuple[str, str | None]:
        """(fixture, "on"/"in"), ("gripper", None) or ("floor", None): read from the body's pose."""
        if self.held == oid:
            return ("gripper", None)
        x, y, z = self.obj_pos(oid)
        hh = self.obj_half_height(oid)
        for fid, f in self.scene.fixtures.items():
            x0, y0, x1, y1 = f.rect
            if not (x0 - 0.02 <= x <= x1 + 0.02 and y0 - 0.02 <= y <= y1 + 0.02):
                continue
            if f.container and z < f.height + 0.02:
                return (fid, "in")
            if f.surface and abs(z - hh - f.height) < 0.05:
                return (fid, "on")
        return ("floor", None)

    def place_of(self, oid: str) -> str | None:
        loc, _ = self.support_of(oid)
        if loc == "floor":
            x, y, _z = self.obj_pos(oid)
            return self.scene.room_at(x, y)
        return loc

    def is_visible_truth(self, entity: str) -> bool:
        """Not inside a closed container (the lid hides it from every camera)."""
        if entity not in self.scene.objects:
            return self.kind_of(entity) is not None
        loc, rel = self.support_of(entity)
        return not (rel == "in" and not self.is_open(loc))

    # approach_pose(): the kinematic world's (EntityRooms); where to stand for an object is ours
    def _approach_object(
        self, target: str, believed: bool, ex: frozenset[Cell]
    ) -> tuple[float, float, float] | None:
        g = self.grid
        if self.held == target:
            return (self.x, self.y, self.theta)
        place = self.place_of(target)
        if believed and self.belief.get(target) != place:
            where = self.belief.get(target)
            return None if where is None or where == "gripper" else self.approach_pose(where)
        x, y, _ = self.obj_pos(target)
        if place in self.scene.fixtures:
            return g.approach_point(x, y, near=self.scene.fixtures[place].rect, exclude=ex)
        return g.approach_point(x, y, standoff=0.5, exclude=ex)

    def state_digest(self) -> dict[str, Any]:
        """Compact, deterministic world state for traces and tests (truth, rounded)."""
        objs = {}
        for oid in sorted(self.scene.objects):
            loc, rel = self.support_of(oid)
            x, y, _ = self.obj_pos(oid)
            objs[oid] = [loc, rel, round(x, 2), round(y, 2)]
        return {
            "t": round(self.t, 3),
            "robot": [round(self.x, 3), round(self.y, 3), round(self.theta, 3)],
            "arm": [round(float(v), 3) for v in self.q],
            "gripper": "closed" if self.cmd.gripper_closed else "open",
            "held": self.held,
            "objects": objs,
            "doors": {fid: round(self.door_q(fid), 3) for fid in sorted(self.doors)},
            "dirt": {fid: st.dirt.left for fid, st in sorted(self.fixtures.items()) if st.dirt is not None},
            "people": {pid: [round(p["x"], 2), round(p["y"], 2), p.get("phase", "")]
                       for pid, p in sorted(self.people.items()) if p["dynamic"]},
            "blocks": sorted(self.fx.blocks),
        }
