from pathlib import Path

import pytest

from executive.compiler import compile_plan
from executive.plan import Plan, load_plan
from executive.runtime import RunConfig, Runtime
from executive.sim.backend import SimBackend

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


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
