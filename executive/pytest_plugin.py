"""pytest plugin: snapshot tests for your own trees (``pytest11`` entry point ``executive``).

Two fixtures, each comparing with golden files under ``__snapshots__/`` beside the test file,
named after the test:

* ``tree_snapshot(root)``: the tree rendered as unicode (``<test>.txt``) and JSON (``<test>.json``);
* ``run_snapshot(root_or_text, seed=0, faults="")``: a lockstep run (a tree, or an instruction
  in words): outcome, the step table and ``trace_sha256`` (``<test>.run.txt``).

``pytest --update-goldens`` (or ``UPDATE_GOLDENS=1``) writes them; review them with ``git diff``.
A mismatch fails with a unified diff; a missing golden fails, naming the flag.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def pytest_addoption(parser: Any) -> None:
    parser.getgroup("executive").addoption(
        "--update-goldens", action="store_true", default=False,
        help="write the tree_snapshot/run_snapshot golden files instead of comparing")


def updating(config: Any) -> bool:
    """Whether this session writes goldens: ``--update-goldens`` or ``UPDATE_GOLDENS=1``."""
    flag = bool(config.getoption("--update-goldens", default=False))
    return flag or os.environ.get("UPDATE_GOLDENS") == "1"


def golden_name(test_name: str) -> str:
    """A file name from a test's name: parametrisation brackets kept readable, nothing unsafe."""
    return re.sub(r"[^A-Za-z0-9_.\-\[\]]+", "_", test_name).strip("_") or "test"


def check_golden(path: Path, text: str, *, update: bool, what: str) -> None:
    """Compare ``text`` with the golden at ``path`` (write it when updating)."""
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"golden {path} is missing; write it with pytest --update-goldens", pytrace=False)
    want = path.read_text(encoding="utf-8")
    if text != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), text.splitlines(True),
                                            f"{path.name} (golden)", f"{path.name} (now)"))
        pytest.fail(f"{what} differs from {path}; review, then pytest --update-goldens:\n{diff}",
                    pytrace=False)


def step_table(outcome: Any) -> str:
    """The run as text: what a reviewer reads in the diff."""
    lines = [f"outcome: {outcome.outcome} {outcome.reason_code.name}", f"ticks: {outcome.ticks}",
             "steps:"]
    lines += [f"  {s.status:>10}  {s.name}  retries={s.retries}  reason={s.reason}" for s in outcome.steps]
    lines.append(f"trace_sha256: {outcome.trace_sha256}")
    return "\n".join(lines) + "\n"


def _base(request: Any) -> Path:
    return Path(str(request.node.path)).parent / "__snapshots__" / golden_name(request.node.name)


@pytest.fixture
def tree_snapshot(request: Any) -> Callable[..., None]:
    """``tree_snapshot(root)``: the tree's unicode and JSON renders vs ``__snapshots__/<test>.{txt,json}``."""
    from executive.render import render

    def check(root: Any, *, suffix: str = "") -> None:
        base = _base(request)
        update = updating(request.config)
        for fmt, ext in (("unicode", "txt"), ("json", "json")):
            text = render(root, fmt)
            check_golden(base.with_name(f"{base.name}{suffix}.{ext}"), text, update=update,
                         what=f"the tree ({fmt})")

    return check


@pytest.fixture
def run_snapshot(request: Any) -> Callable[..., Any]:
    """``run_snapshot(root_or_text, seed=0, faults="")``: a lockstep run's outcome, step table and
    trace digest vs ``__snapshots__/<test>.run.txt``; returns the outcome."""
    import executive

    def check(root_or_text: Any, *, seed: int = 0, faults: str = "", engine: str = "none",
              suffix: str = "") -> Any:
        if isinstance(root_or_text, str):
            out = executive.run_instruction(root_or_text, seed=seed, faults=faults or None, engine=engine)
        else:
            out = executive.run_tree(root_or_text, seed=seed, faults=faults or None, engine=engine)
        base = _base(request)
        check_golden(base.with_name(f"{base.name}{suffix}.run.txt"), step_table(out),
                     update=updating(request.config), what="the run")
        return out

    return check
