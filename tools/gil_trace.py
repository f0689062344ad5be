#!/usr/bin/env python
"""Which thread ran, and which waited for a CPU, when a real-time tick started late.

Runs the benchmark's goal ("bring the red cup from the table to the sink", 50 Hz by default,
VLA + MCAP log + viewer, ``--rt``) and samples, once per tick, every thread of this process
from ``/proc/self/task/<tid>/schedstat`` (the kernel's per-thread CPU time and run-queue wait,
in ns; needs ``CONFIG_SCHEDSTATS``/``schedstat`` support, present on stock kernels). For each
tick that started more than ``--late-ms`` late it prints, over the interval since the previous
tick's sample (the world's step, the sleep and the late tick itself), each thread's time *on*
a CPU and time *waiting* for one, and a verdict:

* ``cpu``: the tick thread itself waited in the run queue for most of the lateness (another
  process, or a higher-priority thread, had the CPU);
* ``own_work``: the tick thread itself was on a CPU for a whole period in the interval (the
  world's step or the sinks ran past the deadline);
* ``gil``: neither, so after its sleep it was blocked, in this process,
  on the GIL; ``holder_ran`` names the other Python thread that ran longest meanwhile, and
  ``holder_preempted`` the one that waited longest in the run queue (a GIL holder preempted by
  another process: the priority inversion ``--rt-helpers`` is for).

Python threads are named by their ``threading`` name (``mcap-log``, ``viewer``,
``vla-chunk-runner``, ``tick`` for the goal's thread); native threads (ONNX Runtime's pool)
as ``native:<comm>``. Sampling costs the tick thread ~0.1-0.3 ms per tick (one small read per
thread), so figures are a little worse than ``tools/bench_realtime.py``'s: this tool says
*who*, the benchmark says *how much*.

    .venv/bin/python tools/gil_trace.py --seconds 120                  # --rt, helpers normal
    .venv/bin/python tools/gil_trace.py --seconds 120 --rt-helpers 1   # helpers at SCHED_FIFO 1
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_realtime as bench  # tools/ is not a package: found through sys.path above

TASKS = Path("/proc/self/task")


def sample() -> dict[int, tuple[int, int]]:
    """Every thread of this process: native id -> (ns on a CPU, ns waiting in the run queue)."""
    out: dict[int, tuple[int, int]] = {}
    for d in os.scandir(TASKS):
        try:
            with open(f"{d.path}/schedstat") as f:
                run, wait, _slices = f.read().split()
        except (OSError, ValueError):  # the thread ended meanwhile
            continue
        out[int(d.name)] = (int(run), int(wait))
    return out


def names() -> dict[int, str]:
    """Native id -> the Python thread's name, else ``native:<comm>``."""
    py = {t.native_id: t.name for t in threading.enumerate() if t.native_id is not None}
    out: dict[int, str] = {}
    for d in os.scandir(TASKS):
        tid = int(d.name)
        if tid in py:
            out[tid] = py[tid]
            continue
        try:
            with open(f"{d.path}/comm") as f:
                out[tid] = "native:" + f.read().strip()
        except OSError:
            continue
    return out


