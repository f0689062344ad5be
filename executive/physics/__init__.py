"""The physics world: the household scene in MuJoCo with a mobile manipulator built in MjSpec.

``MujocoBackend`` (``executive.physics.backend``) implements the same RobotBackend and robot
ports as the kinematic world (``executive.sim``), so trees, guards and recovery run unchanged on
either. MuJoCo is an optional dependency (extra ``physics``): nothing here imports it until a
world is built.
"""

import os

# Headless rendering by default (EGL; Mesa's software renderer where there is no GPU). It must be
# set before MuJoCo is first imported; a user's own MUJOCO_GL wins.
os.environ.setdefault("MUJOCO_GL", "egl")
