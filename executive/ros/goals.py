"""From an ``ExecuteInstruction`` goal to a compiled tree, or to the outcome that ends it at once.

The same path as the CLI (``executive run``): words go through ``executive.language.understand``
against the backend's world model; a refusal, a clarification question or an infeasible
request ends the goal with the CLI's outcome and reason code; the plan is compiled against the
backend's entities. Pure Python (no rclpy).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from behaviours.reasons import Reason
from executive.compiler import CompiledTree, CompileError, compile_plan
from executive.outcome import Outcome
from executive.plan import PlanError, load_plan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def resolve_plan(name: str) -> Path:
    """A plan file path, or the name of an example (``bring_red_cup_to_sink``)."""
    p = Path(name)
    if p.is_file():
        return p
    for cand in (EXAMPLES / name, EXAMPLES / f"{name}.yaml"):
        if cand.is_file():
            return cand
    raise PlanError(f"plan {name!r}: no such file or example")


def compile_goal(instruction: str, plan: str, world_model: Any, entities: Any, *, vla: bool = True) -> tuple[
        CompiledTree | None, Outcome | None]:
    """``(compiled, None)`` to run, or ``(None, outcome)`` that ends the goal now."""
    instruction, plan = instruction.strip(), plan.strip()
    if plan and instruction:
        return None, Outcome("refused", Reason.PLAN_INVALID, "give either an instruction or a plan, not both")
    try:
        if plan:
            p = load_plan(resolve_plan(plan))
        else:
            from executive.language import understand

            u = understand(instruction, world_model)
            if u.status == "refused":
                return None, Outcome("refused", Reason.UNSAFE_REQUEST, u.reason or "unsafe request")
            if u.status == "clarify":
                return None, Outcome("clarify", Reason.AMBIGUOUS, u.question or "please be more specific",
                                     extra={"question": u.question,
                                            "candidates": list(u.candidates or [])})
            if u.status != "ok":
                return None, Outcome("refused", Reason.INFEASIBLE, u.reason or "cannot do that")
            p = u.plan
        return compile_plan(p, entities, vla=vla), None
    except CompileError as e:
        return None, Outcome("refused", Reason.INFEASIBLE, str(e))
    except PlanError as e:
        return None, Outcome("refused", Reason.PLAN_INVALID, str(e))
