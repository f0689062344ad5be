"""Escalating recovery: retry (bounded, with backoff) → alternative → replan → abort.

A :class:`RecoveryChain` is a memory selector whose children are :class:`Stage` decorators in
escalation order and a final :class:`Abort`. The validator requires every actuating leaf to sit
under one, with an Abort last, so no step can fail without a clean stop and a reason.

All four are py_trees ports classes (``behaviours.base.PortsBound``), so BehaviorTree.CPP XML
writes them as tags: ``<RecoveryChain name="leg 1" step_id="s1">``, ``<Stage stage="attempt">``,
``<RetryWithBackoff attempts="3" backoff_s="2">``, ``<Abort message="…"/>``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

import py_trees

from behaviours.base import ContextBound, ContextPorts, Ports, PortsBound, port
from behaviours.context import RunContext
from behaviours.reasons import Reason, lowest_cause

Status = py_trees.common.Status
STAGES = ("attempt", "alternative", "replan")


class RecoveryChain(PortsBound, py_trees.composites.Selector):
    """Fallback over escalating stages for one plan step (memory: no stage re-runs)."""

    INPUT_PORTS: ClassVar[Ports] = {}
    OUTPUT_PORTS: ClassVar[Ports] = {}

    def __init__(
        self, name: str, step_id: str | None = None,
        children: Sequence[py_trees.behaviour.Behaviour] = (), *,
        behaviour_class_name: str | None = None,
    ) -> None:
        super().__init__(name=name, memory=True, children=list(children),
                         behaviour_class_name=behaviour_class_name)
        self._init_ports({})
        self.step_id = step_id or name


class _CtxDecorator(ContextPorts, py_trees.decorators.Decorator, register=False):
    INPUT_PORTS: ClassVar[Ports] = {}
    OUTPUT_PORTS: ClassVar[Ports] = {}

    def __init__(self, name: str, child: py_trees.behaviour.Behaviour, *,
                 behaviour_class_name: str | None = None) -> None:
        super().__init__(name=name, child=child, behaviour_class_name=behaviour_class_name)
        self._init_ports({})
        self._ctx: RunContext | None = None
        self.step_id: str | None = None


class Stage(_CtxDecorator):
    """Labels one recovery stage; records when an escalation begins."""

    def __init__(self, name: str, child: py_trees.behaviour.Behaviour, stage: str = "attempt", *,
                 behaviour_class_name: str | None = None) -> None:
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {STAGES}, got {stage!r}")
        super().__init__(name=name, child=child, behaviour_class_name=behaviour_class_name)
        self.stage = stage

    def initialise(self) -> None:
        if self.stage != "attempt":
            self.ctx.record("recovery", self.name, stage=self.stage, step=self.step_id)

    def update(self) -> Status:
        return self.decorated.status

    def params(self) -> dict[str, Any]:
        return {"stage": self.stage}


class RetryWithBackoff(_CtxDecorator):
    """Re-run a failed child up to ``attempts`` times in all, waiting ``backoff_s * factor**k``.

    The wait runs on the run's clock and keeps the decorator RUNNING without ticking the child,
    so the tick loop never sleeps.
    """

    INPUT_PORTS: ClassVar[Ports] = {
        "attempts": port(int, "tries in all, the first included", default=3),
        "backoff_s": port(float, "wait before the first retry (s)", default=1.0),
        "factor": port(float, "each further wait is this much longer", default=2.0),
    }

    def __init__(
        self,
        name: str,
        child: py_trees.behaviour.Behaviour,
        attempts: int = 3,
        backoff_s: float = 1.0,
        factor: float = 2.0,
        *,
        behaviour_class_name: str | None = None,
    ) -> None:
        super().__init__(name=name, child=child, behaviour_class_name=behaviour_class_name)
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.factor = factor
        self.failures = 0
        self._wait_until: float | None = None

    def params(self) -> dict[str, Any]:
        return {"attempts": self.attempts, "backoff_s": self.backoff_s, "factor": self.factor}

    def check_params(self) -> list[str]:
        errs = []
        if not isinstance(self.attempts, int) or not 1 <= self.attempts <= 20:
            errs.append(f"attempts must be an integer in [1, 20], got {self.attempts!r}")
        if not 0 <= float(self.backoff_s) <= 60 or not 1 <= float(self.factor) <= 10:
            errs.append("backoff_s must be in [0, 60] and factor in [1, 10]")
        return errs

    def initialise(self) -> None:
        self.failures = 0
        self._wait_until = None

    def tick(self) -> Iterator[py_trees.behaviour.Behaviour]:
        if self.status != Status.RUNNING:
            self.initialise()
        if self._wait_until is not None:
            left = self._wait_until - self.ctx.now()
            if left > 1e-9:
                self.feedback_message = f"backing off {left:.1f} s before retry {self.failures}"
                self.status = Status.RUNNING
                yield self
                return
            self._wait_until = None
        yield from self.decorated.tick()
        new_status = self.update()
        if new_status != Status.RUNNING:
            self.stop(new_status)
        self.status = new_status
        yield self

    def update(self) -> Status:
        child = self.decorated.status
        if child != Status.FAILURE:
            return child
        self.failures += 1
        if self.failures >= self.attempts:
            self.feedback_message = f"failed {self.failures} times"
            return Status.FAILURE
        delay = float(self.backoff_s) * float(self.factor) ** (self.failures - 1)
        self._wait_until = self.ctx.now() + delay
        key = self.step_id or self.name
        self.ctx.retries[key] = self.ctx.retries.get(key, 0) + 1
        self.ctx.record("retry", self.name, step=self.step_id, attempt=self.failures + 1,
                        backoff_s=round(delay, 3))
        self.decorated.stop(Status.INVALID)
        return Status.RUNNING


class Abort(ContextBound):
    """Last resort of a chain: safe stop, pick the reason to report, fail the step."""

    BLACKBOARD_KEY = "/outcome/abort"

    def __init__(self, name: str, message: str = "", **ports: Any) -> None:
        super().__init__(name, **ports)  # ports: behaviour_class_name, from py_trees' XML parser
        self.message = str(message)

    def params(self) -> dict[str, Any]:
        return {"message": self.message}

    def update(self) -> Status:
        ctx = self.ctx
        ctx.ports.motion.stop()
        history = ctx.step_reasons.get(self.step_id or "", [])
        # newest first: the latest concrete cause explains why we gave up
        reasons = [r for r, _, _ in reversed(history)]
        reason = lowest_cause(*reasons) if reasons else Reason.RETRIES_EXHAUSTED
        detail = next((m for r, m, _ in reversed(history) if r == reason), reason.describe)
        message = f"{self.message} ({detail})" if self.message else detail
        ctx.extras["abort"] = {"reason": reason, "message": message, "step": self.step_id}
        ctx.record("abort", self.name, step=self.step_id, reason=reason.name, message=message)
        self.reason = reason
        self.feedback_message = f"{reason.name}: {message}"
        return Status.FAILURE
