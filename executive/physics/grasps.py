"""Where and how the hand takes hold of an object, chosen from the object's geometry in the
physics state (its shape, its size, how it lies now), never from its name. A mixin of
:class:`executive.physics.manipulation.Manipulation` (which supplies ``world``).

Two grasps, both held only by the fingers' contact and friction:

* **across the body** (``"body"``): the jaws straddle the object and close across its narrow
  horizontal side (a box's short side, a cylinder's diameter, a knocked-over bottle's axis),
  fingertips just over the support;
* **a lip pinch** (``"rim"``): an object wider than the open jaws (``JAW_SPAN``) cannot be
  straddled; if its body has a raised lip (thin wall geoms round its edge, as a plate has) the
  fingers come down either side of the lip segment nearest the robot, the inner one inside the
  dish just over its base, and close radially across the lip's thickness. The object then
  hangs from the hand off-centre; the place keeps that offset (``offset_yaw``).

An object wider than the jaws with no lip has no grasp here (``None``): the pick reports it
``NOT_REACHABLE`` with that reason rather than pressing the fingers onto its top.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from executive.physics.model import DEFAULT_SHAPE, SHAPES
from executive.physics.robot_model import EE_OFFSET, FINGER_LEN, FINGER_OPEN, PALM

#: The grasp point sits this far above the fingertips.
TIP = PALM + FINGER_LEN - EE_OFFSET
#: The open jaws' inner span; an object must leave ~5 mm each side to be straddled.
JAW_SPAN = 2 * FINGER_OPEN
STRADDLE_MARGIN = 0.005
#: A geom of the object's body this thin (half-size, m) across one horizontal axis is a lip.
LIP_MAX_HALF = 0.01
#: Inner fingertip above a dish's base when pinching its lip.
LIP_CLEAR = 0.003


@dataclass(frozen=True)
class Grasp:
    """Grasp point (x, y, z: the ee site, fingertips ``TIP`` below) and the jaws' map angle."""

    kind: str
    point: tuple[float, float, float]
    yaw: float | None


class Grasps:
    world: Any

    def width_of(self, oid: str) -> float:
        """The object's narrow horizontal extent as it lies (what the jaws must span)."""
        shape, size = SHAPES.get(self.world.scene.objects[oid].type, DEFAULT_SHAPE)
        r = self.world.data.xmat[self.world.obj_body[oid]].reshape(3, 3)
        if shape == "sphere":
            return 2 * size[0]
        if shape == "cylinder":
            return 2 * size[0] if abs(r[2, 2]) >= 0.5 else 2 * min(size[0], size[1])
        # a box: the two body axes lying most horizontal
        axes = sorted(range(3), key=lambda k: abs(r[2, k]))[:2]
        return 2 * min(size[k] for k in axes)

    def grasp_for(self, oid: str) -> Grasp | None:
        """The grasp this object's geometry allows (see the module docstring), or ``None``."""
        w = self.world
        x, y, z = w.obj_pos(oid)
        if self.width_of(oid) <= JAW_SPAN - 2 * STRADDLE_MARGIN + 1e-6:
            hh = w.obj_half_height(oid)
            # fingertips 8 mm over the support, or less under a thin object (a 12 mm phone leaves
            # 4 mm of its side to the jaws at 8 mm, and they slid up over its top edge)
            gz = max(z + hh - 0.035, z - hh + TIP + min(0.008, 0.5 * hh))
            return Grasp("body", (x, y, gz), self._jaw_yaw(oid))
        lips = self._lip_geoms(oid)
        if not lips:
            return None
        d, m = w.data, w.model
        near = min(lips, key=lambda g: (math.hypot(d.geom_xpos[g][0] - w.x, d.geom_xpos[g][1] - w.y), g))
        lx, ly, lz = (float(v) for v in d.geom_xpos[near])
        bottom = lz - float(m.geom_size[near][2])  # the lip's foot: the dish's base top
        yaw = math.atan2(ly - y, lx - x)  # radially, across the lip
        return Grasp("rim", (lx, ly, bottom + LIP_CLEAR + TIP), yaw)

    def _lip_geoms(self, oid: str) -> list[int]:
        """Thin upright box geoms of the object's body other than its main one: a lip."""
        w = self.world
        m = w.model
        out = []
        for g in w.obj_geoms[oid]:
            if g == w.obj_geom[oid] or int(m.geom_type[g]) != int(w.mj.mjtGeom.mjGEOM_BOX):
                continue
            hx, hy, hz = (float(v) for v in m.geom_size[g])
            rz = w.data.geom_xmat[g].reshape(3, 3)[2, 2]
            if min(hx, hy) <= LIP_MAX_HALF and abs(rz) > 0.9:
                out.append(g)
        return out

    def _jaw_yaw(self, oid: str) -> float | None:
        """Map angle along which the jaws should close: across a box's narrow horizontal side."""
        shape, size = SHAPES.get(self.world.scene.objects[oid].type, DEFAULT_SHAPE)
        r = self.world.data.xmat[self.world.obj_body[oid]].reshape(3, 3)
        if shape == "cylinder" and abs(r[2, 2]) < 0.5:  # knocked over: close across its axis
            return math.atan2(r[1, 2], r[0, 2]) + math.pi / 2
        if shape != "box" or abs(size[0] - size[1]) < 1e-3:
            return self._wall_yaw(oid)
        long_axis = r[:, 0] if size[0] > size[1] else r[:, 1]
        return math.atan2(long_axis[1], long_axis[0]) + math.pi / 2

    def _wall_yaw(self, oid: str) -> float | None:
        """A round or square object in a container: jaws (and the 15 cm palm, which lies along
        them) parallel to the nearest wall, so the palm clears it on the way down (an apple 7 cm
        from the fridge's side wall otherwise stops the hand on that wall's rim)."""
        w = self.world
        loc, rel = w.support_of(oid)
        if rel != "in":
            return None
        x0, y0, x1, y1 = w.scene.fixtures[loc].rect
        x, y, _ = w.obj_pos(oid)
        return math.pi / 2 if min(x - x0, x1 - x) < min(y - y0, y1 - y) else 0.0

    def jaw_map_yaw(self) -> float:
        """The map angle the jaws close along now (the ee site's y axis)."""
        jaw = np.array(self.world.data.site_xmat[self.world.ee_site].reshape(3, 3)[:, 1])
        return math.atan2(float(jaw[1]), float(jaw[0]))
