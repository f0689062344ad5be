"""``executive run|compile|check --tree``: hand-written trees get the world's name check, warnings
unless ``--strict``, and the same engine choice as instructions (no silent VLA-off)."""

from __future__ import annotations

from pathlib import Path

from executive.cli import main

PATROL = Path(__file__).resolve().parents[3] / "examples" / "trees" / "patrol.yaml"
LOOSE = """tree:
  guard:
    name: g
    limits: {linear_velocity: 2.0}
    child: {leaf: {type: navigate, name: go, target: %s}}
"""


def test_run_tree_keeps_the_engine_choice(capsys):
    assert main(["run", "--world", "kinematic",
                 "--tree", str(PATROL), "--no-log", "--engine", "onnxruntime"]) == 0
    assert "engine: onnxruntime" in capsys.readouterr().err


def test_hand_written_tree_warns_and_strict_refuses(tmp_path, capsys):
    f = tmp_path / "loose.yaml"
    f.write_text(LOOSE % "kitchen")
    assert main(["run", "--world", "kinematic", "--tree", str(f), "--no-log", "--engine", "none"]) == 0
    err = capsys.readouterr().err
    assert "warning: g: [guard-limits] linear_velocity=2" in err and "g/go: [recovery]" in err
    assert main(["run", "--world", "kinematic",
                 "--tree", str(f), "--no-log", "--engine", "none", "--strict"]) == 3


def test_compile_and_check_a_tree_file_name_the_misspelled_place(tmp_path, capsys):
    f = tmp_path / "typo.yaml"
    f.write_text(LOOSE % "kitchen_tabel")
    assert main(["compile", "--tree", str(f), "--format", "json"]) == 3
    out = capsys.readouterr()
    assert '"name": "g"' in out.out or '"g"' in out.out
    assert "did you mean 'kitchen_table'" in out.err
    assert main(["check", str(f)]) == 2
    assert f"{f}: invalid: g/go: [names]" in capsys.readouterr().out
    assert main(["compile", "--tree", str(PATROL), "--format", "dot"]) == 0
