"""Per-tick status trace and its digest: what snapshot and determinism tests compare.

Only deterministic things enter the trace: the tick number, the preorder index of each visited
behaviour and its status (never py_trees' uuid4 ids, never wall-clock time). A py_trees
visitor records visited behaviours during the tick, so the cost is proportional to what ran.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import py_trees

# keyed by id(): Status members are singletons, and Enum.__hash__ is slow Python code
_CODE = {
    id(py_trees.common.Status.SUCCESS): "S",
    id(py_trees.common.Status.FAILURE): "F",
    id(py_trees.common.Status.RUNNING): "R",
    id(py_trees.common.Status.INVALID): "I",
}


class TraceVisitor(py_trees.visitors.VisitorBase):
    """Collects (index, status) of behaviours visited in a tick and hashes each tick's line."""

    def __init__(self, root: py_trees.behaviour.Behaviour, keep_lines: bool = False) -> None:
        super().__init__(full=False)
        self.index = {n: str(i) for i, n in enumerate(root.iterate())}
        self._sha = hashlib.sha256()
        self._tick: list[tuple[py_trees.behaviour.Behaviour, py_trees.common.Status]] = []
        self.lines: list[str] | None = [] if keep_lines else None
        self.ticks = 0

    def initialise(self) -> None:
        self._tick = []

    def run(self, behaviour: py_trees.behaviour.Behaviour) -> None:
        self._tick.append((behaviour, behaviour.status))

    def finalise(self) -> None:
        idx, code = self.index, _CODE
        body = ",".join([idx.get(b, "?") + code[id(s)] for b, s in self._tick])
        line = f"{self.ticks}:{body}\n"
        self._sha.update(line.encode())
        if self.lines is not None:
            self.lines.append(line)
        self.ticks += 1

    def fold(self, data: Any) -> None:
        """Fold extra deterministic data (e.g. the final world digest) into the digest."""
        self._sha.update(json.dumps(data, sort_keys=True, default=str).encode())

    @property
    def hexdigest(self) -> str:
        return self._sha.hexdigest()
