"""The reference policy on the MuJoCo world (``--world mujoco``): pick from rendered wrist frames.

Why a module of its own: the kinematic pipeline (``scenes``, ``experts``, ``dataset``) builds
:class:`executive.sim.world.SimWorld` scenes and copies them to label DAgger states; a physics
world is a compiled MuJoCo model, built once per scene (~0.7 s), so everything that touches it
lives here and the kinematic path (and its shipped model) stays as it was.

* **Scenes** (:func:`make_scene`): the household scene file with its objects replaced by a target
  of a random colour/type (the physics world's colours and the graspable types it builds the
  same way: cylinders, spheres, a cube) and 0-3 distractors on a random surface, the base at its
  approach point (facing the target within 0.5 rad), the arm where the VLA leaf's ``ready``
  phase leaves it (the hand near a point 0.08 m short of the target, 0.2 m above it) or at a
  random offset. The held-out set is colour/type pairs never shown (each colour and type is).
* **Expert** (:func:`expert`): stateless, in end-effector space from the true grasp point (the
  physics pick primitive's: ``executive.physics.manipulation``), so any state, including one the
  policy drove to, gets a label (DAgger needs no copy of the world): over the grasp point at
  hover height, down, close; closed on the object it holds still until the fingers' contact
  makes it held. A chunk (:func:`expert_chunk`) rolls it forward assuming perfect tracking.
* **Frames**: the wrist camera rendered by MuJoCo (EGL, 96x96, no shadows:
  ``executive.physics.render``), resized by the card to 48x48; the state is the engine
  contract's (believed target - ee, gripper closed, holding), the believed target being what
  the physics detector reports (the object's centre), perturbed in training by a per-episode
  bias so the last centimetres must come from the image.
* **Evaluation** (:func:`run_leaf_episode`): the real :class:`behaviours.vla.VLAPolicy` leaf on a
  :class:`executive.physics.backend.MujocoBackend` behind the safety gate (detect with the
  segmentation render, reach-in, ready, policy), lockstep, inline runner.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from inference.encoding import make_state
from reference_training.evaluate import ExpertEngine as _KinematicExpertEngine
from reference_training.experts import render_from
from reference_training.scenes import ADIM, CHUNK, STEP

#: The physics world's object colours (``executive.physics.model.COLOURS``, less silver, which
#: renders like white) and the types it builds rotation-symmetric or square (a top grasp needs
#: no jaw yaw) that fit the open jaws with margin; words the kinematic vocabulary also has, so
#: the word noise keeps them (``reference_training.model.protected_words``).
COLOURS = ["red", "blue", "green", "yellow", "white", "black"]
TYPES = ["cup", "bottle", "cube", "apple", "ball", "mug"]
#: Surfaces of the household a pick scene is built on: all but the shelf (1.2 m), where the hand,
#: pointing down, stops ~0.1 m short of an object 0.6 m out (the scripted expert timed out there).
SURFACES = ["counter", "stove", "kitchen_table", "coffee_table", "bed", "nightstand", "desk", "sofa"]
TRAIN_TEMPLATES = ["pick up the {c} {t}", "grab the {c} {t}", "take the {c} {t}",
                   "pick the {c} {t} up", "get the {c} {t}"]
PARAPHRASES = ["please lift the {c} {t}", "could you fetch that {c} {t}",
               "i want you to collect the {c} {t}", "hand me the {t} that is {c}"]
HOVER = 0.10  # m above the grasp point while moving over it
DESCEND_XY = 0.03  # m: within this of the grasp point (horizontally) the hand goes down
TOL_XY, TOL_Z = 0.015, 0.012  # at the grasp point: close (the open jaws leave ~2 cm a side)
HOLD_XY, HOLD_Z = 0.025, 0.025  # closed: keep closed while within this of it
MIN_GAP = 0.15  # m between object centres (the open jaws span 0.11 m)
MAX_REACH = 0.7  # m from the base's approach point to the target (the leaf's REACH_RANGE: 0.72)
SETTLE_STEPS = 3
#: Evaluation scenes (arm folded at home) start with the target this far (rad) off the base's
#: heading: dead ahead, the folded arm hides it from the head camera's segmentation render (the
#: physics detector's), so a scene built facing it would fail on NOT_FOUND before any policy ran.
HOME_HEADING = (0.45, 0.9)  # world steps (0.1 s each) for the objects to settle where they were put


def held_out_pairs() -> list[tuple[str, str]]:
    """Two types per colour never shown in training; each type is held out for two colours."""
    n = len(TYPES)
    return sorted({(c, TYPES[(i + k) % n]) for i, c in enumerate(COLOURS) for k in (1, 4)})


UNSEEN = held_out_pairs()
SEEN = [(c, t) for c in COLOURS for t in TYPES if (c, t) not in set(UNSEEN)]


@functools.cache
def _household() -> Any:
    """The packaged household scene, read once per process (scenes only copy it)."""
    from executive.sim.scene import load_scene

    return load_scene()


@functools.cache
def _grid_of_household() -> Any:
    """Its occupancy grid, built once (the objects do not enter it)."""
    from executive.sim.occupancy import OccupancyGrid

    return OccupancyGrid(_household())


def _grid(scene: Any) -> Any:
    return _grid_of_household()


def grasp_offset(otype: str) -> float:
    """Grasp point height above the object's centre: the physics pick primitive's rule (fingertips
    clear of the support, the jaws on the upper part of tall things)."""
    from executive.physics.manipulation import TIP
    from executive.physics.model import half_height

    hh = half_height(otype)
    return max(hh - 0.035, -hh + TIP + 0.008)


@dataclass
class Episode:
    """One scene on a physics world. Pick: ``target`` is the object to grasp (its id). Place:
    ``target`` is the held object, ``surface`` the fixture to put it on, ``goal`` the spot the
    leaf's detection of that fixture reports (:mod:`reference_training.mujoco_place`)."""

    world: Any
    target: str
    instruction: str
    bias: np.ndarray
    colour: str
    type: str
    surface: str
    task: str = "pick"
    relation: str = "on"
    goal: np.ndarray | None = None

    @property
    def entity(self) -> str:
        """What the leaf is told to act on: the object (pick) or the fixture (place)."""
        return self.surface if self.task == "place" else self.target

    def grasp_point(self) -> np.ndarray:
        x, y, z = self.world.obj_pos(self.target)
        return np.array([x, y, z + grasp_offset(self.type)])

    def release_point(self) -> np.ndarray:
        """Place: where the ee opens the jaws (the goal raised by the held type's lift)."""
        from reference_training.mujoco_place import lift

        assert self.goal is not None
        return self.goal + np.array([0.0, 0.0, lift(self.type)])

    def believed(self) -> np.ndarray:
        """What the leaf's detection reports (the object's centre; place: the free spot) plus
        the training bias."""
        if self.task == "place":
            assert self.goal is not None
            return self.goal + self.bias
        return np.asarray(self.world.obj_pos(self.target), np.float64) + self.bias

    def done(self) -> bool:
        """The rollout is over: picked (held), or placed (released, wherever it went)."""
        w = self.world
        return w.held == self.target if self.task == "pick" else w.held is None

    def succeeded(self) -> bool:
        w = self.world
        if self.task == "pick":
            return w.held == self.target
        return w.held is None and w.place_of(self.target) == self.surface

    def label(self, ee: np.ndarray, closed: bool) -> np.ndarray:
        """The expert's chunk for the state now (the true grasp / release point)."""
        if self.task == "place":
            from reference_training.mujoco_place import place_chunk

            return place_chunk(self.release_point() - ee, True)
        return expert_chunk(self.grasp_point() - ee, closed, False)


