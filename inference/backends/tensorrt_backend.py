"""TensorRT backend (TensorRT 10 / 11 name-based tensor API).

Deserialises a serialised engine with ``tensorrt.Runtime``, binds every I/O tensor by name
(``set_input_shape`` + ``set_tensor_address``) to device buffers allocated once through torch's
CUDA allocator (imported lazily), and runs ``execute_async_v3`` on a dedicated CUDA stream.
Host staging buffers are pinned so the copies are asynchronous.

Why the checks are a pure function (:func:`plan_io`): every way an engine can disagree with its
card (a name the card does not know, an output that is really an input, a batch axis the engine's
optimisation profile does not admit, a dtype numpy cannot hold) must become a
:class:`~inference.errors.ModelLoadError` naming the engine file *before* any device memory is
touched. Keeping that logic free of TensorRT lets it be tested on machines without a GPU, from
the same :class:`TensorIO` records the real engine reports.

All TensorRT objects (runtime, engine, context) and every enqueue are made with the chosen CUDA
device current (``torch.cuda.device``), so ``device=1`` puts the engine and its buffers on the
same GPU. ``run_feeds`` holds a lock: one execution context must never be enqueued from two
threads (e.g. an abandoned ChunkRunner worker and its replacement).

The backend has never run: no machine of this project can install TensorRT. ``tools/gpu_check.py``
is the script that proves it on the first GPU.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from inference.card import ModelCard
from inference.errors import BackendUnavailable, ModelLoadError
from inference.preprocess import FeedsEngine, tokenizer_for

#: TensorRT ``DataType`` member name -> (numpy dtype name for host staging, torch dtype attribute
#: for the device buffer). numpy ``None``: the type has no numpy equivalent (BF16, FP8, ...); such
#: a tensor is staged as float32 and converted on the device by torch, which knows them.
_TRT_DTYPES: dict[str, tuple[str | None, str]] = {
    "FLOAT": ("float32", "float32"),
    "HALF": ("float16", "float16"),
    "INT8": ("int8", "int8"),
    "INT32": ("int32", "int32"),
    "INT64": ("int64", "int64"),
    "BOOL": ("bool", "bool"),
    "UINT8": ("uint8", "uint8"),
    "BF16": (None, "bfloat16"),
    "FP8": (None, "float8_e4m3fn"),
}
_FLOATING = {"FLOAT", "HALF", "BF16", "FP8"}


def tensorrt_major(version: str) -> int:
    """``"10.13.0.35"`` -> 10. Pure, tested."""
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return 0


def unavailable_reason() -> str | None:
    """Why the TensorRT backend cannot run on this machine (missing package, no CUDA device), or
    ``None`` when it can. Tests skip with this text; nothing is imported at module load."""
    import importlib.util

    missing = []
    if importlib.util.find_spec("tensorrt") is None:
        missing.append("TensorRT is not installed (python package 'tensorrt')")
    if importlib.util.find_spec("torch") is None:
        missing.append("torch is not installed (the backend's CUDA buffers)")
    else:
        import torch

        if not torch.cuda.is_available():
            missing.append("no CUDA device is visible to torch")
    return "; ".join(missing) or None


def dtype_name(dt: Any) -> str:
    """``trt.DataType.HALF`` -> ``"HALF"`` (also accepts the bare name, for tests)."""
    name = getattr(dt, "name", None)
    return str(name if name is not None else dt).split(".")[-1].upper()


@dataclass(frozen=True)
class TensorIO:
    """What an engine says of one I/O tensor (read from ``ICudaEngine``; plain data)."""

    name: str
    is_input: bool
    dtype: str  # TensorRT DataType member name, e.g. "FLOAT"
    shape: tuple[int, ...]  # engine shape, -1 for dynamic axes
    profile: tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]] | None = None  # min/opt/max


@dataclass(frozen=True)
class BoundTensor:
    """How one tensor is bound: the shape set on the context and the staging/device dtypes."""

    name: str
    is_input: bool
    shape: tuple[int, ...]
    host_dtype: str  # numpy dtype name of the pinned host buffer
    device_dtype: str  # torch dtype attribute name of the device buffer


def plan_io(
    card: ModelCard,
    io: Sequence[TensorIO],
    engine_path: str | Path,
    card_path: str | Path | None = None,
    *,
    batch: int = 1,
) -> list[BoundTensor]:
    """Check an engine's I/O against its card and decide how to bind each input (batch ``batch``).

    Raises :class:`ModelLoadError` naming the engine file for: a card input missing from the
    engine's inputs; an engine input the card does not name (it would never get a shape); a
    card output that is not an engine output; a dtype mismatch between engine and card
    (floating-point engines may use FP16/BF16/FP8 I/O, converted on the device); a rank or
    static-dimension mismatch; a batch axis that is static and not ``batch``, or whose
    optimisation profile does not admit ``batch``; a dtype the backend cannot stage.
    Output shapes come from the context after the input shapes are set, so outputs are
    returned with the card's shapes here and checked again by :class:`TensorRTEngine`.
    """

    def fail(msg: str) -> ModelLoadError:
        return ModelLoadError(engine_path, card_path, msg)

    by_name = {t.name: t for t in io}
    inputs = [t.name for t in io if t.is_input]
    outputs = [t.name for t in io if not t.is_input]
    card_in = card.input_specs()
    card_out = card.output_specs()
    extra = sorted(set(inputs) - {n for n, _, _ in card_in})
    if extra:
        raise fail(
            f"engine inputs {extra} are not named in the card (card inputs "
            f"{[n for n, _, _ in card_in]}); every engine input needs a shape"
        )
    bound: list[BoundTensor] = []
    for spec_name, shape, dtype in card_in:
        t = by_name.get(spec_name)
        if t is None or not t.is_input:
            raise fail(f"card input '{spec_name}' not in engine inputs {inputs}")
        bound.append(_bind(t, shape, dtype, batch, fail))
    for spec_name, shape, dtype in card_out:
        t = by_name.get(spec_name)
        if t is None:
            raise fail(f"card output '{spec_name}' not in engine tensors {sorted(by_name)}")
        if t.is_input:
            raise fail(f"card output '{spec_name}' is an engine INPUT, not an output (outputs {outputs})")
        bound.append(_bind(t, shape, dtype, batch, fail))
    return bound


def _bind(t: TensorIO, shape: tuple[int, ...], dtype: str, batch: int, fail: Any) -> BoundTensor:
    role = "input" if t.is_input else "output"
    if t.dtype not in _TRT_DTYPES:
        raise fail(
            f"{role} '{t.name}': TensorRT dtype {t.dtype} is not supported by this backend "
            f"(supported: {sorted(_TRT_DTYPES)})"
        )
    card_float = np.dtype(dtype).kind == "f"
    engine_np = _TRT_DTYPES[t.dtype][0]
    if card_float != (t.dtype in _FLOATING) or (not card_float and engine_np != np.dtype(dtype).name):
        raise fail(f"{role} '{t.name}': dtype {t.dtype} in engine, card {dtype}")
    want = (batch, *shape)
    if len(t.shape) != len(want):
        raise fail(f"{role} '{t.name}': engine shape {t.shape}, card (batch, {shape})")
    b = t.shape[0]
    if b not in (-1, batch):
        raise fail(
            f"{role} '{t.name}': engine has a static batch of {b}; this backend runs batch {batch} "
            "(rebuild with a dynamic batch axis whose profile admits it)"
        )
    if any(e not in (-1, w) for e, w in zip(t.shape[1:], shape)):
        raise fail(f"{role} '{t.name}': engine shape {t.shape}, card (batch, {shape})")
    if t.is_input and t.profile is not None:
        mn, _, mx = t.profile
        if len(mn) != len(want) or len(mx) != len(want):
            raise fail(f"input '{t.name}': optimisation profile rank differs from the card's")
        for axis, w in enumerate(want):
            if not mn[axis] <= w <= mx[axis]:
                what = "batch" if axis == 0 else f"axis {axis}"
                raise fail(
                    f"input '{t.name}': the engine's optimisation profile admits {what} "
                    f"{mn[axis]}..{mx[axis]}, this backend needs {w} "
                    "(rebuild with tools/build_engine.py --batch 1,1,N)"
                )
    # Floating I/O numpy cannot hold (BF16, FP8) is staged as float32 and converted by the
    # host-to-device copy; everything else is staged in the engine's own dtype.
    host = engine_np if engine_np is not None else "float32"
    return BoundTensor(t.name, t.is_input, want, host, _TRT_DTYPES[t.dtype][1])


def describe_engine(trt: Any, engine: Any) -> list[TensorIO]:
    """Read every I/O tensor's mode, dtype, shape and (inputs) profile-0 range from an engine."""
    out: list[TensorIO] = []
    for i in range(engine.num_io_tensors):
        n = engine.get_tensor_name(i)
        is_in = engine.get_tensor_mode(n) == trt.TensorIOMode.INPUT
        prof = None
        if is_in and engine.num_optimization_profiles > 0:
            mn, opt, mx = engine.get_tensor_profile_shape(n, 0)
            prof = (tuple(mn), tuple(opt), tuple(mx))
        out.append(
            TensorIO(
                n, is_in, dtype_name(engine.get_tensor_dtype(n)), tuple(engine.get_tensor_shape(n)), prof
            )
        )
    return out


