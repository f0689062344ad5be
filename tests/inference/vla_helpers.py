"""Helpers shared by the inference tests (a fake clock, fake engines, observations)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np

from inference.contract import ActionChunk, Observation
from inference.tiny import TinySpec, random_observation, tiny_card

ROOT = Path(__file__).resolve().parents[2]


class FakeClock:
    def __init__(self, t: float = 0.0) -> None:
        self.t = t
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.t

    def advance(self, dt: float) -> float:
        with self._lock:
            self.t += dt
            return self.t

    def set(self, t: float) -> None:
        with self._lock:
            self.t = t


class CountingEngine:
    """Chunk ``k`` (0-based) holds the value ``k*100 + i`` at action ``i``, every dim.

    ``gate``: when given, ``infer`` waits on it (bounded) — a deliberately slow engine.
    """

    provider = "fake"

    def __init__(
        self,
        spec: TinySpec | None = None,
        gate: threading.Event | None = None,
        sleep: float = 0.0,
        fail: bool = False,
    ) -> None:
        self.card = tiny_card(spec or TinySpec())
        self.name = "counting"
        self.calls = 0
        self.gate = gate
        self.sleep = sleep
        self.fail = fail
        self.entered = threading.Event()

    def infer(self, obs: Observation) -> ActionChunk:
        self.entered.set()
        if self.gate is not None:
            assert self.gate.wait(10.0), "test gate never opened"
        if self.sleep:
            time.sleep(self.sleep)
        if self.fail:
            raise RuntimeError("engine exploded")
        a = self.card.outputs.action
        k = self.calls
        self.calls += 1
        vals = k * 100 + np.arange(a.chunk, dtype=np.float32)
        actions = np.repeat(vals[:, None], a.dim, axis=1)
        return ActionChunk(actions, obs.stamp, 0.9, self.name, 0.0)

    def close(self) -> None:
        pass


def make_obs(spec: TinySpec, stamp: float, seed: int = 0, text: str = "pick up the red cup") -> Observation:
    """A random observation for ``spec`` from ``seed`` (:func:`inference.tiny.random_observation`)."""
    return random_observation(spec, np.random.default_rng(seed), stamp, text)
