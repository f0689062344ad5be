"""A cheap top-down camera at the gripper: 96x96 RGB, deterministic, numpy only.

The reference VLA policy is trained on these frames, so what matters is that objects are
told apart by colour and position relative to the gripper marker, not realism. The static
background (floor, walls, fixtures) is rasterised once per world at the pixel size; each
frame is a slice of it plus a few object discs, well under a millisecond.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from executive.sim.dirt import DIRT_COLOUR, SPOT_RADIUS

if TYPE_CHECKING:
    from executive.sim.world import SimWorld

COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (220, 30, 30),
    "blue": (30, 60, 220),
    "green": (30, 180, 60),
    "yellow": (235, 215, 40),
    "white": (250, 250, 250),
    "black": (15, 15, 15),
    "silver": (175, 180, 195),
    "orange": (245, 140, 20),
    "purple": (140, 50, 170),
    "brown": (110, 70, 30),
    "pink": (245, 150, 190),
    "grey": (128, 128, 128),
    "gray": (128, 128, 128),
}
FLOOR_COLOUR = (196, 186, 164)  # RGB of the floor in the top-down camera image
WALL = (70, 70, 70)
SURFACE = (150, 112, 78)
CONTAINER = (112, 118, 128)
OPEN_CONTAINER = (80, 86, 96)
PERSON = (225, 180, 150)
GRIPPER = (255, 0, 255)
UNKNOWN = (128, 128, 128)
OBJECT_RADIUS = {"small": 0.035, "medium": 0.05, "large": 0.08}


class CameraRenderer:
    """Renders ``size`` x ``size`` frames of a ``window`` metres square around the gripper."""

    def __init__(self, world: SimWorld, size: int = 96, window: float = 0.6) -> None:
        self.world = world
        self.size = size
        self.window = window
        self.px = window / size
        self.margin = window
        self._bg: np.ndarray | None = None

    def _background(self) -> np.ndarray:
        if self._bg is not None:
            return self._bg
        scene = self.world.scene
        w_m, h_m = scene.size
        cols = math.ceil((w_m + 2 * self.margin) / self.px)
        rows = math.ceil((h_m + 2 * self.margin) / self.px)
        bg = np.empty((rows, cols, 3), dtype=np.uint8)
        bg[:] = WALL
        self._fill(bg, (0.0, 0.0, w_m, h_m), FLOOR_COLOUR)
        for seg in scene.walls:
            x0, y0, x1, y1 = seg
            half = 0.05
            self._fill(
                bg, (min(x0, x1) - half, min(y0, y1) - half, max(x0, x1) + half, max(y0, y1) + half), WALL
            )
        for f in scene.fixtures.values():
            self._fill(bg, f.rect, CONTAINER if f.container and not f.surface else SURFACE)
        self._bg = bg
        return bg

    def _to_px(self, x: float, y: float) -> tuple[float, float]:
        """(row, col) in background pixels; rows grow southwards so north is up."""
        h_m = self.world.scene.size[1]
        return ((h_m + self.margin - y) / self.px, (x + self.margin) / self.px)

    def _fill(
        self, img: np.ndarray, rect: tuple[float, float, float, float], colour: tuple[int, int, int]
    ) -> None:
        x0, y0, x1, y1 = rect
        r0, c0 = self._to_px(x0, y1)
        r1, c1 = self._to_px(x1, y0)
        img[max(round(r0), 0) : max(round(r1), 0), max(round(c0), 0) : max(round(c1), 0)] = colour

    def image(self) -> np.ndarray:
        """The frame now: (size, size, 3) uint8, centred on the end effector's x, y."""
        w = self.world
        bg = self._background()
        ex, ey, _ = w.fk()
        half = self.window / 2
        # keep the window on the rasterised canvas
        ex = min(max(ex, -self.margin + half), w.scene.size[0] + self.margin - half)
        ey = min(max(ey, -self.margin + half), w.scene.size[1] + self.margin - half)
        r0f, c0f = self._to_px(ex - half, ey + half)
        r0, c0 = round(r0f), round(c0f)
        n = self.size
        img = bg[r0 : r0 + n, c0 : c0 + n].copy()
        if img.shape[:2] != (n, n):  # at the very edge of the canvas
            pad = np.empty((n, n, 3), dtype=np.uint8)
            pad[:] = WALL
            pad[: img.shape[0], : img.shape[1]] = img
            img = pad
        # open doors show darker (the inside is visible)
        for fid, st in w.fixtures.items():
            spec = w.scene.fixtures[fid]
            if spec.door and st.open:
                self._disc_or_rect(img, r0, c0, rect=spec.rect, colour=OPEN_CONTAINER)
        for st in w.fixtures.values():  # dirt left on surfaces (sim.dirt)
            if st.dirty and st.dirt is not None:
                for x, y in st.dirt.remaining():
                    self._disc_or_rect(img, r0, c0, centre=(float(x), float(y)), radius=SPOT_RADIUS,
                                       colour=DIRT_COLOUR)
        for p in w.people.values():
            self._disc_or_rect(img, r0, c0, centre=(p.x, p.y), radius=p.radius, colour=PERSON)
        drawn = sorted(
            (o for o in w.objects.values() if w.is_visible_truth(o.id) and o.location != "gripper"),
            key=lambda o: (o.z, o.id),
        )
        if w.held is not None:
            drawn.append(w.objects[w.held])
        for o in drawn:
            self._disc_or_rect(
                img,
                r0,
                c0,
                centre=(o.x, o.y),
                radius=OBJECT_RADIUS.get(o.size, 0.04),
                colour=COLOURS.get(o.colour, UNKNOWN),
            )
        self._marker(img, closed=w.gripper_closed)
        return img

    def _disc_or_rect(
        self,
        img: np.ndarray,
        r0: int,
        c0: int,
        *,
        centre: tuple[float, float] | None = None,
        radius: float = 0.0,
        rect: tuple[float, float, float, float] | None = None,
        colour: tuple[int, int, int],
    ) -> None:
        n = self.size
        if rect is not None:
            x0, y0, x1, y1 = rect
            ra, ca = self._to_px(x0, y1)
            rb, cb = self._to_px(x1, y0)
            a0, a1 = round(ra) - r0, round(rb) - r0
            b0, b1 = round(ca) - c0, round(cb) - c0
            if a1 <= 0 or b1 <= 0 or a0 >= n or b0 >= n:
                return
            img[max(a0, 0) : min(a1, n), max(b0, 0) : min(b1, n)] = colour
            return
        assert centre is not None
        rc, cc = self._to_px(*centre)
        rc, cc = rc - r0, cc - c0
        rp = radius / self.px
        if rc + rp < 0 or cc + rp < 0 or rc - rp >= n or cc - rp >= n:
            return
        a0, a1 = max(int(rc - rp), 0), min(int(rc + rp) + 2, n)
        b0, b1 = max(int(cc - rp), 0), min(int(cc + rp) + 2, n)
        rr, cc_ = np.ogrid[a0:a1, b0:b1]
        mask = (rr + 0.5 - rc) ** 2 + (cc_ + 0.5 - cc) ** 2 <= rp * rp
        img[a0:a1, b0:b1][mask] = colour

    def _marker(self, img: np.ndarray, *, closed: bool) -> None:
        """A thin magenta bracket: two jaws apart when open, together when closed."""
        m = self.size // 2
        gap = 2 if closed else 6
        for side in (-1, 1):
            c = m + side * gap
            img[m - 5 : m + 5, c] = GRIPPER
        img[m - 5, m - gap : m + gap + 1] = GRIPPER
