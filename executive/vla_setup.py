"""Load the VLA engine once per process for the runtime / CLI and hand it to the VLA leaves.

``--engine auto`` (default) loads the shipped reference policy
(``inference/models/reference/model.onnx``) on ONNX Runtime's CPU provider; ``onnxruntime``,
``torch`` and ``tensorrt`` ask for that backend (a clear error when it cannot run here);
``none`` runs scripted primitives only (the compiler then uses each VLA step's scripted
alternative). A corrupt or mismatched model raises :class:`EngineSetupError` naming the model
and its card before any tick.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from behaviours import vla_engine
from inference.reference import proven_skills, reference_model, reference_skills

ENGINE_CHOICES = ("auto", "onnxruntime", "torch", "tensorrt", "none")


class EngineSetupError(ValueError):
    """The engine could not be loaded; the message names the model file and its card."""


@dataclass(frozen=True)
class EngineSetup:
    choice: str
    engine: Any
    info: dict[str, str]
    #: The VLA tasks the loaded policy covers (the world's reference card: ``reference_skills``);
    #: None: every task (a model given by path is taken at its word).
    skills: frozenset[str] | None = None

    @property
    def enabled(self) -> bool:
        return self.engine is not None

    @property
    def vla(self) -> bool | frozenset[str]:
        """What the compiler's ``vla`` takes: False with no engine, else the covered tasks."""
        if self.engine is None:
            return False
        return True if self.skills is None else self.skills

    def line(self) -> str:
        if self.engine is None:
            note = f": {self.info['note']}" if self.info.get("note") else ""
            return f"engine: none (scripted primitives only{note})"
        i = self.info
        return f"engine: {i['backend']} {i['provider']} ({i['model'] or i['engine']})"


def setup_engine(choice: str = "auto", *, clock: str = "lockstep", model: str | Path | None = None,
                 variant: str | None = None, world: str | None = None) -> EngineSetup:
    """Load (or disable) the engine and make it the VLA leaves' process-wide default. With no
    ``model``, the shipped reference policy of ``world`` (``inference.reference.reference_model``:
    the MuJoCo card on ``mujoco``, the kinematic one otherwise)."""
    if choice not in ENGINE_CHOICES:
        raise EngineSetupError(f"--engine must be one of {', '.join(ENGINE_CHOICES)}, got {choice!r}")
    mode = "async" if clock == "realtime" else "inline"
    if choice == "none":
        vla_engine.configure(lambda: None, mode=mode)
        return EngineSetup(choice, None, {})
    from inference.errors import InferenceError

    try:
        path = Path(model) if model is not None else reference_model(world)
    except ValueError as e:
        raise EngineSetupError(str(e)) from None
    try:
        engine = vla_engine.load_cached(path, choice, **({"variant": variant} if variant else {}))
    except (InferenceError, ValueError, ImportError, OSError) as e:
        raise EngineSetupError(f"cannot load the VLA engine ({choice}): {e}") from None
    skills = None if model is not None else reference_skills(world)
    if choice == "auto" and skills is not None:
        # auto runs the shipped policy only for what its card shows it does well enough
        skills = proven_skills(skills, dict(engine.card.provenance.metrics), world)
        if not skills:
            vla_engine.configure(lambda: None, mode=mode)
            return EngineSetup(choice, None, {"note": f"the {world or 'kinematic'} reference VLA's "
                                              "card shows no task at the auto bar"})
    vla_engine.configure(lambda: engine, mode=mode)
    info = vla_engine.engine_info(engine)
    if not info["model"]:
        info["model"] = _relative(path)
    else:
        info["model"] = _relative(Path(info["model"]))
    return EngineSetup(choice, engine, info, skills)


def _relative(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
