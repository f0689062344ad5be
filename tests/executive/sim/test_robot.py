"""The robot ports against the simulated world, driven directly with the raw Actuators."""

import math

import numpy as np

from behaviours.limits import DEFAULT_LIMITS
from behaviours.ports import ActionStatus, MotionPort, RobotPorts
from behaviours.reasons import Reason
from executive.sim import Actuators, SimRobot, SimWorld

NAV = {"max_linear": 1.0, "max_angular": 0.5}


def test_ports_satisfy_the_protocols(make):
    world, ports = make()
    assert isinstance(ports, RobotPorts)
    assert isinstance(ports.motion, MotionPort)
    assert ports.camera is not None
    assert isinstance(Actuators(world), MotionPort)
    assert {e.kind for e in world.entities()} == {"room", "fixture", "object", "person"}
    cup = next(e for e in world.entities() if e.id == "red_cup")
    assert (cup.colour, cup.location, cup.relation, cup.room) == ("red", "kitchen_table", "on", "kitchen")


def test_navigate_to_kitchen_table(make, drive):
    world, ports = make()
    h = ports.navigation.navigate_to("kitchen_table", **NAV)
    assert h.status is ActionStatus.RUNNING and h.result is None
    steps = drive(world, h, 400)
    assert h.status is ActionStatus.SUCCEEDED, h.result
    goal = world.approach_pose("kitchen_table")
    assert math.hypot(goal[0] - world.x, goal[1] - world.y) <= 0.15
    assert ports.state.is_at("kitchen_table") and ports.state.is_at("kitchen")
    assert steps < 400
    assert not any(e.name == "collision" for e in world.events)


def test_bring_red_cup_from_table_to_sink(make, succeed):
    world, ports = make()
    succeed(
        world,
        lambda: ports.navigation.navigate_to("kitchen_table", **NAV),
        lambda: ports.perception.detect("red_cup"),
        lambda: ports.navigation.navigate_to("red_cup", **NAV),
        lambda: ports.manipulation.pick("red_cup"),
    )
    assert ports.state.holding() == "red_cup"
    # the cup rides with the gripper
    assert np.allclose(
        world.fk(), [world.objects["red_cup"].x, world.objects["red_cup"].y, world.objects["red_cup"].z]
    )
    succeed(
        world,
        lambda: ports.navigation.navigate_to("sink", **NAV),
        lambda: ports.manipulation.place("sink", relation="in"),
    )
    assert world.holding() is None
    assert world.state_digest()["objects"]["red_cup"][:2] == ["sink", "in"]
    assert ports.state.location_of("red_cup") == "sink"


def test_fridge_must_be_opened_before_picking_the_apple(make, drive):
    world, ports = make()
    drive(world, ports.navigation.navigate_to("fridge", **NAV))
    h = ports.manipulation.pick("apple")
    drive(world, h)
    assert h.result.reason is Reason.CONTAINER_CLOSED
    assert not ports.state.is_visible("apple")
    h = ports.manipulation.open("fridge")
    drive(world, h)
    assert h.status is ActionStatus.SUCCEEDED and world.is_open("fridge")
    assert ports.state.is_visible("apple")
    h = ports.manipulation.pick("apple")
    drive(world, h)
    assert h.status is ActionStatus.SUCCEEDED and world.holding() == "apple"
    h = ports.manipulation.pick("milk")
    drive(world, h)
    assert h.result.reason is Reason.HAND_OCCUPIED


def test_manipulation_preconditions(make, drive):
    world, ports = make()
    cases = [
        (ports.manipulation.pick("red_cup"), Reason.NOT_REACHABLE),  # still in the living room
        (ports.manipulation.place("sink"), Reason.NOT_HOLDING),
        (ports.manipulation.open("kitchen_table"), Reason.INVALID_TARGET),
        (ports.manipulation.toggle("sofa", True), Reason.INVALID_TARGET),
        (ports.manipulation.wipe("tv"), Reason.INVALID_TARGET),
        (ports.manipulation.give("person"), Reason.NOT_HOLDING),
        (ports.navigation.navigate_to("unicorn", **NAV), Reason.NAV_GOAL_INVALID),
        (ports.perception.detect("unicorn"), Reason.NOT_FOUND),
    ]
    for h, _ in cases:
        drive(world, h)
    assert [h.result.reason for h, _ in cases] == [r for _, r in cases]


def test_switch_wipe_and_give(make, succeed):
    world, ports = make()
    world.fixtures["coffee_table"].dirty = True
    succeed(
        world,
        lambda: ports.navigation.navigate_to("tv", **NAV),
        lambda: ports.manipulation.toggle("tv", True),
        lambda: ports.navigation.navigate_to("red_cube", **NAV),
        lambda: ports.manipulation.wipe("coffee_table"),
        lambda: ports.manipulation.pick("red_cube"),
        lambda: ports.navigation.navigate_to("person", **NAV),
        lambda: ports.manipulation.give("person"),
        lambda: ports.speech.say("here is your red cube"),
    )
    assert world.is_on("tv") and not world.fixtures["coffee_table"].dirty
    assert world.objects["red_cube"].location == "person"
    assert any(e.kind == "say" and e.detail["text"] == "here is your red cube" for e in world.events)


