"""Scene files: the static description of a simulated household, validated on load.

A scene is data (YAML). Validation happens here, once, so the world and planner can trust
every reference (a fixture's room, an object's support) and a typo in a hand-edited scene
fails with the file and the field named instead of a KeyError deep in a tick.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_SCENE = Path(__file__).resolve().parent / "scenes" / "household.yaml"

#: Object types that hold liquid and can be poured from (or into, for cups/mugs/bowls).
POURABLE_TYPES = frozenset({"bottle", "cup", "carton", "mug", "bowl"})
#: Object types that can receive a pour.
RECEPTACLE_TYPES = frozenset({"cup", "mug", "bowl"})


class SceneError(ValueError):
    """A scene file is missing, unreadable or malformed; the message names file and field."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoomSpec(_Model):
    bounds: tuple[float, float, float, float]
    aliases: tuple[str, ...] = ()

    @field_validator("bounds")
    @classmethod
    def _ordered(cls, v: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        if not (v[0] < v[2] and v[1] < v[3]):
            raise ValueError("bounds must be [x_min, y_min, x_max, y_max] with min < max")
        return v

    def contains(self, x: float, y: float) -> bool:
        x0, y0, x1, y1 = self.bounds
        return x0 <= x <= x1 and y0 <= y <= y1

    @property
    def centre(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.bounds
        return ((x0 + x1) / 2, (y0 + y1) / 2)


class FixtureSpec(_Model):
    room: str
    pose: tuple[float, float]
    size: tuple[float, float]
    height: float = Field(ge=0.0)
    type: str | None = None
    surface: bool = False
    container: bool = False
    door: bool = False
    switch: bool = False
    aliases: tuple[str, ...] = ()
    # initial state (optional in the file)
    open: bool = False
    on: bool = False
    dirty: bool = False

    @field_validator("size")
    @classmethod
    def _positive(cls, v: tuple[float, float]) -> tuple[float, float]:
        if v[0] <= 0 or v[1] <= 0:
            raise ValueError("size must be positive [w, d]")
        return v

    @property
    def rect(self) -> tuple[float, float, float, float]:
        """Footprint as (x_min, y_min, x_max, y_max)."""
        (x, y), (w, d) = self.pose, self.size
        return (x - w / 2, y - d / 2, x + w / 2, y + d / 2)


class ObjectSpec(_Model):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    type: str
    colour: str
    size: Literal["small", "medium", "large"] = "small"
    material: str = "unknown"
    mass: float = Field(default=0.1, ge=0.0)
    on: str | None = None
    in_: str | None = Field(default=None, alias="in")
    aliases: tuple[str, ...] = ()
    sharp: bool = False
    level: float | None = Field(default=None, ge=0.0, le=1.0)
    tags: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_support(self) -> ObjectSpec:
        if (self.on is None) == (self.in_ is None):
            raise ValueError("exactly one of 'on' or 'in' must name the supporting fixture")
        return self

    @property
    def support(self) -> str:
        return self.on if self.on is not None else str(self.in_)

    @property
    def relation(self) -> str:
        return "on" if self.on is not None else "in"


class PersonSpec(_Model):
    pose: tuple[float, float]
    room: str
    aliases: tuple[str, ...] = ()


class RobotSpec(_Model):
    pose: tuple[float, float, float] = (0.0, 0.0, 0.0)
    radius: float = Field(default=0.3, gt=0.0)
    arm_joints: int = Field(default=6, ge=3)
    arm_reach: float = Field(default=0.95, gt=0.0)
    max_linear: float = Field(default=1.0, gt=0.0)
    max_angular: float = Field(default=0.5, gt=0.0)
    max_joint_velocity: float = Field(default=2.0, gt=0.0)
    max_torque: float = Field(default=100.0, gt=0.0)


class Scene(_Model):
    """The whole scene; cross-references are checked after the fields."""

    name: str
    size: tuple[float, float]
    resolution: float = Field(default=0.1, gt=0.0, le=1.0)
    rooms: dict[str, RoomSpec]
    walls: list[tuple[float, float, float, float]] = []
    fixtures: dict[str, FixtureSpec] = {}
    objects: dict[str, ObjectSpec] = {}
    people: dict[str, PersonSpec] = {}
    robot: RobotSpec = RobotSpec()

    @model_validator(mode="after")
    def _references(self) -> Scene:
        if not self.rooms:
            raise ValueError("rooms: at least one room is required")
        seen: dict[str, str] = {}
        for kind, table in (
            ("rooms", self.rooms),
            ("fixtures", self.fixtures),
            ("objects", self.objects),
            ("people", self.people),
        ):
            for key in table:
                if key in seen:
                    raise ValueError(f"{kind}.{key}: id already used in {seen[key]}")
                seen[key] = kind
        for fid, f in self.fixtures.items():
            if f.room not in self.rooms:
                raise ValueError(f"fixtures.{fid}.room: unknown room {f.room!r}")
        for pid, p in self.people.items():
            if p.room not in self.rooms:
                raise ValueError(f"people.{pid}.room: unknown room {p.room!r}")
        for oid, o in self.objects.items():
            field = "on" if o.on is not None else "in"
            fx = self.fixtures.get(o.support)
            if fx is None:
                raise ValueError(f"objects.{oid}.{field}: unknown fixture {o.support!r}")
            if field == "on" and not fx.surface:
                raise ValueError(f"objects.{oid}.on: fixture {o.support!r} is not a surface")
            if field == "in" and not fx.container:
                raise ValueError(f"objects.{oid}.in: fixture {o.support!r} is not a container")
        return self

    def room_at(self, x: float, y: float) -> str | None:
        """The room containing a point (first match in file order), None outside every room."""
        for rid, r in self.rooms.items():
            if r.contains(x, y):
                return rid
        return None


class _SceneLoader(yaml.SafeLoader):
    """YAML 1.2 booleans only: ``on:`` (an object's support) must stay the string "on"."""


_SceneLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SceneLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _format_error(path: Path, err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "<root>"
        msg = e["msg"].removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}")
    return f"{path}: invalid scene: " + "; ".join(parts)


def parse_scene(data: Any, source: str | Path = "<scene>") -> Scene:
    """Validate already-loaded scene data (a dict)."""
    path = Path(source)
    if not isinstance(data, dict):
        raise SceneError(f"{path}: invalid scene: <root>: expected a mapping")
    try:
        return Scene.model_validate(data)
    except ValidationError as e:
        raise SceneError(_format_error(path, e)) from e


def load_scene(path: str | Path | None = None) -> Scene:
    """Load and validate a scene YAML; ``None`` loads the packaged household."""
    p = Path(path) if path is not None else DEFAULT_SCENE
    from inference.bounded import FileLimitError, load_file

    try:  # bounded (inference.bounded), with this file's YAML 1.2 booleans
        data = load_file(p, loader=_SceneLoader)
    except OSError as e:
        raise SceneError(f"{p}: cannot read scene: {e.strerror or e}") from e
    except FileLimitError as e:
        raise SceneError(str(e)) from e
    except (yaml.YAMLError, ValueError) as e:
        raise SceneError(f"{p}: invalid YAML: {e}") from e
    return parse_scene(data, p)
