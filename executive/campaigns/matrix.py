"""A campaign as a declared matrix: (plans + instructions) × fault mixes × seeds.

Why a matrix and stable ids: a campaign of 10⁵ episodes is killed, resumed and spread over
machines; each episode must be named by what it is (its task, its fault mix, its seed), not
by when it ran, so that ``--resume`` runs exactly what is missing and every row can be
reproduced with ``executive run … --seed S``.

Matrix file (YAML or JSON)::

    plans: [examples/bring_red_cup_to_sink.yaml, examples/clean_table.yaml]
    instructions: ["bring the red cup from the table to the sink"]
    faults:                       # a list of mixes, or a mapping name -> mix
      slips: grasp_slip=0.3,missed_detection=0.2
      doors: door_stuck=0.3,object_moved=0.2,person_in_path=0.2
    seeds: 50                     # or a list [0, 1, 7]
    engine: none                  # VLA engine for every episode (as `executive run --engine`)
    world: kinematic              # or mujoco: the physics world (as `executive run --world`)
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from executive.physics.worlds import WORLDS
from executive.sim.faults import FaultConfig
from inference.bounded import FileLimitError, load_file

#: Bounds on what one matrix may ask for: a typo must not schedule a billion episodes.
MAX_EPISODES = 10_000_000
MAX_SEEDS = 1_000_000


class MatrixError(ValueError):
    """A campaign matrix is malformed; the message names the file (or flag) and field."""


@dataclass(frozen=True)
class EpisodeSpec:
    """One episode: a task (a plan file or an instruction), a fault mix and a seed."""

    kind: str  # "plan" | "instruction"
    task: str  # the plan path (as given) or the instruction text
    mix: str  # the fault mix's name
    faults: str  # the fault mix itself, as `--faults` takes it
    seed: int
    engine: str = "none"
    world: str = "kinematic"

    @property
    def id(self) -> str:
        """Stable across runs and machines: the hash of what the episode is (the kinematic
        world's ids predate ``world`` and stay what they were, so old campaigns resume)."""
        what: list[Any] = [self.kind, self.task, self.faults, self.seed, self.engine]
        if self.world != WORLDS[0]:
            what.append(self.world)
        return hashlib.sha1(json.dumps(what).encode()).hexdigest()[:16]

    def command(self) -> str:
        """The `executive run` line that reproduces this episode."""
        parts = ["executive", "run"]
        parts += ["--plan", self.task] if self.kind == "plan" else [self.task]
        parts += ["--seed", str(self.seed)]
        if self.faults:
            parts += ["--faults", self.faults]
        parts += ["--world", self.world]  # always: a campaign's default world is not executive run's
        parts += ["--engine", self.engine, "--json"]
        return shlex.join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "id": self.id, "command": self.command()}


@dataclass(frozen=True)
class Matrix:
    plans: tuple[str, ...] = ()
    instructions: tuple[str, ...] = ()
    mixes: tuple[tuple[str, str], ...] = (("none", ""),)
    seeds: tuple[int, ...] = (0,)
    engine: str = "none"
    source: str = "<flags>"
    extra: dict[str, Any] = field(default_factory=dict)
    world: str = "kinematic"

    def episodes(self) -> list[EpisodeSpec]:
        """Every episode, tasks varying fastest so a partial campaign covers every task."""
        tasks = [("plan", p) for p in self.plans] + [("instruction", t) for t in self.instructions]
        out = []
        for seed in self.seeds:
            for name, mix in self.mixes:
                for kind, task in tasks:
                    out.append(EpisodeSpec(kind, task, name, mix, seed, self.engine, self.world))
        return out

    def describe(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "plans": list(self.plans),
            "instructions": list(self.instructions),
            "mixes": dict(self.mixes),
            "seeds": len(self.seeds),
            "engine": self.engine,
            "world": self.world,
            "episodes": len(self.plans + self.instructions) * len(self.mixes) * len(self.seeds),
        }


def _check_mix(mix: Any, where: str) -> str:
    if not isinstance(mix, str):
        raise MatrixError(f"{where}: a fault mix is a string like 'grasp_slip=0.3,door_stuck=0.2'")
    try:
        FaultConfig.parse(mix)
    except ValueError as e:
        raise MatrixError(f"{where}: {e}") from None
    return mix


