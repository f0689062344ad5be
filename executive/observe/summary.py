"""``executive log summary FILE``: a failure analysis of one recorded run.

Failures by type and step, recovery strategies used and how often they worked, safety
violations blocked, and time per step — as a dict (``--json``) or plain text.

A strategy use (a retry, or an escalation to the alternative or replan stage) *worked* when it
was the last recovery its step used and the step then succeeded.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from executive.observe.mcap_log import LogData, read_log
from executive.observe.snapshot import apply, new_state

FAILURE_KINDS = ("failure", "guard_tripped", "fault", "rejected", "abort")


def summarise(data: LogData | str | Path) -> dict[str, Any]:
    if not isinstance(data, LogData):
        data = read_log(data)
    labels: dict[str, str] = {}
    timing: dict[str, dict[str, Any]] = {}
    state = new_state()
    last_t = 0.0
    for snap in data.snapshots:
        apply(state, snap)
        for s in snap.get("steps", ()):
            labels[s["step"]] = s["name"]
        if not state.get("synced"):
            continue
        last_t = float(snap.get("timestamp", last_t))
        for s in state.get("steps", ()):
            node = state["behaviours"].get(s["id"])
            if node is None:
                continue
            tm = timing.setdefault(s["step"], {"start": None, "end": None, "status": "not run", "ticks": 0})
            st = node["status"]
            if st == "RUNNING":
                if tm["start"] is None:
                    tm["start"] = last_t
                tm["ticks"] += 1
                tm["end"] = None
                tm["status"] = "running"
            elif st in ("SUCCESS", "FAILURE") and tm["start"] is not None and tm["end"] is None:
                tm["end"] = last_t
                tm["ticks"] += 1
                tm["status"] = "succeeded" if st == "SUCCESS" else "failed"
    # the outcome (when the run finished) is the authority on step status
    outcome = data.outcome or {}
    by_label = {s.get("name"): s for s in outcome.get("steps", [])}
    step_status: dict[str, str] = {}
    for sid, tm in timing.items():
        label = labels.get(sid, "")
        rep = by_label.get(label) or by_label.get(label.removeprefix("step "))
        step_status[sid] = rep["status"] if rep else tm["status"]

    def name(step: Any) -> str:
        return labels.get(step, step or "(no step)") if step else "(no step)"

    failures: Counter[tuple[str, str, str]] = Counter()
    by_type: Counter[str] = Counter()
    uses: dict[str, list[str]] = defaultdict(list)
    violations: Counter[str] = Counter()
    for ev in data.events:
        kind = ev.get("kind", "?")
        if kind in FAILURE_KINDS:
            typ = ev.get("reason") or ev.get("name") or kind
            failures[(name(ev.get("step")), kind, str(typ))] += 1
            by_type[str(typ)] += 1
        if kind == "rejected":
            violations[str(ev.get("reason", "?"))] += 1
        if kind == "retry":
            uses[ev.get("step") or ""].append("retry")
        elif kind == "recovery":
            uses[ev.get("step") or ""].append(str(ev.get("stage", "recovery")))
    strategies: dict[str, dict[str, int]] = {}
    for step, used in uses.items():
        ok = step_status.get(step) == "succeeded"
        for i, strat in enumerate(used):
            s = strategies.setdefault(strat, {"used": 0, "worked": 0})
            s["used"] += 1
            s["worked"] += int(ok and i == len(used) - 1)
    steps = []
    for sid, tm in timing.items():
        end = tm["end"] if tm["end"] is not None else last_t
        dur = None if tm["start"] is None else round(end - tm["start"], 3)
        steps.append({"step": sid, "name": name(sid), "status": step_status.get(sid, tm["status"]),
                      "time_s": dur, "ticks": tm["ticks"]})
    return {
        "file": data.path,
        "truncated": data.truncated,
        "outcome": outcome.get("outcome", "unknown (run did not finish)"),
        "reason_code": outcome.get("reason_code"),
        "message": outcome.get("message"),
        "ticks": data.snapshots[-1]["tick"] if data.snapshots else 0,
        "sim_time_s": round(last_t, 3),
        "failures_by_type": dict(by_type.most_common()),
        "failures": [{"step": s, "kind": k, "type": t, "count": n}
                     for (s, k, t), n in sorted(failures.items(), key=lambda x: (x[0][0], -x[1]))],
        "recovery": strategies,
        "violations_blocked": {"total": max(sum(violations.values()),
                                            int(outcome.get("safety_violations_blocked", 0) or 0)),
                               "by_reason": dict(violations)},
        "steps": steps,
        "frames": len(data.frames),
        "actions": len(data.actions),
    }


def format_text(s: dict[str, Any]) -> str:
    lines = [f"log: {s['file']}" + ("  (TRUNCATED: the run did not close its log)" if s["truncated"] else ""),
             f"outcome: {s['outcome']}" + (f" ({s['reason_code']})" if s.get("reason_code") else "")
             + (f": {s['message']}" if s.get("message") else ""),
             f"ticks: {s['ticks']}  sim time: {s['sim_time_s']:.1f} s  frames: {s['frames']}  "
             f"actions: {s['actions']}", ""]
    lines.append("time per step:")
    for st in s["steps"]:
        t = "-" if st["time_s"] is None else f"{st['time_s']:.1f} s"
        lines.append(f"  {st['name']:<40} {st['status']:>10}  {t:>9}  ({st['ticks']} ticks)")
    lines.append("")
    lines.append("failures by type:" + ("  none" if not s["failures_by_type"] else ""))
    for t, n in s["failures_by_type"].items():
        lines.append(f"  {t:<32} {n}")
    if s["failures"]:
        lines.append("failures by step:")
        for f in s["failures"]:
            lines.append(f"  {f['step']:<40} {f['kind']:<14} {f['type']:<26} {f['count']}")
    lines.append("")
    lines.append("recovery strategies:" + ("  none used" if not s["recovery"] else ""))
    for k, v in s["recovery"].items():
        lines.append(f"  {k:<14} used {v['used']:>3}  worked {v['worked']:>3}")
    vb = s["violations_blocked"]
    lines.append("")
    lines.append(f"safety violations blocked: {vb['total']}"
                 + "".join(f"\n  {r:<32} {n}" for r, n in vb["by_reason"].items()))
    return "\n".join(lines) + "\n"
