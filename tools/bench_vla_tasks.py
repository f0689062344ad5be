"""Synchronous vs asynchronous VLA execution: task completion time and success (JSON out).

    .venv/bin/python tools/bench_vla_tasks.py --episodes 50 --latency 0.3

Lockstep simulated world (deterministic), with a *modelled* inference latency: the shipped
reference policy runs on ONNX Runtime, and its answer is treated as arriving ``--latency``
seconds after the request (the latency of a larger model; stated in the output).

* **sync**: the robot stops, waits for the chunk, then executes its first ``h`` actions, each a
  per-step delta from the end effector at execution (nothing is stale: it waited). Every
  horizon in ``--horizons`` is run, and async is compared with the **fastest** of those that
  reach the best sync success (so async is not measured against a poorly tuned baseline).
* **async**: the robot keeps executing the current plan while the next chunk is computed; a new
  request goes out when ``--threshold`` actions are left. Each chunk is anchored (absolute
  targets, ``behaviours.vla.anchor_chunk``) and, with the latency forecast (default; the
  ``forecast`` of ``inference.runner.ChunkRunner``), the request is conditioned on where the
  committed plan will have the arm when the answer lands, so the answer's first action is meant
  for that moment and continues the plan. ``--no-forecast``: the request carries the pose as
  observed, its chunk is anchored there and the actions time has overtaken are dropped. Each
  step commands the delta from the ee now to the current target; when a plan runs out before
  the next chunk, its last target is held. As in the VLA leaf's async mode.

Both modes go through the same safety chain and the safety gate; episodes are the pick scenes
of ``tools/train_reference_policy.py`` (random surface, target + distractors, seeded), once with
the arm at a random pose near the target (``random``) and once at home (``home``, as after the
leaf's reach-in), unless ``--arm`` picks one.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from behaviours.limits import LimitStack  # noqa: E402
from behaviours.safety_gate import SafetyGate  # noqa: E402
from behaviours.vla import REFERENCE_MODEL, anchor_chunk, make_state  # noqa: E402
from executive.sim.backend import SimBackend  # noqa: E402
from inference.contract import Observation  # noqa: E402
from inference.runner import blend_chunks  # noqa: E402
from inference.safety_chain import SafetyChain, SafetyConfig  # noqa: E402


def episode(engine: Any, ep: Any, mode: str, latency: float, horizon: int, threshold: int,
            max_time: float, blend: int = 0, forecast: bool = True) -> dict[str, Any]:
    w = ep.world
    backend = SimBackend(w)
    gate = SafetyGate(backend.actuators, LimitStack(), backend.now, backend.state)
    ports = backend.bind(gate)
    chain = SafetyChain(SafetyConfig.from_card(engine.card, max_rate=[0.04, 0.04, 0.04, 1.0],
                                               max_age=10.0, min_confidence=0.3))
    o = w.objects[ep.target]
    target = (o.x, o.y, o.z)  # the detection's answer
    dt = w.dt
    lag = round(latency / dt)
    closed = False
    buf: list[np.ndarray] = []  # sync: the chunk's deltas left to execute
    plan: np.ndarray | None = None  # async: absolute targets (x, y, z, gripper), one per step
    plan_t0 = 0  # async: the step the plan's first target is meant for (its observation step)
    pending: tuple[int, np.ndarray, int] | None = None  # (ready step, anchored chunk, obs step)
    waits = requests = dropped = 0
    t0 = w.steps

    def infer(ee_at: np.ndarray | None = None,
              closed_at: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
        """A chunk for a start pose: the ee now, or (forecast) where the committed plan will have
        the arm when the chunk lands."""
        ee = np.asarray(ports.state.ee_position(), np.float64) if ee_at is None else ee_at
        c = closed if closed_at is None else closed_at
        st = make_state(target, ee, c, ports.state.holding() is not None)
        obs = Observation({"wrist": ports.camera.image()}, ep.instruction, st, w.t)
        return engine.infer(obs).actions, ee

    while (w.steps - t0) * dt < max_time:
        if w.held == ep.target:
            break
        now = w.steps
        ee = np.asarray(ports.state.ee_position(), np.float64)
        if mode == "sync":
            if not buf:
                chunk, _ = infer()
                requests += 1
                gate.stop()
                for _ in range(lag):  # the robot waits for the answer
                    w.step()
                    waits += 1
                buf = list(chunk[:horizon])
                ee = np.asarray(ports.state.ee_position(), np.float64)
            a = buf.pop(0)  # a per-step delta from the ee now (the robot waited: nothing is stale)
        else:
            if pending is not None and now >= pending[0]:
                new, obs_step = pending[1], pending[2]
                dropped += min(now - obs_step, len(new))  # targets whose time has passed
                if plan is not None and blend > 0:  # cross-fade with the old plan's remaining targets
                    mixed = blend_chunks(plan, plan_t0, new, obs_step, now, 1.0, blend)
                    new = np.concatenate([mixed[:, :3], new[:, 3:]], axis=1)  # gripper: the newest
                plan, plan_t0, pending = new, obs_step, None
            left = 0 if plan is None else len(plan) - (now - plan_t0)
            if pending is None and left <= threshold:
                if forecast and plan is not None and lag > 0:
                    # the arm keeps to the committed plan while the model thinks: ask for the
                    # chunk that starts where (and when) that plan leaves it
                    j = min(now + lag - 1 - plan_t0, len(plan) - 1)
                    chunk, ee_start = infer(plan[j, :3], bool(plan[j, 3] > 0.5))
                    pending = (now + lag, anchor_chunk(chunk, ee_start), now + lag)
                else:
                    chunk, ee_obs = infer()
                    pending = (now + lag, anchor_chunk(chunk, ee_obs), now)  # anchored at obs time
                requests += 1
            if plan is None:  # nothing yet (the very first request): wait
                gate.stop()
                waits += 1
                w.step()
                continue
            k = now - plan_t0
            if k >= len(plan):  # plan exhausted before the next chunk: hold its last target
                waits += 1
                k = len(plan) - 1
            tgt = plan[k]
            a = np.concatenate([tgt[:3] - ee, tgt[3:]]).astype(np.float32)
        r = chain.check(a, now=w.t, stamp=w.t, state=ee)
        if r.ok:
            ports.motion.command_ee_target(tuple(ee + r.action[:3]))
            want = bool(r.action[3] > 0.5)
            if want != closed:
                ports.motion.command_gripper(want)
                closed = want
        w.step()
    ok = w.held == ep.target
    return {"ok": ok, "t": round((w.steps - t0) * dt, 2), "requests": requests, "waits": waits,
            "dropped": dropped}


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in runs if r["ok"]]
    return {"success": round(len(ok) / len(runs), 3),
            "mean_completion_s": round(float(np.mean([r["t"] for r in ok])), 3) if ok else None,
            "median_completion_s": round(float(np.median([r["t"] for r in ok])), 3) if ok else None,
            "mean_requests": round(float(np.mean([r["requests"] for r in runs])), 2),
            "mean_wait_steps": round(float(np.mean([r["waits"] for r in runs])), 2),
            "mean_dropped_actions": round(float(np.mean([r["dropped"] for r in runs])), 2)}


def compare(args: argparse.Namespace, engine: Any, arm: str) -> dict[str, Any]:
    """Every sync horizon and async on the same seeded episodes; async vs the best sync."""
    import train_reference_policy as trp

    def runs(mode: str, horizon: int) -> list[dict[str, Any]]:
        rng = np.random.default_rng(args.seed)
        return [episode(engine, trp.make_scene(rng, trp.SEEN, trp.TRAIN_TEMPLATES, belief_noise=0.0,
                                               arm_random=arm == "random", base_range=(0.35, 0.72)),
                        mode, args.latency, horizon, args.threshold, args.max_time, args.blend,
                        args.forecast)
                for _ in range(args.episodes)]

    sync_runs = {h: runs("sync", h) for h in args.horizons}
    sync = {h: summarise(r) for h, r in sync_runs.items()}
    best_success = max(v["success"] for v in sync.values())
    best = min((h for h in sync if sync[h]["success"] == best_success and sync[h]["mean_completion_s"]),
               key=lambda h: sync[h]["mean_completion_s"])
    async_runs = runs("async", 0)
    asy = summarise(async_runs)
    s, a = sync[best]["mean_completion_s"], asy["mean_completion_s"]
    both = [(x["t"], y["t"]) for x, y in zip(sync_runs[best], async_runs, strict=True) if x["ok"] and y["ok"]]
    ps = round(float(np.mean([x for x, _ in both])), 3) if both else None
    pa = round(float(np.mean([y for _, y in both])), 3) if both else None
    ms, ma = sync[best]["median_completion_s"], asy["median_completion_s"]
    return {
        "sync_by_horizon": {str(h): v for h, v in sync.items()},
        "best_sync_horizon": best,
        "sync": sync[best],
        "async": asy,
        "async_speedup": round(1 - a / s, 3) if s and a else None,
        "median_async_speedup": round(1 - ma / ms, 3) if ms and ma else None,
        "paired_episodes": len(both),
        "paired_mean_completion_s": {"sync": ps, "async": pa},
        "paired_async_speedup": round(1 - pa / ps, 3) if ps and pa else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--episodes", type=int, default=50)
    ap.add_argument("--latency", type=float, default=0.3, help="modelled inference latency (s)")
    ap.add_argument("--horizons", default="3,4,6,8", help="sync: actions executed per chunk, each run")
    ap.add_argument("--threshold", type=int, default=6, help="async: request when this many are left "
                    "(the VLA leaf: 3/4 of the chunk)")
    ap.add_argument("--blend", type=int, default=0, help="async: targets cross-faded with the old plan")
    ap.add_argument("--no-forecast", dest="forecast", action="store_false",
                    help="async: condition requests on the pose as observed (drop overtaken actions)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--max-time", type=float, default=30.0)
    ap.add_argument("--arm", choices=("home", "random", "both"), default="both", help="arm pose at the start")
    ap.add_argument("--model", type=Path, default=REFERENCE_MODEL)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    args.horizons = [int(h) for h in str(args.horizons).split(",") if h.strip()]

    from inference.card import load_engine

    engine = load_engine(args.model, "onnxruntime", intra_op_threads=1)
    t_wall = time.perf_counter()
    arms = ("random", "home") if args.arm == "both" else (args.arm,)
    out = {
        "episodes": args.episodes, "seed": args.seed, "clock": "lockstep", "dt_s": 0.1,
        "modelled_latency_s": args.latency,
        "latency_note": f"the reference policy runs on ONNX Runtime CPU; its chunk is treated as "
                        f"arriving {args.latency} s after the request (a larger model's latency)",
        "model": str(args.model), "provider": engine.provider,
        "sync_horizons": args.horizons, "async_threshold": args.threshold, "async_blend": args.blend,
        "async_forecast": args.forecast, "max_time_s": args.max_time,
        "note": "same seeded episodes, same modelled latency and the same success criterion (the "
                "target held within max_time_s) for both modes. sync: stop, wait for the chunk, "
                "execute its first h per-step deltas from the ee at execution; every h is run and "
                "async is compared with the fastest h at the best sync success. async: keep moving; "
                f"request when {args.threshold} actions are left; "
                + ("each request is conditioned on the pose the committed plan reaches when the "
                   "answer lands, its chunk anchored there (absolute targets) and started then; "
                   if args.forecast else
                   "each chunk is anchored at its observation-time ee, overtaken targets dropped; ")
                + "the delta to the current target commanded each step, the last target held "
                "while waiting. mean_completion_s averages each mode's own successes; paired_* "
                "the episodes both solved; async_speedup = 1 - async/sync of the means.",
        "arm_start": {arm: compare(args, engine, arm) for arm in arms},
        "wall_s": 0.0,
    }
    out["wall_s"] = round(time.perf_counter() - t_wall, 1)
    text = json.dumps(out, indent=2)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
