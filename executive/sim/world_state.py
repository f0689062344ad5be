"""The world's plain state: bodies, fixtures, people, blocks, events, and the physical constants.

Data only (dataclasses and numbers): the world's modules and the robot read them; nothing
here steps or draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from executive.sim.dirt import DirtPatch
from executive.sim.occupancy import PERSON_RADIUS, Region

SHOULDER_HEIGHT = 0.8
BLOCK_RADIUS = 0.3
#: Planning keeps this clearance (robot surface to obstacle surface) from fault obstacles,
#: a little more than the default safety distance, so routing round one never trips the gate.
BLOCK_CLEARANCE = 0.45  # > the 0.3 m safety distance plus a grid cell and pursuit slack
ARM_OWN_TORQUE = 20.0
GRAVITY = 9.81
#: Closing the gripper grasps an object whose grasp point (top of its support + this) is
#: within GRASP_RADIUS of the end effector.
GRASP_RADIUS = 0.03
GRASP_HEIGHT = 0.03
#: Opening the gripper at most this high above a surface places the held object on it.
PLACE_HEIGHT = 0.15




@dataclass
class ObjectState:
    """Where an object truly is: ``location`` is a fixture id, "floor", "gripper" or a person id."""

    id: str
    type: str
    colour: str
    size: str
    mass: float
    location: str
    relation: str | None
    x: float
    y: float
    z: float
    level: float = 0.0


@dataclass
class FixtureState:
    open: bool = False
    on: bool = False
    dirty: bool = False
    dirt: DirtPatch | None = None  # the spots a camera sees and a wipe removes (see sim.dirt)


@dataclass
class PersonState:
    """The operator (static) or a person a fault made walk into the robot's path."""

    id: str
    x: float
    y: float
    dynamic: bool = False
    radius: float = PERSON_RADIUS
    phase: str = "standing"
    phase_until: float = math.inf
    stay: float = 0.0
    vx: float = 0.0
    vy: float = 0.0


@dataclass
class BlockState:
    id: str
    region: Region
    until: float | None  # None: for good


class Controller(Protocol):
    """What the world steps: an action's controller (see ``executive.sim.robot.SimAction``)."""

    @property
    def done(self) -> bool: ...

    def step(self) -> None: ...


def wrap(a: float) -> float:
    """Angle to (-pi, pi]."""
    return (a + math.pi) % (2 * math.pi) - math.pi
