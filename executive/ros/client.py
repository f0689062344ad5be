"""A small ``ExecuteInstruction`` client (there is no ``ros2`` CLI with the PyPI wheels).

``python -m executive.ros.client "bring the red cup from the table to the sink" [--json]``
sends one goal, prints feedback lines and the result, and exits with the CLI's exit codes.
:class:`InstructionClient` is what the tests and ``tools/ros_stress.py`` use: every wait is
bounded.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from executive.outcome import EXIT_CODES
from executive.ros import protocol as proto


@dataclass
class GoalRecord:
    instruction: str
    sent_at: float
    accepted: bool | None = None
    handle: Any = None
    feedback: list[dict[str, Any]] = field(default_factory=list)
    result: dict[str, Any] | None = None
    status: int | None = None
    done: threading.Event = field(default_factory=threading.Event)
    cancel_sent_at: float | None = None


class InstructionClient:
    def __init__(self, node: Any, action: str = proto.ACTION_EXECUTE) -> None:
        from executive_interfaces.action import ExecuteInstruction
        from rclpy.action import ActionClient

        self.node = node
        self._EI = ExecuteInstruction
        self.client = ActionClient(node, ExecuteInstruction, action)

    def wait_for_server(self, timeout: float) -> bool:
        return self.client.wait_for_server(timeout_sec=timeout)

    def send(self, instruction: str, plan: str = "", seed: int = 0) -> GoalRecord:
        rec = GoalRecord(instruction, time.monotonic())
        goal = self._EI.Goal(instruction=instruction, plan=plan, seed=seed)

        def on_feedback(msg: Any) -> None:
            f = msg.feedback
            rec.feedback.append({k: getattr(f, k) for k in f.get_fields_and_field_types()})

        def on_result(fut: Any) -> None:
            try:
                wrapped = fut.result()
                r = wrapped.result
                rec.status = wrapped.status
                rec.result = {k: getattr(r, k) for k in r.get_fields_and_field_types()}
            except Exception as e:
                rec.result = {"outcome": "error", "message": repr(e)}
            rec.done.set()

        def on_goal(fut: Any) -> None:
            try:
                h = fut.result()
            except Exception as e:
                rec.accepted = False
                rec.result = {"outcome": "error", "message": repr(e)}
                rec.done.set()
                return
            rec.handle = h
            rec.accepted = bool(h.accepted)
            if not h.accepted:
                rec.done.set()
                return
            h.get_result_async().add_done_callback(on_result)

        self.client.send_goal_async(goal, feedback_callback=on_feedback).add_done_callback(on_goal)
        return rec

    def cancel(self, rec: GoalRecord, timeout: float = 2.0) -> bool:
        end = time.monotonic() + timeout
        while rec.accepted is None and time.monotonic() < end:
            time.sleep(0.005)
        if not rec.accepted or rec.handle is None:
            return False
        rec.cancel_sent_at = time.monotonic()
        rec.handle.cancel_goal_async()
        return True

    def destroy(self) -> None:
        self.client.destroy()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m executive.ros.client", description=__doc__.splitlines()[0])
    ap.add_argument("instruction", nargs="?", default="")
    ap.add_argument("--plan", default="")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--json", action="store_true", help="last stdout line: the CLI's JSON outcome")
    args = ap.parse_args(argv)
    from executive.ros import ros_unavailable_reason

    if (why := ros_unavailable_reason()) is not None:
        print(f"client: {why}", file=sys.stderr)
        return 2
    import rclpy
    from rclpy.executors import MultiThreadedExecutor

    rclpy.init()
    node = rclpy.create_node("executive_client")
    ex = MultiThreadedExecutor(num_threads=2)
    ex.add_node(node)
    threading.Thread(target=ex.spin, daemon=True).start()
    try:
        c = InstructionClient(node)
        if not c.wait_for_server(10.0):
            print("client: no ExecuteInstruction server", file=sys.stderr)
            return 2
        rec = c.send(args.instruction, args.plan, args.seed)
        seen = 0
        end = time.monotonic() + args.timeout
        while not rec.done.wait(0.1) and time.monotonic() < end:
            for f in rec.feedback[seen:]:
                print(f"feedback: [{f['step_index']}/{f['step_count']} {f['progress']:.0%}] "
                      f"{f['current_step']} | {f['status']} | {f['active_path']}", flush=True)
            seen = len(rec.feedback)
        if rec.accepted is False:
            print("client: goal rejected", file=sys.stderr)
            return 2
        if rec.result is None:
            print("client: no result in time", file=sys.stderr)
            return 1
        r = rec.result
        if args.json:
            print(r["outcome_json"] or json.dumps(r))
        else:
            print(f"{r['outcome']} ({r['reason_code']}): {r['message']}  [ticks={r['ticks']}]")
        return EXIT_CODES.get(r["outcome"], 1)
    finally:
        ex.shutdown(timeout_sec=1.0)
        node.destroy_node()
        rclpy.try_shutdown()


if __name__ == "__main__":
    sys.exit(main())
