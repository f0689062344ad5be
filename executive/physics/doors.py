"""Doors and drawers moved by the arm: the gripper grips the door's handle (the bar on a hinged
lid, the knob on the drawer's sliding cover) and the hand is carried along the handle's own
path (a circle about the hinge axis, a straight line along the slide), so the joint moves only
through the contact forces of the fingers on the handle. The doors have no motor and nothing
here writes a door's ``qpos``.

Why it is shaped like this:

* **The path is the door's, read from the physics state.** The hinge's anchor and axis (or the
  slide's axis) and the handle's position come from ``data`` each time, so a lid left half
  open, or a door the campaign left ajar, is taken from where it is.
* **Failure is measured, not declared.** After each step along the path the joint is read; when
  it lags the hand's step (a stuck door: ``door_stuck`` loads the joint with friction the hand
  cannot beat, so the jaws slip on the handle or the arm stalls) the hand lets go and the skill
  reports ``DOOR_STUCK`` with the angle it measured. The fault flag is never read.
* **One hand.** With something in the gripper the drawer's knob is pushed with the outside of
  the leading finger (the jaws stay closed on what they hold); a lid must be lifted by gripping
  its bar, so the held object is first set down on free floor beside the base and the lid moved
  with the freed hand (``_hands_full``); the place into the container picks it back up.
  ``HAND_OCCUPIED`` only when there is no free floor beside the robot.

Arm motion is :class:`executive.physics.arm.Arm`'s; a mixin of
:class:`executive.physics.manipulation.Manipulation` (the robot supplies ``_hold``, ``_wait``).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

import numpy as np

from behaviours.ports import ActionResult
from behaviours.reasons import Reason
from executive.physics.arm import ARM_SPEED, FAST, FAST_STEP, STEP_TIMEOUT, TRAVEL_STEP, Arm
from executive.physics.model import KNOB, half_height
from executive.sim.robot_core import _fail, _ok  # one home for the result constructors

#: Hinge: one step along the arc (rad); slide: one step along the line (m).
ARC_STEP = 0.08
LINE_STEP = 0.05
#: The joint may trail the hand's step by this much (rad / m) before the door counts as stuck.
ARC_LAG = 0.15
LINE_LAG = 0.05
#: A lid opened with something held: it is set down on the floor this far (m) from the base's
#: centre (the arm reaches the floor there with margin; 0.6 m is near the edge of its reach).
SET_ASIDE = 0.5
#: Pushing the drawer's knob with something held: the finger stands this far off it first.
PUSH_GAP = 0.008
#: The grip point above the handle's centre: the bar's axis; the knob 1.5 cm over its middle
#: (``executive.physics.model.KNOB``).
GRIP_RISE = {"hinge": 0.0, "slide": 0.015}
#: Height the open hand comes down from onto the handle, and lifts off it by.
OVER = 0.08
#: Within this of the goal (rad / m) the door is where the skill wanted it.
DONE_TOL = {"hinge": 0.1, "slide": 0.04}


def _rotate(v: np.ndarray, axis: np.ndarray, angle: float) -> np.ndarray:
    """Rodrigues: ``v`` turned by ``angle`` about the unit ``axis``."""
    c, s = math.cos(angle), math.sin(angle)
    return v * c + np.cross(axis, v) * s + axis * float(axis @ v) * (1.0 - c)


class Doors(Arm):
    world: Any
    motion: Any

    def open(self, fixture: str) -> Any:
        return self._start("open", fixture, self._door(fixture, True))  # type: ignore[attr-defined]

    def close(self, fixture: str) -> Any:
        return self._start("close", fixture, self._door(fixture, False))  # type: ignore[attr-defined]

    # ------------------------------------------------------------ geometry
    def _joint(self, fixture: str) -> int:
        return int(self.world.model.joint(self.world.doors[fixture].joint).id)

    def handle_at(self, fixture: str, q: float) -> tuple[float, float, float]:
        """Where the hand grips the handle when the door's joint is at ``q``: the handle now,
        turned about the hinge axis (or slid along the slide axis) by ``q - q_now``."""
        w = self.world
        d, jid = w.data, self._joint(fixture)
        h = np.array(d.geom_xpos[w.handle_geoms[fixture]], dtype=float)
        axis = np.array(d.xaxis[jid], dtype=float)
        dq = q - w.door_q(fixture)
        if w.doors[fixture].kind == "slide":
            p = h + axis * dq
        else:
            anchor = np.array(d.xanchor[jid], dtype=float)
            p = anchor + _rotate(h - anchor, axis, dq)
        return (float(p[0]), float(p[1]), float(p[2]) + GRIP_RISE[w.doors[fixture].kind])

    def _jaw_yaw_for(self, fixture: str) -> float:
        """The map angle the jaws close along: across the bar (the front normal) for a lid, along
        the slide for the drawer's knob (so the pads push the knob both ways)."""
        w = self.world
        info = w.doors[fixture]
        if info.kind == "slide":
            ax = w.data.xaxis[self._joint(fixture)]
            return math.atan2(float(ax[1]), float(ax[0]))
        return math.atan2(info.front[1], info.front[0])

    # --------------------------------------------------------------- skill
    def _door(self, fixture: str, want_open: bool) -> Generator[str, None, ActionResult]:
        """The skill; cancelled part-way (a tree stops ``open`` once the door counts open), the
        hand lets go of the handle rather than keep the door gripped into the next skill."""
        try:
            return (yield from self._door_steps(fixture, want_open))
        except GeneratorExit:
            if self.world.cmd.gripper_closed and self.world.held is None:
                self.motion.command_gripper(False)
            raise

    def _door_steps(self, fixture: str, want_open: bool,
                    freed: bool = False) -> Generator[str, None, ActionResult]:
        """``freed``: the hand has just set something down on the floor beside the base (open
        jaws, over free floor): it goes up to the handle and round the hinge at ``FAST`` speed,
        without the wait for jaws that are already open (see :meth:`_hands_full`)."""
        w = self.world
        verb = "open" if want_open else "close"
        ing = "opening" if want_open else "closing"
        yield f"preparing to {verb} {fixture}"
        if w.kind_of(fixture) != "fixture" or fixture not in w.doors:
            return _fail(Reason.INVALID_TARGET, f"{fixture} has no door to {verb}")
        if not self._near(fixture):
            return _fail(Reason.NOT_REACHABLE, f"{fixture} is out of reach from here")
        if w.is_open(fixture) == want_open:
            return _ok(f"{fixture} is already {'open' if want_open else 'closed'}", fixture=fixture)
        info = w.doors[fixture]
        push = w.held is not None  # the jaws are busy: push the knob with the outside of a finger
        if (r := (yield from self._close_in(fixture))) is not None:
            return r
        if push and info.kind != "slide":
            return (yield from self._hands_full(fixture, want_open))
        goal = info.open_q if want_open else 0.0
        yaw = self._jaw_yaw_for(fixture)
        offset = np.zeros(3)
        if push:
            offset = self._push_offset(fixture, want_open)
        elif not freed and (r := (yield from self._gripper(False, "opening the gripper"))) is not None:
            return r
        grip = tuple(np.add(self.handle_at(fixture, w.door_q(fixture)), offset).tolist())
        above = (grip[0], grip[1], grip[2] + OVER)
        speed = FAST if freed else ARM_SPEED
        r = yield from self._travel(above, f"reaching the {fixture} handle", yaw, speed=speed,
                                    step=FAST_STEP if freed else TRAVEL_STEP)
        if r is not None:
            return r
        if (r := (yield from self._arm_to(w.ik(grip, yaw), f"reaching the {fixture} handle"))) is not None:
            return r
        if want_open:
            w.fx.door_attempt(fixture)  # a drawn door_stuck fault loads the joint (physics only)
        if not push:
            if (r := (yield from self._gripper(True, f"gripping the {fixture} handle"))) is not None:
                return r
            if len(w.handle_touch(fixture)) < 2:
                yield from self._let_go(fixture)
                return _fail(Reason.GRASP_FAILED, f"the jaws missed the {fixture} handle")
        q0 = w.door_q(fixture)
        w.record("state", "handle_pushed" if push else "handle_gripped", fixture=fixture, q=round(q0, 3))
        step, lag = (LINE_STEP, LINE_LAG) if info.kind == "slide" else (ARC_STEP, ARC_LAG)
        n = max(1, math.ceil(abs(goal - q0) / step))
        for k in range(1, n + 1):
            qk = q0 + (goal - q0) * k / n
            target = w.ik(tuple(np.add(self.handle_at(fixture, qk), offset).tolist()), yaw)
            r = yield from self._arm_to(target, f"{ing} {fixture}", timeout=STEP_TIMEOUT,
                                        speed=speed)
            if r is not None and r.reason is not Reason.NOT_REACHABLE:
                self.motion.command_gripper(False)
                return r
            q = w.door_q(fixture)
            behind = (qk - q) if want_open else (q - qk)
            if r is not None or behind > lag:
                yield from self._let_go(fixture, release=not push)
                q = w.door_q(fixture)
                w.record("state", "door_not_moving", fixture=fixture, q=round(q, 3), wanted=round(qk, 3))
                return self._unmoved(fixture, want_open, f"stayed at {q:.2f} while the hand went to {qk:.2f}")
        if (r := (yield from self._let_go(fixture, release=not push))) is not None:
            return r
        q = w.door_q(fixture)
        if w.is_open(fixture) != want_open or abs(q - goal) > DONE_TOL[info.kind]:
            return self._unmoved(fixture, want_open, f"is at {q:.2f} once let go (wanted {goal:.2f})")
        w.record("state", "opened" if want_open else "closed", fixture=fixture, q=round(q, 3))
        return _ok(f"{fixture} {'opened' if want_open else 'closed'}", fixture=fixture, q=round(q, 3))

    def _hands_full(self, fixture: str, want_open: bool) -> Generator[str, None, ActionResult]:
        """A lid is lifted by gripping its bar, which the jaws cannot do while they hold
        something: set it down on free floor beside the base (not ahead, where the lid swings),
        then move the lid with the freed hand. The place into this container takes the object
        back (``Manipulation._place``; ``world.set_aside``): a tree stops the open skill as soon
        as the lid counts open, and the open skill's guard (20 s) leaves no time for the pick.
        The moves to and from the floor go at the guard's full joint speed over floor the
        occupancy grid says is free."""
        w = self.world
        oid = w.held
        assert oid is not None
        verb = "open" if want_open else "close"
        spot = self._floor_beside()
        if spot is None:
            return _fail(Reason.HAND_OCCUPIED, f"cannot {verb} {fixture} with {oid} in the gripper "
                         "and no free floor beside the robot to set it down")
        dz = w.obj_pos(oid)[2] - w.fk()[2]
        ez = half_height(w.scene.objects[oid].type) + 0.015 - dz
        label = f"setting {oid} down to free the hand"
        # down the last 8 cm from a posture above the spot: the IK starts from the commanded
        # posture, and from a posture 0.6 m away it landed near the floor on a worse branch
        r = yield from self._travel((*spot, ez + OVER), label, None, speed=FAST, step=FAST_STEP)
        if r is None:
            r = yield from self._arm_to(w.ik((*spot, ez)), label, speed=FAST)
        if r is None:
            r = yield from self._gripper(False, label)
        if r is not None:
            return r
        if w.held is not None:
            return _fail(Reason.HAND_OCCUPIED,
                         f"{oid} did not leave the gripper to free it for the {fixture} lid")
        w.belief[oid] = w.place_of(oid)
        x, y, _ = w.obj_pos(oid)
        w.set_aside = (oid, fixture)
        w.record("state", "set_aside", object=oid, fixture=fixture, x=round(x, 3), y=round(y, 3))
        moved = yield from self._door_steps(fixture, want_open, freed=True)
        if not moved.ok:  # same reason (a stuck door is retried), and where the object is
            return _fail(moved.reason, f"{moved.message} ({oid} is on the floor beside the robot)",
                         **moved.data, set_aside=oid)
        done = "opened" if want_open else "closed"
        return _ok(f"{fixture} {done} ({oid} set down beside it to free the hand)",
                   **moved.data, set_aside=oid)

    def _floor_beside(self) -> tuple[float, float] | None:
        """Free floor ``SET_ASIDE`` from the base's centre, to its left, right or back."""
        w = self.world
        for ang in (math.pi / 2, -math.pi / 2, math.pi):
            px, py = w.x + SET_ASIDE * math.cos(w.theta + ang), w.y + SET_ASIDE * math.sin(w.theta + ang)
            if not w.grid.collides(px, py, 0.1):
                return (px, py)
        return None

    def _unmoved(self, fixture: str, want_open: bool, what: str) -> ActionResult:
        """The door is not where the hand took it, read from its joint: a door that will not
        open is stuck (``DOOR_STUCK``, which the trees retry); one that will not close is an error."""
        q = round(self.world.door_q(fixture), 3)
        if want_open:
            return _fail(Reason.DOOR_STUCK, f"the {fixture} door is stuck: its joint {what}",
                         fixture=fixture, q=q)
        return _fail(Reason.PORT_ERROR, f"the {fixture} door did not close: its joint {what}",
                     fixture=fixture, q=q)

    def _push_offset(self, fixture: str, want_open: bool) -> np.ndarray:
        """Where the hand stands off the knob to push it with the outside of its leading
        finger (jaws closed on what it holds, along the slide): behind the knob, by the knob's
        half-width, the finger's reach from the grasp point and a few millimetres."""
        w = self.world
        d, m = w.data, w.model
        jaw = np.array(d.site_xmat[w.ee_site].reshape(3, 3)[:, 1])
        ee = np.array(d.site_xpos[w.ee_site])
        reach = max(abs(float((d.geom_xpos[g] - ee) @ jaw)) for g in w.finger_geoms)
        reach += float(m.geom_size[next(iter(w.finger_geoms))][1])  # the pad's half-thickness
        along = np.array(d.xaxis[self._joint(fixture)], dtype=float) * (1.0 if want_open else -1.0)
        return -along * (KNOB[0] + reach + PUSH_GAP)

    def _let_go(self, fixture: str, release: bool = True) -> Generator[str, None, ActionResult | None]:
        """Open the jaws (``release``; not when pushing with something held), lift the hand
        straight up off the handle (out from between the fingers without pushing the door),
        then fold the arm."""
        w = self.world
        if release:
            r = yield from self._gripper(False, f"letting go of the {fixture} handle")
            if r is not None:
                return r
        x, y, z = w.fk()
        r = yield from self._arm_to(w.ik((x, y, z + OVER), self._jaw_yaw_for(fixture)),
                                    f"lifting off the {fixture} handle", timeout=STEP_TIMEOUT)
        if r is not None and r.reason is not Reason.NOT_REACHABLE:
            return r
        home = np.array(w.home_joints, dtype=float)
        if (r := (yield from self._travel(w.fk_of(home), "retracting", None, strict=False))) is not None:
            return r
        return (yield from self._arm_to(home, "retracting"))
