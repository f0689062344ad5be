"""The layering of docs/DESIGN.md and ruff are part of the test suite, so CI fails on either."""

import os
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


PACKAGES = ("reference_training", "executive", "behaviours", "trees", "inference")


def _copy_tree(dst: Path) -> Path:
    """A temporary copy of the packages and the contracts: the probes never touch the real tree."""
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, dst / pkg, ignore=shutil.ignore_patterns("__pycache__", "*.onnx", "*.pt"))
    shutil.copy(ROOT / "pyproject.toml", dst / "pyproject.toml")
    return dst


def _lint_copy(root: Path) -> subprocess.CompletedProcess:
    """lint-imports over the copy: the copy comes first on the path, ahead of any installed checkout."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [_tool("lint-imports"), "--no-cache"], cwd=root, capture_output=True, text=True, env=env
    )


@pytest.mark.parametrize(
    ("probe", "line", "broken"),
    [
        ("behaviours/_layering_probe.py", "import executive.plan", "behaviours._layering_probe"),
        ("executive/sim/_layering_probe.py", "import executive.language", "executive.sim._layering_probe"),
        ("executive/sim/_layering_probe.py", "import executive.ros.server", "executive.sim._layering_probe"),
    ],
    ids=["behaviours->executive", "sim->language", "sim->ros"],
)
def test_wrong_way_import_is_caught(tmp_path: Path, probe: str, line: str, broken: str) -> None:
    """The contracts really bite: each wrong-way import, added to a copy, is reported by name."""
    import importlinter  # noqa: F401

    root = _copy_tree(tmp_path)
    clean = _lint_copy(root)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (root / probe).write_text(f"{line}  # noqa: F401\n")
    r = _lint_copy(root)
    assert r.returncode != 0 and broken in r.stdout, r.stdout + r.stderr
    assert not (ROOT / probe).exists()
