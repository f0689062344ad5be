"""The VLA engine contract shared by every backend, the runner and training.

``Engine.infer(Observation) -> ActionChunk``. Backends differ only in how ``infer`` runs;
they all share the tokenizer below and the pre/post-processing in :mod:`inference.preprocess`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from inference.card import ModelCard


@dataclass(frozen=True, eq=False)
class Observation:
    """What the policy sees at time ``stamp`` (seconds, on the runner's clock).

    ``images``: camera name -> uint8 array H x W x 3. ``state``: float32 proprioception.
    ``tokens``: optional pre-computed instruction tokens (else the card's tokenizer runs).
    """

    images: dict[str, np.ndarray]
    instruction: str
    state: np.ndarray
    stamp: float
    tokens: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class ActionChunk:
    """A chunk of de-normalised actions answering the observation stamped ``stamp``.

    ``actions``: float32 (chunk, dim); action ``i`` is meant for time ``stamp + i * period``.
    """

    actions: np.ndarray
    stamp: float
    confidence: float
    engine: str
    latency_s: float
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.actions.ndim != 2:
            raise ValueError(f"ActionChunk.actions must be (chunk, dim), got {self.actions.shape}")


@runtime_checkable
class Engine(Protocol):
    """A loaded policy. ``provider`` says what really ran (e.g. ``CPUExecutionProvider``)."""

    card: ModelCard
    name: str
    provider: str

    def infer(self, obs: Observation) -> ActionChunk: ...

    def close(self) -> None: ...


# ---------------------------------------------------------------------------------------------
# Instruction tokenizer / embedding: deterministic, dependency-free, identical everywhere.

_WORD = re.compile(r"[a-z0-9]+")
PAD_ID = 0
UNK_ID = 1  # reserved; hashing never produces it, kept for compatibility with learned vocabs
_RESERVED = 2


def _word_id(word: str, vocab: int) -> int:
    digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
    return _RESERVED + int.from_bytes(digest, "little") % (vocab - _RESERVED)


@dataclass(frozen=True)
class HashTokenizer:
    """Hashed bag of words: lower-case alphanumeric words -> ids in ``[2, vocab)``, 0-padded.

    Named ``hash-bow-v1`` in model cards. The same text gives the same ids in every process
    (blake2b, not Python's salted ``hash``), so training and all backends agree.
    """

    vocab: int = 4096
    max_len: int = 16
    NAME = "hash-bow-v1"

    def __post_init__(self) -> None:
        if self.vocab <= _RESERVED or self.max_len <= 0:
            raise ValueError(f"HashTokenizer needs vocab > {_RESERVED} and max_len > 0")

    @staticmethod
    def words(text: str) -> list[str]:
        return _WORD.findall(text.lower())

    def encode(self, text: str) -> np.ndarray:
        """int64 (max_len,): word ids in order, truncated, padded with ``PAD_ID``."""
        ids = [_word_id(w, self.vocab) for w in self.words(text)][: self.max_len]
        out = np.full(self.max_len, PAD_ID, dtype=np.int64)
        out[: len(ids)] = ids
        return out

    def embed(self, text: str, dim: int) -> np.ndarray:
        """float32 (dim,): L2-normalised hashed bag-of-words with signed buckets."""
        vec = np.zeros(dim, dtype=np.float64)
        for w in self.words(text):
            d = hashlib.blake2b(w.encode("utf-8"), digest_size=8).digest()
            h = int.from_bytes(d, "little")
            vec[h % dim] += 1.0 if (h >> 63) & 1 == 0 else -1.0
        n = np.linalg.norm(vec)
        return (vec / n if n > 0 else vec).astype(np.float32)


TOKENIZERS = {HashTokenizer.NAME: HashTokenizer}
