"""The action safety chain, per action and batched; a 10^6-action fuzz test."""

from __future__ import annotations

import numpy as np
import pytest

from inference import SafetyChain, SafetyConfig, WorkspaceBox
from inference.safety_chain import REASONS
from inference.tiny import TinySpec, tiny_card

DIM = 7
LOW = np.array([-1.0, -1.0, 0.0, -0.5, -0.5, -0.5, 0.0], np.float32)
HIGH = np.array([1.0, 1.0, 1.5, 0.5, 0.5, 0.5, 1.0], np.float32)
RATE = np.full(DIM, 0.2, np.float32)
ACCEL = np.full(DIM, 0.1, np.float32)
BOX = WorkspaceBox(low=(-0.8, -0.8, 0.05), high=(0.8, 0.8, 1.2))


def chain(**kw) -> SafetyChain:
    cfg = dict(
        low=LOW, high=HIGH, max_rate=RATE, max_accel=ACCEL, workspace=BOX, max_age=0.2, min_confidence=0.5
    )
    cfg.update(kw)
    return SafetyChain(SafetyConfig(**cfg))


def test_from_card_takes_bounds():
    cfg = SafetyConfig.from_card(tiny_card(TinySpec()), max_rate=0.1, min_confidence=0.3)
    assert cfg.low.shape == (7,) and cfg.max_rate.shape == (7,) and cfg.max_rate[3] == np.float32(0.1)


def test_each_stage_in_order():
    c = chain()
    ok = np.array([0.1, 0.1, 0.5, 0, 0, 0, 0.5], np.float32)
    r = c.check(ok, now=1.0, stamp=0.95, confidence=0.9)
    assert r.ok and r.reason is None and np.array_equal(r.action, ok)

    bad = ok.copy()
    bad[2] = np.nan
    r = c.check(bad, now=1.0, stamp=1.0, confidence=0.9)
    assert (r.ok, r.reason, r.stage) == (False, "VLA_INVALID_ACTION", "finite")

    r = c.check(np.array([0.1, 0.1, 0.5, 0, 0, 0, 9.0], np.float32), now=1.0, stamp=1.0, confidence=0.9)
    assert r.ok and r.action[6] <= HIGH[6] and "bounds" in r.modified

    r = c.check(np.array([0.9, 0.1, 0.5, 0, 0, 0, 0.5], np.float32), now=1.0, stamp=1.0, confidence=0.9)
    assert (r.reason, r.stage) == ("VLA_INVALID_ACTION", "workspace")  # x=0.9 outside the box

    c.reset(previous=ok)
    r = c.check(np.array([0.6, 0.1, 0.5, 0, 0, 0, 0.5], np.float32), now=1.0, stamp=1.0, confidence=0.9)
    assert r.ok and "rate" in r.modified and r.action[0] == pytest.approx(0.3)  # 0.1 + 0.2

    r = c.check(ok, now=1.0, stamp=0.7, confidence=0.9)
    assert (r.reason, r.stage) == ("VLA_STALE", "staleness")

    r = c.check(ok, now=1.0, stamp=1.0, confidence=0.2)
    assert (r.reason, r.stage) == ("VLA_LOW_CONFIDENCE", "confidence")
    r = c.check(ok, now=1.0, stamp=1.0, confidence=float("nan"))
    assert r.reason == "VLA_LOW_CONFIDENCE"

    r = c.check(np.zeros(3), now=1.0, stamp=1.0)
    assert r.reason == "VLA_INVALID_ACTION"
    assert c.counts["finite"]["rejected"] == 2 and c.counts["workspace"]["rejected"] == 1
    assert c.counts["bounds"]["modified"] == 1 and c.counts["rate"]["modified"] >= 1


