"""ROS 2 integration: the ``ExecuteInstruction`` action server, snapshot and diagnostics
publishers, a ROS 2 robot backend, and the simulated world as a ROS 2 node.

rclpy and the generated ``executive_interfaces`` are imported lazily, only by the modules that
talk to ROS (``server``, ``backend``, ``sim_node``), so the core installs and runs without ROS.
:func:`ros_available` says whether they import here, and why not.
"""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def ros_unavailable_reason() -> str | None:
    """None when rclpy and executive_interfaces import; else a reason that names ROS 2."""
    try:
        import rclpy
        import rclpy.action  # noqa: F401
    except Exception as e:  # ImportError, or a shared library that does not load
        return f"ROS 2 (rclpy) is not installed here ({type(e).__name__}: {e}); run tools/setup_ros.sh"
    try:
        import executive_interfaces.action
        import executive_interfaces.msg  # noqa: F401
    except Exception as e:
        return (f"ROS 2 interface package executive_interfaces is not built ({type(e).__name__}: {e}); "
                "run tools/setup_ros.sh")
    return None


def ros_available() -> bool:
    return ros_unavailable_reason() is None


def py_trees_ros_available() -> bool:
    """py_trees_ros exists on apt-installed robots only (not on any registry reachable here)."""
    try:
        import py_trees_ros  # noqa: F401
    except Exception:
        return False
    return True
