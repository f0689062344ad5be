"""``--rt``: ask the OS for real-time treatment of the tick thread, and say what it refused.

Three requests, each independent (one refused, the others still tried), the same set-up
ros2_control's controller manager asks for (``docs/realtime.md``):

* a real-time scheduling class for the *tick thread only* (``SCHED_FIFO``, or ``SCHED_RR``) at
  a fixed priority, with ``SCHED_RESET_ON_FORK`` so no thread or process it starts inherits it;
* ``mlockall(MCL_CURRENT | MCL_FUTURE)``: no page of the process is paged out, so no tick ever
  waits on a page fault to disk;
* CPU affinity of the tick thread (``--rt-cpu N``), to keep it on a core of its own (best with
  ``isolcpus=``);
* optionally (``--rt-helpers P``) a real-time priority ``P``, below the tick thread's, for the
  process's *helper* Python threads (the MCAP log writer, the viewer's server, the VLA
  runner's worker) for the goal. Why: the tick thread wins the CPU with ``SCHED_FIFO`` but not
  the GIL; when a normal-priority helper holding the GIL is preempted by another process, the
  tick thread waits behind that process (a priority inversion). Raised above every ordinary
  process but below the tick thread, a helper that holds the GIL runs until it hands it over.
  Helpers say who they are by calling :func:`helper_thread_init` first thing on their own
  thread (:data:`HELPERS`); one that starts during the goal (the VLA worker starts at the
  pick) is raised at once.

Why scoped to one goal: the scheduling class and affinity are the calling thread's (Linux
schedules threads), set after the tree's ``setup()`` so the runner's worker thread, the viewer
and the log writer (all started before) keep normal priority, and restored when the goal ends,
so the process is left as it was found. The memory lock is process-wide; it is released after
the goal as well.

What the OS refuses is reported, never raised: the goal runs either way. Each distinct refusal
is written to stderr once per process, with the reason (no root / no ``CAP_SYS_NICE`` /
``RLIMIT_RTPRIO``, ``RLIMIT_MEMLOCK``, a container without a real-time budget) and what to
change; the outcome's ``timing.rt`` carries what was requested, granted and refused.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal, TextIO

MCL_CURRENT, MCL_FUTURE = 1, 2
_CAP_IPC_LOCK, _CAP_SYS_NICE = 14, 23
_POLICIES = {"fifo": "SCHED_FIFO", "rr": "SCHED_RR"}
_REPORTED: set[str] = set()


@dataclass(frozen=True)
class RTRequest:
    """What ``--rt`` asks for. ``priority`` 1–99 (ros2_control's default is 50: above
    ordinary threads, below the kernel's own interrupt threads on PREEMPT_RT)."""

    policy: Literal["fifo", "rr"] = "fifo"
    priority: int = 50
    lock_memory: bool = True
    cpu: int | None = None
    #: ``--rt-helpers P``: the helper threads' real-time priority during the goal (same policy
    #: as the tick thread, strictly below its priority); None leaves them at normal priority
    helpers: int | None = None

    def __post_init__(self) -> None:
        if self.policy not in _POLICIES:
            raise ValueError(f"rt policy must be 'fifo' or 'rr', got {self.policy!r}")
        if not 1 <= self.priority <= 99:
            raise ValueError(f"--rt-priority must be within 1..99, got {self.priority}")
        if self.helpers is not None and not 1 <= self.helpers < self.priority:
            raise ValueError(f"--rt-helpers must be within 1..{self.priority - 1} (below the tick "
                             f"thread's --rt-priority {self.priority}), got {self.helpers}")
        if self.cpu is not None:
            allowed = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
            if allowed and self.cpu not in allowed:
                raise ValueError(f"--rt-cpu {self.cpu}: this process may only run on CPUs "
                                 f"{','.join(map(str, allowed))}")

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"policy": _POLICIES[self.policy], "priority": self.priority,
                               "mlockall": self.lock_memory, "cpu": self.cpu}
        if self.helpers is not None:
            out["helpers_priority"] = self.helpers
        return out


