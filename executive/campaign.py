"""Seeded fault campaigns: N episodes per fault mix, printing JSON figures.

The campaign's home in the package (tests import it, ``tools/campaign.py`` is its command
line); each episode goes the same way as ``executive run``: plan, compiler, runtime, sim.

For every episode: outcome, reason, ticks, faults injected. An independent auditor sits
between the safety gate and the simulated actuators and checks every command that arrives
against the limits in force at that moment (its own check, not the gate's code), so
"violations reaching a port" is measured, not assumed.

    python tools/campaign.py --episodes 200 --faults grasp_slip=0.3,blocked_path=0.2,missed_detection=0.2
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from behaviours.reasons import Reason
from executive.compiler import compile_plan
from executive.plan import load_plan
from executive.runtime import RunConfig, Runtime
from executive.sim.backend import SimBackend

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DEFAULT_PLANS = ["bring_red_cup_to_sink", "pick_blue_bottle", "go_to_red_cube",
                 "apple_out_of_fridge", "clean_table", "bring_me_the_book"]
#: Faults that can make success impossible; an abort caused by them is not a recovery failure.
PERMANENT_REASONS = {Reason.NAV_NO_PATH, Reason.NAV_GOAL_INVALID, Reason.DOOR_STUCK}


class AuditedActuators:
    """Pass-through to the raw actuators that checks each command independently."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.stack: Any = None
        self.commands = 0
        self.violations: list[tuple[str, Any]] = []

    def _limits(self):
        return self.stack.current

    def _bad(self, kind: str, vals: Any, ok: bool) -> None:
        self.commands += 1
        if not ok:
            self.violations.append((kind, vals))

    def command_base(self, linear: float, angular: float) -> bool:
        lim = self._limits()
        ok = all(math.isfinite(v) for v in (linear, angular)) and abs(linear) <= lim.linear_velocity \
            and abs(angular) <= lim.angular_velocity
        self._bad("base", (linear, angular), ok)
        return self.inner.command_base(linear, angular)

    def command_arm(self, qd: Any) -> bool:
        lim = self._limits()
        self._bad("arm", qd, all(math.isfinite(v) and abs(v) <= lim.joint_velocity for v in qd))
        return self.inner.command_arm(qd)

    def command_torques(self, tau: Any) -> bool:
        lim = self._limits()
        self._bad("torque", tau, all(math.isfinite(v) and abs(v) <= lim.torque for v in tau))
        return self.inner.command_torques(tau)

    def command_ee_target(self, p: Any) -> bool:
        lim = self._limits()
        x, y, z = p
        ok = lim.inside_workspace(x, y) and lim.ee_height[0] <= z <= lim.ee_height[1]
        self._bad("ee", p, ok)
        return self.inner.command_ee_target(p)

    def command_gripper(self, closed: bool) -> bool:
        self._bad("gripper", closed, isinstance(closed, (bool, int)))
        return self.inner.command_gripper(closed)

    def stop(self) -> None:
        self.inner.stop()

    def current_limits(self):
        return self.inner.current_limits()

    @property
    def last_rejection(self) -> Reason:
        return self.inner.last_rejection


def episode(plan_name: str, seed: int, faults: str) -> dict[str, Any]:
    backend = SimBackend.create(seed=seed, faults=faults)
    audit = AuditedActuators(backend._actuators)
    backend._actuators = audit
    runtime = Runtime(backend, RunConfig())
    audit.stack = runtime.limits
    plan = load_plan(EXAMPLES / f"{plan_name}.yaml")
    compiled = compile_plan(plan, backend.entities())
    out = runtime.execute(compiled)
    permanent = any((f.get("detail") or {}).get("permanent") or (f.get("detail") or {}).get("for_good")
                    for f in out.faults_injected)
    return {
        "plan": plan_name, "seed": seed, "outcome": out.outcome, "reason": out.reason_code.name,
        "message": out.message, "ticks": out.ticks,
        "faults": [f.get("name") for f in out.faults_injected],
        "recoverable": not (out.outcome != "succeeded" and out.reason_code in PERMANENT_REASONS
                            and permanent),
        "blocked": out.safety_violations_blocked, "reached_port": len(audit.violations),
        "commands": audit.commands,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--episodes", type=int, default=200)
    ap.add_argument("--faults", default="grasp_slip=0.3,blocked_path=0.2,missed_detection=0.2")
    ap.add_argument("--plans", default=",".join(DEFAULT_PLANS))
    ap.add_argument("--verbose", action="store_true", help="one JSON line per episode first")
    args = ap.parse_args()
    plans = args.plans.split(",")
    t0 = time.perf_counter()
    rows = []
    for i in range(args.episodes):
        r = episode(plans[i % len(plans)], seed=i, faults=args.faults)
        rows.append(r)
        if args.verbose:
            print(json.dumps(r))
    n = len(rows)
    succ = sum(r["outcome"] == "succeeded" for r in rows)
    recov = [r for r in rows if r["recoverable"]]
    clean = sum(r["outcome"] == "aborted" and r["reason"] not in ("NONE", "INTERNAL_ERROR")
                for r in rows)
    unclean = n - succ - clean
    print(json.dumps({
        "episodes": n, "faults": args.faults,
        "success": succ, "success_rate": round(succ / n, 4),
        "recoverable": len(recov),
        "success_where_recoverable": round(sum(r["outcome"] == "succeeded" for r in recov)
                                           / max(1, len(recov)), 4),
        "clean_abort": clean, "unclean_end": unclean,
        "abort_reasons": dict(Counter(r["reason"] for r in rows if r["outcome"] != "succeeded")),
        "faults_injected": dict(Counter(f for r in rows for f in r["faults"])),
        "violations_blocked": sum(r["blocked"] for r in rows),
        "violations_reaching_port": sum(r["reached_port"] for r in rows),
        "commands_audited": sum(r["commands"] for r in rows),
        "mean_ticks": round(sum(r["ticks"] for r in rows) / n, 1),
        "wall_s": round(time.perf_counter() - t0, 1),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
