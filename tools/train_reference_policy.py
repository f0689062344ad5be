"""Train, export and evaluate the reference VLA policy: pick, place, wipe (CPU, ~24 min; not a test).

    .venv/bin/python tools/train_reference_policy.py                # early, late, xattn; ship the best
    .venv/bin/python tools/train_reference_policy.py --fusions early --episodes 400 --place-episodes 300 \
        --epochs 10 --dagger-rounds 1 --dagger-episodes 150 --eval-episodes 20 \
        --out /tmp/trp --work /tmp/trp_work                            # a quick try (~2.5 min)

One multi-task policy: **pick** (the target is the object), **place** (the robot holds an
object; the target is the free slot on/in a fixture that the leaf's detection reports,
``world.slot_on``) and **wipe** (a surface with dirt spots, ``executive.sim.dirt``; the target is
the dirt's centre the detection reports, which spots are left only the camera shows; the expert
heads for the soft-nearest spot in contact, 1 cm above the top). The task is told apart by the
instruction's verb, the holding bit and what the camera sees. Held-out sets: colour/type pairs
(pick, place), surfaces never wiped (wipe). Word noise (``--word-noise``) drops or swaps every
word but the colours and types.

1. **Demonstrations** from a scripted expert in the simulated world: a random surface, a target
   object of random colour and type plus 0-3 distractors at random spots on it, the base within
   arm's range, the arm at home or at a random offset, an instruction from a template naming
   colour + type ("pick up the red cup"); place scenes (:func:`make_place_scene`): the robot
   holding an object of random colour/type near a surface or an open container (sink, bin) with
   0-3 other objects on/in it, the goal its first free slot, the instruction "put the red cup on
   the kitchen table" / "... in the sink" (and two more templates); the place expert moves over
   the slot, descends to ``RELEASE`` above it, opens and backs off upwards. The policy sees what
   the VLA leaf gives it (``behaviours.vla``): the 96x96 top-down gripper camera (resized to
   48x48 by the card), the instruction tokens (hash-bow-v1) and proprioception (believed target
   minus end effector, gripper closed, holding). The believed target is perturbed by a
   per-episode bias (perception error, ``--belief-noise``) so the last centimetres must come
   from the image. Labels: the expert's next 8 actions (dx, dy, dz, gripper). A pick demo ends
   when the object is held, so pick states never have holding = 1; place states always do until
   the release.
2. **Policy** (torch==2.13.0): a small CNN, an embedding bag over the instruction ids, and a fusion
   of ``early`` (concatenation), ``late`` (per-modality heads summed), ``xattn`` (cross-attention:
   the instruction + state embedding queries the CNN's feature-map cells) or ``film`` (the
   instruction modulates the CNN's channels) into an action-chunk head + a confidence head
   (trained to say low on corrupted camera frames). dx, dy, dz are regressed (smooth L1); the
   gripper is a classifier (BCE on a logit), exported as ``2 sigmoid - 1`` so the card's
   mean 0.5 / std 0.5 give P(closed) and closes are sharp.
3. **DAgger** (``--dagger-rounds``): the policy is rolled out closed loop as the leaf runs it
   (``inline``: a new chunk every 4 steps, each action through the safety chain) on fresh
   training scenes; every visited state is labelled with the expert's chunk from that state
   (rolled forward with the expert on a copy of the world); the data are aggregated and the
   policy fine-tuned on all of it. Pick, place and wipe scenes (``--dagger-place-frac``,
   ``--dagger-wipe-frac``), plus ``--dagger-async-episodes`` real-time-style pick rollouts
   (:func:`rollout_async`: frames lag the forecast state, as in the leaf's async mode).
4. **Export** ONNX (opset 17, legacy exporter) + card (``inference.card`` format) + dynamic INT8
   variant + a PyTorch twin ``model.pt2`` (``torch.export``; card variant ``torch``), checked
   against the ONNX model.
5. **Evaluate** closed loop through the real ``VLAPolicy`` leaf, safety gate and ONNX Runtime
   on seen colour/type combinations, held-out combinations and paraphrased instructions, with
   the scripted expert on the same scenes as the ceiling, for pick and for place (the leaf with
   ``task="place"``); INT8 vs FP32 success and latency.
   Writes ``REPORT.md`` + ``report.json`` beside the model.

Seeded: the same arguments give the same data, weights and figures.
"""
from __future__ import annotations

import argparse
import copy
import json
import math
import shutil
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from behaviours.vla import ACTION_NAMES, STATE_NAMES, make_state  # noqa: E402
from executive.sim.world import GRASP_HEIGHT, ObjectState, SimWorld  # noqa: E402

OUT = ROOT / "inference/models/reference"
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
TASKS = ("pick", "place", "wipe")


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


def approach(a: np.ndarray, ee: np.ndarray, point: np.ndarray, hover: float, *, up_too: bool) -> bool:
    """Both experts' motion into ``a``: over ``point`` at ``hover`` above it, then onto it
    (``up_too``: also up to it when below). True when there: ``a`` then holds the last small
    correction, to which the caller adds its gripper change."""
    exy = point[:2] - ee[:2]
    n = float(np.hypot(*exy))
    dz = point[2] - ee[2]
    if n > TOL:
        a[:2] = exy * min(1.0, STEP / n)
        a[2] = np.clip(point[2] + hover - ee[2], -STEP, STEP) if n > 0.03 else 0.0
        return False
    a[:2] = exy
    if -dz > TOL or (up_too and dz > TOL):
        a[2] = np.clip(dz, -STEP, STEP)
        return False
    a[2] = dz
    return True


def place_expert(ee: np.ndarray, release: np.ndarray, closed: bool, holding: bool) -> np.ndarray:
    """The scripted place expert: jaws closed, over the release point (``RELEASE`` above the
    slot) at hover height, down to it, open; once released, back off upwards with the jaws open."""
    a = np.zeros(ADIM, np.float32)
    if not holding:
        a[2] = STEP / 2
        return a
    a[3] = 0.0 if approach(a, ee, release, PLACE_HOVER, up_too=True) else 1.0
    return a


def expert(ee: np.ndarray, grasp: np.ndarray, closed: bool, holding: bool) -> np.ndarray:
    """The scripted expert: hover over the grasp point, descend, close."""
    a = np.zeros(ADIM, np.float32)
    if holding:
        a[2], a[3] = STEP, 1.0
        return a
    if closed:  # closed on nothing: open and back off upwards
        a[2] = STEP / 2
        return a
    a[3] = 1.0 if approach(a, ee, grasp, HOVER, up_too=False) else 0.0
    return a


def wipe_expert(ee: np.ndarray, spots: np.ndarray, top: float) -> np.ndarray:
    """The scripted wipe expert: the hand down to contact height (``WIPE_HEIGHT`` above the
    top) while it heads for the (soft) nearest spot left (the world's truth, ``spots`` (M, 2));
    the wiper takes each spot as it passes; when none is left, up. The jaws stay open."""
    a = np.zeros(ADIM, np.float32)
    if len(spots) == 0:
        a[2] = STEP / 2
        return a
    d = spots - ee[:2]
    d2 = (d * d).sum(1)
    w = np.exp(-(d2 - d2.min()) / (2 * WIPE_SOFT**2))  # soft nearest: smooth in ee, sharp in effect
    v = (w[:, None] * d).sum(0) / w.sum()
    n = float(np.hypot(*v))
    a[:2] = v * min(1.0, STEP / n) if n > 1e-9 else 0.0
    a[2] = np.clip(top + WIPE_HEIGHT - ee[2], -STEP, STEP)
    return a


def spots_left(w: SimWorld, fid: str) -> np.ndarray:
    st = w.fixtures[fid]
    return st.dirt.remaining() if st.dirt is not None else np.zeros((0, 2))


def expert_chunk(state: np.ndarray, task: str = "pick") -> np.ndarray:
    """The expert's chunk from the state alone (believed target exact, perfect tracking):
    the oracle engine of the tests and benchmarks. ``place``: the place expert; opening the
    jaws releases the object (holding ends)."""
    closed, holding = bool(state[3] > 0.5), bool(state[4] > 0.5)
    lift = RELEASE if task == "place" else GRASP_HEIGHT
    rel = state[:3].astype(np.float64) + np.array([0.0, 0.0, lift])
    out = []
    for _ in range(CHUNK):
        if task == "place":
            a = place_expert(np.zeros(3), rel, closed, holding)
            holding = holding and bool(a[3] > 0.5)
        else:
            a = expert(np.zeros(3), rel, closed, holding)
        out.append(a)
        rel = rel - a[:3]
        closed = bool(a[3] > 0.5)
    return np.asarray(out, np.float32)


