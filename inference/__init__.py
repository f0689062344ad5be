"""VLA engine contract, backends, the asynchronous chunk runner and the action safety chain.

Layering (docs/DESIGN.md): the lowest layer; numpy only, backends imported lazily.
"""

from inference.card import ModelCard, card_path_for, load_card, load_engine, parse_card
from inference.contract import ActionChunk, Engine, HashTokenizer, Observation
from inference.errors import (
    BackendUnavailable,
    InferenceError,
    ModelCardError,
    ModelLoadError,
    ObservationError,
    StaleActionError,
)
from inference.runner import ChunkRunner, ServedAction
from inference.safety_chain import SafetyChain, SafetyConfig, SafetyResult, WorkspaceBox

__all__ = [
    "ActionChunk",
    "BackendUnavailable",
    "ChunkRunner",
    "Engine",
    "HashTokenizer",
    "InferenceError",
    "ModelCard",
    "ModelCardError",
    "ModelLoadError",
    "Observation",
    "ObservationError",
    "SafetyChain",
    "SafetyConfig",
    "SafetyResult",
    "ServedAction",
    "StaleActionError",
    "WorkspaceBox",
    "card_path_for",
    "load_card",
    "load_engine",
    "parse_card",
]
