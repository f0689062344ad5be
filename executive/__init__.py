"""The executive: plans, compiler, validator, runtime, simulated world, CLI.

Public API (see README "Python API"): :func:`run_tree`, :func:`run_plan`,
:func:`run_instruction`, :func:`simulated_world` — imported on first use, so ``import
executive`` stays light for the CLI and for ``behaviours`` users.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["run_instruction", "run_plan", "run_tree", "simulated_world"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from executive import api

        return getattr(api, name)
    raise AttributeError(f"module 'executive' has no attribute {name!r}")
