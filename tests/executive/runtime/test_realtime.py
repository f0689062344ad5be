"""Real-time loop: timing with every outcome, a cancel stops the robot before the next tick,
the memory policy, the VLA leaf's warm-up, the --rt options' refusal messages."""

import gc
import threading
import time

import pytest

from behaviours.reasons import Reason
from executive.compiler import compile_plan
from executive.plan import Plan, Step, load_plan
from executive.runtime import RunConfig, Runtime
from executive.sim.backend import SimBackend
from executive.timing import TickTimer
from tests.conftest import EXAMPLES, run_plan

TIMING_KEYS = {"period_error_p50_ms", "period_error_p99_ms", "period_error_max_ms", "duration_p50_ms",
               "duration_p99_ms", "duration_max_ms", "overruns", "missed_deadlines", "worst_tick"}


def test_lockstep_reports_durations_and_null_period_error():
    out, _, _ = run_plan("go_to_red_cube", seed=3)
    t = out.as_dict()["timing"]
    assert set(t) >= TIMING_KEYS
    assert t["clock"] == "lockstep" and t["ticks"] == out.ticks
    assert t["duration_max_ms"] >= t["duration_p99_ms"] >= t["duration_p50_ms"] > 0
    # no deadline in lockstep: null, not a fake zero
    assert t["period_error_p99_ms"] is None and t["missed_deadlines"] is None and t["worst_tick"] is None


def test_timing_never_enters_the_trace_digest():
    a, _, _ = run_plan("go_to_red_cube", seed=3)
    b, _, _ = run_plan("go_to_red_cube", seed=3, gc_policy="default")
    assert a.trace_sha256 == b.trace_sha256
    assert a.timing != b.timing or a.timing["duration_max_ms"] >= 0  # durations differ run to run


def test_realtime_outcome_carries_period_error():
    backend = SimBackend.create(dt=1 / 50)
    rt = Runtime(backend, RunConfig(clock="realtime", rate_hz=50.0))
    out = rt.execute(compile_plan(Plan((Step("wait", params={"seconds": 0.4}),)), backend.entities()))
    t = out.timing
    assert out.outcome == "succeeded" and t is not None and set(t) >= TIMING_KEYS
    assert t["clock"] == "realtime" and t["ticks"] == out.ticks and t["period_ms"] == 20.0
    assert t["period_error_max_ms"] >= t["period_error_p99_ms"] >= t["period_error_p50_ms"] >= 0
    assert 1 <= t["worst_tick"] <= out.ticks
    assert isinstance(t["missed_deadlines"], int) and t["gc_policy"] == "freeze"
    assert gc.isenabled() and not gc.get_freeze_count()  # the policy is undone after the goal


def test_tick_timer_counts_missed_deadlines_and_the_worst_tick():
    t = TickTimer(0.02, realtime=True)
    for late, dur in [(0.0, 0.001), (0.001, 0.001), (0.05, 0.03), (-0.001, 0.001)]:
        t.record(late, dur)
    s = t.summary()
    assert s["missed_deadlines"] == 1 and s["overruns"] == 1 and s["worst_tick"] == 3
    assert s["period_error_max_ms"] == 50.0 and s["late_over_2ms"] == 1


class _Steps(SimBackend):
    """The simulated world, writing down its steps beside the loop's ticks and sleeps; its
    ``slow`` step waits that long (a navigation plan's worth of world work)."""

    def __init__(self, world, events: list, slow: dict[int, float]) -> None:
        super().__init__(world)
        self.events, self.slow, self.dts = events, slow, []

    def step(self, dt: float) -> None:
        self.events.append("step")
        self.dts.append(dt)
        time.sleep(self.slow.get(len(self.dts), 0.0))
        super().step(dt)


class _Order:
    def __init__(self, events: list) -> None:
        self.events = events

    def on_tick(self, info) -> None:
        self.events.append("tick")

    def on_outcome(self, outcome) -> None:
        pass


