"""Fault injection for the simulated world: seeded, per-fault random streams.

Syntax of a fault spec (CLI ``--faults`` and :meth:`FaultConfig.parse`)::

    name=probability[:max_count], name=probability[:max_count], ...

``probability`` is in [0, 1]; ``max_count`` (optional, integer >= 0) caps how many times the
fault is injected in one world (``grasp_fail=1.0:2`` = "the first two grasps fail, later ones
do not"). Whitespace is ignored; an empty string means no faults. Unknown names, bad
numbers and probabilities outside [0, 1] raise ``ValueError`` naming the bad item.

Each fault draws from its own ``numpy.random.Generator`` seeded from
``SeedSequence([world_seed, crc32(name)])``, so enabling one fault never shifts another
fault's draws, and the same seed always gives the same faults (no Python ``hash()``).

Faults and their semantics (drawn once per relevant action start unless stated):

``grasp_fail``
    ``pick`` fails ``GRASP_FAILED`` after reaching; the next attempt draws again.
``grasp_slip``
    drawn at navigation start while holding something: the held object drops to the
    floor near the robot after 0.5-2 s of driving. The gripper sensor notices
    (``holding()`` is None, the belief of the object's place becomes unknown), so
    place/give then fail ``NOT_HOLDING``; the object must be re-detected and re-picked.
``blocked_path``
    drawn at navigation start: an obstacle appears on the planned path (at a doorway
    if the path crosses one, else mid-path). 50 %: temporary, clears after 5-15 s
    (navigation fails ``NAV_BLOCKED`` when it reaches it, or at plan time; a retry
    after waiting succeeds). 50 %: permanent (the planner routes around it where the
    house allows, else ``NAV_NO_PATH``).
``missed_detection``
    ``detect`` fails ``DETECTION_MISSED``; a retry draws again.
``object_moved``
    just before ``detect`` of an object lying on a surface (or in an open container),
    the object moves to another surface in the same or another room. The belief is
    not updated, so a detect at the old place fails ``NOT_FOUND``; a detect with
    ``search`` places that include the new place finds it.
``door_stuck``
    ``open`` fails ``DOOR_STUCK``. 70 %: the door frees after 0-1 further failing
    attempts (the 2nd or 3rd attempt opens it); 30 %: stuck for good.
``port_timeout``
    drawn at the start of any long action: it hangs RUNNING without progress for
    40 s of sim time, then fails ``PORT_TIMEOUT``.
``person_in_path``
    drawn at navigation start: after ~1 s of driving a person steps into the path
    ~1 m ahead, comes within the safety distance, stays 3-8 s, then walks away.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

FAULT_NAMES: tuple[str, ...] = (
    "grasp_fail",
    "grasp_slip",
    "blocked_path",
    "missed_detection",
    "object_moved",
    "door_stuck",
    "port_timeout",
    "person_in_path",
)


@dataclass(frozen=True)
class FaultSpec:
    """One fault: probability per draw and an optional cap on injections."""

    name: str
    probability: float
    max_count: int | None = None


@dataclass(frozen=True)
class FaultConfig:
    """Which faults are enabled; immutable, parsed from the documented syntax."""

    specs: tuple[FaultSpec, ...] = ()

    @classmethod
    def parse(cls, text: str | None) -> FaultConfig:
        """Parse ``"grasp_slip=0.3,blocked_path=0.2:1"``; raise ValueError naming bad items."""
        specs: dict[str, FaultSpec] = {}
        for raw in (text or "").split(","):
            item = raw.strip()
            if not item:
                continue
            name, sep, value = (s.strip() for s in item.partition("="))
            if not sep:
                raise ValueError(f"fault {item!r}: expected name=probability[:max_count]")
            if name not in FAULT_NAMES:
                raise ValueError(f"fault {item!r}: unknown fault {name!r}; known: {', '.join(FAULT_NAMES)}")
            prob_s, colon, count_s = (s.strip() for s in value.partition(":"))
            try:
                prob = float(prob_s)
            except ValueError:
                raise ValueError(f"fault {item!r}: probability {prob_s!r} is not a number") from None
            if not 0.0 <= prob <= 1.0:  # also rejects NaN
                raise ValueError(f"fault {item!r}: probability {prob} is outside [0, 1]")
            count: int | None = None
            if colon:
                try:
                    count = int(count_s)
                except ValueError:
                    raise ValueError(f"fault {item!r}: max_count {count_s!r} is not an integer") from None
                if count < 0:
                    raise ValueError(f"fault {item!r}: max_count must be >= 0")
            if name in specs:
                raise ValueError(f"fault {item!r}: {name} given twice")
            specs[name] = FaultSpec(name, prob, count)
        return cls(tuple(specs.values()))

    @classmethod
    def of(cls, **probabilities: float) -> FaultConfig:
        """Build from keyword probabilities (validated like :meth:`parse`)."""
        return cls.parse(",".join(f"{k}={v}" for k, v in probabilities.items()))

    def spec(self, name: str) -> FaultSpec | None:
        for s in self.specs:
            if s.name == name:
                return s
        return None

    def __str__(self) -> str:
        return ",".join(
            f"{s.name}={s.probability:g}" + (f":{s.max_count}" if s.max_count is not None else "")
            for s in self.specs
        )


def fault_stream(seed: int, name: str) -> np.random.Generator:
    """The seeded generator for one fault (stable across runs and Python versions)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, zlib.crc32(name.encode())])))


@dataclass
class FaultInjector:
    """Draws faults for one world. Disabled faults never touch their stream."""

    config: FaultConfig
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    _streams: dict[str, np.random.Generator] = field(default_factory=dict, repr=False)

    def rng(self, name: str) -> np.random.Generator:
        """The fault's stream, also used for its secondary draws (durations, places)."""
        if name not in FAULT_NAMES:
            raise KeyError(name)
        if name not in self._streams:
            self._streams[name] = fault_stream(self.seed, name)
        return self._streams[name]

    def draw(self, name: str) -> bool:
        """One Bernoulli draw for ``name``; counts injections and honours ``max_count``."""
        spec = self.config.spec(name)
        if spec is None or spec.probability <= 0.0:
            return False
        if spec.max_count is not None and self.counts.get(name, 0) >= spec.max_count:
            return False
        hit = bool(self.rng(name).random() < spec.probability)
        if hit:
            self.counts[name] = self.counts.get(name, 0) + 1
        return hit
