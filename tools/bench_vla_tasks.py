"""Synchronous vs asynchronous VLA execution: task completion time and success (JSON out).

    .venv/bin/python tools/bench_vla_tasks.py --episodes 50 --latency 0.3

Lockstep simulated world (deterministic), with a *modelled* inference latency: the shipped
reference policy runs on ONNX Runtime, and its answer is treated as arriving ``--latency``
seconds after the observation (the latency of a larger model; stated in the output).

* **sync**: the robot stops, waits for the chunk, then executes its first ``--horizon`` actions,
  each a per-step delta from the end effector at execution (nothing is stale: it waited).
* **async**: the robot keeps executing the current plan while the next chunk is computed; a new
  request goes out when ``--threshold`` actions are left. Each chunk is anchored at the end
  effector of its *observation* (``behaviours.vla.anchor_chunk``: target_k = ee_obs + d_0 + ...
  + d_k, the policy's deltas being per-step increments), the targets that time has overtaken
  are dropped, the first ``--blend`` remaining ones are cross-faded with the old plan's
  (``inference.runner.blend_chunks``; 0 by default: blending measured slower and less
  successful), and each step commands the delta from the ee now to the current target; when a
  plan runs out before the next chunk, its last target is held. As in the VLA leaf's async mode.

Both modes go through the same safety chain and the safety gate; episodes are the pick scenes
of ``tools/train_reference_policy.py`` (random surface, target + distractors, seeded).
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
            max_time: float, blend: int = 0) -> dict[str, Any]:
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

    def infer() -> tuple[np.ndarray, np.ndarray]:
        ee = np.asarray(ports.state.ee_position(), np.float64)
        st = make_state(target, ee, closed, ports.state.holding() is not None)
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--episodes", type=int, default=50)
    ap.add_argument("--latency", type=float, default=0.3, help="modelled inference latency (s)")
    ap.add_argument("--horizon", type=int, default=4, help="sync: actions executed per chunk")
    ap.add_argument("--threshold", type=int, default=4, help="async: request when this many are left")
    ap.add_argument("--blend", type=int, default=0, help="async: targets cross-faded with the old plan")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--max-time", type=float, default=30.0)
    ap.add_argument("--model", type=Path, default=REFERENCE_MODEL)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)

    import train_reference_policy as trp

    from inference.card import load_engine

    engine = load_engine(args.model, "onnxruntime", intra_op_threads=1)
    res: dict[str, Any] = {}
    per_mode: dict[str, list[dict[str, Any]]] = {}
    t_wall = time.perf_counter()
    for mode in ("sync", "async"):
        rng = np.random.default_rng(args.seed)
        runs = [episode(engine, trp.make_scene(rng, trp.SEEN, trp.TRAIN_TEMPLATES, belief_noise=0.0,
                                             arm_random=True, base_range=(0.35, 0.72)),
                        mode, args.latency, args.horizon, args.threshold, args.max_time, args.blend)
                for _ in range(args.episodes)]
        per_mode[mode] = runs
        ok = [r for r in runs if r["ok"]]
        res[mode] = {"success": round(len(ok) / len(runs), 3),
                     "mean_completion_s": round(float(np.mean([r["t"] for r in ok])), 3) if ok else None,
                     "median_completion_s": round(float(np.median([r["t"] for r in ok])), 3) if ok else None,
                     "mean_requests": round(float(np.mean([r["requests"] for r in runs])), 2),
                     "mean_wait_steps": round(float(np.mean([r["waits"] for r in runs])), 2),
                     "mean_dropped_actions": round(float(np.mean([r["dropped"] for r in runs])), 2)}
    s, a = res["sync"]["mean_completion_s"], res["async"]["mean_completion_s"]
    both = [(x["t"], y["t"]) for x, y in zip(per_mode["sync"], per_mode["async"], strict=True)
            if x["ok"] and y["ok"]]  # the same episodes, solved by both modes
    ps = round(float(np.mean([x for x, _ in both])), 3) if both else None
    pa = round(float(np.mean([y for _, y in both])), 3) if both else None
    ms, ma = res["sync"]["median_completion_s"], res["async"]["median_completion_s"]
    out = {
        "episodes": args.episodes, "seed": args.seed, "clock": "lockstep", "dt_s": 0.1,
        "modelled_latency_s": args.latency,
        "latency_note": f"the reference policy runs on ONNX Runtime CPU; its chunk is treated as "
                        f"arriving {args.latency} s after the observation (a larger model's latency)",
        "model": str(args.model), "provider": engine.provider,
        "sync_horizon": args.horizon, "async_threshold": args.threshold, "async_blend": args.blend,
        "max_time_s": args.max_time,
        "note": "same seeded episodes, same modelled latency and the same success criterion (the "
                "target held within max_time_s) for both modes. sync: stop, wait for the chunk, "
                f"execute its first {args.horizon} per-step deltas from the ee at execution. async: keep "
                f"moving; request when {args.threshold} actions are left; each chunk is anchored at "
                "its observation-time ee (absolute targets = ee_obs + cumulative deltas), overtaken "
                f"targets dropped, {args.blend} cross-faded with the old plan, the delta to the "
                "current target commanded each step, the last target held while waiting. "
                "mean_completion_s averages each mode's own successes; paired_* averages the "
                "episodes both solved; async_speedup = 1 - async/sync of the means.",
        **res,
        "async_speedup": round(1 - a / s, 3) if s and a else None,
        "median_async_speedup": round(1 - ma / ms, 3) if ms and ma else None,
        "paired_episodes": len(both),
        "paired_mean_completion_s": {"sync": ps, "async": pa},
        "paired_async_speedup": round(1 - pa / ps, 3) if ps and pa else None,
        "wall_s": round(time.perf_counter() - t_wall, 1),
    }
    text = json.dumps(out, indent=2)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
