"""The outcome of a goal: what the CLI's ``--json`` line, the log, the viewer and ROS report."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from behaviours.reasons import Reason

OutcomeKind = Literal["succeeded", "aborted", "cancelled", "refused", "clarify"]

#: CLI exit codes (docs/DESIGN.md): 0 succeeded, 1 aborted/failed, 2 bad input, 3 refused, 4 clarify.
EXIT_CODES: dict[str, int] = {"succeeded": 0, "aborted": 1, "cancelled": 1, "refused": 3, "clarify": 4}
EXIT_BAD_INPUT = 2


@dataclass
class StepReport:
    name: str
    status: str
    retries: int = 0
    reason: str = "NONE"

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "retries": self.retries, "reason": self.reason}


@dataclass
class Outcome:
    outcome: OutcomeKind
    reason_code: Reason = Reason.NONE
    message: str = ""
    ticks: int = 0
    sim_time_s: float = 0.0
    steps: list[StepReport] = field(default_factory=list)
    faults_injected: list[dict[str, Any]] = field(default_factory=list)
    safety_violations_blocked: int = 0
    trace_sha256: str = ""
    #: tick timing (executive.timing.TickTimer.summary); never part of the trace digest
    timing: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.outcome]

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "reason_code": self.reason_code.name,
            "reason_value": int(self.reason_code),
            "message": self.message,
            "ticks": self.ticks,
            "sim_time_s": round(self.sim_time_s, 3),
            "steps": [s.as_dict() for s in self.steps],
            "faults_injected": self.faults_injected,
            "safety_violations_blocked": self.safety_violations_blocked,
            "trace_sha256": self.trace_sha256,
            **({"timing": self.timing} if self.timing is not None else {}),
            **self.extra,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), sort_keys=False, default=str)
