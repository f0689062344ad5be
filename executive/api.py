"""The public Python API: run any py_trees tree, a plan or an instruction with one call.

    import py_trees, executive
    from behaviours.leaves import NavigateTo
    from behaviours.guards import SafetyGuard
    root = py_trees.composites.Sequence("go", memory=True, children=[
        SafetyGuard("guard", NavigateTo("to the table", "kitchen_table"), {"linear_velocity": 0.6})])
    outcome = executive.run_tree(root, seed=0, log="run.mcap")

What the CLI does for a run, without its internals: a simulated world, the VLA engine choice,
the step table (found from the tree by :func:`executive.compiler.adopt`), the snapshot sink,
the MCAP log with the camera, the live viewer. A user's own ``py_trees`` behaviour receives
the run's :class:`~behaviours.context.RunContext` as ``setup(context=...)``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Literal

import py_trees

from behaviours.reasons import Reason
from executive.compiler import CompiledTree, CompileError, adopt, compile_plan
from executive.outcome import Outcome
from executive.plan import Plan, load_plan

World = Any  # "kinematic", "mujoco" or a backend object (SimBackend, MujocoBackend, a ROS backend)
Clock = Literal["lockstep", "realtime"]


def simulated_world(seed: int = 0, faults: str = "", *, rate_hz: float = 10.0,
                    dirty: str = "") -> Any:
    """The kinematic household world as a backend (``executive.sim.backend.SimBackend``):
    for those who need its parts (``.world``, ``.entities()``, ``.world_model()``).
    ``dirty``: comma list of surfaces to soil first (what a wipe removes)."""
    from executive.sim.backend import SimBackend
    from executive.sim.dirt import surfaces_to_soil

    backend = SimBackend.create(seed=seed, faults=faults, dt=1.0 / rate_hz)
    for fid in surfaces_to_soil(dirty, backend.world.scene.fixtures):
        backend.world.soil(fid)
    return backend


def run_tree(root: py_trees.behaviour.Behaviour, *, world: World = "kinematic", seed: int = 0,
             faults: str | None = None, log: str | Path | None = None, view: bool | int | None = None,
             engine: str = "auto", clock: Clock = "lockstep", rate_hz: float = 10.0,
             max_sim_time_s: float = 1800.0, strict: bool = False) -> Outcome:
    """Run any py_trees tree to an :class:`~executive.outcome.Outcome` (never raises for a
    bad tree: a tree the validator refuses ends ``refused`` with the node paths).

    ``world``: ``"kinematic"`` or ``"mujoco"`` (a fresh world of that name from
    ``seed``/``faults``, as ``executive run --world``) or a backend object.
    ``log``: an MCAP file to write (camera, tree snapshots, blackboard, events).
    ``view``: serve the live viewer (``True``: the default port; an int: that port, 0 = any).
    ``engine``: the VLA engine (``auto``, ``onnxruntime``, ``torch``, ``tensorrt``, ``none``).
    ``strict``: hand-written-tree warnings (no recovery chain, a guard looser than its scope)
    refuse the tree.
    """
    return _run(adopt(root, strict=strict), world=world, seed=seed, faults=faults, log=log, view=view,
                engine=engine, clock=clock, rate_hz=rate_hz, max_sim_time_s=max_sim_time_s)[0]


def run_plan(plan_or_path: Plan | str | Path, *, world: World = "kinematic", seed: int = 0,
             faults: str | None = None, log: str | Path | None = None, view: bool | int | None = None,
             engine: str = "auto", clock: Clock = "lockstep", rate_hz: float = 10.0,
             max_sim_time_s: float = 1800.0) -> Outcome:
    """Compile a plan (a :class:`~executive.plan.Plan` or a YAML/JSON plan file) and run it.
    A plan that names things the world lacks ends ``refused`` (``INFEASIBLE``)."""
    plan = plan_or_path if isinstance(plan_or_path, Plan) else load_plan(plan_or_path)
    return _run(plan, world=world, seed=seed, faults=faults, log=log, view=view, engine=engine,
                clock=clock, rate_hz=rate_hz, max_sim_time_s=max_sim_time_s)[0]


def run_instruction(text: str, *, world: World = "kinematic", seed: int = 0, faults: str | None = None,
                    log: str | Path | None = None, view: bool | int | None = None, engine: str = "auto",
                    clock: Clock = "lockstep", rate_hz: float = 10.0, max_sim_time_s: float = 1800.0,
                    answer: str | None = None) -> Outcome:
    """Understand an instruction in words against the world, then run its plan. A refusal or a
    clarification question comes back as the outcome (``refused`` / ``clarify``), as in the CLI;
    ``answer`` answers a clarification question."""
    from executive.language import understand

    backend = _backend(world, seed, faults, rate_hz)
    u = understand(text, backend.world_model(), answer=answer)
    if u.status == "refused":
        return Outcome("refused", Reason.UNSAFE_REQUEST, u.reason or "unsafe request")
    if u.status == "clarify":
        return Outcome("clarify", Reason.AMBIGUOUS, u.question or "please be more specific",
                       extra={"question": u.question, "candidates": list(u.candidates or [])})
    if u.status != "ok":
        return Outcome("refused", Reason.INFEASIBLE, u.reason or "cannot do that")
    return _run(u.plan, world=backend, seed=seed, faults=None, log=log, view=view, engine=engine,
                clock=clock, rate_hz=rate_hz, max_sim_time_s=max_sim_time_s)[0]


def _backend(world: World, seed: int, faults: str | None, rate_hz: float) -> Any:
    """The backend a run drives: a world by name (built where the CLI builds it, so the names,
    defaults and the error a missing MuJoCo install gives agree) or the caller's own object."""
    if isinstance(world, str):
        from executive.physics.worlds import WORLDS, create_backend

        if world not in WORLDS:
            raise ValueError(f"world must be one of {', '.join(WORLDS)} or a backend object, "
                             f"got {world!r}")
        if world == "kinematic":
            return simulated_world(seed, faults or "", rate_hz=rate_hz)
        return create_backend(world, seed=seed, faults=faults or "", dt=1.0 / rate_hz)
    if faults:
        raise ValueError("faults= applies to a world given by name; configure a backend's faults on it")
    return world