def run_ready(w: Any, tgt: np.ndarray) -> None:
    """What the VLA leaf's ready phase does from wherever the arm is: the hand to READY_BACK
    short of ``tgt`` (towards the base), READY_HEIGHT over it, within READY_RADIUS."""
    from behaviours.vla import READY_BACK, READY_HEIGHT, READY_MAX_TICKS, READY_RADIUS
    from executive.physics.backend import PhysicsActuators

    tgt = np.asarray(tgt, np.float64)
    toward = np.array([w.x, w.y]) - tgt[:2]
    toward /= max(float(np.linalg.norm(toward)), 1e-6)
    pre = (tgt[0] + READY_BACK * toward[0], tgt[1] + READY_BACK * toward[1], tgt[2] + READY_HEIGHT)
    act = PhysicsActuators(w)
    for _ in range(READY_MAX_TICKS):
        if float(np.hypot(*(np.asarray(w.fk())[:2] - tgt[:2]))) <= READY_RADIUS:
            break
        act.command_ee_target(pre)
        w.step()



def other_kind(rng: np.random.Generator, colour: str, typ: str) -> tuple[str, str]:
    """A distractor's colour and type: any pair but the target's (one rule for every scene)."""
    dc, dt = colour, typ
    while (dc, dt) == (colour, typ):
        dc = COLOURS[int(rng.integers(len(COLOURS)))]
        dt = TYPES[int(rng.integers(len(TYPES)))]
    return dc, dt


