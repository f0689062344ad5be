"""The household scene file built into a MuJoCo model with ``mujoco.MjSpec``.

One scene file feeds both worlds: the kinematic world reads footprints and heights; here the
same numbers become geoms. Walls are boxes, fixtures are solid boxes (surfaces) or open boxes
(containers: a solid plinth up to half the height, four thin walls above it). Containers with a
door get a real joint: a lid on a hinge along the back top edge (a chest-style door: it swings
up, so a top-down grasp reaches inside once it is open) or, for the drawer, a cover on a slide
joint. No door has a motor: each carries a handle (a bar on the lid, a knob on the cover) that
the gripper grips, and the arm moves it round the hinge or along the slide, so the joint moves
only by the hand's contact forces. Objects are free bodies with the scene's masses and a
friction fit for a grasp; a dish (``RIMS``: a plate) is a thin base disc with a lip of box
segments round its edge, which is what a hand pinches it by (``executive.physics.grasps``).

Collision groups (``contype``/``conaffinity`` bits) keep the contact set small and meaningful:
static geoms never collide with each other, objects collide with everything, the gripper with
objects and static geoms (a wipe touches the table), the base with static geoms and objects,
doors only with objects (the lid does not fight the hand that opens it) except their handle,
which the gripper touches, arm links not at all
(visual only: clearance for the links is the IK's posture, said in the README).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from executive.physics.robot_model import add_robot
from executive.sim.occupancy import OccupancyGrid
from executive.sim.scene import Scene

STATIC, OBJECT, GRIPPER, DOOR = 1, 2, 4, 8
WALL_HEIGHT = 1.6
WALL_THICKNESS = 0.1
CONTAINER_WALL = 0.03
LID_THICKNESS = 0.03
#: Doors have no motor: the hand moves them. A hinged lid opens to ``HINGE_OPEN`` (rad; the
#: arm reaches the bar all the way round to it from the approach pose) and its friction hinge
#: (``HINGE_FRICTION``, N m) holds it against the lid's weight (4.3 N m closed, cos-falling)
#: from ~0.62 rad up; below that the weight wins and the lid sinks shut, as a chest lid does.
#: It counts as open from ``HINGE_OPEN_AT`` (rad), where it stays up by itself: a tree that
#: stops the open skill as soon as the fridge counts open leaves a lid that stays open.
HINGE_OPEN = 1.1
HINGE_OPEN_AT = 0.9
DOOR_MASS = 1.0
HINGE_RANGE = 1.9
HINGE_FRICTION = 3.5
SLIDE_FRICTION = 2.0
#: The drawer cover stops this short of its end stop (the hand does not push into the stop).
SLIDE_MARGIN = 0.02
#: The handle: a bar (hinge) or knob (slide) this far in from the lid's front edge, the bar's
#: axis this far above the lid's top (clear of the container walls the fingers pass).
HANDLE_INSET = 0.06
HANDLE_RISE = 0.035
BAR_RADIUS = 0.012
BAR_HALF_LENGTH = 0.12
#: The knob's half-sizes: along the slide, across it, up. 7 cm tall, gripped 1.5 cm above its
#: middle (``executive.physics.doors``): the palm, 4 cm over the grip point, then clears both
#: the knob's top and the 0.9 m cabinet the cover slides towards.
KNOB = (0.012, 0.03, 0.035)
#: (shape, size) per object type: MuJoCo half-sizes (box: hx, hy, hz; cylinder: r, hh; sphere: r).
#: Every graspable shape is at most 0.1 m across in its narrow horizontal axis (the gripper's span).
SHAPES: dict[str, tuple[str, tuple[float, ...]]] = {
    "cube": ("box", (0.025, 0.025, 0.025)),
    "bottle": ("cylinder", (0.03, 0.1)),
    "cup": ("cylinder", (0.035, 0.045)),
    "mug": ("cylinder", (0.035, 0.045)),
    "apple": ("sphere", (0.035,)),
    "carton": ("box", (0.035, 0.035, 0.1)),
    "sponge": ("box", (0.04, 0.025, 0.02)),
    "knife": ("box", (0.1, 0.012, 0.01)),
    "spoon": ("box", (0.08, 0.012, 0.008)),
    "plate": ("cylinder", (0.1, 0.012)),  # a dish (RIMS): 2.4 cm tall at its lip
    "bowl": ("cylinder", (0.055, 0.03)),
    "banana": ("box", (0.08, 0.02, 0.02)),
    "book": ("box", (0.1, 0.05, 0.02)),
    "remote": ("box", (0.08, 0.02, 0.012)),
    "phone": ("box", (0.07, 0.035, 0.006)),
    "pill_bottle": ("cylinder", (0.02, 0.04)),
    "towel": ("box", (0.1, 0.05, 0.02)),
    "ball": ("sphere", (0.035,)),
    "dumbbell": ("box", (0.12, 0.04, 0.04)),
}
DEFAULT_SHAPE = ("box", (0.03, 0.03, 0.03))
COLOURS: dict[str, tuple[float, float, float]] = {
    "red": (0.85, 0.1, 0.1), "blue": (0.1, 0.25, 0.85), "green": (0.1, 0.7, 0.2),
    "yellow": (0.95, 0.85, 0.1), "white": (0.95, 0.95, 0.95), "black": (0.08, 0.08, 0.08),
    "silver": (0.7, 0.72, 0.75),
}
OBJECT_FRICTION = (1.2, 0.02, 0.002)
#: Dishes: types whose body is a thin base disc with a raised lip round its edge (as a real
#: plate has), lip half-thickness and the number of straight segments it is built of. A dish
#: wider than the jaws is picked by pinching its lip (``executive.physics.grasps``); the lip is
#: what the fingers close on, so it is part of the geometry, not a grasp annotation.
RIMS: dict[str, tuple[float, int]] = {"plate": (0.003, 16)}
#: Half-thickness of a dish's base disc.
DISH_BASE = 0.002
#: Contact time constant of a lip (s; two physics steps: as stiff as the integrator allows).
LIP_SOLREF = 0.008


def half_height(otype: str) -> float:
    """Half the height of an object of this type (its centre above the surface it rests on)."""
    shape, size = SHAPES.get(otype, DEFAULT_SHAPE)
    return size[0] if shape == "sphere" else size[-1] if shape == "box" else size[1]


def vertical_half_extent(otype: str, rot: Any) -> float:
    """Half the height of an object of this type as it lies now (``rot``: its body's 3x3
    rotation): a bottle knocked over rests on its side, 3 cm high, not 10, and must still count
    as *on* the counter it lies on."""
    shape, size = SHAPES.get(otype, DEFAULT_SHAPE)
    r = [[float(rot[i][j]) for j in range(3)] for i in range(3)]
    up = r[2]  # the world z axis in body coordinates: row 2 of the body-to-world rotation
    if shape == "sphere":
        return size[0]
    if shape == "box":
        return sum(abs(up[k]) * size[k] for k in range(3))
    c = abs(up[2])  # cylinder: its axis is body z
    return size[0] * math.sqrt(max(0.0, 1.0 - c * c)) + size[1] * c


def container_floor(height: float) -> float:
    """Height of a container's inner floor (where the kinematic world puts things "in")."""
    return round(height * 0.5, 6)