def _seeds(value: Any, where: str) -> tuple[int, ...]:
    if isinstance(value, bool) or value is None:
        raise MatrixError(f"{where}: seeds is a count or a list of integers")
    if isinstance(value, int):
        if not 1 <= value <= MAX_SEEDS:
            raise MatrixError(f"{where}: seeds must be 1..{MAX_SEEDS}, got {value}")
        return tuple(range(value))
    if (
        isinstance(value, list)
        and value
        and all(isinstance(s, int) and not isinstance(s, bool) for s in value)
    ):
        if len(value) > MAX_SEEDS or len(set(value)) != len(value) or min(value) < 0:
            raise MatrixError(f"{where}: seeds must be distinct non-negative integers (at most {MAX_SEEDS})")
        return tuple(value)
    raise MatrixError(f"{where}: seeds is a count or a non-empty list of integers")


def build_matrix(
    *,
    plans: Sequence[str] = (),
    instructions: Sequence[str] = (),
    mixes: Sequence[str] | dict[str, str] = (),
    seeds: Any = 1,
    engine: str = "none",
    source: str = "<flags>",
    world: str = "kinematic",
) -> Matrix:
    """Check and build a matrix (from flags or a file's fields)."""
    if isinstance(mixes, dict):
        named = [(str(k), _check_mix(v, f"{source}: faults.{k}")) for k, v in mixes.items()]
    else:
        named = [(m or "none", _check_mix(m, f"{source}: faults[{i}]")) for i, m in enumerate(mixes)]
    named = named or [("none", "")]
    if len({n for n, _ in named}) != len(named):
        raise MatrixError(f"{source}: faults: two mixes share a name")
    for i, p in enumerate(plans):
        if not isinstance(p, str) or not Path(p).is_file():
            raise MatrixError(f"{source}: plans[{i}]: no such plan file: {p!r}")
    for i, t in enumerate(instructions):
        if not isinstance(t, str) or not t.strip() or len(t) > 2000:
            raise MatrixError(f"{source}: instructions[{i}]: a non-empty string of at most 2000 characters")
    if not plans and not instructions:
        raise MatrixError(f"{source}: nothing to run: give plans and/or instructions")
    if engine not in ("none", "auto", "onnxruntime", "torch", "tensorrt", "replay"):
        raise MatrixError(f"{source}: engine: unknown engine {engine!r}")
    if world not in WORLDS:
        raise MatrixError(f"{source}: world: unknown world {world!r} (one of {', '.join(WORLDS)})")
    m = Matrix(tuple(plans), tuple(instructions), tuple(named), _seeds(seeds, source), engine, source,
               world=world)
    n = m.describe()["episodes"]
    if n > MAX_EPISODES:
        raise MatrixError(f"{source}: {n} episodes is more than the limit of {MAX_EPISODES}")
    return m


def load_matrix(path: str | Path) -> Matrix:
    """A matrix file (YAML/JSON). Unknown fields are errors: a misspelt key must not be ignored."""
    path = Path(path)
    try:  # the one bounded loader: size, nesting, aliases, nodes, strings, non-finite numbers
        data = load_file(path)
    except FileLimitError as e:
        raise MatrixError(str(e)) from None
    except OSError as e:
        raise MatrixError(f"{path}: cannot read: {e.strerror}") from None
    except (yaml.YAMLError, ValueError) as e:
        raise MatrixError(f"{path}: not a valid campaign file: {e}") from None
    if not isinstance(data, dict):
        raise MatrixError(
            f"{path}: a campaign file is a mapping (plans, instructions, faults, seeds, engine, world)"
        )
    unknown = sorted(set(data) - {"plans", "instructions", "faults", "seeds", "engine", "world"})
    if unknown:
        raise MatrixError(f"{path}: unknown field(s) {unknown}")
    for key in ("plans", "instructions"):
        if not isinstance(data.get(key, []), list):
            raise MatrixError(f"{path}: {key}: a list")
    plans = [
        # a relative plan path is relative to the campaign file (unless it names a file from here)
        (os.path.normpath(path.parent / p) if not Path(p).is_absolute() and not Path(p).is_file() else p)
        if isinstance(p, str)
        else p
        for p in data.get("plans", [])
    ]
    faults = data.get("faults", [])
    if not isinstance(faults, (list, dict)):
        raise MatrixError(f"{path}: faults: a list of mixes or a mapping name -> mix")
    return build_matrix(
        plans=plans,
        instructions=data.get("instructions", []),
        mixes=faults,
        seeds=data.get("seeds", 1),
        engine=str(data.get("engine", "none")),
        source=str(path),
        world=str(data.get("world", "kinematic")),
    )
