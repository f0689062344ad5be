#!/usr/bin/env python
"""Real-time tick benchmark: deadline misses at 50 and 100 Hz, VLA on, log and viewer sinks on.

Four segments share ``--seconds`` (default 600 s = 10 minutes): 50 Hz and 100 Hz, each alone
and beside a CPU-hog neighbour (a busy-loop subprocess this tool starts and stops itself).
Each segment runs "bring the red cup from the table to the sink" (VLA pick and place on the
shipped reference policy, ONNX Runtime CPU) goal after goal on the real-time clock, with the
snapshot sink, the MCAP log (to a temporary file) and the live viewer (port 0) attached, until
its time is spent. Then one goal at 50 Hz without the leaves' warm-up and one with it: the
stall at the tick where the VLA pick starts, before and after.

Prints one JSON object: per segment the period error p50/p99/max (ms, lateness of each tick
start against its schedule), tick duration p50/p99/max, overruns, missed deadlines (ticks more
than one period late) and per 10^4 ticks, ticks more than 2 ms late, the worst tick; and
``goal_start`` (the first 10 ticks of every goal) beside ``steady_state`` (the rest): p99 / max
lateness and the goal and tick of the worst, so a first-use cost at a goal's start is told
apart from the shared machine's load.

    .venv/bin/python tools/bench_realtime.py                  # 10 minutes
    .venv/bin/python tools/bench_realtime.py --seconds 60     # short (noisy on a shared machine)
    .venv/bin/python tools/bench_realtime.py --gc default     # Python's own collector
    .venv/bin/python tools/bench_realtime.py --gc freeze,on,off --rates 50 --no-hog   # by turns, one run
    .venv/bin/python tools/bench_realtime.py --rt-helpers both --rates 50 --no-stall  # helpers raised or not

Each segment row's ``rt`` lists every goal's grant (what the OS granted and refused for that
goal, in order), not only the last one's.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from array import array
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from executive.os_realtime import RTRequest
from executive.runtime import GC_POLICIES, RunConfig, Runtime
from executive.timing import TickTimer

INSTRUCTION = "bring the red cup from the table to the sink"
_GC_ALIASES = {"on": "default"}


def build_goal(instruction: str, rate: float, max_s: float, *, warmup: bool = True, gc_policy: str = "freeze",
               seed: int = 0, sinks: list[Any] | None = None, rt: bool = False,
               helpers: int | None = None) -> tuple[Runtime, Any]:
    """A real-time runtime over a fresh simulated world and the compiled instruction (VLA on)."""
    from behaviours import vla_engine
    from executive.compiler import compile_plan
    from executive.language import understand
    from executive.sim.backend import SimBackend
    from executive.vla_setup import setup_engine

    backend = SimBackend.create(seed=seed, dt=1.0 / rate)
    u = understand(instruction, backend.world_model())
    if u.status != "ok":
        raise SystemExit(f"bench_realtime: the instruction did not compile: {u.status} {u.reason}")
    eng = setup_engine("auto", clock="realtime")
    vla_engine.configure(warmup=warmup)
    compiled = compile_plan(u.plan, backend.entities(), vla=eng.enabled)
    cfg = RunConfig(clock="realtime", rate_hz=rate, max_sim_time_s=max_s, gc_policy=gc_policy,  # type: ignore[arg-type]
                    rt=RTRequest(helpers=helpers) if rt else None)
    return Runtime(backend, cfg, sinks=sinks or []), compiled


class _Observed:
    """The snapshot sink, the MCAP log and the viewer, as ``executive run --view`` has them."""

    def __init__(self, rate: float, log_dir: Path) -> None:
        from executive.observe.mcap_log import open_run_log
        from executive.observe.server import ViewerServer
        from executive.observe.sink import SnapshotSink

        self.sink = SnapshotSink(target_rate_hz=rate)
        self.path = log_dir / f"bench-{rate:g}hz-{time.monotonic_ns()}.mcap"
        self.writer = open_run_log(self.sink, self.path, metadata={"bench": "realtime"})
        self.server = ViewerServer(self.sink, log_dir=log_dir, port=0, target_rate_hz=rate)
        self.server.start()

    def close(self) -> None:
        self.writer.close()
        self.server.stop()


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _hog() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


Variant = tuple[str, bool, int | None]  # (memory policy, --rt, --rt-helpers priority or None)

#: the first ticks of every goal, reported apart from the rest (first-use costs show there)
GOAL_START_TICKS = 10


class _Split:
    """Lateness of the first ``GOAL_START_TICKS`` ticks of every goal vs the rest, and where
    (goal, tick) the worst of each happened. A first-use cost shows in ``goal_start`` at every
    goal; CPU contention from other processes spreads over both, so the two side by side tell
    a fix of the loop from the machine's load."""

    def __init__(self) -> None:
        self.parts: dict[str, array[float]] = {"goal_start": array("d"), "steady_state": array("d")}
        self.worst: dict[str, tuple[float, int, int]] = {}

    def add(self, goal: int, lateness: array[float]) -> None:
        for i, x in enumerate(lateness):
            part = "goal_start" if i < GOAL_START_TICKS else "steady_state"
            self.parts[part].append(x)
            if x > self.worst.get(part, (-1.0, 0, 0))[0]:
                self.worst[part] = (x, goal, i + 1)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for part, xs in self.parts.items():
            srt = sorted(xs)
            p99 = srt[max(0, math.ceil(0.99 * len(srt)) - 1)] if srt else None
            w = self.worst.get(part)
            out[part] = {
                "ticks": len(srt),
                "first_ticks_per_goal": GOAL_START_TICKS if part == "goal_start" else None,
                "period_error_p99_ms": round(p99 * 1e3, 3) if p99 is not None else None,
                "period_error_max_ms": round(srt[-1] * 1e3, 3) if srt else None,
                "late_over_2ms": sum(1 for x in srt if x > 0.002),
                "worst_at": {"goal": w[1], "tick": w[2]} if w else None,
            }
        return out