def _stepped_goal(monkeypatch, slow: dict[int, float]):
    import executive.runtime as runtime_mod

    events: list[str] = []
    real_sleep = time.sleep
    main = threading.current_thread()

    class _Time:  # the loop's time module, its sleeps written down (this thread's only)
        perf_counter = staticmethod(time.perf_counter)

        @staticmethod
        def sleep(s: float) -> None:
            if threading.current_thread() is main:
                events.append("sleep")
            real_sleep(s)

    monkeypatch.setattr(runtime_mod, "time", _Time)
    backend = _Steps(SimBackend.create(dt=1 / 50).world, events, slow)
    rt = Runtime(backend, RunConfig(clock="realtime", rate_hz=50.0), sinks=[_Order(events)])
    out = rt.execute(compile_plan(Plan((Step("wait", params={"seconds": 0.2}),)), backend.entities()))
    assert out.outcome == "succeeded"
    return events, backend, out


def test_realtime_world_steps_in_the_slack_before_the_sleep(monkeypatch):
    """The in-process world advances right after a tick, before the loop sleeps to the next
    deadline: its own work (a navigation plan) is absorbed by the slack instead of making the
    next tick start late (before, every tick went tick, sleep, step: the 9-12 ms plan after a
    goal's second tick was tick 3's lateness)."""
    events, _, _ = _stepped_goal(monkeypatch, {})
    body = events[: events.index("tick", events.index("tick") + 1) + 1]
    assert body == ["tick", "step", "sleep", "tick"], events[:8]
    cycles = "".join(e[1] for e in events)  # tick/step/sleep -> i, t, l
    assert "itl" * 5 in cycles and "ili" not in cycles and "ilt" not in cycles, events[:12]


def test_realtime_world_catches_up_after_a_step_past_the_deadline(monkeypatch):
    """A step that runs past the next deadline (60 ms at 50 Hz): no sleep, the next tick starts
    at once and its lateness (>= 40 ms) is counted, not hidden by re-anchoring the schedule
    first, and the world's next step covers the wall time it lost, so it keeps up."""
    events, backend, out = _stepped_goal(monkeypatch, {2: 0.06})
    assert backend.dts[0] == pytest.approx(0.02) and backend.dts[1] == pytest.approx(0.02)
    assert backend.dts[2] >= 0.039  # the 40 ms the slow step ran past tick 3's deadline
    second = [i for i, e in enumerate(events) if e == "step"][1]
    assert events[second + 1] == "tick", events[: second + 3]  # past the deadline: no sleep
    t = out.timing
    assert t["period_error_max_ms"] >= 39.0 and t["worst_tick"] == 3 and t["missed_deadlines"] >= 1


class _TickCount:
    def __init__(self) -> None:
        self.ticks = 0
        self.event = threading.Event()

    def on_tick(self, info) -> None:
        self.ticks = info.tick
        self.event.set()

    def on_outcome(self, outcome) -> None:
        pass


@pytest.mark.parametrize("rate", [10.0, 50.0])
def test_cancel_commands_the_stop_before_the_next_tick(rate):
    """The stop comes from the cancelling thread: the robot is at rest when cancel() returns,
    while the tick thread still sleeps in its period (no tick in between)."""
    backend = SimBackend.create(dt=1 / rate)
    counter = _TickCount()
    rt = Runtime(backend, RunConfig(clock="realtime", rate_hz=rate), sinks=[counter])
    compiled = compile_plan(load_plan(EXAMPLES / "go_to_red_cube.yaml"), backend.entities())
    goal = rt.submit(compiled)
    w = backend.world
    deadline = time.monotonic() + 20
    while w.v == 0.0 and time.monotonic() < deadline:
        time.sleep(0.002)
    assert w.v != 0.0, "the robot never started to drive"
    counter.event.clear()
    assert counter.event.wait(5)
    time.sleep(0.2 / rate)  # now the tick thread is asleep until its next deadline
    before = counter.ticks
    goal.cancel()
    assert (w.v, w.w) == (0.0, 0.0) and not w.qd.any()
    assert counter.ticks == before  # stopped before the next tick
    out = goal.wait(10)
    assert out is not None and out.outcome == "cancelled" and out.reason_code is Reason.CANCELLED
    assert out.timing["cancel_to_stop_ms"] < 100.0  # generous: measured ~0.1 ms
    assert (w.v, w.w) == (0.0, 0.0)


