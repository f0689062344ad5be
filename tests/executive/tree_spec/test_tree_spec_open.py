"""The YAML tree format's parallel (with its policy) and py_trees decorators by name."""

from __future__ import annotations

import sys

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


CUSTOM = """tree:
  sequence:
    name: mine
    children:
      - behaviour: {class: "%s", name: %s}
"""


def test_a_custom_behaviour_class_by_name_needs_its_package_allowed(tmp_path, monkeypatch):
    pkg = tmp_path / "mybots"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(
        "import py_trees\n\n"
        "class Hello(py_trees.behaviour.Behaviour):\n"
        "    def __init__(self, name, greeting='hi'):\n"
        "        super().__init__(name)\n        self.greeting = greeting\n"
        "    def setup(self, **kwargs):\n        self.ctx = kwargs['context']\n"
        "    def update(self):\n        self.ctx.record('said', self.name, text=self.greeting)\n"
        "        return py_trees.common.Status.SUCCESS\n")
    f = tmp_path / "t.yaml"
    f.write_text(CUSTOM % ("mybots:Hello", "hello, greeting: hey"))
    with pytest.raises(TreeSpecError, match="--allow-import mybots"):
        load_tree(f)
    monkeypatch.syspath_prepend(str(tmp_path))  # the user's package, importable as theirs would be
    monkeypatch.delitem(sys.modules, "mybots", raising=False)
    root = load_tree(f, allow_import=["mybots"])
    assert root.children[0].greeting == "hey"
    assert executive.run_tree(root, engine="none").outcome == "succeeded"
    from executive.cli import main

    assert main(["run", "--world", "kinematic", "--tree", str(f), "--no-log", "--engine", "none",
                 "--allow-import", "mybots"]) == 0
    sys.modules.pop("mybots", None)
    f.write_text(CUSTOM % ("py_trees.behaviours:Success", "ok"))
    assert isinstance(load_tree(f).children[0], py_trees.behaviours.Success)
    f.write_text(CUSTOM % ("py_trees.common:Status", "x"))
    with pytest.raises(TreeSpecError, match="not a py_trees behaviour class"):
        load_tree(f)
