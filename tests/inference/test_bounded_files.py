"""Hostile files of every kind are refused with the file and the limit named (issue 16)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from executive import hostile_files as fuzz
from inference.bounded import FileLimitError, load_text

ROOT = Path(__file__).resolve().parents[2]

#: What each hostile file's refusal must say (besides the file name).
EXPECT = {
    "alias_bomb": "max_nodes", "alias_cycle": "alias cycles", "alias_cycle_map": "alias cycles",
    "deep_seq": "max_depth", "deep_map": "max_depth", "deep_block": "max_bytes",
    "random_bytes": "not UTF-8", "lone_surrogate_bytes": "not UTF-8",
    "lone_surrogate_escape": ("lone surrogate", "invalid Unicode character escape"),
    "nan_inf": "finite", "long_string": "max_string",
    "many_steps": "max_nodes", "steps_1001": "max_steps", "json_deep": "max_depth",
    "json_nan": "finite", "json_surrogate": "lone surrogate", "big_50mb": "max_bytes",
}  # libyaml refuses a "\ud800" escape itself; PyYAML's pure parser leaves it to our walk


@pytest.mark.parametrize("kind", fuzz.KINDS)
def test_every_hostile_file_is_refused_naming_file_and_limit(kind: str, tmp_path: Path) -> None:
    read = fuzz.reader(kind)
    files = fuzz.hostile_files(tmp_path, kind, big_mb=50 if kind == "plan" else 2)
    for name, path in files.items():
        with pytest.raises(ValueError) as err:  # each reader's error type is a ValueError
            read(path)
        msg = str(err.value)
        assert str(path) in msg, (name, msg)
        want = EXPECT[name]
        assert any(w in msg for w in ((want,) if isinstance(want, str) else want)), (name, msg)


def test_check_reports_every_file_and_exits_2(tmp_path: Path) -> None:
    files = fuzz.hostile_files(tmp_path, "plan", big_mb=1)
    good = ROOT / "examples" / "go_to_red_cube.yaml"
    args = [str(p) for p in files.values()]
    r = subprocess.run([sys.executable, "-m", "executive.cli", "check", args[0], str(good),
                        *args[1:]], capture_output=True, text=True, cwd=ROOT, timeout=120,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stdout + r.stderr
    lines = r.stdout.splitlines()
    for a in args:
        assert any(line.startswith(f"{a}: error:") for line in lines), a
    assert any(line.startswith(f"{good}: ok") for line in lines)


def test_aliases_that_stay_small_are_fine_and_counted_expanded() -> None:
    assert load_text("a: &a {x: 1}\nb: *a\n") == {"a": {"x": 1}, "b": {"x": 1}}
    bomb = "a: &a [" + ", ".join(["x"] * 200) + "]\nb: [" + ", ".join(["*a"] * 200) + "]\n"
    with pytest.raises(FileLimitError, match="max_nodes"):
        load_text(bomb, "bomb.yaml")


def test_json_and_yaml_walks_refuse_nonfinite_numbers_by_field() -> None:
    with pytest.raises(FileLimitError, match=r"steps\[0\]\.params\.seconds"):
        load_text('{"steps": [{"params": {"seconds": Infinity}}]}', "p.json", json_syntax=True)
    assert load_text("x: .nan", allow_nonfinite=True)["x"] != 0


@pytest.mark.parametrize("params, needle", [
    ("{seconds: -100}", "params.seconds must be in [0, 3600]"),
    ("{seconds: 1.0e+308}", "params.seconds must be in [0, 3600]"),
    ("{seconds: .nan}", "not a finite number"),
    ("{seconds: forever}", "params.seconds must be a number"),
    ("{seconds: 2, speed: 10}", "unknown parameter(s) ['speed']"),
])
def test_plan_numbers_and_unknown_params_are_refused(tmp_path: Path, refused, params: str,
                                                     needle: str) -> None:
    from executive.plan import PlanError, load_plan

    refused(tmp_path / "p.yaml", f"steps:\n  - {{skill: wait, params: {params}}}\n", load_plan, PlanError,
            needle)


def test_plan_navigate_speed_is_an_unknown_parameter(tmp_path: Path) -> None:
    from executive.plan import PlanError, load_plan

    p = tmp_path / "p.yaml"
    p.write_text("steps:\n  - {skill: navigate, target: sink, params: {speed: 10}}\n")
    with pytest.raises(PlanError, match=r"steps\[0\]\.params: unknown parameter"):
        load_plan(p)
    p.write_text("steps:\n  - {skill: wait, params: {seconds: 2.5}}\n")
    assert load_plan(p).steps[0].params["seconds"] == 2.5


@pytest.mark.parametrize("body, needle", [
    ("retry: {attempts: -1, child: {leaf: {type: wait, seconds: 1}}}", "attempts must be in"),
    ("retry: {backoff_s: 1.0e+9, child: {leaf: {type: wait, seconds: 1}}}", "backoff_s must be in"),
    ("leaf: {type: wait, seconds: -5}", "seconds must be in"),
])
def test_tree_numbers_are_refused(tmp_path: Path, refused, body: str, needle: str) -> None:
    from executive.tree_spec import TreeSpecError, load_tree

    refused(tmp_path / "t.yaml", f"tree:\n  {body}\n", load_tree, TreeSpecError, needle)


def test_pure_python_pyyaml_gives_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    import inference.bounded as bounded

    monkeypatch.setitem(sys.modules, "yaml._yaml", None)  # as if libyaml were missing
    monkeypatch.setattr(bounded, "_LOADERS", {})
    assert load_text("a: &a {x: 1}\nb: *a\n") == {"a": {"x": 1}, "b": {"x": 1}}
    for text, limit in (("a: &a [1, *a]", "alias cycles"), ("x: " + "[" * 10_000, "max_depth"),
                        ('x: "\\ud800"', "lone surrogate"), ("x: [.inf]", "finite")):
        with pytest.raises(FileLimitError, match=limit):
            load_text(text, "f.yaml")