class RTGrant:
    """What the OS granted for one goal; :meth:`release` restores the thread and process."""

    def __init__(self, request: RTRequest) -> None:
        self.request = request
        self.scheduler: str | None = None
        self.priority: int | None = None
        self.mlockall = False
        self.mlockall_ms: float | None = None
        self.cpus: list[int] | None = None
        self.refused: list[str] = []
        self._old_sched: tuple[int, int] | None = None
        self._old_affinity: set[int] | None = None
        self._locked = False
        self.helpers: HelperGrant | None = None

    def as_dict(self) -> dict[str, Any]:
        """The outcome's ``timing.rt``."""
        out: dict[str, Any] = {"requested": self.request.as_dict(),
                               "granted": {"scheduler": self.scheduler, "priority": self.priority,
                                           "mlockall": self.mlockall, "cpus": self.cpus},
                               "mlockall_ms": self.mlockall_ms,
                               "refused": list(self.refused)}
        if self.helpers is not None:
            out["granted"]["helpers"] = self.helpers.as_dict()
            out["refused"] += [r for r in self.helpers.refused if r not in out["refused"]]
        return out

    def release(self) -> None:
        """Back to how the thread and the process were before :func:`enter` (same thread)."""
        if self.helpers is not None:
            self.helpers.release()  # first: never a helper above a tick thread back at normal
        if self._old_sched is not None:
            policy, prio = self._old_sched
            with contextlib.suppress(OSError):  # lowering one's own priority is always allowed
                os.sched_setscheduler(0, policy, os.sched_param(prio))
            self._old_sched = None
        if self._old_affinity is not None:
            with contextlib.suppress(OSError):
                os.sched_setaffinity(0, self._old_affinity)
            self._old_affinity = None
        if self._locked:
            _libc().munlockall()
            self._locked = False


def enter(request: RTRequest, stream: TextIO | None = None) -> RTGrant:
    """Ask for everything in ``request`` for the calling thread; report each refusal once."""
    grant = RTGrant(request)
    if not sys.platform.startswith("linux"):
        grant.refused.append(f"--rt: real-time scheduling, mlockall and affinity are Linux-only "
                             f"here (this is {sys.platform})")
        _report(grant.refused, stream)
        return grant
    _schedule(grant)
    if request.lock_memory:
        _lock_memory(grant)
    if request.cpu is not None:
        _pin(grant)
    if request.helpers is not None:
        if grant.scheduler is None:
            grant.refused.append(f"--rt-helpers {request.helpers}: not applied: the tick thread has no "
                                 "real-time priority (refused above), and helpers above it would "
                                 "delay its ticks")
        else:
            grant.helpers = HELPERS.raise_all(request)  # refusals: in as_dict(), said by raise_thread
    _report(grant.refused, stream)
    return grant


# -- helper threads (--rt-helpers) ----------------------------------------------------------------
class HelperGrant:
    """One goal's raised helper threads: which, at what priority, what the OS refused."""

    def __init__(self, request: RTRequest, registry: HelperThreads) -> None:
        assert request.helpers is not None
        self.policy_name = _POLICIES[request.policy]
        self.policy = os.SCHED_FIFO if request.policy == "fifo" else os.SCHED_RR
        self.priority = request.helpers
        self.raised: dict[str, int] = {}  # thread name -> how many threads of that name were raised
        self.refused: list[str] = []
        self._old: dict[int, tuple[threading.Thread, int, int]] = {}  # tid -> (thread, policy, prio)
        self._registry = registry

    def as_dict(self) -> dict[str, Any]:
        """``timing.rt.granted.helpers``."""
        return {"scheduler": self.policy_name if self.raised else None, "priority": self.priority,
                "threads": dict(sorted(self.raised.items()))}

    def raise_thread(self, tid: int, thread: threading.Thread) -> None:
        """Give thread ``tid`` this grant's policy and priority (the registry's lock is held)."""
        prev = self._old.get(tid)
        if (prev is not None and prev[0] is thread) or not thread.is_alive():
            return  # raised already (a thread id reused by a new helper is raised anew)
        try:
            old = (os.sched_getscheduler(tid) & ~getattr(os, "SCHED_RESET_ON_FORK", 0),
                   os.sched_getparam(tid).sched_priority)
            os.sched_setscheduler(tid, self.policy | getattr(os, "SCHED_RESET_ON_FORK", 0),
                                  os.sched_param(self.priority))
        except ProcessLookupError:  # it ended meanwhile
            return
        except OSError as e:
            msg = (f"{self.policy_name} priority {self.priority} for the helper threads (--rt-helpers): "
                   f"{_errname(e)}: {_sched_why(e, self.priority)}")
            if msg not in self.refused:
                self.refused.append(msg)
                _report([msg], None)  # a helper that starts mid-goal is refused on its own thread
            return
        self._old[tid] = (thread, *old)
        self.raised[thread.name] = self.raised.get(thread.name, 0) + 1

    def release(self) -> None:
        """Every raised helper still alive back to the policy it had; later helpers start normal."""
        self._registry._end(self)
        for tid, (thread, policy, prio) in self._old.items():
            if thread.is_alive():  # a dead thread's id may belong to another thread by now
                with contextlib.suppress(OSError):
                    os.sched_setscheduler(tid, policy, os.sched_param(prio))
        self._old.clear()


