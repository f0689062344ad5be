"""Where the shipped reference policy lives: one path for the leaf, the tools and the tests.

Training writes here (``tools/train_reference_policy.py``), the executive loads from here by
default (``executive.vla_setup``, ``behaviours.vla_engine``), benchmarks read it.
"""

from __future__ import annotations

from pathlib import Path

#: The folder of the shipped reference policy (model, card, training report).
REFERENCE_DIR = Path(__file__).resolve().parent / "models" / "reference"
#: The shipped ONNX model; its card ``model.card.yaml`` lies beside it.
REFERENCE_MODEL = REFERENCE_DIR / "model.onnx"

#: The reference policy trained on the MuJoCo world's rendered frames (``--world mujoco``).
REFERENCE_MUJOCO_DIR = REFERENCE_DIR.parent / "reference_mujoco"
REFERENCE_MUJOCO_MODEL = REFERENCE_MUJOCO_DIR / "model.onnx"
#: World name -> its reference model (the world a backend reports as ``name``; the kinematic
#: backend's is ``sim``).
_BY_WORLD = {"kinematic": REFERENCE_MODEL, "sim": REFERENCE_MODEL, "mujoco": REFERENCE_MUJOCO_MODEL}


#: What each world's shipped policy was trained and scored for (its card's ``*_success_*``
#: metrics), in the compiler's terms (``executive.compiler``: a task, or ``task:relation``):
#: the MuJoCo card places onto surfaces only (``reference_training/mujoco_place.py``).
_SKILLS_BY_WORLD = {"kinematic": ("pick", "place", "wipe"), "sim": ("pick", "place", "wipe"),
                    "mujoco": ("pick", "place:on")}


def reference_skills(world: str | None = None) -> frozenset[str]:
    """The VLA tasks the world's shipped reference policy covers: the compiler keeps the scripted
    primitive for the others (a MuJoCo wipe, a MuJoCo place into a container)."""
    reference_model(world)  # the same clear error for an unknown world
    return frozenset(_SKILLS_BY_WORLD["kinematic" if world is None else world])


#: The closed-loop success a task's card metrics must show for ``--engine auto`` to run the
#: policy for it (issue 14's bar: seen, held-out pairs); below it auto keeps the scripted
#: primitive, and an explicit engine still runs the policy for every task it covers.
AUTO_BAR = {"seen": 0.9, "held_out": 0.8}


#: Tasks a world's card proves on its own evaluation scenes that the world's household
#: scenario suite (``tools/scenario_suite.py``) does not: auto keeps them scripted there, with
#: the measurement that says why. The card's scenes hold six object types on open surfaces; the
#: household holds books, phones, plates, fruit in a fridge, cups in a sink.
HOUSEHOLD_UNPROVEN: dict[str, dict[str, str]] = {
    "mujoco": {"pick": "scenario suite, seed 1 (2026-12-02): 21/35 with the VLA pick and place "
                       "(objects the card never saw, lost in the hand-over), 33/35 with the "
                       "VLA place only, 33/35 scripted"},
}


def proven_skills(skills: frozenset[str], metrics: dict[str, float], world: str | None = None
                  ) -> frozenset[str]:
    """The covered tasks whose card metrics (``<task>_success_<set>``) meet :data:`AUTO_BAR`,
    less the world's :data:`HOUSEHOLD_UNPROVEN` ones. Why from the card: the figures are
    measured by the training tool and shipped with the weights, so a retrained policy that meets
    the bar is taken up without a code change, and one that falls below it is dropped the same
    way. A task with no figure is not proven."""
    held_back = HOUSEHOLD_UNPROVEN.get(world or "kinematic", {})

    def ok(skill: str) -> bool:
        task = skill.split(":", 1)[0]
        return task not in held_back and all(
            metrics.get(f"{task}_success_{k}", -1.0) >= v for k, v in AUTO_BAR.items())

    return frozenset(s for s in skills if ok(s))


def reference_model(world: str | None = None) -> Path:
    """The one rule for which shipped policy a world runs: each world's frames are the ones its
    policy was trained on (a kinematic-world policy sees nothing it knows in a MuJoCo render).
    ``None`` is the kinematic world; an unknown world is a clear error."""
    if world is None:
        return REFERENCE_MODEL
    try:
        return _BY_WORLD[world]
    except KeyError:
        raise ValueError(f"no reference VLA policy for world {world!r}; worlds: kinematic, mujoco") from None
