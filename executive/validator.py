"""Check any py_trees tree (compiled or hand-written) before it may run.

Refuses a tree where an actuating leaf is not under a safety guard, where an actuating leaf
has no recovery chain ending in an abort, or where parameters are invalid. Reads trees, not
plans, so hand-written trees get exactly the same checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import py_trees

from behaviours.guards import SafetyGuard
from behaviours.recovery import Abort, RecoveryChain

Behaviour = py_trees.behaviour.Behaviour


@dataclass(frozen=True)
class Issue:
    path: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: [{self.rule}] {self.message}"


def _walk(node: Behaviour, ancestors: tuple[Behaviour, ...] = ()):
    yield node, ancestors
    for child in node.children:
        yield from _walk(child, (*ancestors, node))


def validate(root: Behaviour) -> list[Issue]:
    """All problems found (empty list: the tree may run)."""
    issues: list[Issue] = []
    seen: set[int] = set()
    for node, anc in _walk(root):
        path = "/".join(a.name for a in (*anc, node))
        if id(node) in seen:
            issues.append(Issue(path, "shared-node", "the same behaviour object appears twice"))
        seen.add(id(node))
        check = getattr(node, "check_params", None)
        if callable(check):
            issues.extend(Issue(path, "params", m) for m in check())
        if isinstance(node, RecoveryChain):
            if not node.children or not isinstance(node.children[-1], Abort):
                issues.append(Issue(path, "recovery", "a recovery chain must end with an Abort"))
            if len(node.children) < 2:
                issues.append(Issue(path, "recovery", "a recovery chain needs an attempt and an abort"))
        if getattr(node, "actuating", False):
            if not any(isinstance(a, SafetyGuard) for a in anc):
                issues.append(Issue(path, "guard", "actuating leaf is not under a safety guard"))
            if not any(isinstance(a, RecoveryChain) for a in anc):
                issues.append(Issue(path, "recovery", "actuating leaf has no recovery chain"))
    return issues
