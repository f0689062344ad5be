"""Engine backends. Each lives in its own module and imports its library lazily.

``ort_backend`` (ONNX Runtime), ``torch_backend`` (PyTorch), ``tensorrt_backend`` (TensorRT
10/11) and ``replay_backend`` (recorded chunks). Use :func:`inference.load_engine` to pick one.
"""

from __future__ import annotations

import importlib.util


def available_backends() -> list[str]:
    """Backends whose library is importable here (no import happens)."""
    found = ["replay"]
    for name, module in (("onnxruntime", "onnxruntime"), ("torch", "torch"), ("tensorrt", "tensorrt")):
        if importlib.util.find_spec(module) is not None:
            found.append(name)
    return found