def world_with(base_scene: Any, objs: dict[str, Any], spots: dict[str, tuple[float, float]],
               height: float, rng: np.random.Generator) -> Any:
    """The physics world of ``base_scene`` holding ``objs``, each object in ``spots`` standing
    at rest on a surface of ``height`` (the scene's own placement is only approximate)."""
    from executive.physics.model import half_height
    from executive.physics.world import PhysicsWorld

    scene = base_scene.model_copy(update={"objects": objs, "people": {}})
    w = PhysicsWorld(scene=scene, seed=int(rng.integers(1 << 30)))
    d = w.data
    for oid, (px, py) in spots.items():
        qa = w.obj_qpos[oid]
        d.qpos[qa:qa + 7] = (px, py, height + half_height(objs[oid].type) + 0.002, 1.0, 0.0, 0.0, 0.0)
        dof = int(w.model.joint(f"obj_{oid}").dofadr[0])
        d.qvel[dof:dof + 6] = 0.0
    return w


def make_scene(rng: np.random.Generator, combos: list[tuple[str, str]], templates: list[str], *,
               belief_noise: float, arm: str, surfaces: list[str] | None = None) -> Episode:
    """A seeded pick scene. ``arm``: ``ready`` (where the leaf's ready phase leaves the hand),
    ``random`` (a random offset near the target), ``leaf`` (folded, then the leaf's ready phase
    run on it: where the policy starts in evaluation) or ``home`` (the folded posture, as the
    leaf finds it after a drive; evaluation, where the leaf's own ready phase then runs)."""
    from executive.physics.model import half_height
    from executive.sim.scene import ObjectSpec

    base_scene = _household()
    surfaces = surfaces or SURFACES
    fid = surfaces[int(rng.integers(len(surfaces)))]
    f = base_scene.fixtures[fid]
    x0, y0, x1, y1 = f.rect
    m = 0.08
    colour, typ = combos[int(rng.integers(len(combos)))]
    grid = _grid(base_scene)
    for _ in range(30):  # a spot the base can stand within arm's range of (not mid-bed)
        tx, ty = float(rng.uniform(x0 + m, x1 - m)), float(rng.uniform(y0 + m, y1 - m))
        pose = grid.approach_point(tx, ty, near=f.rect)
        if pose is not None and math.hypot(pose[0] - tx, pose[1] - ty) <= MAX_REACH:
            break
    objs = {"target": ObjectSpec(type=typ, colour=colour, on=fid, mass=0.2)}
    spots = {"target": (tx, ty)}
    for k in range(int(rng.integers(0, 4))):
        for _ in range(20):
            px = float(np.clip(tx + rng.uniform(-0.25, 0.25), x0 + m, x1 - m))
            py = float(np.clip(ty + rng.uniform(-0.25, 0.25), y0 + m, y1 - m))
            if all(math.hypot(px - a, py - b) > MIN_GAP for a, b in spots.values()):
                break
        else:
            continue
        dc, dt = other_kind(rng, colour, typ)
        oid = f"distractor{k}"
        objs[oid] = ObjectSpec(type=dt, colour=dc, on=fid, mass=0.2)
        spots[oid] = (px, py)
    w = world_with(base_scene, objs, spots, f.height, rng)
    d = w.data
    pose = w.grid.approach_point(tx, ty, near=f.rect)
    assert pose is not None, f"no approach point for {fid}"
    bx, by = pose[0], pose[1]
    if arm == "home":  # the target off to one side: the leaf turns to it (REACH_FACING)
        off = float(rng.uniform(*HOME_HEADING)) * (1.0 if rng.random() < 0.5 else -1.0)
    else:  # as the leaf leaves the base: facing the target within REACH_FACING
        off = float(rng.uniform(-0.45, 0.45))
    th = math.atan2(ty - by, tx - bx) + off
    d.qpos[w.base_qpos] = (bx, by, th)
    w.mj.mj_forward(w.model, d)
    if arm != "home":
        toward = np.array([bx - tx, by - ty])
        toward /= max(float(np.linalg.norm(toward)), 1e-6)
        z = f.height + half_height(typ)
        if arm == "ready":
            pre = np.array([tx + 0.08 * toward[0], ty + 0.08 * toward[1], z + 0.2]) + rng.normal(0, 0.03, 3)
        else:
            pre = np.array([tx + rng.uniform(-0.2, 0.2), ty + rng.uniform(-0.2, 0.2),
                            z + rng.uniform(0.04, 0.3)])
        q = w.ik(tuple(pre))
        d.qpos[w.arm_qpos] = q
        w.q_ref = q.copy()
    w.mj.mj_forward(w.model, d)
    for _ in range(SETTLE_STEPS):
        w.step()
    if arm == "leaf":  # what the VLA leaf's ready phase does from the folded arm
        run_ready(w, np.asarray(w.obj_pos("target")))
    w.belief = {oid: w.place_of(oid) for oid in w.scene.objects}
    text = templates[int(rng.integers(len(templates)))].format(c=colour, t=typ)
    bias = np.zeros(3)
    bias[:2] = rng.normal(0.0, belief_noise, 2)
    return Episode(w, "target", text, bias, colour, typ, fid)


