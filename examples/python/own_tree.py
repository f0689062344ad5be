"""A py_trees user's own tree on the simulated household, run with one call.

Composites, two py_trees idioms (``either_or``, ``pick_up_where_you_left_off``), a custom
behaviour that gets the run's context in ``setup()``, and the project's guarded leaves::

    python examples/python/own_tree.py [LOG.mcap]
    executive view LOG.mcap        # the log opens in the viewer: camera, tree, blackboard
"""

from __future__ import annotations

import operator
import sys
from typing import Any

import py_trees

import executive
from behaviours.guards import SafetyGuard
from behaviours.leaves import Detect, NavigateTo, Pick, Place


class NoteStart(py_trees.behaviour.Behaviour):
    """A behaviour of the user's own: stamps the run's clock onto the blackboard."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.bb = self.attach_blackboard_client(name=name)
        self.bb.register_key("/errand/started_at", access=py_trees.common.Access.WRITE)
        self.ctx: Any = None

    def setup(self, **kwargs: Any) -> None:
        self.ctx = kwargs["context"]  # behaviours.context.RunContext: ports, limits, clock

    def update(self) -> py_trees.common.Status:
        self.bb.set("/errand/started_at", round(self.ctx.now(), 3))
        self.ctx.record("note", self.name, text="errand started")
        return py_trees.common.Status.SUCCESS


def guarded(leaf: py_trees.behaviour.Behaviour, **limits: float) -> SafetyGuard:
    return SafetyGuard(f"guard: {leaf.name}", leaf, limits)


def build() -> py_trees.behaviour.Behaviour:
    route = py_trees.behaviours.SetBlackboardVariable(
        "choose the table route", variable_name="/errand/route", variable_value="table", overwrite=True)
    go = py_trees.idioms.either_or(
        name="which way?",
        conditions=[py_trees.common.ComparisonExpression("/errand/route", "table", operator.eq),
                    py_trees.common.ComparisonExpression("/errand/route", "sink", operator.eq)],
        subtrees=[guarded(NavigateTo("to the kitchen table", "kitchen_table"), linear_velocity=0.6),
                  guarded(NavigateTo("to the sink", "sink"), linear_velocity=0.6)],
        namespace="which_way")
    fetch = py_trees.idioms.pick_up_where_you_left_off("fetch the cup", [
        Detect("find the red cup", "red_cup"),
        guarded(Pick("pick the red cup", "red_cup")),
        guarded(NavigateTo("to the counter", "counter"), linear_velocity=0.6),
        guarded(Place("put it on the counter", "counter", "on")),
    ])
    return py_trees.composites.Sequence("my errand", memory=True,
                                        children=[route, NoteStart("note the start"), go, fetch])


def main(log: str | None = None) -> Any:
    return executive.run_tree(build(), seed=0, log=log, engine="none")


if __name__ == "__main__":
    out = main(sys.argv[1] if len(sys.argv) > 1 else None)
    print(out.outcome, out.reason_code.name, [(s.name, s.status) for s in out.steps])
    sys.exit(out.exit_code)
