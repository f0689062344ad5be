"""Tick timing: how late each tick started and how long it took, summarised for the outcome.

Kept out of the trace digest on purpose: in lockstep the same seed must give the same
``trace_sha256`` whatever the machine's load, so timing only ever goes into ``Outcome.timing``.

*Period error* is how late a tick started against its schedule (the previous deadline plus one
period). It only means something on the wall clock; in lockstep the world waits for the tick,
so those fields are ``None`` (not a fake zero) and only durations are reported.

Samples go into preallocated-growth ``array('d')`` buffers, not lists of float objects, so the
steady-state tick allocates no objects that outlive it (the garbage collector has nothing new
to track).
"""

from __future__ import annotations

import math
from array import array
from typing import Any


def _pct(sorted_vals: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list (no numpy: keeps this importable
    anywhere and exact for small counts)."""
    if not sorted_vals:
        return 0.0
    k = max(0, min(len(sorted_vals) - 1, math.ceil(q / 100.0 * len(sorted_vals)) - 1))
    return sorted_vals[k]


class TickTimer:
    """Lateness and duration of every tick of one goal."""

    def __init__(self, period_s: float, realtime: bool) -> None:
        self.period = period_s
        self.realtime = realtime
        self.lateness = array("d")
        self.durations = array("d")

    def record(self, lateness_s: float | None, duration_s: float) -> None:
        if lateness_s is not None:
            self.lateness.append(lateness_s if lateness_s > 0.0 else 0.0)
        self.durations.append(duration_s)

    def summary(self) -> dict[str, Any]:
        """The ``timing`` object of an outcome (ms, rounded to µs)."""
        ms = 1000.0
        durs = sorted(self.durations)
        n = len(durs)
        out: dict[str, Any] = {
            "clock": "realtime" if self.realtime else "lockstep",
            "period_ms": round(self.period * ms, 3),
            "ticks": n,
            "duration_p50_ms": round(_pct(durs, 50) * ms, 3) if n else None,
            "duration_p99_ms": round(_pct(durs, 99) * ms, 3) if n else None,
            "duration_max_ms": round(durs[-1] * ms, 3) if n else None,
            "overruns": sum(1 for d in self.durations if d > self.period),
        }
        if self.realtime and len(self.lateness):
            late = list(self.lateness)
            srt = sorted(late)
            worst = max(range(len(late)), key=late.__getitem__)
            out.update({
                "period_error_p50_ms": round(_pct(srt, 50) * ms, 3),
                "period_error_p99_ms": round(_pct(srt, 99) * ms, 3),
                "period_error_max_ms": round(srt[-1] * ms, 3),
                "missed_deadlines": sum(1 for x in late if x > self.period),
                "late_over_2ms": sum(1 for x in late if x > 0.002),
                "worst_tick": worst + 1,  # 1-based, like TickInfo.tick
            })
        else:
            out.update({"period_error_p50_ms": None, "period_error_p99_ms": None,
                        "period_error_max_ms": None, "missed_deadlines": None,
                        "late_over_2ms": None, "worst_tick": None,
                        "note": "lockstep: the world waits for each tick, so there is no "
                                "deadline; durations only"})
        return out
