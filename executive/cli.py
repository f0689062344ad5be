"""``executive``: run, compile and check plans and instructions.

Exit codes (docs/DESIGN.md): 0 succeeded, 1 aborted or failed, 2 bad input or usage, 3 refused,
4 needs clarification. With ``--json`` the last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from behaviours.reasons import Reason, reason_table_markdown
from executive.compiler import CompileError, compile_plan
from executive.outcome import EXIT_BAD_INPUT, EXIT_CODES, Outcome
from executive.plan import Plan, PlanError, load_plan
from executive.render import FORMATS, render
from executive.validator import errors, validate


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="executive", description=__doc__.splitlines()[0])
    from executive import __version__

    p.add_argument("--version", action="version", version=f"executive {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True)

    run = sub.add_parser("run", help="run an instruction or a plan in the simulated world")
    run.add_argument("instruction", nargs="?", help="what the robot should do, in words")
    run.add_argument("--plan", type=Path, help="a plan file (YAML/JSON) instead of words")
    run.add_argument("--tree", type=Path, help="a hand-written tree file: YAML, or BehaviorTree.CPP "
                                               "XML (.xml); see executive/tree_spec/")
    run.add_argument("--allow-import", action="append", default=[], metavar="PACKAGE",
                     help="--tree: let the file name behaviour classes from this package (repeatable)")
    run.add_argument("--strict", action="store_true",
                     help="hand-written trees: a missing recovery chain or a guard looser than its "
                          "scope refuses the tree (default: a warning)")
    run.add_argument("--seed", type=int, default=0, help="world and fault seed (default 0)")
    run.add_argument("--clock", choices=("lockstep", "realtime"), default="lockstep",
                     help="lockstep: the world advances one period per tick (same seed, same trace); "
                          "realtime: ticks on the wall clock")
    run.add_argument("--rate", type=float, default=10.0, help="tick rate in Hz (default 10)")
    run.add_argument("--faults", default="", help="e.g. grasp_slip=0.3,blocked_path=0.2")
    run.add_argument("--max-time", type=float, default=1800.0, help="sim-time budget in s")
    run.add_argument("--dirty", default="", metavar="SURFACES",
                     help="simulated world: put dirt on these surfaces first (comma list), e.g. "
                          "kitchen_table,counter: what a wipe removes")
    run.add_argument("--answer", help="answer to a clarification question")
    run.add_argument("--json", action="store_true", help="last stdout line: one JSON object")
    run.add_argument("--trace", type=Path, help="write the per-tick status trace to this file")
    run.add_argument("--engine", default="auto",
                     choices=("auto", "onnxruntime", "torch", "tensorrt", "none"),
                     help="VLA engine (default auto: the shipped reference policy on ONNX Runtime "
                          "CPU; none: scripted primitives only)")
    run.add_argument("--model", type=Path, help="VLA model file (default: the shipped reference)")
    run.add_argument("--world", choices=("kinematic", "mujoco"), default="mujoco",
                     help="mujoco (default: physics, rendered cameras) or kinematic (the fast 2D "
                          "world: campaigns, training)")
    from executive import os_realtime

    os_realtime.add_arguments(run)

    comp = sub.add_parser("compile", help="compile an instruction or plan and print the tree")
    comp.add_argument("instruction", nargs="?", help="what the robot should do, in words")
    comp.add_argument("--plan", type=Path, help="a plan file (YAML/JSON) instead of words")
    comp.add_argument("--tree", type=Path, help="render a hand-written tree file instead")
    comp.add_argument("--allow-import", action="append", default=[], metavar="PACKAGE",
                      help="--tree: let the file name behaviour classes from this package (repeatable)")
    comp.add_argument("--format", default="unicode", choices=(*FORMATS, "plan-json"),
                      help="tree render (default unicode) or the plan as JSON")
    comp.add_argument("--no-ground", action="store_true", help="parse without a world")
    comp.add_argument("--batch", help="file with one instruction per line ('-' for stdin)")
    comp.add_argument("--answer", help="answer to a clarification question")
    comp.add_argument("--seed", type=int, default=0, help="world seed for grounding (default 0)")

    chk = sub.add_parser("check", help="check skill files and plans (schema, grounding, validator)")
    chk.add_argument("files", nargs="+", type=Path,
                     help="skill, plan or tree files (trees: YAML or BehaviorTree.CPP .xml)")

    sub.add_parser("reasons", help="print the reason-code table (Markdown)")
    sub.add_parser("campaign", add_help=False,
                   help="seeded fault campaigns on Ray (`executive campaign --help`; `campaign report DIR`)")
    _observe_parsers(run, sub)
    _ros_serve_parser(sub)
    return p


def _observe_parsers(run: argparse.ArgumentParser, sub: Any) -> None:
    """run --log/--no-log/--view …, and view, replay, log summary, status (executive.observe)."""
    from executive.observe import commands

    commands.add_run_arguments(run)
    commands.add_subcommands(sub)


def _ros_serve_parser(sub: Any) -> None:
    """``executive serve --ros``: the ExecuteInstruction action server (executive.ros.server)."""
    if "serve" in sub.choices:  # another serve mode registered it: only add --ros there
        srv = sub.choices["serve"]
    else:
        srv = sub.add_parser("serve", help="serve goals; --ros: the ROS 2 ExecuteInstruction action")
    srv.add_argument("--ros", action="store_true", help="serve the ROS 2 ExecuteInstruction action")
    from executive.ros.server import add_arguments

    add_arguments(srv)


class BadInput(Exception):
    """Bad input or usage: exit code 2 with a clear message."""


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["campaign"]:  # its own parser: `executive campaign [report] ...`
        from executive.campaigns.cli import main as campaign_main

        return campaign_main(argv[1:])
    args = _parser().parse_args(argv)
    try:
        if args.cmd == "run":
            return _run(args)
        if args.cmd == "compile":
            return _compile(args)
        if args.cmd == "check":
            return _check(args.files)
        if args.cmd in ("view", "replay", "log", "status"):
            return _observe_command(args)
        if args.cmd == "serve" and getattr(args, "ros", False):
            from executive.ros.server import serve

            return serve(args)
        if args.cmd == "reasons":
            print(reason_table_markdown())
            return 0
    except (BadInput, PlanError, ValueError) as e:
        print(f"executive: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_BAD_INPUT  # pragma: no cover


# -- helpers ---------------------------------------------------------------------------
def _world(seed: int, faults: str = "", rate_hz: float = 10.0, world: str = "kinematic"):
    from executive.physics.worlds import create_backend

    return create_backend(world, seed=seed, faults=faults, dt=1.0 / rate_hz)


def _plan_from(args: argparse.Namespace, backend: Any) -> tuple[Plan | None, Outcome | None]:
    """A plan from ``--plan`` or from words; or the refusal/clarification outcome instead."""
    if args.plan is not None and args.instruction:
        raise BadInput("give either an instruction or --plan, not both")
    if args.plan is not None:
        return load_plan(args.plan), None
    if not args.instruction:
        raise BadInput("nothing to do: give an instruction or --plan FILE")
    u = _understand(args.instruction, backend, args.answer)
    if u.status == "ok":
        return u.plan, None
    if u.status == "refused":
        return None, Outcome("refused", Reason.UNSAFE_REQUEST, u.reason or "unsafe request")
    if u.status == "clarify":
        return None, Outcome("clarify", Reason.AMBIGUOUS, u.question or "please be more specific",
                             extra={"question": u.question, "candidates": list(u.candidates or [])})
    return None, Outcome("refused", Reason.INFEASIBLE, u.reason or "cannot do that")


def _text_arg(text: str | None, what: str) -> str | None:
    """``text`` from the command line, refused (exit 2) unless it is UTF-8: a shell hands
    undecodable bytes to Python as lone surrogates, which would otherwise fail deep inside a
    run (the log's metadata) instead of here, with the byte named."""
    if text is None:
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        bad = text[e.start].encode("utf-8", "surrogateescape")
        raise BadInput(f"the {what} is not UTF-8 text (byte 0x{bad.hex()} at character {e.start}); "
                       "give it in UTF-8") from None
    return text


def _understand(text: str, backend: Any, answer: str | None) -> Any:
    text = _text_arg(text, "instruction") or ""
    answer = _text_arg(answer, "--answer")
    try:
        from executive.language import understand
    except ImportError as e:  # the language layer is optional until it lands
        raise BadInput("instructions in words need executive.language; use --plan FILE") from e
    if answer is None and sys.stdin.isatty() and backend is not None:
        u = understand(text, backend.world_model())
        if u.status == "clarify":
            answer = input(f"{u.question} ")
        else:
            return u
    return understand(text, backend.world_model() if backend is not None else None, answer=answer)


def _run(args: argparse.Namespace) -> int:
    from executive.os_realtime import request_from
    from executive.runtime import RunConfig

    try:
        config = RunConfig(clock=args.clock, rate_hz=args.rate, max_sim_time_s=args.max_time,
                           keep_trace_lines=args.trace is not None, rt=request_from(args))
        backend = _world(args.seed, args.faults, args.rate, getattr(args, "world", "kinematic"))
        from executive.sim.dirt import surfaces_to_soil

        for fid in surfaces_to_soil(args.dirty, backend.world.scene.fixtures):
            backend.world.soil(fid)
    except ValueError as e:
        raise BadInput(str(e)) from e
    if args.tree is not None:
        if args.plan is not None or args.instruction:
            raise BadInput("give one of: an instruction, --plan or --tree")
        plan, early = Plan((), source_text=str(args.tree)), None
    else:
        plan, early = _plan_from(args, backend)
    if early is not None:
        return _report(early, args.json)
    assert plan is not None
    from executive.vla_setup import EngineSetupError, setup_engine
    from inference.reference import reference_skills

    try:  # once per process, before any tick: a bad model is bad input (exit 2)
        eng = setup_engine(args.engine, clock=args.clock, model=args.model,
                           world=getattr(args, "world", "kinematic"))
    except EngineSetupError as e:
        raise BadInput(str(e)) from e
    print(eng.line(), file=sys.stderr)
    if eng.enabled and eng.skills is not None and eng.skills != reference_skills("kinematic"):
        # the world's reference card covers some VLA tasks only (MuJoCo: pick, place onto a
        # surface): the compiler keeps the scripted primitive for the rest
        print(f"engine: the VLA runs {', '.join(sorted(eng.skills))}; scripted primitives for "
              "the other VLA tasks", file=sys.stderr)
    args.engine_status = {"loaded": eng.enabled, "provider": eng.info.get("provider"),
                          "name": eng.info.get("engine"), "backend": eng.info.get("backend"),
                          "model": eng.info.get("model")}
    try:
        compiled = (_hand_written(args.tree, plan, strict=args.strict, allow=args.allow_import)
                    if args.tree is not None
                    else compile_plan(plan, backend.entities(), vla=eng.vla))
    except CompileError as e:
        return _report(Outcome("refused", Reason.INFEASIBLE, str(e)), args.json)
    outcome, runtime = _execute_observed(args, backend, config, compiled)
    for w in outcome.extra.get("warnings", []):
        print(f"executive: warning: {w}", file=sys.stderr)
    trace = runtime.last_trace
    if args.trace is not None and trace is not None and trace.lines is not None:
        args.trace.write_text("".join(trace.lines))
    if not args.json:
        for s in outcome.steps:
            print(f"  {s.status:>10}  {s.name}  retries={s.retries}  reason={s.reason}")
    if hasattr(backend, "world_info"):  # the physics engine and its version (issue 14)
        outcome.extra["world"] = backend.world_info()
    return _report(outcome, args.json)


def _hand_written(path: Path, plan: Plan, *, strict: bool = False, allow: Sequence[str] = ()) -> Any:
    """A hand-written tree as a CompiledTree: its recovery chains (or its top-level children)
    are its steps (``executive.compiler.adopt``)."""
    from executive.compiler import adopt
    from executive.tree_spec import load_tree

    return adopt(load_tree(path, allow_import=allow), plan, strict=strict)


def _execute_observed(args: argparse.Namespace, backend: Any, config: Any, compiled: Any) -> Any:
    """Runtime.execute with the snapshot sink, MCAP log (--log/--no-log) and viewer (--view)."""
    from executive.observe import commands

    return commands.execute(args, backend, config, compiled)


def _observe_command(args: argparse.Namespace) -> int:
    from executive.observe import commands

    if args.cmd in ("view", "replay"):
        return commands.view(args)
    if args.cmd == "log":
        return commands.log_summary(args)
    return commands.status(args)


def _report(outcome: Outcome, as_json: bool) -> int:
    if as_json:
        print(outcome.to_json())
    else:
        extra = f" ({outcome.reason_code.name})" if outcome.reason_code is not Reason.NONE else ""
        print(f"{outcome.outcome}{extra}: {outcome.message}  "
              f"[ticks={outcome.ticks} sim_time={outcome.sim_time_s:.1f}s "
              f"violations_blocked={outcome.safety_violations_blocked}]")
    return EXIT_CODES[outcome.outcome]


def _compile(args: argparse.Namespace) -> int:
    if args.batch is not None:
        return _compile_batch(args)
    if args.tree is not None:
        return _compile_tree(args)
    backend = None if args.no_ground else _world(args.seed)
    if args.format == "plan-json":
        if args.plan is not None:
            raise BadInput("--format plan-json reads an instruction, not --plan")
        if not args.instruction:
            raise BadInput("nothing to compile: give an instruction")
        u = _understand(args.instruction, backend, args.answer)
        print(json.dumps(u.to_plan_json()))
        return {"ok": 0, "refused": 3, "clarify": 4, "infeasible": 3}[u.status]
    if backend is None:
        raise BadInput("tree formats need a world; --no-ground works with --format plan-json")
    plan, early = _plan_from(args, backend)
    if early is not None:
        return _report(early, False)
    assert plan is not None
    try:
        compiled = compile_plan(plan, backend.entities(), vla=True)
    except CompileError as e:
        print(f"executive: cannot compile: {e}", file=sys.stderr)
        return EXIT_CODES["refused"]
    sys.stdout.write(render(compiled.root, args.format))
    issues = validate(compiled.root)
    for i in issues:
        print(f"invalid: {i}", file=sys.stderr)
    return EXIT_CODES["refused"] if issues else 0


def _compile_tree(args: argparse.Namespace) -> int:
    """``compile --tree FILE``: render a hand-written tree and report what the validator finds."""
    from executive.tree_spec import load_tree

    if args.plan is not None or args.instruction:
        raise BadInput("give one of: an instruction, --plan or --tree")
    if args.format not in FORMATS:
        raise BadInput(f"--tree renders as {'|'.join(FORMATS)}, not {args.format}")
    root = load_tree(args.tree, allow_import=args.allow_import)
    sys.stdout.write(render(root, args.format))
    issues = validate(root, entities=None if args.no_ground else _world(args.seed).entities(),
                      hand_written=True)
    for i in issues:
        print(f"invalid: {i}" if i.severity == "error" else str(i), file=sys.stderr)
    return EXIT_CODES["refused"] if errors(issues) else 0


def _compile_batch(args: argparse.Namespace) -> int:
    from executive.language import understand

    world = None if args.no_ground else _world(args.seed).world_model()
    stream = sys.stdin if args.batch == "-" else open(args.batch, encoding="utf-8")  # noqa: SIM115
    try:
        for line in stream:
            text = line.rstrip("\n")
            print(json.dumps(understand(text, world).to_plan_json()), flush=True)
    finally:
        if stream is not sys.stdin:
            stream.close()
    return 0


def _check(files: Sequence[Path]) -> int:
    from executive.tree_spec import is_tree_file, load_tree
    from inference.bounded import FileLimitError, load_file
    from trees.library import SkillFileError, load_skill_file

    bad = 0
    backend = None
    for f in files:  # every file is reported, whatever happened to the ones before it
        if f.suffix.lower() == ".xml":  # a BehaviorTree.CPP tree (executive.tree_spec)
            data = {"tree": None}
        else:
            try:
                data = load_file(f)
            except (OSError, yaml.YAMLError, ValueError) as e:
                detail = e.strerror if isinstance(e, OSError) else e
                text = str(detail).removeprefix(f"{f}: ") if isinstance(e, FileLimitError) else detail
                print(f"{f}: error: cannot read: {text}")
                bad += 1
                continue
        try:
            if isinstance(data, dict) and "skill" in data and "action" in data:
                load_skill_file(f)
                print(f"{f}: ok (skill {data['skill']})")
                continue
            if is_tree_file(data):
                backend = backend or _world(0)
                issues = validate(load_tree(f), entities=backend.entities(), hand_written=True)
                for i in issues:
                    print(f"{f}: invalid: {i}" if i.severity == "error" else f"{f}: {i}")
                bad += bool(errors(issues))
                if not errors(issues):
                    print(f"{f}: ok (hand-written tree)")
                continue
            plan = load_plan(f)
            backend = backend or _world(0)
            compiled = compile_plan(plan, backend.entities())
            issues = validate(compiled.root)
            if issues:
                bad += 1
                for i in issues:
                    print(f"{f}: invalid: {i}")
            else:
                n = sum(1 for _ in compiled.root.iterate())
                print(f"{f}: ok (plan, {len(plan.steps)} steps, {n} behaviours)")
        except (SkillFileError, PlanError, ValueError) as e:
            print(f"{f}: error: {e}")
            bad += 1
    return EXIT_BAD_INPUT if bad else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
