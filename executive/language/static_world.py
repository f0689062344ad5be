"""A fixed :class:`~executive.world_model.WorldModel` read from a scene YAML (no simulation).

Rooms become kind ``room``, fixtures ``fixture`` (with their surface/container/door/switch
flags and aliases), objects ``object`` (location and relation from their ``on``/``in`` key),
people ``person``. Doors start closed; the robot holds nothing. Used by tests and by the CLI
with ``--no-sim`` style checks; the simulated world supplies the live catalogue otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from executive.world_model import EntityInfo

HOUSEHOLD = Path(__file__).resolve().parent.parent / "sim" / "scenes" / "household.yaml"


class StaticWorld:
    """Entities of a scene plus open/held state that tests may change."""

    def __init__(self, entities: Sequence[EntityInfo], holding: str | None = None) -> None:
        self._entities = tuple(entities)
        self._open: set[str] = set()
        self._holding = holding

    @classmethod
    def from_yaml(cls, path: str | Path = HOUSEHOLD) -> StaticWorld:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return cls(entities_from_scene(data))

    def entities(self) -> Sequence[EntityInfo]:
        return self._entities

    def is_open(self, fixture: str) -> bool:
        return fixture in self._open

    def holding(self) -> str | None:
        return self._holding

    def set_open(self, fixture: str, value: bool = True) -> None:
        (self._open.add if value else self._open.discard)(fixture)

    def set_holding(self, entity: str | None) -> None:
        self._holding = entity


def _aliases(spec: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(a).lower() for a in spec.get("aliases") or ())


def entities_from_scene(data: Mapping[str, Any]) -> list[EntityInfo]:
    out: list[EntityInfo] = []
    for rid in data.get("rooms") or {}:
        out.append(EntityInfo(id=rid, kind="room", type="room", room=rid,
                              aliases=(rid.replace("_", " "),)))
    fixtures = data.get("fixtures") or {}
    for fid, spec in fixtures.items():
        spec = spec or {}
        out.append(EntityInfo(
            id=fid, kind="fixture", type=str(spec.get("type", fid)), room=spec.get("room"),
            aliases=_aliases(spec), surface=bool(spec.get("surface")),
            container=bool(spec.get("container")), door=bool(spec.get("door")),
            switch=bool(spec.get("switch")),
        ))
    for oid, spec in (data.get("objects") or {}).items():
        spec = spec or {}
        on = spec.get("on", spec.get(True))  # YAML 1.1 reads a bare ``on`` key as True
        loc, rel = (on, "on") if on else (spec.get("in"), "in")
        room = (fixtures.get(loc) or {}).get("room") if loc else None
        out.append(EntityInfo(
            id=oid, kind="object", type=str(spec.get("type", oid)), colour=spec.get("colour"),
            size=spec.get("size"), material=spec.get("material"), room=room,
            location=loc, relation=rel if loc else None, aliases=_aliases(spec),
            sharp=bool(spec.get("sharp")), mass=float(spec.get("mass", 0.0)),
        ))
    for pid, spec in (data.get("people") or {}).items():
        spec = spec or {}
        out.append(EntityInfo(id=pid, kind="person", type="person", room=spec.get("room"),
                              aliases=_aliases(spec)))
    return out
