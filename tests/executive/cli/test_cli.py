"""The CLI as operators use it: exit codes, the --json line, bad input never a traceback."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from executive.cli import main

ROOT = Path(__file__).resolve().parents[3]
EX = ROOT / "examples"


def run_cli(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_run_json_last_line_and_determinism(capsys):
    code, out, _ = run_cli(capsys, "run", "--world", "kinematic",
                                   "--plan", str(EX / "bring_red_cup_to_sink.yaml"),
                           "--seed", "1", "--json")
    first = json.loads(out.strip().splitlines()[-1])
    code2, out2, _ = run_cli(capsys, "run", "--world", "kinematic",
                                     "--plan", str(EX / "bring_red_cup_to_sink.yaml"),
                             "--seed", "1", "--json")
    second = json.loads(out2.strip().splitlines()[-1])
    assert code == code2 == 0
    for key in ("outcome", "reason_code", "message", "ticks", "sim_time_s", "steps",
                "faults_injected", "safety_violations_blocked", "trace_sha256"):
        assert key in first
    assert first["outcome"] == "succeeded"
    assert first["trace_sha256"] == second["trace_sha256"]
    assert first["steps"][0]["name"] == "1 pick red_cup"


def test_abort_exits_1_with_reason(capsys, tmp_path):
    plan = tmp_path / "p.yaml"
    plan.write_text("steps:\n  - {skill: pick, object: dumbbell}\n")
    code, out, _ = run_cli(capsys, "run", "--world", "kinematic", "--plan", str(plan), "--json")
    assert code == 1 and json.loads(out.splitlines()[-1])["reason_code"] == "SAFETY_TORQUE"


@pytest.mark.parametrize("args", [
    ["run", "--world", "kinematic", "--plan", "does/not/exist.yaml"],
    ["run", "--world", "kinematic", "--plan", str(EX / "go_to_red_cube.yaml"), "--faults", "bogus=1"],
    ["run", "--world", "kinematic", "--plan", str(EX / "go_to_red_cube.yaml"), "--faults", "grasp_fail=2"],
    ["run", "--world", "kinematic", "--plan", str(EX / "go_to_red_cube.yaml"), "--rate", "0"],
    ["run"],
])
def test_bad_input_exits_2_with_a_message(capsys, args):
    code, _, err = run_cli(capsys, *args)
    assert code == 2 and "error" in err


def test_unknown_object_is_refused_with_3(capsys, tmp_path):
    plan = tmp_path / "p.yaml"
    plan.write_text("steps:\n  - {skill: pick, object: unicorn}\n")
    code, out, _ = run_cli(capsys, "run", "--world", "kinematic", "--plan", str(plan), "--json")
    assert code == 3 and json.loads(out.splitlines()[-1])["reason_code"] == "INFEASIBLE"


@pytest.mark.parametrize("fmt", ["ascii", "unicode", "dot", "json"])
def test_compile_formats(capsys, fmt):
    code, out, _ = run_cli(capsys, "compile", "--plan", str(EX / "apple_out_of_fridge.yaml"),
                           "--format", fmt)
    assert code == 0 and "fridge" in out
    if fmt == "json":
        assert json.loads(out)["children"]
    if fmt == "dot":
        assert out.startswith("digraph")


def test_check_reports_good_and_bad_files(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("skill: pick\nsummary: x\naction: {leaf: fly}\n")
    code, out, _ = run_cli(capsys, "check", *map(str, sorted((ROOT / "trees/skills").glob("*.yaml"))),
                           *map(str, sorted(EX.glob("*.yaml"))), str(bad))
    assert code == 2
    assert out.count(": ok") == 14 + len(list(EX.glob("*.yaml")))
    assert f"{bad}:3: action.leaf" in out


def test_console_script_runs_as_a_process():
    exe = Path(sys.executable).parent / "executive"
    r = subprocess.run([str(exe), "run", "--world", "kinematic",
                                  "--plan", str(EX / "go_to_red_cube.yaml"), "--json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.splitlines()[-1])["outcome"] == "succeeded"
