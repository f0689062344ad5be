"""Fixtures for the VLA leaf tests: the shipped reference model, settings reset per test."""

from __future__ import annotations

import pytest
from vla_leaf_helpers import Harness, make_harness

from behaviours import vla_engine
from inference.reference import REFERENCE_MODEL


@pytest.fixture(autouse=True)
def _fresh_vla_settings():
    vla_engine.reset_settings()
    yield
    vla_engine.reset_settings()


@pytest.fixture(scope="session")
def reference_engine():
    return vla_engine.load_cached(REFERENCE_MODEL, "onnxruntime")


@pytest.fixture
def harness() -> Harness:
    return make_harness()