@dataclass(frozen=True)
class DoorInfo:
    """How a fixture's door moves: joint and handle geom names, kind (hinge/slide), the open
    position the hand takes it to, the side the robot stands, and from where it counts open."""

    fixture: str
    joint: str
    handle: str
    kind: str
    open_q: float
    front: tuple[float, float]
    open_at: float


def front_of(scene: Scene, grid: OccupancyGrid, fid: str) -> tuple[float, float]:
    """Unit axis (±x or ±y) from a fixture's centre towards where the robot stands to use it."""
    f = scene.fixtures[fid]
    pose = grid.approach_fixture(fid)
    dx, dy = (pose[0] - f.pose[0], pose[1] - f.pose[1]) if pose is not None else (0.0, 1.0)
    if abs(dx) / f.size[0] >= abs(dy) / f.size[1]:
        return (math.copysign(1.0, dx), 0.0)
    return (0.0, math.copysign(1.0, dy))


def _box(body: Any, mj: Any, name: str, pos: tuple[float, ...], half: tuple[float, ...],
         rgba: tuple[float, ...], bits: tuple[int, int] = (STATIC, 0)) -> Any:
    g = body.add_geom(name=name, type=mj.mjtGeom.mjGEOM_BOX, pos=list(pos), size=list(half),
                      rgba=list(rgba))
    g.contype, g.conaffinity = bits
    return g


