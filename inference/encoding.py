"""What the VLA policy sees and does, written once for the leaf and for training.

The leaf (``behaviours.vla``) builds observations with these functions at run time; the
reference-policy training (``inference.reference_training``) builds its dataset with the same
ones, so a policy trained here reads the state the leaf sends, in the same order and units.
It lives beside :mod:`inference.contract` because it is part of the engine contract: the model
card names the same state and action columns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

#: What the reference policy sees as proprioception, in this order (the card names them too).
STATE_NAMES = ("target_dx", "target_dy", "target_dz", "gripper_closed", "holding")
#: What it outputs per step: an end-effector displacement (m) and the gripper (1 = closed).
ACTION_NAMES = ("dx", "dy", "dz", "gripper")
TASKS = ("pick", "place", "wipe")


def instruction_for(task: str, entity: str, held: str | None = None, relation: str = "on") -> str:
    """Default instruction text: ``pick up the blue bottle`` from ``blue_bottle``; ``put the red
    cup in the sink`` for a place into ``sink`` while holding ``red_cup``."""
    words = entity.replace("_", " ")
    if task == "wipe":
        return f"wipe the {words}"
    if task == "place":
        what = f"the {held.replace('_', ' ')}" if held else "it"
        return f"put {what} {'in' if relation == 'in' else 'on'} the {words}"
    return {"pick": f"pick up the {words}"}.get(task, f"{task} the {words}")


def make_state(
    target: tuple[float, float, float] | np.ndarray,
    ee: tuple[float, float, float] | np.ndarray,
    gripper_closed: bool,
    holding: bool,
) -> np.ndarray:
    t, e = np.asarray(target, np.float64), np.asarray(ee, np.float64)
    d = t - e
    return np.array([d[0], d[1], d[2], float(gripper_closed), float(holding)], np.float32)


def anchor_chunk(actions: np.ndarray, ee_obs: tuple[float, float, float] | np.ndarray) -> np.ndarray:
    """Per-step end-effector deltas -> absolute targets anchored at the observation-time pose.

    The policy is trained on the expert's next actions, each a per-step increment
    (``ee_{k+1} = ee_k + d_k`` from ``ee_0`` = the end effector at observation), so action ``k``
    aims at ``ee_obs + d_0 + ... + d_k``. Anchoring makes a chunk that arrives late (async
    inference) still aim where it was meant to, however the arm moved meanwhile. Columns past
    the first three (the gripper) are kept as they are.
    """
    a = np.asarray(actions, np.float64)
    out = a.copy()
    out[:, :3] = np.asarray(ee_obs, np.float64)[:3] + np.cumsum(a[:, :3], axis=0)
    return out


class AnchoredEngine:
    """Wraps an engine so its chunks hold absolute targets (:func:`anchor_chunk`) anchored at
    the end effector of the observation they answer (``ee_of(obs)``); everything else (card,
    name, provider) is the wrapped engine's. The async runner then serves *where to be* at each
    step rather than a delta that would be applied to wherever the arm is when the chunk lands."""

    def __init__(self, engine: Any, ee_of: Callable[[Any], np.ndarray]) -> None:
        self.inner = engine
        self._ee_of = ee_of

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def infer(self, obs: Any) -> Any:
        from dataclasses import replace

        chunk = self.inner.infer(obs)
        targets = anchor_chunk(chunk.actions, self._ee_of(obs)).astype(np.float32)
        return replace(chunk, actions=targets)
