"""The learned slot tagger: frozen all-MiniLM-L6-v2 word features → BIO slot tags (JointBERT-style).

Tags (``TAGS``): the action verb (V), the object with its modifiers (OBJ), the source (SRC),
the goal with its relation and modifiers (TGT: "in a mug on the counter" is one TGT span),
the instrument (INS), a quantity (QTY), a negation (NEG) and a condition (COND). The head is
a small MLP trained by ``tools/train_language_model.py``; it is stored as an ONNX graph
(``models/slot_heads.onnx``, ~0.2 MB) and runs on ONNX Runtime after the encoder.

The parser asks the tagger where a goal phrase starts when a clause has more than one
candidate goal phrase ("put the apple in a mug on the counter", "put the cup in the cabinet
beside the fridge"): the phrases inside the goal span modify the goal instead of competing
with it. Same words → same tags (one thread, argmax, no sampling).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

from executive.language.encoder import MODEL_DIR, ModelError
from executive.language.encoder import load as load_encoder

SLOTS = ("V", "OBJ", "SRC", "TGT", "INS", "QTY", "NEG", "COND")
TAGS: tuple[str, ...] = ("O", *[f"{b}-{s}" for s in SLOTS for b in ("B", "I")])
HEADS_PATH = MODEL_DIR / "slot_heads.onnx"
META_PATH = MODEL_DIR / "slot_heads.json"


class Tagger:
    """Encoder + slot head; ``tags(words)`` → one tag per word."""

    def __init__(self, heads: Path = HEADS_PATH, meta: Path = META_PATH) -> None:
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            tags = tuple(info["tags"])
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ModelError(f"{meta}: cannot read the slot head's tag list ({e}); retrain with "
                             "tools/train_language_model.py") from e
        if tags != TAGS:
            raise ModelError(f"{meta}: field 'tags' does not match this code's tag set; retrain "
                             "with tools/train_language_model.py")
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(heads), opts, providers=["CPUExecutionProvider"])
        except Exception as e:
            raise ModelError(f"{heads}: cannot load the slot head ONNX file ({type(e).__name__}); "
                             "retrain with tools/train_language_model.py") from e
        self.encoder = load_encoder()
        self._cache: dict[tuple[str, ...], tuple[str, ...]] = {}

    def logits(self, words: list[str]) -> np.ndarray:
        feats = self.encoder.encode(words).features
        if len(feats) == 0:
            return np.zeros((0, len(TAGS)), np.float32)
        return self.session.run(["logits"], {"features": context(feats)})[0]

    def tags(self, words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        key = tuple(words)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        out = tuple(repair([TAGS[k] for k in np.argmax(self.logits(list(key)), axis=1)]))
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[key] = out
        return out


def context(feats: np.ndarray) -> np.ndarray:
    """Each word's features with its left and right neighbours' (zeros at the ends)."""
    z = np.zeros((1, feats.shape[1]), np.float32)
    left = np.concatenate([z, feats[:-1]]) if len(feats) else feats
    right = np.concatenate([feats[1:], z]) if len(feats) else feats
    return np.ascontiguousarray(np.concatenate([left, feats, right], axis=1), dtype=np.float32)


def repair(tags: list[str]) -> list[str]:
    """BIO well-formedness: an I- that does not continue its slot starts it (B-)."""
    out = []
    prev = "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def spans(tags: tuple[str, ...] | list[str]) -> list[tuple[str, int, int]]:
    """(slot, start, end) for each B-… I-… run."""
    out: list[tuple[str, int, int]] = []
    for k, t in enumerate(tags):
        if t.startswith("B-"):
            out.append((t[2:], k, k + 1))
        elif t.startswith("I-") and out and out[-1][0] == t[2:] and out[-1][2] == k:
            out[-1] = (out[-1][0], out[-1][1], k + 1)
    return out


_LOCK = threading.Lock()
_TAGGER: Tagger | None = None


def load() -> Tagger:
    """The process-wide tagger (loads the encoder and the head once)."""
    global _TAGGER
    with _LOCK:
        if _TAGGER is None:
            _TAGGER = Tagger()
        return _TAGGER