def _walls(spec: Any, mj: Any, scene: Scene) -> None:
    wb = spec.worldbody
    for k, (x0, y0, x1, y1) in enumerate(scene.walls):
        length = math.hypot(x1 - x0, y1 - y0)
        yaw = math.atan2(y1 - y0, x1 - x0)
        g = _box(wb, mj, f"wall_{k}", ((x0 + x1) / 2, (y0 + y1) / 2, WALL_HEIGHT / 2),
                 (length / 2 + WALL_THICKNESS / 2, WALL_THICKNESS / 2, WALL_HEIGHT / 2),
                 (0.85, 0.83, 0.78, 1.0), (STATIC, OBJECT))
        g.quat = [math.cos(yaw / 2), 0.0, 0.0, math.sin(yaw / 2)]


def _fixture(spec: Any, mj: Any, scene: Scene, grid: OccupancyGrid, fid: str) -> DoorInfo | None:
    f = scene.fixtures[fid]
    (cx, cy), (w, d), h = f.pose, f.size, f.height
    wb = spec.worldbody
    colour = (0.55, 0.4, 0.25, 1.0) if f.surface else (0.75, 0.75, 0.8, 1.0)
    bits = (STATIC, OBJECT | GRIPPER)
    if not f.container:
        _box(wb, mj, f"fx_{fid}", (cx, cy, h / 2), (w / 2, d / 2, h / 2), colour, bits)
        return None
    floor = container_floor(h)
    _box(wb, mj, f"fx_{fid}", (cx, cy, floor / 2), (w / 2, d / 2, floor / 2), colour, bits)
    wall_h = (h - floor) / 2
    t = CONTAINER_WALL / 2
    for side, (px, py, hx, hy) in {
        "w": (cx - w / 2 + t, cy, t, d / 2), "e": (cx + w / 2 - t, cy, t, d / 2),
        "s": (cx, cy - d / 2 + t, w / 2, t), "n": (cx, cy + d / 2 - t, w / 2, t),
    }.items():
        _box(wb, mj, f"fx_{fid}_wall_{side}", (px, py, floor + wall_h), (hx, hy, wall_h), colour, bits)
    if not f.door:
        return None
    nx, ny = front_of(scene, grid, fid)
    lid_rgba = (0.6, 0.62, 0.7, 1.0)
    handle_rgba = (0.2, 0.2, 0.22, 1.0)
    if "drawer" in (fid, f.type):
        # a cover sliding sideways along the front edge uncovers the box; a knob on its top is
        # what the hand grips and pushes along the slide
        body = wb.add_body(name=f"door_{fid}", pos=[cx, cy, h + LID_THICKNESS / 2])
        axis = [abs(ny), abs(nx), 0.0]
        travel = w if abs(ny) > 0 else d
        j = body.add_joint(name=f"door_{fid}", type=mj.mjtJoint.mjJNT_SLIDE, axis=axis,
                           range=[0.0, travel], damping=20.0, frictionloss=SLIDE_FRICTION)
        lid = _box(body, mj, f"door_{fid}_g", (0, 0, 0), (w / 2, d / 2, LID_THICKNESS / 2), lid_rgba,
                   (DOOR, OBJECT))
        # the knob near the front edge and at the cover's trailing end: the hand that slides
        # it then ends over this box, not over the next fixture along the slide
        inset = (d if abs(ny) > 0 else w) / 2 - HANDLE_INSET
        back = -travel / 2 + HANDLE_INSET
        kx, ky, kz = KNOB
        knob = _box(body, mj, f"door_{fid}_handle",
                    (nx * inset + axis[0] * back, ny * inset + axis[1] * back, LID_THICKNESS / 2 + kz),
                    (kx, ky, kz) if axis[0] else (ky, kx, kz), handle_rgba, (DOOR, OBJECT | GRIPPER))
        kind, open_q = "slide", travel - SLIDE_MARGIN
        open_at = 0.5 * open_q
    else:
        # hinge along the back top edge; the lid extends towards the front and carries a bar
        # handle (parallel to the hinge) on two posts near its front edge: the hand grips the
        # bar and carries it up round the hinge; a friction hinge keeps the lid where it is left
        depth = d if abs(ny) > 0 else w
        bx, by = cx - nx * depth / 2, cy - ny * depth / 2
        body = wb.add_body(name=f"door_{fid}", pos=[bx, by, h + LID_THICKNESS / 2])
        axis = [ny, -nx, 0.0]  # front x up: positive angles lift the front edge
        j = body.add_joint(name=f"door_{fid}", type=mj.mjtJoint.mjJNT_HINGE, axis=axis,
                           range=[0.0, HINGE_RANGE], damping=5.0, frictionloss=HINGE_FRICTION)
        lid = _box(body, mj, f"door_{fid}_g", (nx * depth / 2, ny * depth / 2, 0),
                   (w / 2, d / 2, LID_THICKNESS / 2), lid_rgba, (DOOR, OBJECT))
        r, up = depth - HANDLE_INSET, LID_THICKNESS / 2 + HANDLE_RISE
        half = min(BAR_HALF_LENGTH, (w if abs(ny) > 0 else d) / 2 - 0.05)
        ends = [(nx * r + s * axis[0] * half, ny * r + s * axis[1] * half) for s in (-1.0, 1.0)]
        knob = body.add_geom(name=f"door_{fid}_handle", type=mj.mjtGeom.mjGEOM_CAPSULE,
                             fromto=[ends[0][0], ends[0][1], up, ends[1][0], ends[1][1], up],
                             size=[BAR_RADIUS, 0, 0], rgba=list(handle_rgba))
        knob.contype, knob.conaffinity = DOOR, OBJECT | GRIPPER
        for k, (px, py) in enumerate(ends):
            post = body.add_geom(name=f"door_{fid}_post_{k}", type=mj.mjtGeom.mjGEOM_CYLINDER,
                                 pos=[px, py, (LID_THICKNESS / 2 + up) / 2],
                                 size=[0.008, (up - LID_THICKNESS / 2) / 2, 0], rgba=list(handle_rgba))
            post.contype = post.conaffinity = 0  # visual: the bar is the handle
            post.mass = 0.02
        kind, open_q, open_at = "hinge", HINGE_OPEN, HINGE_OPEN_AT
    knob.friction = [1.5, 0.02, 0.002]
    knob.condim = 4
    knob.mass = 0.1
    # the masses on the geoms (a body's own mass is overwritten by its geoms' at compile time):
    # a light lid, with its weight at its middle, so gravity pulls a lid shut that is left low
    lid.mass = DOOR_MASS
    j.armature = 0.05
    if f.open:
        j.ref = 0.0
    return DoorInfo(fid, f"door_{fid}", f"door_{fid}_handle", kind, open_q, (nx, ny), open_at)


