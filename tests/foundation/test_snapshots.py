"""Tree snapshot tests: each example's compiled tree, rendered deterministically, vs a golden file;
and each example's whole lockstep run (ticks + trace digest) vs a golden record.

Review and update goldens with one command (then read the diff in git before committing):

    UPDATE_GOLDENS=1 .venv/bin/python -m pytest tests/foundation/test_snapshots.py
"""

import json
import os
from pathlib import Path

import pytest

from executive.compiler import compile_plan
from executive.plan import load_plan
from executive.render import render
from executive.sim.backend import SimBackend
from tests.foundation.conftest import EXAMPLES, run_plan

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDENS") == "1"
PLANS = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


def check(path: Path, text: str) -> None:
    if UPDATE or not path.exists():
        if not UPDATE and os.environ.get("CI"):
            pytest.fail(f"golden {path.name} is missing; create it with UPDATE_GOLDENS=1")
        path.write_text(text)
        return
    assert text == path.read_text(), (
        f"{path.name} differs from the compiled tree; review with "
        "UPDATE_GOLDENS=1 .venv/bin/python -m pytest tests/foundation/test_snapshots.py && git diff")


@pytest.mark.parametrize("name", PLANS)
@pytest.mark.parametrize("fmt", ["unicode", "json"])
def test_compiled_tree_matches_golden(name, fmt):
    tree = compile_plan(load_plan(EXAMPLES / f"{name}.yaml"), SimBackend.create().entities())
    text = render(tree.root, fmt)
    assert text == render(tree.root, fmt)  # deterministic within a process too
    check(GOLDEN / f"{name}.{'txt' if fmt == 'unicode' else 'json'}", text)


@pytest.mark.parametrize("name", PLANS)
def test_whole_run_replays_tick_for_tick(name):
    out, _, _ = run_plan(name, seed=7, faults="grasp_fail=0.3,missed_detection=0.3")
    record = {"outcome": out.outcome, "reason": out.reason_code.name, "ticks": out.ticks,
              "trace_sha256": out.trace_sha256}
    check(GOLDEN / f"{name}.run.json", json.dumps(record, indent=1) + "\n")
