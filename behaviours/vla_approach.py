"""The VLA leaf's approach: the phases before the policy runs (docs/DESIGN.md "The action life
cycle").

A policy was trained from a narrow set of starts: the object within the arm's reach in front of
the base, the hand over it. :class:`VLAApproach` brings the robot there, one non-blocking step a
tick, and then hands over to the policy (:meth:`_start_policy`, the leaf's):

``look``
    poll the ``detect`` the leaf started; the target is the object's believed position (for
    ``wipe``: the centre of the dirt on the surface; no dirt seen and the state port agrees: done).
``reach``
    beyond :data:`REACH_RANGE` or not facing the target, drive/turn the base through the (gated)
    motion port; a base that stalls farther than :data:`REACH_GIVE_UP` is ``NOT_REACHABLE``.
``ready``
    bring the hand within :data:`READY_RADIUS` of the target, :data:`READY_BACK` short of it and
    :data:`READY_HEIGHT` over it (at most :data:`READY_MAX_TICKS` ticks).

The policy loop itself, the engine and the safety chain are :class:`behaviours.vla.VLAPolicy`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import py_trees

from behaviours.base import ContextBound
from behaviours.ports import ActionHandle, ActionStatus
from behaviours.reasons import Reason

Status = py_trees.common.Status

#: Beyond this horizontal distance from the base the leaf first drives the base closer.
REACH_RANGE = 0.72
REACH_SPEED = 0.15  # m/s while reaching in
#: ... and turns until the target is within this bearing (rad) of its heading: the policy was
#: trained with the arm in front of the base, facing the target to within 0.5 rad.
REACH_FACING = 0.4
#: Before the policy starts, the hand is brought within this horizontal distance (m) of the
#: target: to READY_BACK m short of it (towards the base), READY_HEIGHT m above it; at most
#: READY_MAX_TICKS ticks, then the policy starts from wherever the hand got to.
READY_RADIUS, READY_BACK, READY_HEIGHT, READY_MAX_TICKS = 0.3, 0.08, 0.2, 30
#: Reaching in gives up (NOT_REACHABLE) if the base stalls farther than this from the target
#: (beyond the arm, and beyond anything the policy was trained on) rather than start the policy.
REACH_GIVE_UP = 1.0


class VLAApproach(ContextBound):
    """The look / reach / ready phases of a VLA leaf; subclasses run the policy after them."""

    entity: str
    task: str
    phase: str
    _detect: ActionHandle | None
    _target: tuple[float, float, float] | None
    _gripper_closed: bool
    _reach_stuck: int
    _ready_ticks: int
    _last_pose: tuple[float, float, float] | None

    def _start_policy(self) -> Status:
        """The hand is ready: start the policy and run its first tick (the leaf's)."""
        raise NotImplementedError

    # -- phases -------------------------------------------------------------------------
    def _look(self) -> Status:
        h = self._detect
        if h is None:
            return self.fail(Reason.PORT_ERROR, "detection did not start")
        if h.status is ActionStatus.RUNNING:
            self.feedback_message = f"locating {self.entity}"
            return Status.RUNNING
        res = h.result
        pos = res.data.get("position") if res is not None else None
        if self.task == "wipe" and h.status is ActionStatus.SUCCEEDED and res is not None:
            return self._look_dirt(res.data)
        if h.status is not ActionStatus.SUCCEEDED or not pos:
            reason = res.reason if res is not None and res.reason is not Reason.NONE else Reason.NOT_FOUND
            return self.fail(reason, res.message if res is not None else "not found")
        self._target = (float(pos[0]), float(pos[1]), float(pos[2]))
        self.phase = "reach"
        return self._reach()

    def _look_dirt(self, data: dict[str, Any]) -> Status:
        """Wipe: the target is the centre of the dirt the detection reports on the surface's
        top; a surface the robot sees no dirt on is already clean (success at once)."""
        dirt = data.get("dirt")
        centre = dirt.get("centre") if isinstance(dirt, dict) else None
        if not centre:
            if not data.get("position"):
                return self.fail(Reason.INVALID_TARGET, f"{self.entity} is not a surface to wipe")
            if not self.ctx.ports.state.is_dirty(self.entity):
                self.feedback_message = f"{self.entity} is already clean"
                self.ctx.record("vla_done", self.name, task=self.task, entity=self.entity, t=0.0,
                                note="already clean")
                return Status.SUCCESS
            return self.fail(Reason.NOT_FOUND, f"no dirt seen on {self.entity}")
        self._target = (float(centre[0]), float(centre[1]), float(centre[2]))
        self.phase = "reach"
        return self._reach()

    def _reach(self) -> Status:
        ctx = self.ctx
        assert self._target is not None
        pose = ctx.ports.state.base_pose()
        dx, dy = self._target[0] - pose.x, self._target[1] - pose.y
        dist = math.hypot(dx, dy)
        last = self._last_pose
        moved = last is None or math.hypot(pose.x - last[0], pose.y - last[1]) > 1e-3 \
            or abs((pose.theta - last[2] + math.pi) % (2 * math.pi) - math.pi) > 1e-3  # turning counts
        self._reach_stuck = 0 if moved else self._reach_stuck + 1
        self._last_pose = (pose.x, pose.y, pose.theta)
        if self._reach_stuck > 5 and dist > REACH_GIVE_UP:
            return self._stop_fail(Reason.NOT_REACHABLE, f"the base stalled {dist:.2f} m from "
                                   f"{self.entity}, beyond the arm's {REACH_RANGE:g} m")
        err = (math.atan2(dy, dx) - pose.theta + math.pi) % (2 * math.pi) - math.pi
        in_range = dist <= REACH_RANGE and abs(err) <= REACH_FACING  # the arm works in front
        if in_range or self._reach_stuck > 5:
            ctx.ports.motion.command_base(0.0, 0.0)
            self.phase = "ready"
            return self._ready()
        lim = ctx.ports.motion.current_limits()
        w = float(np.clip(1.5 * err, -0.8 * lim.angular_velocity, 0.8 * lim.angular_velocity))
        drive = dist > REACH_RANGE and abs(err) <= 0.3  # otherwise turn on the spot first
        v = min(REACH_SPEED, lim.linear_velocity) * math.cos(err) if drive else 0.0
        if not ctx.ports.motion.command_base(v, w):
            return self._stop_fail(ctx.ports.motion.last_rejection or Reason.PORT_ERROR,
                                   "the base could not reach in")
        self.feedback_message = f"reaching in: {dist:.2f} m to {self.entity}"
        return Status.RUNNING

    def _ready(self) -> Status:
        """Bring the hand over the target before the policy starts: after a drive the arm can
        point anywhere (behind the base, still up from a pick), far outside the states the
        policy was trained from (the hand within ~0.35 m of the target, above it)."""
        ctx = self.ctx
        assert self._target is not None
        ee = np.asarray(ctx.ports.state.ee_position(), np.float64)
        tgt = np.asarray(self._target, np.float64)
        self._ready_ticks += 1
        if float(np.hypot(*(ee[:2] - tgt[:2]))) <= READY_RADIUS or self._ready_ticks > READY_MAX_TICKS:
            self.phase = "policy"
            return self._start_policy()
        pose = ctx.ports.state.base_pose()
        toward = np.array([pose.x, pose.y]) - tgt[:2]
        toward /= max(float(np.linalg.norm(toward)), 1e-6)
        pre = (tgt[0] + READY_BACK * toward[0], tgt[1] + READY_BACK * toward[1], tgt[2] + READY_HEIGHT)
        if not ctx.ports.motion.command_ee_target(pre):
            return self._stop_fail(ctx.ports.motion.last_rejection or Reason.PORT_ERROR,
                                   "the arm could not move over the target")
        self.feedback_message = f"moving the hand over {self.entity}"
        return Status.RUNNING

    def _stop_fail(self, reason: Reason, message: str, *, release: bool = False) -> Status:
        self.ctx.ports.motion.stop()
        if release or (self._gripper_closed and self.ctx.ports.state.holding() is None):
            self.ctx.ports.motion.command_gripper(False)
            self._gripper_closed = False
        return self.fail(reason, message)