def object_rest(scene: Scene, oid: str, slot: tuple[float, float, float]) -> tuple[float, float, float]:
    """Centre of an object resting at a kinematic slot (x, y, support height)."""
    return (slot[0], slot[1], slot[2] + half_height(scene.objects[oid].type) + 0.002)


def _object(spec: Any, mj: Any, scene: Scene, oid: str, pos: tuple[float, float, float]) -> None:
    o = scene.objects[oid]
    shape, size = SHAPES.get(o.type, DEFAULT_SHAPE)
    body = spec.worldbody.add_body(name=f"obj_{oid}", pos=list(pos))
    body.add_freejoint(name=f"obj_{oid}")
    gtype = {"box": mj.mjtGeom.mjGEOM_BOX, "cylinder": mj.mjtGeom.mjGEOM_CYLINDER,
             "sphere": mj.mjtGeom.mjGEOM_SPHERE}[shape]
    rgb = COLOURS.get(o.colour, (0.5, 0.5, 0.5))
    mass = max(o.mass, 0.01)
    if o.type in RIMS and shape == "cylinder":
        _dish(body, mj, oid, size, rgb, mass, RIMS[o.type])
        return
    g = body.add_geom(name=f"obj_{oid}", type=gtype, size=list(size) + [0.0] * (3 - len(size)),
                      rgba=[*rgb, 1.0], friction=list(OBJECT_FRICTION), condim=4)
    g.mass = mass
    g.contype, g.conaffinity = OBJECT, STATIC | OBJECT | GRIPPER | DOOR
    if shape == "sphere":
        g.condim = 6  # rolling friction: a dropped apple rolls to a stop, not across the house