def render_from(img: np.ndarray) -> np.ndarray:
    """The camera frame resized as the card's preprocessing does (nearest)."""
    ys = (np.arange(IMG) * img.shape[0] // IMG).astype(np.intp)
    return img[ys][:, ys]


def render(w: SimWorld, cam: Any) -> np.ndarray:
    return render_from(cam.image())


def demo(ep: Episode, rng: np.random.Generator, max_steps: int = 60) -> list[tuple] | None:
    if ep.task == "place":
        return demo_place(ep, rng, max_steps)
    if ep.task == "wipe":
        return demo_wipe(ep, rng)
    w = ep.world
    o = w.objects[ep.target]
    grasp = np.array([o.x, o.y, o.z + GRASP_HEIGHT])
    believed = np.array([o.x, o.y, o.z]) + ep.bias  # what detection reports: the object's base
    rows = _expert_rows(w, rng, believed, False, lambda ee, closed: expert(ee, grasp, closed, False),
                        lambda: w.held == ep.target, True, max_steps)
    if w.held != ep.target:
        return None
    return _with_tail(rows, expert(np.asarray(w.fk()), grasp, True, True))


def _expert_rows(w: SimWorld, rng: np.random.Generator, believed: np.ndarray, closed: bool,
                 act_of: Any, holding: Any, stop_when: bool, max_steps: int, done: Any = None
                 ) -> list[tuple]:
    """Run the expert ``act_of(ee, closed)`` until ``holding()`` is ``stop_when`` (or, given
    ``done``, until ``done()``): (frame, state, action) per step; 30 % of the executed actions
    are perturbed so the demonstrations visit off-expert states."""
    from executive.sim.camera import CameraRenderer
    from executive.sim.world import Actuators

    act, cam = Actuators(w), CameraRenderer(w)
    rows = []
    for _ in range(max_steps):
        ee = np.asarray(w.fk())
        held = bool(holding())
        if (done() if done is not None else held == stop_when):
            break
        a = act_of(ee, closed)
        rows.append((render(w, cam), make_state(believed, ee, closed, held), a))
        ex = a.copy()
        if rng.random() < 0.3:
            ex[:3] += rng.normal(0, 0.01, 3)
        act.command_ee_target(tuple(ee + ex[:3]))
        if (ex[3] > 0.5) != closed:
            closed = ex[3] > 0.5
            act.command_gripper(closed)
        w.step()
    return rows


def _with_tail(rows: list[tuple], tail: np.ndarray) -> list[tuple]:
    """Label each step with the expert's next CHUNK actions, padded with ``tail`` at the end."""
    acts = np.asarray([r[2] for r in rows])
    padded = np.concatenate([acts, np.repeat(tail[None], CHUNK, 0)])
    return [(f, st, padded[i : i + CHUNK]) for i, (f, st, _) in enumerate(rows)]


def demo_place(ep: Episode, rng: np.random.Generator, max_steps: int = 60) -> list[tuple] | None:
    """A place demonstration: rows until (and with) the release; None unless the object ended
    on/in the fixture. The label tails are the expert backing off with the jaws open."""
    w = ep.world
    assert ep.goal is not None
    release = ep.goal + np.array([0.0, 0.0, RELEASE])
    rows = _expert_rows(w, rng, ep.goal + ep.bias, True,
                        lambda ee, closed: place_expert(ee, release, closed, True),
                        lambda: w.held is not None, False, max_steps)
    if w.held is not None or w.objects[ep.target].location != ep.fixture:
        return None
    return _with_tail(rows, place_expert(np.asarray(w.fk()), release, False, False))


def demo_wipe(ep: Episode, rng: np.random.Generator, max_steps: int = 120) -> list[tuple] | None:
    """A wipe demonstration: rows until the surface is clean; None if it is not. The label
    tails are the expert lifting the hand off."""
    w, fid = ep.world, ep.fixture
    assert ep.goal is not None
    top = float(ep.goal[2])
    rows = _expert_rows(w, rng, ep.goal + ep.bias, False,
                        lambda ee, closed: wipe_expert(ee, spots_left(w, fid), top),
                        lambda: w.held is not None, True, max_steps, done=lambda: not w.fixtures[fid].dirty)
    if w.fixtures[fid].dirty:
        return None
    return _with_tail(rows, wipe_expert(np.asarray(w.fk()), np.zeros((0, 2)), top))


def _collect(items: Any, run: Any) -> tuple[dict[str, np.ndarray], dict[str, list[int]]]:
    """Rows of (image, state, label) per episode -> arrays. ``items`` yields tuples whose first
    element is the :class:`Episode`; ``run(*item)`` gives (rows, ok). Also returns, per task,
    [successes, episodes, samples]."""
    from inference.contract import HashTokenizer

    tok = HashTokenizer(VOCAB, MAX_LEN)
    imgs, toks, sts, acts, task_ids = [], [], [], [], []
    tally: dict[str, list[int]] = {t: [0, 0, 0] for t in TASKS}  # successes, episodes, samples
    for item in items:
        ep = item[0]
        rows, ok = run(*item)
        tally[ep.task][0] += int(ok)
        tally[ep.task][1] += 1
        tally[ep.task][2] += len(rows)
        ids = tok.encode(ep.instruction)
        for im, st, ac in rows:
            imgs.append(im)
            toks.append(ids)
            sts.append(st)
            acts.append(ac)
            task_ids.append(TASKS.index(ep.task))
    return ({"images": np.stack(imgs), "tokens": np.stack(toks), "state": np.stack(sts),
             "actions": np.stack(acts).astype(np.float32), "task": np.asarray(task_ids, np.int8)}, tally)


def dataset(n: int, seed: int, belief_noise: float, n_place: int = 0, n_wipe: int = 0
            ) -> dict[str, np.ndarray]:
    """``n`` pick demonstrations (seeded as before: the same pick data) + ``n_place`` place
    + ``n_wipe`` wipe demonstrations (each with their own seed)."""
    def episodes():
        rng = np.random.default_rng(seed)
        for _ in range(n):
            ep = make_scene(rng, SEEN, TRAIN_TEMPLATES, belief_noise=belief_noise,
                            arm_random=bool(rng.random() < 0.5), base_range=(0.35, 0.72))
            yield ep, rng
        prng = np.random.default_rng(seed + 31337)
        for _ in range(n_place):
            ep = make_place_scene(prng, SEEN, PLACE_TEMPLATES, arm_random=bool(prng.random() < 0.5),
                                  base_range=(0.35, 0.72))
            yield ep, prng
        wrng = np.random.default_rng(seed + 4242)
        for _ in range(n_wipe):
            ep = make_wipe_scene(wrng, WIPE_SURFACES, WIPE_TEMPLATES, belief_noise=belief_noise,
                                 arm_random=bool(wrng.random() < 0.5), base_range=(0.35, 0.72))
            yield ep, wrng

    def run(ep: Episode, rng: np.random.Generator) -> tuple[list[tuple], bool]:
        rows = demo(ep, rng)
        return (rows or []), rows is not None

    data, tally = _collect(episodes(), run)
    for t, (ok, k, rows) in tally.items():
        if k:
            print(f"{t} demos: {ok}/{k} expert successes, {rows} samples", flush=True)
    return data


# ---------------------------------------------------------------------------------------------
# DAgger: the policy drives, the expert labels every state it visits


def expert_label(w: SimWorld, target: str, grasp: np.ndarray, closed: bool, task: str = "pick") -> np.ndarray:
    """The expert's next ``CHUNK`` actions from the world's current state, rolled forward with
    the expert itself on a copy of the world (the real one is left untouched). ``place``:
    ``grasp`` is the release point, ``target`` the held object."""
    from executive.sim.world import Actuators

    g = copy.deepcopy(w, {id(w.scene): w.scene, id(w.grid): w.grid})
    act = Actuators(g)
    out = []
    for _ in range(CHUNK):
        ee = np.asarray(g.fk())
        if task == "wipe":  # target: the surface; grasp: the dirt's centre on its top
            a = wipe_expert(ee, spots_left(g, target), float(grasp[2]))
        elif task == "place":
            a = place_expert(ee, grasp, closed, g.held == target)
        else:
            a = expert(ee, grasp, closed, g.held == target)
        out.append(a)
        act.command_ee_target(tuple(ee + a[:3]))
        if (a[3] > 0.5) != closed:
            closed = bool(a[3] > 0.5)
            act.command_gripper(closed)
        g.step()
    return np.asarray(out, np.float32)


def rollout(ep: Episode, engine: Any, *, max_steps: int = 60) -> tuple[list[tuple], bool]:
    """Run ``engine`` closed loop the way the VLA leaf does in ``inline`` mode (a new chunk when
    half of the current one is spent, i.e. every ``CHUNK // 2`` steps; each action through the
    leaf's safety chain, commanded as ``ee + d`` and the gripper on ``d[3] > 0.5``) and label
    every visited state with :func:`expert_label`. Returns (rows, the target was grasped)."""
    from executive.sim.camera import CameraRenderer
    from executive.sim.world import Actuators
    from inference.contract import Observation
    from inference.safety_chain import SafetyChain, SafetyConfig

    w, act = ep.world, Actuators(ep.world)
    cam = CameraRenderer(w)
    place, wipe = ep.task == "place", ep.task == "wipe"
    label_target = ep.fixture if wipe else ep.target
    if wipe:
        assert ep.goal is not None
        grasp, believed = ep.goal, ep.goal + ep.bias
        max_steps = max(max_steps, 120)
    elif place:
        assert ep.goal is not None
        grasp = ep.goal + np.array([0.0, 0.0, RELEASE])  # the release point
        believed = ep.goal + ep.bias
    else:
        o = w.objects[ep.target]
        grasp = np.array([o.x, o.y, o.z + GRASP_HEIGHT])
        believed = np.array([o.x, o.y, o.z]) + ep.bias
    chain = SafetyChain(SafetyConfig.from_card(engine.card, max_rate=[0.04, 0.04, 0.04, 1.0],
                                               max_age=10.0, min_confidence=0.0))
    closed, plan, k = place, None, 0
    rows: list[tuple] = []
    for _ in range(max_steps):
        ee = np.asarray(w.fk())
        if (not w.fixtures[ep.fixture].dirty) if wipe else \
                (w.held is None) if place else (w.held == ep.target):
            break
        st = make_state(believed, ee, closed, w.held == ep.target)
        full = cam.image()
        rows.append((render_from(full), st, expert_label(w, label_target, grasp, closed, ep.task)))
        if plan is None or k >= CHUNK // 2:
            plan, k = engine.infer(Observation({"wrist": full}, ep.instruction, st, w.t)).actions, 0
        a = plan[k]
        k += 1
        r = chain.check(a, now=w.t, stamp=w.t, confidence=1.0, state=ee)
        if r.ok:
            act.command_ee_target(tuple(ee + r.action[:3]))
            want = bool(r.action[3] > 0.5)
            if want != closed:
                closed = want
                act.command_gripper(closed)
        w.step()
    if wipe:
        return rows, not w.fixtures[ep.fixture].dirty
    if place:
        return rows, w.held is None and w.objects[ep.target].location == ep.fixture
    return rows, w.held == ep.target


TRAIN_TEMPLATES_OF = {"pick": TRAIN_TEMPLATES, "place": PLACE_TEMPLATES, "wipe": WIPE_TEMPLATES}


def dagger_data(engine: Any, n: int, seed: int, belief_noise: float, place_frac: float = 0.0,
                wipe_frac: float = 0.0) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """``n`` closed-loop rollouts of the policy on fresh training scenes (a ``place_frac`` share
    of them place scenes, ``wipe_frac`` wipe scenes), expert-labelled. Returns the data and the
    policy's success per task."""
    rng = np.random.default_rng(seed)

    def episodes():
        for _ in range(n):
            u = rng.random()
            task = "place" if u < place_frac else "wipe" if u < place_frac + wipe_frac else "pick"
            yield (make_task_scene(task, rng, SEEN, TRAIN_TEMPLATES_OF[task],
                                   belief_noise=belief_noise, arm_random=bool(rng.random() < 0.5),
                                   base_range=(0.35, 0.72)),)

    data, tally = _collect(episodes(), lambda ep: rollout(ep, engine))
    return data, {t: round(ok / k, 3) for t, (ok, k, _) in tally.items() if k}


def rollout_async(ep: Episode, engine: Any, *, max_steps: int = 60) -> tuple[list[tuple], bool]:
    """A pick run the way the leaf runs the policy in real time (the executor of
    ``tools/bench_vla_tasks.py``: a chunk lands ``ASYNC_LATENCY_S`` after its request, a request
    when ``ASYNC_THRESHOLD`` actions are left, conditioned on the pose the committed plan reaches
    when the answer lands: the latency forecast). Every step is labelled as such a request would
    be: the frame *now* with the forecast pose's state, and the expert's chunk from that pose
    (:func:`expert_chunk`, exact target). Inline rollouts never show the policy a frame that lags
    its state; in real time every request does. Returns (rows, the target was grasped)."""
    from behaviours.vla import anchor_chunk
    from executive.sim.camera import CameraRenderer
    from executive.sim.world import Actuators
    from inference.contract import Observation
    from inference.safety_chain import SafetyChain, SafetyConfig

    w, act = ep.world, Actuators(ep.world)
    cam = CameraRenderer(w)
    o = w.objects[ep.target]
    base = np.array([o.x, o.y, o.z])
    believed = base + ep.bias
    chain = SafetyChain(SafetyConfig.from_card(engine.card, max_rate=[0.04, 0.04, 0.04, 1.0],
                                               max_age=10.0, min_confidence=0.0))
    lag = round(ASYNC_LATENCY_S / w.dt)
    plan: np.ndarray | None = None
    plan_t0, closed = 0, False
    pending: tuple[int, np.ndarray, int] | None = None
    rows: list[tuple] = []
    for now in range(max_steps):
        if w.held == ep.target:
            break
        ee = np.asarray(w.fk())
        if pending is not None and now >= pending[0]:
            plan, plan_t0, pending = pending[1], pending[2], None
        if plan is not None:
            j = min(now + lag - 1 - plan_t0, len(plan) - 1)
            start, c = plan[j, :3].astype(np.float64), bool(plan[j, 3] > 0.5)
        else:
            start, c = ee, closed
        full = cam.image()
        st = make_state(believed, start, c, False)
        rows.append((render_from(full), st, expert_chunk(make_state(base, start, c, False), "pick")))
        left = 0 if plan is None else len(plan) - (now - plan_t0)
        if pending is None and left <= ASYNC_THRESHOLD:
            chunk = engine.infer(Observation({"wrist": full}, ep.instruction, st, w.t)).actions
            pending = (now + lag, anchor_chunk(chunk, start), now + lag if plan is not None else now)
        if plan is None:
            act.stop()
            w.step()
            continue
        tgt = plan[min(now - plan_t0, len(plan) - 1)]
        r = chain.check(np.concatenate([tgt[:3] - ee, tgt[3:]]).astype(np.float32), now=w.t, stamp=w.t,
                        confidence=1.0, state=ee)
        if r.ok:
            act.command_ee_target(tuple(ee + r.action[:3]))
            if bool(r.action[3] > 0.5) != closed:
                closed = bool(r.action[3] > 0.5)
                act.command_gripper(closed)
        w.step()
    return rows, w.held == ep.target


def async_dagger_data(engine: Any, n: int, seed: int, belief_noise: float
                      ) -> tuple[dict[str, np.ndarray], float]:
    """``n`` real-time-style pick rollouts (:func:`rollout_async`) on fresh training scenes."""
    rng = np.random.default_rng(seed)

    def episodes():
        for _ in range(n):
            yield (make_scene(rng, SEEN, TRAIN_TEMPLATES, belief_noise=belief_noise,
                              arm_random=bool(rng.random() < 0.5), base_range=(0.35, 0.72)),)

    data, tally = _collect(episodes(), lambda ep: rollout_async(ep, engine))
    ok, k, _ = tally["pick"]
    return data, round(ok / max(k, 1), 3)


def concat(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([a[k], b[k]]) for k in a}


# ---------------------------------------------------------------------------------------------
# Model

IMG_MEAN, IMG_STD = (0.5, 0.5, 0.5), (0.25, 0.25, 0.25)
STATE_SCALE = np.array([0.5, 0.5, 0.3, 1.0, 1.0], np.float32)
FUSIONS = ("early", "late", "xattn", "film")
ACT_RANGE = 4.0  # continuous channels: tanh * ACT_RANGE, in units of the card's std


def build_model(fusion: str) -> Any:
    """The policy. ``forward(image, tokens, state) -> (actions, confidence)`` in the card's
    normalised units: dx, dy, dz as ``tanh * ACT_RANGE``; the gripper is a classifier, output
    as ``2 * sigmoid(logit) - 1`` so that the card's mean 0.5 / std 0.5 turn it into
    P(closed). :meth:`heads` gives the raw outputs for training."""
    import torch
    from torch import nn

    if fusion not in FUSIONS:
        raise ValueError(f"unknown fusion {fusion!r}; choose from {', '.join(FUSIONS)}")
    xd, heads, grid = 64, 4, 12  # cross-attention width, heads, key/value grid (c2's map)

    class Policy(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fusion = fusion
            self.c1 = nn.Conv2d(3, 16, 5, 2, 2)
            self.c2 = nn.Conv2d(16, 32, 3, 2, 1)
            self.c3 = nn.Conv2d(32, 32, 3, 2, 1)
            self.img = nn.Linear(32 * 6 * 6, 128)
            self.emb = nn.Embedding(VOCAB, 32, padding_idx=0)
            nn.init.normal_(self.emb.weight, 0.0, 0.05)
            with torch.no_grad():
                self.emb.weight[0].zero_()
            self.txt = nn.Linear(32, 64)
            self.st = nn.Linear(SDIM, 64)
            self.register_buffer("sscale", torch.from_numpy(STATE_SCALE))
            out = CHUNK * ADIM
            width = 128 + 64
            if fusion == "film":
                self.film = nn.Linear(64, 2 * (32 + 32))
            if fusion == "xattn":
                # keys/values: the 12x12 cells of c2's feature map + a learned positional
                # embedding + fixed (x, y) coordinates; the query: the instruction + state
                # embedding, one per head. The values carry the coordinates, so a head that
                # attends to the named object's cells reads off where it is (a soft arg-max).
                lin = torch.linspace(-1, 1, grid)
                ys, xs = torch.meshgrid(lin, lin, indexing="ij")
                self.register_buffer("coords", torch.stack([xs, ys])[None])
                self.pos = nn.Parameter(torch.randn(1, 32, grid, grid) * 0.1)
                self.kv = nn.Conv2d(32 + 2, 2 * xd, 1)
                self.q = nn.Linear(64 + 64, xd)
                self.attn_out = nn.Linear(xd, xd)
                width += 64 + xd
            if fusion == "late":
                self.vis_head = nn.Sequential(nn.Linear(128 + 64, 256), nn.ReLU(), nn.Linear(256, out + 1))
                self.txt_head = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, out + 1))
            else:
                width += 64 if fusion == "early" else 0
                self.head = nn.Sequential(nn.Linear(width, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                                          nn.Linear(256, out + 1))

        def attend(self, x2, t, s):
            b = x2.shape[0]
            cells = torch.cat([x2 + self.pos, self.coords.expand(b, -1, -1, -1)], 1)
            k, v = torch.split(self.kv(cells).flatten(2), [xd, xd], dim=1)  # (B, xd, N) each
            dh = xd // heads
            k = k.reshape(b, heads, dh, grid * grid)
            v = v.reshape(b, heads, dh, grid * grid)
            q = self.q(torch.cat([t, s], 1)).reshape(b, heads, 1, dh)
            w = torch.softmax(torch.matmul(q, k) * (1.0 / math.sqrt(dh)), dim=-1)  # (B, H, 1, N)
            o = torch.matmul(w, v.transpose(2, 3)).reshape(b, xd)
            return torch.relu(self.attn_out(o))

        def heads(self, image, tokens, state):
            mask = (tokens != 0).float().unsqueeze(-1)
            t = (self.emb(tokens) * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            t = torch.relu(self.txt(t))
            s = torch.relu(self.st(state / self.sscale))
            x = torch.relu(self.c1(image))
            if self.fusion == "film":
                g = self.film(t)
                g2, b2, g3, b3 = torch.split(g, [32, 32, 32, 32], dim=1)
                x = torch.relu(self.c2(x) * (1 + g2[:, :, None, None]) + b2[:, :, None, None])
                x = torch.relu(self.c3(x) * (1 + g3[:, :, None, None]) + b3[:, :, None, None])
                x2 = None
            else:
                x2 = torch.relu(self.c2(x))
                x = torch.relu(self.c3(x2))
            v = torch.relu(self.img(x.flatten(1)))
            if self.fusion == "late":
                y = self.vis_head(torch.cat([v, s], 1)) + self.txt_head(t)
            elif self.fusion == "early":
                y = self.head(torch.cat([v, t, s], 1))
            elif self.fusion == "xattn":
                y = self.head(torch.cat([v, self.attend(x2, t, s), t, s], 1))
            else:
                y = self.head(torch.cat([v, s], 1))
            a = y[:, :-1].reshape(-1, CHUNK, ADIM)
            return torch.tanh(a[:, :, :3]) * ACT_RANGE, a[:, :, 3], y[:, -1]

        def forward(self, image, tokens, state):
            cont, grip, conf = self.heads(image, tokens, state)
            actions = torch.cat([cont, (2.0 * torch.sigmoid(grip) - 1.0).unsqueeze(-1)], 2)
            return actions, torch.sigmoid(conf)

    return Policy()


def to_input(images: Any) -> Any:
    """uint8 (N, H, W, 3) tensor -> the card's normalised float CHW."""
    import torch

    x = images.permute(0, 3, 1, 2).float() * (1.0 / 255.0)
    mean = torch.tensor(IMG_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(IMG_STD).view(1, 3, 1, 1)
    return (x - mean) / std


def action_stats(data: dict[str, np.ndarray]) -> dict[str, list[float]]:
    acts = data["actions"].reshape(-1, ADIM)
    mean = acts.mean(0)
    std = np.maximum(acts.std(0), 1e-3)
    mean[3], std[3] = 0.5, 0.5  # the gripper: P(closed) = 0.5 + 0.5 * (2 sigmoid - 1)
    return {"mean": [float(v) for v in mean], "std": [float(v) for v in std]}


def _word_ids(words: list[str]) -> set[int]:
    from inference.contract import HashTokenizer

    tok = HashTokenizer(VOCAB, MAX_LEN)
    return {int(i) for w in words for i in tok.encode(w.replace("_", " ")) if i}


def protected_words() -> np.ndarray:
    """Token ids word noise never touches: the colours and object types (what a pick needs)."""
    return np.array(sorted(_word_ids(COLOUR_NAMES + list(TYPES))), np.int64)


def word_noise_pool() -> np.ndarray:
    """Token ids a noised instruction may draw from: the whole vocabulary except padding, the
    held-out wipe surfaces' words (noise never shows them in a wipe context) and the protected
    colour/type words."""
    banned = _word_ids(WIPE_HELD_OUT) | set(protected_words().tolist())
    return np.array([i for i in range(1, VOCAB) if i not in banned], np.int64)


def train(fusion: str, data: dict[str, np.ndarray], *, epochs: int, seed: int, norm: dict[str, list[float]],
          model: Any = None, lr: float = 2e-3, grip_weight: float = 1.0, tag: str = "",
          word_noise: float = 0.0) -> tuple[Any, dict]:
    """Train (or, given ``model``, fine-tune) on ``data``: smooth-L1 on the normalised dx, dy, dz,
    BCE on the gripper logit, BCE on the confidence (1 on real frames, 0 on noise frames).

    ``word_noise``: every word but the colours and object types is dropped with this probability,
    or as often swapped for a random token, in every task's samples: the policy must not hang on a
    surface's name it has not seen in that task (a wipe of the never-wiped nightstand hovered at
    the pick's grasp height without it), and, the noise being the same in every task, an unknown
    word says nothing about the task (noise on place/wipe samples only made the unknown verbs of
    pick paraphrases read as a wipe: 2 % paraphrase pick success)."""
    import torch
    from torch.nn import functional as nnf

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    mean, std = np.asarray(norm["mean"], np.float32), np.asarray(norm["std"], np.float32)
    if model is None:
        model = build_model(fusion)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    n, bs = len(data["actions"]), 256
    steps = epochs * math.ceil(n / bs)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    x_img = torch.from_numpy(data["images"])
    x_tok = torch.from_numpy(data["tokens"])
    x_st = torch.from_numpy(data["state"])
    acts = torch.from_numpy(data["actions"])
    y_cont = (acts[:, :, :3] - torch.from_numpy(mean[:3])) / torch.from_numpy(std[:3])
    y_grip = (acts[:, :, 3] > 0.5).float()
    s_noise = torch.tensor([0.004, 0.004, 0.004, 0.0, 0.0])
    keep = torch.from_numpy(protected_words())
    pool = torch.from_numpy(word_noise_pool())
    gen = torch.Generator().manual_seed(seed)
    t0 = time.perf_counter()
    losses, grip_losses = [], []
    for ep in range(epochs):
        perm = torch.from_numpy(rng.permutation(n))
        tot = tot_g = 0.0
        for i in range(0, n, bs):
            idx = perm[i : i + bs]
            img = to_input(x_img[idx])
            st = x_st[idx] + torch.randn(len(idx), SDIM) * s_noise
            tok = x_tok[idx]
            if word_noise > 0:
                u = torch.rand(tok.shape, generator=gen)
                hit = (tok != 0) & ~torch.isin(tok, keep)
                swap = pool[torch.randint(len(pool), tok.shape, generator=gen)]
                tok = torch.where(hit & (u < word_noise), torch.zeros_like(tok),
                                  torch.where(hit & (u < 2 * word_noise), swap, tok))
            cont, grip, conf = model.heads(img, tok, st)
            lx = nnf.smooth_l1_loss(cont, y_cont[idx], beta=0.1)
            lg = nnf.binary_cross_entropy_with_logits(grip, y_grip[idx])
            q = max(1, len(idx) // 4)  # corrupted frames -> low confidence
            noise = torch.rand(q, 3, IMG, IMG) * 4.0 - 2.0
            _, _, conf_bad = model.heads(noise, tok[:q], st[:q])
            lc = (nnf.binary_cross_entropy_with_logits(conf, torch.ones_like(conf))
                  + nnf.binary_cross_entropy_with_logits(conf_bad, torch.zeros_like(conf_bad)))
            opt.zero_grad()
            (lx + grip_weight * lg + 0.1 * lc).backward()
            opt.step()
            sched.step()
            tot += float(lx.detach()) * len(idx)
            tot_g += float(lg.detach()) * len(idx)
        losses.append(round(tot / n, 5))
        grip_losses.append(round(tot_g / n, 5))
        print(f"  [{fusion}{tag}] epoch {ep + 1}/{epochs} xyz loss {losses[-1]:.4f} "
              f"gripper bce {grip_losses[-1]:.4f}", flush=True)
    model.eval()
    return model, {"loss": losses, "grip_bce": grip_losses, "train_s": round(time.perf_counter() - t0, 1),
                   "samples": n, "params": sum(p.numel() for p in model.parameters())}


# ---------------------------------------------------------------------------------------------
# Export: ONNX (opset 17, legacy exporter) + INT8 variant + PyTorch twin (torch.export) + card


def make_card(fusion: str, norm: dict[str, list[float]], seed: int, metrics: dict, belief_noise: float,
              variants: dict[str, str]) -> Any:
    from inference.card import parse_card

    return parse_card({
        "name": "reference-vla",
        "version": "1.3.0",
        "min_opset": 17,
        "inputs": {
            "images": [{"name": "wrist", "size": [IMG, IMG], "layout": "CHW", "dtype": "float32",
                        "mean": list(IMG_MEAN), "std": list(IMG_STD)}],
            "instruction": {"name": "instruction", "kind": "tokens", "tokenizer": "hash-bow-v1",
                            "max_len": MAX_LEN, "vocab": VOCAB},
            "state": {"name": "state", "dim": SDIM, "names": list(STATE_NAMES)},
        },
        "outputs": {
            "action": {"name": "actions", "dim": ADIM, "chunk": CHUNK, "names": list(ACTION_NAMES),
                       "mean": [float(v) for v in norm["mean"]], "std": [float(v) for v in norm["std"]],
                       "low": [-0.05, -0.05, -0.05, 0.0], "high": [0.05, 0.05, 0.05, 1.0]},
            "confidence": "confidence",
        },
        "control_rate_hz": 10.0,
        "provenance": {
            "training_data": "scripted-expert demonstrations + DAgger (expert-labelled policy "
                             "rollouts) in the simulated household (tools/train_reference_policy.py)",
            "seed": seed,
            "metrics": {k: float(v) for k, v in metrics.items()},
            "notes": f"fusion={fusion}; camera: 96x96 top-down gripper view resized to {IMG}x{IMG}; "
                     f"state: {', '.join(STATE_NAMES)} (believed target - ee, m); training belief "
                     f"noise {belief_noise} m; gripper output = P(closed) (a classifier); tasks: pick "
                     f"(target = the object), place (target = the free slot on/in the fixture; "
                     f"holding = 1; opens {RELEASE} m above it), wipe (target = the centre of the "
                     f"dirt on the surface's top; the hand in contact {WIPE_HEIGHT} m above it)",
        },
        "variants": variants,
    })


def export(model: Any, fusion: str, norm: dict[str, list[float]], out_dir: Path, seed: int, metrics: dict,
           belief_noise: float) -> Path:
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from inference.card import dump_card

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "model.onnx"
    model.eval()
    args = (torch.zeros(1, 3, IMG, IMG), torch.zeros(1, MAX_LEN, dtype=torch.int64), torch.zeros(1, SDIM))
    with warnings.catch_warnings():  # torch >= 2.9 deprecates the legacy (TorchScript) exporter
        warnings.simplefilter("ignore", DeprecationWarning)
        names = ("wrist", "instruction", "state", "actions", "confidence")
        torch.onnx.export(model, args, str(path), dynamo=False, opset_version=17, input_names=list(names[:3]),
                          output_names=list(names[3:]), dynamic_axes={k: {0: "batch"} for k in names})
    m = onnx.load(str(path))
    m.producer_name = "tools/train_reference_policy.py"
    onnx.save(m, str(path))
    quantize_dynamic(str(path), str(out_dir / "model.int8.onnx"), weight_type=QuantType.QInt8)
    # the PyTorch twin: an ExportedProgram, called by inference.backends.torch_backend with the
    # card's inputs positionally at batch 1
    with torch.no_grad():
        prog = torch.export.export(model, args)
    torch.export.save(prog, str(out_dir / "model.pt2"))
    card = make_card(fusion, norm, seed, metrics, belief_noise,
                     {"int8": "model.int8.onnx", "torch": "model.pt2"})
    dump_card(card, out_dir / "model.card.yaml")
    return path


def twin_diff(d: Path, n: int = 8, seed: int = 0) -> dict[str, Any]:
    """Max |actions_torch - actions_onnx| (de-normalised, m / P(closed)) and |confidence| over
    ``n`` random observations, the twin loaded the way the executive loads it."""
    from inference.card import load_engine
    from inference.contract import Observation

    ort = load_engine(d / "model.onnx", "onnxruntime", intra_op_threads=1)
    tw = load_engine(d / "model.pt2", "torch", card=d / "model.card.yaml")
    rng = np.random.default_rng(seed)
    da = dc = 0.0
    words = ["pick up the red cup", "grab the blue bottle", "please lift the green bowl", "xyzzy"]
    for i in range(n):
        st = np.concatenate([rng.normal(0, 0.2, 3), rng.integers(0, 2, 2)]).astype(np.float32)
        obs = Observation({"wrist": rng.integers(0, 256, (96, 96, 3), dtype=np.uint8)}, words[i % len(words)],
                          st, 0.0)
        a, b = ort.infer(obs), tw.infer(obs)
        da = max(da, float(np.abs(a.actions - b.actions).max()))
        dc = max(dc, abs(a.confidence - b.confidence))
    return {"file": "model.pt2", "format": "torch.export ExportedProgram", "provider": tw.provider,
            "observations": n, "max_abs_diff_actions": float(f"{da:.3g}"),
            "max_abs_diff_confidence": float(f"{dc:.3g}"), "ok": bool(da <= 1e-4 and dc <= 1e-4)}


# ---------------------------------------------------------------------------------------------
# Closed-loop evaluation through the real leaf + gate + ONNX Runtime


def run_leaf_episode(ep: Episode, engine: Any, *, max_ticks: int = 300) -> dict[str, Any]:
    from behaviours.context import RunContext
    from behaviours.limits import LimitStack
    from behaviours.safety_gate import SafetyGate
    from behaviours.vla import VLAPolicy
    from executive.sim.backend import SimBackend

    backend = SimBackend(ep.world)
    limits = LimitStack()
    gate = SafetyGate(backend.actuators, limits, backend.now, backend.state)
    ports = backend.bind(gate)
    ctx = RunContext(ports=ports, limits=limits, clock=backend.now, gate=gate)
    leaf = VLAPolicy("vla", ep.entity, ep.task, ep.instruction, time_limit=25.0, relation=ep.relation)
    if isinstance(engine, ExpertEngine):
        engine.episode = ep
    leaf.setup(context=ctx, vla_engine=engine, vla_mode="inline")
    status = None
    t0 = backend.now()
    for _ in range(max_ticks):
        leaf.tick_once()
        status = leaf.status
        if status.value in ("SUCCESS", "FAILURE"):
            break
        backend.step(0.1)
    if ep.task == "wipe":
        done = not ep.world.fixtures[ep.fixture].dirty
    elif ep.task == "place":
        done = ep.world.held is None and ep.world.objects[ep.target].location == ep.fixture
    else:
        done = ep.world.held == ep.target
    ok = status is not None and status.value == "SUCCESS" and done
    reason = leaf.reason.name if leaf.reason.name != "NONE" or ok else "NOT_DONE_IN_TICKS"
    return {"ok": ok, "reason": reason, "t": round(backend.now() - t0, 2)}


class ExpertEngine:
    """The scripted expert as an engine (state -> :func:`expert_chunk`): the ceiling of the
    evaluation scenes through the same leaf (a scene it fails is out of reach for any policy).
    Multi-task as the policy is: holding (a pick is over once it holds) -> the place expert. A
    wipe needs the dirt left, which the state does not carry: for a wipe ``episode`` (set per
    episode) the chunk is :func:`expert_label` on its world, which is the world now (inline)."""

    name = "scripted-expert"
    provider = "python"

    def __init__(self, card: Any) -> None:
        self.card = card
        self.episode: Episode | None = None

    def infer(self, obs: Any) -> Any:
        from inference.contract import ActionChunk

        st = np.asarray(obs.state)
        ep = self.episode
        if ep is not None and ep.task == "wipe":
            assert ep.goal is not None
            acts = expert_label(ep.world, ep.fixture, ep.goal, bool(st[3] > 0.5), "wipe")
        else:
            acts = expert_chunk(st, "place" if st[4] > 0.5 else "pick")
        return ActionChunk(acts, obs.stamp, 1.0, self.name, 0.0)


def evaluate(engine: Any, n: int, seed: int, task: str = "pick") -> dict[str, Any]:
    """``n`` seeded leaf episodes per set (seen / held-out colour-type pairs / paraphrases)."""
    train, para = {"place": (PLACE_TEMPLATES, PLACE_PARAPHRASES),
                   "wipe": (WIPE_TEMPLATES, WIPE_PARAPHRASES)}.get(task, (TRAIN_TEMPLATES, PARAPHRASES))
    # wipe: held-out = surfaces never wiped in training; pick/place: colour/type pairs
    sets = {"seen": (SEEN, train, WIPE_SURFACES), "held_out": (UNSEEN, train, WIPE_HELD_OUT),
            "paraphrase": (SEEN, para, WIPE_SURFACES)}
    base = seed + {"place": 104729, "wipe": 224737}.get(task, 0)
    out: dict[str, Any] = {}
    for i, (k, (combos, templates, surfaces)) in enumerate(sets.items()):
        rng = np.random.default_rng(base + 7919 * i)
        res = [run_leaf_episode(make_task_scene(task, rng, combos, templates, belief_noise=0.0,
                                                arm_random=False, base_range=None, surfaces=surfaces),
                                engine)
               for _ in range(n)]
        ok = [r["ok"] for r in res]
        fails: dict[str, int] = {}
        for r in res:
            if not r["ok"]:
                fails[r["reason"]] = fails.get(r["reason"], 0) + 1
        out[k] = {"success": round(float(np.mean(ok)), 3), "n": n,
                  "mean_time_s": round(float(np.mean([r["t"] for r in res if r["ok"]] or [0])), 2),
                  "failures": fails, "failed_episodes": [j for j, r in enumerate(res) if not r["ok"]]}
    return out


def latency(engine: Any, reps: int = 300) -> dict[str, float]:
    from inference.contract import Observation

    rng = np.random.default_rng(0)
    obs = Observation({"wrist": rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)}, "pick up the red cup",
                      rng.normal(0, 0.1, SDIM).astype(np.float32), 0.0)
    for _ in range(20):
        engine.infer(obs)
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        engine.infer(obs)
        ts.append(time.perf_counter() - t)
    return {"p50_ms": round(float(np.percentile(ts, 50)) * 1e3, 3),
            "p95_ms": round(float(np.percentile(ts, 95)) * 1e3, 3)}


#: The async check: the leaf's real-time way of running the policy, with this modelled latency.
ASYNC_LATENCY_S, ASYNC_THRESHOLD = 0.3, 6


def evaluate_async(engine: Any, n: int, seed: int) -> dict[str, Any]:
    """Pick on seen scenes through the async executor of ``tools/bench_vla_tasks.py`` (chunks
    land ``ASYNC_LATENCY_S`` after the request, latency forecast, a request when
    ``ASYNC_THRESHOLD`` actions are left): in real time the policy runs like this, executing the
    later actions of each chunk, which a policy can be worse at than the inline evaluation shows."""
    sys.path.insert(0, str(ROOT / "tools"))
    import bench_vla_tasks as bvt

    rng = np.random.default_rng(seed)
    res = [bvt.episode(engine, make_scene(rng, SEEN, TRAIN_TEMPLATES, belief_noise=0.0, arm_random=True,
                                          base_range=(0.35, 0.72)),
                       "async", ASYNC_LATENCY_S, 0, ASYNC_THRESHOLD, 30.0) for _ in range(n)]
    ok = [r["t"] for r in res if r["ok"]]
    return {"success": round(len(ok) / n, 3), "n": n,
            "mean_time_s": round(float(np.mean(ok)), 2) if ok else None}


def score(ev: dict[str, Any], ev_async: dict[str, Any] | None = None) -> tuple[float, float, float]:
    """Ranking of the fusions (``ev``: task -> set -> result): the sum of the success rates of
    every set of every task plus the async pick success, then the seen sets', then the faster
    mean completion time."""
    sets = [v for t in ev.values() for v in t.values()]
    seen = sum(t["seen"]["success"] for t in ev.values())
    extra = ev_async["success"] if ev_async else 0.0
    return (round(sum(v["success"] for v in sets) + extra, 3), round(seen, 3),
            -round(float(np.mean([v["mean_time_s"] for v in sets])), 2))


def evaluate_tasks(engine: Any, n: int, seed: int, tasks: tuple[str, ...] = TASKS) -> dict[str, Any]:
    return {t: evaluate(engine, n, seed, t) for t in tasks}


def fit_fusion(fusion: str, demos: dict[str, np.ndarray], norm: dict[str, list[float]],
               args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    """Behaviour cloning on the demos, then ``--dagger-rounds`` of DAgger: roll the policy out
    (as the leaf runs it) on fresh training scenes, label every visited state with the expert's
    chunk, aggregate, fine-tune on everything so far."""
    from inference.backends.torch_backend import TorchEngine

    t0 = time.perf_counter()
    model, st = train(fusion, demos, epochs=args.epochs, seed=args.seed, norm=norm, lr=args.lr,
                      grip_weight=args.grip_weight, word_noise=args.word_noise)
    info: dict[str, Any] = {"bc": st, "dagger": []}
    data = demos
    card = make_card(fusion, norm, args.seed, {}, args.belief_noise, {})
    for r in range(args.dagger_rounds):
        t1 = time.perf_counter()
        eng = TorchEngine(card, model, name=f"{fusion}-dagger{r}")
        new, rate = dagger_data(eng, args.dagger_episodes, args.seed + 5003 * (r + 1), args.belief_noise,
                                args.dagger_place_frac, args.dagger_wipe_frac)
        data = concat(data, new)
        n_async, rate_async = 0, None
        if args.dagger_async_episodes:
            extra, rate_async = async_dagger_data(eng, args.dagger_async_episodes,
                                                  args.seed + 7001 * (r + 1), args.belief_noise)
            data, n_async = concat(data, extra), len(extra["actions"])
        print(f"  [{fusion}] DAgger round {r + 1}: policy success on {args.dagger_episodes} training "
              f"scenes {rate} (real-time pick {rate_async}); +{len(new['actions'])} + {n_async} "
              f"labelled states -> {len(data['actions'])}", flush=True)
        collect_s = round(time.perf_counter() - t1, 1)
        model, st = train(fusion, data, epochs=args.dagger_epochs, seed=args.seed + r + 1, norm=norm,
                          model=model, lr=args.dagger_lr, grip_weight=args.grip_weight,
                          tag=f" dagger {r + 1}", word_noise=args.word_noise)
        info["dagger"].append({"round": r + 1, "episodes": args.dagger_episodes,
                               "policy_success": rate, "async_pick_success": rate_async,
                               "new_async_samples": n_async,
                               "new_samples": len(new["actions"]), "samples": len(data["actions"]),
                               "new_place_samples": int((new["task"] == 1).sum()),
                               "new_wipe_samples": int((new["task"] == 2).sum()),
                               "collect_s": collect_s, **st})
    last = info["dagger"][-1] if info["dagger"] else st
    info.update(params=st["params"], loss=last["loss"], grip_bce=last["grip_bce"],
                train_s=round(time.perf_counter() - t0, 1), samples=len(data["actions"]))
    return model, info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fusions", default="early,late,xattn", help=f"comma list of {', '.join(FUSIONS)}")
    ap.add_argument("--episodes", type=int, default=800, help="pick demonstration episodes")
    ap.add_argument("--place-episodes", type=int, default=600, help="place demonstration episodes")
    ap.add_argument("--wipe-episodes", type=int, default=500, help="wipe demonstration episodes")
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--grip-weight", type=float, default=1.0, help="weight of the gripper BCE")
    ap.add_argument("--dagger-rounds", type=int, default=3)
    ap.add_argument("--dagger-episodes", type=int, default=400, help="policy rollouts per DAgger round")
    ap.add_argument("--dagger-place-frac", type=float, default=0.25,
                    help="share of place scenes among the DAgger rollouts")
    ap.add_argument("--dagger-wipe-frac", type=float, default=0.4,
                    help="share of wipe scenes among the DAgger rollouts")
    ap.add_argument("--dagger-async-episodes", type=int, default=150,
                    help="real-time-style pick rollouts per DAgger round (frames lag the forecast state)")
    ap.add_argument("--dagger-epochs", type=int, default=4, help="fine-tuning epochs per DAgger round")
    ap.add_argument("--dagger-lr", type=float, default=1e-3)
    ap.add_argument("--eval-episodes", type=int, default=50)
    ap.add_argument("--belief-noise", type=float, default=0.01)
    ap.add_argument("--word-noise", type=float, default=0.15,
                    help="P(drop a word) = P(swap it for a random token); colours and types are kept")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--work", type=Path, default=ROOT / "logs/train_reference")
    args = ap.parse_args(argv)
    fusions = [f.strip() for f in args.fusions.split(",") if f.strip()]
    for f in fusions:
        if f not in FUSIONS:
            ap.error(f"unknown fusion {f!r}; choose from {', '.join(FUSIONS)}")

    import torch

    from inference.card import load_engine

    torch.set_num_threads(args.threads)
    t_start = time.perf_counter()
    cache = args.work / (f"data_e{args.episodes}_p{args.place_episodes}_w{args.wipe_episodes}_s{args.seed}"
                         f"_n{args.belief_noise}.npz")
    if cache.exists():
        with np.load(cache) as z:
            demos = {k: z[k] for k in z.files}
    else:
        demos = dataset(args.episodes, args.seed, args.belief_noise, args.place_episodes, args.wipe_episodes)
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(cache, **demos)
    norm = action_stats(demos)
    results: dict[str, Any] = {}
    expert_ev = None
    for fusion in fusions:
        print(f"training {fusion}", flush=True)
        model, info = fit_fusion(fusion, demos, norm, args)
        d = args.work / fusion
        if d.exists():
            shutil.rmtree(d)
        export(model, fusion, norm, d, args.seed, {}, args.belief_noise)
        fp32 = load_engine(d / "model.onnx", "onnxruntime", intra_op_threads=1)
        if expert_ev is None:
            expert_ev = evaluate_tasks(ExpertEngine(fp32.card), args.eval_episodes, args.seed + 1000)
        t1 = time.perf_counter()
        ev = evaluate_tasks(fp32, args.eval_episodes, args.seed + 1000)
        ev_async = evaluate_async(fp32, args.eval_episodes, args.seed + 2000)
        results[fusion] = {"train": info, "eval_fp32": ev, "eval_async": ev_async,
                           "eval_s": round(time.perf_counter() - t1, 1),
                           "latency_fp32": latency(fp32),
                           "size_kb": round((d / "model.onnx").stat().st_size / 1024, 1)}
        print(json.dumps({fusion: {t: {k: {"success": v["success"], "failures": v["failures"]}
                                       for k, v in e.items()} for t, e in ev.items()}}), flush=True)
    best = max(results, key=lambda f: score(results[f]["eval_fp32"], results[f]["eval_async"]))
    d = args.work / best
    int8 = load_engine(d / "model.onnx", "onnxruntime", variant="int8", intra_op_threads=1)
    b = results[best]
    b["eval_int8"] = evaluate_tasks(int8, args.eval_episodes, args.seed + 1000)
    b["latency_int8"] = latency(int8)
    b["size_int8_kb"] = round((d / "model.int8.onnx").stat().st_size / 1024, 1)
    b["size_pt2_kb"] = round((d / "model.pt2").stat().st_size / 1024, 1)
    b["twin"] = twin_diff(d)
    twin_eng = load_engine(d / "model.pt2", "torch", card=d / "model.card.yaml")
    b["latency_torch"] = latency(twin_eng)
    print(json.dumps({"twin": b["twin"]}), flush=True)
    ev = b["eval_fp32"]
    metrics = {f"{t}_success_{k}": v["success"] for t, e in ev.items() for k, v in e.items()}
    metrics.update({f"{t}_int8_success_{k}": v["success"] for t, e in b["eval_int8"].items()
                    for k, v in e.items()})
    # copy the chosen model into the shipped folder with its metrics in the card
    args.out.mkdir(parents=True, exist_ok=True)
    shipped = ("model.onnx", "model.int8.onnx", "model.pt2", "model.card.yaml")
    for f in shipped:
        (args.out / f).unlink(missing_ok=True)
    for f in shipped[:3]:
        shutil.copy(d / f, args.out / f)
    from inference.card import dump_card, load_card

    card = load_card(d / "model.card.yaml")
    prov = card.provenance.model_copy(update={"metrics": metrics})
    dump_card(card.model_copy(update={"provenance": prov}), args.out / "model.card.yaml")
    report = {"chosen": best, "seed": args.seed, "episodes": args.episodes,
              "place_episodes": args.place_episodes, "dagger_place_frac": round(args.dagger_place_frac, 3),
              "wipe_episodes": args.wipe_episodes, "dagger_wipe_frac": round(args.dagger_wipe_frac, 3),
              "epochs": args.epochs, "tasks": list(TASKS),
              "dagger_rounds": args.dagger_rounds, "dagger_episodes": args.dagger_episodes,
              "dagger_epochs": args.dagger_epochs, "grip_weight": args.grip_weight, "threads": args.threads,
              "word_noise": args.word_noise, "dagger_async_episodes": args.dagger_async_episodes,
              "belief_noise_train_m": args.belief_noise, "eval_episodes_per_set": args.eval_episodes,
              "demo_samples": len(demos["actions"]), "demo_place_samples": int((demos["task"] == 1).sum()),
              "held_out_pairs": [list(p) for p in UNSEEN],
              "paraphrase_templates": PARAPHRASES, "train_templates": TRAIN_TEMPLATES,
              "place_train_templates": PLACE_TEMPLATES, "place_paraphrase_templates": PLACE_PARAPHRASES,
              "place_fixtures": PLACE_FIXTURES, "place_release_m": RELEASE,
              "demo_wipe_samples": int((demos["task"] == 2).sum()),
              "wipe_surfaces": WIPE_SURFACES, "wipe_held_out_surfaces": WIPE_HELD_OUT,
              "wipe_train_templates": WIPE_TEMPLATES, "wipe_paraphrase_templates": WIPE_PARAPHRASES,
              "expert_eval": expert_ev, "total_s": round(time.perf_counter() - t_start, 1),
              "fusions": results, "torch": torch.__version__}
    (args.out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "REPORT.md").write_text(report_md(report))
    print(f"shipped {best} -> {args.out} ({report['total_s'] / 60:.1f} min in all)", flush=True)
    return 0


def _pct(e: dict[str, Any]) -> str:
    return f"{e['success']:.0%}"


def _fails(ev: dict[str, Any]) -> str:
    parts = []
    for k, v in ev.items():
        if v["failures"]:
            parts.append(f"{k}: " + ", ".join(f"{n}x {r}" for r, n in sorted(v["failures"].items())))
    return "; ".join(parts) or "none"


def _row(e: dict[str, Any]) -> str:
    return f"{_pct(e['seen'])} | {_pct(e['held_out'])} | {_pct(e['paraphrase'])} | {_fails(e)}"


def report_md(r: dict[str, Any]) -> str:
    n = r["eval_episodes_per_set"]
    tasks = r.get("tasks", ["pick"])
    lines = [
        "# Reference VLA policy: training report",
        "",
        f"Generated by `tools/train_reference_policy.py` (seed {r['seed']}; {r['episodes']} pick + "
        f"{r['place_episodes']} place + {r.get('wipe_episodes', 0)} wipe demo episodes = {r['demo_samples']} "
        f"samples ({r['demo_place_samples']} place, {r.get('demo_wipe_samples', 0)} wipe); {r['epochs']} "
        f"epochs of behaviour cloning, then {r['dagger_rounds']} DAgger rounds of "
        f"{r['dagger_episodes']} policy rollouts ({r['dagger_place_frac']:.0%} place, "
        f"{r.get('dagger_wipe_frac', 0):.0%} wipe scenes) + "
        f"{r['dagger_epochs']} fine-tuning epochs each; torch {r['torch']}, CPU, {r['threads']} threads, "
        f"{r['total_s'] / 60:.1f} min in all).",
        f"Shipped: **{r['chosen']}** fusion (`model.onnx`; INT8 variant `model.int8.onnx`; PyTorch twin "
        "`model.pt2`, card variants `int8` and `torch`). One multi-task policy: "
        + ", ".join(f"**{t}**" for t in tasks) + f". Chosen by the sum of the success rates of all "
        f"{3 * len(tasks)} sets and of the async pick check (below), then the seen sets, then the shorter "
        "mean completion time. Language noise: every word but the colours and object types was dropped "
        f"with p = {r.get('word_noise', 0)} and swapped for a random token with the same p (never a "
        "held-out wipe surface's word).",
        "",
        "Fusions: *early* = concatenation of image, instruction and state features; *late* = per-modality "
        "heads (image + state, instruction) summed; *xattn* = cross-attention: the instruction + state "
        "embedding queries (4 heads) the 12x12 cells of the CNN's feature map (keys/values with a learned "
        "positional embedding and x/y coordinates), joined with the pooled image, instruction and state "
        "features; *film* = the instruction modulates the CNN's channels. The gripper is trained as a "
        "classifier (BCE on a logit; output P(closed) = 2 sigmoid - 1 in the card's normalised units).",
        "",
        "Tasks (the same interface: camera, instruction tokens, state = (believed target - ee, gripper "
        "closed, holding), 8x4 action chunks):",
        "",
        "- *pick*: random surface, target + 0-3 distractors; the target is the object's believed position; "
        "instructions like `pick up the red cup`.",
        f"- *place*: the robot holds an object (random colour/type) near a fixture (one of "
        f"{', '.join(r['place_fixtures'])}; surfaces `on`, open containers `in`) with 0-3 other objects "
        "on/in it; the target is the first free slot there (what the leaf's detection reports, "
        f"`world.slot_on`); the expert moves over it, descends to {r['place_release_m']} m above it, opens, "
        "backs off. Instructions like `put the red cup on the kitchen table` / `... in the sink`. "
        "Success: the leaf (`task=\"place\"`) ends with the object on/in that fixture.",
        f"- *wipe*: a surface (training: {', '.join(r.get('wipe_surfaces', []))}) with a patch of 5-10 dirt "
        "spots (`executive.sim.dirt`: a hand in contact with the top takes the spots within 5 cm; the camera "
        "draws those left) and 0-2 objects clear of it; the target is the dirt's centre as the detection "
        "reports it, so *which* spots are left is only in the image. The expert heads for the (soft) "
        "nearest spot left at contact height, 1 cm above the top. Instructions like `wipe the counter`. "
        "Success: no spot left (the state port's `is_dirty` turns false). Its *held-out* set is surfaces "
        f"never wiped in training ({', '.join(r.get('wipe_held_out_surfaces', []))}).",
        "",
        "Closed-loop success of the `VLAPolicy` leaf (detect → reach-in → policy, safety chain and gate "
        f"in the loop, ONNX Runtime CPU, lockstep, inline runner) over {n} seeded episodes per set, arm at "
        "home: *seen* = colour/type pairs used in training; *held-out* = pairs never shown (each colour "
        "and type was); *paraphrase* = instruction templates never shown. The *scripted expert* row runs "
        "the expert's chunk (from the state, exact target) through the same leaf on the same scenes: the "
        "ceiling.",
        "",
    ]
    for task in tasks:
        lines += [
            f"**{task}**",
            "",
            "| fusion | seen | held-out | paraphrase | failures | p50 / p95 latency (ms) | params | "
            "final xyz loss | gripper BCE | train s |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for f, v in r["fusions"].items():
            e, t = v["eval_fp32"][task], v["train"]
            lines.append(f"| {f} | {_row(e)} | {v['latency_fp32']['p50_ms']:.2f} / "
                         f"{v['latency_fp32']['p95_ms']:.2f} | {t['params']} | {t['loss'][-1]:.4f} | "
                         f"{t['grip_bce'][-1]:.4f} | {t['train_s']} |")
        lines.append(f"| scripted expert | {_row(r['expert_eval'][task])} | - | - | - | - | - |")
        lines.append("")
    b = r["fusions"][r["chosen"]]
    lines += [
        "Mean completion time (s; seen / held-out / paraphrase): "
        + "; ".join(f"{f} " + ", ".join(f"{t} " + "/".join(str(e["mean_time_s"])
                                                          for e in v["eval_fp32"][t].values())
                                         for t in tasks) for f, v in r["fusions"].items()) + ".",
        "",
        f"Async pick check ({n} seen scenes, arm at a random pose near the target, the executor of "
        f"`tools/bench_vla_tasks.py`: chunks land {ASYNC_LATENCY_S} s after the request, latency "
        f"forecast, a request when {ASYNC_THRESHOLD} of 8 actions are left; this is how the leaf runs the "
        "policy in real time): "
        + "; ".join(f"{f} {v['eval_async']['success']:.0%} ({v['eval_async']['mean_time_s']} s)"
                    for f, v in r["fusions"].items() if "eval_async" in v) + ".",
        "",
        "DAgger (per fusion): the policy's own success rate on fresh training scenes before each round "
        f"({' / '.join(tasks)}; in brackets: on {r.get('dagger_async_episodes', 0)} real-time-style pick "
        "rollouts, the async executor above with every step labelled as a request would be: the frame "
        "now, the forecast pose's state, the expert's chunk from that pose) and the labelled states it "
        "added (inline + real-time).",
        "",
        "| fusion | " + " | ".join(f"round {i + 1}" for i in range(r["dagger_rounds"]))
        + " | samples in all |",
        "|---|" + "---|" * r["dagger_rounds"] + "---|",
    ]
    for f, v in r["fusions"].items():
        cells = []
        for d in v["train"]["dagger"]:
            rt = d.get("async_pick_success")
            cells.append("/".join(f"{d['policy_success'].get(t, 0):.0%}" for t in tasks)
                         + (f" [{rt:.0%}]" if rt is not None else "") + f" (+{d['new_samples']}"
                         + (f" + {d['new_async_samples']}" if d.get("new_async_samples") else "") + ")")
        lines.append(f"| {f} | " + " | ".join(cells) + f" | {v['train']['samples']} |")
    tw = b["twin"]
    lines += [
        "",
        f"INT8 (dynamic, QInt8 weights) vs FP32, {r['chosen']} fusion (latency: one `infer` at batch 1, "
        "including pre/post-processing, 1 intra-op thread):",
        "",
        "| variant | task | seen | held-out | paraphrase | failures | p50 ms | p95 ms | size KB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, ev, lat, size in (("fp32", b["eval_fp32"], b["latency_fp32"], b["size_kb"]),
                                ("int8", b["eval_int8"], b["latency_int8"], b["size_int8_kb"])):
        for task in tasks:
            lines.append(f"| {name} | {task} | {_row(ev[task])} | {lat['p50_ms']} | {lat['p95_ms']} | "
                         f"{size} |")
    lines += [
        "",
        f"INT8 is {b['size_kb'] / b['size_int8_kb']:.1f}x smaller; its p50 latency is "
        f"{b['latency_int8']['p50_ms'] / b['latency_fp32']['p50_ms']:.2f}x FP32's"
        + (" (dynamic quantisation adds quantise/dequantise steps that a model this small does not win "
           "back on CPU)." if b["latency_int8"]["p50_ms"] > b["latency_fp32"]["p50_ms"] else "."),
        "",
        f"PyTorch twin: `{tw['file']}` ({tw['format']}, {b['size_pt2_kb']} KB) loaded with "
        f"`load_engine(..., \"torch\")` ({tw['provider']}); max |actions - ONNX actions| over "
        f"{tw['observations']} random observations = {tw['max_abs_diff_actions']:.3g} (confidence "
        f"{tw['max_abs_diff_confidence']:.3g}); {'within' if tw['ok'] else 'NOT within'} 1e-4. Latency "
        f"p50 {b['latency_torch']['p50_ms']} ms, p95 {b['latency_torch']['p95_ms']} ms.",
        "",
        "Failure reasons and the failed episode indices per set are in `report.json`. Targets: >= 95 % "
        "seen, >= 85 % held-out, for each task.",
        "",
        "Honest caveats: the proprioceptive state carries the robot's *believed* target position "
        "(from its own detection); in the simulator that belief is exact at test time, so for pick the "
        "image and instruction mostly matter for the last centimetres (training perturbs the belief "
        f"by N(0, {r['belief_noise_train_m']} m) per episode to force that). Object types are only told "
        "apart by size in the camera, so the language mostly picks the colour. For place the target is "
        "a free slot and any release within the fixture's rectangle and the release height counts, so "
        "the state does most of the work; the task is told apart by the holding bit and the verb (a pick "
        "ends as soon as the object is held, so pick data never shows holding = 1). For wipe the state "
        "carries only the dirt's centre as detected before the policy starts (it is not updated as spots "
        "go), so which spots are left, and where, comes from the image alone; contact is kinematic (the "
        "hand within 2.5 cm above the top; no force model), the spots are drawn in a colour no object or "
        "surface has, and the wipe task is told from pick by the verb and the dirt in view (both have "
        "holding = 0). Without the word noise a wipe of a never-wiped surface failed on its unseen name "
        "(60 % held-out in a trial run). With "
        f"{n} episodes per set one episode is {1 / n:.0%}; a scene the scripted expert fails counts as a "
        "failure for every fusion.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
