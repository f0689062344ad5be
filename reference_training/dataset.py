"""Datasets for the reference policy: demonstrations, then DAgger (the policy drives, the expert labels).
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from executive.sim.world import GRASP_HEIGHT, SimWorld
from inference.contract import Observation
from inference.encoding import TASKS, make_state
from inference.safety_chain import SafetyChain, SafetyConfig
from reference_training.experts import (
    demo,
    expert,
    expert_chunk,
    place_expert,
    render_from,
    spots_left,
    wipe_expert,
)
from reference_training.realtime import ASYNC_LATENCY_S, ASYNC_THRESHOLD
from reference_training.scenes import (
    CHUNK,
    MAX_LEN,
    PLACE_TEMPLATES,
    RELEASE,
    SEEN,
    TRAIN_TEMPLATES,
    VOCAB,
    WIPE_SURFACES,
    WIPE_TEMPLATES,
    Episode,
    make_place_scene,
    make_scene,
    make_task_scene,
    make_wipe_scene,
)


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
    from executive.sim.camera import CameraRenderer
    from executive.sim.world import Actuators
    from inference.encoding import anchor_chunk

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
