"""Hand-written trees as YAML, so they get exactly the validator's checks (``executive check``).

A tree file has one top-level key ``tree`` holding a node. A node is a mapping with exactly one
of these keys, whose value is the node's settings::

    sequence / selector: {name, memory (default true), children: [node, ...]}
    chain:    {name, step, children: [node, ...]}       # a RecoveryChain; end it with abort
    stage:    {name, stage: attempt|alternative|replan, child: node}
    retry:    {name, attempts, backoff_s, factor, child: node}
    guard:    {name, limits: {...}, child: node}
    abort:    {name, message}
    leaf:     {type: navigate|detect|pick|place|open|close|toggle|wipe|pour|give|push|say|wait,
               name, ...leaf arguments}
    condition: {type: holding|at|open|closed|on|off|visible, name, entity}
    parallel: {name, policy: success_on_all|success_on_one (default success_on_all),
               synchronise (default true), children: [node, ...]}
    decorator: {type: a py_trees decorator by name (inverter, failure_is_success, …), name, child}
    behaviour: {class: package.module:Class, name, ...keyword arguments}   # a custom behaviour;
               # packages outside behaviours/py_trees need load_tree(allow_import=[...]) / --allow-import

Errors name the file and the node path.
"""

from __future__ import annotations

import contextvars
import importlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import py_trees
import yaml

from behaviours import conditions as cond
from behaviours.guards import SafetyGuard
from behaviours.recovery import Abort, RecoveryChain, RetryWithBackoff, Stage
from executive.compiler import LEAF_TYPES
from executive.plan import MAX_WAIT_S, PlanError, number_in
from inference.bounded import FileLimitError, load_file

Behaviour = py_trees.behaviour.Behaviour


class TreeSpecError(PlanError):
    """A tree file is malformed; the message names the file and the node path."""


def is_tree_file(data: Any) -> bool:
    return isinstance(data, Mapping) and set(data) == {"tree"}


#: Top-level packages a tree file may name in ``behaviour: {class: ...}`` without --allow-import.
ALLOWED_IMPORTS = ("behaviours", "py_trees")
_allowed: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("allowed", default=ALLOWED_IMPORTS)


def load_tree(path: str | Path, *, allow_import: Iterable[str] = ()) -> Behaviour:
    """Build the tree of a file. ``allow_import``: further top-level packages whose behaviour
    classes the file may name (a tree file is data; importing code from it is opt-in)."""
    token = _allowed.set(ALLOWED_IMPORTS + tuple(allow_import))
    try:
        return _load_tree(Path(path))
    finally:
        _allowed.reset(token)


def _load_tree(p: Path) -> Behaviour:
    try:  # bounded: size, nesting (no RecursionError in build_node), aliases, nodes, strings
        data = load_file(p)
    except FileLimitError as e:
        raise TreeSpecError(str(e)) from e
    except (OSError, yaml.YAMLError, ValueError) as e:
        raise TreeSpecError(f"{p}: cannot read tree file: {e}") from e
    if not is_tree_file(data):
        raise TreeSpecError(f"{p}: a tree file has exactly one top-level key 'tree'")
    return build_node(data["tree"], f"{p}: tree")


def build_node(spec: Any, where: str) -> Behaviour:
    if not isinstance(spec, Mapping) or len(spec) != 1:
        raise TreeSpecError(f"{where}: a node is a mapping with exactly one kind key")
    ((kind, raw),) = spec.items()
    body = dict(raw or {})
    name = str(body.pop("name", kind))
    here = f"{where}/{name}"
    try:
        return _BUILDERS[kind](name, body, here)
    except KeyError as e:
        if kind not in _BUILDERS:
            raise TreeSpecError(f"{where}: unknown node kind {kind!r}; known: "
                                f"{', '.join(sorted(_BUILDERS))}") from e
        raise TreeSpecError(f"{here}: missing field {e}") from e
    except (TypeError, ValueError) as e:
        if isinstance(e, TreeSpecError):
            raise
        if isinstance(e, PlanError):  # number_in: already names the node and field
            raise TreeSpecError(str(e)) from e
        raise TreeSpecError(f"{here}: {e}") from e


def _children(body: dict[str, Any], here: str) -> list[Behaviour]:
    kids = body.pop("children")
    if not isinstance(kids, list) or not kids:
        raise TreeSpecError(f"{here}: children must be a non-empty list")
    return [build_node(c, f"{here}[{i}]") for i, c in enumerate(kids)]


def _no_extra(body: dict[str, Any], here: str) -> None:
    if body:
        raise TreeSpecError(f"{here}: unknown field(s) {sorted(body)}")


def _sequence(name: str, body: dict[str, Any], here: str) -> Behaviour:
    kids, memory = _children(body, here), bool(body.pop("memory", True))
    _no_extra(body, here)
    return py_trees.composites.Sequence(name, memory=memory, children=kids)


def _selector(name: str, body: dict[str, Any], here: str) -> Behaviour:
    kids, memory = _children(body, here), bool(body.pop("memory", True))
    _no_extra(body, here)
    return py_trees.composites.Selector(name, memory=memory, children=kids)


def _chain(name: str, body: dict[str, Any], here: str) -> Behaviour:
    step = str(body.pop("step", name))
    kids = _children(body, here)
    _no_extra(body, here)
    chain = RecoveryChain(name, step, kids)
    for n in chain.iterate():
        if hasattr(n, "step_id"):
            n.step_id = step
    return chain


