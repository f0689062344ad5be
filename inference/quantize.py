"""Static INT8 quantisation in Q/DQ form, the one INT8 format TensorRT's ONNX parser takes.

Why a second INT8 variant: the shipped ``model.int8.onnx`` is ONNX Runtime *dynamic*
quantisation (``DynamicQuantizeLinear``, ``MatMulInteger``, ``ConvInteger``), which is fast on
a CPU but which TensorRT cannot parse. TensorRT builds INT8 engines only from explicit
quantisation: ``QuantizeLinear``/``DequantizeLinear`` pairs with symmetric INT8 scales
(zero point 0) and per-channel weight scales. ONNX Runtime's ``quantize_static`` writes exactly
that when asked for ``QuantFormat.QDQ`` with symmetric activations and weights; the activation
ranges come from a calibration set of real observations (the training tool's demonstrations).

The same file also runs on ONNX Runtime's CPU provider, so its accuracy against FP32 is
measured here, on this machine, before any GPU sees it (:func:`action_delta`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

#: Op types a TensorRT-parsable Q/DQ model may not contain (ONNX Runtime's dynamic/integer ops).
NOT_TENSORRT = ("DynamicQuantizeLinear", "MatMulInteger", "ConvInteger", "QLinearConv", "QLinearMatMul")


class _Reader:
    """``onnxruntime.quantization.CalibrationDataReader`` over a list of feeds dicts."""

    def __init__(self, feeds: list[dict[str, np.ndarray]]) -> None:
        self._it: Iterator[dict[str, np.ndarray]] = iter(feeds)

    def get_next(self) -> dict[str, np.ndarray] | None:
        return next(self._it, None)

    def rewind(self) -> None:  # pragma: no cover - only some calibrators call it
        pass


def quantize_qdq(
    fp32_path: str | Path,
    out_path: str | Path,
    calibration: Iterable[dict[str, np.ndarray]],
    *,
    per_channel: bool = True,
    method: str = "minmax",
) -> Path:
    """Write a symmetric INT8 Q/DQ copy of ``fp32_path`` calibrated on ``calibration`` feeds.

    ``method``: ``minmax`` (default; robust with small calibration sets), ``entropy`` or
    ``percentile``. Raises ``ValueError`` if the result still holds an op TensorRT rejects.
    """
    import onnx
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static

    feeds = list(calibration)
    if not feeds:
        raise ValueError("quantize_qdq: the calibration set is empty")
    methods = {
        "minmax": CalibrationMethod.MinMax,
        "entropy": CalibrationMethod.Entropy,
        "percentile": CalibrationMethod.Percentile,
    }
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    quantize_static(
        str(fp32_path),
        str(out_path),
        _Reader(feeds),
        quant_format=QuantFormat.QDQ,
        activation_type=QuantType.QInt8,
        weight_type=QuantType.QInt8,
        per_channel=per_channel,
        calibrate_method=methods[method],
        extra_options={
            "ActivationSymmetric": True,
            "WeightSymmetric": True,
            # TensorRT takes FP32 biases and fuses them; INT32 bias DQ it rejects
            "QuantizeBias": False,
        },
    )
    bad = qdq_problems(onnx.load(str(out_path)))
    if bad:
        raise ValueError(f"{out_path}: not TensorRT-parsable Q/DQ: {'; '.join(bad)}")
    return out_path


def qdq_problems(model: Any) -> list[str]:
    """Why TensorRT's parser would reject this model as explicit INT8 (empty list: none).

    Checks for ONNX Runtime's integer ops and for Q/DQ zero points that are not 0 (TensorRT
    supports symmetric INT8 quantisation only)."""
    from onnx import numpy_helper

    inits = {i.name: i for i in model.graph.initializer}
    problems: list[str] = []
    ops = {n.op_type for n in model.graph.node}
    for op in NOT_TENSORRT:
        if op in ops:
            problems.append(f"contains {op}")
    n_q = 0
    for node in model.graph.node:
        if node.op_type not in ("QuantizeLinear", "DequantizeLinear"):
            continue
        n_q += 1
        if len(node.input) > 2 and node.input[2] in inits:
            zp = numpy_helper.to_array(inits[node.input[2]])
            if zp.dtype != np.int8:
                problems.append(f"{node.name}: zero point dtype {zp.dtype}, TensorRT needs int8")
            elif np.any(zp != 0):
                problems.append(f"{node.name}: non-zero zero point (asymmetric)")
    if n_q == 0:
        problems.append("no QuantizeLinear/DequantizeLinear nodes")
    return problems


def action_delta(fp32: Any, int8: Any, observations: Iterable[Any]) -> dict[str, float]:
    """Mean / max |Δ| of de-normalised actions and |Δ| confidence between two engines, and the
    fraction of observations whose gripper command (last action dim, thresholded at 0.5)
    differs in the first action: the actions that matter, not the raw logits."""
    da, dc, flips, n = [], [], 0, 0
    for obs in observations:
        a, b = fp32.infer(obs), int8.infer(obs)
        da.append(np.abs(a.actions - b.actions))
        dc.append(abs(float(a.confidence) - float(b.confidence)))
        flips += int((a.actions[0, -1] > 0.5) != (b.actions[0, -1] > 0.5))
        n += 1
    if n == 0:
        raise ValueError("action_delta: no observations")
    d = np.stack(da)
    return {
        "n": n,
        "action_mean_abs": float(d.mean()),
        "action_max_abs": float(d.max()),
        "confidence_mean_abs": float(np.mean(dc)),
        "gripper_flips": flips / n,
    }