def test_acceleration_limit_then_rate():
    c = chain(workspace=None, min_confidence=0.0)
    a0 = np.zeros(DIM, np.float32)
    a0[2] = 0.5
    c.reset(previous=a0)
    a1 = a0.copy()
    a1[0] = 0.15
    assert c.check(a1, now=0, stamp=0).action[0] == pytest.approx(0.15)  # no prev2 yet: rate only
    a2 = a0.copy()
    a2[0] = 0.6  # wants +0.45; rate allows 0.35; accel allows 0.15 + 0.15 + 0.1 = 0.4
    out = c.check(a2, now=0, stamp=0).action
    assert out[0] == pytest.approx(0.35)


def _fuzz_actions(rng: np.random.Generator, n: int) -> np.ndarray:
    a = rng.normal(0, 2.0, (n, DIM)).astype(np.float32)
    a[rng.random((n, DIM)) < 0.02] = np.nan
    a[rng.random((n, DIM)) < 0.02] = np.inf
    a[rng.random((n, DIM)) < 0.02] = -np.inf
    a[rng.random((n, DIM)) < 0.02] = np.float32(3e38)
    a[rng.random((n, DIM)) < 0.02] = -1e30
    return a


def _fuzz_context(rng, n):
    prev = rng.uniform(LOW, HIGH, (n, DIM)).astype(np.float32)
    prev2 = np.clip(prev + rng.uniform(-RATE, RATE, (n, DIM)), LOW, HIGH).astype(np.float32)
    now = rng.uniform(0, 10, n)
    stamps = now - rng.exponential(0.1, n)
    conf = rng.uniform(0, 1, n)
    conf[rng.random(n) < 0.01] = np.nan
    return prev, prev2, now, stamps, conf


def test_fuzz_million_actions_never_leave_limits():
    rng = np.random.default_rng(1234)
    n = 1_000_000
    a = _fuzz_actions(rng, n)
    prev, prev2, now, stamps, conf = _fuzz_context(rng, n)
    c = chain()
    with np.errstate(invalid="ignore", over="ignore"):
        r = c.check_batch(a, now=now, stamps=stamps, confidence=conf, prev=prev, prev2=prev2)
    out = r.actions[r.ok]
    assert out.shape[0] > 1000  # some pass, so the check below means something
    assert np.isfinite(out).all()
    assert ((out >= LOW) & (out <= HIGH)).all()
    assert (np.abs(out - prev[r.ok]) <= RATE + 1e-6).all()
    assert BOX(out, None).all()
    assert (now[r.ok] - stamps[r.ok] <= 0.2).all() and (conf[r.ok] >= 0.5).all()
    assert not r.ok[~np.isfinite(a).all(axis=1)].any()
    assert set(r.reasons()) <= set(REASONS)
    total_rejected = sum(v["rejected"] for v in c.counts.values())
    assert total_rejected == int((~r.ok).sum())


def test_per_action_path_agrees_with_batch_on_a_sample():
    rng = np.random.default_rng(99)
    n = 2000
    a = _fuzz_actions(rng, n)
    prev, prev2, now, stamps, conf = _fuzz_context(rng, n)
    with np.errstate(invalid="ignore", over="ignore"):
        batch = chain().check_batch(a, now=now, stamps=stamps, confidence=conf, prev=prev, prev2=prev2)
        for i in range(n):
            single = chain()
            single._prev2, single._prev = prev2[i], prev[i]  # same history as the batch row
            r = single.check(a[i], now=float(now[i]), stamp=float(stamps[i]), confidence=float(conf[i]))
            assert r.ok == bool(batch.ok[i])
            assert r.reason == REASONS[int(batch.codes[i])]
            if r.ok:
                assert np.array_equal(r.action, batch.actions[i])
                assert ((r.action >= LOW) & (r.action <= HIGH)).all()


def test_sequential_stream_stays_within_rate():
    rng = np.random.default_rng(5)
    c = chain(workspace=None, min_confidence=0.0)
    last = None
    for a in _fuzz_actions(rng, 3000):
        with np.errstate(invalid="ignore", over="ignore"):
            r = c.check(a, now=0.0, stamp=0.0)
        if r.ok:
            assert ((r.action >= LOW) & (r.action <= HIGH)).all()
            if last is not None:
                assert (np.abs(r.action - last) <= RATE + 1e-6).all()
            last = r.action
