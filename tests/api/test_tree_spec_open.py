"""The YAML tree format's parallel (with its policy) and py_trees decorators by name."""

from __future__ import annotations

import py_trees
import pytest

import executive
from executive.tree_spec import TreeSpecError, load_tree

TREE = """tree:
  parallel:
    name: both
    policy: %s
    children:
      - guard:
          name: g
          limits: {linear_velocity: 0.6}
          child: {leaf: {type: navigate, name: go, target: kitchen}}
      - decorator:
          type: inverter
          name: not holding
          child: {condition: {type: holding, name: holding cup, entity: red_cup}}
"""


def test_parallel_and_decorator_load_and_run(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text(TREE % "success_on_all")
    root = load_tree(f)
    assert isinstance(root, py_trees.composites.Parallel)
    assert isinstance(root.policy, py_trees.common.ParallelPolicy.SuccessOnAll)
    assert isinstance(root.children[1], py_trees.decorators.Inverter)
    out = executive.run_tree(root, engine="none")
    assert out.outcome == "succeeded", out.message


@pytest.mark.parametrize("bad, words", [
    (TREE % "first_wins", "unknown parallel policy 'first_wins'"),
    (TREE.replace("type: inverter", "type: invertor") % "success_on_one", "unknown decorator 'invertor'"),
])
def test_bad_parallel_or_decorator_names_the_file_and_node(tmp_path, bad, words):
    f = tmp_path / "bad.yaml"
    f.write_text(bad)
    with pytest.raises(TreeSpecError) as e:
        load_tree(f)
    assert str(f) in str(e.value) and words in str(e.value) and "tree/both" in str(e.value)