class Tracer:
    """A TickSink (put it first): one sample per tick; late ticks keep their per-thread deltas."""

    def __init__(self, late_s: float, tick_tid: int, period_s: float) -> None:
        self.late_s = late_s
        self.period_ms = period_s * 1e3
        self.tick_tid = tick_tid
        self.prev: dict[int, tuple[int, int]] | None = None
        self.late: list[dict[str, Any]] = []
        self.goal = 0
        self.ticks = 0

    def on_tick(self, info: Any) -> None:
        now = sample()
        prev, self.prev = self.prev, now
        self.ticks += 1
        late = info.lateness_s
        if prev is None or late is None or late <= self.late_s or info.tick == 1:
            return
        label = names()
        label[self.tick_tid] = "tick"
        rows = {}
        for tid, (run, wait) in now.items():
            r0, w0 = prev.get(tid, (0, 0))
            d_run, d_wait = (run - r0) / 1e6, (wait - w0) / 1e6
            if d_run > 0.01 or d_wait > 0.01:
                name = label.get(tid, f"tid:{tid}")
                rows[name] = {"run_ms": round(d_run, 3), "runqueue_ms": round(d_wait, 3)}
        mine = rows.get("tick", {"run_ms": 0.0, "runqueue_ms": 0.0})
        others = {k: v for k, v in rows.items() if k != "tick" and not k.startswith("native:")}
        late_ms = late * 1e3
        entry: dict[str, Any] = {"goal": self.goal, "tick": info.tick, "lateness_ms": round(late_ms, 3),
                                 "threads": rows}
        if mine["runqueue_ms"] >= 0.5 * late_ms:
            entry["verdict"] = "cpu"
        elif mine["run_ms"] >= self.period_ms:
            entry["verdict"] = "own_work"  # the tick thread itself ran a whole period (world step, sinks)
        else:
            entry["verdict"] = "gil"
            if others:
                entry["holder_ran"] = max(others, key=lambda k: others[k]["run_ms"])
                waited = max(others, key=lambda k: others[k]["runqueue_ms"])
                if others[waited]["runqueue_ms"] > 0.05:
                    entry["holder_preempted"] = waited
        self.late.append(entry)

    def on_outcome(self, outcome: Any) -> None:
        self.prev = None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=120.0, help="wall time of goals (back to back)")
    ap.add_argument("--rate", type=float, default=50.0)
    ap.add_argument("--late-ms", type=float, default=1.5, help="report ticks later than this")
    ap.add_argument("--rt-helpers", type=int, default=None, metavar="P",
                    help="helper threads at SCHED_FIFO P during each goal (default: normal priority)")
    ap.add_argument("--no-rt", action="store_true", help="without --rt (the tick thread at normal priority)")
    args = ap.parse_args(argv)
    if not TASKS.is_dir() or not (TASKS / str(threading.get_native_id()) / "schedstat").exists():
        print("gil_trace: needs Linux /proc/self/task/<tid>/schedstat", file=sys.stderr)
        return 2
    if args.rt_helpers is not None and (args.no_rt or not 1 <= args.rt_helpers < 50):
        print("gil_trace: --rt-helpers needs --rt and a priority within 1..49", file=sys.stderr)
        return 2
    result: dict[str, Any] = {"instruction": bench.INSTRUCTION, "rate_hz": args.rate, "rt": not args.no_rt,
                              "rt_helpers": args.rt_helpers, "late_ms": args.late_ms,
                              "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}
    tracer = Tracer(args.late_ms / 1e3, threading.get_native_id(), 1.0 / args.rate)
    left = args.seconds
    goals = []
    with tempfile.TemporaryDirectory(prefix="gil-trace-") as d:
        seed = 0
        while left > 0:
            obs = bench._Observed(args.rate, Path(d))
            t0 = time.monotonic()
            try:
                runtime, compiled = bench.build_goal(bench.INSTRUCTION, args.rate, max(1.0, left), seed=seed,
                                                     sinks=[tracer, obs.sink], rt=not args.no_rt,
                                                     helpers=args.rt_helpers)
                tracer.goal = seed + 1
                out = runtime.execute(compiled)
            finally:
                obs.close()
                left -= time.monotonic() - t0
            goals.append(f"{out.outcome}:{out.reason_code.name}")
            seed += 1
    verdicts = Counter(e["verdict"] for e in tracer.late)
    ran = Counter(e["holder_ran"] for e in tracer.late if "holder_ran" in e)
    preempted = Counter(e["holder_preempted"] for e in tracer.late if "holder_preempted" in e)
    result.update({"goals": goals, "ticks": tracer.ticks, "late_ticks": len(tracer.late),
                   "verdicts": dict(verdicts),
                   "gil_holder_ran": {str(k): v for k, v in ran.most_common()},
                   "gil_holder_preempted": {str(k): v for k, v in preempted.most_common()},
                   "worst": sorted(tracer.late, key=lambda e: -e["lateness_ms"])[:20],
                   "loadavg_at_end": [round(x, 2) for x in os.getloadavg()]})
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
