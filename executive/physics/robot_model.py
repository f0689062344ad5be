"""The mobile manipulator, built in MjSpec by this project (no third-party assets, Apache-2.0
like the rest of the repository).

* **Base**: holonomic: slide x, slide y and a yaw hinge on one body (applied in that order, so
  the slides stay map-aligned), each driven by a velocity actuator. Its collision cylinder
  (radius a little under the scene's robot radius) floats 2 cm above the floor.
* **Arm**: six revolute joints on a mast: yaw, shoulder pitch, elbow pitch, forearm roll,
  wrist pitch, tool roll. Position servos; the links are gravity-compensated (like a real
  arm's controller) and visual only (no collision geoms).
* **Gripper**: two fingers on slide joints (parallel jaws), position servos with a force cap:
  a grasp holds by contact and friction, nothing is welded.
* **Cameras**: ``wrist`` on the hand looking along the tool axis, ``head`` on the mast
  looking ahead and down.
"""

from __future__ import annotations

import math
from typing import Any

from executive.sim.scene import Scene

SHOULDER = (0.12, 0.0, 1.0)  # arm base on the mast, in the base frame
L1, L2 = 0.6, 0.55
PALM = 0.06  # wrist joint to the palm, along the tool axis
FINGER_LEN = 0.06
FINGER_OPEN = 0.055  # per finger: the jaws span 2 x this when open
EE_OFFSET = PALM + 0.04  # the grasp point (site "ee") along the tool axis
ARM_JOINTS = ("arm_yaw", "arm_shoulder", "arm_elbow", "arm_roll", "arm_wrist", "arm_tool")
#: Folded to the left: the hand 1.25 m up, 0.16 m from the base's centre, pointing down
#: (q1 + q2 + q4 = -pi/2): inside the base's footprint and above every counter, so turning the
#: base in front of a fixture never sweeps the hand into it; and beside the mast, not ahead of
#: it, so the forearm is not in the head camera's view of a table just in front of the robot.
HOME = (math.pi / 2, 2.4, -2.5, 0.0, -1.471, 0.0)
ARM_KP = (600.0, 2500.0, 1500.0, 300.0, 400.0, 150.0)
BASE_JOINTS = ("base_x", "base_y", "base_yaw")
FINGERS = ("finger_l", "finger_r")
HEAD_CAMERA_TILT = 0.6
#: The finger servos' stiffness (N/m) and force cap (N).
FINGER_KP = 800.0
FINGER_FORCE = 40.0
#: Geom group of the arm's links: in the RGB frames, masked out of the detector's render.
ARM_GROUP = 2


def _capsule(body: Any, mj: Any, name: str, to: tuple[float, float, float], r: float,
             rgba: tuple[float, ...]) -> None:
    g = body.add_geom(name=name, type=mj.mjtGeom.mjGEOM_CAPSULE, fromto=[0, 0, 0, *to], size=[r, 0, 0],
                      rgba=list(rgba))
    g.contype = g.conaffinity = 0
    g.group = ARM_GROUP  # the detector's self-filter leaves these out (executive.physics.render)


