"""Executive tick vs plain py_trees on the same tree shapes (~10, 100, 1,000 nodes).

Both sides tick a tree of the same shape: sequences of fallback chains whose leaves stay
RUNNING, so every tick visits a realistic active path. *plain* is ``BehaviourTree.tick()``
on py_trees' own composites, decorators and leaves. *executive* is this project's
``TickLoop.tick()`` (status trace visitor, timing, overrun count) on the compiled node types:
safety guards, retry-with-backoff, stages, recovery chains, conditions and action leaves
polling a handle. Prints one JSON object: per-node microseconds and the ratio, measured in
one run so machine noise hits both sides alike.
"""

from __future__ import annotations

import gc
import importlib.metadata
import json
import statistics
import sys
import time
from pathlib import Path

import py_trees

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from behaviours.conditions import HandFree
from behaviours.context import RunContext
from behaviours.guards import SafetyGuard
from behaviours.leaves import ActionLeaf
from behaviours.limits import LimitStack
from behaviours.ports import ActionResult, ActionStatus
from behaviours.recovery import Abort, RecoveryChain, RetryWithBackoff, Stage
from behaviours.safety_gate import SafetyGate
from executive.runtime import RunConfig, TickLoop
from executive.sim.backend import SimBackend


class _Running:
    """A handle that stays RUNNING: the leaf polls it each tick as on a robot."""

    status = ActionStatus.RUNNING
    feedback = "working"
    result: ActionResult | None = None

    def cancel(self) -> None:
        pass


class PollLeaf(ActionLeaf):
    def start(self, ports):
        return _Running()


def executive_unit(i: int) -> py_trees.behaviour.Behaviour:
    """7 nodes: chain → stage → retry → guard → sequence(condition, leaf) + abort."""
    seq = py_trees.composites.Sequence(f"do {i}", memory=True, children=[
        HandFree(f"free {i}"), PollLeaf(f"act {i}")])
    guarded = SafetyGuard(f"guard {i}", seq, {"linear_velocity": 0.5})
    retry = RetryWithBackoff(f"retry {i}", guarded, 2, 1.0)
    return RecoveryChain(f"step {i}", f"s{i}", [Stage(f"attempt {i}", retry, "attempt"), Abort(f"abort {i}")])


def plain_unit(i: int) -> py_trees.behaviour.Behaviour:
    seq = py_trees.composites.Sequence(f"do {i}", memory=True, children=[
        py_trees.behaviours.Success(f"free {i}"), py_trees.behaviours.Running(f"act {i}")])
    guarded = py_trees.decorators.PassThrough(f"guard {i}", seq)
    retry = py_trees.decorators.Retry(f"retry {i}", guarded, 2)
    attempt = py_trees.decorators.PassThrough(f"attempt {i}", retry)
    return py_trees.composites.Selector(f"step {i}", memory=True,
                                        children=[attempt, py_trees.behaviours.Failure(f"abort {i}")])


def build(unit, n_nodes: int) -> py_trees.behaviour.Behaviour:
    """Parallel of units so every unit is active each tick (the worst case for tick cost)."""
    units = max(1, round((n_nodes - 1) / 7))
    return py_trees.composites.Parallel(
        "root", policy=py_trees.common.ParallelPolicy.SuccessOnAll(synchronise=False),
        children=[unit(i) for i in range(units)])


def time_block(tick, ticks: int) -> float:
    t0 = time.perf_counter()
    for _ in range(ticks):
        tick()
    return (time.perf_counter() - t0) / ticks


def paired_rounds(plain_tick, exec_tick, ticks: int, rounds: int = 15) -> tuple[float, float, float]:
    """Alternate plain/executive blocks so machine noise hits both alike; GC off while timing.

    Returns the median per-tick time of each side and the median of the per-round ratios.
    """
    plain_tick()
    exec_tick()  # warm up (initialise)
    gc.collect()
    gc.disable()
    try:
        pairs = [(time_block(plain_tick, ticks), time_block(exec_tick, ticks)) for _ in range(rounds)]
    finally:
        gc.enable()
    return (statistics.median(p for p, _ in pairs), statistics.median(e for _, e in pairs),
            statistics.median(e / p for p, e in pairs))


def main() -> int:
    backend = SimBackend.create()
    limits = LimitStack()
    gate = SafetyGate(backend.actuators, limits, backend.now, backend.state)
    ctx = RunContext(ports=backend.bind(gate), limits=limits, clock=backend.now, gate=gate)
    results = []
    for n in (10, 100, 1000):
        ticks = max(10, 4000 // n)
        ex_root = build(executive_unit, n)
        loop = TickLoop(ex_root, ctx, (), RunConfig(rate_hz=10))
        loop.tree.setup(context=ctx)
        pl_root = build(plain_unit, n)
        plain = py_trees.trees.BehaviourTree(pl_root)
        plain.setup()
        nodes = sum(1 for _ in ex_root.iterate())
        assert nodes == sum(1 for _ in pl_root.iterate())
        t_plain, t_exec, ratio = paired_rounds(plain.tick, loop.tick, ticks)
        results.append({
            "nodes": nodes, "ticks": ticks,
            "plain_us_per_node": round(t_plain / nodes * 1e6, 3),
            "executive_us_per_node": round(t_exec / nodes * 1e6, 3),
            "plain_ms_per_tick": round(t_plain * 1e3, 4),
            "executive_ms_per_tick": round(t_exec * 1e3, 4),
            "ratio": round(ratio, 3),
        })
    version = importlib.metadata.version("py_trees")
    print(json.dumps({"benchmark": "tick", "py_trees": version, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
