"""Shared plumbing for our behaviours: binding to the run context and recording failures."""

from __future__ import annotations

from typing import Any

import py_trees

from behaviours.context import ContextMissingError, RunContext
from behaviours.reasons import Reason


class ContextBound(py_trees.behaviour.Behaviour):
    """A behaviour that gets its :class:`RunContext` from ``setup(context=...)``."""

    #: True for leaves that can move the robot; the validator requires a guard above them.
    actuating: bool = False

    def __init__(self, name: str) -> None:
        super().__init__(name=name)
        self._ctx: RunContext | None = None
        self.step_id: str | None = None  # set by the compiler: which plan step this serves
        self.reason: Reason = Reason.NONE

    def setup(self, **kwargs: Any) -> None:
        ctx = kwargs.get("context")
        if ctx is not None:
            self._ctx = ctx

    @property
    def ctx(self) -> RunContext:
        if self._ctx is None:
            raise ContextMissingError(f"{self.name}: ticked before setup(context=...)")
        return self._ctx

    def params(self) -> dict[str, Any]:
        """Parameters shown in renders, snapshots and goldens (deterministic, JSON-able)."""
        return {}

    def check_params(self) -> list[str]:
        """Problems with this behaviour's parameters (empty when fine); read by the validator."""
        return []

    def fail(self, reason: Reason, message: str = "") -> py_trees.common.Status:
        """Record a failure with its reason for the step's abort and the operator."""
        self.reason = reason
        self.feedback_message = f"{reason.name}: {message}" if message else reason.name
        if self._ctx is not None:
            self._ctx.step_reasons.setdefault(self.step_id or "", []).append(
                (reason, message or reason.describe, self.name)
            )
            self._ctx.record("failure", self.name, reason=reason.name, message=message)
        return py_trees.common.Status.FAILURE


def need_text(value: Any, what: str) -> list[str]:
    """Validator helper: a non-empty string parameter."""
    if not isinstance(value, str) or not value.strip():
        return [f"{what} must be a non-empty string, got {value!r}"]
    return []