def _child(body: dict[str, Any], here: str) -> Behaviour:
    return build_node(body.pop("child"), here)


def _stage(name: str, body: dict[str, Any], here: str) -> Behaviour:
    child, stage = _child(body, here), str(body.pop("stage"))
    _no_extra(body, here)
    return Stage(name, child, stage)


def _retry(name: str, body: dict[str, Any], here: str) -> Behaviour:
    child = _child(body, here)
    args = {k: body.pop(k) for k in ("attempts", "backoff_s", "factor") if k in body}
    _no_extra(body, here)
    ranges = {"attempts": (1, 10), "backoff_s": (0.0, 60.0), "factor": (1.0, 10.0)}  # RetrySpec's
    for k, v in args.items():  # refused, never clamped
        number_in(v, f"{here}.{k}", *ranges[k], integer=k == "attempts")
    return RetryWithBackoff(name, child, **args)


def _guard(name: str, body: dict[str, Any], here: str) -> Behaviour:
    child, limits = _child(body, here), body.pop("limits", {})
    _no_extra(body, here)
    return SafetyGuard(name, child, limits)


def _abort(name: str, body: dict[str, Any], here: str) -> Behaviour:
    msg = str(body.pop("message", ""))
    _no_extra(body, here)
    return Abort(name, msg)


def _leaf(name: str, body: dict[str, Any], here: str) -> Behaviour:
    kind = body.pop("type")
    for k in ("seconds", "timeout_s", "distance", "max_linear", "max_angular"):
        if k in body:  # durations, distances and speeds: finite and not negative
            number_in(body[k], f"{here}.{k}", 0.0, MAX_WAIT_S)
    if kind not in LEAF_TYPES:
        raise TreeSpecError(f"{here}: unknown leaf type {kind!r}; known: {', '.join(sorted(LEAF_TYPES))}")
    return LEAF_TYPES[kind](name, **body)


def _condition(name: str, body: dict[str, Any], here: str) -> Behaviour:
    kind = body.pop("type")
    if kind not in cond.CONDITIONS:
        raise TreeSpecError(f"{here}: unknown condition {kind!r}; known: "
                            f"{', '.join(sorted(cond.CONDITIONS))}")
    return cond.CONDITIONS[kind](name, **body)


def _parallel(name: str, body: dict[str, Any], here: str) -> Behaviour:
    kids = _children(body, here)
    policy, sync = str(body.pop("policy", "success_on_all")), bool(body.pop("synchronise", True))
    _no_extra(body, here)
    if policy not in _POLICIES:
        raise TreeSpecError(f"{here}: unknown parallel policy {policy!r}; known: {', '.join(_POLICIES)}")
    return py_trees.composites.Parallel(name, policy=_POLICIES[policy](synchronise=sync), children=kids)


def _decorator(name: str, body: dict[str, Any], here: str) -> Behaviour:
    kind = str(body.pop("type"))
    child = _child(body, here)
    _no_extra(body, here)
    if kind not in _DECORATORS:
        raise TreeSpecError(f"{here}: unknown decorator {kind!r}; known: {', '.join(sorted(_DECORATORS))}")
    return _DECORATORS[kind](name=name, child=child)


def _behaviour(name: str, body: dict[str, Any], here: str) -> Behaviour:
    ref = str(body.pop("class"))
    mod_name, _, cls_name = ref.partition(":")
    if not mod_name or not cls_name:
        raise TreeSpecError(f"{here}: class must be 'package.module:Class', got {ref!r}")
    top = mod_name.split(".")[0]
    if top not in _allowed.get():
        raise TreeSpecError(f"{here}: importing from {top!r} is not allowed; allowed: "
                            f"{', '.join(_allowed.get())} (add it with --allow-import {top})")
    try:
        cls = getattr(importlib.import_module(mod_name), cls_name)
    except (ImportError, AttributeError) as e:
        raise TreeSpecError(f"{here}: cannot import {ref}: {e}") from e
    if not (isinstance(cls, type) and issubclass(cls, Behaviour)):
        raise TreeSpecError(f"{here}: {ref} is not a py_trees behaviour class")
    return cls(name=name, **body)


_POLICIES = {"success_on_all": py_trees.common.ParallelPolicy.SuccessOnAll,
             "success_on_one": py_trees.common.ParallelPolicy.SuccessOnOne}
# py_trees' decorators that take only (name, child): deterministic on any clock. (Timeout and
# friends read the wall clock, so they would break lockstep's same-seed-same-trace.)
_DECORATORS = {
    "inverter": py_trees.decorators.Inverter,
    "failure_is_success": py_trees.decorators.FailureIsSuccess,
    "failure_is_running": py_trees.decorators.FailureIsRunning,
    "success_is_failure": py_trees.decorators.SuccessIsFailure,
    "success_is_running": py_trees.decorators.SuccessIsRunning,
    "running_is_failure": py_trees.decorators.RunningIsFailure,
    "running_is_success": py_trees.decorators.RunningIsSuccess,
}

_BUILDERS = {
    "sequence": _sequence, "selector": _selector, "chain": _chain, "stage": _stage,
    "retry": _retry, "guard": _guard, "abort": _abort, "leaf": _leaf, "condition": _condition,
    "parallel": _parallel, "decorator": _decorator, "behaviour": _behaviour,
}
