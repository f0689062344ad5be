"""Safety-guard decorator: scoped limits for a subtree, enforced at the port by the gate.

``initialise()`` pushes the guard's limits (tightening whatever encloses it); ``terminate()``
pops them. On every tick the guard looks at violations the gate recorded since it started and
at its own time limit; either fails the subtree with a reason code on the blackboard and a
safe stop. py_trees' Decorator ticks the child before ``update()``, so the guard reacts to
the same tick's results.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import py_trees

from behaviours.context import ContextMissingError, RunContext
from behaviours.limits import DEFAULT_LIMITS
from behaviours.reasons import Reason

BLACKBOARD_VIOLATION = "/safety/last_violation"


class SafetyGuard(py_trees.decorators.Decorator):
    """Fails its child's subtree on any limit violation or timeout, after a safe stop."""

    def __init__(
        self, name: str, child: py_trees.behaviour.Behaviour, limits: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(name=name, child=child)
        self.limits = dict(limits or {})
        self.limit_error: str | None = None
        try:
            DEFAULT_LIMITS.tightened(**self.limits)
        except ValueError as e:  # reported by the validator; never reaches a tick
            self.limit_error = str(e)
        self._ctx: RunContext | None = None
        self._start = 0.0
        self._seen = 0
        self.reason = Reason.NONE
        self.step_id: str | None = None
        self._bb: py_trees.blackboard.Client | None = None

    def setup(self, **kwargs: Any) -> None:
        self._ctx = kwargs.get("context", self._ctx)
        self._bb = self.attach_blackboard_client(name=self.name)
        self._bb.register_key(BLACKBOARD_VIOLATION, access=py_trees.common.Access.WRITE)

    def params(self) -> dict[str, Any]:
        return {"limits": self.limits}

    def check_params(self) -> list[str]:
        return [self.limit_error] if self.limit_error else []

    def initialise(self) -> None:
        ctx = self._require_ctx()
        self.reason = Reason.NONE
        ctx.limits.push(self.name, **self.limits)
        self._start = ctx.now()
        self._seen = len(ctx.gate.violations) if ctx.gate is not None else 0
        self.feedback_message = ""

    def update(self) -> py_trees.common.Status:
        ctx = self._require_ctx()
        gate = ctx.gate
        if gate is not None and len(gate.violations) > self._seen:
            v = gate.violations[-1]
            self._seen = len(gate.violations)
            return self._trip(ctx, v.reason, f"{v.command} {v.value} beyond {v.limit}", v.as_dict())
        timeout = ctx.limits.current.action_timeout
        if ctx.now() - self._start > timeout:
            hung = self._hung_port()
            if hung is not None:  # lowest-level cause wins: the port never answered
                return self._trip(ctx, Reason.PORT_TIMEOUT,
                                  f"{hung}: the robot interface did not answer within "
                                  f"{timeout:g} s", {})
            return self._trip(ctx, Reason.SAFETY_TIMEOUT, f"exceeded {timeout:g} s", {})
        return self.decorated.status

    def _hung_port(self) -> str | None:
        """The running leaf below whose action the robot interface has not answered, if any."""
        for n in self.decorated.iterate():
            handle = getattr(n, "handle", None)
            if n.status is py_trees.common.Status.RUNNING and handle is not None \
                    and getattr(handle, "answered", True) is False:
                return n.name
        return None

    def _require_ctx(self) -> RunContext:
        if self._ctx is None:
            raise ContextMissingError(f"{self.name}: ticked before setup(context=...)")
        return self._ctx

    def terminate(self, new_status: py_trees.common.Status) -> None:
        if self._ctx is not None:
            self._ctx.limits.pop(self.name)

    def _trip(
        self, ctx: RunContext, reason: Reason, message: str, detail: dict[str, Any]
    ) -> py_trees.common.Status:
        if ctx.gate is not None:
            ctx.gate.stop()
        self.reason = reason
        self.feedback_message = f"{reason.name}: {message}"
        record = {"guard": self.name, "reason": reason.name, "message": message, **detail}
        if self._bb is not None:
            self._bb.set(BLACKBOARD_VIOLATION, record)
        ctx.step_reasons.setdefault(self.step_id or "", []).append((reason, message, self.name))
        ctx.record("guard_tripped", self.name, reason=reason.name, message=message)
        return py_trees.common.Status.FAILURE