def test_a_tick_in_progress_cannot_move_the_robot_after_a_cancel():
    backend = SimBackend.create(dt=0.1)
    rt = Runtime(backend, RunConfig(clock="realtime", rate_hz=10.0))
    rt.gate.halt()
    assert not rt.gate.command_base(0.2, 0.0) and backend.world.v == 0.0
    assert rt.gate.last_rejection is Reason.CANCELLED and not rt.gate.violations
    rt.gate.release()
    assert rt.gate.command_base(0.2, 0.0) and backend.world.v == 0.2


def test_vla_leaf_warms_up_in_setup_in_real_time(monkeypatch):
    """setup() pays the first inference and the camera's first frame (real time only)."""
    from behaviours import vla
    from inference.runner import ChunkRunner

    calls = []
    monkeypatch.setattr(ChunkRunner, "warm_up", staticmethod(lambda eng, instr="": calls.append(eng) or {}))
    monkeypatch.setattr(vla, "_WARM", {})
    engine = object()
    backend = SimBackend.create()
    rt = Runtime(backend, RunConfig(clock="realtime", rate_hz=10.0))
    from behaviours.context import RunContext

    ctx = RunContext(ports=rt.ports, limits=rt.limits, clock=backend.now, gate=rt.gate)
    cam = backend.world.camera if hasattr(backend.world, "camera") else None
    monkeypatch.setattr(vla.SETTINGS, "provider", lambda: engine)
    monkeypatch.setattr(vla.SETTINGS, "mode", "async")
    leaf = vla.VLAPolicy("pick", "red_cup")
    leaf.setup(context=ctx)
    leaf2 = vla.VLAPolicy("place", "sink", task="place")
    leaf2.setup(context=ctx)
    assert calls == [engine]  # once per engine
    del cam
    monkeypatch.setattr(vla.SETTINGS, "mode", "inline")
    monkeypatch.setattr(vla, "_WARM", {})
    vla.VLAPolicy("pick", "red_cup").setup(context=ctx)
    assert calls == [engine]  # lockstep: no warm-up


def test_vla_leaf_hands_the_runs_helper_thread_init_to_its_runner(monkeypatch):
    """The VLA leaf's chunk runner calls the run context's ``helper_thread_init`` first on its
    worker thread (how --rt-helpers reaches a thread that starts mid-goal)."""
    from behaviours import vla
    from behaviours.context import RunContext
    from behaviours.vla_engine import load_cached
    from executive.os_realtime import helper_thread_init
    from inference.reference import reference_model

    backend = SimBackend.create()
    rt = Runtime(backend, RunConfig(clock="realtime", rate_hz=10.0))
    ctx = RunContext(ports=rt.ports, limits=rt.limits, clock=backend.now, gate=rt.gate)
    ctx.extras["helper_thread_init"] = helper_thread_init
    engine = load_cached(reference_model(None), "auto")
    monkeypatch.setattr(vla.SETTINGS, "provider", lambda: engine)
    monkeypatch.setattr(vla.SETTINGS, "warmup", False)
    leaf = vla.VLAPolicy("pick", "red_cup")
    leaf.setup(context=ctx)
    leaf.initialise()
    assert leaf.runner is not None and leaf.runner.worker_init is helper_thread_init


# -- --rt: real-time scheduling, mlockall, affinity ----------------------------------------------
ROOT = EXAMPLES.parent
_PR_CAPBSET_DROP, _CAP_IPC_LOCK, _CAP_SYS_NICE = 24, 14, 23


def _unprivileged() -> None:
    """preexec_fn: the child runs without CAP_SYS_NICE / CAP_IPC_LOCK (dropped from the bounding
    set, so the exec'd interpreter never gets them, root or not) and with RLIMIT_RTPRIO 0 and a
    64 KiB RLIMIT_MEMLOCK: what an ordinary user without limits.conf entries has."""
    import ctypes
    import os
    import resource

    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (_CAP_SYS_NICE, _CAP_IPC_LOCK):
            if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                os._exit(99)
    resource.setrlimit(resource.RLIMIT_RTPRIO, (0, 0))
    resource.setrlimit(resource.RLIMIT_MEMLOCK, (64 * 1024, 64 * 1024))


def _unprivileged_run(argv: list[str]):
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=240, preexec_fn=_unprivileged)


