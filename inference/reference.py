"""Where the shipped reference policy lives: one path for the leaf, the tools and the tests.

Training writes here (``tools/train_reference_policy.py``), the executive loads from here by
default (``executive.vla_setup``, ``behaviours.vla_engine``), benchmarks read it.
"""

from __future__ import annotations

from pathlib import Path

#: The folder of the shipped reference policy (model, card, training report).
REFERENCE_DIR = Path(__file__).resolve().parent / "models" / "reference"
#: The shipped ONNX model; its card ``model.card.yaml`` lies beside it.
REFERENCE_MODEL = REFERENCE_DIR / "model.onnx"