def expert(rel: np.ndarray, closed: bool, holding: bool) -> np.ndarray:
    """The scripted pick expert from ``rel`` = grasp point - ee (m): one action (dx, dy, dz, gripper)."""
    a = np.zeros(ADIM, np.float32)
    if holding:
        a[2], a[3] = STEP, 1.0
        return a
    tol_xy, tol_z = (HOLD_XY, HOLD_Z) if closed else (TOL_XY, TOL_Z)
    n = float(np.hypot(rel[0], rel[1]))
    if n > DESCEND_XY:  # over it first, at hover height
        a[:2] = rel[:2] * min(1.0, STEP / n)
        a[2] = np.clip(rel[2] + HOVER, -STEP, STEP)
        return a
    # near: centre and descend together (a hold-still band here is where a policy that knows
    # the target to a centimetre only would hover forever)
    a[:2] = rel[:2]
    a[2] = np.clip(rel[2], -STEP, STEP)
    if n > tol_xy or abs(rel[2]) > tol_z:
        return a
    a[3] = 1.0
    return a


def expert_chunk(rel: np.ndarray, closed: bool, holding: bool) -> np.ndarray:
    """The expert's next ``CHUNK`` actions from ``rel`` (perfect tracking assumed): the label of a
    state, whoever drove there."""
    rel = np.asarray(rel, np.float64).copy()
    out = []
    for _ in range(CHUNK):
        a = expert(rel, closed, holding)
        out.append(a)
        rel = rel - a[:3]
        closed = bool(a[3] > 0.5)
    return np.asarray(out, np.float32)


def _frame(cams: Any) -> np.ndarray:
    return cams.rgb("wrist")


