"""The simulated mobile manipulator: every robot port, backed by :class:`SimWorld`.

One class per port (``navigation``, ``perception``, ``manipulation``, ``speech``,
``robot_state``) over a shared core (``robot_core``: action handles, arm plumbing); this
module composes them into :class:`SimRobot`, the one object the backend hands out as all six
ports.

Long actions are generators stepped by ``world.step()`` (one ``yield`` = one ``dt``) and
wrapped in :class:`SimAction`, a non-blocking handle shaped like a ROS 2 goal handle.

Safety rule: controllers move the base and arm **only** through the motion port they
were given (``command_base``, ``command_arm``, ``command_torques``), never by writing
world state, and cap their speeds with ``motion.current_limits()``. When the port rejects
a command, the action stops and fails with ``motion.last_rejection`` (PORT_ERROR if none),
so a safety gate wrapped around :class:`~executive.sim.world.Actuators` has the last word.
"""


from __future__ import annotations

from behaviours.ports import RobotPorts
from executive.sim.manipulation import SimManipulation
from executive.sim.navigation import SimNavigation
from executive.sim.perception import SimPerception
from executive.sim.robot_core import (
    ARM_SPEED,
    DETECT_S,
    GOAL_TOLERANCE,
    NEAR,
    PORT_TIMEOUT_S,
    YIELD_LIMIT_S,
    Gen,
    SimAction,
)
from executive.sim.robot_state import SimCamera, SimState
from executive.sim.speech import SimSpeech

__all__ = [
    "ARM_SPEED",
    "DETECT_S",
    "GOAL_TOLERANCE",
    "NEAR",
    "PORT_TIMEOUT_S",
    "YIELD_LIMIT_S",
    "Gen",
    "SimAction",
    "SimRobot",
]


class SimRobot(SimNavigation, SimPerception, SimManipulation, SimSpeech, SimState, SimCamera):
    """Navigation, perception, manipulation, speech, state and camera ports on a SimWorld."""

    def ports(self) -> RobotPorts:
        """All ports, with ``motion`` being the (possibly guarded) port given here."""
        return RobotPorts(
            navigation=self,
            perception=self,
            manipulation=self,
            motion=self.motion,
            speech=self,
            state=self,
            camera=self,
        )
