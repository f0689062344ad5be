"""Replay backend: serves recorded action chunks from an ``.npz`` for deterministic tests.

The file holds ``actions`` (N, chunk, dim) (already de-normalised) and optionally
``confidence`` (N,). Chunk ``i`` answers the ``i``-th call to ``infer``; after the last one the
engine either loops (``loop=True``) or keeps serving the last chunk.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from inference.card import ModelCard
from inference.contract import ActionChunk, Observation


class ReplayEngine:
    provider = "replay"

    def __init__(
        self,
        card: ModelCard,
        source: str | Path | np.ndarray,
        *,
        confidence: np.ndarray | None = None,
        loop: bool = False,
        name: str | None = None,
    ) -> None:
        self.card = card
        if isinstance(source, np.ndarray):
            actions = source
        else:
            with np.load(Path(source)) as data:
                actions = data["actions"]
                if confidence is None and "confidence" in data:
                    confidence = data["confidence"]
        self._actions = np.asarray(actions, dtype=np.float32)
        self._confidence = None if confidence is None else np.asarray(confidence, np.float64)
        self._loop = loop
        self.calls = 0
        self.name = name or f"{card.name}@{card.version}/replay"

    def infer(self, obs: Observation) -> ActionChunk:
        t0 = time.perf_counter()
        n = len(self._actions)
        i = self.calls % n if self._loop else min(self.calls, n - 1)
        self.calls += 1
        conf = 1.0 if self._confidence is None else float(self._confidence[i])
        return ActionChunk(self._actions[i].copy(), obs.stamp, conf, self.name, time.perf_counter() - t0)

    def close(self) -> None:
        pass
