"""Plan IR: what the operator asked for, as typed data. Never code, never a tree.

Language produces a :class:`Plan`; the compiler consumes it; nothing else builds trees
from text. ``object`` and ``target`` name entities: either an entity id of the world
(``red_cup``) or a noun phrase (``red cup``) that grounding resolves to an id.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from inference.bounded import LIMITS, FileLimitError, load_file

#: The skills a plan may use (the compiler maps each to a template in ``trees/skills``).
SKILLS: tuple[str, ...] = (
    "navigate",
    "find",
    "pick",
    "place",
    "open",
    "close",
    "give",
    "pour",
    "wipe",
    "toggle_on",
    "toggle_off",
    "push",
    "say",
    "wait",
)


class PlanError(ValueError):
    """A plan file or structure is malformed. The message names the file and field."""


#: Plan parameters each skill takes (besides :data:`COMMON_PARAMS`); anything else is an error,
#: never silently dropped (``speed: 10`` on a navigate would otherwise be ignored).
SKILL_PARAMS: dict[str, frozenset[str]] = {
    "say": frozenset({"text"}),
    "wait": frozenset({"seconds"}),
    "place": frozenset({"relation"}),
}
#: ``if``: a condition on the world; the words the language layer keeps beside the ids
#: (``*_head``, ``*_phrase``, ``recipient``, ``with``, ``quantifier``): text, not numbers.
COMMON_PARAMS = frozenset({"if", "object_head", "object_phrase", "target_head", "target_phrase",
                           "recipient", "with", "quantifier"})
#: The longest wait a plan may ask for, in seconds.
MAX_WAIT_S = 3600.0


def number_in(value: Any, where: str, lo: float, hi: float, *, integer: bool = False) -> float:
    """``value`` as a number in ``[lo, hi]``, or a :class:`PlanError` naming ``where``.

    Negative, NaN, infinite and out-of-range values are refused, never clamped or replaced.
    """
    ok_type = isinstance(value, int) if integer else isinstance(value, int | float)
    if isinstance(value, bool) or not ok_type:
        kind = "an integer" if integer else "a number"
        raise PlanError(f"{where} must be {kind} in [{lo:g}, {hi:g}], got {value!r}")
    v = float(value)
    if not math.isfinite(v) or not lo <= v <= hi:
        raise PlanError(f"{where} must be in [{lo:g}, {hi:g}], got {value!r}")
    return v


@dataclass(frozen=True)
class Step:
    """One skill invocation. ``depends_on`` lists indices of earlier steps it needs."""

    skill: str
    object: str | None = None
    target: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    depends_on: tuple[int, ...] = ()

    def label(self) -> str:
        """Short human name, stable across runs (used in trees, traces and goldens)."""
        parts = [self.skill]
        if self.object:
            parts.append(self.object)
        if self.target:
            parts.append("->" + self.target)
        return " ".join(parts)


@dataclass(frozen=True)
class Constraint:
    """Something the plan must respect, e.g. ``Constraint("avoid", "knife")``."""

    kind: str
    object: str


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    constraints: tuple[Constraint, ...] = ()
    source_text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_text": self.source_text,
            "steps": [_step_dict(s) for s in self.steps],
            "constraints": [asdict(c) for c in self.constraints],
        }

    @staticmethod
    def from_dict(data: Any, source: str = "<plan>") -> Plan:
        """Build and check a plan from parsed YAML/JSON; errors name ``source`` and the field."""
        if not isinstance(data, Mapping):
            raise PlanError(f"{source}: a plan must be a mapping with 'steps'")
        unknown = set(data) - {"steps", "constraints", "source_text", "instruction"}
        if unknown:
            raise PlanError(f"{source}: unknown field(s) {sorted(unknown)}")
        raw_steps = data.get("steps")
        if not isinstance(raw_steps, Sequence) or isinstance(raw_steps, str) or not raw_steps:
            raise PlanError(f"{source}: field 'steps' must be a non-empty list")
        steps = [_step_from(raw, i, source) for i, raw in enumerate(raw_steps)]
        for i, s in enumerate(steps):
            for d in s.depends_on:
                if not 0 <= d < i:
                    raise PlanError(
                        f"{source}: steps[{i}].depends_on: {d} is not an earlier step index"
                    )
        constraints = []
        for i, c in enumerate(data.get("constraints") or []):
            if not isinstance(c, Mapping) or "kind" not in c or "object" not in c:
                raise PlanError(f"{source}: constraints[{i}] needs 'kind' and 'object'")
            constraints.append(Constraint(str(c["kind"]), str(c["object"])))
        text = data.get("source_text", data.get("instruction", ""))
        return Plan(tuple(steps), tuple(constraints), str(text or ""))


def _step_dict(step: Step) -> dict[str, Any]:
    out: dict[str, Any] = {"skill": step.skill}
    if step.object is not None:
        out["object"] = step.object
    if step.target is not None:
        out["target"] = step.target
    if step.params:
        out["params"] = dict(step.params)
    if step.depends_on:
        out["depends_on"] = list(step.depends_on)
    return out


def _step_from(raw: Any, i: int, source: str) -> Step:
    where = f"{source}: steps[{i}]"
    if not isinstance(raw, Mapping):
        raise PlanError(f"{where} must be a mapping with 'skill'")
    unknown = set(raw) - {"skill", "object", "target", "params", "depends_on"}
    if unknown:
        raise PlanError(f"{where}: unknown field(s) {sorted(unknown)}")
    skill = raw.get("skill")
    if not isinstance(skill, str) or not skill:
        raise PlanError(f"{where}.skill is missing")
    if skill not in SKILLS:
        raise PlanError(f"{where}.skill: unknown skill {skill!r}; known: {', '.join(SKILLS)}")
    for key in ("object", "target"):
        v = raw.get(key)
        if v is not None and not isinstance(v, str):
            raise PlanError(f"{where}.{key} must be a string")
    params = raw.get("params") or {}
    if not isinstance(params, Mapping):
        raise PlanError(f"{where}.params must be a mapping")
    known = COMMON_PARAMS | SKILL_PARAMS.get(skill, frozenset())
    unknown = set(params) - known
    if unknown:
        raise PlanError(f"{where}.params: unknown parameter(s) {sorted(map(str, unknown))} for "
                        f"{skill}; known: {', '.join(sorted(known))}")
    if "seconds" in params:
        number_in(params["seconds"], f"{where}.params.seconds", 0.0, MAX_WAIT_S)
    for key in ("text", "relation"):
        if key in params and not isinstance(params[key], str):
            raise PlanError(f"{where}.params.{key} must be a string")
    deps = raw.get("depends_on") or []
    if not isinstance(deps, Sequence) or isinstance(deps, str) or not all(
        isinstance(d, int) for d in deps
    ):
        raise PlanError(f"{where}.depends_on must be a list of step indices")
    return Step(skill, raw.get("object"), raw.get("target"), dict(params), tuple(deps))


def load_plan(path: str | Path) -> Plan:
    """Read a plan from a YAML or JSON file with errors that name the file.

    Through the bounded loader (``inference.bounded``): size, nesting, aliases, nodes and
    strings are limited, and the step count is limited here (``max_steps``).
    """
    p = Path(path)
    try:
        data = load_file(p)
    except OSError as e:
        raise PlanError(f"{p}: cannot read plan file ({e.strerror})") from e
    except FileLimitError as e:
        raise PlanError(str(e)) from e
    except (yaml.YAMLError, ValueError) as e:
        raise PlanError(f"{p}: not valid YAML/JSON: {e}") from e
    if isinstance(data, Mapping) and isinstance(data.get("steps"), list) \
            and len(data["steps"]) > LIMITS.max_steps:
        raise PlanError(f"{p}: steps: {len(data['steps'])} steps "
                        f"(limit max_steps={LIMITS.max_steps})")
    return Plan.from_dict(data, str(p))
