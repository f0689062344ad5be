"""The asynchronous action-chunk runner: the tick thread never waits on the model.

The caller (a py_trees leaf, on the tick thread) calls :meth:`ChunkRunner.submit` with each new
observation (only the newest is kept) and :meth:`ChunkRunner.next_action` / :meth:`poll` for the
action valid *now*. A worker thread asks the engine for the next chunk whenever the actions left
in the current chunk fall to ``queue_threshold`` of its length. Chunks are stamped with the
observation time: action ``i`` of a chunk answering an observation at ``t`` is meant for
``t + i * action_period``, so actions that time has already overtaken (inference latency) are
dropped and counted. When a new chunk replaces one that still has actions, the first
``blend_steps`` overlapping actions are cross-faded linearly from old to new.

**Latency forecast** (``forecast=``, async): while the model thinks, the robot keeps executing
the current chunk, so a chunk that answers the observation *as taken* starts from a pose the arm
has already left (its first actions are overtaken and dropped, and the rest no longer join the
plan being executed). With a ``forecast`` callback, each request is instead conditioned on where
the committed plan will have the robot when the answer lands: at request time the runner takes
the expected latency (``expected_latency``, else the median of the measured ones), looks up the
plan's last action before ``now + latency`` and calls ``forecast(obs, that_action, arrival)``,
which returns the observation to send (its proprioception moved to the forecast, its stamp the
arrival time). The answer's first action is then meant for the moment it lands. A simplified
form of real-time chunking's frozen prefix (Black et al., 2025): the actions executed during
inference are fixed, and the new chunk continues from them.

If there is no action for ``now`` and none has been for longer than ``staleness_deadline``, the
poll reports the fault ``"VLA_STALE"`` (counted; optionally raised as ``StaleActionError``).

``mode="inline"`` runs inference synchronously inside ``submit`` (lockstep simulation: same
seed, same actions); ``mode="async"`` uses the worker thread (real time).

Wiring in a leaf (one tick)::

    runner.submit(observation)                       # initialise(): runner.reset(); chain.reset()
    served = runner.poll(now)
    if served.fault:                                 # "VLA_STALE" -> Reason.VLA_STALE
        fail(served.fault)
    elif served.action is not None:
        r = chain.check(served.action, now=now, stamp=served.stamp,
                        confidence=served.confidence, state=state)
        fail(r.reason) if not r.ok else port.command(r.action)
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from inference.contract import ActionChunk, Engine, Observation
from inference.errors import StaleActionError

log = logging.getLogger("inference.runner")

VLA_STALE = "VLA_STALE"
VLA_ENGINE_ERROR = "VLA_ENGINE_ERROR"
_EPS = 1e-9


@dataclass(frozen=True)
class ServedAction:
    """The result of :meth:`ChunkRunner.poll`. ``action is None`` means nothing to do now;
    ``fault`` is ``None`` (just waiting) or a reason name (``"VLA_STALE"``)."""

    action: np.ndarray | None
    stamp: float  # the time this action is meant for (chunk stamp + index * period)
    chunk_stamp: float  # the observation stamp the chunk answers
    confidence: float
    index: int
    fault: str | None = None

    @property
    def ok(self) -> bool:
        return self.action is not None


@dataclass
class _Plan:
    t0: float
    actions: np.ndarray
    confidence: float
    engine: str


class ChunkRunner:
    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], float],
        *,
        mode: Literal["async", "inline"] = "async",
        queue_threshold: float = 0.5,
        staleness_deadline: float = 0.1,
        action_period: float | None = None,
        blend_steps: int | None = None,
        min_request_interval: float = 0.0,
        raise_on_stale: bool = False,
        latency_window: int = 256,
        poll_interval: float = 0.005,
        forecast: Callable[[Observation, np.ndarray, float], Observation] | None = None,
        expected_latency: float | None = None,
        worker_init: Callable[[], None] | None = None,
    ) -> None:
        if mode not in ("async", "inline"):
            raise ValueError(f"mode must be 'async' or 'inline', got {mode!r}")
        if not 0.0 <= queue_threshold <= 1.0:
            raise ValueError("queue_threshold must be within [0, 1]")
        self._engine = engine
        self._clock = clock
        self.mode = mode
        self.queue_threshold = float(queue_threshold)
        self.staleness_deadline = float(staleness_deadline)
        period = action_period if action_period is not None else engine.card.action_period
        if not period > 0:
            raise ValueError("action_period must be > 0")
        self.action_period = float(period)
        chunk = engine.card.outputs.action.chunk
        self.blend_steps = max(1, chunk // 4) if blend_steps is None else int(blend_steps)
        self.min_request_interval = float(min_request_interval)
        self.raise_on_stale = raise_on_stale
        self._poll_interval = poll_interval
        self.forecast = forecast
        self.expected_latency = expected_latency
        #: called first on each worker thread (async): the executive's ``--rt-helpers`` uses it
        #: to give the worker a real-time priority below the tick thread's for the goal
        self.worker_init = worker_init
        self._cv = threading.Condition()
        self._thread: threading.Thread | None = None
        self._running = False
        self._worker = 0  # id of the one worker allowed to run; bumped by start() and stop()
        self._infer_lock = threading.Lock()  # one engine call at a time, whichever worker
        self._pending: Observation | None = None
        self._plan: _Plan | None = None
        self._next_unserved = 0
        self._first_submit: float | None = None
        self._last_request_at = -math.inf
        self._in_flight = False
        self._generation = 0  # bumped by reset(): answers to older observations are discarded
        self._latencies: deque[float] = deque(maxlen=latency_window)
        self._chunk_times: deque[float] = deque(maxlen=latency_window)
        self._counts = dict.fromkeys(
            (
                "submitted",
                "obs_overwritten",
                "requests",
                "chunks",
                "errors",
                "served",
                "drops",
                "staleness_events",
                "blends",
                "discarded_chunks",
                "forecasts",
                "abandoned_workers",
            ),
            0,
        )
        self.last_error: str | None = None
        self.last_fault: str | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        return self._engine

    def start(self) -> ChunkRunner:
        if self.mode == "async" and self._thread is None:
            with self._cv:
                self._worker += 1
                me = self._worker
                self._running = True
            self._thread = threading.Thread(target=self._loop, args=(me,), name="vla-chunk-runner",
                                            daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float | None = 5.0) -> None:
        with self._cv:
            self._running = False
            self._worker += 1  # whatever the old worker is doing, it may not touch state again
            self._in_flight = False  # its request no longer counts; a new worker may ask again
            self._cv.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                # Still inside engine.infer: it exits when that returns and its answer is
                # dropped (worker id changed); the engine's own lock keeps a new worker from
                # sharing its execution context meanwhile.
                self._counts["abandoned_workers"] += 1
                log.warning("chunk runner worker still in an inference after %.1f s; abandoned", timeout or 0)
            self._thread = None

    def __enter__(self) -> ChunkRunner:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def swap_engine(self, engine: Engine) -> None:
        """Use ``engine`` (e.g. a lighter variant) from the next request on."""
        with self._cv:
            self._engine = engine

    def reset(self) -> None:
        """Forget the current chunk and pending observation (new goal); counters are kept."""
        with self._cv:
            self._generation += 1
            self._plan = None
            self._pending = None
            self._next_unserved = 0
            self._first_submit = None
            self.last_fault = None

    # -- caller side (tick thread) -------------------------------------------------------------
    def submit(self, obs: Observation) -> None:
        """Offer the newest observation. Async: never waits. Inline: may run inference now."""
        with self._cv:
            self._counts["submitted"] += 1
            if self._pending is not None:
                self._counts["obs_overwritten"] += 1
            self._pending = obs
            if self._first_submit is None:
                self._first_submit = float(obs.stamp)
            if self.mode == "async":
                self._cv.notify_all()
                return
            if not self._ready_locked(self._clock()):
                return
            obs, engine, gen = self._take_locked()
        self._run(engine, obs, gen)

    def next_action(self, now: float | None = None) -> np.ndarray | None:
        """The action for time ``now`` (default: the clock), or ``None`` (see :attr:`last_fault`)."""
        return self.poll(now).action

    def poll(self, now: float | None = None) -> ServedAction:
        now = self._clock() if now is None else float(now)
        with self._cv:
            served = self._poll_locked(now)
            self.last_fault = served.fault
            if self.mode == "async" and self._ready_locked(now):
                self._cv.notify_all()
        if served.fault == VLA_STALE and self.raise_on_stale:
            raise StaleActionError(f"no fresh action within {self.staleness_deadline:.3f} s at t={now:.3f}")
        return served

    def _stale_locked(self, now: float, stamp: float) -> ServedAction:
        self._counts["staleness_events"] += 1
        log.debug("stale: no action for t=%.3f", now)
        return ServedAction(None, stamp, stamp, 0.0, -1, VLA_STALE)

    def _poll_locked(self, now: float) -> ServedAction:
        plan = self._plan
        if plan is None:
            start = self._first_submit
            if start is not None and now - start > self.staleness_deadline:
                return self._stale_locked(now, start)
            return ServedAction(None, now, now, 0.0, -1, None)
        n = len(plan.actions)
        k = max(0, math.floor((now - plan.t0) / self.action_period + _EPS))
        if k > self._next_unserved:
            dropped = min(k, n) - self._next_unserved
            if dropped > 0:
                self._counts["drops"] += dropped
                log.debug("dropped %d overtaken action(s)", dropped)
            self._next_unserved = min(k, n)
        if k < n:
            self._next_unserved = max(self._next_unserved, k + 1)
            self._counts["served"] += 1
            stamp = plan.t0 + k * self.action_period
            return ServedAction(plan.actions[k].copy(), stamp, plan.t0, plan.confidence, k, None)
        end = plan.t0 + n * self.action_period
        if now - end > self.staleness_deadline:
            return self._stale_locked(now, end)
        return ServedAction(None, end, plan.t0, plan.confidence, n, None)

    # -- worker side ---------------------------------------------------------------------------
    def _needs_chunk_locked(self, now: float) -> bool:
        if self._in_flight or now - self._last_request_at < self.min_request_interval - _EPS:
            return False
        plan = self._plan
        if plan is None:
            return True
        n = len(plan.actions)
        k = max(0, math.floor((now - plan.t0) / self.action_period + _EPS))
        return n - k <= self.queue_threshold * n + _EPS

    def _ready_locked(self, now: float) -> bool:
        return self._pending is not None and self._needs_chunk_locked(now)

    def _take_locked(self) -> tuple[Observation, Engine, int]:
        obs = self._pending
        assert obs is not None
        self._pending = None
        self._in_flight = True
        self._last_request_at = self._clock()
        self._counts["requests"] += 1
        return self._forecast_locked(obs, self._last_request_at), self._engine, self._generation

    def _forecast_locked(self, obs: Observation, now: float) -> Observation:
        """The observation moved to where the committed plan will be when the answer lands."""
        plan = self._plan
        if self.forecast is None or plan is None or self.mode != "async":
            return obs
        if self.expected_latency is not None:
            latency = self.expected_latency
        else:
            latency = float(np.median(self._latencies)) if self._latencies else 0.0
        if latency < 0.5 * self.action_period:  # lands within this step: nothing to forecast
            return obs
        arrival = now + latency
        k = math.floor((arrival - plan.t0) / self.action_period + _EPS) - 1
        k = min(max(k, 0), len(plan.actions) - 1)
        try:
            out = self.forecast(obs, plan.actions[k].copy(), arrival)
        except Exception as e:  # a broken forecast falls back to the observation as taken
            self.last_error = f"forecast: {type(e).__name__}: {e}"
            return obs
        self._counts["forecasts"] += 1
        return out

    def _loop(self, me: int) -> None:
        if self.worker_init is not None:
            try:
                self.worker_init()
            except Exception as e:  # a failed priority change must not cost the robot its policy
                log.warning("chunk runner worker_init failed: %s: %s", type(e).__name__, e)
        while True:
            with self._cv:
                while self._running and self._worker == me and not self._ready_locked(self._clock()):
                    self._cv.wait(timeout=self._poll_interval)
                if not self._running or self._worker != me:
                    return
                obs, engine, gen = self._take_locked()
            self._run(engine, obs, gen, me)

    def _run(self, engine: Engine, obs: Observation, generation: int, worker: int | None = None) -> None:
        t0 = time.perf_counter()
        try:
            with self._infer_lock:  # an abandoned worker finishes before its successor enqueues
                chunk = engine.infer(obs)
            expected = (engine.card.outputs.action.chunk, engine.card.outputs.action.dim)
            if chunk.actions.shape != expected:
                raise ValueError(f"chunk shape {chunk.actions.shape}, card {expected}")
        except Exception as e:  # the engine's failure must never reach the tick thread
            with self._cv:
                if worker is None or worker == self._worker:
                    self._in_flight = False
                self._counts["errors"] += 1
                self.last_error = f"{type(e).__name__}: {e}"
            log.warning("inference failed: %s", self.last_error)
            return
        latency = time.perf_counter() - t0
        with self._cv:
            if worker is None or worker == self._worker:
                self._in_flight = False
            self._latencies.append(latency)
            if (worker is not None and worker != self._worker) or generation != self._generation:
                self._counts["discarded_chunks"] += 1
            else:
                self._install_locked(chunk, self._clock())
            self._cv.notify_all()

    def _install_locked(self, chunk: ActionChunk, now: float) -> None:
        old = self._plan
        if old is not None and chunk.stamp < old.t0:
            self._counts["discarded_chunks"] += 1
            return
        new = np.array(chunk.actions, dtype=np.float32, copy=True)
        if old is not None and self.blend_steps > 0:
            new = blend_chunks(
                old.actions, old.t0, new, chunk.stamp, now, self.action_period, self.blend_steps
            )
            self._counts["blends"] += 1
        self._plan = _Plan(float(chunk.stamp), new, float(chunk.confidence), chunk.engine)
        self._next_unserved = 0
        self._counts["chunks"] += 1
        self._chunk_times.append(now)

    # -- introspection -------------------------------------------------------------------------
    def wait_for_chunks(self, count: int, timeout: float = 5.0) -> bool:
        """Block until ``count`` chunks have arrived (tests and start-up only, never in a tick)."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while self._counts["chunks"] < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cv.wait(timeout=min(left, 0.05))
        return True

    @property
    def errors(self) -> int:
        """Inference failures so far (cheap: the tick reads it every tick, ``stats()`` is not)."""
        return self._counts["errors"]

    @staticmethod
    def warm_up(engine: Engine, instruction: str = "warm up", stamp: float = 0.0) -> dict[str, float]:
        """Pay the first-use costs before the first tick: one inference on a dummy observation
        of the card's shapes (the engine's session allocates its buffers on the first run), and
        one inline submit/poll/stats round (numpy's percentile and the runner's code paths).
        Returns the time each took (s). Raises what the engine raises."""
        card = engine.card
        images = {spec.name: np.zeros((*spec.size, 3), np.uint8) for spec in card.inputs.images}
        obs = Observation(images=images, instruction=instruction,
                          state=np.zeros((card.inputs.state.dim,), np.float32), stamp=stamp)
        t0 = time.perf_counter()
        engine.infer(obs)
        t1 = time.perf_counter()
        probe = ChunkRunner(engine, lambda: stamp, mode="inline")
        probe.submit(obs)
        probe.poll(stamp)
        probe.stats()
        t2 = time.perf_counter()
        return {"first_inference_s": t1 - t0, "runner_paths_s": t2 - t1}

    def stats(self) -> dict[str, Any]:
        with self._cv:
            lat = np.asarray(self._latencies, dtype=np.float64)
            times = list(self._chunk_times)
            out: dict[str, Any] = {"mode": self.mode, "engine": self._engine.name, **self._counts}
            in_flight = self._in_flight
        if lat.size:
            p50, p95, p99 = np.percentile(lat, [50, 95, 99])
            out.update(
                latency_mean=float(lat.mean()),
                latency_p50=float(p50),
                latency_p95=float(p95),
                latency_p99=float(p99),
            )
        else:
            out.update(latency_mean=None, latency_p50=None, latency_p95=None, latency_p99=None)
        span = times[-1] - times[0] if len(times) > 1 else 0.0
        out["rate_hz"] = (len(times) - 1) / span if span > 0 else None
        out["in_flight"] = in_flight
        out["min_request_interval"] = self.min_request_interval
        out["last_error"] = self.last_error
        return out


def blend_chunks(
    old: np.ndarray,
    old_t0: float,
    new: np.ndarray,
    new_t0: float,
    now: float,
    period: float,
    steps: int,
) -> np.ndarray:
    """Cross-fade the first ``steps`` not-yet-overtaken actions of ``new`` with the time-aligned
    actions of ``old``: weight of new = (m + 1) / (steps + 1) for the m-th blended action."""
    out = np.array(new, dtype=np.float32, copy=True)
    s0 = max(0, math.floor((now - new_t0) / period + _EPS))
    for m in range(steps):
        j = s0 + m
        if j >= len(out):
            break
        i = round((new_t0 + j * period - old_t0) / period)
        if not 0 <= i < len(old):
            break
        w = (m + 1) / (steps + 1)
        out[j] = (1.0 - w) * old[i] + w * out[j]
    return out
