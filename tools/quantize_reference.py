#!/usr/bin/env python3
"""Write the reference policy's Q/DQ INT8 variant (the INT8 file TensorRT can parse) and measure it.

    python tools/quantize_reference.py                     # calibrate, write, measure (~5 min)
    python tools/quantize_reference.py --eval-episodes 0   # skip the closed-loop episodes

Calibration: observations from the training tool's scripted-expert demonstrations (pick, place
and wipe; seeds apart from training's). Measured on ONNX Runtime's CPU provider against the FP32
model: action |Δ| on held-out demonstration frames, and closed-loop success of the VLA leaf in
the household (seen / held-out / paraphrase, as the training report). Writes
``model.int8.qdq.onnx``, adds it to the card (variant ``int8_qdq``, served by onnxruntime and
tensorrt; ``int8`` marked onnxruntime-only), writes ``qdq.json`` and a section of ``REPORT.md``.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from a checkout

from inference.card import dump_card, load_card, load_engine
from inference.contract import Observation
from inference.preprocess import build_feeds, tokenizer_for
from inference.quantize import action_delta, quantize_qdq
from inference.reference import REFERENCE_DIR
from reference_training import dataset as training_data
from reference_training import evaluate as training_eval

REF = REFERENCE_DIR
SECTION = "## INT8 Q/DQ variant (TensorRT-parsable)"


def observations(n_demos: int, seed: int, limit: int) -> list[Observation]:
    """Frames of expert demonstrations (pick, place, wipe), evenly thinned to ``limit``."""
    d = training_data.dataset(n_demos, seed, 0.0, n_place=n_demos, n_wipe=n_demos)
    idx = np.linspace(0, len(d["state"]) - 1, min(limit, len(d["state"]))).astype(int)
    return [
        Observation(
            {"wrist": d["images"][i]}, "", d["state"][i].astype(np.float32), 0.0, tokens=d["tokens"][i]
        )
        for i in idx
    ]


def write_section(report: Path, text: str) -> None:
    body = report.read_text() if report.is_file() else ""
    if SECTION in body:
        body = body[: body.index(SECTION)].rstrip() + "\n"
    report.write_text(body.rstrip() + "\n\n" + text)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model-dir", type=Path, default=REF)
    p.add_argument("--calibration-demos", type=int, default=24, help="demos per task for calibration")
    p.add_argument("--calibration-frames", type=int, default=400)
    p.add_argument("--eval-frames", type=int, default=300)
    p.add_argument("--eval-episodes", type=int, default=20, help="closed-loop episodes per set and task")
    p.add_argument("--method", default="minmax", choices=("minmax", "entropy", "percentile"))
    a = p.parse_args(argv)
    t0 = time.time()
    card_path = a.model_dir / "model.card.yaml"
    card = load_card(card_path)
    tok = tokenizer_for(card)
    calib = [
        build_feeds(card, o, tok) for o in observations(a.calibration_demos, 90210, a.calibration_frames)
    ]
    out = quantize_qdq(
        a.model_dir / "model.onnx", a.model_dir / "model.int8.qdq.onnx", calib, method=a.method
    )
    variants = dict(card.variants, int8_qdq=out.name)
    backends = dict(card.variant_backends, int8=["onnxruntime"], int8_qdq=["onnxruntime", "tensorrt"])
    if "torch" in variants:
        backends["torch"] = ["torch"]
    card = card.model_copy(update={"variants": variants, "variant_backends": backends})
    dump_card(card, card_path)

    fp32 = load_engine(a.model_dir / "model.onnx", "onnxruntime", intra_op_threads=1)
    qdq = load_engine(a.model_dir / "model.onnx", "onnxruntime", variant="int8_qdq", intra_op_threads=1)
    dyn = load_engine(a.model_dir / "model.onnx", "onnxruntime", variant="int8", intra_op_threads=1)
    held = observations(8, 4711, a.eval_frames)
    res: dict = {
        "file": out.name,
        "size_kb": round(out.stat().st_size / 1024, 1),
        "fp32_size_kb": round((a.model_dir / "model.onnx").stat().st_size / 1024, 1),
        "calibration": {"frames": len(calib), "method": a.method, "seed": 90210},
        "delta_vs_fp32": {
            "int8_qdq": action_delta(fp32, qdq, held),
            "int8_dynamic": action_delta(fp32, dyn, held),
        },
        "latency": {"fp32": training_eval.latency(fp32), "int8_qdq": training_eval.latency(qdq)},
    }
    if a.eval_episodes > 0:
        res["closed_loop"] = {
            "episodes_per_set": a.eval_episodes,
            "fp32": training_eval.evaluate_tasks(fp32, a.eval_episodes, 5150),
            "int8_qdq": training_eval.evaluate_tasks(qdq, a.eval_episodes, 5150),
        }
    res["seconds"] = round(time.time() - t0, 1)
    (a.model_dir / "qdq.json").write_text(json.dumps(res, indent=2) + "\n")
    write_section(a.model_dir / "REPORT.md", report_md(res))
    print(json.dumps(res))
    return 0


def report_md(r: dict) -> str:
    d, dd = r["delta_vs_fp32"]["int8_qdq"], r["delta_vs_fp32"]["int8_dynamic"]
    lines = [
        SECTION,
        "",
        f"`{r['file']}` ({r['size_kb']} KB vs FP32 {r['fp32_size_kb']} KB): ONNX Runtime `quantize_static`, "
        "`QuantFormat.QDQ`, symmetric INT8 activations and per-channel weights (zero points 0), "
        f"calibrated ({r['calibration']['method']}) on {r['calibration']['frames']} frames of "
        "scripted-expert "
        "demonstrations (pick, place, wipe; seed 90210, not a training seed). Written by "
        "`tools/quantize_reference.py`; the card serves it to `onnxruntime` and `tensorrt` "
        "(variant `int8_qdq`), "
        "while `int8` (dynamic quantisation, `MatMulInteger`/`ConvInteger`) serves `onnxruntime` only: "
        "TensorRT's parser rejects it.",
        "",
        f"Against FP32 on {d['n']} held-out demonstration frames (ONNX Runtime CPU):",
        "",
        "| variant | mean abs. action delta | max abs. action delta | mean abs. confidence delta "
        "| gripper flips |",
        "|---|---|---|---|---|",
        f"| int8_qdq | {d['action_mean_abs']:.2e} | {d['action_max_abs']:.2e} | "
        f"{d['confidence_mean_abs']:.2e} | "
        f"{100 * d['gripper_flips']:.1f} % |",
        f"| int8 (dynamic) | {dd['action_mean_abs']:.2e} | {dd['action_max_abs']:.2e} | "
        f"{dd['confidence_mean_abs']:.2e} | {100 * dd['gripper_flips']:.1f} % |",
        "",
        f"Latency on this CPU (p50): FP32 {r['latency']['fp32']['p50_ms']:.3f} ms, Q/DQ "
        f"{r['latency']['int8_qdq']['p50_ms']:.3f} ms (slower than FP32 on this CPU; "
        "any speed-up would come from TensorRT's INT8 kernels on a GPU, not measured: no GPU here).",
    ]
    if "closed_loop" in r:
        cl = r["closed_loop"]
        lines += [
            "",
            f"Closed-loop success, {cl['episodes_per_set']} episodes per set (seed 5150), "
            "seen / held-out / paraphrase:",
            "",
            "| task | FP32 | int8_qdq |",
            "|---|---|---|",
        ]
        for task in cl["fp32"]:

            def cell(e: dict) -> str:
                return " / ".join(f"{100 * e[k]['success']:.0f}" for k in ("seen", "held_out", "paraphrase"))

            lines.append(f"| {task} | {cell(cl['fp32'][task])} | {cell(cl['int8_qdq'][task])} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