def segment(rate: float, seconds: float, hog: bool, policies: list[Variant],
            log_dir: Path) -> list[dict[str, Any]]:
    """Goals back to back for ``seconds`` of wall time per variant (memory policy, ``--rt``);
    every tick's timing pooled per variant. With several variants the goals take turns (one
    goal each, round robin), so every variant sees the same stretch of this shared machine's
    load and the ratios compare."""
    pooled = {p: TickTimer(1.0 / rate, True) for p in policies}
    starts = {p: _Split() for p in policies}
    goals: dict[Variant, list[str]] = {p: [] for p in policies}
    rt_seen: dict[Variant, list[Any]] = {p: [] for p in policies}
    neighbour = _hog() if hog else None
    left = dict.fromkeys(policies, seconds)  # wall seconds each policy still has
    load0 = os.getloadavg()
    try:
        seed = 0
        while any(v > 0 for v in left.values()):
            for policy in policies:
                if left[policy] <= 0:
                    continue
                obs = _Observed(rate, log_dir)
                t0 = time.monotonic()
                try:
                    runtime, compiled = build_goal(INSTRUCTION, rate, max(1.0, left[policy]),
                                                   gc_policy=policy[0], seed=seed, sinks=[obs.sink],
                                                   rt=policy[1], helpers=policy[2])
                    out = runtime.execute(compiled)
                finally:
                    obs.close()
                    left[policy] -= time.monotonic() - t0
                timer = runtime.last_timer
                assert timer is not None
                pooled[policy].lateness.extend(timer.lateness)
                pooled[policy].durations.extend(timer.durations)
                starts[policy].add(len(goals[policy]) + 1, timer.lateness)
                goals[policy].append(f"{out.outcome}:{out.reason_code.name}")
                if out.timing and out.timing.get("rt"):  # every goal's grant, in order
                    rt_seen[policy].append({"goal": len(goals[policy]),
                                            **{k: out.timing["rt"][k] for k in ("granted", "refused")}})
            seed += 1
    finally:
        if neighbour is not None:
            neighbour.kill()
            neighbour.wait()
    load1 = os.getloadavg()
    rows = []
    for policy in policies:
        s = pooled[policy].summary()
        n = max(1, s["ticks"])
        s.update({"rate_hz": rate, "cpu_hog": hog, "gc_policy": policy[0], "rt_requested": policy[1],
                  "rt_helpers": policy[2], "rt": rt_seen[policy] or None,
                  "seconds": round(seconds, 1),
                  "goals": goals[policy],
                  **starts[policy].summary(),
                  "missed_per_1e4_ticks": round(1e4 * (s["missed_deadlines"] or 0) / n, 2),
                  "late_over_2ms_per_1e4_ticks": round(1e4 * (s["late_over_2ms"] or 0) / n, 2),
                  "loadavg_1min_before_after": [round(load0[0], 2), round(load1[0], 2)]})
        rows.append(s)
    return rows


