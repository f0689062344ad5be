"""The scripted experts that label the reference policy's data, and the demonstrations they give.

One expert per task (pick, place, wipe) turns a state into the next actions; the leaf tests use
the same experts as oracles, so the policy and its tests agree on what a good action is.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from executive.sim.world import GRASP_HEIGHT, SimWorld
from inference.encoding import make_state
from reference_training.scenes import (
    ADIM,
    CHUNK,
    HOVER,
    IMG,
    PLACE_HOVER,
    RELEASE,
    STEP,
    TOL,
    WIPE_HEIGHT,
    WIPE_SOFT,
    Episode,
)


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
