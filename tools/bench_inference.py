#!/usr/bin/env python3
"""Benchmark the VLA policy on every backend available here; print one JSON object.

    python tools/bench_inference.py [--model PATH] [--iters N] [--threads N]

``--model`` defaults to ``inference/models/reference/model.onnx`` when it exists, else a tiny
generated model (with an INT8 variant) in a temporary directory. Reports latency
mean/p50/p95/p99 per backend (ONNX Runtime; its INT8 variant when the card names one; torch
eager when torch is installed and a torch twin exists: the tiny model, or the card's ``torch``
variant), throughput at concurrency 1/2/4/8 threads sharing one ORT session, process memory
and a real-time rating: reflex (p99 < 10 ms), reaction (< 50 ms), else deliberative.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inference import Observation, load_engine  # noqa: E402
from inference.card import card_path_for, load_card  # noqa: E402
from inference.reference import REFERENCE_MODEL  # noqa: E402

DEFAULT_MODEL = REFERENCE_MODEL


def rating(p99_s: float) -> str:
    if p99_s < 0.010:
        return "reflex"
    if p99_s < 0.050:
        return "reaction"
    return "deliberative"


def observation_for(card, rng: np.random.Generator, stamp: float = 0.0) -> Observation:
    images = {im.name: rng.integers(0, 256, (*im.size, 3), dtype=np.uint8) for im in card.inputs.images}
    return Observation(
        images=images,
        instruction="bring me the red cup from the kitchen",
        state=rng.normal(0, 0.3, card.inputs.state.dim).astype(np.float32),
        stamp=stamp,
    )


def latency(engine, obs: Observation, iters: int, warmup: int) -> dict:
    for _ in range(warmup):
        engine.infer(obs)
    t = np.empty(iters)
    for i in range(iters):
        t0 = time.perf_counter()
        engine.infer(obs)
        t[i] = time.perf_counter() - t0
    p50, p95, p99 = np.percentile(t, [50, 95, 99])
    return {
        "engine": engine.name,
        "provider": engine.provider,
        "iters": iters,
        "mean_ms": round(1e3 * float(t.mean()), 4),
        "p50_ms": round(1e3 * float(p50), 4),
        "p95_ms": round(1e3 * float(p95), 4),
        "p99_ms": round(1e3 * float(p99), 4),
        "rating": rating(float(p99)),
    }


def throughput(engine, obs: Observation, threads: int, seconds: float) -> dict:
    counts = [0] * threads
    stop = threading.Event()

    def work(k: int) -> None:
        while not stop.is_set():
            engine.infer(obs)
            counts[k] += 1

    pool = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    t0 = time.perf_counter()
    for th in pool:
        th.start()
    time.sleep(seconds)
    stop.set()
    for th in pool:
        th.join()
    dt = time.perf_counter() - t0
    return {"threads": threads, "inferences": sum(counts), "per_s": round(sum(counts) / dt, 1)}


def rss_mb() -> dict:
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    out = {"peak_rss_mb": round(peak_kb / 1024, 1)}
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    out["rss_mb"] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", type=Path, default=None)
    p.add_argument("--iters", type=int, default=300)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--threads", type=int, default=None, help="ORT intra-op threads")
    p.add_argument("--seconds", type=float, default=1.0, help="per concurrency level")
    p.add_argument("--concurrency", default="1,2,4,8")
    a = p.parse_args(argv)

    tmp = None
    tiny = False
    model = a.model or (DEFAULT_MODEL if DEFAULT_MODEL.exists() else None)
    if model is None:
        from inference.tiny import write_tiny_model

        tmp = tempfile.TemporaryDirectory()
        model = write_tiny_model(tmp.name, int8=True)
        tiny = True
    card = load_card(card_path_for(model))
    rng = np.random.default_rng(0)
    obs = observation_for(card, rng)
    result: dict = {
        "model": str(model) if not tiny else "tiny generated model (inference.tiny)",
        "card": f"{card.name}@{card.version}",
        "host": {"machine": platform.machine(), "cpus": os.cpu_count(), "python": platform.python_version()},
        "latency": {},
    }
    opts = {"intra_op_threads": a.threads} if a.threads else {}
    ort_engine = load_engine(model, backend="onnxruntime", **opts)
    result["latency"]["onnxruntime"] = latency(ort_engine, obs, a.iters, a.warmup)
    if "int8" in card.variants:
        int8 = load_engine(model, backend="onnxruntime", variant="int8", **opts)
        result["latency"]["onnxruntime-int8"] = latency(int8, obs, a.iters, a.warmup)
    if importlib.util.find_spec("torch") is not None:
        if tiny:
            from inference.backends.torch_backend import TorchEngine
            from inference.tiny import tiny_torch_module

            result["latency"]["torch-eager"] = latency(TorchEngine(card, tiny_torch_module()), obs,
                                                       a.iters, a.warmup)
        elif "torch" in card.variants:  # the shipped PyTorch twin of the ONNX model
            twin = load_engine(model, backend="torch", threads=a.threads or None)
            result["latency"]["torch-eager"] = latency(twin, obs, a.iters, a.warmup)
        else:
            result["latency"]["torch-eager"] = {"skipped": "the card names no 'torch' variant (twin)"}
    else:
        result["latency"]["torch-eager"] = {"skipped": "torch not installed"}
    result["latency"]["tensorrt"] = {
        "skipped": "TensorRT not installed"
        if importlib.util.find_spec("tensorrt") is None
        else "no engine file (tools/build_engine.py)"
    }
    result["throughput_onnxruntime"] = [
        throughput(ort_engine, obs, int(n), a.seconds) for n in a.concurrency.split(",")
    ]
    result["memory"] = rss_mb()
    print(json.dumps(result, indent=2))
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
