"""Hand-written trees (YAML) get the same validator checks as compiled ones."""

from pathlib import Path

import pytest

from executive.cli import main
from executive.tree_spec import TreeSpecError, load_tree
from executive.validator import validate

EX = Path(__file__).resolve().parents[3] / "examples" / "trees"


def test_example_tree_is_valid():
    assert validate(load_tree(EX / "patrol.yaml")) == []


def test_unguarded_hand_written_tree_is_refused(tmp_path, capsys):
    f = tmp_path / "t.yaml"
    f.write_text("tree:\n  chain:\n    name: c\n    children:\n"
                 "      - leaf: {type: pick, name: grab, entity: red_cup}\n"
                 "      - abort: {name: a}\n")
    assert main(["check", str(f)]) == 2
    assert "[guard] actuating leaf is not under a safety guard" in capsys.readouterr().out


@pytest.mark.parametrize("body, needle", [
    ("tree:\n  sequenze: {children: []}\n", "unknown node kind 'sequenze'"),
    ("tree:\n  leaf: {type: fly, name: up}\n", "unknown leaf type 'fly'"),
    ("tree:\n  guard: {name: g}\n", "missing field 'child'"),
    ("tree:\n  leaf: {type: pick, name: p, entity: cup, colour: red}\n", "colour"),
    ("nottree: 1\n", "exactly one top-level key"),
])
def test_malformed_tree_files_name_file_and_node(tmp_path, refused, body, needle):
    refused(tmp_path / "t.yaml", body, load_tree, TreeSpecError, needle)


def test_hand_written_tree_runs_in_the_simulated_world(capsys):
    import json

    assert main(["run", "--world", "kinematic", "--tree", str(EX / "patrol.yaml"), "--json", "--no-log"]) == 0
    out = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert out["outcome"] == "succeeded" and [s["name"] for s in out["steps"]] == ["leg 1", "leg 2"]
