#!/usr/bin/env python3
"""Build a TensorRT engine from an ONNX model (TensorRT 10 or 11); see ``inference/build_cli.py``.

    python tools/build_engine.py model.onnx -o model.engine --dim batch=1,1,4 --fp16
    python tools/build_engine.py model.onnx --shape wrist:1x3x32x32:2x3x32x32:4x3x32x32 --dry-run
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without an install

from inference.build_cli import main

if __name__ == "__main__":
    raise SystemExit(main())
