"""Schema of a skill template (pydantic). One YAML file per skill lives in ``trees/skills``."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from behaviours.limits import DEFAULT_LIMITS
from behaviours.registry import LEAF_NAMES

EntityKind = Literal["object", "fixture", "room", "person", "any"]
#: The leaf names a skill may use: derived from the one leaf registry, never listed twice.
LeafName = Literal[LEAF_NAMES]  # type: ignore[valid-type]
PreconditionKind = Literal[
    "hand_free",  # free the hand before a pick (stow what is held)
    "near",  # navigate to the parameter's entity unless already there
    "container_open",  # open the closed container the parameter's entity is in
    "target_open",  # open the parameter (a container with a door) before putting into it
    "detect",  # (re)detect the entity before acting on it
    "holding",  # make sure the entity is held (re-acquire it if it slipped)
]
ReplanStrategy = Literal["relocate", "reroute", "reacquire", "none"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ParamSpec(_Strict):
    kinds: list[EntityKind] = Field(default_factory=lambda: ["any"])
    required: bool = True
    type: Literal["entity", "text", "number"] = "entity"


class Precondition(_Strict):
    kind: PreconditionKind
    param: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_short(cls, v: Any) -> Any:
        """Accept ``hand_free`` or ``{near: object}`` as well as the long form."""
        if isinstance(v, str):
            return {"kind": v}
        if isinstance(v, dict) and len(v) == 1 and "kind" not in v:
            ((k, p),) = v.items()
            return {"kind": k, "param": p}
        return v


class ActionSpec(_Strict):
    leaf: LeafName
    args: dict[str, Any] = Field(default_factory=dict)


class RetrySpec(_Strict):
    attempts: int = Field(default=2, ge=1, le=10)
    backoff_s: float = Field(default=1.0, ge=0.0, le=60.0)
    factor: float = Field(default=2.0, ge=1.0, le=10.0)


class RecoverySpec(_Strict):
    retry: RetrySpec = Field(default_factory=RetrySpec)
    alternative: dict[str, Any] | None = None  # argument overrides, or {leaf, args}: a second way
    replan: ReplanStrategy = "none"
    abort_message: str = "I could not complete the step."

    @field_validator("alternative")
    @classmethod
    def _alternative_leaf(cls, v: dict[str, Any] | None) -> dict[str, Any] | None:
        """``{leaf: pick, args: {...}}`` names a different leaf (e.g. the scripted primitive
        behind a VLA leaf); anything else is argument overrides for the same leaf."""
        if v is not None and "leaf" in v:
            extra = set(v) - {"leaf", "args", "scripted_alternative"}
            if extra:
                raise ValueError(f"alternative: unknown key(s) {sorted(extra)}")
            ActionSpec.model_validate({k: v[k] for k in ("leaf", "args") if k in v})
            if not isinstance(v.get("scripted_alternative", {}), dict):
                raise ValueError("alternative.scripted_alternative must be argument overrides")
        return v


class SkillTemplate(_Strict):
    skill: str = Field(pattern=r"^[a-z_]+$")
    summary: str
    parameters: dict[str, ParamSpec] = Field(default_factory=dict)
    preconditions: list[Precondition] = Field(default_factory=list)
    effects: list[str] = Field(default_factory=list)
    action: ActionSpec
    guard: dict[str, Any] = Field(default_factory=dict)
    recovery: RecoverySpec = Field(default_factory=RecoverySpec)

    @field_validator("guard")
    @classmethod
    def _limits_valid(cls, v: dict[str, Any]) -> dict[str, Any]:
        DEFAULT_LIMITS.tightened(**v)  # raises ValueError naming the bad limit
        return v

    @model_validator(mode="after")
    def _params_referenced_exist(self) -> SkillTemplate:
        for p in self.preconditions:
            if p.param is not None and p.param not in self.parameters:
                raise ValueError(f"precondition {p.kind} names unknown parameter {p.param!r}")
        return self
