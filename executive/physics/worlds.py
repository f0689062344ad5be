"""Which world a run drives, by name: the one place ``--world kinematic|mujoco`` becomes a backend.

The CLI (``executive run``), the campaign tool and the ROS sim node all take ``--world``; they
build the backend here so the three agree on the names, the defaults and the error a missing
MuJoCo install gives. It lives beside the physics world because it is the layer that may see
both worlds (``executive.physics`` may import ``executive.sim``; never the other way round).
"""

from __future__ import annotations

import importlib.util
from typing import Any

#: The world names every entry point accepts; the first is the default.
WORLDS = ("kinematic", "mujoco")


class WorldUnavailable(ValueError):
    """The named world cannot be built here (unknown name, or MuJoCo / EGL missing)."""


def create_backend(world: str = "kinematic", *, seed: int = 0, faults: Any = "", dt: float = 0.1) -> Any:
    """A fresh backend of the named world (``faults``: a mix string or a FaultConfig)."""
    if world == "mujoco":
        if importlib.util.find_spec("mujoco") is None:
            raise WorldUnavailable("--world mujoco (the default of executive run) needs the physics "
                                   "extra (pip install -e '.[physics]'): the mujoco package is not "
                                   "installed; --world kinematic runs the 2D world without it")
        from executive.physics.backend import MujocoBackend

        return MujocoBackend.create(seed=seed, faults=faults, dt=dt)
    if world == "kinematic":
        from executive.sim.backend import SimBackend

        return SimBackend.create(seed=seed, faults=faults, dt=dt)
    raise WorldUnavailable(f"unknown world {world!r}: one of {', '.join(WORLDS)}")
