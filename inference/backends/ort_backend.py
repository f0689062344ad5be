"""ONNX Runtime backend: TensorRT / CUDA / CPU execution providers, honouring a requested order.

ORT silently falls back to the next provider when one fails to initialise, so after creating
the session we read ``session.get_providers()`` and record what really runs in ``provider``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from inference.card import ModelCard
from inference.errors import BackendUnavailable, ModelLoadError
from inference.preprocess import FeedsEngine, tokenizer_for

DEFAULT_ORDER = ("TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider")
_GPU = {"TensorrtExecutionProvider", "CUDAExecutionProvider"}


def choose_providers(requested: Sequence[str] | None, available: Sequence[str]) -> list[str]:
    """The requested providers (default TensorRT > CUDA > CPU) that exist here, in order.

    CPU is always appended as the last resort. Pure function, tested.
    """
    order = list(requested) if requested else list(DEFAULT_ORDER)
    chosen = [p for p in order if p in available]
    if "CPUExecutionProvider" not in chosen:
        chosen.append("CPUExecutionProvider")
    return chosen


class OrtEngine(FeedsEngine):
    """``Engine`` on ONNX Runtime. Options: ``providers``, ``intra_op_threads``,
    ``inter_op_threads``, ``provider_options`` (per provider name), ``io_binding`` (auto)."""

    def __init__(
        self,
        card: ModelCard,
        model_path: str | Path,
        *,
        providers: Sequence[str] | None = None,
        intra_op_threads: int | None = None,
        inter_op_threads: int | None = None,
        provider_options: dict[str, dict[str, Any]] | None = None,
        io_binding: bool | None = None,
        name: str | None = None,
    ) -> None:
        try:
            import onnxruntime as ort
        except ImportError as e:
            raise BackendUnavailable("onnxruntime is not installed (pip install onnxruntime)") from e
        self.card = card
        self.model_path = Path(model_path)
        so = ort.SessionOptions()
        if intra_op_threads:
            so.intra_op_num_threads = int(intra_op_threads)
        if inter_op_threads:
            so.inter_op_num_threads = int(inter_op_threads)
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        chosen = choose_providers(providers, ort.get_available_providers())
        popts = [dict((provider_options or {}).get(p, {})) for p in chosen]
        try:
            self._session = ort.InferenceSession(
                str(self.model_path), sess_options=so, providers=chosen, provider_options=popts
            )
        except Exception as e:
            raise ModelLoadError(self.model_path, None, f"onnxruntime could not load it: {e}") from None
        self.requested_providers = chosen
        self.active_providers: list[str] = list(self._session.get_providers())
        self.provider = self.active_providers[0] if self.active_providers else "unknown"
        self.name = name or f"{card.name}@{card.version}/onnxruntime"
        self._tokenizer = tokenizer_for(card)
        self._out_names = [n for n, _, _ in card.output_specs()]
        use_gpu = self.provider in _GPU
        self._io_binding = use_gpu if io_binding is None else bool(io_binding and use_gpu)

    def run_feeds(self, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        if self._io_binding:
            binding = self._session.io_binding()
            for k, v in feeds.items():
                binding.bind_cpu_input(k, v)
            for n in self._out_names:
                binding.bind_output(n, "cuda")
            self._session.run_with_iobinding(binding)
            return list(binding.copy_outputs_to_cpu())
        return self._session.run(self._out_names, feeds)

    def close(self) -> None:
        self._session = None  # type: ignore[assignment]