_TWO_GOALS = """
import json
from executive.compiler import compile_plan
from executive.os_realtime import RTRequest
from executive.plan import Plan, Step
from executive.runtime import RunConfig, Runtime
from executive.sim.backend import SimBackend
for _ in range(2):
    b = SimBackend.create(dt=0.02)
    rt = Runtime(b, RunConfig(clock="realtime", rate_hz=50.0, rt=RTRequest(cpu=0, helpers=5)))
    out = rt.execute(compile_plan(Plan((Step("wait", params={"seconds": 0.1}),)), b.entities()))
    print(json.dumps({"outcome": out.outcome, "rt": out.timing["rt"]}))
"""


def test_rt_refused_without_privileges_is_said_once_and_the_goals_run():
    """An unprivileged process: SCHED_FIFO (EPERM) and mlockall are refused, each said once on
    stderr with the reason and the fix (--rt-helpers too: not applied without the tick
    thread's priority), both goals still run; affinity (no privilege needed)
    is granted; timing.rt says what was granted and refused."""
    import json

    p = _unprivileged_run(["-c", _TWO_GOALS])
    assert p.returncode == 0, p.stderr[-2000:]
    assert "Traceback" not in p.stderr
    goals = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    assert [g["outcome"] for g in goals] == ["succeeded", "succeeded"]
    for g in goals:
        rt = g["rt"]
        assert rt["requested"] == {"policy": "SCHED_FIFO", "priority": 50, "mlockall": True, "cpu": 0,
                                   "helpers_priority": 5}
        assert rt["granted"]["scheduler"] is None and rt["granted"]["mlockall"] is False
        assert rt["granted"]["cpus"] == [0]
        assert any(r.startswith("SCHED_FIFO priority 50: EPERM") for r in rt["refused"]), rt
        assert any(r.startswith("mlockall(MCL_CURRENT|MCL_FUTURE): E") for r in rt["refused"]), rt
        assert any(r.startswith("--rt-helpers 5: not applied") for r in rt["refused"]), rt
    said = [line for line in p.stderr.splitlines() if line.startswith("executive: --rt: the OS refused")]
    assert len(said) == 3, p.stderr  # SCHED_FIFO, mlockall and the helpers, once each for two goals
    fifo = next(line for line in said if "SCHED_FIFO" in line)
    assert "CAP_SYS_NICE" in fifo and "RLIMIT_RTPRIO is 0" in fifo and "limits.conf" in fifo
    assert "RLIMIT_MEMLOCK is 64 KiB" in next(line for line in said if "mlockall" in line)


def test_cli_rt_refused_reports_in_the_json_line():
    import json

    p = _unprivileged_run(["-m", "executive.cli", "run", "--world", "kinematic",
                                                  "--plan", str(EXAMPLES / "go_to_red_cube.yaml"),
                           "--clock", "realtime", "--rate", "20", "--rt", "--engine", "none",
                           "--no-log", "--json"])
    assert p.returncode == 0, p.stderr[-2000:]
    out = json.loads(p.stdout.strip().splitlines()[-1])
    rt = out["timing"]["rt"]
    assert out["outcome"] == "succeeded" and rt["granted"]["scheduler"] is None and rt["refused"]
    assert p.stderr.count("executive: --rt: the OS refused SCHED_FIFO priority 50: EPERM") == 1


@pytest.mark.parametrize("args, flag", [
    (["--rt", "--rt-cpu", "4096"], "--rt-cpu 4096"),
    (["--rt-cpu", "0"], "--rt-cpu needs --rt"),
    (["--rt", "--rt-priority", "0"], "--rt-priority"),
    (["--rt", "--clock", "lockstep"], "--rt needs --clock realtime"),
    (["--rt-helpers", "1"], "--rt-helpers needs --rt"),
    (["--rt", "--rt-helpers", "50"], "--rt-helpers must be within 1..49"),
])
def test_cli_rt_bad_input_names_the_flag(capsys, args, flag):
    from executive.cli import main

    argv = ["run", "--world", "kinematic",
            "--plan", str(EXAMPLES / "go_to_red_cube.yaml"), "--engine", "none", "--no-log"]
    if "--clock" not in args:
        argv += ["--clock", "realtime"]
    assert main(argv + args) == 2
    err = capsys.readouterr().err
    assert flag in err and "Traceback" not in err


def _rt_grantable() -> bool:
    import os

    def probe(out: list[bool]) -> None:
        try:
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))
            os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
            out.append(True)
        except OSError:
            out.append(False)

    res: list[bool] = []
    t = threading.Thread(target=probe, args=(res,))
    t.start()
    t.join()
    return res == [True]


