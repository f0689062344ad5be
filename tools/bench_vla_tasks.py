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
  targets, ``inference.encoding.anchor_chunk``) and, with the latency forecast (default; the
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

``--world mujoco``: the same comparison on the MuJoCo world (``pip install -e '.[physics]'``,
``MUJOCO_GL=egl``): its pick scenes (``reference_training.mujoco_pick``), the ``MujocoBackend``
behind the same gate, the rendered wrist camera and the MuJoCo card (``reference_model("mujoco")``);
``home`` there is the folded arm with the leaf's ready phase run on it (where the leaf starts the
policy). Time-to-grasp is ``mean_completion_s``: the target held by the fingers' contact.

    MUJOCO_GL=egl .venv/bin/python tools/bench_vla_tasks.py --world mujoco --episodes 10 --horizons 4,8
"""


from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without an install

from inference.reference import reference_model  # noqa: E402
from reference_training.realtime import compare  # noqa: E402


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
    ap.add_argument("--world", choices=("kinematic", "mujoco"), default="kinematic",
                    help="the world the episodes run on (and whose reference card is the default model)")
    ap.add_argument("--model", type=Path, help="default: the world's reference card")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    args.horizons = [int(h) for h in str(args.horizons).split(",") if h.strip()]
    if args.world == "mujoco":
        import os

        os.environ.setdefault("MUJOCO_GL", "egl")  # before MuJoCo is first imported
    args.model = args.model or reference_model(args.world)

    from inference.card import load_engine

    engine = load_engine(args.model, "onnxruntime", intra_op_threads=1)
    t_wall = time.perf_counter()
    arms = ("random", "home") if args.arm == "both" else (args.arm,)
    out = {
        "world": args.world, "episodes": args.episodes, "seed": args.seed, "clock": "lockstep",
        "dt_s": 0.1,
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