def test_pour_from_bottle_into_cup(make, succeed):
    world, ports = make()
    succeed(
        world,
        lambda: ports.navigation.navigate_to("blue_bottle", **NAV),
        lambda: ports.manipulation.pick("blue_bottle"),
        lambda: ports.navigation.navigate_to("red_cup", **NAV),
        lambda: ports.manipulation.pour("red_cup"),
    )
    assert world.objects["red_cup"].level == 1.0 and world.objects["blue_bottle"].level == 0.0


def test_cancel_stops_motion(make):
    world, ports = make()
    h = ports.navigation.navigate_to("bed", **NAV)
    world.run(30)
    h.cancel()
    assert h.status is ActionStatus.CANCELLED and h.result.reason is Reason.CANCELLED
    pose = (world.x, world.y)
    world.run(10)
    assert (world.x, world.y) == pose and world.v == 0.0


def test_camera_sees_red_cup_under_the_gripper(make, drive):
    world, ports = make()
    drive(world, ports.navigation.navigate_to("red_cup", **NAV))
    cup = world.objects["red_cup"]
    motion = ports.motion
    assert motion.command_ee_target((cup.x, cup.y, cup.z + 0.2))
    world.run(40)
    assert math.hypot(world.fk()[0] - cup.x, world.fk()[1] - cup.y) < 0.05
    img = ports.camera.image()
    assert img.shape == (96, 96, 3) and img.dtype == np.uint8
    centre = img[38:58, 38:58].astype(int)
    red = (centre[..., 0] > 180) & (centre[..., 1] < 80) & (centre[..., 2] < 80)
    assert red.sum() >= 30
    # deterministic
    assert np.array_equal(img, ports.camera.image())
    # and elsewhere (over the floor of the living room) there is no red
    _world2, ports2 = make()
    img2 = ports2.camera.image()
    assert not ((img2[..., 0] > 180) & (img2[..., 1] < 80) & (img2[..., 2] < 80)).any()


class RejectAll:
    """A motion port that refuses every command, like a gate with a latched e-stop."""

    def __init__(self, inner: Actuators) -> None:
        self.inner = inner
        self.stops = 0

    def command_base(self, linear, angular):
        return False

    def command_arm(self, joint_velocities):
        return False

    def command_torques(self, torques):
        return False

    def command_ee_target(self, position):
        return False

    def stop(self):
        self.stops += 1
        self.inner.stop()

    def current_limits(self):
        return DEFAULT_LIMITS

    @property
    def last_rejection(self):
        return Reason.ESTOP


def test_rejecting_motion_port_fails_navigation_and_nothing_moves(make, drive):
    world, ports = make(motion_wrapper=RejectAll)
    before = world.state_digest()
    h = ports.navigation.navigate_to("kitchen_table", **NAV)
    drive(world, h)
    assert h.status is ActionStatus.FAILED and h.result.reason is Reason.ESTOP
    assert ports.motion.stops >= 1
    after = world.state_digest()
    assert after["robot"] == before["robot"] and after["arm"] == before["arm"]


class TorqueGate:
    """Just the torque check of a safety gate."""

    def __init__(self, inner: Actuators) -> None:
        self.inner = inner
        self.max_torque_seen = 0.0
        self._last = Reason.NONE

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def command_torques(self, torques):
        self.max_torque_seen = max(self.max_torque_seen, max(abs(t) for t in torques))
        if max(abs(t) for t in torques) > DEFAULT_LIMITS.torque:
            self._last = Reason.SAFETY_TORQUE
            self.inner.stop()
            return False
        return self.inner.command_torques(torques)

    @property
    def last_rejection(self):
        return self._last


def test_dumbbell_lift_exceeds_the_torque_limit(make, drive):
    world, ports = make()
    drive(world, ports.navigation.navigate_to("dumbbell", **NAV))
    h = ports.manipulation.pick("dumbbell")
    drive(world, h)
    assert h.status is ActionStatus.SUCCEEDED  # raw actuators do not check
    assert world.torques.max() > 100.0

    world, ports = make(motion_wrapper=TorqueGate)
    drive(world, ports.navigation.navigate_to("dumbbell", **NAV))
    h = ports.manipulation.pick("dumbbell")
    drive(world, h)
    assert h.result.reason is Reason.SAFETY_TORQUE
    assert ports.motion.max_torque_seen > 100.0
    assert world.holding() is None and world.objects["dumbbell"].location == "desk"
    # a light object is fine through the same gate
    drive(world, ports.navigation.navigate_to("phone", **NAV))
    h = ports.manipulation.pick("phone")
    drive(world, h)
    assert h.status is ActionStatus.SUCCEEDED, h.result


def test_world_rejects_bad_dt(scene):
    import pytest

    with pytest.raises(ValueError, match="dt"):
        SimWorld(scene, dt=0.0)
    world = SimWorld(scene)
    assert not Actuators(world).command_base(float("nan"), 0.0)
    assert not Actuators(world).command_arm([0.0])
    SimRobot(world, Actuators(world))


def test_put_down_on_the_floor_frees_the_hand(make, drive, succeed):
    world, ports = make()
    succeed(
        world,
        lambda: ports.navigation.navigate_to("red_cup", **NAV),
        lambda: ports.manipulation.pick("red_cup"),
        lambda: ports.manipulation.place("floor"),
    )
    assert world.holding() is None
    assert world.objects["red_cup"].location == "floor"
    assert ports.state.location_of("red_cup") == "kitchen"
    h = ports.manipulation.pick("red_cup")
    drive(world, h)
    assert h.status is ActionStatus.SUCCEEDED, h.result
