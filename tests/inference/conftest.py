"""Fixtures for the inference tests: a tiny ONNX policy on disk (helpers in vla_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from inference.tiny import TinySpec, write_tiny_model


@pytest.fixture(scope="session")
def tiny_spec() -> TinySpec:
    return TinySpec()


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory, tiny_spec) -> Path:
    """``model.onnx`` + ``model.card.yaml`` in a session temp dir (no INT8: keeps it fast)."""
    return write_tiny_model(tmp_path_factory.mktemp("tiny"), tiny_spec)
