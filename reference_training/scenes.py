"""Training scenes for the reference policy: pick, place and wipe episodes in the simulated world.

The vocabulary (colours, types, surfaces, instruction templates), the held-out splits and the
seeded scene generators live here, so training, evaluation and the benchmarks draw the same
scenes from the same seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from executive.sim.world import GRASP_HEIGHT, ObjectState, SimWorld
from inference.encoding import ACTION_NAMES, STATE_NAMES
from inference.reference import REFERENCE_DIR

#: Where training ships the policy by default (the one reference-model path).
OUT = REFERENCE_DIR
CHUNK, ADIM, SDIM = 8, len(ACTION_NAMES), len(STATE_NAMES)
IMG = 48
VOCAB, MAX_LEN = 4096, 16
STEP = 0.04  # m per control step at most
HOVER = 0.10
TOL = 0.012

COLOUR_NAMES = ["red", "blue", "green", "yellow", "white", "black", "orange", "purple", "pink", "brown"]
TYPES = {"cup": "small", "bottle": "medium", "cube": "small", "bowl": "medium", "apple": "small",
         "book": "medium", "ball": "small", "can": "small", "box": "large", "mug": "small"}
SURFACES = ["counter", "stove", "kitchen_table", "coffee_table", "shelf", "bed", "nightstand", "desk",
            "sofa"]
TRAIN_TEMPLATES = ["pick up the {c} {t}", "grab the {c} {t}", "take the {c} {t}",
                   "pick the {c} {t} up", "get the {c} {t}"]
PARAPHRASES = ["please lift the {c} {t}", "could you fetch that {c} {t}",
               "i want you to collect the {c} {t}", "hand me the {t} that is {c}"]
# place: put the held object on a surface / in an open container ({on}: "on" or "in", {onto}:
# "onto" or "into", {f}: the fixture's words)
CONTAINERS = ["sink", "bin"]  # open containers of the scene
PLACE_FIXTURES = SURFACES + CONTAINERS
PLACE_TEMPLATES = ["put the {c} {t} {on} the {f}", "place the {c} {t} {on} the {f}",
                   "set the {c} {t} down {on} the {f}"]
PLACE_PARAPHRASES = ["leave the {c} {t} {on} the {f}", "could you drop the {t} {onto} the {f}",
                     "i want the {c} {t} {on} the {f} please", "rest the {t} that is {c} {on} the {f}"]
RELEASE = 0.05  # m above the place slot where the place expert opens the jaws
PLACE_HOVER = 0.10  # m above the release point while moving over it
# wipe: a surface with a patch of dirt spots (executive.sim.dirt); the target is the dirt's
# centre as the detection reports it; held-out = surfaces never wiped in training
WIPE_SURFACES = ["counter", "stove", "kitchen_table", "coffee_table", "shelf", "bed", "sofa"]
WIPE_HELD_OUT = ["desk", "nightstand"]
WIPE_TEMPLATES = ["wipe the {f}", "clean the {f}", "wipe down the {f}", "wipe the {f} clean"]
WIPE_PARAPHRASES = ["could you clean up the {f}", "please scrub the {f}",
                    "the {f} is dirty, wipe it", "get the dirt off the {f}"]
WIPE_HEIGHT = 0.01  # m above the top: the hand in contact (sim.dirt.CONTACT_BAND)
#: The wipe expert heads for the softmax-weighted spot (weights exp(-d^2 / 2 WIPE_SOFT^2)): the
#: nearest one in effect, but a label that varies smoothly with the hand's position, which a
#: regressed policy can fit (a hard arg-min jumps between spots and the fit averages them).
WIPE_SOFT = 0.02
#: Wipe scenes: objects stand at least this far (m) from every spot (sim.dirt.CLEARANCE for a
#: default patch), and the base as far as WIPE_BASE_MAX from the dirt's centre (a reach-in that
#: stalls at the fixture's edge: the leaf starts the policy up to REACH_GIVE_UP away).
WIPE_CLEARANCE, WIPE_BASE_MAX = 0.12, 0.85


def held_out_pairs() -> set[tuple[str, str]]:
    """Colour/type combinations never shown in training (every colour and type still is)."""
    pairs = set()
    types = list(TYPES)
    for i, c in enumerate(COLOUR_NAMES):
        pairs.add((c, types[(3 * i + 1) % len(types)]))
        pairs.add((c, types[(3 * i + 5) % len(types)]))
    return pairs


HELD_OUT = held_out_pairs()
SEEN = [(c, t) for c in COLOUR_NAMES for t in TYPES if (c, t) not in HELD_OUT]
UNSEEN = sorted(HELD_OUT)


# ---------------------------------------------------------------------------------------------
# Scenes


@dataclass
class Episode:
    """``pick``: ``target`` is the object to grasp. ``place``: ``target`` is the held object,
    ``fixture`` where it goes (``relation`` on/in) and ``goal`` the slot the leaf's detection
    reports (``world.slot_on``)."""

    world: SimWorld
    target: str
    instruction: str
    bias: np.ndarray
    task: str = "pick"
    fixture: str = ""
    relation: str = "on"
    goal: np.ndarray | None = None

    @property
    def entity(self) -> str:
        """What the leaf is given: the object (pick) or the fixture (place, wipe)."""
        return self.fixture if self.task in ("place", "wipe") else self.target


def _bare_world(rng: np.random.Generator, fixtures: list[str]) -> tuple[SimWorld, str]:
    """A seeded world with no objects, and the fixture a scene is built on (drawn from ``fixtures``)."""
    w = SimWorld(seed=int(rng.integers(1 << 30)))
    w.objects.clear()
    w.belief.clear()
    return w, fixtures[int(rng.integers(len(fixtures)))]


def make_scene(rng: np.random.Generator, combos: list[tuple[str, str]], templates: list[str],
               *, belief_noise: float, arm_random: bool, base_range: tuple[float, float] | None) -> Episode:
    w, fid = _bare_world(rng, SURFACES)
    f = w.scene.fixtures[fid]
    x0, y0, x1, y1 = f.rect
    m = 0.07
    colour, typ = combos[int(rng.integers(len(combos)))]
    tx, ty = rng.uniform(x0 + m, x1 - m), rng.uniform(y0 + m, y1 - m)
    placed = [(tx, ty)]
    w.objects["target"] = ObjectState("target", typ, colour, TYPES[typ], 0.3, fid, "on", tx, ty, f.height)
    for k in range(int(rng.integers(0, 4))):
        for _ in range(20):
            px = float(np.clip(tx + rng.uniform(-0.22, 0.22), x0 + m, x1 - m))
            py = float(np.clip(ty + rng.uniform(-0.22, 0.22), y0 + m, y1 - m))
            if all(math.hypot(px - a, py - b) > 0.1 for a, b in placed):
                break
        else:
            continue
        dc, dt = colour, typ
        while (dc, dt) == (colour, typ) or (dc == colour and TYPES[dt] == TYPES[typ]):
            dc = COLOUR_NAMES[int(rng.integers(len(COLOUR_NAMES)))]
            dt = list(TYPES)[int(rng.integers(len(TYPES)))]
        oid = f"distractor{k}"
        w.objects[oid] = ObjectState(oid, dt, dc, TYPES[dt], 0.3, fid, "on", px, py, f.height)
        placed.append((px, py))
    for oid in w.objects:
        w.belief[oid] = fid
    pose = w.grid.approach_point(tx, ty, near=f.rect)
    assert pose is not None
    bx, by = pose[0], pose[1]
    d = math.hypot(bx - tx, by - ty)
    if base_range is not None:  # the leaf's reach-in leaves the base within REACH_RANGE
        want = min(d, float(rng.uniform(*base_range)))
        bx, by = tx + (bx - tx) * want / d, ty + (by - ty) * want / d
    w.x, w.y, w.theta = bx, by, math.atan2(ty - by, tx - bx) + float(rng.uniform(-0.5, 0.5))
    if arm_random:
        off = (rng.uniform(-0.25, 0.25), rng.uniform(-0.25, 0.25), rng.uniform(0.03, 0.35))
        w.q = w.ik((tx + off[0], ty + off[1], f.height + GRASP_HEIGHT + off[2]))
    text = templates[int(rng.integers(len(templates)))].format(c=colour, t=typ)
    bias = np.zeros(3)
    bias[:2] = rng.normal(0.0, belief_noise, 2)
    return Episode(w, "target", text, bias)


def make_place_scene(rng: np.random.Generator, combos: list[tuple[str, str]], templates: list[str], *,
                     arm_random: bool, base_range: tuple[float, float] | None,
                     fixtures: list[str] | None = None) -> Episode:
    """The robot holds an object of a random colour/type (as after a pick) near a fixture
    (a surface or an open container) with 0-3 other objects on/in it; the goal is the first free
    slot there (``world.slot_on``, what the leaf's detection reports)."""
    w, fid = _bare_world(rng, fixtures or PLACE_FIXTURES)
    f = w.scene.fixtures[fid]
    relation = "in" if f.container else "on"
    z = f.height * 0.5 if f.container else f.height
    x0, y0, x1, y1 = f.rect
    m = 0.07
    colour, typ = combos[int(rng.integers(len(combos)))]
    (cx, cy), (fw, fd) = f.pose, f.size
    length = max(fw, fd)
    slots = [(cx - length / 2 + (k + 0.5) * length / max(1, int(length / 0.2)), cy) if fw >= fd else
             (cx, cy - length / 2 + (k + 0.5) * length / max(1, int(length / 0.2)))
             for k in range(min(4, max(1, int(length / 0.2))))]
    placed: list[tuple[float, float]] = []
    for k in range(int(rng.integers(0, 4))):
        for _ in range(20):
            if rng.random() < 0.5:  # a taken slot moves the goal along
                px, py = slots[int(rng.integers(len(slots)))]
            else:
                px, py = rng.uniform(x0 + m, x1 - m), rng.uniform(y0 + m, y1 - m)
            if all(math.hypot(px - a, py - b) > 0.1 for a, b in placed):
                break
        else:
            continue
        dc = COLOUR_NAMES[int(rng.integers(len(COLOUR_NAMES)))]
        dt = list(TYPES)[int(rng.integers(len(TYPES)))]
        oid = f"other{k}"
        w.objects[oid] = ObjectState(oid, dt, dc, TYPES[dt], 0.3, fid, relation, float(px), float(py), z)
        w.belief[oid] = fid
        placed.append((float(px), float(py)))
    w.objects["held"] = ObjectState("held", typ, colour, TYPES[typ], 0.3, "gripper", None, 0.0, 0.0, 0.0)
    w.held, w.gripper_closed = "held", True
    w.belief["held"] = "gripper"
    goal = np.asarray(w.slot_on(fid, "held"), np.float64)
    gx, gy = float(goal[0]), float(goal[1])
    pose = w.grid.approach_point(gx, gy, near=f.rect)
    assert pose is not None
    bx, by = pose[0], pose[1]
    d = math.hypot(bx - gx, by - gy)
    if base_range is not None:
        want = min(d, float(rng.uniform(*base_range)))
        bx, by = gx + (bx - gx) * want / d, gy + (by - gy) * want / d
    w.x, w.y, w.theta = bx, by, math.atan2(gy - by, gx - bx) + float(rng.uniform(-0.5, 0.5))
    if arm_random:
        off = (rng.uniform(-0.25, 0.25), rng.uniform(-0.25, 0.25), rng.uniform(0.0, 0.3))
        w.q = w.ik((gx + off[0], gy + off[1], goal[2] + RELEASE + off[2]))
    w.move_object("held", "gripper", None, tuple(w.fk()))
    words = fid.replace("_", " ")
    text = templates[int(rng.integers(len(templates)))].format(
        c=colour, t=typ, f=words, on=relation, onto="into" if relation == "in" else "onto")
    return Episode(w, "held", text, np.zeros(3), task="place", fixture=fid, relation=relation, goal=goal)


def make_wipe_scene(rng: np.random.Generator, surfaces: list[str], templates: list[str], *,
                    belief_noise: float, arm_random: bool, base_range: tuple[float, float] | None
                    ) -> Episode:
    """A surface with a patch of dirt spots (``SimWorld.soil``: 5-10 spots round a random centre)
    and 0-3 objects standing ``WIPE_CLEARANCE`` clear of it; the goal is the dirt's centre on the
    top (what the leaf's detection reports), perturbed by the per-episode belief bias. Given a
    ``base_range``, its upper end is widened to ``WIPE_BASE_MAX``."""
    w, fid = _bare_world(rng, surfaces)
    f = w.scene.fixtures[fid]
    x0, y0, x1, y1 = f.rect
    m = min(0.15, (x1 - x0) / 2 - 0.01, (y1 - y0) / 2 - 0.01)
    for _ in range(30):  # a centre the base can come within arm's range of (not mid-bed)
        cx, cy = float(rng.uniform(x0 + m, x1 - m)), float(rng.uniform(y0 + m, y1 - m))
        pose = w.grid.approach_point(cx, cy, near=f.rect)
        if pose is not None and math.hypot(pose[0] - cx, pose[1] - cy) <= 0.8:
            break
    patch = w.soil(fid, centre=(cx, cy), record=False)
    spots = patch.remaining()
    for k in range(int(rng.integers(0, 4))):
        px, py = float(rng.uniform(x0 + 0.07, x1 - 0.07)), float(rng.uniform(y0 + 0.07, y1 - 0.07))
        if float(np.hypot(*(spots - (px, py)).T).min()) < WIPE_CLEARANCE:
            continue
        dc = COLOUR_NAMES[int(rng.integers(len(COLOUR_NAMES)))]
        dt = list(TYPES)[int(rng.integers(len(TYPES)))]
        w.objects[f"other{k}"] = ObjectState(f"other{k}", dt, dc, TYPES[dt], 0.3, fid, "on", px, py, f.height)
        w.belief[f"other{k}"] = fid
    c = patch.centre()
    assert c is not None
    goal = np.array([c[0], c[1], f.height])
    pose = w.grid.approach_point(c[0], c[1], near=f.rect)
    assert pose is not None
    bx, by = pose[0], pose[1]
    d = math.hypot(bx - c[0], by - c[1])
    if base_range is not None:  # on the line from the dirt to the approach point, or beyond it
        want = float(rng.uniform(base_range[0], max(base_range[1], WIPE_BASE_MAX)))
        fx, fy = c[0] + (bx - c[0]) * want / d, c[1] + (by - c[1]) * want / d
        if want > d and w.grid.collides(fx, fy, w.scene.robot.radius):
            want = d
            fx, fy = bx, by
        bx, by = fx, fy
    w.x, w.y, w.theta = bx, by, math.atan2(c[1] - by, c[0] - bx) + float(rng.uniform(-0.5, 0.5))
    if arm_random:
        off = (rng.uniform(-0.25, 0.25), rng.uniform(-0.25, 0.25), rng.uniform(0.03, 0.35))
        w.q = w.ik((c[0] + off[0], c[1] + off[1], f.height + off[2]))
    text = templates[int(rng.integers(len(templates)))].format(f=fid.replace("_", " "))
    bias = np.zeros(3)
    bias[:2] = rng.normal(0.0, belief_noise, 2)
    return Episode(w, fid, text, bias, task="wipe", fixture=fid, goal=goal)


def make_task_scene(task: str, rng: np.random.Generator, combos: list[tuple[str, str]],
                    templates: list[str], *, belief_noise: float, arm_random: bool,
                    base_range: tuple[float, float] | None, surfaces: list[str] | None = None) -> Episode:
    """A scene for ``task``; wipe scenes draw their surface from ``surfaces`` (default: the
    training ones), the others their colour/type from ``combos``."""
    if task == "wipe":
        return make_wipe_scene(rng, surfaces or WIPE_SURFACES, templates, belief_noise=belief_noise,
                               arm_random=arm_random, base_range=base_range)
    if task == "place":
        return make_place_scene(rng, combos, templates, arm_random=arm_random, base_range=base_range)
    return make_scene(rng, combos, templates, belief_noise=belief_noise, arm_random=arm_random,
                      base_range=base_range)
