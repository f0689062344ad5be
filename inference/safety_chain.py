"""The action safety chain: nothing malformed, out of range or stale reaches a port.

Stages, in order (the first rejection wins):

1. ``finite``      reject NaN/Inf                                  -> ``VLA_INVALID_ACTION``
2. ``bounds``      clip to the card's per-dimension low/high         (modifies)
3. ``workspace``   the resulting end-effector target must be inside -> ``VLA_INVALID_ACTION``
4. ``rate``        acceleration, then rate limits vs the previous accepted action (modifies;
                   the bounds are re-applied, which can only shrink the step, so the output is
                   always inside the bounds and within the rate limit; a limited action is
                   checked against the workspace again, since limiting moves the target)
5. ``staleness``   ``now - stamp > max_age``                         -> ``VLA_STALE``
6. ``confidence``  below ``min_confidence``: stop and fail           -> ``VLA_LOW_CONFIDENCE``

:meth:`SafetyChain.check_batch` is the vectorised form (used by the fuzz test); :meth:`check`
runs the very same stage functions on a batch of one and keeps the previous accepted actions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

log = logging.getLogger("inference.safety")

VLA_INVALID_ACTION = "VLA_INVALID_ACTION"
VLA_STALE = "VLA_STALE"
VLA_LOW_CONFIDENCE = "VLA_LOW_CONFIDENCE"
REASONS = (None, VLA_INVALID_ACTION, VLA_STALE, VLA_LOW_CONFIDENCE)  # index = code in batches
_INVALID, _STALE, _LOWCONF = 1, 2, 3
STAGES = ("finite", "bounds", "workspace", "rate", "staleness", "confidence")

# (actions (N, dim), states (N, sdim) | None) -> bool (N,) "inside"
WorkspaceCheck = Callable[[np.ndarray, "np.ndarray | None"], np.ndarray]


@dataclass(frozen=True)
class WorkspaceBox:
    """An axis-aligned box for the end-effector target.

    ``target(actions, states) -> (N, 3)`` computes the target; by default the action's first
    three components, plus the state's ``state_offset`` slice when given (delta actions).
    """

    low: tuple[float, float, float]
    high: tuple[float, float, float]
    action_slice: tuple[int, int] = (0, 3)
    state_slice: tuple[int, int] | None = None
    target: Callable[[np.ndarray, np.ndarray | None], np.ndarray] | None = None

    def __call__(self, actions: np.ndarray, states: np.ndarray | None) -> np.ndarray:
        if self.target is not None:
            tgt = np.asarray(self.target(actions, states), dtype=np.float64)
        else:
            a0, a1 = self.action_slice
            tgt = actions[:, a0:a1].astype(np.float64)
            if self.state_slice is not None and states is not None:
                s0, s1 = self.state_slice
                tgt = tgt + states[:, s0:s1]
        lo, hi = np.asarray(self.low), np.asarray(self.high)
        return np.all((tgt >= lo) & (tgt <= hi) & np.isfinite(tgt), axis=1)


@dataclass(frozen=True)
class SafetyConfig:
    low: np.ndarray
    high: np.ndarray
    max_rate: np.ndarray | None = None  # per step, per dim: |a_t - a_{t-1}| <= max_rate
    max_accel: np.ndarray | None = None  # per step², per dim: |a_t - 2a_{t-1} + a_{t-2}|
    workspace: WorkspaceCheck | None = None
    max_age: float = 0.2  # s
    min_confidence: float = 0.0

    @staticmethod
    def from_card(card: Any, **kw: Any) -> SafetyConfig:
        low, high = card.bounds()
        dim = len(low)

        def per_dim(v: Any) -> np.ndarray | None:
            return None if v is None else np.broadcast_to(np.asarray(v, np.float32), (dim,)).copy()

        for key in ("max_rate", "max_accel"):
            if key in kw:
                kw[key] = per_dim(kw[key])
        return SafetyConfig(low=low, high=high, **kw)


@dataclass(frozen=True)
class SafetyResult:
    ok: bool
    action: np.ndarray | None
    reason: str | None
    stage: str | None
    modified: tuple[str, ...] = ()
    message: str = ""


@dataclass
class BatchResult:
    ok: np.ndarray  # bool (N,)
    actions: np.ndarray  # (N, dim); rows with ok=False hold a safe hold value (prev or 0-clip)
    codes: np.ndarray  # uint8 (N,): index into REASONS
    stage: np.ndarray  # int8 (N,): index into STAGES of the rejecting stage, -1 if accepted
    modified: dict[str, np.ndarray] = field(default_factory=dict)  # stage -> bool (N,)

    def reasons(self) -> list[str | None]:
        return [REASONS[c] for c in self.codes]


class SafetyChain:
    def __init__(self, config: SafetyConfig) -> None:
        self.config = config
        self.counts: dict[str, dict[str, int]] = {s: {"rejected": 0, "modified": 0} for s in STAGES}
        self._prev: np.ndarray | None = None
        self._prev2: np.ndarray | None = None

    def reset(self, previous: np.ndarray | None = None) -> None:
        """Forget the history (e.g. after a stop); ``previous`` seeds the rate limiter."""
        self._prev = None if previous is None else np.asarray(previous, np.float32).copy()
        self._prev2 = None

    # -- the stages, vectorised ----------------------------------------------------------------
    def _run(
        self,
        actions: np.ndarray,
        now: np.ndarray,
        stamps: np.ndarray,
        confidence: np.ndarray,
        states: np.ndarray | None,
        prev: np.ndarray | None,
        prev2: np.ndarray | None,
    ) -> BatchResult:
        cfg = self.config
        a = np.array(actions, dtype=np.float32, copy=True)
        n = a.shape[0]
        codes = np.zeros(n, np.uint8)
        stage = np.full(n, -1, np.int8)
        modified: dict[str, np.ndarray] = {}

        def reject(mask: np.ndarray, code: int, st: str) -> None:
            new = mask & (codes == 0)
            codes[new] = code
            stage[new] = STAGES.index(st)
            k = int(new.sum())
            if k:
                self.counts[st]["rejected"] += k
                log.debug("safety %s rejected %d action(s)", st, k)

        # 1. finite
        finite = np.isfinite(a).all(axis=1)
        reject(~finite, _INVALID, "finite")
        a[~finite] = 0.0  # keep later arithmetic quiet; these rows are rejected anyway
        # 2. bounds
        clipped = np.clip(a, cfg.low, cfg.high)
        mod = (clipped != a).any(axis=1) & finite
        a = clipped
        self._count_mod("bounds", mod, modified)
        # 3. workspace
        if cfg.workspace is not None:
            inside = np.asarray(cfg.workspace(a, states), dtype=bool).reshape(n)
            reject(~inside, _INVALID, "workspace")
        # 4. acceleration and rate limits
        if prev is not None and (cfg.max_rate is not None or cfg.max_accel is not None):
            before = a.copy()
            if cfg.max_accel is not None and prev2 is not None:
                pred = 2.0 * prev - prev2
                a = np.clip(a, pred - cfg.max_accel, pred + cfg.max_accel)
            if cfg.max_rate is not None:
                a = np.clip(a, prev - cfg.max_rate, prev + cfg.max_rate)
            a = np.clip(a, cfg.low, cfg.high)  # moves toward prev's side: never breaks the rate
            changed = (a != before).any(axis=1) & (codes == 0)
            self._count_mod("rate", changed, modified)
            if cfg.workspace is not None and changed.any():  # the limited target must stay inside
                inside = np.asarray(cfg.workspace(a, states), dtype=bool).reshape(n)
                reject(changed & ~inside, _INVALID, "workspace")
        # 5. staleness
        reject(now - stamps > cfg.max_age, _STALE, "staleness")
        # 6. confidence
        reject(~(confidence >= cfg.min_confidence), _LOWCONF, "confidence")
        ok = codes == 0
        return BatchResult(ok, a, codes, stage, modified)

    def _count_mod(self, st: str, mask: np.ndarray, modified: dict[str, np.ndarray]) -> None:
        modified[st] = mask
        k = int(mask.sum())
        if k:
            self.counts[st]["modified"] += k
            log.debug("safety %s modified %d action(s)", st, k)

    # -- public API ----------------------------------------------------------------------------
    def check_batch(
        self,
        actions: np.ndarray,
        *,
        now: float | np.ndarray,
        stamps: float | np.ndarray,
        confidence: float | np.ndarray = 1.0,
        states: np.ndarray | None = None,
        prev: np.ndarray | None = None,
        prev2: np.ndarray | None = None,
    ) -> BatchResult:
        """Check N independent actions (each against its own row of ``prev``/``prev2``)."""
        a = np.asarray(actions)
        if a.ndim != 2 or a.shape[1] != len(self.config.low):
            raise ValueError(f"actions must be (N, {len(self.config.low)}), got {a.shape}")
        n = a.shape[0]

        def col(v: float | np.ndarray) -> np.ndarray:
            return np.broadcast_to(np.asarray(v, np.float64), (n,))

        return self._run(a, col(now), col(stamps), col(confidence), states, prev, prev2)

    def check(
        self,
        action: np.ndarray,
        *,
        now: float,
        stamp: float,
        confidence: float = 1.0,
        state: np.ndarray | None = None,
    ) -> SafetyResult:
        """Check one action in sequence; an accepted action becomes the rate limiter's reference."""
        a = np.asarray(action, dtype=np.float32).reshape(1, -1)
        if a.shape[1] != len(self.config.low):
            self.counts["finite"]["rejected"] += 1
            return SafetyResult(
                False,
                None,
                VLA_INVALID_ACTION,
                "finite",
                (),
                f"action has {a.shape[1]} dims, expected {len(self.config.low)}",
            )
        states = None if state is None else np.asarray(state, np.float64).reshape(1, -1)
        prev = None if self._prev is None else self._prev[None]
        prev2 = None if self._prev2 is None else self._prev2[None]
        r = self.check_batch(
            a, now=now, stamps=stamp, confidence=confidence, states=states, prev=prev, prev2=prev2
        )
        mods = tuple(k for k, m in r.modified.items() if bool(m[0]))
        if not r.ok[0]:
            reason, st = REASONS[int(r.codes[0])], STAGES[int(r.stage[0])]
            msg = f"safety chain: stage '{st}' rejected the action ({reason})"
            log.info(msg)
            return SafetyResult(False, None, reason, st, mods, msg)
        out = r.actions[0].copy()
        self._prev2, self._prev = self._prev, out.copy()
        return SafetyResult(True, out, None, None, mods, "")
