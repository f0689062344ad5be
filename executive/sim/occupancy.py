"""Occupancy grid and A* path planning for the simulated household.

Walls, fixture footprints and the standing operator are rasterised once at the scene's
resolution and inflated by the robot radius, so the planner can treat the robot as a point.
The 8-connected grid graph (networkx) is built once and cached; faults and ``avoid`` only
hide cells through the edge-weight function, so blocking never rebuilds the graph.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np

from executive.sim.scene import Scene

Cell = tuple[int, int]

PERSON_RADIUS = 0.25
#: Extra clearance around the standing operator, so approach poses keep >= 0.6 m from them.
PERSON_MARGIN = 0.1
#: Approach cells for a fixture lie within this distance of its footprint.
APPROACH_RANGE = 0.8


@dataclass(frozen=True)
class Region:
    """A disc that blocks planning (a fault's obstacle, a place to avoid)."""

    x: float
    y: float
    radius: float


def _seg_dist(px: np.ndarray, py: np.ndarray, seg: tuple[float, float, float, float]) -> np.ndarray:
    x0, y0, x1, y1 = seg
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return np.hypot(px - x0, py - y0)
    t = np.clip(((px - x0) * dx + (py - y0) * dy) / length2, 0.0, 1.0)
    return np.hypot(px - (x0 + t * dx), py - (y0 + t * dy))


def rect_dist(
    px: np.ndarray | float, py: np.ndarray | float, rect: tuple[float, float, float, float]
) -> np.ndarray:
    """Distance from points to an axis-aligned rectangle (0 inside)."""
    x0, y0, x1, y1 = rect
    dx = np.maximum(np.maximum(x0 - np.asarray(px), 0.0), np.asarray(px) - x1)
    dy = np.maximum(np.maximum(y0 - np.asarray(py), 0.0), np.asarray(py) - y1)
    return np.hypot(dx, dy)


class OccupancyGrid:
    """Static grid + cached graph + named blocked regions; plans with networkx A*."""

    WALL_THICKNESS = 0.1

    def __init__(self, scene: Scene, inflation: float | None = None) -> None:
        self.scene = scene
        self.res = scene.resolution
        self.inflation = scene.robot.radius if inflation is None else inflation
        self.nx_cells = math.ceil(scene.size[0] / self.res - 1e-9)
        self.ny_cells = math.ceil(scene.size[1] / self.res - 1e-9)
        ii, jj = np.meshgrid(np.arange(self.nx_cells), np.arange(self.ny_cells), indexing="ij")
        self._cx = (ii + 0.5) * self.res
        self._cy = (jj + 0.5) * self.res
        self.raw = self._rasterise(0.0)  # true obstacles, for rendering and collisions
        self.occupied = self._rasterise(self.inflation)
        self.graph = self._build_graph()
        comp = max(nx.connected_components(self.graph), key=len) if self.graph else set()
        self.reachable = np.zeros_like(self.occupied)
        for c in comp:
            self.reachable[c] = True
        self._blocks: dict[str, tuple[Region, frozenset[Cell]]] = {}
        self._approach_cache: dict[tuple[str, frozenset[Cell]], tuple[float, float, float] | None] = {}
        self._version = 0

    # ----------------------------------------------------------------- grid
    def _rasterise(self, inflate: float) -> np.ndarray:
        occ = np.zeros((self.nx_cells, self.ny_cells), dtype=bool)
        for seg in self.scene.walls:
            occ |= _seg_dist(self._cx, self._cy, seg) <= self.WALL_THICKNESS / 2 + inflate
        for f in self.scene.fixtures.values():
            occ |= rect_dist(self._cx, self._cy, f.rect) <= inflate + (1e-9 if inflate else 0.0)
        for p in self.scene.people.values():
            margin = PERSON_MARGIN if inflate else 0.0
            occ |= np.hypot(self._cx - p.pose[0], self._cy - p.pose[1]) <= PERSON_RADIUS + inflate + margin
        if inflate:  # the outer boundary of the map
            occ[:, 0] = occ[:, -1] = True
            occ[0, :] = occ[-1, :] = True
        return occ

    def _build_graph(self) -> nx.Graph:
        g = nx.Graph()
        free = ~self.occupied
        s2 = self.res * math.sqrt(2.0)
        for i, j in zip(*np.nonzero(free)):
            i, j = int(i), int(j)
            g.add_node((i, j))
            for di, dj, w in ((1, 0, self.res), (0, 1, self.res), (1, 1, s2), (1, -1, s2)):
                a, b = i + di, j + dj
                if not (0 <= a < self.nx_cells and 0 <= b < self.ny_cells) or not free[a, b]:
                    continue
                if di and dj and not (free[a, j] and free[i, b]):
                    continue  # no corner cutting
                g.add_edge((i, j), (a, b), weight=w)
        return g

    def cell_of(self, x: float, y: float) -> Cell:
        i = min(max(int(x / self.res), 0), self.nx_cells - 1)
        j = min(max(int(y / self.res), 0), self.ny_cells - 1)
        return (i, j)

    def centre(self, cell: Cell) -> tuple[float, float]:
        return ((cell[0] + 0.5) * self.res, (cell[1] + 0.5) * self.res)

    def is_free(self, x: float, y: float) -> bool:
        c = self.cell_of(x, y)
        return bool(self.reachable[c]) and not any(c in cells for _, cells in self._blocks.values())

    def collides(self, x: float, y: float, radius: float) -> bool:
        """True when a disc at (x, y) overlaps a raw static obstacle (used for base collisions)."""
        r = math.ceil(radius / self.res)
        ci, cj = self.cell_of(x, y)
        i0, i1 = max(ci - r, 0), min(ci + r + 1, self.nx_cells)
        j0, j1 = max(cj - r, 0), min(cj + r + 1, self.ny_cells)
        if not (0 <= x <= self.scene.size[0] and 0 <= y <= self.scene.size[1]):
            return True
        sub = self.raw[i0:i1, j0:j1]
        d = np.hypot(self._cx[i0:i1, j0:j1] - x, self._cy[i0:i1, j0:j1] - y)
        return bool(np.any(sub & (d < radius)))

    def clearance(self, x: float, y: float, horizon: float = 1.0) -> float:
        """Distance (m) from (x, y) to the nearest raw static obstacle cell, up to ``horizon``."""
        r = math.ceil(horizon / self.res)
        ci, cj = self.cell_of(x, y)
        i0, i1 = max(ci - r, 0), min(ci + r + 1, self.nx_cells)
        j0, j1 = max(cj - r, 0), min(cj + r + 1, self.ny_cells)
        sub = self.raw[i0:i1, j0:j1]
        if not sub.any():
            return horizon
        d = np.hypot(self._cx[i0:i1, j0:j1] - x, self._cy[i0:i1, j0:j1] - y)
        return float(min(horizon, d[sub].min()))

    # --------------------------------------------------------------- blocks
    def region_cells(self, region: Region, margin: float | None = None) -> frozenset[Cell]:
        """Cells a disc makes impassable for the robot centre (inflated by radius + margin)."""
        m = self.inflation if margin is None else margin
        d = np.hypot(self._cx - region.x, self._cy - region.y)
        ii, jj = np.nonzero(d <= region.radius + m)
        return frozenset(zip(ii.tolist(), jj.tolist()))

    def block(self, block_id: str, region: Region, margin: float | None = None) -> frozenset[Cell]:
        cells = self.region_cells(region, margin)
        self._blocks[block_id] = (region, cells)
        self._version += 1
        return cells

    def unblock(self, block_id: str) -> None:
        if self._blocks.pop(block_id, None) is not None:
            self._version += 1

    def blocked_cells(self, ignore: Iterable[str] = ()) -> frozenset[Cell]:
        skip = set(ignore)
        out: set[Cell] = set()
        for bid, (_, cells) in self._blocks.items():
            if bid not in skip:
                out |= cells
        return frozenset(out)

    @property
    def blocks(self) -> Mapping[str, tuple[Region, frozenset[Cell]]]:
        return dict(self._blocks)

    # -------------------------------------------------------------- planning
    def nearest_free(self, x: float, y: float, exclude: frozenset[Cell] = frozenset()) -> Cell | None:
        """The reachable cell nearest to a point (used to snap start and goal)."""
        c = self.cell_of(x, y)
        if self.reachable[c] and c not in exclude:
            return c
        d = np.hypot(self._cx - x, self._cy - y)
        d = np.where(self.reachable, d, np.inf)
        for cell in exclude:
            d[cell] = np.inf
        k = int(np.argmin(d))
        if not math.isfinite(float(d.flat[k])):
            return None
        return (k // self.ny_cells, k % self.ny_cells)

    def plan(
        self,
        start: tuple[float, float],
        goal: tuple[float, float],
        *,
        avoid: frozenset[Cell] = frozenset(),
        ignore_blocks: Iterable[str] = (),
    ) -> list[Cell] | None:
        """A* from start to goal (map coordinates); None when no path exists.

        ``avoid`` cells and every active block (except ``ignore_blocks``) are impassable;
        the start cell is always allowed so a robot standing in a region can leave it.
        """
        hidden = self.blocked_cells(ignore_blocks) | avoid
        s = self.nearest_free(*start)
        g = self.nearest_free(*goal)
        if s is None or g is None or g in hidden:
            return None
        hidden = hidden - {s}
        res = self.res

        def weight(u: Cell, v: Cell, d: dict) -> float | None:
            return None if v in hidden else d["weight"]

        def h(a: Cell, b: Cell) -> float:
            return math.hypot(a[0] - b[0], a[1] - b[1]) * res

        try:
            return list(nx.astar_path(self.graph, s, g, heuristic=h, weight=weight))
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None

    def line_free(self, a: Cell, b: Cell, hidden: frozenset[Cell] = frozenset()) -> bool:
        """True when the straight segment between two cell centres crosses only free cells."""
        n = max(abs(b[0] - a[0]), abs(b[1] - a[1])) * 2 + 1
        for k in range(n + 1):
            t = k / n
            c = (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t))
            if self.occupied[c] or c in hidden:
                return False
        return True

    def smooth(self, path: list[Cell], hidden: frozenset[Cell] = frozenset()) -> list[tuple[float, float]]:
        """Shortcut a cell path into few waypoints (line of sight on the inflated grid)."""
        if not path:
            return []
        out = [path[0]]
        i = 0
        while i < len(path) - 1:
            j = len(path) - 1
            while j > i + 1 and not self.line_free(path[i], path[j], hidden):
                j -= 1
            out.append(path[j])
            i = j
        return [self.centre(c) for c in out]

    # -------------------------------------------------------------- approach
    def _pick_cell(self, score: np.ndarray, exclude: frozenset[Cell]) -> Cell | None:
        score = np.where(self.reachable, score, np.inf)
        for cell in exclude:
            score[cell] = np.inf
        k = int(np.argmin(score))
        if not math.isfinite(float(score.flat[k])):
            return None
        return (k // self.ny_cells, k % self.ny_cells)

    def _pose(self, cell: Cell | None, face: tuple[float, float]) -> tuple[float, float, float] | None:
        if cell is None:
            return None
        x, y = self.centre(cell)
        return (x, y, math.atan2(face[1] - y, face[0] - x))

    def approach_fixture(
        self, fid: str, exclude: frozenset[Cell] = frozenset()
    ) -> tuple[float, float, float] | None:
        """A reachable cell in front of a fixture: near its footprint, centred on it."""
        key = (fid, exclude)
        if key in self._approach_cache:
            return self._approach_cache[key]
        f = self.scene.fixtures[fid]
        dr = rect_dist(self._cx, self._cy, f.rect)
        dc = np.hypot(self._cx - f.pose[0], self._cy - f.pose[1])
        x0, y0, x1, y1 = f.rect
        # "in front": the cell projects onto a side of the footprint, not past a corner
        beside = ((self._cx >= x0) & (self._cx <= x1)) | ((self._cy >= y0) & (self._cy <= y1))
        score = np.where(dr <= APPROACH_RANGE, dr + 0.5 * dc + np.where(beside, 0.0, 1.0), np.inf)
        out = self._pose(self._pick_cell(score, exclude), f.pose)
        self._approach_cache[key] = out
        return out

    def approach_point(
        self,
        x: float,
        y: float,
        *,
        near: tuple[float, float, float, float] | None = None,
        standoff: float = 0.0,
        exclude: frozenset[Cell] = frozenset(),
    ) -> tuple[float, float, float] | None:
        """A reachable cell close to a point (an object, a person).

        ``near`` (a fixture footprint) limits the search to its front like
        :meth:`approach_fixture`; ``standoff`` prefers cells that far from the point.
        """
        d = np.hypot(self._cx - x, self._cy - y)
        score = np.abs(d - standoff) if standoff else d.copy()
        if near is not None:
            score = np.where(rect_dist(self._cx, self._cy, near) <= APPROACH_RANGE, score, np.inf)
        return self._pose(self._pick_cell(score, exclude), (x, y))

    def approach_room(
        self, rid: str, exclude: frozenset[Cell] = frozenset()
    ) -> tuple[float, float, float] | None:
        """The centre-most reachable cell of a room."""
        key = (rid, exclude)
        if key in self._approach_cache:
            return self._approach_cache[key]
        room = self.scene.rooms[rid]
        x0, y0, x1, y1 = room.bounds
        cx, cy = room.centre
        inside = (self._cx >= x0) & (self._cx <= x1) & (self._cy >= y0) & (self._cy <= y1)
        score = np.where(inside, np.hypot(self._cx - cx, self._cy - cy), np.inf)
        cell = self._pick_cell(score, exclude)
        out = None if cell is None else (*self.centre(cell), 0.0)
        self._approach_cache[key] = out
        return out
