"""Model cards: a YAML file beside the model (``model.onnx`` + ``model.card.yaml``).

The card names the model's inputs (cameras, instruction, state) and outputs (action chunk,
normalisation, bounds), its control rate, provenance and lighter variants. It is validated
with pydantic; every error names the card file and the field. :func:`load_engine` reads the
card, checks the model file against it and only then builds a backend, so a corrupt or
mismatched model never gets as far as a tick.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from inference.errors import ModelCardError, ModelLoadError

CARD_SUFFIX = ".card.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ImageInput(_Strict):
    name: str
    size: tuple[int, int]  # H, W
    layout: Literal["CHW", "HWC"] = "CHW"
    dtype: Literal["float32", "uint8"] = "float32"
    mean: tuple[float, float, float] = (0.0, 0.0, 0.0)  # applied to pixels scaled to [0, 1]
    std: tuple[float, float, float] = (1.0, 1.0, 1.0)

    @model_validator(mode="after")
    def _check(self) -> ImageInput:
        if min(self.size) <= 0:
            raise ValueError(f"size must be positive H, W; got {list(self.size)}")
        if any(s <= 0 for s in self.std):
            raise ValueError("std entries must be > 0")
        return self

    def shape(self) -> tuple[int, int, int]:
        h, w = self.size
        return (3, h, w) if self.layout == "CHW" else (h, w, 3)


class InstructionInput(_Strict):
    name: str = "instruction"
    kind: Literal["tokens", "embedding"] = "tokens"
    tokenizer: Literal["hash-bow-v1"] = "hash-bow-v1"
    max_len: int | None = Field(default=None, gt=0)
    vocab: int | None = Field(default=None, gt=2)
    dim: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _check(self) -> InstructionInput:
        if self.kind == "tokens" and (self.max_len is None or self.vocab is None):
            raise ValueError("kind 'tokens' needs max_len and vocab")
        if self.kind == "embedding" and self.dim is None:
            raise ValueError("kind 'embedding' needs dim")
        return self

    def shape(self) -> tuple[int]:
        return (self.max_len,) if self.kind == "tokens" else (self.dim,)  # type: ignore[return-value]

    @property
    def dtype(self) -> str:
        return "int64" if self.kind == "tokens" else "float32"


class StateInput(_Strict):
    name: str = "state"
    dim: int = Field(gt=0)
    names: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> StateInput:
        if self.names and len(self.names) != self.dim:
            raise ValueError(f"names has {len(self.names)} entries, dim is {self.dim}")
        return self


class Inputs(_Strict):
    images: list[ImageInput] = Field(default_factory=list)
    instruction: InstructionInput | None = None
    state: StateInput


def _per_dim(name: str, values: list[float] | None, dim: int) -> None:
    if values is not None and len(values) != dim:
        raise ValueError(f"{name} has {len(values)} entries, dim is {dim}")


class ActionOutput(_Strict):
    name: str = "actions"
    dim: int = Field(gt=0)
    chunk: int = Field(gt=0)
    names: list[str] = Field(default_factory=list)
    mean: list[float] | None = None  # de-normalise: action = raw * std + mean
    std: list[float] | None = None
    low: list[float]
    high: list[float]

    @model_validator(mode="after")
    def _check(self) -> ActionOutput:
        if self.names and len(self.names) != self.dim:
            raise ValueError(f"names has {len(self.names)} entries, dim is {self.dim}")
        for key in ("mean", "std", "low", "high"):
            _per_dim(key, getattr(self, key), self.dim)
        if any(not lo <= hi for lo, hi in zip(self.low, self.high)):
            raise ValueError("every low must be <= high")
        if self.std is not None and any(s <= 0 for s in self.std):
            raise ValueError("std entries must be > 0")
        return self


class Outputs(_Strict):
    action: ActionOutput
    confidence: str | None = "confidence"  # output name of a (batch,) or (batch, 1) score


class Provenance(_Strict):
    training_data: str = ""
    seed: int | None = None
    metrics: dict[str, float] = Field(default_factory=dict)
    notes: str = ""


class ModelCard(_Strict):
    name: str
    version: str
    inputs: Inputs
    outputs: Outputs
    control_rate_hz: float = Field(gt=0)
    min_opset: int = Field(default=13, ge=1)
    provenance: Provenance = Field(default_factory=Provenance)
    variants: dict[str, str] = Field(default_factory=dict)  # e.g. {"int8": "model.int8.onnx"}
    #: Which backends each variant serves, e.g. {"int8": ["onnxruntime"], "int8_qdq":
    #: ["onnxruntime", "tensorrt"]}: ONNX Runtime's dynamic INT8 cannot become a TensorRT
    #: engine, the Q/DQ file can (TensorRT runs it once ``tools/build_engine.py`` has built it).
    variant_backends: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_variant_backends(self) -> ModelCard:
        for key, backends in self.variant_backends.items():
            if key not in self.variants:
                raise ValueError(f"variant_backends names '{key}', which is not in variants "
                                 f"{sorted(self.variants)}")
            for backend in backends:
                if backend not in BACKENDS:
                    raise ValueError(f"variant_backends.{key}: unknown backend '{backend}' "
                                     f"(choose from {', '.join(BACKENDS)})")
        return self

    @property
    def action_period(self) -> float:
        return 1.0 / self.control_rate_hz

    @property
    def tokenizer_name(self) -> str | None:
        return self.inputs.instruction.tokenizer if self.inputs.instruction else None

    def input_specs(self) -> list[tuple[str, tuple[int, ...], str]]:
        """(name, per-sample shape, dtype) of every model input, in model order."""
        specs = [(im.name, im.shape(), im.dtype) for im in self.inputs.images]
        if self.inputs.instruction is not None:
            ins = self.inputs.instruction
            specs.append((ins.name, ins.shape(), ins.dtype))
        specs.append((self.inputs.state.name, (self.inputs.state.dim,), "float32"))
        return specs

    def output_specs(self) -> list[tuple[str, tuple[int, ...], str]]:
        a = self.outputs.action
        specs: list[tuple[str, tuple[int, ...], str]] = [(a.name, (a.chunk, a.dim), "float32")]
        if self.outputs.confidence:
            specs.append((self.outputs.confidence, (), "float32"))
        return specs

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        a = self.outputs.action
        return np.asarray(a.low, np.float32), np.asarray(a.high, np.float32)


# ---------------------------------------------------------------------------------------------


def _field_of(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "<root>"


def card_path_for(model_path: str | Path) -> Path:
    """``dir/model.onnx`` -> ``dir/model.card.yaml``; ``model.int8.onnx`` falls back to it too."""
    p = Path(model_path)
    stem = p.name.split(".")[0]
    candidates = [p.with_name(p.stem + CARD_SUFFIX), p.with_name(stem + CARD_SUFFIX)]
    for c in candidates:
        if c.is_file():
            return c
    return candidates[0]


def parse_card(data: Any, card_path: str | Path = "<card>") -> ModelCard:
    if not isinstance(data, dict):
        raise ModelCardError(card_path, "<root>", "the card must be a YAML mapping")
    try:
        return ModelCard.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        more = f" (+{len(e.errors()) - 1} more)" if len(e.errors()) > 1 else ""
        raise ModelCardError(card_path, _field_of(err["loc"]), f"{err['msg']}{more}") from None


def load_card(card_path: str | Path) -> ModelCard:
    path = Path(card_path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ModelCardError(path, "<file>", f"cannot read card: {e.strerror or e}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ModelCardError(path, "<yaml>", f"invalid YAML: {e}") from None
    return parse_card(data, path)


def dump_card(card: ModelCard, card_path: str | Path) -> Path:
    path = Path(card_path)
    data = card.model_dump(mode="json")
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Checking a model file against its card.

_ONNX_DTYPES = {1: "float32", 2: "uint8", 7: "int64", 6: "int32", 10: "float16", 11: "float64"}


def _onnx_dims(value_info: Any) -> list[int | str | None]:
    dims: list[int | str | None] = []
    for d in value_info.type.tensor_type.shape.dim:
        if d.HasField("dim_value"):
            dims.append(int(d.dim_value))
        elif d.HasField("dim_param"):
            dims.append(d.dim_param)
        else:
            dims.append(None)
    return dims


def check_onnx(model_path: str | Path, card: ModelCard, card_path: str | Path | None) -> None:
    """Parse the ONNX file and compare its I/O with the card; raise ModelLoadError on mismatch.

    Inputs/outputs carry a leading batch dimension (dynamic or 1); every other dimension the
    card fixes must match exactly, as must names, ranks, dtypes and opset >= ``min_opset``.
    """
    import onnx  # lazy: optional dependency

    mp = Path(model_path)
    try:
        model = onnx.load(str(mp))
        onnx.checker.check_model(model)
    except FileNotFoundError:
        raise ModelLoadError(mp, card_path, "model file not found") from None
    except Exception as e:  # onnx raises DecodeError, ValidationError, ...
        msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ModelLoadError(mp, card_path, f"corrupt or invalid ONNX file: {msg}") from None

    opset = max((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), default=0)
    if opset < card.min_opset:
        raise ModelLoadError(mp, card_path, f"opset {opset} < card min_opset {card.min_opset}")

    init_names = {i.name for i in model.graph.initializer}
    graph_inputs = {v.name: v for v in model.graph.input if v.name not in init_names}
    graph_outputs = {v.name: v for v in model.graph.output}

    def compare(kind: str, specs: list[tuple[str, tuple[int, ...], str]], graph: dict) -> None:
        for name, shape, dtype in specs:
            if name not in graph:
                raise ModelLoadError(
                    mp, card_path, f"card {kind} '{name}' not in model {kind}s {sorted(graph)}"
                )
            vi = graph[name]
            got_dtype = _ONNX_DTYPES.get(vi.type.tensor_type.elem_type, "other")
            if got_dtype != dtype:
                raise ModelLoadError(
                    mp, card_path, f"{kind} '{name}': dtype {got_dtype} in model, card {dtype}"
                )
            dims = _onnx_dims(vi)
            want = (1, *shape)
            if kind == "output" and not shape:  # confidence may be (B,) or (B, 1)
                ok_rank = len(dims) in (1, 2) and (len(dims) == 1 or dims[1] in (1, None))
                if not ok_rank:
                    raise ModelLoadError(
                        mp, card_path, f"output '{name}': shape {dims}, card expects (batch[, 1])"
                    )
                continue
            if len(dims) != len(want):
                raise ModelLoadError(
                    mp,
                    card_path,
                    f"{kind} '{name}': rank {len(dims)} {dims} in model, card expects "
                    f"(batch, {', '.join(map(str, shape))})",
                )
            if isinstance(dims[0], int) and dims[0] != 1:
                raise ModelLoadError(
                    mp, card_path, f"{kind} '{name}': batch dim {dims[0]}, must be 1 or dynamic"
                )
            for axis, (g, w) in enumerate(zip(dims[1:], shape), start=1):
                if isinstance(g, int) and g != w:
                    raise ModelLoadError(
                        mp,
                        card_path,
                        f"{kind} '{name}': dim {axis} is {g} in model, card says {w} "
                        f"(model shape {dims}, card (batch, {', '.join(map(str, shape))}))",
                    )

    compare("input", card.input_specs(), graph_inputs)
    compare("output", card.output_specs(), graph_outputs)
    extra = set(graph_inputs) - {n for n, _, _ in card.input_specs()}
    if extra:
        raise ModelLoadError(mp, card_path, f"model inputs {sorted(extra)} are not in the card")


def check_replay(model_path: str | Path, card: ModelCard, card_path: str | Path | None) -> None:
    mp = Path(model_path)
    try:
        with np.load(mp) as data:
            actions = data["actions"]
    except FileNotFoundError:
        raise ModelLoadError(mp, card_path, "replay file not found") from None
    except Exception as e:
        raise ModelLoadError(mp, card_path, f"corrupt replay file: {e}") from None
    a = card.outputs.action
    if actions.ndim != 3 or actions.shape[1:] != (a.chunk, a.dim):
        raise ModelLoadError(
            mp, card_path, f"replay actions shape {actions.shape}, card expects (N, {a.chunk}, {a.dim})"
        )


# ---------------------------------------------------------------------------------------------

BACKENDS = ("onnxruntime", "torch", "tensorrt", "replay")
_ENGINE_SUFFIXES = (".engine", ".plan", ".trt")
_TORCH_SUFFIXES = (".pt", ".pt2", ".pth")


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def choose_backend(model_path: str | Path, card: ModelCard, card_dir: Path) -> str:
    """``auto``: TensorRT if an engine file exists and tensorrt imports; else ORT; else torch."""
    p = Path(model_path)
    if p.suffix == ".npz":
        return "replay"
    engine_file = p if p.suffix in _ENGINE_SUFFIXES else None
    if engine_file is None and "tensorrt" in card.variants:
        cand = card_dir / card.variants["tensorrt"]
        engine_file = cand if cand.is_file() else None
    if engine_file is not None and _has("tensorrt"):
        return "tensorrt"
    if p.suffix == ".onnx" and _has("onnxruntime"):
        return "onnxruntime"
    if p.suffix in _TORCH_SUFFIXES and _has("torch"):
        return "torch"
    if p.suffix in _ENGINE_SUFFIXES:
        return "tensorrt"
    return "onnxruntime"


def load_engine(
    model_path: str | Path,
    backend: str = "auto",
    *,
    card: str | Path | ModelCard | None = None,
    variant: str | None = None,
    **opts: Any,
):
    """Read the card, check the model against it, build the backend. Returns an ``Engine``.

    ``card``: a card path or object (default: ``<model stem>.card.yaml`` beside the model).
    ``variant``: a key of ``card.variants`` (e.g. ``"int8"``); its file replaces ``model_path``.
    ``opts`` go to the backend (``providers``, ``intra_op_threads``, ``device``, ``compile`` ...).
    """
    model_path = Path(model_path)
    if isinstance(card, ModelCard):
        card_obj, card_path = card, None
        card_dir = model_path.parent
    else:
        card_path = Path(card) if card is not None else card_path_for(model_path)
        if not card_path.is_file():
            raise ModelLoadError(model_path, card_path, "model card not found beside the model")
        card_obj = load_card(card_path)
        card_dir = card_path.parent
    if variant is not None:
        if variant not in card_obj.variants:
            raise ModelCardError(
                card_path or "<card>",
                f"variants.{variant}",
                f"no such variant; have {sorted(card_obj.variants)}",
            )
        model_path = card_dir / card_obj.variants[variant]

    served_by = card_obj.variant_backends.get(variant, []) if variant is not None else []
    if backend == "auto":
        backend = choose_backend(model_path, card_obj, card_dir)
        if served_by and backend not in served_by:
            backend = served_by[0]
    elif served_by and backend not in served_by:
        raise ModelCardError(
            card_path or "<card>",
            f"variant_backends.{variant}",
            f"variant '{variant}' serves {', '.join(served_by)}, not {backend}",
        )
    if variant is not None and "name" not in opts:
        opts["name"] = f"{card_obj.name}@{card_obj.version}[{variant}]/{backend}"

    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose from auto, {', '.join(BACKENDS)}")

    if backend == "onnxruntime":
        check_onnx(model_path, card_obj, card_path)
        from inference.backends.ort_backend import OrtEngine

        return OrtEngine(card_obj, model_path, **opts)
    if backend == "torch":
        if model_path.suffix not in _TORCH_SUFFIXES:
            if "torch" not in card_obj.variants:
                raise ModelLoadError(model_path, card_path, "the torch backend needs a .pt/.pt2 file; "
                                     "the card names no 'torch' variant (variants: "
                                     f"{sorted(card_obj.variants) or 'none'})")
            model_path = card_dir / card_obj.variants["torch"]  # the shipped PyTorch twin
        from inference.backends.torch_backend import TorchEngine

        return TorchEngine(card_obj, model_path, card_path=card_path, **opts)
    if backend == "tensorrt":
        if model_path.suffix not in _ENGINE_SUFFIXES and "tensorrt" in card_obj.variants:
            model_path = card_dir / card_obj.variants["tensorrt"]
        if model_path.suffix == ".onnx":
            raise ModelLoadError(model_path, card_path, "the TensorRT backend runs a serialised engine; "
                                 f"build one first: python tools/build_engine.py {model_path}")
        from inference.backends.tensorrt_backend import TensorRTEngine

        return TensorRTEngine(card_obj, model_path, card_path=card_path, **opts)
    check_replay(model_path, card_obj, card_path)
    from inference.backends.replay_backend import ReplayEngine

    return ReplayEngine(card_obj, model_path, **opts)
