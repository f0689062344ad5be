"""One documented table of reason codes, shared by leaves, guards, runtime and operators.

Like Nav2's error codes: every failure carries the *lowest-level* cause it knows, and that
cause travels up unchanged to the outcome the operator sees. Codes are grouped by hundreds
so a consumer can tell the layer from the number alone.
"""

from __future__ import annotations

from enum import IntEnum


class Reason(IntEnum):
    """Why something ended. ``NONE`` means success; the name is what appears in JSON."""

    NONE = 0
    # 1xx navigation
    NAV_NO_PATH = 101
    NAV_BLOCKED = 102
    NAV_GOAL_INVALID = 103
    # 2xx perception
    NOT_FOUND = 201
    DETECTION_MISSED = 202
    # 3xx manipulation
    GRASP_FAILED = 301
    OBJECT_SLIPPED = 302
    PLACE_FAILED = 303
    DOOR_STUCK = 304
    NOT_HOLDING = 305
    HAND_OCCUPIED = 306
    NOT_REACHABLE = 307
    CONTAINER_CLOSED = 308
    INVALID_TARGET = 309
    # 4xx safety
    SAFETY_JOINT_VELOCITY = 401
    SAFETY_TORQUE = 402
    SAFETY_LINEAR_VELOCITY = 403
    SAFETY_ANGULAR_VELOCITY = 404
    SAFETY_WORKSPACE = 405
    SAFETY_OBSTACLE = 406
    SAFETY_TIMEOUT = 407
    SAFETY_INVALID_COMMAND = 408
    ESTOP = 409
    SAFETY_UNGUARDED = 410
    # 5xx ports
    PORT_TIMEOUT = 501
    PORT_ERROR = 502
    # 6xx executive
    CANCELLED = 601
    PREEMPTED = 602
    RETRIES_EXHAUSTED = 603
    PLAN_INVALID = 604
    UNSAFE_REQUEST = 605
    UNKNOWN_SKILL = 606
    UNKNOWN_OBJECT = 607
    AMBIGUOUS = 608
    INFEASIBLE = 609
    TREE_INVALID = 610
    INTERNAL_ERROR = 611
    # 7xx inference
    VLA_STALE = 701
    VLA_LOW_CONFIDENCE = 702
    VLA_INVALID_ACTION = 703
    VLA_ENGINE_ERROR = 704
    VLA_TIMEOUT = 705

    @property
    def layer(self) -> str:
        """The layer a code belongs to, from its hundreds digit."""
        return _LAYERS.get(int(self) // 100, "none")

    @property
    def describe(self) -> str:
        """Short human text for operators."""
        return DESCRIPTIONS.get(self, self.name.lower().replace("_", " "))


_LAYERS = {
    1: "navigation",
    2: "perception",
    3: "manipulation",
    4: "safety",
    5: "port",
    6: "executive",
    7: "inference",
}

DESCRIPTIONS: dict[Reason, str] = {
    Reason.NONE: "no error",
    Reason.NAV_NO_PATH: "no collision-free path to the goal",
    Reason.NAV_BLOCKED: "the path is blocked",
    Reason.NAV_GOAL_INVALID: "the navigation goal is unknown or outside the map",
    Reason.NOT_FOUND: "the object was not found where it was looked for",
    Reason.DETECTION_MISSED: "the detector missed the object",
    Reason.GRASP_FAILED: "the grasp failed",
    Reason.OBJECT_SLIPPED: "the object slipped from the gripper",
    Reason.PLACE_FAILED: "the object could not be placed",
    Reason.DOOR_STUCK: "the door is stuck",
    Reason.NOT_HOLDING: "the gripper is not holding the object",
    Reason.HAND_OCCUPIED: "the gripper is already holding something",
    Reason.NOT_REACHABLE: "the object is out of the arm's reach",
    Reason.CONTAINER_CLOSED: "the container is closed",
    Reason.INVALID_TARGET: "the target cannot take that action",
    Reason.SAFETY_JOINT_VELOCITY: "a joint velocity command exceeded the limit",
    Reason.SAFETY_TORQUE: "a torque command exceeded the limit",
    Reason.SAFETY_LINEAR_VELOCITY: "a base linear velocity command exceeded the limit",
    Reason.SAFETY_ANGULAR_VELOCITY: "a base angular velocity command exceeded the limit",
    Reason.SAFETY_WORKSPACE: "a command would leave the allowed workspace",
    Reason.SAFETY_OBSTACLE: "an obstacle or person came closer than the safety distance",
    Reason.SAFETY_TIMEOUT: "the guarded action took longer than its time limit",
    Reason.SAFETY_INVALID_COMMAND: "a command contained NaN or infinite values",
    Reason.ESTOP: "the emergency stop is latched",
    Reason.SAFETY_UNGUARDED: "a behaviour commanded motion outside any safety guard (not declared actuating)",
    Reason.PORT_TIMEOUT: "the robot interface did not answer in time",
    Reason.PORT_ERROR: "the robot interface reported an error",
    Reason.CANCELLED: "the goal was cancelled",
    Reason.PREEMPTED: "the goal was preempted by a newer goal",
    Reason.RETRIES_EXHAUSTED: "every recovery was tried and failed",
    Reason.PLAN_INVALID: "the plan is malformed",
    Reason.UNSAFE_REQUEST: "the request is unsafe",
    Reason.UNKNOWN_SKILL: "the robot has no such skill",
    Reason.UNKNOWN_OBJECT: "no such object in the world",
    Reason.AMBIGUOUS: "the request is ambiguous",
    Reason.INFEASIBLE: "the request cannot be carried out",
    Reason.TREE_INVALID: "the tree failed validation",
    Reason.INTERNAL_ERROR: "an internal error stopped the run",
    Reason.VLA_STALE: "no fresh action from the policy within the deadline",
    Reason.VLA_LOW_CONFIDENCE: "the policy's confidence was below the threshold",
    Reason.VLA_INVALID_ACTION: "the policy produced an invalid action",
    Reason.VLA_ENGINE_ERROR: "the inference engine failed",
    Reason.VLA_TIMEOUT: "the policy did not reach the goal in time",
}


def lowest_cause(*reasons: Reason) -> Reason:
    """Pick the cause to report: the first non-NONE reason that is not a generic executive one.

    Generic wrappers (RETRIES_EXHAUSTED) never hide a concrete cause found below them.
    """
    generic = {Reason.NONE, Reason.RETRIES_EXHAUSTED, Reason.INTERNAL_ERROR}
    for r in reasons:
        if r not in generic:
            return r
    for r in reasons:
        if r != Reason.NONE:
            return r
    return Reason.NONE


def reason_table_markdown() -> str:
    """The table as Markdown, for the README and docs (kept generated, never hand-copied)."""
    lines = ["| code | name | layer | meaning |", "|---|---|---|---|"]
    for r in Reason:
        lines.append(f"| {int(r)} | `{r.name}` | {r.layer} | {r.describe} |")
    return "\n".join(lines)