def rollout(ep: Episode, engine: Any = None, *, rng: np.random.Generator | None = None,
            max_steps: int = 60, perturb: float = 0.3) -> tuple[list[tuple], bool]:
    """Drive the arm with ``engine`` (the leaf's inline cadence: a new chunk every ``CHUNK // 2``
    steps, each action through the safety chain) or, with no engine, with the expert (a
    ``perturb`` share of its actions jittered so the data visit off-expert states); label every
    visited state with the task's expert chunk (:meth:`Episode.label`). Returns (rows, the task
    succeeded: the target grasped, or released onto the surface)."""
    from executive.physics.backend import PhysicsActuators
    from executive.physics.render import Cameras
    from inference.contract import Observation

    w = ep.world
    act, cams = PhysicsActuators(w), Cameras(w)
    believed = ep.believed()
    holding = ep.task == "place"
    chain = None
    if engine is not None:
        from inference.safety_chain import SafetyChain, SafetyConfig

        chain = SafetyChain(SafetyConfig.from_card(engine.card, max_rate=[0.04, 0.04, 0.04, 1.0],
                                                   max_age=10.0, min_confidence=0.0))
    closed, plan, k = holding, None, 0
    rows: list[tuple] = []
    try:
        for _ in range(max_steps):
            if ep.done():
                break
            ee = np.asarray(w.fk())
            st = make_state(believed, ee, closed, holding)
            full = _frame(cams)
            label = ep.label(ee, closed)
            rows.append((render_from(full), st, label))
            if engine is None:
                a = label[0].copy()
                if rng is not None and rng.random() < perturb:
                    a[:3] += rng.normal(0, 0.01, 3)
            else:
                if plan is None or k >= CHUNK // 2:
                    plan, k = engine.infer(Observation({"wrist": full}, ep.instruction, st, w.t)).actions, 0
                r = chain.check(plan[k], now=w.t, stamp=w.t, confidence=1.0, state=ee)
                k += 1
                a = r.action if r.ok else np.zeros(ADIM, np.float32)
                if not r.ok:
                    a[3] = float(closed)
            act.command_ee_target(tuple(ee + a[:3]))
            want = bool(a[3] > 0.5)
            if want != closed:
                closed = want
                act.command_gripper(closed)
            w.step()
    finally:
        cams.close()
    return rows, ep.succeeded()


def _collect(episodes: Any, run: Any) -> tuple[dict[str, np.ndarray], dict[str, list[int]]]:
    """Rows of (image, state, label) of each episode -> the training arrays, and per task that
    ran [successes, episodes, samples]: the kinematic world's collector, one episode an item."""
    from reference_training.dataset import _collect as collect

    data, tally = collect(((ep,) for ep in episodes), run)
    return data, {t: v for t, v in tally.items() if v[1]}


def _train_episodes(n: int, rng: np.random.Generator, belief_noise: float,
                    place_frac: float = 0.0) -> Any:
    """Training scenes: ``place_frac`` of them place scenes (1.0: all), the rest pick; the arm
    starts ready, at a random offset, or folded with the leaf's ready phase run on it."""
    from reference_training import mujoco_place

    for _ in range(n):
        place = place_frac >= 1.0 or (place_frac > 0.0 and rng.random() < place_frac)
        u = rng.random()
        arm = "ready" if u < 0.35 else "random" if u < 0.6 else "leaf"
        if place:
            yield mujoco_place.make_place_scene(rng, SEEN, mujoco_place.TEMPLATES,
                                                belief_noise=belief_noise, arm=arm)
        else:
            yield make_scene(rng, SEEN, TRAIN_TEMPLATES, belief_noise=belief_noise, arm=arm)


def dataset(n: int, seed: int, belief_noise: float, task: str = "pick"
            ) -> tuple[dict[str, np.ndarray], list[int]]:
    """``n`` expert demonstrations of ``task`` on seen pairs (only successful ones keep their
    rows); the tally is [successes, episodes, samples]."""
    rng = np.random.default_rng(seed)

    def run(ep: Episode) -> tuple[list[tuple], bool]:
        rows, ok = rollout(ep, None, rng=rng)
        return (rows if ok else []), ok

    data, tally = _collect(_train_episodes(n, rng, belief_noise, 1.0 if task == "place" else 0.0), run)
    return data, tally.get(task, [0, 0, 0])