class _ThreadState:
    """Records, on the tick thread, its scheduling class, priority and CPUs at every tick."""

    def __init__(self) -> None:
        self.seen: set[tuple[int, int, tuple[int, ...]]] = set()

    def on_tick(self, info) -> None:
        import os

        self.seen.add((os.sched_getscheduler(0) & ~os.SCHED_RESET_ON_FORK,
                       os.sched_getparam(0).sched_priority, tuple(sorted(os.sched_getaffinity(0)))))

    def on_outcome(self, outcome) -> None:
        pass


def _vm_locked_kib() -> int:
    with open("/proc/self/status") as f:
        return int(next(line for line in f if line.startswith("VmLck:")).split()[1])


@pytest.mark.skipif(not _rt_grantable(), reason="this system refuses SCHED_FIFO (needs root or CAP_SYS_NICE)")
def test_rt_granted_on_the_tick_thread_for_the_goal_only():
    """Where the OS grants it (root here): every tick runs SCHED_FIFO at the priority asked,
    pinned to the CPU asked, with the process memory locked; afterwards the thread is back to
    SCHED_OTHER on all its CPUs and nothing stays locked."""
    import os

    from executive.os_realtime import RTRequest

    cpus = sorted(os.sched_getaffinity(0))
    state = _ThreadState()
    result: dict = {}

    def goal() -> None:
        backend = SimBackend.create(dt=0.02)
        cfg = RunConfig(clock="realtime", rate_hz=50.0, rt=RTRequest(priority=10, cpu=cpus[-1]))
        rt = Runtime(backend, cfg, sinks=[state])
        result["out"] = rt.execute(compile_plan(Plan((Step("wait", params={"seconds": 0.2}),)),
                                                backend.entities()))
        result["after"] = (os.sched_getscheduler(0), tuple(sorted(os.sched_getaffinity(0))))

    t = threading.Thread(target=goal)
    t.start()
    t.join(60)
    out = result["out"]
    assert out.outcome == "succeeded"
    assert state.seen == {(os.SCHED_FIFO, 10, (cpus[-1],))}
    rt = out.timing["rt"]
    assert rt["granted"] == {"scheduler": "SCHED_FIFO", "priority": 10, "mlockall": True, "cpus": [cpus[-1]]}
    assert rt["refused"] == [] and rt["mlockall_ms"] >= 0
    assert result["after"] == (os.SCHED_OTHER, tuple(cpus))
    assert _vm_locked_kib() == 0


class _HelperSched:
    """A sink that, at tick 2, starts a VLA chunk runner (the shipped reference policy) with the
    ``worker_init`` the run context hands the VLA leaf, as the leaf does when its policy starts
    mid-goal; then records every helper thread's scheduling class and priority at each tick."""

    def __init__(self) -> None:
        from behaviours.vla_engine import load_cached
        from inference.reference import reference_model

        self.engine = load_cached(reference_model(None), "auto")  # loaded before the goal
        self.runner = None
        self.seen: dict[str, set[tuple[int, int]]] = {}
        self.tick_thread: set[tuple[int, int]] = set()

    def on_tick(self, info) -> None:
        import os

        from executive.os_realtime import HELPERS
        from inference.runner import ChunkRunner

        if info.tick == 2:
            self.runner = ChunkRunner(self.engine, info.context.clock,
                                      worker_init=info.context.extras["helper_thread_init"]).start()
        if info.tick >= 4:
            self.tick_thread.add((os.sched_getscheduler(0) & ~os.SCHED_RESET_ON_FORK,
                                  os.sched_getparam(0).sched_priority))
            for tid, th in HELPERS.threads().items():
                sched = os.sched_getscheduler(tid) & ~os.SCHED_RESET_ON_FORK
                self.seen.setdefault(th.name, set()).add((sched, os.sched_getparam(tid).sched_priority))

    def on_outcome(self, outcome) -> None:
        pass


