"""Conditions: instant checks of the robot's state port. SUCCESS when true, FAILURE when not."""

from __future__ import annotations

from typing import Any

import py_trees

from behaviours.base import ContextBound, need_text
from behaviours.ports import RobotStatePort

Status = py_trees.common.Status


class Condition(ContextBound):
    def check(self, state: RobotStatePort) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def update(self) -> Status:
        try:
            ok = bool(self.check(self.ctx.ports.state))
        except Exception as e:  # a broken sensor reads as "not satisfied", never a crash
            self.feedback_message = f"check failed: {type(e).__name__}: {e}"
            return Status.FAILURE
        return Status.SUCCESS if ok else Status.FAILURE


class _About(Condition):
    def __init__(self, name: str, entity: str) -> None:
        super().__init__(name)
        self.entity = entity

    def params(self) -> dict[str, Any]:
        return {"entity": self.entity}

    def check_params(self) -> list[str]:
        return need_text(self.entity, "entity")


class Holding(_About):
    def check(self, state: RobotStatePort) -> bool:
        return state.holding() == self.entity


class HandFree(Condition):
    def check(self, state: RobotStatePort) -> bool:
        return state.holding() is None


class AtLocation(_About):
    def check(self, state: RobotStatePort) -> bool:
        return state.is_at(self.entity)


class IsOpen(_About):
    def check(self, state: RobotStatePort) -> bool:
        return state.is_open(self.entity)


class IsClosed(_About):
    def check(self, state: RobotStatePort) -> bool:
        return not state.is_open(self.entity)


class IsOn(_About):
    def check(self, state: RobotStatePort) -> bool:
        return state.is_on(self.entity)


class IsOff(_About):
    def check(self, state: RobotStatePort) -> bool:
        return not state.is_on(self.entity)


class Visible(_About):
    def check(self, state: RobotStatePort) -> bool:
        return state.is_visible(self.entity)


CONDITIONS: dict[str, type[Condition]] = {
    "holding": Holding,
    "at": AtLocation,
    "open": IsOpen,
    "closed": IsClosed,
    "on": IsOn,
    "off": IsOff,
    "visible": Visible,
}
