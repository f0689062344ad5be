"""PyTorch backend: a TorchScript ``.pt``, an exported program ``.pt2`` or a ``torch.nn.Module``.

The module is called with the card's inputs positionally, in card order (images..., instruction,
state), each with a leading batch dimension of 1, and returns the normalised action tensor
(1, chunk, dim) or a tuple ``(actions, confidence)``.

Paths: eager (default); ``compile=True`` wraps the module in ``torch.compile``; on CUDA,
``cuda_graphs=True`` captures one inference into a CUDA graph on a dedicated stream with static
device inputs fed from pinned host buffers (non-blocking copies). Only the CPU path is tested
here; the CUDA path is written against the public torch.cuda API.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np

from inference.card import ModelCard
from inference.errors import BackendUnavailable, ModelLoadError
from inference.preprocess import FeedsEngine, tokenizer_for


class TorchEngine(FeedsEngine):
    def __init__(
        self,
        card: ModelCard,
        model: Any,
        *,
        card_path: str | Path | None = None,
        device: str = "cpu",
        compile: bool = False,
        cuda_graphs: bool = False,
        threads: int | None = None,
        name: str | None = None,
    ) -> None:
        try:
            import torch
        except ImportError as e:
            raise BackendUnavailable("torch is not installed (pip install torch)") from e
        self._torch = torch
        self.card = card
        self._card_path = card_path
        if threads:
            torch.set_num_threads(int(threads))
        if isinstance(model, torch.nn.Module):
            module = model
            self.model_path: Path | None = None
        else:
            self.model_path = Path(model)
            try:
                with warnings.catch_warnings():  # torch >= 2.10 deprecates TorchScript
                    warnings.simplefilter("ignore", DeprecationWarning)
                    if self.model_path.suffix == ".pt2":  # torch.export ExportedProgram
                        module = torch.export.load(str(self.model_path)).module()
                    else:
                        module = torch.jit.load(str(self.model_path), map_location=device)
            except Exception as e:
                msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
                raise ModelLoadError(
                    self.model_path, card_path, f"not a loadable TorchScript file: {msg}"
                ) from None
        self.device = torch.device(device)
        if self.device.type == "cuda" and not torch.cuda.is_available():
            raise BackendUnavailable("torch has no CUDA device here")
        if isinstance(module, torch.nn.Module):
            module = module.to(self.device)
            if hasattr(module, "eval") and not isinstance(module, torch.fx.GraphModule):
                module = module.eval()
        if compile:
            module = torch.compile(module)
        self._module = module
        self._names = [n for n, _, _ in card.input_specs()]
        self._tokenizer = tokenizer_for(card)
        self.name = name or f"{card.name}@{card.version}/torch"
        self.provider = f"torch-{self.device.type}" + ("-compiled" if compile else "-eager")
        self._graph = None
        if cuda_graphs and self.device.type == "cuda":
            self._setup_cuda_graph()
            self.provider = "torch-cuda-graph"
        self._check_outputs()

    # -- CUDA graphs ---------------------------------------------------------------------------
    def _setup_cuda_graph(self) -> None:
        torch = self._torch
        dtypes = {"float32": torch.float32, "int64": torch.int64, "uint8": torch.uint8}
        self._stream = torch.cuda.Stream(device=self.device)
        self._static_in = [
            torch.zeros((1, *shape), dtype=dtypes[dt], device=self.device)
            for _, shape, dt in self.card.input_specs()
        ]
        self._pinned_in = [torch.empty_like(t, device="cpu").pin_memory() for t in self._static_in]
        with torch.no_grad():
            self._stream.wait_stream(torch.cuda.current_stream(self.device))
            with torch.cuda.stream(self._stream):
                for _ in range(3):  # warm-up on the side stream before capture
                    self._module(*self._static_in)
            torch.cuda.current_stream(self.device).wait_stream(self._stream)
            self._graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(self._graph, stream=self._stream):
                out = self._module(*self._static_in)
        self._static_out = out if isinstance(out, (tuple, list)) else (out,)
        self._pinned_out = [torch.empty_like(t, device="cpu").pin_memory() for t in self._static_out]

    def _run_graph(self, arrays: list[np.ndarray]) -> list[np.ndarray]:
        torch = self._torch
        with torch.cuda.stream(self._stream):
            for pinned, static, arr in zip(self._pinned_in, self._static_in, arrays):
                pinned.numpy()[...] = arr
                static.copy_(pinned, non_blocking=True)
            self._graph.replay()
            for pinned, static in zip(self._pinned_out, self._static_out):
                pinned.copy_(static, non_blocking=True)
        self._stream.synchronize()
        return [p.numpy().copy() for p in self._pinned_out]

    # -- eager ---------------------------------------------------------------------------------
    def run_feeds(self, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        arrays = [feeds[n] for n in self._names]
        if self._graph is not None:
            return self._run_graph(arrays)
        torch = self._torch
        with torch.inference_mode():
            tensors = [torch.from_numpy(np.ascontiguousarray(a)).to(self.device) for a in arrays]
            out = self._module(*tensors)
        outs = out if isinstance(out, (tuple, list)) else (out,)
        return [o.detach().float().cpu().numpy() for o in outs]

    def _check_outputs(self) -> None:
        a = self.card.outputs.action
        feeds = {n: np.zeros((1, *s), dtype=dt) for n, s, dt in self.card.input_specs()}
        try:
            outs = self.run_feeds(feeds)
        except Exception as e:
            raise ModelLoadError(
                self.model_path or "<module>",
                self._card_path,
                f"torch module failed on card-shaped inputs: {e}",
            ) from None
        if outs[0].size != a.chunk * a.dim:
            raise ModelLoadError(
                self.model_path or "<module>",
                self._card_path,
                f"output shape {outs[0].shape}, card expects (1, {a.chunk}, {a.dim})",
            )

    def close(self) -> None:
        self._module = None
        self._graph = None