class TensorRTEngine(FeedsEngine):
    def __init__(
        self,
        card: ModelCard,
        engine_path: str | Path,
        *,
        card_path: str | Path | None = None,
        device: int = 0,
        name: str | None = None,
        cuda_graph: bool = False,
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
        if not 0 <= int(device) < torch.cuda.device_count():
            raise BackendUnavailable(
                f"CUDA device {device} does not exist ({torch.cuda.device_count()} visible)"
            )
        self._trt, self._torch = trt, torch
        self.card = card
        self.engine_path = Path(engine_path)
        self._card_path = card_path
        self.major = tensorrt_major(trt.__version__)
        self._device = torch.device("cuda", int(device))
        self._lock = threading.Lock()
        self._tokenizer = tokenizer_for(card)
        self.name = name or f"{card.name}@{card.version}/tensorrt"
        self.provider = f"TensorRT-{trt.__version__}"
        self._buffers: dict[str, Any] = {}
        self._pinned: dict[str, Any] = {}
        self._graph: Any = None
        try:
            blob = self.engine_path.read_bytes()
        except OSError as e:
            raise ModelLoadError(self.engine_path, card_path, f"cannot read engine: {e}") from None
        with torch.cuda.device(self._device):
            self._logger = trt.Logger(trt.Logger.WARNING)
            self._runtime = trt.Runtime(self._logger)
            self._engine = self._runtime.deserialize_cuda_engine(blob)
            if self._engine is None:
                raise ModelLoadError(
                    self.engine_path,
                    card_path,
                    "TensorRT could not deserialise the engine (corrupt, or built by another "
                    "TensorRT version / GPU)",
                )
            self._context = self._engine.create_execution_context()
            if self._context is None:
                raise ModelLoadError(
                    self.engine_path,
                    card_path,
                    "TensorRT could not create an execution context (out of device memory?)",
                )
            self._stream = torch.cuda.Stream(device=self._device)
            self._plan = plan_io(card, describe_engine(trt, self._engine), self.engine_path, card_path)
            self._bind()
            if cuda_graph:
                self._capture_graph()
        self._in_names = [b.name for b in self._plan if b.is_input]
        self._out_names = [b.name for b in self._plan if not b.is_input]

    def _bind(self) -> None:
        torch, ctx = self._torch, self._context
        for b in self._plan:
            if b.is_input and not ctx.set_input_shape(b.name, b.shape):
                raise ModelLoadError(
                    self.engine_path, self._card_path, f"input '{b.name}': the engine refused shape {b.shape}"
                )
        for b in self._plan:
            got = tuple(ctx.get_tensor_shape(b.name))
            if got != b.shape:
                raise ModelLoadError(
                    self.engine_path,
                    self._card_path,
                    f"tensor '{b.name}': context shape {got} with inputs set, card expects {b.shape}",
                )
            buf = torch.empty(b.shape, dtype=getattr(torch, b.device_dtype), device=self._device)
            self._buffers[b.name] = buf
            self._pinned[b.name] = torch.empty(b.shape, dtype=getattr(torch, b.host_dtype)).pin_memory()
            if not ctx.set_tensor_address(b.name, int(buf.data_ptr())):
                raise ModelLoadError(
                    self.engine_path, self._card_path, f"tensor '{b.name}': set_tensor_address refused"
                )

    def _enqueue(self) -> None:
        if not self._context.execute_async_v3(self._stream.cuda_stream):
            raise RuntimeError(f"{self.engine_path}: TensorRT execute_async_v3 failed")

    def _capture_graph(self) -> None:
        """Capture the engine call in a CUDA graph (after one warm-up enqueue, as TensorRT needs)."""
        torch = self._torch
        with torch.cuda.stream(self._stream):
            self._enqueue()
        self._stream.synchronize()
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph, stream=self._stream):
            self._enqueue()
        self._graph = graph

    def run_feeds(self, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        torch = self._torch
        with self._lock, torch.cuda.device(self._device), torch.cuda.stream(self._stream):
            for n in self._in_names:
                host = self._pinned[n]
                host.numpy()[...] = feeds[n]
                self._buffers[n].copy_(host, non_blocking=True)
            if self._graph is not None:
                self._graph.replay()
            else:
                self._enqueue()
            for n in self._out_names:
                self._pinned[n].copy_(self._buffers[n], non_blocking=True)
            self._stream.synchronize()
            return [self._pinned[n].numpy().astype(np.float32) for n in self._out_names]

    def close(self) -> None:
        with self._lock:
            self._graph = None
            self._context = None
            self._engine = None
            self._buffers.clear()
            self._pinned.clear()
