"""Dirt on a surface that a camera sees and a wiping hand removes: what a VLA wipe learns from.

A dirty surface carries a :class:`DirtPatch`: round spots of grime in a cluster. The end
effector *wipes* when it is in contact with the surface (its height within
:data:`CONTACT_BAND` of the top): every spot whose centre lies within :data:`WIPER_RADIUS` of the
hand, horizontally, is gone. The surface is clean when no spot is left. The camera draws the
spots that are left (:data:`DIRT_COLOUR`), so a policy can see what remains and where.

Seeded and deterministic like the rest of the world: :func:`spots_for` draws the same spots
for the same (world seed, fixture) every time.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Radius (m) of one spot as drawn; the wiper takes a spot when within WIPER_RADIUS of its centre.
SPOT_RADIUS = 0.02
WIPER_RADIUS = 0.05
#: The hand is in contact with a surface of top height h when h - 0.05 <= z <= h + 0.025: a grasp
#: (0.03 above the top) or a release (0.05 above) does not wipe; a hand pressed onto it does.
CONTACT_BAND = (-0.05, 0.025)
#: Spots per patch and their spread (m, standard deviation and hard cut-off around the centre).
SPOTS = (5, 10)
SPREAD, SPREAD_MAX = 0.06, 0.15
#: A default patch lies within this distance (m) of an edge: where a robot beside it can reach;
#: and every spot at least CLEARANCE (m) from the objects standing there.
REACH_BAND, CLEARANCE = 0.35, 0.15
DIRT_COLOUR = (96, 104, 52)  # olive grime: unlike the surface and every object colour


@dataclass
class DirtPatch:
    """Spots of dirt on one surface: ``spots`` (N, 2) centres; ``alive`` which are still there."""

    spots: np.ndarray
    alive: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))

    def __post_init__(self) -> None:
        self.spots = np.asarray(self.spots, np.float64).reshape(-1, 2)
        if len(self.alive) != len(self.spots):
            self.alive = np.ones(len(self.spots), bool)

    @property
    def left(self) -> int:
        return int(self.alive.sum())

    @property
    def clean(self) -> bool:
        return not self.alive.any()

    def remaining(self) -> np.ndarray:
        """Centres (M, 2) of the spots still there."""
        return self.spots[self.alive]

    def centre(self) -> tuple[float, float] | None:
        """Mean of the spots still there (what a stain detector reports), None when clean."""
        r = self.remaining()
        return None if len(r) == 0 else (float(r[:, 0].mean()), float(r[:, 1].mean()))

    def extent(self) -> float:
        """Largest distance (m) from the centre to a remaining spot's edge."""
        c = self.centre()
        if c is None:
            return 0.0
        return float(np.hypot(*(self.remaining() - c).T).max()) + SPOT_RADIUS

    def clear(self) -> None:
        """Every spot gone (a wipe that covers the whole surface)."""
        self.alive[:] = False

    def wipe(self, x: float, y: float, radius: float = WIPER_RADIUS) -> int:
        """Remove the spots within ``radius`` of (x, y); returns how many went."""
        if not self.alive.any():
            return 0
        hit = self.alive & (np.hypot(self.spots[:, 0] - x, self.spots[:, 1] - y) <= radius)
        self.alive &= ~hit
        return int(hit.sum())


def surfaces_to_soil(spec: str, fixtures: Mapping[str, Any]) -> list[str]:
    """The surfaces of a ``--dirty`` comma list (``fixtures``: the scene's); ValueError naming
    every entry that is not a surface, so a bad list is refused before anything starts."""
    names = [f.strip() for f in spec.split(",") if f.strip()]
    if bad := [f for f in names if f not in fixtures or not fixtures[f].surface]:
        raise ValueError(f"not a surface that can be soiled: {', '.join(bad)}")
    return names


def in_contact(z: float, top: float) -> bool:
    return CONTACT_BAND[0] <= z - top <= CONTACT_BAND[1]


def spots_for(
    seed: int,
    fixture: str,
    rect: tuple[float, float, float, float],
    *,
    avoid: Sequence[tuple[float, float]] = (),
    centre: tuple[float, float] | None = None,
    n: int | None = None,
) -> np.ndarray:
    """Spot centres for a fixture: a cluster of ``n`` (default 5-10) round a centre inside
    ``rect`` (default: random, 0.15 m to :data:`REACH_BAND` in from an edge, every spot
    :data:`CLEARANCE` from the points in ``avoid``, e.g. the objects standing there; drawn again
    until so, 100 tries); seeded by (seed, fixture name)."""
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, zlib.crc32(fixture.encode())])
    x0, y0, x1, y1 = rect
    m = min(0.15, (x1 - x0) / 2 - 1e-3, (y1 - y0) / 2 - 1e-3)
    k = int(rng.integers(SPOTS[0], SPOTS[1] + 1)) if n is None else int(n)
    given = centre is not None
    tries = 1 if given else 100
    pts = np.zeros((k, 2))
    for i in range(tries):
        if not given:
            cx, cy = rng.uniform(x0 + m, x1 - m), rng.uniform(y0 + m, y1 - m)
            if min(cx - x0, x1 - cx, cy - y0, y1 - cy) > REACH_BAND and i < tries - 1:
                continue  # (the last try is taken whatever it is: never a patch at the origin)
            centre = (float(cx), float(cy))
        off = np.clip(rng.normal(0.0, SPREAD, (k, 2)), -SPREAD_MAX, SPREAD_MAX)
        pts = np.asarray(centre, np.float64) + off
        pts[:, 0] = np.clip(pts[:, 0], x0 + SPOT_RADIUS, x1 - SPOT_RADIUS)
        pts[:, 1] = np.clip(pts[:, 1], y0 + SPOT_RADIUS, y1 - SPOT_RADIUS)
        if all(np.hypot(*(pts - (ax, ay)).T).min() >= CLEARANCE for ax, ay in avoid):
            break
    return pts