def _dish(body: Any, mj: Any, oid: str, size: tuple[float, ...], rgb: tuple[float, float, float],
          mass: float, rim: tuple[float, int]) -> None:
    """A dish: a base disc (the geom ``obj_<id>``, what the detector counts) at the bottom of
    the object's height and a lip of thin box segments (``obj_<id>_rim_<k>``) round its edge, up
    to the object's full height. Same footprint, height and mass as the plain cylinder."""
    radius, hh = size[0], size[1]
    t, n = rim
    bits = (OBJECT, STATIC | OBJECT | GRIPPER | DOOR)
    base = body.add_geom(name=f"obj_{oid}", type=mj.mjtGeom.mjGEOM_CYLINDER,
                         pos=[0.0, 0.0, -hh + DISH_BASE], size=[radius, DISH_BASE, 0.0],
                         rgba=[*rgb, 1.0], friction=list(OBJECT_FRICTION), condim=4)
    base.mass = 0.7 * mass
    base.contype, base.conaffinity = bits
    rc = radius - t  # the lip's mid-line
    half_len = rc * math.tan(math.pi / n) + t  # segments meet at the corners
    for k in range(n):
        a = 2.0 * math.pi * k / n
        g = body.add_geom(name=f"obj_{oid}_rim_{k}", type=mj.mjtGeom.mjGEOM_BOX,
                          pos=[rc * math.cos(a), rc * math.sin(a), DISH_BASE],
                          size=[t, half_len, hh - DISH_BASE], rgba=[*rgb, 1.0],
                          friction=list(OBJECT_FRICTION), condim=4)
        g.quat = [math.cos(a / 2), 0.0, 0.0, math.sin(a / 2)]
        g.mass = 0.3 * mass / n
        g.contype, g.conaffinity = bits
        # a ceramic lip is stiff: MuJoCo's default contact (0.02 s time constant) let the
        # pads sink through a 6 mm wall; the weight makes the mix take the lip's stiffness
        g.solref = [LIP_SOLREF, 1.0]
        g.solmix = 100.0


def build_spec(scene: Scene, slots: dict[str, tuple[float, float, float]], grid: OccupancyGrid,
               timestep: float = 0.004) -> tuple[Any, dict[str, DoorInfo]]:
    """The MjSpec of a scene with the robot at its start pose; ``slots`` are the objects' resting
    spots (x, y, support height) as the kinematic world lays them out."""
    import mujoco as mj

    spec = mj.MjSpec()
    spec.modelname = scene.name
    spec.compiler.degree = False  # every angle here is in radians
    spec.option.timestep = timestep
    spec.option.integrator = mj.mjtIntegrator.mjINT_IMPLICITFAST
    spec.option.cone = mj.mjtCone.mjCONE_ELLIPTIC
    spec.option.noslip_iterations = 3
    spec.visual.quality.shadowsize = 0  # shadows cost ~90 ms a frame on the software renderer
    spec.visual.global_.offwidth = 320
    spec.visual.global_.offheight = 320
    spec.visual.global_.fovy = 45.0
    wb = spec.worldbody
    wb.add_light(name="sun", pos=[scene.size[0] / 2, scene.size[1] / 2, 6.0], dir=[0, 0, -1],
                 diffuse=[0.8, 0.8, 0.8], castshadow=False)
    floor = wb.add_geom(name="floor", type=mj.mjtGeom.mjGEOM_PLANE,
                        pos=[scene.size[0] / 2, scene.size[1] / 2, 0.0],
                        size=[scene.size[0] / 2, scene.size[1] / 2, 0.1], rgba=[0.6, 0.6, 0.58, 1])
    floor.contype, floor.conaffinity = STATIC, OBJECT
    _walls(spec, mj, scene)
    doors: dict[str, DoorInfo] = {}
    for fid in scene.fixtures:
        if (info := _fixture(spec, mj, scene, grid, fid)) is not None:
            doors[fid] = info
    for oid in scene.objects:
        _object(spec, mj, scene, oid, object_rest(scene, oid, slots[oid]))
    # fault bodies: an obstacle and a passer-by, parked out of the house until a fault places them
    for name, radius, hh in (("obstacle", 0.3, 0.5), ("passer_by", 0.25, 0.85)):
        b = wb.add_body(name=name, pos=[-5.0, -5.0, hh], mocap=True)
        g = b.add_geom(name=name, type=mj.mjtGeom.mjGEOM_CYLINDER, size=[radius, hh, 0],
                       rgba=[0.9, 0.5, 0.1, 1] if name == "obstacle" else [0.3, 0.5, 0.9, 1])
        g.contype, g.conaffinity = STATIC, OBJECT
    add_robot(spec, mj, scene)
    return spec, doors
