"""The tick loop: one goal at a time, two clocks, cancel and preemption, an outcome always.

*Lockstep*: the world advances exactly one period per tick, inference inline: same seed, same
trace. *Real time*: ticks at a fixed rate on the wall clock, the world advances by the time
that really passed; tick durations and overruns are measured. Any exception inside a tick
is caught, the robot is stopped and the goal ends ``aborted`` with ``INTERNAL_ERROR``: the
loop itself never dies on a bad goal.
"""

from __future__ import annotations

import contextlib
import gc
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import py_trees

from behaviours.context import RunContext
from behaviours.limits import LimitStack, SafetyLimits
from behaviours.reasons import Reason, lowest_cause
from behaviours.safety_gate import SafetyGate
from executive.backends import RobotBackend
from executive.compiler import CompiledTree, adopt
from executive.os_realtime import RTGrant, RTRequest, helper_thread_init
from executive.os_realtime import enter as rt_enter
from executive.outcome import Outcome, StepReport
from executive.run_blackboard import RunBlackboard
from executive.timing import TickTimer
from executive.trace import TraceVisitor
from executive.validator import errors, validate

Status = py_trees.common.Status

#: real time, gc policy ``freeze``: collect the young generation in a tick's slack once it
#: holds this many objects (a gen-0 pass over a few thousand young objects takes well under 1 ms)
_GC_YOUNG_THRESHOLD = 2000
#: real time: how long another Python thread (runner worker, viewer, log writer) may hold the
#: GIL before the tick thread gets it (CPython's default is 5 ms: a quarter of a 50 Hz period)
RT_SWITCH_INTERVAL_S = 0.0005
#: the memory policies of a real-time goal (RunConfig.gc_policy)
GC_POLICIES = ("freeze", "default", "off")


@dataclass
class RunConfig:
    clock: Literal["lockstep", "realtime"] = "lockstep"
    rate_hz: float = 10.0
    max_sim_time_s: float = 1800.0
    base_limits: SafetyLimits = field(default_factory=SafetyLimits)
    keep_trace_lines: bool = False
    #: real time only: ``freeze`` = after setup, collect once, ``gc.freeze()`` what survived and
    #: turn automatic collection off for the goal; young objects are collected (gen 0) only in a
    #: tick's slack, a full collection runs between goals. ``default``: Python's own collector.
    #: ``off``: automatic collection disabled for the goal and nothing collected until it ends
    #: (the bound on what freeze's slack collections buy; garbage grows for the whole goal).
    gc_policy: Literal["freeze", "default", "off"] = "freeze"
    #: real time only (``--rt``): real-time scheduling class, mlockall and CPU affinity for the
    #: tick thread during each goal, where the OS grants them (executive/os_realtime.py)
    rt: RTRequest | None = None

    def __post_init__(self) -> None:
        if self.clock not in ("lockstep", "realtime"):
            raise ValueError(f"clock must be 'lockstep' or 'realtime', got {self.clock!r}")
        if self.gc_policy not in GC_POLICIES:
            raise ValueError(f"gc_policy must be one of {', '.join(GC_POLICIES)}, got {self.gc_policy!r}")
        if self.rt is not None and self.clock != "realtime":
            raise ValueError("--rt needs --clock realtime (in lockstep the world waits for each "
                             "tick: there is no deadline to hold)")
        if not 0.1 <= self.rate_hz <= 1000:
            raise ValueError(f"rate must be within [0.1, 1000] Hz, got {self.rate_hz}")


@dataclass
class TickInfo:
    """Handed to sinks after every tick (viewer, log, ROS feedback)."""

    tick: int
    t: float
    tree: py_trees.trees.BehaviourTree
    context: RunContext | None
    duration_s: float
    overrun: bool
    lateness_s: float | None = None  # real time: how late this tick started (None in lockstep)


class TickSink(Protocol):
    def on_tick(self, info: TickInfo) -> None: ...

    def on_outcome(self, outcome: Outcome) -> None: ...


