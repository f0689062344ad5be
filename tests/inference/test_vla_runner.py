"""The chunk runner: never blocks the tick thread; drops, blending, staleness, determinism."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from vla_helpers import CountingEngine, FakeClock, make_obs

from inference import ChunkRunner, StaleActionError, load_engine
from inference.runner import blend_chunks


def test_async_never_blocks_while_engine_is_slow(tiny_spec):
    gate = threading.Event()
    eng = CountingEngine(tiny_spec, gate=gate)
    clock = FakeClock(0.0)
    runner = ChunkRunner(eng, clock, mode="async", staleness_deadline=0.1, blend_steps=0)
    with runner:
        runner.submit(make_obs(tiny_spec, 0.0))
        assert eng.entered.wait(5.0)  # the worker is now stuck inside infer()
        nones = 0
        for i in range(1, 51):  # 50 ticks of 10 ms while the engine is stuck
            now = clock.advance(0.01)
            runner.submit(make_obs(tiny_spec, now, seed=i))  # must return at once
            if runner.next_action(now) is None:
                nones += 1
        s = runner.stats()
        assert nones == 50
        assert s["chunks"] == 0 and s["in_flight"] is True
        assert s["staleness_events"] == 40  # t in (0.1, 0.5]
        assert runner.last_fault == "VLA_STALE"
        assert s["obs_overwritten"] == 49  # only the newest observation is kept
        gate.set()
        # chunk 0 answers the observation at t=0 and arrives at t=0.5 with only 3 of 8 actions
        # left (below the threshold), so the worker at once asks again with the newest one
        assert runner.wait_for_chunks(2)
        served = runner.poll(clock())
        assert served.chunk_stamp == pytest.approx(0.5) and served.action[0] == 100
        assert runner.last_fault is None and runner.stats()["requests"] == 2


def test_inline_mode_is_deterministic(tiny_model, tiny_spec):
    def run() -> list[np.ndarray]:
        eng = load_engine(tiny_model, backend="onnxruntime", intra_op_threads=1)
        clock = FakeClock(0.0)
        runner = ChunkRunner(eng, clock, mode="inline")
        out = []
        for tick in range(40):
            now = tick * 0.1
            clock.set(now)
            runner.submit(make_obs(tiny_spec, now, seed=tick))
            a = runner.next_action(now)
            assert a is not None  # lockstep never starves
            out.append(a)
        assert runner.stats()["chunks"] == 10  # a new chunk each time half the chunk is used
        assert runner.stats()["drops"] == 0
        return out

    first, second = run(), run()
    assert all(np.array_equal(a, b) for a, b in zip(first, second))


def test_overtaken_actions_are_dropped_and_counted(tiny_spec):
    clock = FakeClock(0.0)
    runner = ChunkRunner(
        CountingEngine(tiny_spec), clock, mode="inline", blend_steps=0, staleness_deadline=10.0
    )
    runner.submit(make_obs(tiny_spec, 0.0))
    assert runner.next_action(0.0)[0] == 0
    assert runner.next_action(0.05)[0] == 0  # same slot: the same action, not a drop
    assert runner.next_action(0.35)[0] == 3  # slots 1, 2 overtaken
    assert runner.stats()["drops"] == 2
    assert runner.next_action(0.9) is None and runner.last_fault is None  # ran out, within deadline
    assert runner.stats()["drops"] == 6  # slots 4..7 never served


def test_blending_cross_fades_overlap():
    old = np.tile(np.arange(8, dtype=np.float32)[:, None], (1, 2))  # value i at slot i (t = i*0.1)
    new = np.full((8, 2), 100.0, dtype=np.float32)  # chunk stamped 0.4
    out = blend_chunks(old, 0.0, new, 0.4, now=0.4, period=0.1, steps=3)
    # new slot j is time 0.4 + 0.1 j = old slot 4 + j; weights of new 1/4, 2/4, 3/4
    np.testing.assert_allclose(out[:3, 0], [0.75 * 4 + 25, 0.5 * 5 + 50, 0.25 * 6 + 75])
    assert np.all(out[3:] == 100.0)
    # the part already overtaken at arrival is skipped: blending starts at the current slot
    out = blend_chunks(old, 0.0, new, 0.4, now=0.6, period=0.1, steps=2)
    assert np.all(out[:2] == 100.0)
    np.testing.assert_allclose(out[2:4, 0], [(2 / 3) * 6 + 100 / 3, (1 / 3) * 7 + 200 / 3], rtol=1e-6)


def test_runner_blends_a_new_chunk_into_the_old(tiny_spec):
    clock = FakeClock(0.0)
    runner = ChunkRunner(CountingEngine(tiny_spec), clock, mode="inline", blend_steps=1)
    runner.submit(make_obs(tiny_spec, 0.0))
    for tick in range(1, 5):
        clock.set(tick * 0.1)
        runner.submit(make_obs(tiny_spec, tick * 0.1))
    # at t = 0.4, 4 of 8 left -> chunk 1 (values 100 + i) stamped 0.4; slot 0 blends with old 4
    assert runner.stats()["chunks"] == 2 and runner.stats()["blends"] == 1
    assert runner.next_action(0.4)[0] == pytest.approx(0.5 * 4 + 0.5 * 100)
    assert runner.next_action(0.5)[0] == pytest.approx(101)


def test_staleness_raises_when_asked(tiny_spec):
    clock = FakeClock(0.0)
    runner = ChunkRunner(
        CountingEngine(tiny_spec), clock, mode="inline", raise_on_stale=True, staleness_deadline=0.05
    )
    runner.submit(make_obs(tiny_spec, 0.0))
    runner.next_action(0.75)
    with pytest.raises(StaleActionError) as e:
        runner.next_action(0.86)  # plan ended at 0.8; deadline 0.05
    assert e.value.reason == "VLA_STALE"
    assert runner.stats()["staleness_events"] == 1


def test_engine_errors_are_counted_not_raised(tiny_spec):
    clock = FakeClock(0.0)
    runner = ChunkRunner(CountingEngine(tiny_spec, fail=True), clock, mode="inline")
    runner.submit(make_obs(tiny_spec, 0.0))  # must not raise
    s = runner.stats()
    assert s["errors"] == 1 and "engine exploded" in s["last_error"]
    assert runner.next_action(0.5) is None and runner.last_fault == "VLA_STALE"


def test_min_request_interval_lowers_request_rate(tiny_spec):
    clock = FakeClock(0.0)
    runner = ChunkRunner(
        CountingEngine(tiny_spec), clock, mode="inline", min_request_interval=0.6, staleness_deadline=1.0
    )
    for tick in range(20):
        clock.set(tick * 0.1)
        runner.submit(make_obs(tiny_spec, tick * 0.1))
    assert runner.stats()["requests"] == 4  # t = 0, 0.6, 1.2, 1.8 instead of every 0.4 s


def test_async_runner_with_real_model_and_clock(tiny_model, tiny_spec):
    import time

    eng = load_engine(tiny_model, intra_op_threads=1)
    with ChunkRunner(eng, time.monotonic, mode="async") as runner:
        runner.submit(make_obs(tiny_spec, time.monotonic()))
        assert runner.wait_for_chunks(1)
        a = runner.next_action()
        assert a is not None and a.shape == (tiny_spec.dim,)
        s = runner.stats()
        assert s["mode"] == "async" and s["latency_p50"] is not None and s["latency_p99"] >= s["latency_p50"]


def test_reset_discards_an_answer_to_an_old_observation(tiny_spec):
    gate = threading.Event()
    eng = CountingEngine(tiny_spec, gate=gate)
    clock = FakeClock(0.0)
    with ChunkRunner(eng, clock, mode="async") as runner:
        runner.submit(make_obs(tiny_spec, 0.0, text="old goal"))
        assert eng.entered.wait(5.0)
        runner.reset()  # new goal while the old request is still computing
        gate.set()
        runner.submit(make_obs(tiny_spec, 0.0, text="new goal"))
        assert runner.wait_for_chunks(1)
        assert runner.stats()["discarded_chunks"] == 1
        assert runner.next_action(0.0)[0] == 100  # the second chunk, not the first


def test_forecast_conditions_a_request_on_the_plan_at_arrival(tiny_spec):
    """Async with a latency forecast: the request carries the plan's last action before the
    answer lands, and the answer's first action is meant for the landing time (no drops)."""
    from dataclasses import replace

    seen: list[tuple[float, float]] = []

    def forecast(obs, planned, arrival):
        seen.append((float(planned[0]), arrival))
        return replace(obs, stamp=arrival)

    clock = FakeClock(0.0)
    eng = CountingEngine(tiny_spec)
    runner = ChunkRunner(eng, clock, mode="async", blend_steps=0, staleness_deadline=10.0,
                         forecast=forecast, expected_latency=None)
    p = runner.action_period
    runner.expected_latency = 3 * p
    with runner:
        runner.submit(make_obs(tiny_spec, 0.0))
        assert runner.wait_for_chunks(1)
        assert seen == []  # no plan yet: nothing to forecast from
        clock.set(4 * p)  # half the chunk left: the next request goes out
        runner.submit(make_obs(tiny_spec, 4 * p, seed=1))
        assert runner.wait_for_chunks(2)
        # lands at 7p; the plan's last action before then is slot 6 (value 6) of chunk 0
        assert seen == [(6.0, pytest.approx(7 * p))]
        served = runner.poll(7 * p)
        assert served.chunk_stamp == pytest.approx(7 * p) and served.index == 0 and served.action[0] == 100
        s = runner.stats()
        assert s["forecasts"] == 1 and s["drops"] == 0


def test_forecast_is_skipped_inline(tiny_spec):
    calls = []
    clock = FakeClock(0.0)
    runner = ChunkRunner(CountingEngine(tiny_spec), clock, mode="inline", blend_steps=0,
                         forecast=lambda o, a, t: calls.append(t) or o, expected_latency=1.0)
    for tick in range(8):
        clock.set(tick * runner.action_period)
        runner.submit(make_obs(tiny_spec, clock(), seed=tick))
        runner.poll(clock())
    assert calls == [] and runner.stats()["forecasts"] == 0  # inline answers at once