@pytest.mark.skipif(not _rt_grantable(), reason="this system refuses SCHED_FIFO (needs root or CAP_SYS_NICE)")
def test_rt_helpers_raise_the_helper_threads_for_the_goal_and_restore_them(tmp_path):
    """--rt-helpers 5: during the goal the MCAP log writer, the viewer's server thread (started
    before it) and a VLA runner's worker (started mid-goal through ``worker_init``) run
    SCHED_FIFO 5 while the tick thread runs SCHED_FIFO 10; afterwards every one is back to
    SCHED_OTHER, and timing.rt names the raised threads."""
    import os

    from executive.observe.mcap_log import open_run_log
    from executive.observe.server import ViewerServer
    from executive.observe.sink import SnapshotSink
    from executive.os_realtime import HELPERS, RTRequest

    sink = SnapshotSink(target_rate_hz=50.0)
    writer = open_run_log(sink, tmp_path / "run.mcap", clock="realtime")
    server = ViewerServer(sink, log_dir=tmp_path, port=0, target_rate_hz=50.0)
    server.start()
    probe = _HelperSched()
    result: dict = {}

    def goal() -> None:
        backend = SimBackend.create(dt=0.02)
        req = RTRequest(priority=10, lock_memory=False, helpers=5)
        cfg = RunConfig(clock="realtime", rate_hz=50.0, rt=req)
        rt = Runtime(backend, cfg, sinks=[sink, probe])
        result["out"] = rt.execute(compile_plan(Plan((Step("wait", params={"seconds": 0.5}),)),
                                                backend.entities()))
        result["after"] = {th.name: (os.sched_getscheduler(tid) & ~os.SCHED_RESET_ON_FORK,
                                     os.sched_getparam(tid).sched_priority)
                           for tid, th in HELPERS.threads().items()}

    try:
        t = threading.Thread(target=goal)
        t.start()
        t.join(60)
    finally:
        if probe.runner is not None:
            probe.runner.stop()
        writer.close()
        server.stop()
    out = result["out"]
    assert out.outcome == "succeeded"
    assert probe.tick_thread == {(os.SCHED_FIFO, 10)}
    for name in ("mcap-log", "viewer", "vla-chunk-runner"):
        assert probe.seen.get(name) == {(os.SCHED_FIFO, 5)}, (name, probe.seen)
        assert result["after"][name] == (os.SCHED_OTHER, 0), result["after"]
    helpers = out.timing["rt"]["granted"]["helpers"]
    assert helpers["scheduler"] == "SCHED_FIFO" and helpers["priority"] == 5
    assert {"mcap-log", "viewer", "vla-chunk-runner"} <= set(helpers["threads"])
    assert out.timing["rt"]["requested"]["helpers_priority"] == 5 and out.timing["rt"]["refused"] == []


# -- stop fast: every way of cancelling reaches zero velocity before the next tick ---------------
class _CommandLog:
    """Stands between the gate and the world's real actuators and writes down every command
    that reaches the world, with its time (it forwards each one unchanged)."""

    MOTION = ("base", "arm", "torque", "ee")

    def __init__(self, actuators) -> None:
        self._act = actuators
        self.log: list[tuple[float, str, tuple]] = []

    def __getattr__(self, name):
        return getattr(self._act, name)

    def _note(self, kind: str, values) -> None:
        self.log.append((time.perf_counter(), kind, tuple(float(v) for v in values)))

    def command_base(self, linear, angular):
        self._note("base", (linear, angular))
        return self._act.command_base(linear, angular)

    def command_arm(self, qd):
        self._note("arm", qd)
        return self._act.command_arm(qd)

    def command_torques(self, tau):
        self._note("torque", tau)
        return self._act.command_torques(tau)

    def command_ee_target(self, xyz):
        self._note("ee", xyz)
        return self._act.command_ee_target(xyz)

    def stop(self):
        self._note("stop", ())
        return self._act.stop()


class _TickStarts:
    """When each tick started (perf_counter), from the tick thread."""

    def __init__(self) -> None:
        self.starts: list[float] = []
        self.event = threading.Event()

    def on_tick(self, info) -> None:
        self.starts.append(time.perf_counter() - info.duration_s)
        self.event.set()

    def on_outcome(self, outcome) -> None:
        pass


def _driving_goal(rate: float, sinks=()):
    backend = SimBackend.create(dt=1 / rate)
    log = _CommandLog(backend._actuators)
    backend._actuators = log
    ticks = _TickStarts()
    rt = Runtime(backend, RunConfig(clock="realtime", rate_hz=rate), sinks=[ticks, *sinks])
    compiled = compile_plan(load_plan(EXAMPLES / "go_to_red_cube.yaml"), backend.entities())
    return backend, log, ticks, rt, compiled


