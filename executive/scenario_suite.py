"""The scenario suite on either world: does a run succeed *and* change the world as asked?

Issue 14 item 7 makes MuJoCo the default world of ``executive run`` only when this suite
succeeds on MuJoCo at least as often as on the kinematic world. The suite is:

- the seed's three scenarios, in words (README command 1 is the third);
- every example plan (``examples/*.yaml``), hand-written tree (``examples/trees/``) and Python
  example (``examples/python/``) that is meant to succeed;
- the language end-to-end runs: the instructions ``tests/executive/language/
  test_everyday_instructions.py`` runs, the clarification answers of the language tests and the
  VLA wipe in words.

Each run goes through the CLI's own code (``executive.cli.main``, lockstep, seeded; the Python
examples through ``executive.run_tree``, which the CLI's observed run shares), in this process,
one after another. A run counts as a success when it exits 0 *and* the world's final state is
what the words ask for (the cup in the sink, the table clean, ...), read from the backend the
CLI built, on either world::

    python tools/scenario_suite.py --world both --seeds 1-3 --out suite.json

(``tools/scenario_suite.py`` is the entry point; the suite lives here so tests import it.)

One JSON line per run on stdout, then one summary object (per scenario per world, overall
success per world, and whether MuJoCo is at least as good as kinematic).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("MUJOCO_GL", "egl")  # before MuJoCo is first imported (headless cameras)

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples"
WORLD_NAMES = ("kinematic", "mujoco")


# -- the final state, the same questions on either world ------------------------------------
class Final:
    """What a finished run left behind, asked the same way of the kinematic and MuJoCo worlds
    (their world classes differ; the questions a scenario's goal asks do not)."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.w = backend.world
        self.physics = getattr(backend, "name", "") == "mujoco"

    def where(self, oid: str) -> str | None:
        """The fixture/person/room the object ended at ("gripper" when held)."""
        w = self.w
        if not self.physics:
            return w.objects[oid].location
        place = w.place_of(oid)
        believed = w.belief.get(oid)
        if believed in w.people and place not in w.scene.fixtures and w.held != oid:
            return believed  # handed over: the body goes with the person (parked at their feet)
        return place

    def holding(self) -> str | None:
        return self.backend.world_model().holding()

    def is_open(self, fid: str) -> bool:
        return bool(self.w.is_open(fid))

    def is_on(self, fid: str) -> bool:
        return bool(self.w.is_on(fid))

    def dirty(self, fid: str) -> bool:
        return bool(self.w.fixtures[fid].dirty)

    def robot_xy(self) -> tuple[float, float]:
        return float(self.w.x), float(self.w.y)

    def near(self, oid: str, dist: float = 1.5) -> bool:
        x, y = self.robot_xy()
        if self.physics:
            ox, oy, _ = self.w.obj_pos(oid)
        else:
            ox, oy = self.w.objects[oid].x, self.w.objects[oid].y
        return math.hypot(ox - x, oy - y) < dist

    def in_room(self, room: str) -> bool:
        return self.w.scene.rooms[room].contains(*self.robot_xy())


Check = Callable[[Final], bool]


@dataclass(frozen=True)
class Scenario:
    """One suite entry: CLI arguments after ``run`` (or a Python example's path) and its goal."""

    id: str
    group: str
    check: Check
    argv: tuple[str, ...] = ()
    python: str | None = None  # examples/python/FILE.py: its build() or TREE, run with run_tree
    why: str = field(default="", compare=False)


def _words(text: str, check: Check, *extra: str, group: str = "language") -> Scenario:
    return Scenario(text, group, check, (text, *extra))


def scenarios() -> list[Scenario]:
    """The suite, in a fixed order (the goals are those the kinematic tests assert)."""
    at = lambda oid, place: lambda f: f.where(oid) == place  # noqa: E731
    out = [
        # the seed's three scenarios, in words
        _words("Go to the red cube", lambda f: f.near("red_cube"), group="scenario"),
        _words("Pick up the blue bottle", lambda f: f.holding() == "blue_bottle", group="scenario"),
        _words("Bring the red cup from the table to the sink",
               lambda f: f.where("red_cup") == "sink" and f.holding() is None, group="scenario"),
    ]
    plans = {
        "apple_out_of_fridge": lambda f: f.where("apple") == "counter" and f.is_open("fridge"),
        "bring_me_the_book": at("book", "person"),
        "bring_red_cup_to_sink": lambda f: f.where("red_cup") == "sink" and f.holding() is None,
        "clean_table": lambda f: not f.dirty("kitchen_table"),
        "go_to_red_cube": lambda f: f.near("red_cube"),
        "pick_blue_bottle": lambda f: f.holding() == "blue_bottle",
    }
    for name, check in plans.items():
        extra = ("--dirty", "kitchen_table") if name == "clean_table" else ()
        out.append(Scenario(f"plan:{name}", "plan", check, ("--plan", str(EX / f"{name}.yaml"), *extra)))
    for name, check in (("fetch_cup.xml", lambda f: f.where("red_cup") == "sink"),
                        ("patrol.xml", lambda f: f.in_room("bedroom")),
                        ("patrol.yaml", lambda f: f.in_room("bedroom"))):
        out.append(Scenario(f"tree:{name}", "tree", check, ("--tree", str(EX / "trees" / name))))
    out.append(Scenario("python:own_tree.py", "python", at("red_cup", "counter"), python="own_tree.py"))
    out.append(Scenario("python:xml_tree.py", "python", at("red_cup", "sink"), python="xml_tree.py"))
    # the language end-to-end runs (tests/executive/language/test_everyday_instructions.py)
    out += [
        _words("could you please bring me the book", at("book", "person")),
        _words("take the apple out of the fridge and put it on the counter", at("apple", "counter")),
        _words("put the banana in the bin", at("banana", "bin")),
        _words("throw away the banana", at("banana", "bin")),
        _words("clean the table", lambda f: not f.dirty("kitchen_table"), "--dirty", "kitchen_table"),
        _words("open the fridge", lambda f: f.is_open("fridge")),
        _words("open the cabinet and then close it", lambda f: not f.is_open("cabinet")),
        _words("turn on the tv", lambda f: f.is_on("tv")),
        _words("switch on the lamp please", lambda f: f.is_on("lamp")),
        _words("hand me the remote", at("remote", "person")),
        _words("put the sponge on the kitchen table", at("sponge", "kitchen_table")),
        _words("move the plate to the counter", at("plate", "counter")),
        _words("fetch the phone from the nightstand", at("phone", "person")),
        _words("go to the bedroom", lambda f: f.in_room("bedroom")),
        _words("put the yellow ball on the sofa", at("yellow_ball", "sofa")),
        _words("grab the towel from the bed and put it in the wardrobe", at("towel", "wardrobe")),
        _words("get me the green cup from the shelf", at("green_cup", "person")),
        _words("if the fridge is closed, open it", lambda f: f.is_open("fridge")),
        # clarification answered (test_everyday_instructions, test_cli_language)
        Scenario("bring me the cup / the blue one", "language", at("blue_cup", "person"),
                 ("bring me the cup", "--answer", "the blue one")),
        Scenario("bring me the cup / the red one", "language", at("red_cup", "person"),
                 ("bring me the cup", "--answer", "the red one")),
        # the VLA wipe in words (tests/behaviours/test_vla_wipe.py)
        _words("wipe the kitchen table", lambda f: not f.dirty("kitchen_table"), "--dirty", "kitchen_table"),
    ]
    return out


# -- one run ---------------------------------------------------------------------------------
def _load_example(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"_example_{name[:-3]}", EX / "python" / name)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _python_example(sc: Scenario, world: str, seed: int) -> tuple[int, dict[str, Any], Any]:
    """A Python example's own tree through ``executive.run_tree`` on a backend of ``world``."""
    import executive
    from executive.physics.worlds import create_backend

    mod = _load_example(sc.python or "")
    if hasattr(mod, "build"):
        root = mod.build()
    else:
        from py_trees.parsers.behaviour_tree_xml import parse_behaviour_tree_xml

        root = parse_behaviour_tree_xml(str(mod.TREE))
    backend = create_backend(world, seed=seed)
    out = executive.run_tree(root, world=backend, seed=seed, engine="none")
    return out.exit_code, json.loads(out.to_json()), backend


def _cli(sc: Scenario, world: str, seed: int) -> tuple[int, dict[str, Any], Any]:
    """``executive run ARGS --world W --seed S --json --no-log``, keeping the backend it built."""
    from executive import cli

    built: list[Any] = []
    make = cli._world

    def keep(*a: Any, **k: Any) -> Any:  # the CLI's own backend, kept to read its final state
        built.append(make(*a, **k))
        return built[-1]

    argv = ["run", *sc.argv, "--world", world, "--seed", str(seed), "--json", "--no-log"]
    stdout, stderr = io.StringIO(), io.StringIO()
    cli._world = keep
    stdin, sys.stdin = sys.stdin, io.StringIO()  # never prompt: a clarification is an outcome
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = cli.main(argv)
    finally:
        cli._world, sys.stdin = make, stdin
    lines = stdout.getvalue().strip().splitlines()
    if not lines:
        raise RuntimeError(f"exit {code}, no JSON: {stderr.getvalue().strip()[-300:]}")
    return code, json.loads(lines[-1]), (built[0] if built else None)


def run_one(sc: Scenario, world: str, seed: int) -> dict[str, Any]:
    """One scenario on one world and seed: the outcome, the goal check, and the cost."""
    t0 = time.perf_counter()
    rec: dict[str, Any] = {"scenario": sc.id, "group": sc.group, "world": world, "seed": seed}
    try:
        code, out, backend = (_python_example if sc.python else _cli)(sc, world, seed)
    except Exception as e:  # a crashed run is a failed run, named, not a lost suite
        rec.update(outcome="error", reason_code=type(e).__name__, message=str(e)[:300],
                   goal=False, success=False, wall_s=round(time.perf_counter() - t0, 2))
        return rec
    goal: bool | str
    try:
        goal = bool(backend is not None and sc.check(Final(backend)))
    except Exception as e:  # the goal could not be read: say so, count it failed
        goal = f"unreadable: {type(e).__name__}: {e}"
    rec.update(exit=code, outcome=out.get("outcome"), reason_code=out.get("reason_code"),
               message=str(out.get("message", ""))[:200], goal=goal,
               success=code == 0 and out.get("outcome") == "succeeded" and goal is True,
               ticks=out.get("ticks"), sim_time_s=out.get("sim_time_s"),
               trace_sha256=out.get("trace_sha256"), wall_s=round(time.perf_counter() - t0, 2))
    return rec


# -- the suite -------------------------------------------------------------------------------
def seeds_from(text: str) -> list[int]:
    """``1-3`` or ``1,4,7`` (or a mix) → the seeds, in order; ValueError naming the bad part."""
    out: list[int] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        lo, _, hi = part.partition("-")
        try:
            a, b = int(lo), int(hi or lo)
        except ValueError:
            raise ValueError(f"--seeds: {part!r} is not N or N-M") from None
        if b < a:
            raise ValueError(f"--seeds: {part!r} runs backwards")
        out += range(a, b + 1)
    if not out:
        raise ValueError("--seeds: no seeds given")
    return out


def _ok(cell: str | None) -> int:
    return int((cell or "0/0").split("/")[0])


def summarise(records: Sequence[dict[str, Any]], worlds: Sequence[str]) -> dict[str, Any]:
    """Per scenario per world ``succeeded/runs``, overall success per world, and the verdict."""
    table: dict[str, dict[str, str]] = {}
    overall: dict[str, dict[str, Any]] = {}
    for w in worlds:
        rs = [r for r in records if r["world"] == w]
        ok = sum(r["success"] for r in rs)
        overall[w] = {"succeeded": ok, "runs": len(rs), "rate": round(ok / len(rs), 4) if rs else None,
                      "wall_s": round(sum(r["wall_s"] for r in rs), 1)}
        for r in rs:
            cell = table.setdefault(r["scenario"], {}).setdefault(w, "0/0")
            s, n = map(int, cell.split("/"))
            table[r["scenario"]][w] = f"{s + int(r['success'])}/{n + 1}"
    summary: dict[str, Any] = {"summary": True, "overall": overall, "per_scenario": table}
    if set(worlds) == set(WORLD_NAMES) and all(overall[w]["runs"] for w in worlds):
        summary["mujoco_at_least_kinematic"] = overall["mujoco"]["rate"] >= overall["kinematic"]["rate"]
        summary["mujoco_only_failures"] = sorted(
            sc for sc, cells in table.items()
            if _ok(cells.get("mujoco")) < _ok(cells.get("kinematic")))
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="scenario_suite", description=__doc__.splitlines()[0])
    ap.add_argument("--world", choices=(*WORLD_NAMES, "both"), default="both")
    ap.add_argument("--seeds", default="1", help="e.g. 1-3 or 1,4 (default 1)")
    ap.add_argument("--only", action="append", default=[], metavar="TEXT",
                    help="run only scenarios whose id contains TEXT (repeatable)")
    ap.add_argument("--group", action="append", default=[],
                    choices=("scenario", "plan", "tree", "python", "language"),
                    help="run only this group (repeatable)")
    ap.add_argument("--out", type=Path, help="also write every record and the summary here (JSON)")
    args = ap.parse_args(argv)
    try:
        seeds = seeds_from(args.seeds)
    except ValueError as e:
        ap.error(str(e))
    worlds = WORLD_NAMES if args.world == "both" else (args.world,)
    chosen = [s for s in scenarios()
              if (not args.only or any(t.lower() in s.id.lower() for t in args.only))
              and (not args.group or s.group in args.group)]
    if not chosen:
        ap.error("no scenario matches --only/--group")
    records: list[dict[str, Any]] = []
    for w in worlds:
        for sc in chosen:
            for seed in seeds:
                rec = run_one(sc, w, seed)
                records.append(rec)
                print(json.dumps(rec), flush=True)
    summary = summarise(records, worlds)
    print(json.dumps(summary), flush=True)
    if args.out is not None:
        args.out.write_text(json.dumps({"records": records, **summary}, indent=1) + "\n")
    return 0