def stall(warmup: bool, gc_policy: str) -> dict[str, Any]:
    """One goal at 50 Hz: the worst tick (the VLA pick's start without the warm-up)."""
    runtime, compiled = build_goal(INSTRUCTION, 50.0, 120.0, warmup=warmup, gc_policy=gc_policy)
    out = runtime.execute(compiled)
    t = out.timing or {}
    durs: array[float] = runtime.last_timer.durations if runtime.last_timer else array("d")
    worst = max(range(len(durs)), key=durs.__getitem__) if len(durs) else -1
    return {"warmup": warmup, "outcome": out.outcome, "ticks": out.ticks,
            "slowest_tick": worst + 1, "slowest_tick_ms": round(durs[worst] * 1e3, 3) if len(durs) else None,
            "first_tick_ms": round(durs[0] * 1e3, 3) if len(durs) else None,
            **{k: t.get(k) for k in ("period_error_max_ms", "worst_tick", "missed_deadlines",
                                     "duration_p99_ms")}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=600.0, help="total time of the four segments")
    ap.add_argument("--rates", default="50,100")
    ap.add_argument("--gc", default="freeze",
                    help="memory policy: freeze, on (= default, Python's own collector) or off; a comma "
                         "list (e.g. freeze,on,off) runs them by turns in one run, each for --seconds' share")
    ap.add_argument("--rt", choices=("off", "on", "both"), default="off",
                    help="--rt for the tick thread (SCHED_FIFO 50, mlockall); both: with and without, "
                         "by turns")
    ap.add_argument("--rt-helpers", choices=("off", "on", "both"), default="off",
                    help="--rt-helpers (the log writer, viewer and VLA worker threads at SCHED_FIFO "
                         "--helpers-priority during each goal; implies --rt); both: with and without, "
                         "by turns")
    ap.add_argument("--helpers-priority", type=int, default=1, metavar="P",
                    help="the helper threads' SCHED_FIFO priority with --rt-helpers (default 1: above "
                         "every ordinary process, below the tick thread's 50)")
    ap.add_argument("--no-hog", action="store_true", help="skip the CPU-hog segments")
    ap.add_argument("--no-stall", action="store_true", help="skip the before/after stall goals")
    args = ap.parse_args(argv)
    try:
        rates = [float(r) for r in args.rates.split(",") if r.strip()]
    except ValueError:
        print(f"bench_realtime: --rates must be a comma list of numbers, got {args.rates!r}", file=sys.stderr)
        return 2
    policies = [_GC_ALIASES.get(p.strip(), p.strip()) for p in args.gc.split(",") if p.strip()]
    if not policies or any(p not in GC_POLICIES for p in policies):
        print(f"bench_realtime: --gc takes freeze, on, default or off (comma list), got {args.gc!r}",
              file=sys.stderr)
        return 2
    hogs = [False] if args.no_hog else [False, True]
    rts = {"off": [False], "on": [True], "both": [False, True]}[args.rt]
    helpers = {"off": [None], "on": [args.helpers_priority],
               "both": [None, args.helpers_priority]}[args.rt_helpers]
    if args.rt_helpers != "off":
        if not 1 <= args.helpers_priority < 50:
            print(f"bench_realtime: --helpers-priority must be within 1..49 (below the tick thread's 50), "
                  f"got {args.helpers_priority}", file=sys.stderr)
            return 2
        if args.rt == "off":
            rts = [True]  # helpers above ordinary processes need a tick thread above them
    variants: list[Variant] = [(p, r, h) for p in policies for r in rts for h in helpers if r or h is None]
    each = args.seconds / (len(rates) * len(hogs) * len(variants))
    result: dict[str, Any] = {"instruction": INSTRUCTION, "gc_policies": policies,
                              "machine": {"cpus": os.cpu_count(), "loadavg_at_start": _load(),
                                          "note": "shared machine: other processes run beside the "
                                                  "benchmark; figures differ run to run"},
                              "segments": []}
    with tempfile.TemporaryDirectory(prefix="bench-rt-") as d:
        for rate in rates:
            for hog in hogs:
                result["segments"].extend(segment(rate, each, hog, variants, Path(d)))
    if not args.no_stall:
        result["vla_pick_stall"] = {"before": stall(False, policies[0]), "after": stall(True, policies[0])}
    result["machine"]["loadavg_at_end"] = _load()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
