"""A tiny deterministic policy (ONNX + model card, and a torch twin with the same weights).

Used by tests, by ``tools/bench_inference.py`` when no reference model exists yet, and as a
template for the card the trained reference policy ships with. The network: per-channel image
mean + mean token embedding + state -> tanh MLP -> (chunk, dim) normalised actions in [-1, 1]
and a sigmoid confidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from inference.card import ModelCard, dump_card, parse_card


@dataclass(frozen=True)
class TinySpec:
    image_size: tuple[int, int] = (32, 32)
    camera: str = "wrist"
    chunk: int = 8
    dim: int = 7
    state_dim: int = 7
    vocab: int = 256
    max_len: int = 8
    embed: int = 16
    hidden: int = 64
    seed: int = 0
    name: str = "tiny-policy"
    control_rate_hz: float = 10.0


def tiny_weights(spec: TinySpec) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(spec.seed)
    feat = 3 + spec.embed + spec.state_dim
    out = spec.chunk * spec.dim
    return {
        "E": rng.normal(0, 0.5, (spec.vocab, spec.embed)).astype(np.float32),
        "W1": rng.normal(0, 1 / np.sqrt(feat), (feat, spec.hidden)).astype(np.float32),
        "b1": rng.normal(0, 0.1, (spec.hidden,)).astype(np.float32),
        "W2": rng.normal(0, 1 / np.sqrt(spec.hidden), (spec.hidden, out)).astype(np.float32),
        "b2": rng.normal(0, 0.1, (out,)).astype(np.float32),
    }


def tiny_card(spec: TinySpec, variants: dict[str, str] | None = None) -> ModelCard:
    d = spec.dim
    return parse_card(
        {
            "name": spec.name,
            "version": "0.0.1",
            "min_opset": 17,
            "inputs": {
                "images": [
                    {
                        "name": spec.camera,
                        "size": list(spec.image_size),
                        "layout": "CHW",
                        "dtype": "float32",
                        "mean": [0.5, 0.5, 0.5],
                        "std": [0.25, 0.25, 0.25],
                    }
                ],
                "instruction": {
                    "name": "instruction",
                    "kind": "tokens",
                    "max_len": spec.max_len,
                    "vocab": spec.vocab,
                },
                "state": {
                    "name": "state",
                    "dim": spec.state_dim,
                    "names": [f"q{i}" for i in range(spec.state_dim)],
                },
            },
            "outputs": {
                "action": {
                    "name": "actions",
                    "dim": d,
                    "chunk": spec.chunk,
                    "names": [f"a{i}" for i in range(d)],
                    "mean": [0.0] * d,
                    "std": [0.5] * d,
                    "low": [-1.0] * d,
                    "high": [1.0] * d,
                },
                "confidence": "confidence",
            },
            "control_rate_hz": spec.control_rate_hz,
            "provenance": {"training_data": "none (random weights)", "seed": spec.seed, "metrics": {}},
            "variants": variants or {},
        }
    )


def tiny_onnx(
    spec: TinySpec, *, batch: str | int = "batch", image_size: tuple[int, int] | None = None
) -> Any:
    """The ONNX ModelProto (``image_size`` overrides the graph's image dims, for mismatch tests)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    w = tiny_weights(spec)
    h, wd = image_size or spec.image_size
    inputs = [
        helper.make_tensor_value_info(spec.camera, TensorProto.FLOAT, [batch, 3, h, wd]),
        helper.make_tensor_value_info("instruction", TensorProto.INT64, [batch, spec.max_len]),
        helper.make_tensor_value_info("state", TensorProto.FLOAT, [batch, spec.state_dim]),
    ]
    outputs = [
        helper.make_tensor_value_info("actions", TensorProto.FLOAT, [batch, spec.chunk, spec.dim]),
        helper.make_tensor_value_info("confidence", TensorProto.FLOAT, [batch]),
    ]
    inits = [numpy_helper.from_array(v, k) for k, v in w.items()]
    inits.append(numpy_helper.from_array(np.array([-1, spec.chunk, spec.dim], np.int64), "shape"))
    nodes = [
        helper.make_node("ReduceMean", [spec.camera], ["img"], axes=[2, 3], keepdims=0),
        helper.make_node("Gather", ["E", "instruction"], ["emb"], axis=0),
        helper.make_node("ReduceMean", ["emb"], ["txt"], axes=[1], keepdims=0),
        helper.make_node("Concat", ["img", "txt", "state"], ["x"], axis=1),
        helper.make_node("MatMul", ["x", "W1"], ["h0"]),
        helper.make_node("Add", ["h0", "b1"], ["h1"]),
        helper.make_node("Tanh", ["h1"], ["h"]),
        helper.make_node("MatMul", ["h", "W2"], ["y0"]),
        helper.make_node("Add", ["y0", "b2"], ["y1"]),
        helper.make_node("Tanh", ["y1"], ["y"]),
        helper.make_node("Reshape", ["y", "shape"], ["actions"]),
        helper.make_node("ReduceMean", ["h"], ["hm"], axes=[1], keepdims=0),
        helper.make_node("Sigmoid", ["hm"], ["confidence"]),
    ]
    graph = helper.make_graph(nodes, spec.name.replace("-", "_"), inputs, outputs, inits)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="inference.tiny"
    )
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def write_tiny_model(directory: str | Path, spec: TinySpec | None = None, *, int8: bool = False) -> Path:
    """Write ``model.onnx`` + ``model.card.yaml`` (+ ``model.int8.onnx``) and return the model path."""
    import onnx

    spec = spec or TinySpec()
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    model_path = d / "model.onnx"
    onnx.save(tiny_onnx(spec), str(model_path))
    variants = {}
    if int8:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(model_path), str(d / "model.int8.onnx"), weight_type=QuantType.QInt8)
        variants["int8"] = "model.int8.onnx"
    dump_card(tiny_card(spec, variants), d / "model.card.yaml")
    return model_path


def tiny_torch_module(spec: TinySpec | None = None) -> Any:
    """The same network as ``tiny_onnx`` as a ``torch.nn.Module`` (requires torch)."""
    import torch

    spec = spec or TinySpec()
    w = {k: torch.from_numpy(v.copy()) for k, v in tiny_weights(spec).items()}

    class TinyPolicy(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            for k, v in w.items():
                self.register_buffer(k, v)
            self.chunk = spec.chunk
            self.dim = spec.dim

        def forward(self, image: torch.Tensor, tokens: torch.Tensor, state: torch.Tensor):
            img = image.mean(dim=(2, 3))
            txt = self.E[tokens].mean(dim=1)
            x = torch.cat([img, txt, state], dim=1)
            h = torch.tanh(x @ self.W1 + self.b1)
            y = torch.tanh(h @ self.W2 + self.b2).reshape(-1, self.chunk, self.dim)
            return y, torch.sigmoid(h.mean(dim=1))

    return TinyPolicy().eval()


def random_observation(
    spec: TinySpec, rng: np.random.Generator, stamp: float = 0.0, text: str = "pick up the red cup"
):
    from inference.contract import Observation

    h, w = spec.image_size
    return Observation(
        images={spec.camera: rng.integers(0, 256, (h, w, 3), dtype=np.uint8)},
        instruction=text,
        state=rng.normal(0, 0.3, spec.state_dim).astype(np.float32),
        stamp=stamp,
    )
