"""Pre- and post-processing shared by every backend (so they all see the same tensors)."""

from __future__ import annotations

import time

import numpy as np

from inference.card import ModelCard
from inference.contract import ActionChunk, HashTokenizer, Observation
from inference.errors import ObservationError


def tokenizer_for(card: ModelCard) -> HashTokenizer | None:
    ins = card.inputs.instruction
    if ins is None:
        return None
    if ins.kind == "tokens":
        return HashTokenizer(vocab=int(ins.vocab or 0), max_len=int(ins.max_len or 0))
    return HashTokenizer()


def _resize_nearest(img: np.ndarray, h: int, w: int) -> np.ndarray:
    ys = (np.arange(h) * img.shape[0] // h).astype(np.intp)
    xs = (np.arange(w) * img.shape[1] // w).astype(np.intp)
    return img[ys][:, xs]


def image_tensor(card: ModelCard, obs: Observation) -> dict[str, np.ndarray]:
    feeds: dict[str, np.ndarray] = {}
    for spec in card.inputs.images:
        img = obs.images.get(spec.name)
        if img is None:
            raise ObservationError(f"observation has no image '{spec.name}' (has {sorted(obs.images)})")
        img = np.asarray(img)
        if img.ndim != 3 or img.shape[2] != 3:
            raise ObservationError(f"image '{spec.name}' must be HxWx3, got {img.shape}")
        h, w = spec.size
        if img.shape[:2] != (h, w):
            img = _resize_nearest(img, h, w)
        if spec.dtype == "uint8":
            x = img.astype(np.uint8, copy=False)
        else:
            x = img.astype(np.float32) * np.float32(1.0 / 255.0)
            x = (x - np.asarray(spec.mean, np.float32)) / np.asarray(spec.std, np.float32)
        if spec.layout == "CHW":
            x = np.transpose(x, (2, 0, 1))
        feeds[spec.name] = np.ascontiguousarray(x)[None]
    return feeds


def build_feeds(card: ModelCard, obs: Observation, tokenizer: HashTokenizer | None) -> dict[str, np.ndarray]:
    """Batch-1 input tensors for the model, keyed by the card's input names."""
    feeds = image_tensor(card, obs)
    ins = card.inputs.instruction
    if ins is not None:
        if ins.kind == "tokens":
            if obs.tokens is not None:
                tok = np.asarray(obs.tokens, dtype=np.int64).reshape(-1)
                if tok.shape != (ins.max_len,):
                    raise ObservationError(f"tokens shape {tok.shape}, card max_len {ins.max_len}")
            else:
                assert tokenizer is not None
                tok = tokenizer.encode(obs.instruction)
            feeds[ins.name] = tok[None]
        else:
            assert tokenizer is not None and ins.dim is not None
            feeds[ins.name] = tokenizer.embed(obs.instruction, ins.dim)[None]
    state = np.asarray(obs.state, dtype=np.float32).reshape(-1)
    if state.shape != (card.inputs.state.dim,):
        raise ObservationError(f"state shape {state.shape}, card dim {card.inputs.state.dim}")
    feeds[card.inputs.state.name] = state[None]
    return feeds


def postprocess(
    card: ModelCard, raw_actions: np.ndarray, raw_conf: np.ndarray | None
) -> tuple[np.ndarray, float]:
    """(chunk, dim) de-normalised float32 actions and a scalar confidence (1.0 if none)."""
    a = card.outputs.action
    x = np.asarray(raw_actions, dtype=np.float32).reshape(a.chunk, a.dim)
    if a.std is not None:
        x = x * np.asarray(a.std, np.float32)
    if a.mean is not None:
        x = x + np.asarray(a.mean, np.float32)
    conf = 1.0 if raw_conf is None else float(np.asarray(raw_conf, dtype=np.float64).reshape(-1)[0])
    return x.astype(np.float32, copy=False), conf


class FeedsEngine:
    """Shared ``infer`` of the backends that run named input arrays (ONNX Runtime, PyTorch,
    TensorRT): observation → feeds → ``run_feeds`` → de-normalised ActionChunk. A backend
    differs only in ``run_feeds`` (and sets ``card``, ``name`` and ``_tokenizer``)."""

    card: ModelCard
    name: str
    _tokenizer: HashTokenizer | None

    def run_feeds(self, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:  # pragma: no cover
        raise NotImplementedError

    def infer(self, obs: Observation) -> ActionChunk:
        t0 = time.perf_counter()
        outs = self.run_feeds(build_feeds(self.card, obs, self._tokenizer))
        actions, conf = postprocess(self.card, outs[0], outs[1] if len(outs) > 1 else None)
        return ActionChunk(actions, obs.stamp, conf, self.name, time.perf_counter() - t0)
