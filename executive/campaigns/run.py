"""Run a campaign's episodes as Ray tasks, streaming each result to the store as it ends.

Why Ray: the same code runs on this laptop (``ray.init()`` starts a local cluster with one
worker per core) and on a fleet (``--address HOST:PORT`` of an existing cluster) with no change;
tasks are retried if a worker dies, and results come back in completion order so nothing
waits for the slowest episode. Episodes are deterministic (seeded, lockstep), so which worker
ran one, and how many workers there were, does not change its outcome or its trace.

``backend="serial"`` runs the same episodes in this process, one after another (no Ray): the
reference the distributed runs are compared with, and a way to run where Ray is not installed.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from executive.campaigns.episode import run_episode
from executive.campaigns.matrix import EpisodeSpec, Matrix
from executive.campaigns.store import ResultStore


class CampaignError(RuntimeError):
    """The campaign cannot run (Ray missing or unreachable, results folder in use)."""


def _progress(done: int, total: int, t0: float, quiet: bool, last: list[float]) -> None:
    now = time.perf_counter()
    if quiet or (now - last[0] < 2.0 and done != total):
        return
    last[0] = now
    rate = done / max(1e-9, now - t0) * 60
    print(f"campaign: {done}/{total} episodes, {rate:.0f}/min", file=sys.stderr, flush=True)


def run_campaign(
    matrix: Matrix,
    out_dir: str | Path,
    *,
    resume: bool = False,
    address: str | None = None,
    workers: int | None = None,
    backend: str = "ray",
    keep_logs: str = "failures",
    quiet: bool = False,
    on_row: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Run every episode of ``matrix`` not yet in ``out_dir``'s results; return run figures."""
    store = ResultStore(out_dir)
    done = store.done() if resume else set()
    try:
        store.open(resume=resume)
    except FileExistsError as e:
        raise CampaignError(str(e)) from None
    specs = [s for s in matrix.episodes() if s.id not in done]
    log_dir = store.dir / "logs"
    store.write_meta(
        {
            "matrix": matrix.describe(),
            "backend": backend,
            "address": address,
            "workers": workers,
            "keep_logs": keep_logs,
            "resumed": resume,
            "already_done": len(done),
        }
    )
    t0 = time.perf_counter()
    n = 0
    last = [0.0]
    try:
        if backend == "serial":
            for spec in specs:
                row = run_episode(spec, log_dir=log_dir, keep_logs=keep_logs)
                store.append(row)
                n += 1
                if on_row:
                    on_row(row)
                _progress(n, len(specs), t0, quiet, last)
        elif backend == "ray":
            n = _run_ray(specs, store, log_dir, keep_logs, address, workers, quiet, on_row, t0, last)
        else:
            raise CampaignError(f"unknown campaign backend {backend!r} (ray or serial)")
    finally:
        store.close()
    wall = time.perf_counter() - t0
    return {
        "ran": n,
        "skipped_already_done": len(done),
        "wall_s": round(wall, 2),
        "episodes_per_minute": round(n / wall * 60, 1) if wall > 0 else None,
    }


def _run_ray(
    specs: list[EpisodeSpec],
    store: ResultStore,
    log_dir: Path,
    keep_logs: str,
    address: str | None,
    workers: int | None,
    quiet: bool,
    on_row: Callable[[dict[str, Any]], None] | None,
    t0: float,
    last: list[float],
) -> int:
    try:
        import ray
    except ImportError:
        raise CampaignError(
            "Ray is not installed: pip install 'bt-executive[campaign]' (or run with --backend serial)"
        ) from None
    init: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
    if address:
        init["address"] = address
    else:
        init["num_cpus"] = workers or os.cpu_count() or 1
        # the workers import this checkout the way the driver does
        init["runtime_env"] = {
            "env_vars": {
                "PYTHONPATH": os.pathsep.join(p for p in (os.environ.get("PYTHONPATH", ""), os.getcwd()) if p)
            }
        }
    started_here = not ray.is_initialized()
    try:
        if started_here:
            ray.init(**init)
    except Exception as e:
        raise CampaignError(
            f"cannot start or reach Ray ({address or 'local'}): {type(e).__name__}: {e}"
        ) from None
    try:
        remote = ray.remote(num_cpus=1, max_retries=2)(run_episode)
        window = max(2, int(ray.cluster_resources().get("CPU", 1)) * 2)  # backpressure for 10^5 episodes
        pending: list[Any] = []
        queue = deque(specs)
        n = 0
        while queue or pending:
            while queue and len(pending) < window:
                pending.append(remote.remote(queue.popleft(), log_dir=str(log_dir), keep_logs=keep_logs))
            ready, pending = ray.wait(pending, num_returns=1)
            for ref in ready:
                row = ray.get(ref)
                store.append(row)
                n += 1
                if on_row:
                    on_row(row)
                _progress(n, len(specs), t0, quiet, last)
        return n
    finally:
        if started_here:
            ray.shutdown()