class GoalHandle:
    """A goal in progress: ask it to cancel or mark it preempted from any thread."""

    def __init__(self) -> None:
        self._cancel: Reason | None = None
        self._done = threading.Event()
        self.outcome: Outcome | None = None
        self.cancelled_at: float | None = None  # perf_counter of the first cancel request
        self.stopped_at: float | None = None  # perf_counter of the stop that cancel commanded
        #: called on the cancelling thread at once (the runtime stops the robot there, not at
        #: the next tick: a stop within 0.1 s whatever the tick rate)
        self.on_cancel: Callable[[], None] | None = None

    def cancel(self, reason: Reason = Reason.CANCELLED) -> None:
        if self._cancel is None:
            self._cancel = reason
            self.cancelled_at = time.perf_counter()
            hook = self.on_cancel
            if hook is not None and not self._done.is_set():
                _safe(lambda _: hook(), None)

    @property
    def cancel_requested(self) -> Reason | None:
        return self._cancel

    def wait(self, timeout: float | None = None) -> Outcome | None:
        self._done.wait(timeout)
        return self.outcome

    def _finish(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self._done.set()


class TickLoop:
    """One tree's tick: py_trees tick + status trace + timing + sinks. Shared by the runtime
    and ``tools/bench_tick.py`` so the benchmark measures exactly what runs."""

    def __init__(self, root: py_trees.behaviour.Behaviour, ctx: RunContext | None,
                 sinks: Sequence[TickSink] = (), config: RunConfig | None = None) -> None:
        self.config = config or RunConfig()
        self.tree = py_trees.trees.BehaviourTree(root)
        self.visitor = TraceVisitor(root, keep_lines=self.config.keep_trace_lines)
        self.tree.visitors.append(self.visitor)
        self.ctx = ctx
        self.sinks = list(sinks)
        self.period = 1.0 / self.config.rate_hz
        self.ticks = 0
        self.durations: list[float] = []
        self.overruns = 0
        self.timer = TickTimer(self.period, self.config.clock == "realtime")
        self._now = ctx.clock if ctx is not None else time.perf_counter

    def tick(self, scheduled: float | None = None) -> py_trees.common.Status:
        """One tick; ``scheduled`` (perf_counter) is when it should have started (real time)."""
        start = time.perf_counter()
        self.tree.tick()
        self.ticks += 1
        dur = time.perf_counter() - start
        self.durations.append(dur)
        late = None if scheduled is None else start - scheduled
        self.timer.record(late, dur)
        overrun = dur > self.period
        self.overruns += overrun
        if self.sinks:
            info = TickInfo(self.ticks, self._now(), self.tree, self.ctx, dur, overrun, late)
            for s in self.sinks:
                _safe(s.on_tick, info)
        return self.tree.root.status


class Runtime:
    """Runs compiled trees against one backend; owns the safety gate and the limit stack."""

    def __init__(self, backend: RobotBackend, config: RunConfig | None = None,
                 sinks: Sequence[TickSink] = ()) -> None:
        self.backend = backend
        self.config = config or RunConfig()
        self.sinks = list(sinks)
        self.limits = LimitStack(self.config.base_limits)
        self.gate = SafetyGate(backend.actuators, self.limits, backend.now, backend.state)
        self.ports = backend.bind(self.gate)
        self.tick_durations: list[float] = []
        self.overruns = 0
        self.cancel_stops = 0  # stops commanded from a cancelling thread
        self.last_timing: dict[str, Any] | None = None
        self.last_timer: TickTimer | None = None  # the last goal's raw samples (benchmarks)
        self._lock = threading.Lock()
        self._active: GoalHandle | None = None
        # the most recent goal's context, tree and trace (for the CLI, sinks and tests)
        self.last_context: RunContext | None = None
        self.last_tree: py_trees.trees.BehaviourTree | None = None
        self.last_trace: TraceVisitor | None = None
        self.last_warnings: list[str] = []  # the validator's warnings for the most recent goal

    # -- goals ------------------------------------------------------------------------
    def execute(self, compiled: CompiledTree | py_trees.behaviour.Behaviour,
                goal: GoalHandle | None = None) -> Outcome:
        """Validate and run to completion on this thread. Always returns an outcome.

        A bare py_trees tree is adopted (:func:`executive.compiler.adopt`): its steps are found
        from the tree and it is checked as a hand-written tree."""
        if isinstance(compiled, py_trees.behaviour.Behaviour):
            compiled = adopt(compiled)
        goal = goal or GoalHandle()
        goal.on_cancel = lambda: self._stop_now(goal)
        with self._lock:
            self._active = goal
        try:
            outcome = self._execute(compiled, goal)
        except Exception as e:  # last line of defence: never let a goal kill the caller
            self.gate.stop()
            outcome = Outcome("aborted", Reason.INTERNAL_ERROR, f"{type(e).__name__}: {e}")
        goal._finish(outcome)
        for s in self.sinks:
            _safe(s.on_outcome, outcome)
        with self._lock:
            if self._active is goal:
                self._active = None
        return outcome

    def _stop_now(self, goal: GoalHandle) -> None:
        """A cancel: halt the gate (no new motion from a tick in progress) and command zero
        velocity now, on the cancelling thread."""
        self.gate.halt()
        self.gate.stop()
        goal.stopped_at = time.perf_counter()
        self.cancel_stops += 1

    def submit(self, compiled: CompiledTree) -> GoalHandle:
        """Run a goal on its own thread; preempts the running one (PREEMPTED)."""
        self.preempt()
        goal = GoalHandle()
        threading.Thread(target=self.execute, args=(compiled, goal), daemon=True).start()
        return goal

    def preempt(self) -> None:
        with self._lock:
            active = self._active
        if active is not None:
            active.cancel(Reason.PREEMPTED)
            active.wait(5.0)

    # -- loop -------------------------------------------------------------------------
    def _execute(self, compiled: CompiledTree, goal: GoalHandle) -> Outcome:
        # In a hand-written or adopted tree, motion from outside every guard comes from a
        # behaviour not declared actuating: it fails the goal (SAFETY_UNGUARDED). Compiled trees
        # guard every actuating leaf by construction; there the backend's own relays (a ROS
        # controller's late velocity between two steps) keep the top-level limits as before.
        self.gate.require_scope = compiled.hand_written
        entities = getattr(self.backend, "entities", None)
        issues = validate(compiled.root, entities=entities() if callable(entities) else None,
                          hand_written=compiled.hand_written, strict=compiled.strict,
                          base_limits=self.config.base_limits)
        self.last_warnings = [f"{i.path}: [{i.rule}] {i.message}" for i in issues
                              if i.severity == "warning"]
        if errs := errors(issues):
            msg = "; ".join(str(i) for i in errs[:5])
            return Outcome("refused", Reason.TREE_INVALID, f"tree failed validation: {msg}")
        py_trees.blackboard.Blackboard.clear()  # each run starts from a clean blackboard
        self.limits.reset()
        self.gate.violations.clear()
        self.gate.release()
        ctx = RunContext(ports=self.ports, limits=self.limits, clock=self.backend.now, gate=self.gate)
        # which world the leaves act in: the VLA leaf's reference card follows it (vla_engine)
        ctx.extras["world"] = str(getattr(self.backend, "name", "sim"))
        # what a leaf's own helper thread (the VLA runner's worker) calls first on that thread,
        # so --rt-helpers can raise it for the goal (behaviours may not import executive)
        ctx.extras["helper_thread_init"] = helper_thread_init
        loop = TickLoop(compiled.root, ctx, self.sinks, self.config)
        loop.tree.add_post_tick_handler(RunBlackboard(compiled.steps, ctx).post_tick)
        unguarded = _UnguardedMotion(self.gate)
        loop.tree.visitors.append(unguarded)
        loop.tree.setup(context=ctx)  # leaves warm up here (engine, first inference, camera)
        self.last_context, self.last_tree, self.last_trace = ctx, loop.tree, loop.visitor
        period = 1.0 / self.config.rate_hz
        t0 = self.backend.now()
        realtime = self.config.clock == "realtime"
        freeze = realtime and self.config.gc_policy == "freeze"
        gc_off = realtime and self.config.gc_policy == "off"
        gc_was_enabled = gc.isenabled()
        switch = sys.getswitchinterval()
        if realtime:
            sys.setswitchinterval(min(switch, RT_SWITCH_INTERVAL_S))
        if freeze:
            gc.collect()
            gc.freeze()  # setup's objects: never scanned again during the goal
            gc.disable()
        elif gc_off:
            gc.disable()
        young_collections = 0
        # after setup (the runner's worker, viewer and log threads keep normal priority), on
        # this thread, which ticks: what the OS grants lasts for this goal only
        grant: RTGrant | None = None
        cancel: Reason | None = None
        timed_out = False
        try:
            if realtime and self.config.rt is not None:
                grant = rt_enter(self.config.rt)
            next_deadline = time.perf_counter()
            world_at = next_deadline  # real time: the schedule time the world has been stepped to
            while True:
                cancel = goal.cancel_requested
                if cancel is not None:
                    compiled.root.stop(Status.INVALID)
                    break
                status = loop.tick(next_deadline if realtime else None)
                if unguarded.found is not None:
                    path, v = unguarded.found
                    msg = (f"{path}: commanded {v.command} motion outside any safety guard; declare it "
                           "actuating = True and put it under a SafetyGuard")
                    ctx.extras["abort"] = {"reason": Reason.SAFETY_UNGUARDED, "message": msg, "step": None}
                    ctx.record("abort", path, reason=Reason.SAFETY_UNGUARDED.name, message=msg)
                    compiled.root.stop(Status.INVALID)
                    break
                if status in (Status.SUCCESS, Status.FAILURE):
                    break
                if self.backend.now() - t0 > self.config.max_sim_time_s:
                    timed_out = True
                    compiled.root.stop(Status.INVALID)
                    break
                if realtime:
                    next_deadline += period
                    now = time.perf_counter()
                    if now > next_deadline:  # this tick ran past the next deadline: re-anchor
                        next_deadline = now
                    # An in-process simulated world advances to the next tick's time here, in
                    # this period's slack, not after the sleep: its own work (a navigation
                    # plan: 9-12 ms of A* right after a goal's second tick) never delays the
                    # next tick's start unless it outlasts the slack (then that tick starts
                    # late and is counted so, and the next step covers the time the world
                    # lost). A real robot's backend moves on its own (its step is a no-op).
                    self.backend.step(next_deadline - world_at)
                    world_at = next_deadline
                    slack = next_deadline - time.perf_counter()
                    if freeze and slack > 0.5 * period and gc.get_count()[0] > _GC_YOUNG_THRESHOLD:
                        gc.collect(0)  # in this tick's slack, never inside a tick
                        young_collections += 1
                        slack = next_deadline - time.perf_counter()
                    if slack > 0:
                        time.sleep(slack)
                else:
                    self.backend.step(period)
        finally:
            if grant is not None:
                grant.release()
            sys.setswitchinterval(switch)
            if freeze:
                gc.unfreeze()
            if (freeze or gc_off) and gc_was_enabled:
                gc.enable()
        self.tick_durations, self.overruns = loop.durations, loop.overruns
        ticks, visitor = loop.ticks, loop.visitor
        self.gate.stop()
        if freeze or gc_off:
            gc.collect()  # between goals: the full collection the goal did not run
        visitor.fold(self.backend.digest())
        timing = loop.timer.summary()
        timing["gc_policy"] = self.config.gc_policy if realtime else "default"
        timing["gc_young_collections"] = young_collections
        if realtime:
            timing["rt"] = grant.as_dict() if grant is not None else None
        if cancel is not None and goal.cancelled_at is not None:
            timing["cancel_to_stop_ms"] = round(self._stop_latency(goal) * 1000.0, 3)
        self.last_timing, self.last_timer = timing, loop.timer
        out = self._outcome(compiled, ctx, ticks, t0, cancel, timed_out, visitor.hexdigest)
        out.timing = timing
        return out

    def _stop_latency(self, goal: GoalHandle) -> float:
        """Wall time from the cancel request to the first stop commanded after it (the
        cancelling thread's, else the loop's own at the end of the goal)."""
        assert goal.cancelled_at is not None
        stopped = goal.stopped_at if goal.stopped_at is not None else self.gate.stopped_at
        return max(0.0, (stopped or goal.cancelled_at) - goal.cancelled_at)

    def _outcome(self, compiled: CompiledTree, ctx: RunContext, ticks: int, t0: float,
                 cancel: Reason | None, timed_out: bool, digest: str) -> Outcome:
        steps = []
        for st in compiled.steps:
            history = ctx.step_reasons.get(st.step_id, [])
            status = {Status.SUCCESS: "succeeded", Status.FAILURE: "failed",
                      Status.RUNNING: "running"}.get(st.chain.status, "not run")
            reason = history[-1][0].name if history else "NONE"
            steps.append(StepReport(st.label, status, ctx.retries.get(st.step_id, 0), reason))
        common: dict[str, Any] = dict(
            ticks=ticks, sim_time_s=self.backend.now() - t0, steps=steps,
            faults_injected=self.backend.fault_events(),
            safety_violations_blocked=len(self.gate.violations), trace_sha256=digest)
        if self.last_warnings:
            common["extra"] = {"warnings": list(self.last_warnings)}
        if cancel is not None:
            kind = "cancelled"
            return Outcome(kind, cancel, cancel.describe, **common)
        if timed_out:
            return Outcome("aborted", Reason.SAFETY_TIMEOUT,
                           f"the goal exceeded {self.config.max_sim_time_s:g} s", **common)
        abort = ctx.extras.get("abort")
        if abort and abort["reason"] is Reason.SAFETY_UNGUARDED:  # never a silent "succeeded"
            return Outcome("aborted", abort["reason"], abort["message"], **common)
        if compiled.root.status == Status.SUCCESS:
            return Outcome("succeeded", Reason.NONE, "done", **common)
        if abort:
            return Outcome("aborted", abort["reason"], abort["message"], **common)
        all_reasons = [r for h in ctx.step_reasons.values() for r, _, _ in reversed(h)]
        reason = lowest_cause(*all_reasons) if all_reasons else Reason.INTERNAL_ERROR
        return Outcome("aborted", reason, reason.describe, **common)


class _UnguardedMotion(py_trees.visitors.VisitorBase):
    """Finds the behaviour that commanded motion outside every guard (the gate refused it with
    SAFETY_UNGUARDED): py_trees visits each behaviour right after it ticks, so the first one
    visited after the refusal is the one that sent the command."""

    def __init__(self, gate: SafetyGate) -> None:
        super().__init__(full=False)
        self.gate = gate
        self.seen = len(gate.violations)
        self.found: tuple[str, Any] | None = None

    def initialise(self) -> None:
        self.seen = min(self.seen, len(self.gate.violations))

    def run(self, behaviour: py_trees.behaviour.Behaviour) -> None:
        vs = self.gate.violations
        if len(vs) > self.seen and self.found is None:
            new = [v for v in vs[self.seen:] if v.reason is Reason.SAFETY_UNGUARDED]
            if new:
                names, node = [], behaviour
                while node is not None:
                    names.append(node.name)
                    node = node.parent
                self.found = ("/".join(reversed(names)), new[0])
        self.seen = len(vs)


@contextlib.contextmanager
def cancel_on_sigint(goal: GoalHandle) -> Iterator[GoalHandle]:
    """Ctrl-C (SIGINT) cancels ``goal`` instead of raising ``KeyboardInterrupt`` in a tick: the
    handler runs the cancel's stop at once (Python runs it between two bytecodes of the main
    thread), the goal ends ``cancelled``/``CANCELLED`` with its outcome. A second Ctrl-C while
    the goal winds down raises as usual. Only on the main thread; elsewhere a no-op."""
    if threading.current_thread() is not threading.main_thread():
        yield goal
        return

    def handler(signum: int, frame: Any) -> None:
        if goal.cancel_requested is not None:
            raise KeyboardInterrupt
        goal.cancel(Reason.CANCELLED)

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield goal
    finally:
        signal.signal(signal.SIGINT, previous)


class _SinkErrors:
    """How many sink callbacks raised (a sink must never stop the robot's loop)."""

    count = 0


def _safe(fn: Callable[[Any], None], arg: Any) -> None:
    try:
        fn(arg)
    except Exception:
        _SinkErrors.count += 1
