"""Shared test configuration: hypothesis profiles (CI is deterministic and bounded), a temporary
log folder, the snapshot plugin, the ``run`` fixture that runs a plan on a fresh kinematic
world (used across ``tests/executive`` and ``tests/trees``), and ``refused``: a file the
executive must refuse with its name and the field in the message."""

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# Runs started by tests write their execution logs to a temporary folder, not ./logs
# (set before the executive is imported, so no module can read the default first).
if "EXECUTIVE_LOG_DIR" not in os.environ:
    os.environ["EXECUTIVE_LOG_DIR"] = tempfile.mkdtemp(prefix="executive-test-logs-")

from executive.compiler import compile_plan  # noqa: E402
from executive.plan import Plan, load_plan  # noqa: E402
from executive.runtime import RunConfig, Runtime  # noqa: E402
from executive.sim.backend import SimBackend  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _snapshot_plugin_installed() -> bool:
    """True when the installed package registers the plugin itself (pytest11 entry point)."""
    from importlib.metadata import entry_points

    return any(ep.value == "executive.pytest_plugin" for ep in entry_points(group="pytest11"))


# tree_snapshot / run_snapshot and --update-goldens (executive/pytest_plugin.py) for this suite,
# also before the package is reinstalled with its entry point.
if not _snapshot_plugin_installed():
    pytest_plugins = ["executive.pytest_plugin"]


def run_plan(plan: Plan | str, seed: int = 1, faults: str = "", **cfg):
    """Compile and run a plan in a fresh simulated world; returns (outcome, backend, runtime)."""
    if isinstance(plan, str):
        plan = load_plan(EXAMPLES / f"{plan}.yaml")
    backend = SimBackend.create(seed=seed, faults=faults)
    runtime = Runtime(backend, RunConfig(**cfg))
    compiled = compile_plan(plan, backend.entities())
    return runtime.execute(compiled), backend, runtime


@pytest.fixture
def run():
    return run_plan


def assert_refused(path: Path, body: str, load: Callable[[Path], object], error: type[Exception],
                   needle: str) -> None:
    """Write ``body`` to ``path``; ``load`` must raise ``error`` naming the file and ``needle``."""
    path.write_text(body)
    with pytest.raises(error) as e:
        load(path)
    assert str(path) in str(e.value) and needle in str(e.value), str(e.value)


@pytest.fixture
def refused():
    return assert_refused
