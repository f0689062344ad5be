"""The language side of the CLI: plan-json, --no-ground, --batch, exit codes 0/3/4."""

import io
import json

import pytest

from executive.cli import main


def cli(capsys, *args):
    code = main(list(args))
    return code, capsys.readouterr().out


@pytest.mark.parametrize("text, status, code", [
    ("bring the red cup from the table to the sink", "ok", 0),
    ("bring me the cup", "clarify", 4),
    ("put the fork in the microwave and turn it on", "refused", 3),
    ("fly to the roof", "infeasible", 3),
])
def test_plan_json_is_exactly_one_object(capsys, text, status, code):
    rc, out = cli(capsys, "compile", text, "--format", "plan-json")
    lines = out.strip().splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert set(obj) == {"status", "steps", "question", "reason"}
    assert obj["status"] == status and rc == code


def test_plan_json_heads_and_no_ground(capsys):
    _, out = cli(capsys, "compile", "put the purple teapot on the windowsill", "--no-ground",
                 "--format", "plan-json")
    obj = json.loads(out)
    assert obj["status"] == "ok"
    assert obj["steps"][-1] == {"skill": "place", "object": "teapot", "target": "windowsill"}


def test_batch_reads_stdin_one_line_each(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("go to the kitchen\nbring me the cup\n\nsay hi\n"))
    rc, out = cli(capsys, "compile", "--batch", "-", "--format", "plan-json")
    rows = [json.loads(x) for x in out.strip().splitlines()]
    assert rc == 0 and len(rows) == 4
    assert [r["status"] for r in rows][:2] == ["ok", "clarify"]


def test_run_words_clarify_then_answer(capsys):
    rc, out = cli(capsys, "run", "--world", "kinematic", "bring me the cup", "--json")
    assert rc == 4 and "Which cup" in json.loads(out.splitlines()[-1])["message"]
    rc, out = cli(capsys, "run", "--world", "kinematic",
                          "bring me the cup", "--answer", "the red one", "--json",
                  "--engine", "none")
    assert rc == 0 and json.loads(out.splitlines()[-1])["outcome"] == "succeeded"
