"""The embedded simulated household: scene, occupancy grid, world, robot ports, faults, dirt.

Typical use::

    world = SimWorld(load_scene(), seed=7, faults=FaultConfig.parse("grasp_fail=0.2"))
    robot = SimRobot(world, motion=gate_around(Actuators(world)))
    ports = robot.ports()
    handle = ports.navigation.navigate_to("kitchen_table", max_linear=0.5, max_angular=0.5)
    while not handle.status.done:
        world.step()
"""

from executive.sim.dirt import DirtPatch
from executive.sim.faults import FAULT_NAMES, FaultConfig, FaultInjector
from executive.sim.occupancy import OccupancyGrid, Region
from executive.sim.robot import SimAction, SimRobot
from executive.sim.scene import Scene, SceneError, load_scene, parse_scene
from executive.sim.world import Actuators, Event, SimWorld

__all__ = [
    "FAULT_NAMES",
    "Actuators",
    "DirtPatch",
    "Event",
    "FaultConfig",
    "FaultInjector",
    "OccupancyGrid",
    "Region",
    "Scene",
    "SceneError",
    "SimAction",
    "SimRobot",
    "SimWorld",
    "load_scene",
    "parse_scene",
]