class HelperThreads:
    """The process's helper Python threads (they register themselves), and the goal's
    :class:`HelperGrant` while one is active: a thread that registers then is raised at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._threads: dict[int, threading.Thread] = {}
        self._active: HelperGrant | None = None

    def register_current(self) -> None:
        """Called by a helper thread on itself, before its work (``worker_init``)."""
        tid, thread = threading.get_native_id(), threading.current_thread()
        with self._lock:
            self._threads = {t: th for t, th in self._threads.items() if th.is_alive()}
            self._threads[tid] = thread
            if self._active is not None:
                self._active.raise_thread(tid, thread)

    def threads(self) -> dict[int, threading.Thread]:
        """The registered helpers still alive, by native thread id."""
        with self._lock:
            return {t: th for t, th in self._threads.items() if th.is_alive()}

    def raise_all(self, request: RTRequest) -> HelperGrant:
        grant = HelperGrant(request, self)
        with self._lock:
            for tid, thread in self._threads.items():
                grant.raise_thread(tid, thread)
            self._active = grant
        return grant

    def _end(self, grant: HelperGrant) -> None:
        with self._lock:
            if self._active is grant:
                self._active = None


#: the process's helper threads (--rt-helpers)
HELPERS = HelperThreads()


def helper_thread_init() -> None:
    """Call first thing on a helper thread (the log writer, the viewer, the VLA runner's worker):
    with ``--rt-helpers`` it runs at the goal's helper priority while a goal runs."""
    HELPERS.register_current()


def _schedule(grant: RTGrant) -> None:
    req = grant.request
    name = _POLICIES[req.policy]
    policy = os.SCHED_FIFO if req.policy == "fifo" else os.SCHED_RR
    old = (os.sched_getscheduler(0) & ~getattr(os, "SCHED_RESET_ON_FORK", 0),
           os.sched_getparam(0).sched_priority)
    try:
        os.sched_setscheduler(0, policy | getattr(os, "SCHED_RESET_ON_FORK", 0),
                              os.sched_param(req.priority))
    except OSError as e:
        grant.refused.append(f"{name} priority {req.priority}: {_errname(e)}: {_sched_why(e, req.priority)}")
        return
    grant._old_sched = old
    grant.scheduler, grant.priority = name, os.sched_getparam(0).sched_priority


def _lock_memory(grant: RTGrant) -> None:
    libc = _libc()
    t0 = time.perf_counter()
    if libc.mlockall(MCL_CURRENT | MCL_FUTURE) == 0:
        grant.mlockall = grant._locked = True
        grant.mlockall_ms = round((time.perf_counter() - t0) * 1000.0, 1)
        return
    err = ctypes.get_errno()
    grant.refused.append(f"mlockall(MCL_CURRENT|MCL_FUTURE): {errno.errorcode.get(err, err)}: "
                         f"{_memlock_why(err)}")


def _pin(grant: RTGrant) -> None:
    cpu = grant.request.cpu
    assert cpu is not None
    old = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {cpu})
    except OSError as e:
        grant.refused.append(f"CPU affinity {{{cpu}}}: {_errname(e)}: this thread may run on "
                             f"{sorted(old)} only (a cpuset or container limit)")
        return
    grant._old_affinity = old
    grant.cpus = sorted(os.sched_getaffinity(0))


# -- why the OS said no ----------------------------------------------------------------------------
def _errname(e: OSError) -> str:
    return errno.errorcode.get(e.errno or 0, str(e.errno))


