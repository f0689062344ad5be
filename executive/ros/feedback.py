"""Action feedback from the tick loop, at a bounded rate, without ever touching ROS on the tick.

:class:`FeedbackSink` is a runtime ``TickSink``. On a tick it only computes a small dict (the
active behaviour path, the current step, progress, status, retries) when at least
``1 / max_rate_hz`` has passed since the last one, and leaves it in a one-slot mailbox. The
action server's goal thread takes the newest one and publishes it, so a slow DDS write can
never delay a tick, and a tick never waits on a ROS callback.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

import py_trees

Status = py_trees.common.Status


def active_path(root: py_trees.behaviour.Behaviour) -> list[str]:
    """Names from the root to the deepest running behaviour (the tip)."""
    tip = root.tip()
    if tip is None:
        return [root.name]
    path: list[str] = []
    node: Any = tip
    while node is not None:
        path.append(node.name)
        node = node.parent
    return path[::-1]


class FeedbackSink:
    """TickSink → newest feedback dict (see module doc). Thread-safe ``take()``."""

    def __init__(self, steps: Sequence[Any] = (), max_rate_hz: float = 10.0) -> None:
        self.steps = list(steps)
        self.min_interval = 1.0 / max(0.1, max_rate_hz)
        self._last = -1e9
        self._lock = threading.Lock()
        self._latest: dict[str, Any] | None = None
        self._seq = 0
        self.produced = 0
        self.outcome: Any = None

    def _steps_state(self) -> tuple[str, int, float]:
        n = len(self.steps)
        if not n:
            return "", 0, 0.0
        done = sum(1 for s in self.steps if s.chain.status == Status.SUCCESS)
        current, index = "", 0
        for i, s in enumerate(self.steps):
            if s.chain.status == Status.RUNNING:
                current, index = s.label, i + 1
        if not current:
            for i, s in enumerate(self.steps):
                if s.chain.status != Status.INVALID:
                    current, index = s.label, i + 1
        return current, index, done / n

    def build(self, info: Any) -> dict[str, Any]:
        root = info.tree.root
        path = active_path(root)
        tip = root.tip()
        current, index, progress = self._steps_state()
        ctx = info.context
        retries = sum(ctx.retries.values()) if ctx is not None else 0
        fb = tip.feedback_message if tip is not None else ""
        status = root.status.name if not fb else f"{root.status.name}: {fb}"
        return {"active_path": " / ".join(path), "current_step": current, "step_index": index,
                "step_count": len(self.steps), "progress": float(progress), "status": status,
                "retries": int(retries), "tick": int(info.tick)}

    # -- TickSink ---------------------------------------------------------------------------
    def on_tick(self, info: Any) -> None:
        now = time.monotonic()
        if now - self._last < self.min_interval:
            return
        self._last = now
        fb = self.build(info)
        with self._lock:
            self._latest = fb
            self._seq += 1
            self.produced += 1

    def on_outcome(self, outcome: Any) -> None:
        self.outcome = outcome

    def take(self) -> dict[str, Any] | None:
        """The newest feedback not taken yet, or None."""
        with self._lock:
            fb, self._latest = self._latest, None
        return fb
