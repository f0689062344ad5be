"""Adaptive inference: lower the request rate or switch to a lighter variant under pressure.

:func:`decide` is the policy, a pure function of readings, budget and current setting.
:class:`AdaptiveMonitor` reads the runner's latency and the machine's resources (psutil,
nvidia-ml-py, jetson-stats: each imported lazily, each optional; absent -> reading ``None``),
applies the decision to a :class:`~inference.runner.ChunkRunner` and records a message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

log = logging.getLogger("inference.adapt")


@dataclass(frozen=True)
class Readings:
    latency_p95: float | None = None  # s
    cpu_percent: float | None = None
    mem_percent: float | None = None
    gpu_percent: float | None = None
    gpu_mem_percent: float | None = None
    temperature_c: float | None = None


@dataclass(frozen=True)
class Budget:
    latency_p95: float | None = None
    cpu_percent: float | None = 90.0
    mem_percent: float | None = 90.0
    gpu_percent: float | None = None
    gpu_mem_percent: float | None = 90.0
    temperature_c: float | None = 85.0
    relax: float = 0.6  # all readings below relax * budget -> speed back up


@dataclass(frozen=True)
class Setting:
    request_interval: float  # s between requests (0 = as fast as the queue asks)
    variant: str | None = None  # None = the base model
    base_interval: float = 0.0
    max_interval: float = 1.0
    variants: Sequence[str] = ()  # lighter variants, lightest last (card order)
    step: float = 1.5


@dataclass(frozen=True)
class Decision:
    action: Literal["keep", "slow_down", "speed_up", "switch_variant"]
    setting: Setting
    over: tuple[str, ...] = ()
    message: str = ""


def _over(readings: Readings, budget: Budget, scale: float = 1.0) -> list[str]:
    out = []
    for key in (
        "latency_p95",
        "cpu_percent",
        "mem_percent",
        "gpu_percent",
        "gpu_mem_percent",
        "temperature_c",
    ):
        r, b = getattr(readings, key), getattr(budget, key)
        if r is not None and b is not None and r > b * scale:
            out.append(key)
    return out


def decide(readings: Readings, budget: Budget, setting: Setting) -> Decision:
    """The adaptation policy. Over budget: latency -> lighter variant if one is left, else (and
    for resources) lengthen the request interval by ``step`` up to ``max_interval``. Everything
    comfortably under budget (``relax``) -> shorten the interval back toward ``base_interval``.
    Missing readings never trigger anything. Variants are never switched back automatically."""
    over = _over(readings, budget)
    if over:
        names = ", ".join(f"{k}={getattr(readings, k):.3g}>{getattr(budget, k):.3g}" for k in over)
        order = list(setting.variants)
        nxt = None
        if "latency_p95" in over and order:
            idx = order.index(setting.variant) + 1 if setting.variant in order else 0
            nxt = order[idx] if idx < len(order) else None
        if nxt is not None:
            return Decision(
                "switch_variant",
                replace(setting, variant=nxt),
                tuple(over),
                f"over budget ({names}): switching to lighter variant '{nxt}'",
            )
        if setting.request_interval < setting.max_interval:
            base = max(setting.request_interval, setting.base_interval, 0.01)
            new = min(setting.max_interval, base * setting.step)
            return Decision(
                "slow_down",
                replace(setting, request_interval=new),
                tuple(over),
                f"over budget ({names}): request interval {setting.request_interval:.3f} s -> {new:.3f} s",
            )
        return Decision(
            "keep",
            setting,
            tuple(over),
            f"over budget ({names}) but already at the slowest rate and lightest variant",
        )
    if setting.request_interval > setting.base_interval and not _over(readings, budget, budget.relax):
        new = setting.request_interval / setting.step
        if new < 0.01 or new <= setting.base_interval:
            new = setting.base_interval
        return Decision(
            "speed_up",
            replace(setting, request_interval=new),
            (),
            f"under budget: request interval {setting.request_interval:.3f} s -> {new:.3f} s",
        )
    return Decision("keep", setting)


# ---------------------------------------------------------------------------------------------
# Resource readers: each optional.


def read_psutil() -> dict[str, float | None]:
    try:
        import psutil
    except ImportError:
        return {}
    return {
        "cpu_percent": float(psutil.cpu_percent(interval=None)),
        "mem_percent": float(psutil.virtual_memory().percent),
    }


def read_nvml() -> dict[str, float | None]:
    try:
        import pynvml
    except ImportError:
        return {}
    try:
        pynvml.nvmlInit()
        h = pynvml.nvmlDeviceGetHandleByIndex(0)
        util = pynvml.nvmlDeviceGetUtilizationRates(h)
        mem = pynvml.nvmlDeviceGetMemoryInfo(h)
        temp = pynvml.nvmlDeviceGetTemperature(h, pynvml.NVML_TEMPERATURE_GPU)
        return {
            "gpu_percent": float(util.gpu),
            "gpu_mem_percent": 100.0 * mem.used / max(mem.total, 1),
            "temperature_c": float(temp),
        }
    except Exception:  # no driver / no device
        return {}


def read_jetson() -> dict[str, float | None]:
    try:
        from jtop import jtop
    except ImportError:
        return {}
    try:
        with jtop() as j:
            stats = j.stats
        out: dict[str, float | None] = {}
        if "GPU" in stats:
            out["gpu_percent"] = float(stats["GPU"])
        temps = [
            float(v) for k, v in stats.items() if str(k).startswith("Temp") and isinstance(v, (int, float))
        ]
        if temps:
            out["temperature_c"] = max(temps)
        return out
    except Exception:
        return {}


DEFAULT_READERS: tuple[Callable[[], dict[str, float | None]], ...] = (read_psutil, read_nvml, read_jetson)


def read_resources(
    readers: Sequence[Callable[[], dict[str, float | None]]] = DEFAULT_READERS,
) -> dict[str, float | None]:
    merged: dict[str, float | None] = {}
    for r in readers:
        for k, v in r().items():
            if v is not None and merged.get(k) is None:
                merged[k] = v
    return merged


@dataclass
class AdaptiveMonitor:
    """Call :meth:`step` periodically (off the tick thread, or every N ticks)."""

    runner: Any  # ChunkRunner (duck-typed: stats(), min_request_interval, swap_engine())
    budget: Budget
    variants: Sequence[str] = ()
    engine_factory: Callable[[str], Any] | None = None  # variant name -> Engine
    readers: Sequence[Callable[[], dict[str, float | None]]] = DEFAULT_READERS
    max_interval: float = 1.0
    messages: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        base = float(self.runner.min_request_interval)
        variants = tuple(self.variants) if self.engine_factory is not None else ()
        self.setting = Setting(base, None, base, self.max_interval, variants)

    def readings(self) -> Readings:
        res = read_resources(self.readers)
        lat = self.runner.stats().get("latency_p95")
        return Readings(
            latency_p95=lat, **{k: v for k, v in res.items() if k in Readings.__dataclass_fields__}
        )

    def step(self) -> Decision:
        d = decide(self.readings(), self.budget, self.setting)
        if d.action == "switch_variant":
            assert self.engine_factory is not None and d.setting.variant is not None
            self.runner.swap_engine(self.engine_factory(d.setting.variant))
        self.setting = d.setting
        self.runner.min_request_interval = d.setting.request_interval
        if d.message:
            self.messages.append(d.message)
            log.info(d.message)
        return d
