"""The layering of DESIGN.md and ruff are part of the test suite, so CI fails on either."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run ./tools/setup.sh (it installs the dev extra)")
    return found


def test_import_contract_holds():
    r = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_is_clean():
    r = subprocess.run([_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_wrong_way_import_is_caught(tmp_path):
    """The contract really bites: a behaviours→executive import is reported."""
    import importlinter  # noqa: F401

    bad = ROOT / "behaviours" / "_layering_probe.py"
    bad.write_text("import executive.plan  # noqa: F401\n")
    try:
        r = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    finally:
        bad.unlink()
    assert r.returncode != 0 and "behaviours._layering_probe" in r.stdout