def dagger_data(engine: Any, n: int, seed: int, belief_noise: float, place_frac: float = 0.0
                ) -> tuple[dict[str, np.ndarray], dict[str, list[int]]]:
    """``n`` closed-loop policy rollouts on fresh training scenes (``place_frac`` of them place),
    every state expert-labelled; the tally per task."""
    rng = np.random.default_rng(seed)
    return _collect(_train_episodes(n, rng, belief_noise, place_frac), lambda ep: rollout(ep, engine))


class LabellingEngine:
    """DAgger through the real leaf: wraps the policy's engine so that every observation the
    VLA leaf sends (its detection, its ready phase, its gate and runner cadence, its retries
    after a missed grasp) is recorded with the expert's label for the true state at that moment,
    while the leaf acts on the policy's chunk as in evaluation. Why: :func:`rollout` drives the
    arm with its own loop from starts near the target, so states the leaf reaches (the hand over
    the object after a grasp that closed on nothing, a short episode budget never runs into)
    were missing from the data, and the policy hovered there until the leaf timed out."""

    def __init__(self, engine: Any, episode: Episode) -> None:
        self.engine, self.episode = engine, episode
        self.card, self.name = engine.card, getattr(engine, "name", "labelled")
        self.rows: list[tuple] = []
        if hasattr(engine, "episode"):  # a scripted-expert engine is told its episode
            engine.episode = episode

    def infer(self, obs: Any) -> Any:
        ee = np.asarray(self.episode.world.fk())
        closed = bool(float(obs.state[3]) > 0.5)
        self.rows.append((render_from(obs.images["wrist"]), np.asarray(obs.state, np.float32),
                          self.episode.label(ee, closed)))
        return self.engine.infer(obs)


def leaf_dagger_data(engine: Any, n: int, seed: int, place_frac: float = 0.0
                     ) -> tuple[dict[str, np.ndarray], dict[str, list[int]]]:
    """``n`` episodes of the real VLA leaf driven by ``engine`` on evaluation-like training
    scenes (seen pairs, training templates, the arm folded at home with the target off the
    base's heading; ``place_frac`` of them place), every observation the leaf sent labelled by
    the expert (:class:`LabellingEngine`); the tally per task. Seeds differ from evaluation's."""
    from reference_training import mujoco_place

    rng = np.random.default_rng(seed)

    def episodes() -> Any:
        for _ in range(n):
            if place_frac > 0.0 and rng.random() < place_frac:
                yield mujoco_place.make_place_scene(rng, SEEN, mujoco_place.TEMPLATES,
                                                    belief_noise=0.0, arm="home")
            else:
                yield make_scene(rng, SEEN, TRAIN_TEMPLATES, belief_noise=0.0, arm="home")

    def run(ep: Episode) -> tuple[list[tuple], bool]:
        lab = LabellingEngine(engine, ep)
        res = run_leaf_episode(ep, lab)
        return lab.rows, bool(res["ok"])

    return _collect(episodes(), run)


# ---------------------------------------------------------------------------------------------
# Closed-loop evaluation through the real leaf on the MuJoCo backend


class ExpertEngine(_KinematicExpertEngine):
    """The scripted expert as an engine: the chunk from the believed target (exact at test time,
    so the ceiling of the scenes through the same leaf). Multi-task as the policy is: holding
    -> the place expert (the release height from the episode's held type). The engine's face
    (name, card, ``episode``) is the kinematic one's; only the expert differs."""

    def infer(self, obs: Any) -> Any:
        from inference.contract import ActionChunk

        st = np.asarray(obs.state, np.float64)
        assert self.episode is not None
        if st[4] > 0.5:
            from reference_training.mujoco_place import lift, place_chunk

            acts = place_chunk(st[:3] + np.array([0.0, 0.0, lift(self.episode.type)]), True)
        else:
            rel = st[:3] + np.array([0.0, 0.0, grasp_offset(self.episode.type)])
            acts = expert_chunk(rel, bool(st[3] > 0.5), False)
        return ActionChunk(acts, obs.stamp, 1.0, self.name, 0.0)


