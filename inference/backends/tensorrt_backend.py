"""TensorRT backend (TensorRT 10 / 11 name-based tensor API).

Deserialises a serialised engine with ``tensorrt.Runtime``, binds every I/O tensor by name
(``set_input_shape`` + ``set_tensor_address``) to device buffers allocated once through torch's
CUDA allocator (imported lazily), and runs ``execute_async_v3`` on a dedicated CUDA stream.
Host staging buffers are pinned so the copies are asynchronous. The engine's I/O names and
static shapes are checked against the card at load time.

Neither TensorRT nor a GPU exists on the development machines; tests skip naming TensorRT.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from inference.card import ModelCard
from inference.errors import BackendUnavailable, ModelLoadError
from inference.preprocess import FeedsEngine, tokenizer_for


def tensorrt_major(version: str) -> int:
    """``"10.13.0.35"`` -> 10. Pure, tested."""
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return 0


class TensorRTEngine(FeedsEngine):
    def __init__(
        self,
        card: ModelCard,
        engine_path: str | Path,
        *,
        card_path: str | Path | None = None,
        device: int = 0,
        name: str | None = None,
    ) -> None:
        try:
            import tensorrt as trt
        except ImportError as e:
            raise BackendUnavailable("TensorRT is not installed (python package 'tensorrt')") from e
        try:
            import torch
        except ImportError as e:
            raise BackendUnavailable("the TensorRT backend needs torch for CUDA buffers") from e
        if not torch.cuda.is_available():
            raise BackendUnavailable("TensorRT needs a CUDA device; none is available")
        self._trt, self._torch = trt, torch
        self.card = card
        self.engine_path = Path(engine_path)
        self.major = tensorrt_major(trt.__version__)
        self._logger = trt.Logger(trt.Logger.WARNING)
        self._runtime = trt.Runtime(self._logger)
        try:
            blob = self.engine_path.read_bytes()
        except OSError as e:
            raise ModelLoadError(self.engine_path, card_path, f"cannot read engine: {e}") from None
        self._engine = self._runtime.deserialize_cuda_engine(blob)
        if self._engine is None:
            raise ModelLoadError(
                self.engine_path,
                card_path,
                "TensorRT could not deserialise the engine (corrupt, or built by another "
                "TensorRT version / GPU)",
            )
        self._context = self._engine.create_execution_context()
        self._device = torch.device("cuda", device)
        self._stream = torch.cuda.Stream(device=self._device)
        self._names = [n for n, _, _ in card.input_specs()]
        self._out_names = [n for n, _, _ in card.output_specs()]
        self._tokenizer = tokenizer_for(card)
        self.name = name or f"{card.name}@{card.version}/tensorrt"
        self.provider = f"TensorRT-{trt.__version__}"
        self._buffers: dict[str, Any] = {}
        self._pinned: dict[str, Any] = {}
        self._check_and_bind(card_path)

    def _np_dtype(self, tensor: str) -> np.dtype:
        return np.dtype(self._trt.nptype(self._engine.get_tensor_dtype(tensor)))

    def _check_and_bind(self, card_path: str | Path | None) -> None:
        trt, torch, eng = self._trt, self._torch, self._engine
        names = [eng.get_tensor_name(i) for i in range(eng.num_io_tensors)]
        inputs = [n for n in names if eng.get_tensor_mode(n) == trt.TensorIOMode.INPUT]
        for spec_name, shape, dtype in self.card.input_specs():
            if spec_name not in inputs:
                raise ModelLoadError(
                    self.engine_path, card_path, f"card input '{spec_name}' not in engine inputs {inputs}"
                )
            if self._np_dtype(spec_name) != np.dtype(dtype):
                raise ModelLoadError(
                    self.engine_path,
                    card_path,
                    f"input '{spec_name}': dtype {self._np_dtype(spec_name)} in engine, card {dtype}",
                )
            eshape = tuple(eng.get_tensor_shape(spec_name))
            if len(eshape) != len(shape) + 1 or any(e not in (-1, w) for e, w in zip(eshape[1:], shape)):
                raise ModelLoadError(
                    self.engine_path,
                    card_path,
                    f"input '{spec_name}': engine shape {eshape}, card (batch, {shape})",
                )
            self._context.set_input_shape(spec_name, (1, *shape))
        for n in self._out_names:
            if n not in names:
                raise ModelLoadError(
                    self.engine_path, card_path, f"card output '{n}' not in engine tensors {names}"
                )
        for n in names:
            shape = tuple(self._context.get_tensor_shape(n))
            dt = self._np_dtype(n)
            tdt = torch.from_numpy(np.empty(0, dtype=dt)).dtype
            buf = torch.empty(shape, dtype=tdt, device=self._device)
            self._buffers[n] = buf
            self._pinned[n] = torch.empty(shape, dtype=tdt).pin_memory()
            self._context.set_tensor_address(n, int(buf.data_ptr()))

    def run_feeds(self, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        torch = self._torch
        with torch.cuda.stream(self._stream):
            for n in self._names:
                host = self._pinned[n]
                host.numpy()[...] = feeds[n]
                self._buffers[n].copy_(host, non_blocking=True)
            if not self._context.execute_async_v3(self._stream.cuda_stream):
                raise RuntimeError("TensorRT execute_async_v3 failed")
            for n in self._out_names:
                self._pinned[n].copy_(self._buffers[n], non_blocking=True)
        self._stream.synchronize()
        return [self._pinned[n].numpy().astype(np.float32) for n in self._out_names]

    def close(self) -> None:
        self._context = None
        self._engine = None
        self._buffers.clear()
        self._pinned.clear()
