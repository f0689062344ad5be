"""Action leaves: start in ``initialise()``, poll in ``update()``, cancel in ``terminate()``.

Each leaf wraps one port call that returns an :class:`~behaviours.ports.ActionHandle`, the
ROS 2 action-client shape, so a tick never waits on the robot. Failures carry the port's
reason code unchanged (the lowest-level cause).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import py_trees

from behaviours.base import ContextBound, need_text
from behaviours.ports import ActionHandle, ActionStatus, RobotPorts
from behaviours.reasons import Reason

Status = py_trees.common.Status


class ActionLeaf(ContextBound):
    """Base for leaves that run one long action through a port."""

    actuating = True

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.handle: ActionHandle | None = None

    def start(self, ports: RobotPorts) -> ActionHandle:  # pragma: no cover - abstract
        raise NotImplementedError

    def initialise(self) -> None:
        self.reason = Reason.NONE
        self.feedback_message = ""
        try:
            self.handle = self.start(self.ctx.ports)
        except Exception as e:  # a backend bug must fail the leaf, never the tick loop
            self.handle = None
            self._start_error = f"{type(e).__name__}: {e}"
        else:
            self._start_error = ""

    def update(self) -> Status:
        h = self.handle
        if h is None:
            return self.fail(Reason.PORT_ERROR, self._start_error or "action did not start")
        st = h.status
        if st is ActionStatus.RUNNING:
            self.feedback_message = h.feedback
            return Status.RUNNING
        res = h.result
        if st is ActionStatus.SUCCEEDED:
            self.feedback_message = res.message if res is not None else "done"
            self.on_success(res.data if res is not None else {})
            return Status.SUCCESS
        reason = res.reason if res is not None and res.reason is not Reason.NONE else Reason.PORT_ERROR
        if st is ActionStatus.CANCELLED and reason is Reason.PORT_ERROR:
            reason = Reason.CANCELLED
        return self.fail(reason, res.message if res is not None else st.value)

    def terminate(self, new_status: Status) -> None:
        h = self.handle
        if h is not None and h.status is ActionStatus.RUNNING:
            h.cancel()
        self.handle = None

    def on_success(self, data: dict[str, Any]) -> None:
        """Hook for leaves that learn something (e.g. where an object was found)."""


class NavigateTo(ActionLeaf):
    def __init__(self, name: str, target: str) -> None:
        super().__init__(name)
        self.target = target

    def start(self, ports: RobotPorts) -> ActionHandle:
        lim = self.ctx.limits.current
        return ports.navigation.navigate_to(
            self.target, max_linear=lim.linear_velocity, max_angular=lim.angular_velocity
        )

    def params(self) -> dict[str, Any]:
        return {"target": self.target}

    def check_params(self) -> list[str]:
        return need_text(self.target, "target")


class Detect(ActionLeaf):
    """Find an entity; ``search`` lists further places (fixtures/rooms) to look in."""

    actuating = False  # perception moves nothing

    def __init__(self, name: str, entity: str, search: Sequence[str] = ()) -> None:
        super().__init__(name)
        self.entity = entity
        self.search = tuple(search)

    def start(self, ports: RobotPorts) -> ActionHandle:
        return ports.perception.detect(self.entity, search=self.search)

    def on_success(self, data: dict[str, Any]) -> None:
        if data.get("location"):
            self.ctx.record("detected", self.name, entity=self.entity, location=data["location"])

    def params(self) -> dict[str, Any]:
        return {"entity": self.entity, "search": list(self.search)}

    def check_params(self) -> list[str]:
        return need_text(self.entity, "entity")


class _EntityAction(ActionLeaf):
    """A manipulation on one named entity: ``method(entity, **kwargs)`` on the port."""

    method = ""
    param_name = "entity"

    def __init__(self, name: str, entity: str, **kwargs: Any) -> None:
        super().__init__(name)
        self.entity = entity
        self.kwargs = kwargs

    def start(self, ports: RobotPorts) -> ActionHandle:
        return getattr(ports.manipulation, self.method)(self.entity, **self.kwargs)

    def params(self) -> dict[str, Any]:
        return {self.param_name: self.entity, **self.kwargs}

    def check_params(self) -> list[str]:
        return need_text(self.entity, self.param_name)


class Pick(_EntityAction):
    method = "pick"

    def __init__(self, name: str, entity: str, grasp: str = "top") -> None:
        super().__init__(name, entity, grasp=grasp)

    def check_params(self) -> list[str]:
        errs = super().check_params()
        if self.kwargs["grasp"] not in ("top", "side"):
            errs.append(f"grasp must be 'top' or 'side', got {self.kwargs['grasp']!r}")
        return errs


class Place(_EntityAction):
    method = "place"
    param_name = "target"

    def __init__(self, name: str, target: str, relation: str = "on") -> None:
        super().__init__(name, target, relation=relation)

    def check_params(self) -> list[str]:
        errs = super().check_params()
        if self.kwargs["relation"] not in ("on", "in"):
            errs.append(f"relation must be 'on' or 'in', got {self.kwargs['relation']!r}")
        return errs


class Open(_EntityAction):
    method = "open"
    param_name = "fixture"

    def __init__(self, name: str, fixture: str) -> None:
        super().__init__(name, fixture)


class Close(_EntityAction):
    method = "close"
    param_name = "fixture"

    def __init__(self, name: str, fixture: str) -> None:
        super().__init__(name, fixture)


class Toggle(_EntityAction):
    method = "toggle"
    param_name = "fixture"

    def __init__(self, name: str, fixture: str, on: bool) -> None:
        super().__init__(name, fixture, on=bool(on))


class Wipe(_EntityAction):
    method = "wipe"
    param_name = "surface"

    def __init__(self, name: str, surface: str) -> None:
        super().__init__(name, surface)


class Pour(_EntityAction):
    method = "pour"
    param_name = "target"

    def __init__(self, name: str, target: str) -> None:
        super().__init__(name, target)


class Give(_EntityAction):
    method = "give"
    param_name = "person"

    def __init__(self, name: str, person: str) -> None:
        super().__init__(name, person)


class Push(_EntityAction):
    method = "push"


class Say(ActionLeaf):
    actuating = False

    def __init__(self, name: str, text: str) -> None:
        super().__init__(name)
        self.text = text

    def start(self, ports: RobotPorts) -> ActionHandle:
        return ports.speech.say(self.text)

    def params(self) -> dict[str, Any]:
        return {"text": self.text}

    def check_params(self) -> list[str]:
        return need_text(self.text, "text")


class Wait(ContextBound):
    """Wait on the run's clock (sim time in lockstep), never sleeping the tick thread."""

    def __init__(self, name: str, seconds: float) -> None:
        super().__init__(name)
        self.seconds = seconds
        self._until = 0.0

    def initialise(self) -> None:
        self._until = self.ctx.now() + float(self.seconds)

    def update(self) -> Status:
        left = self._until - self.ctx.now()
        if left > 1e-9:
            self.feedback_message = f"{left:.1f} s left"
            return Status.RUNNING
        return Status.SUCCESS

    def params(self) -> dict[str, Any]:
        return {"seconds": self.seconds}

    def check_params(self) -> list[str]:
        try:
            s = float(self.seconds)
        except (TypeError, ValueError):
            return [f"seconds must be a number, got {self.seconds!r}"]
        if not math.isfinite(s) or s < 0 or s > 3600:
            return [f"seconds must be within [0, 3600], got {self.seconds!r}"]
        return []


class SafeStop(ContextBound):
    """Command a stop through the gate; always succeeds (stopping is always allowed)."""

    def update(self) -> Status:
        self.ctx.ports.motion.stop()
        return Status.SUCCESS
