"""Adaptive inference: the pure policy, and the monitor driving a runner."""

from __future__ import annotations

import pytest
from vla_helpers import CountingEngine, FakeClock

from inference import ChunkRunner
from inference.adapt import AdaptiveMonitor, Budget, Readings, Setting, decide, read_resources


def test_policy_keeps_when_within_budget_or_blind():
    s = Setting(request_interval=0.0)
    assert decide(Readings(latency_p95=0.01), Budget(latency_p95=0.05), s).action == "keep"
    assert decide(Readings(), Budget(latency_p95=0.05), s).action == "keep"  # no readings


def test_policy_switches_variant_on_latency_then_slows_down():
    s = Setting(request_interval=0.0, variants=("int8", "tiny"))
    hot = Readings(latency_p95=0.2)
    b = Budget(latency_p95=0.05)
    d = decide(hot, b, s)
    assert d.action == "switch_variant" and d.setting.variant == "int8"
    assert "latency_p95" in d.message and "int8" in d.message
    d = decide(hot, b, d.setting)
    assert d.setting.variant == "tiny"
    d = decide(hot, b, d.setting)
    assert d.action == "slow_down" and d.setting.request_interval == pytest.approx(0.015)


def test_policy_slows_on_resources_up_to_max_then_recovers():
    s = Setting(request_interval=0.1, base_interval=0.1, max_interval=0.3, variants=("int8",))
    b = Budget(cpu_percent=80)
    d = decide(Readings(cpu_percent=95), b, s)
    assert d.action == "slow_down" and d.setting.variant is None  # CPU: no variant switch
    assert d.setting.request_interval == pytest.approx(0.15)
    for _ in range(5):
        d = decide(Readings(cpu_percent=95), b, d.setting)
    assert d.setting.request_interval == pytest.approx(0.3) and d.action == "keep"
    assert "already at the slowest" in d.message
    d = decide(Readings(cpu_percent=70), b, d.setting)  # under budget but above relax: keep
    assert d.action == "keep"
    for _ in range(10):
        d = decide(Readings(cpu_percent=10), b, d.setting)
    assert d.setting.request_interval == pytest.approx(0.1)  # back to base, not below


def test_monitor_applies_decisions_to_runner(tiny_spec):
    runner = ChunkRunner(CountingEngine(tiny_spec), FakeClock(), mode="inline")
    swapped = []

    def factory(variant):
        eng = CountingEngine(tiny_spec)
        eng.name = f"counting-{variant}"
        swapped.append(variant)
        return eng

    fake = {"cpu_percent": 99.0}
    mon = AdaptiveMonitor(
        runner,
        Budget(latency_p95=1e-9, cpu_percent=50),
        variants=["int8"],
        engine_factory=factory,
        readers=[lambda: dict(fake)],
    )
    runner._latencies.append(0.5)  # as if one slow inference happened
    d = mon.step()
    assert d.action == "switch_variant" and swapped == ["int8"]
    assert runner.engine.name == "counting-int8"
    d = mon.step()
    assert d.action == "slow_down" and runner.min_request_interval > 0
    assert len(mon.messages) == 2 and "int8" in mon.messages[0]


def test_resource_readers_are_optional():
    out = read_resources([lambda: {}, lambda: {"cpu_percent": None}, lambda: {"cpu_percent": 3.0}])
    assert out == {"cpu_percent": 3.0}
    read_resources()  # whatever is installed here; must not raise