def _has_cap(bit: int) -> bool:
    """The capability in this process's effective set (``/proc/self/status`` CapEff)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("CapEff:"):
                    return bool(int(line.split()[1], 16) >> bit & 1)
    except (OSError, ValueError):
        pass
    return os.geteuid() == 0


def _sched_why(e: OSError, priority: int) -> str:
    import resource

    if e.errno != errno.EPERM:
        return str(e.strerror)
    soft, _hard = resource.getrlimit(resource.RLIMIT_RTPRIO)
    if not _has_cap(_CAP_SYS_NICE):
        who = "not root, no CAP_SYS_NICE" if os.geteuid() != 0 else "root but without CAP_SYS_NICE"
        limit = "unlimited" if soft == resource.RLIM_INFINITY else str(soft)
        return (f"{who}, and RLIMIT_RTPRIO is {limit} (ulimit -r), below {priority}; "
                "give the user 'rtprio 99' in /etc/security/limits.conf (the @realtime group, "
                "docs/realtime.md) or run with CAP_SYS_NICE")
    return ("refused although this process has CAP_SYS_NICE: the kernel's real-time group "
            "scheduling gives this cgroup no real-time budget (cpu.rt_runtime_us = 0; in a "
            "container: docker run --cpu-rt-runtime=950000 --ulimit rtprio=99)")


def _memlock_why(err: int) -> str:
    import resource

    soft, _hard = resource.getrlimit(resource.RLIMIT_MEMLOCK)
    limit = "unlimited" if soft == resource.RLIM_INFINITY else f"{soft // 1024} KiB"
    if err in (errno.ENOMEM, errno.EPERM) and not _has_cap(_CAP_IPC_LOCK):
        return (f"RLIMIT_MEMLOCK is {limit} (ulimit -l), less than this process maps, and no "
                "CAP_IPC_LOCK; give the user 'memlock unlimited' in /etc/security/limits.conf "
                "(docs/realtime.md)")
    return f"{os.strerror(err)} (RLIMIT_MEMLOCK {limit})"


def _report(refused: list[str], stream: TextIO | None) -> None:
    out = stream if stream is not None else sys.stderr
    for msg in refused:
        if msg not in _REPORTED:
            _REPORTED.add(msg)
            print(f"executive: --rt: the OS refused {msg}; continuing without it", file=out, flush=True)


_LIBC: Any = None


def _libc() -> Any:
    global _LIBC
    if _LIBC is None:
        _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    return _LIBC


# -- command line ------------------------------------------------------------------------------------
def add_arguments(p: Any) -> None:
    """``--rt``, ``--rt-cpu``, ``--rt-priority``, ``--rt-policy`` (``executive run``, ``serve``)."""
    p.add_argument("--rt", action="store_true",
                   help="real time: ask the OS for SCHED_FIFO priority and CPU affinity for the tick "
                        "thread and mlockall for the process; what it refuses is reported once and "
                        "the run goes on (docs/realtime.md)")
    p.add_argument("--rt-cpu", type=int, default=None, metavar="N",
                   help="--rt: pin the tick thread to CPU N")
    p.add_argument("--rt-priority", type=int, default=50, metavar="P",
                   help="--rt: real-time priority 1..99 (default 50, as ros2_control)")
    p.add_argument("--rt-policy", choices=tuple(_POLICIES), default="fifo",
                   help="--rt: SCHED_FIFO (default) or SCHED_RR")
    p.add_argument("--rt-no-mlock", action="store_true", help="--rt: do not mlockall")
    p.add_argument("--rt-helpers", type=int, default=None, metavar="P",
                   help="--rt: during a goal, run the helper threads (MCAP log writer, viewer, VLA "
                        "runner worker) at real-time priority P, below --rt-priority, so one holding "
                        "the GIL is not preempted by other processes while the tick thread waits "
                        "(docs/realtime.md)")


def request_from(args: Any) -> RTRequest | None:
    """The :class:`RTRequest` of parsed arguments (None without ``--rt``); ``ValueError`` names
    the flag that is wrong."""
    if not getattr(args, "rt", False):
        for flag, given in (("--rt-cpu", args.rt_cpu is not None), ("--rt-priority", args.rt_priority != 50),
                            ("--rt-policy", args.rt_policy != "fifo"), ("--rt-no-mlock", args.rt_no_mlock),
                            ("--rt-helpers", getattr(args, "rt_helpers", None) is not None)):
            if given:
                raise ValueError(f"{flag} needs --rt")
        return None
    return RTRequest(policy=args.rt_policy, priority=args.rt_priority, lock_memory=not args.rt_no_mlock,
                     cpu=args.rt_cpu, helpers=getattr(args, "rt_helpers", None))