def add_robot(spec: Any, mj: Any, scene: Scene) -> None:
    """Add the robot (at the map origin; its joints carry the pose) and its actuators."""
    r = scene.robot
    base = spec.worldbody.add_body(name="base", pos=[0.0, 0.0, 0.0])
    base.add_joint(name="base_x", type=mj.mjtJoint.mjJNT_SLIDE, axis=[1, 0, 0])
    base.add_joint(name="base_y", type=mj.mjtJoint.mjJNT_SLIDE, axis=[0, 1, 0])
    base.add_joint(name="base_yaw", type=mj.mjtJoint.mjJNT_HINGE, axis=[0, 0, 1])
    body_r = r.radius * 0.85
    g = base.add_geom(name="base", type=mj.mjtGeom.mjGEOM_CYLINDER, pos=[0, 0, 0.17],
                      size=[body_r, 0.15, 0], rgba=[0.25, 0.25, 0.3, 1])
    g.mass = 40.0
    g.contype, g.conaffinity = 16, 1 | 2
    mast = base.add_geom(name="mast", type=mj.mjtGeom.mjGEOM_BOX, pos=[0.0, 0, 0.65], size=[0.06, 0.06, 0.35],
                         rgba=[0.3, 0.3, 0.35, 1])
    mast.contype = mast.conaffinity = 0
    mast.mass = 5.0
    f = HEAD_CAMERA_TILT
    base.add_camera(name="head", pos=[0.0, 0, 1.85], xyaxes=[0, -1, 0, math.sin(f), 0, math.cos(f)],
                    fovy=60.0)
    # the arm
    yaw = base.add_body(name="arm_yaw", pos=list(SHOULDER), gravcomp=1.0)
    yaw.add_joint(name="arm_yaw", type=mj.mjtJoint.mjJNT_HINGE, axis=[0, 0, 1], range=[-3.0, 3.0])
    _capsule(yaw, mj, "arm_yaw_g", (0, 0, 0.05), 0.05, (0.8, 0.8, 0.8, 1))
    sh = yaw.add_body(name="arm_shoulder", pos=[0, 0, 0], gravcomp=1.0)
    sh.add_joint(name="arm_shoulder", type=mj.mjtJoint.mjJNT_HINGE, axis=[0, -1, 0], range=[-1.0, 2.6])
    _capsule(sh, mj, "upper_arm", (L1, 0, 0), 0.04, (0.8, 0.8, 0.8, 1))
    el = sh.add_body(name="arm_elbow", pos=[L1, 0, 0], gravcomp=1.0)
    el.add_joint(name="arm_elbow", type=mj.mjtJoint.mjJNT_HINGE, axis=[0, -1, 0], range=[-2.9, 2.9])
    _capsule(el, mj, "elbow_g", (0, 0.0, 0.02), 0.045, (0.6, 0.6, 0.6, 1))
    fo = el.add_body(name="arm_roll", pos=[0, 0, 0], gravcomp=1.0)
    fo.add_joint(name="arm_roll", type=mj.mjtJoint.mjJNT_HINGE, axis=[1, 0, 0], range=[-3.0, 3.0])
    _capsule(fo, mj, "forearm", (L2, 0, 0), 0.035, (0.8, 0.8, 0.8, 1))
    wr = fo.add_body(name="arm_wrist", pos=[L2, 0, 0], gravcomp=1.0)
    wr.add_joint(name="arm_wrist", type=mj.mjtJoint.mjJNT_HINGE, axis=[0, -1, 0], range=[-2.6, 2.6])
    _capsule(wr, mj, "wrist_g", (0.02, 0, 0), 0.035, (0.6, 0.6, 0.6, 1))
    hand = wr.add_body(name="hand", pos=[0, 0, 0], gravcomp=1.0)
    hand.add_joint(name="arm_tool", type=mj.mjtJoint.mjJNT_HINGE, axis=[1, 0, 0], range=[-3.2, 3.2])
    palm = hand.add_geom(name="palm", type=mj.mjtGeom.mjGEOM_BOX, pos=[PALM - 0.01, 0, 0],
                         size=[0.01, 0.075, 0.025], rgba=[0.2, 0.2, 0.2, 1])
    palm.contype, palm.conaffinity = 4, 1 | 2
    palm.mass = 0.5
    for side, sign in (("l", 1.0), ("r", -1.0)):
        fb = hand.add_body(name=f"finger_{side}", pos=[PALM + FINGER_LEN / 2, sign * 0.006, 0], gravcomp=1.0)
        fb.add_joint(name=f"finger_{side}", type=mj.mjtJoint.mjJNT_SLIDE, axis=[0, sign, 0],
                     range=[0.0, FINGER_OPEN], damping=2.0, armature=0.01)
        pad = fb.add_geom(name=f"finger_{side}", type=mj.mjtGeom.mjGEOM_BOX,
                          size=[FINGER_LEN / 2, 0.006, 0.015], rgba=[0.15, 0.15, 0.15, 1],
                          friction=[1.5, 0.05, 0.005], condim=4)
        pad.contype, pad.conaffinity = 4, 1 | 2
        pad.mass = 0.05
    hand.add_site(name="ee", pos=[EE_OFFSET, 0, 0])
    hand.add_camera(name="wrist", pos=[PALM - 0.02, 0, 0.06], xyaxes=[0, 1, 0, 0, 0, -1], fovy=70.0)
    # actuators: base velocity servos, arm position servos, finger position servos
    for jn, kv in (("base_x", 6000.0), ("base_y", 6000.0), ("base_yaw", 800.0)):
        a = spec.add_actuator(name=jn, target=jn, trntype=mj.mjtTrn.mjTRN_JOINT)
        a.set_to_velocity(kv=kv)
    for jn, kp in zip(ARM_JOINTS, ARM_KP, strict=True):
        a = spec.add_actuator(name=jn, target=jn, trntype=mj.mjtTrn.mjTRN_JOINT)
        a.set_to_position(kp=kp, kv=2.0 * math.sqrt(kp))
    for jn in FINGERS:
        a = spec.add_actuator(name=jn, target=jn, trntype=mj.mjtTrn.mjTRN_JOINT)
        a.set_to_position(kp=FINGER_KP, kv=20.0)
        a.forcelimited = True
        a.forcerange = [-FINGER_FORCE, FINGER_FORCE]
    for jn in ARM_JOINTS:
        spec.joint(jn).armature = 0.05