def _world_name(backend: Any) -> str:
    """The world a backend simulates, for the engine's reference card (``mujoco`` or ``kinematic``)."""
    return "mujoco" if hasattr(backend, "world_info") else "kinematic"


def _run(what: CompiledTree | Plan, *, world: World, seed: int, faults: str | None,
         log: str | Path | None, view: bool | int | None, engine: str, clock: Clock,
         rate_hz: float, max_sim_time_s: float) -> tuple[Outcome, Any]:
    """(outcome, runtime): the one path every public call takes (the CLI's observed run)."""
    from executive.observe import commands
    from executive.runtime import RunConfig
    from executive.vla_setup import setup_engine

    config = RunConfig(clock=clock, rate_hz=rate_hz, max_sim_time_s=max_sim_time_s)
    backend = _backend(world, seed, faults, rate_hz)
    name = _world_name(backend)
    eng = setup_engine(engine, clock=clock, world=name)
    if isinstance(what, Plan):
        try:
            what = compile_plan(what, backend.entities(), vla=eng.vla)
        except CompileError as e:
            return Outcome("refused", Reason.INFEASIBLE, str(e)), None
    port_given = isinstance(view, int) and not isinstance(view, bool)
    port = view if port_given else commands.DEFAULT_PORT
    args = argparse.Namespace(
        no_log=log is None, log=Path(log) if log is not None else None, view=view is True or port_given,
        host="127.0.0.1", port=port, allow_control=False, token=None, linger=0.0,
        plan="", instruction=what.plan.source_text, seed=seed, faults=faults or "",
        engine_status={"loaded": eng.enabled, "provider": eng.info.get("provider"),
                       "name": eng.info.get("engine"), "backend": eng.info.get("backend"),
                       "model": eng.info.get("model")})
    outcome, runtime = commands.execute(args, backend, config, what)
    if hasattr(backend, "world_info"):  # the physics engine and its version, as the CLI's --json
        outcome.extra["world"] = backend.world_info()
    return outcome, runtime
