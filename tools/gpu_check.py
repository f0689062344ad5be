#!/usr/bin/env python3
"""One script that proves the TensorRT backend on its first GPU (TensorRT 10 or 11, H100/H200).

    python tools/gpu_check.py --dry-run        # what it would run here, and why parts are skipped
    python tools/gpu_check.py --out gpu.json   # the real check (under 10 minutes on an H200)

It prints one JSON object: versions (TensorRT, driver, CUDA, torch, ONNX Runtime); engine builds
of the tiny and the reference models at batch profiles (1,1,1) and (1,2,8); 50 observations
compared with ONNX Runtime (actions and confidence) for FP32, FP16 (TensorRT 10 builder flag),
strongly typed and the Q/DQ INT8 variant; the error paths (minimum batch 2, static batch 4,
corrupt engine, a card output that is an engine input, a profile that misses an input, a CUDA
device that does not exist) each of which must be a clear ModelLoadError / ProfileError /
BackendUnavailable; 200 inferences through ChunkRunner in async mode with p50 / p99; TensorRT
÷ torch eager latency on the same reference model; a CUDA graph around the engine call,
measured against plain enqueues. Every part says ``ok``, ``failed`` (with the error) or
``skipped`` (with the reason). Exit 0 when no part failed.

This has never run: no machine of this project can install TensorRT (see the README).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from a checkout

from inference.build import ProfileError, build_engine, derive_profiles
from inference.card import dump_card, load_card, load_engine
from inference.errors import BackendUnavailable, ModelLoadError
from inference.reference import REFERENCE_DIR
from inference.runner import ChunkRunner
from inference.tiny import TinySpec, random_observation, tiny_onnx, write_tiny_model

REF = REFERENCE_DIR
N_PARITY = 50
TOL = {"fp32": 1e-3, "strongly_typed": 1e-3, "fp16": 3e-2, "int8_qdq": 6e-2}


def environment() -> dict[str, Any]:
    env: dict[str, Any] = {"python": sys.version.split()[0]}
    try:
        import onnxruntime as ort

        env["onnxruntime"] = ort.__version__
    except ImportError:
        env["onnxruntime"] = None
    try:
        import torch

        env["torch"] = torch.__version__
        env["cuda_available"] = bool(torch.cuda.is_available())
        env["torch_cuda"] = torch.version.cuda
        if env["cuda_available"]:
            env["gpus"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    except ImportError:
        env["torch"], env["cuda_available"] = None, False
    try:
        import tensorrt as trt

        env["tensorrt"] = trt.__version__
    except ImportError:
        env["tensorrt"] = None
    except Exception as e:  # a broken install: say so, do not die
        env["tensorrt"] = None
        env["tensorrt_error"] = f"{type(e).__name__}: {e}"
    smi = shutil.which("nvidia-smi")
    if smi:
        try:
            out = subprocess.run(
                [smi, "--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"],
                capture_output=True,
                text=True,
                timeout=20,
            )
            env["driver"] = out.stdout.strip() or out.stderr.strip()
        except (OSError, subprocess.TimeoutExpired) as e:
            env["driver"] = f"nvidia-smi failed: {e}"
    else:
        env["driver"] = None
    return env


def why_not(env: dict[str, Any]) -> str | None:
    """The reason nothing GPU-side can run here, or None."""
    missing = []
    if env.get("tensorrt") is None:
        missing.append(
            "TensorRT is not installed (python package 'tensorrt')"
            + (f": {env['tensorrt_error']}" if env.get("tensorrt_error") else "")
        )
    if env.get("torch") is None:
        missing.append("torch is not installed (the backend's CUDA buffers)")
    elif not env.get("cuda_available"):
        missing.append("no CUDA device is visible to torch")
    if env.get("onnxruntime") is None:
        missing.append("onnxruntime is not installed (the parity reference)")
    return "; ".join(missing) or None


class Check:
    """Collects parts: each runs, fails with its error, or is skipped with a reason."""

    def __init__(self, skip_reason: str | None, dry_run: bool) -> None:
        self.skip_reason = skip_reason
        self.dry_run = dry_run
        self.parts: dict[str, dict[str, Any]] = {}

    def part(self, name: str, what: str, fn: Callable[[], dict[str, Any]], *, needs_gpu: bool = True) -> None:
        t0 = time.perf_counter()
        if self.dry_run:
            reason = self.skip_reason if needs_gpu else None
            self.parts[name] = {
                "what": what,
                "status": "skipped" if reason else "would run",
                **({"reason": reason} if reason else {}),
            }
            return
        if needs_gpu and self.skip_reason:
            self.parts[name] = {"what": what, "status": "skipped", "reason": self.skip_reason}
            return
        try:
            res = fn()
            status = res.pop("status", "ok")
            self.parts[name] = {"what": what, "status": status, **res}
        except Exception as e:
            self.parts[name] = {
                "what": what,
                "status": "failed",
                "error": f"{type(e).__name__}: {e}",
                "traceback": traceback.format_exc(limit=4),
            }
        self.parts[name]["seconds"] = round(time.perf_counter() - t0, 2)


def observations(card: Any, n: int, seed: int) -> list[Any]:
    """Random observations shaped as the card asks (camera size, state dim)."""
    rng = np.random.default_rng(seed)
    img = card.inputs.images[0]
    spec = TinySpec(image_size=tuple(img.size), camera=img.name, state_dim=card.inputs.state.dim)
    return [random_observation(spec, rng, stamp=0.1 * i) for i in range(n)]


def parity(ref: Any, eng: Any, obs: list[Any], tol: float) -> dict[str, Any]:
    da, dc = [], []
    for o in obs:
        a, b = ref.infer(o), eng.infer(o)
        da.append(float(np.max(np.abs(a.actions - b.actions))))
        dc.append(abs(float(a.confidence) - float(b.confidence)))
    res = {"n": len(obs), "max_abs_action": max(da), "max_abs_confidence": max(dc), "tolerance": tol}
    res["status"] = "ok" if max(da) <= tol and max(dc) <= tol else "failed"
    return res


def latency_ms(eng: Any, obs: list[Any], reps: int = 200) -> dict[str, float]:
    for o in obs[:10]:
        eng.infer(o)
    ts = []
    for i in range(reps):
        t0 = time.perf_counter()
        eng.infer(obs[i % len(obs)])
        ts.append((time.perf_counter() - t0) * 1e3)
    return {
        "p50_ms": round(float(np.percentile(ts, 50)), 4),
        "p99_ms": round(float(np.percentile(ts, 99)), 4),
    }


def expect(
    exc: type[BaseException], fn: Callable[[], Any], *, must_name: str | None = None
) -> dict[str, Any]:
    try:
        fn()
    except exc as e:
        msg = str(e)
        if must_name is not None and must_name not in msg:
            return {"status": "failed", "error": f"{exc.__name__} does not name {must_name}: {msg}"}
        return {"raised": exc.__name__, "message": msg}
    except Exception as e:
        return {"status": "failed", "error": f"expected {exc.__name__}, got {type(e).__name__}: {e}"}
    return {"status": "failed", "error": f"expected {exc.__name__}, nothing was raised"}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dry-run", action="store_true", help="say what would run and why parts are skipped")
    p.add_argument("--out", type=Path, help="also write the JSON here")
    p.add_argument("--device", type=int, default=0)
    a = p.parse_args(argv)
    env = environment()
    skip = why_not(env)
    major = int(str(env.get("tensorrt") or "0").split(".")[0] or 0)
    c = Check(skip, a.dry_run)
    work = Path(tempfile.mkdtemp(prefix="gpu_check_"))
    engines: dict[str, Path] = {}

    tiny_dir = work / "tiny"
    tiny_path = write_tiny_model(tiny_dir, TinySpec())
    models = {"tiny": tiny_path, "reference": REF / "model.onnx"}

    def build(
        model: str, batch: tuple[int, int, int], tag: str, *, onnx_path: Path | None = None, **kw: Any
    ) -> Path:
        src = onnx_path or models[model]
        out = work / "engines" / model / f"{tag}.engine"  # nested folder: build must create it
        engines[f"{model}:{tag}"] = build_engine(src, out, dims={"batch": batch}, **kw)
        return out

    def load(model: str, engine_path: Path, **kw: Any) -> Any:
        card = (
            models[model].with_suffix("").with_suffix(".card.yaml")
            if model == "tiny"
            else REF / "model.card.yaml"
        )
        return load_engine(engine_path, "tensorrt", card=card, device=a.device, **kw)

    def ort(model: str, variant: str | None = None) -> Any:
        return load_engine(models[model], "onnxruntime", variant=variant)

    for model in ("tiny", "reference"):
        for batch, tag in (((1, 1, 1), "b111"), ((1, 2, 8), "b128")):

            def do_build(model: str = model, batch: tuple = batch, tag: str = tag) -> dict[str, Any]:
                path = build(model, batch, tag)
                eng = load(model, path)
                res = parity(ort(model), eng, observations(eng.card, N_PARITY, 1), TOL["fp32"])
                res["engine_kb"] = round(path.stat().st_size / 1024, 1)
                res["provider"] = eng.provider
                return res

            c.part(
                f"{model}_fp32_{tag}",
                f"build {model} FP32 at batch profile {batch}, {N_PARITY} obs vs ORT",
                do_build,
            )

    def fp16() -> dict[str, Any]:
        if major >= 11:
            return {
                "status": "skipped",
                "reason": "TensorRT 11 has no FP16 builder flag: FP16 must be in the ONNX "
                "(ModelOpt AutoCast), which this project does not ship",
            }
        path = build("reference", (1, 1, 1), "fp16", fp16=True)
        return parity(
            ort("reference"),
            load("reference", path),
            observations(load_card(REF / "model.card.yaml"), N_PARITY, 2),
            TOL["fp16"],
        )

    c.part("reference_fp16", "TensorRT 10 FP16 builder flag, parity vs ORT FP32", fp16)

    def strongly() -> dict[str, Any]:
        path = build("reference", (1, 1, 1), "strong", strongly_typed=True)
        return parity(
            ort("reference"),
            load("reference", path),
            observations(load_card(REF / "model.card.yaml"), N_PARITY, 3),
            TOL["strongly_typed"],
        )

    c.part("reference_strongly_typed", "strongly typed build (always on in TensorRT 11)", strongly)

    def qdq() -> dict[str, Any]:
        src = REF / load_card(REF / "model.card.yaml").variants["int8_qdq"]
        path = build("reference", (1, 1, 1), "int8_qdq", onnx_path=src, strongly_typed=True)
        eng = load("reference", path)
        obs = observations(eng.card, N_PARITY, 4)
        res = parity(ort("reference", "int8_qdq"), eng, obs, TOL["int8_qdq"])
        res["vs_fp32_ort"] = parity(ort("reference"), eng, obs, TOL["int8_qdq"])
        res["engine_kb"] = round(path.stat().st_size / 1024, 1)
        return res

    c.part("reference_int8_qdq", "Q/DQ INT8 variant builds and matches ORT (Q/DQ and FP32)", qdq)

    # -- error paths: each must be a clear error naming the engine/onnx file ----------------------
    def min_batch_2() -> dict[str, Any]:
        path = build("tiny", (2, 2, 4), "minbatch2")
        return expect(ModelLoadError, lambda: load("tiny", path), must_name=str(path))

    c.part("error_min_batch_2", "engine whose profile needs batch >= 2 -> ModelLoadError", min_batch_2)

    def static_batch_4() -> dict[str, Any]:
        import onnx

        src = work / "tiny_static4.onnx"
        onnx.save(tiny_onnx(TinySpec(), batch=4), str(src))
        path = work / "engines" / "tiny" / "static4.engine"
        build_engine(src, path, profile=derive_profiles(onnx.load(str(src))))
        return expect(ModelLoadError, lambda: load("tiny", path), must_name=str(path))

    c.part("error_static_batch_4", "engine with a static batch of 4 -> ModelLoadError", static_batch_4)

    def corrupt() -> dict[str, Any]:
        path = work / "corrupt.engine"
        path.write_bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8).tobytes())
        return expect(ModelLoadError, lambda: load("tiny", path), must_name=str(path))

    c.part("error_corrupt_engine", "random bytes as an engine -> ModelLoadError", corrupt)

    def output_is_input() -> dict[str, Any]:
        path = engines.get("tiny:b111") or build("tiny", (1, 1, 1), "b111")
        card = load_card(tiny_dir / "model.card.yaml")
        bad = card.model_copy(update={"outputs": card.outputs.model_copy(update={"confidence": "state"})})
        bad_path = work / "bad.card.yaml"
        dump_card(bad, bad_path)
        return expect(
            ModelLoadError, lambda: load_engine(path, "tensorrt", card=bad_path), must_name=str(path)
        )

    c.part("error_output_is_input", "card output naming an engine input -> ModelLoadError", output_is_input)

    def profile_missing() -> dict[str, Any]:
        return expect(
            ProfileError,
            lambda: build_engine(tiny_path, work / "x.engine", profile={"state": ((1, 7), (1, 7), (1, 7))}),
            must_name=str(tiny_path),
        )

    c.part(
        "error_profile_missing_input", "profile without the dynamic inputs -> ProfileError", profile_missing
    )

    def bad_device() -> dict[str, Any]:
        import torch

        path = engines.get("tiny:b111") or build("tiny", (1, 1, 1), "b111")
        return expect(
            BackendUnavailable,
            lambda: load_engine(
                path, "tensorrt", card=tiny_dir / "model.card.yaml", device=torch.cuda.device_count()
            ),
        )

    c.part("error_missing_device", "device index past the last GPU -> BackendUnavailable", bad_device)

    def build_cli_no_traceback() -> dict[str, Any]:
        out = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("build_engine.py")), str(work / "nope.onnx")],
            capture_output=True,
            text=True,
            timeout=120,
        )
        ok = out.returncode == 2 and "Traceback" not in out.stderr
        return {"status": "ok" if ok else "failed", "rc": out.returncode, "stderr": out.stderr[-400:]}

    c.part(
        "build_cli_bad_input",
        "tools/build_engine.py on a missing file: exit 2, no traceback",
        build_cli_no_traceback,
        needs_gpu=False,
    )

    # -- async runner, latency ratios, CUDA graphs ------------------------------------------------
    def runner_async() -> dict[str, Any]:
        path = engines.get("reference:b111") or build("reference", (1, 1, 1), "b111")
        eng = load("reference", path)
        obs = observations(eng.card, 200, 5)
        lat: list[float] = []
        runner = ChunkRunner(eng, time.monotonic, mode="async", staleness_deadline=1.0)
        with runner:
            for o in obs:
                before = runner.stats()["chunks"]
                t0 = time.perf_counter()
                runner.submit(o.__class__(o.images, o.instruction, o.state, time.monotonic()))
                while runner.stats()["chunks"] == before:
                    if time.perf_counter() - t0 > 5:
                        raise TimeoutError("no chunk within 5 s")
                    time.sleep(0.0002)
                lat.append((time.perf_counter() - t0) * 1e3)
        s = runner.stats()
        return {
            "inferences": len(lat),
            "p50_ms": round(float(np.percentile(lat, 50)), 3),
            "p99_ms": round(float(np.percentile(lat, 99)), 3),
            "errors": s["errors"],
        }

    c.part(
        "chunk_runner_async_200",
        "200 inferences through ChunkRunner (async), submit->chunk latency",
        runner_async,
    )

    def vs_torch() -> dict[str, Any]:
        path = engines.get("reference:b111") or build("reference", (1, 1, 1), "b111")
        trt_eng = load("reference", path)
        torch_eng = load_engine(REF / "model.onnx", "torch", device=f"cuda:{a.device}")
        obs = observations(trt_eng.card, 50, 6)
        t, e = latency_ms(trt_eng, obs), latency_ms(torch_eng, obs)
        return {"tensorrt": t, "torch_eager_cuda": e, "ratio_p50": round(t["p50_ms"] / e["p50_ms"], 3)}

    c.part(
        "tensorrt_vs_torch_eager", "TensorRT ÷ torch eager (same reference model, same GPU) latency", vs_torch
    )

    def cuda_graph() -> dict[str, Any]:
        path = engines.get("reference:b111") or build("reference", (1, 1, 1), "b111")
        plain, graphed = load("reference", path), load("reference", path, cuda_graph=True)
        obs = observations(plain.card, 50, 7)
        res = parity(plain, graphed, obs, 1e-6)
        lp, lg = latency_ms(plain, obs), latency_ms(graphed, obs)
        res.update(
            {
                "plain": lp,
                "cuda_graph": lg,
                "ratio_p50": round(lg["p50_ms"] / lp["p50_ms"], 3),
                "helps": lg["p50_ms"] < lp["p50_ms"],
            }
        )
        return res

    c.part("cuda_graph", "engine call captured in a CUDA graph vs plain enqueue", cuda_graph)

    failed = [k for k, v in c.parts.items() if v["status"] == "failed"]
    skipped = {k: v.get("reason") for k, v in c.parts.items() if v["status"] == "skipped"}
    result = {
        "dry_run": a.dry_run,
        "environment": env,
        "cannot_run": skip,
        "parts": c.parts,
        "failed": failed,
        "skipped": skipped,
    }
    shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(result, indent=None, default=str)
    print(text)
    if a.out:
        a.out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
