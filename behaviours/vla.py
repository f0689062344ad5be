"""The VLA leaf: a vision-language-action policy does the fine phase of a manipulation.

One :class:`VLAPolicy` runs a policy with an instruction until a success condition read through
the state port holds (``pick``: the object is held; ``place``: it is on/in the fixture; ``wipe``:
the surface is no longer dirty) or its time limit passes. It never blocks a
tick (docs/DESIGN.md "The action life cycle"):

``initialise()``
    resolve the engine (one rule, loaded once per process: :mod:`behaviours.vla_engine`; the
    world, ``ctx.extras["world"]`` as the runtime sets it, picks the reference card), build the
    :class:`~inference.runner.ChunkRunner` (``inline`` in lockstep, ``async`` in real time) and
    the :class:`~inference.safety_chain.SafetyChain` from the model card, start a ``detect``
    through the perception port for the object's believed position.
``update()``
    phases ``look``, ``reach``, ``ready`` (:mod:`behaviours.vla_approach`): find the target,
    bring the base within the arm's reach and the hand over the target; phase ``policy``:
    build an :class:`~inference.contract.Observation` (camera frame, instruction,
    proprioception: believed target minus end effector, gripper closed, holding), submit it,
    take the runner's action for *now*, pass it through the safety chain (finite → bounds →
    workspace → rate → staleness → confidence) and turn it into ``command_ee_target(ee + d)``
    and ``command_gripper``. Every rejection is counted and recorded (``ctx.record``). In
    ``async`` mode the runner's chunks are anchored at the observation-time end effector
    (:class:`AnchoredEngine`: absolute targets), and ``d`` is the served target minus the ee
    now, so a chunk that lands after the arm moved on still aims where the policy meant; and
    each request is conditioned on the pose the plan will have reached when the answer lands
    (the runner's latency ``forecast``), so the new chunk continues the executed one.
``terminate()``
    stop the runner, cancel the detection, stop the motion unless it succeeded.

Failure reasons: ``VLA_STALE``, ``VLA_LOW_CONFIDENCE``, ``VLA_INVALID_ACTION``,
``VLA_ENGINE_ERROR``, ``VLA_TIMEOUT`` (and the perception/grasp cause where that is lower).
The leaf is ``actuating``: the validator demands a guard above it, and every command still goes
through the safety gate.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import py_trees

from behaviours.base import need_text
from behaviours.ports import ActionHandle, ActionStatus
from behaviours.reasons import Reason
from behaviours.vla_approach import (
    READY_BACK,
    READY_HEIGHT,
    READY_MAX_TICKS,
    READY_RADIUS,
    VLAApproach,
)
from behaviours.vla_engine import _WARM, SETTINGS, engine_info, resolve_engine
from inference.encoding import TASKS, AnchoredEngine, instruction_for, make_state

Status = py_trees.common.Status

#: The ready phase's geometry stays importable here for reference_training/mujoco_pick.py,
#: which replays it; its home is behaviours/vla_approach.py.
__all__ = ["READY_BACK", "READY_HEIGHT", "READY_MAX_TICKS", "READY_RADIUS", "VLAPolicy"]

LIFT_HEIGHT = 0.12  # m, lift after a successful grasp
GRASP_GIVE_UP_S = 1.5  # gripper closed without holding for this long: the grasp failed
INVALID_LIMIT = 3  # consecutive rejected actions before the leaf fails
#: Async: ask for the next chunk while 3/4 of the current one are left (with the latency
#: forecast, fresher chunks pay: ``tools/bench_vla_tasks.py --threshold``).
ASYNC_QUEUE_THRESHOLD = 0.75


class VLAPolicy(VLAApproach):
    """Run a VLA policy until the task's success condition or the time limit."""

    actuating = True

    def __init__(
        self,
        name: str,
        entity: str,
        task: str = "pick",
        instruction: str | None = None,
        time_limit: float = 20.0,
        min_confidence: float | None = None,
        relation: str = "on",
        **ports: Any,
    ) -> None:
        super().__init__(name, **ports)  # ports: behaviour_class_name, from py_trees' XML parser
        if isinstance(time_limit, str):  # XML attributes arrive as text
            time_limit = float(time_limit)
        if isinstance(min_confidence, str):
            min_confidence = float(min_confidence) if min_confidence.strip() else None
        self.entity = entity  # pick: the object; place: the fixture to put the held object on/in;
        # wipe: the surface to wipe clean
        self.task = task
        self.relation = relation
        self._explicit_instruction = bool(instruction)
        self.instruction = instruction or instruction_for(task, entity, relation=relation)
        self.time_limit = time_limit
        self.min_confidence = min_confidence
        self._engine_kw: Any = None
        self._mode_kw: str | None = None
        self.engine: Any = None
        self.runner: Any = None
        self.chain: Any = None
        self.counts: dict[str, int] = {}
        self.trace: list[tuple[float, tuple[float, ...]]] = []
        self._reset_episode()

    # -- py_trees lifecycle -------------------------------------------------------------
    def setup(self, **kwargs: Any) -> None:
        super().setup(**kwargs)
        if "vla_engine" in kwargs:
            self._engine_kw = kwargs["vla_engine"]
        if kwargs.get("vla_mode"):
            self._mode_kw = kwargs["vla_mode"]
        if SETTINGS.warmup and self._ctx is not None:
            self._warm_up(self._ctx)

    def _warm_up(self, ctx: Any) -> None:
        """Real time only (lockstep has no deadline): the engine, its first inference, the
        runner's code paths and the camera's first frame, here and not at the tick the policy
        starts (they cost 45-90 ms there). Once per engine per process; never raises (a broken
        engine fails the leaf in initialise(), as before). An engine handed to setup() itself
        (``vla_engine=``) is the caller's and is not run here: tests hand in recording fakes."""
        mode = self._mode_kw or ctx.extras.get("vla_mode") or SETTINGS.mode
        if mode != "async":
            return
        try:
            from inference.runner import ChunkRunner

            engine = None if self._engine_kw is not None else resolve_engine(None, ctx.extras.get("world"))
            if engine is not None and id(engine) not in _WARM:
                _WARM[id(engine)] = ChunkRunner.warm_up(engine, self.instruction)
            cam = ctx.ports.camera
            if cam is not None:
                cam.image()  # the first frame rasterises and caches the static background
        except Exception as e:
            ctx.record("vla_warmup_failed", self.name, error=f"{type(e).__name__}: {e}")

    def params(self) -> dict[str, Any]:
        out = {"entity": self.entity, "task": self.task, "instruction": self.instruction,
               "time_limit": self.time_limit}
        if self.task == "place":
            out["relation"] = self.relation
        return out

    def check_params(self) -> list[str]:
        errs = need_text(self.entity, "entity") + need_text(self.instruction, "instruction")
        if self.task not in TASKS:
            errs.append(f"task must be one of {', '.join(TASKS)}, got {self.task!r}")
        if self.relation not in ("on", "in"):
            errs.append(f"relation must be 'on' or 'in', got {self.relation!r}")
        try:
            ok = 0 < float(self.time_limit) <= 600
        except (TypeError, ValueError):
            ok = False
        if not ok:
            errs.append(f"time_limit must be within (0, 600] s, got {self.time_limit!r}")
        return errs

    def _reset_episode(self) -> None:
        self.phase = "look"
        self._detect: ActionHandle | None = None
        self._target: tuple[float, float, float] | None = None
        self._gripper_closed = False
        self._closed_since: float | None = None
        self._invalid_run = 0
        self._errors_seen = 0
        self._start = 0.0
        self._reach_stuck = 0
        self._ready_ticks = 0
        self._last_pose: tuple[float, float, float] | None = None
        self._start_error = ""
        self._anchored = False
        self._held: str | None = None
        self._start_reason = Reason.PORT_ERROR

    def initialise(self) -> None:
        from inference.runner import ChunkRunner
        from inference.safety_chain import SafetyChain, SafetyConfig

        ctx = self.ctx
        self.reason = Reason.NONE
        self.feedback_message = ""
        self._reset_episode()
        self._start = ctx.now()
        self.counts = dict.fromkeys(
            ("observations", "actions", "commands", "rejected", "modified", "stale", "low_confidence",
             "invalid", "engine_errors"), 0)
        self.runner = self.chain = None
        try:
            self.engine = resolve_engine(self._engine_kw, ctx.extras.get("world"))
        except Exception as e:  # a broken model must fail the leaf, never the tick loop
            self.engine = None
            self._start_error = f"{type(e).__name__}: {e}"
            return
        if self.engine is None:
            self._start_error = "no inference engine (scripted primitives only)"
            return
        ctx.record("engine", self.name, **engine_info(self.engine))
        mode = self._mode_kw or ctx.extras.get("vla_mode") or SETTINGS.mode
        card = self.engine.card
        # async: chunks arrive late, so they are anchored at the observation-time ee (absolute
        # targets); inline (lockstep) answers at once and keeps the per-step deltas.
        self._anchored = mode == "async"
        runner_engine = AnchoredEngine(self.engine, self._obs_ee) if self._anchored else self.engine
        self.runner = ChunkRunner(runner_engine, ctx.clock, mode=mode,
                                  staleness_deadline=SETTINGS.staleness_deadline,
                                  blend_steps=0, queue_threshold=ASYNC_QUEUE_THRESHOLD,
                                  forecast=self._forecast if self._anchored and SETTINGS.forecast else None,
                                  worker_init=ctx.extras.get("helper_thread_init"))
        rate = np.array([0.04, 0.04, 0.04, 1.0], np.float32)[: card.outputs.action.dim]
        min_conf = SETTINGS.min_confidence if self.min_confidence is None else self.min_confidence
        cfg = SafetyConfig.from_card(card, max_rate=rate, workspace=self._workspace,
                                     max_age=max(0.3, 3 * card.action_period),
                                     min_confidence=float(min_conf))
        self.chain = SafetyChain(cfg)
        if self.task == "place":
            self._held = ctx.ports.state.holding()
            if self._held is None:
                self._start_error, self._start_reason = "not holding anything to place", Reason.NOT_HOLDING
                return
            self._gripper_closed = True
            if not self._explicit_instruction:
                self.instruction = instruction_for("place", self.entity, self._held, self.relation)
        try:
            self._detect = ctx.ports.perception.detect(self.entity)
        except Exception as e:
            self._start_error = f"{type(e).__name__}: {e}"

    def _forecast(self, obs: Any, planned: np.ndarray, arrival: float) -> Any:
        """The observation as the robot will be when the chunk lands (runner ``forecast``):
        ``planned`` is the anchored plan's last target before then (x, y, z, gripper)."""
        from dataclasses import replace

        assert self._target is not None
        state = np.array(obs.state, np.float32, copy=True)
        state[:3] = np.asarray(self._target, np.float64) - np.asarray(planned[:3], np.float64)
        if len(planned) > 3:
            state[3] = float(planned[3] > 0.5)
        return replace(obs, state=state, stamp=float(arrival))

    def _obs_ee(self, obs: Any) -> np.ndarray:
        """The end effector an observation was taken at: its state is believed target - ee."""
        assert self._target is not None
        return np.asarray(self._target, np.float64) - np.asarray(obs.state[:3], np.float64)

    def _workspace(self, actions: np.ndarray, states: np.ndarray | None) -> np.ndarray:
        """The end-effector target ``ee + action[:3]`` must lie inside the innermost limits."""
        lim = self.ctx.limits.current
        ee = np.zeros((len(actions), 3)) if states is None else states[:, :3]
        tgt = ee + actions[:, :3].astype(np.float64)
        x0, y0, x1, y1 = lim.workspace
        z0, z1 = lim.ee_height
        return (np.isfinite(tgt).all(axis=1) & (tgt[:, 0] >= x0) & (tgt[:, 0] <= x1)
                & (tgt[:, 1] >= y0) & (tgt[:, 1] <= y1) & (tgt[:, 2] >= z0) & (tgt[:, 2] <= z1))

    def update(self) -> Status:
        ctx = self.ctx
        if self.engine is None or self.runner is None:
            return self.fail(Reason.VLA_ENGINE_ERROR, self._start_error or "no engine")
        if self._start_error:
            return self.fail(self._start_reason, self._start_error)
        if self.phase == "policy" and ctx.now() - self._start > float(self.time_limit):
            return self._stop_fail(Reason.VLA_TIMEOUT, f"not done after {self.time_limit:g} s")
        if self.phase == "look":
            return self._look()
        if self.phase == "reach":
            return self._reach()
        if self.phase == "ready":
            return self._ready()
        return self._policy_tick()

    def terminate(self, new_status: Status) -> None:
        if self.runner is not None:
            self.runner.stop(timeout=0.0)  # never wait on a stalled engine in a tick
            if self._ctx is not None:
                self._ctx.record("vla_stats", self.name, status=new_status.value, **self.counts,
                                 runner={k: v for k, v in self.runner.stats().items()
                                         if isinstance(v, (int, float, str)) or v is None})
        h = self._detect
        if h is not None and h.status is ActionStatus.RUNNING:
            h.cancel()
        self._detect = None
        if new_status is not Status.SUCCESS and self._ctx is not None and self.phase != "look":
            self._ctx.ports.motion.stop()

    def _start_policy(self) -> Status:
        self._start = self.ctx.now()  # the time limit is the policy's; the guard covers the rest
        self.runner.reset()
        self.chain.reset()
        self.runner.start()
        return self._policy_tick()

    # -- the policy ---------------------------------------------------------------------
    def observation(self) -> Any:
        from inference.contract import Observation

        ctx = self.ctx
        ee = ctx.ports.state.ee_position()
        assert self._target is not None
        holding = ctx.ports.state.holding() is not None
        state = make_state(self._target, ee, self._gripper_closed, holding)
        cam = ctx.ports.camera
        img = cam.image() if cam is not None else None
        images = {}
        for spec in self.engine.card.inputs.images:
            images[spec.name] = img if img is not None else np.zeros((*spec.size, 3), np.uint8)
        return Observation(images=images, instruction=self.instruction, state=state,
                           stamp=ctx.now()), np.asarray(ee, np.float64)

    def _policy_tick(self) -> Status:
        ctx = self.ctx
        now = ctx.now()
        state = ctx.ports.state
        if state.holding() is not None and not self._hold_load():
            return self._stop_fail(ctx.ports.motion.last_rejection or Reason.PORT_ERROR,
                                   "the held load's torques were refused", release=True)
        done = self._succeeded()
        if not done and self.task == "place" and state.holding() is None:
            where = state.location_of(self._held) if self._held else None
            return self._stop_fail(Reason.PLACE_FAILED, f"released {self._held} off {self.entity} "
                                   f"(it is now at {where or 'an unknown place'})")
        if done:
            ee = state.ee_position()
            ctx.ports.motion.command_ee_target((ee[0], ee[1], ee[2] + LIFT_HEIGHT))
            self.feedback_message = f"{self.task} {self.entity}: done"
            ctx.record("vla_done", self.name, task=self.task, entity=self.entity,
                       t=round(now - self._start, 3))
            return Status.SUCCESS
        if self.task == "pick" and self._gripper_closed and state.holding() is None:
            self._closed_since = now if self._closed_since is None else self._closed_since
            if now - self._closed_since > GRASP_GIVE_UP_S and state.holding() is None:
                return self._stop_fail(Reason.GRASP_FAILED, f"the gripper closed on nothing "
                                       f"for {GRASP_GIVE_UP_S:g} s")
        else:
            self._closed_since = None
        obs, ee = self.observation()
        self.counts["observations"] += 1
        self.runner.submit(obs)
        served = self.runner.poll(now)
        errors = self.runner.errors
        if errors > self._errors_seen:
            self.counts["engine_errors"] += errors - self._errors_seen
            self._errors_seen = errors
            ctx.record("vla_engine_error", self.name, error=self.runner.last_error)
            if self.counts["engine_errors"] >= 3:
                return self._stop_fail(Reason.VLA_ENGINE_ERROR, str(self.runner.last_error))
        if served.fault is not None:
            self.counts["stale"] += 1
            ctx.record("vla_rejected", self.name, stage="runner", reason=served.fault)
            return self._stop_fail(Reason.VLA_STALE, f"no fresh action within "
                                   f"{self.runner.staleness_deadline:g} s")
        if served.action is None:
            self.feedback_message = "waiting for the policy"
            return Status.RUNNING
        self.counts["actions"] += 1
        action = served.action
        if self._anchored:  # an absolute target: the delta from where the arm is now
            action = np.concatenate([action[:3] - ee, action[3:]]).astype(np.float32)
        r = self.chain.check(action, now=now, stamp=served.stamp,
                             confidence=served.confidence, state=ee)
        if r.modified:
            self.counts["modified"] += 1
        if not r.ok:
            self.counts["rejected"] += 1
            ctx.record("vla_rejected", self.name, stage=r.stage, reason=r.reason,
                       confidence=round(float(served.confidence), 4))
            ctx.ports.motion.stop()
            if r.reason == "VLA_LOW_CONFIDENCE":
                self.counts["low_confidence"] += 1
                return self._stop_fail(Reason.VLA_LOW_CONFIDENCE,
                                       f"confidence {served.confidence:.2f} below the threshold")
            if r.reason == "VLA_STALE":
                self.counts["stale"] += 1
                return self._stop_fail(Reason.VLA_STALE, r.message)
            self.counts["invalid"] += 1
            self._invalid_run += 1
            if self._invalid_run >= INVALID_LIMIT:
                return self._stop_fail(Reason.VLA_INVALID_ACTION,
                                       f"{self._invalid_run} invalid actions in a row ({r.stage})")
            return Status.RUNNING
        self._invalid_run = 0
        a = r.action
        target = (float(ee[0] + a[0]), float(ee[1] + a[1]), float(ee[2] + a[2]))
        motion = ctx.ports.motion
        if not motion.command_ee_target(target):
            return self._stop_fail(motion.last_rejection or Reason.PORT_ERROR, "ee target refused")
        self.counts["commands"] += 1
        want_closed = bool(a[3] > 0.5) if len(a) > 3 else self._gripper_closed
        if want_closed != self._gripper_closed:
            if not motion.command_gripper(want_closed):
                return self._stop_fail(motion.last_rejection or Reason.PORT_ERROR, "gripper refused")
            self._gripper_closed = want_closed
            self.counts["commands"] += 1
        self.trace.append((round(now, 6), tuple(round(float(v), 6) for v in a)))
        self.feedback_message = f"{self.task} {self.entity}: policy running"
        return Status.RUNNING

    def _succeeded(self) -> bool:
        state = self.ctx.ports.state
        if self.task == "pick":
            return state.holding() == self.entity
        if self.task == "place":
            return (self._held is not None and state.holding() is None
                    and state.location_of(self._held) == self.entity)
        if self.task == "wipe":
            return not state.is_dirty(self.entity)
        return False

    def _hold_load(self) -> bool:
        """While holding, command the backend's gravity torques for the load through the gate
        (so a too-heavy object trips the torque limit, as with the scripted pick)."""
        return bool(self.ctx.ports.motion.command_torques(self.ctx.ports.state.holding_torques()))