def run_leaf_episode(ep: Episode, engine: Any, *, max_ticks: int = 300, mode: str = "inline"
                     ) -> dict[str, Any]:
    """One episode of the VLA leaf (``ep.task``) on the MuJoCo backend; ok = the leaf succeeded
    and the world agrees (pick: the object is held; place: released and resting on the surface).
    ``mode``: the leaf's runner (``inline``, lockstep; ``async``, as in real time)."""
    from executive.physics.backend import MujocoBackend
    from reference_training.evaluate import drive_leaf

    backend = MujocoBackend(ep.world)
    try:
        status, leaf, t0 = drive_leaf(backend, ep.entity, ep.task, ep.instruction, engine, ep,
                                      relation=ep.relation if ep.task == "place" else None,
                                      max_ticks=max_ticks, mode=mode)
        ok = status is not None and status.value == "SUCCESS" and ep.succeeded()
        reason = leaf.reason.name if leaf.reason.name != "NONE" or ok else "NOT_DONE_IN_TICKS"
        return {"ok": ok, "reason": reason, "t": round(backend.now() - t0, 2)}
    finally:
        backend.cameras.close()


#: Seed offsets of the evaluation sets per task (pick keeps the pick-only card's scenes).
_TASK_SEED = {"pick": 0, "place": 104729}


def eval_scene(task: str, rng: np.random.Generator, combos: list[tuple[str, str]],
               templates: list[str]) -> Episode:
    """An evaluation scene: the arm folded at home, as after a drive (the leaf's ready phase runs)."""
    if task == "place":
        from reference_training.mujoco_place import make_place_scene

        return make_place_scene(rng, combos, templates, belief_noise=0.0, arm="home")
    return make_scene(rng, combos, templates, belief_noise=0.0, arm="home")


def eval_sets(task: str) -> dict[str, tuple[list[tuple[str, str]], list[str]]]:
    """The three sets of a task: seen pairs, held-out pairs (train templates), paraphrases (seen pairs)."""
    if task == "place":
        from reference_training.mujoco_place import PARAPHRASES as P_PARA
        from reference_training.mujoco_place import TEMPLATES as P_TRAIN

        train, para = P_TRAIN, P_PARA
    else:
        train, para = TRAIN_TEMPLATES, PARAPHRASES
    return {"seen": (SEEN, train), "held_out": (UNSEEN, train), "paraphrase": (SEEN, para)}


def evaluate(engine: Any, n: int, seed: int, sets: tuple[str, ...] = ("seen", "held_out", "paraphrase"),
             task: str = "pick") -> dict[str, Any]:
    """``n`` seeded leaf episodes per set of ``task``: seen pairs, held-out pairs, paraphrased
    instructions (seen pairs); the arm folded at home, as after a drive (the leaf's ready phase runs)."""
    out: dict[str, Any] = {}
    for i, (k, (combos, templates)) in enumerate(eval_sets(task).items()):
        if k not in sets:
            continue
        rng = np.random.default_rng(seed + _TASK_SEED[task] + 7919 * i)
        res = [run_leaf_episode(eval_scene(task, rng, combos, templates), engine) for _ in range(n)]
        fails: dict[str, int] = {}
        for r in res:
            if not r["ok"]:
                fails[r["reason"]] = fails.get(r["reason"], 0) + 1
        out[k] = {"success": round(float(np.mean([r["ok"] for r in res])), 3), "n": n,
                  "mean_time_s": round(float(np.mean([r["t"] for r in res if r["ok"]] or [0])), 2),
                  "failures": fails, "failed_episodes": [j for j, r in enumerate(res) if not r["ok"]]}
    return out