def _when_driving_between_ticks(backend, ticks, rate: float) -> None:
    deadline = time.monotonic() + 20
    while backend.world.v == 0.0 and time.monotonic() < deadline:
        time.sleep(0.002)
    assert backend.world.v != 0.0, "the robot never started to drive"
    ticks.event.clear()
    assert ticks.event.wait(5)
    time.sleep(0.3 / rate)


def _assert_stopped_within_the_tick(log: _CommandLog, ticks: _TickStarts, cancelled_at: float) -> None:
    """The first command the world gets after the cancel is the stop, no motion command follows
    it, and no tick started between the cancel and the stop (the stop is within one tick)."""
    after = [e for e in log.log if e[0] >= cancelled_at]
    assert after, "no command after the cancel: the robot was never told to stop"
    t_stop, kind, _ = after[0]
    assert kind == "stop", f"first command after the cancel was {after[0]}, not the stop"
    moving = [e for e in after if e[1] in log.MOTION and any(v != 0.0 for v in e[2])]
    assert not moving, f"motion commanded after the cancel's stop: {moving[:3]}"
    between = [t for t in ticks.starts if cancelled_at < t < t_stop]
    assert not between, f"{len(between)} tick(s) started between the cancel and the stop"


@pytest.mark.parametrize("rate", [10.0, 50.0])
def test_ctrl_c_stops_the_robot_within_the_tick(rate):
    """CLI Ctrl-C: SIGINT on the main thread, which runs the goal (as ``executive run`` does)."""
    import os
    import signal

    from executive.runtime import GoalHandle, cancel_on_sigint

    if threading.current_thread() is not threading.main_thread():
        pytest.skip("SIGINT is delivered to the main thread only")
    backend, log, ticks, rt, compiled = _driving_goal(rate)
    goal = GoalHandle()

    def interrupt() -> None:
        _when_driving_between_ticks(backend, ticks, rate)
        os.kill(os.getpid(), signal.SIGINT)

    t = threading.Thread(target=interrupt, daemon=True)
    t.start()
    with cancel_on_sigint(goal):
        out = rt.execute(compiled, goal)
    t.join(5)
    assert out.outcome == "cancelled" and out.reason_code is Reason.CANCELLED
    assert goal.cancelled_at is not None
    _assert_stopped_within_the_tick(log, ticks, goal.cancelled_at)
    assert (backend.world.v, backend.world.w) == (0.0, 0.0) and not backend.world.qd.any()


@pytest.mark.parametrize("rate", [10.0, 50.0])
def test_viewer_cancel_stops_the_robot_within_the_tick(rate):
    """The viewer's POST /api/control/cancel: the stop is commanded on the server's thread, and
    the robot is at rest when the HTTP answer comes back."""
    import json
    import urllib.request

    from executive.observe.server import ViewerServer
    from executive.observe.sink import SnapshotSink

    sink = SnapshotSink(target_rate_hz=rate)
    backend, log, ticks, rt, compiled = _driving_goal(rate, sinks=[sink])
    goal = rt.submit(compiled)
    srv = ViewerServer(sink, port=0, target_rate_hz=rate, gate=rt.gate, allow_control=True, token="t",
                       controls={"cancel": goal.cancel})
    srv.start()
    try:
        _when_driving_between_ticks(backend, ticks, rate)
        req = urllib.request.Request(srv.url + "api/control/cancel", data=b"{}", method="POST",
                                     headers={"X-Executive-Token": "t", "Origin": srv.url.rstrip("/")})
        with urllib.request.urlopen(req, timeout=10) as r:
            assert json.loads(r.read()) == {"ok": True, "action": "cancel"}
            at_rest = (backend.world.v, backend.world.w) == (0.0, 0.0) and not backend.world.qd.any()
        assert at_rest, "robot still moving when the viewer's cancel was answered"
        out = goal.wait(10)
    finally:
        srv.stop()
    assert out is not None and out.outcome == "cancelled" and out.reason_code is Reason.CANCELLED
    assert goal.cancelled_at is not None
    _assert_stopped_within_the_tick(log, ticks, goal.cancelled_at)
