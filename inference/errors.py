"""Errors raised by the inference layer. Every message names the file(s) and field involved."""

from __future__ import annotations

from pathlib import Path


class InferenceError(Exception):
    """Base class for everything the inference layer raises on purpose."""


class ModelCardError(InferenceError, ValueError):
    """A model card is missing, unreadable or invalid. ``str()`` names the card file and field."""

    def __init__(self, card_path: str | Path, field: str, message: str) -> None:
        self.card_path = str(card_path)
        self.field = field
        self.detail = message
        super().__init__(f"{self.card_path}: field '{field}': {message}")


class ModelLoadError(InferenceError):
    """A model file is corrupt or does not match its card. Names BOTH files and the mismatch."""

    def __init__(self, model_path: str | Path, card_path: str | Path | None, message: str) -> None:
        self.model_path = str(model_path)
        self.card_path = str(card_path) if card_path is not None else None
        self.detail = message
        where = f"model {self.model_path}"
        if self.card_path:
            where += f" (card {self.card_path})"
        super().__init__(f"{where}: {message}")


class ObservationError(InferenceError, ValueError):
    """An observation does not fit the card (missing camera, wrong state dimension, ...)."""


class BackendUnavailable(InferenceError, ImportError):
    """The requested backend's library is not installed (or has no usable device)."""


class StaleActionError(InferenceError):
    """No fresh action within the staleness deadline; maps to reason ``VLA_STALE``."""

    reason = "VLA_STALE"
