"""TensorRT readiness without a GPU: the engine/card checks, build plans, the Q/DQ INT8 variant,
the runner's one-worker rule and the CLI's error paths. Every test here runs on a CPU; the
parts that need TensorRT and CUDA are in tools/gpu_check.py (``--dry-run`` here)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from vla_helpers import ROOT, CountingEngine, FakeClock, make_obs

from inference import ChunkRunner, load_engine
from inference.backends.tensorrt_backend import TensorIO, dtype_name, plan_io
from inference.build import ProfileError, check_profile_covers, plan_build
from inference.card import dump_card, load_card
from inference.contract import Observation
from inference.errors import ModelCardError, ModelLoadError
from inference.reference import REFERENCE_DIR
from inference.tiny import TinySpec, tiny_card

REF = REFERENCE_DIR
ENGINE = "/models/tiny.engine"


def engine_io(
    spec: TinySpec, *, batch: int = -1, profile_batch=(1, 1, 8), dtype: str = "FLOAT"
) -> list[TensorIO]:
    """The I/O a TensorRT engine built from the tiny ONNX graph reports (batch axis dynamic)."""
    h, w = spec.image_size

    def prof(*rest: int):
        return ((profile_batch[0], *rest), (profile_batch[1], *rest), (profile_batch[2], *rest))

    return [
        TensorIO(spec.camera, True, dtype, (batch, 3, h, w), prof(3, h, w)),
        TensorIO("instruction", True, "INT64", (batch, spec.max_len), prof(spec.max_len)),
        TensorIO("state", True, dtype, (batch, spec.state_dim), prof(spec.state_dim)),
        TensorIO("actions", False, dtype, (batch, spec.chunk, spec.dim)),
        TensorIO("confidence", False, dtype, (batch,)),
    ]


@pytest.fixture
def card():
    return tiny_card(TinySpec())


def test_plan_io_binds_batch_one_for_a_dynamic_engine(card):
    spec = TinySpec()
    bound = {b.name: b for b in plan_io(card, engine_io(spec), ENGINE)}
    assert bound["state"].shape == (1, spec.state_dim) and bound["state"].is_input
    assert bound["actions"].shape == (1, spec.chunk, spec.dim) and not bound["actions"].is_input
    assert bound["instruction"].host_dtype == "int64"


def test_static_batch_of_four_is_a_model_load_error_naming_the_engine(card):
    with pytest.raises(ModelLoadError, match="static batch of 4") as e:
        plan_io(card, engine_io(TinySpec(), batch=4), ENGINE)
    assert ENGINE in str(e.value)


def test_profile_with_minimum_batch_two_is_refused(card):
    with pytest.raises(ModelLoadError, match=r"admits batch 2\.\.4, this backend needs 1"):
        plan_io(card, engine_io(TinySpec(), profile_batch=(2, 2, 4)), ENGINE)


def test_engine_input_the_card_does_not_name_is_refused(card):
    io = [*engine_io(TinySpec()), TensorIO("depth", True, "FLOAT", (-1, 1, 32, 32), ((1, 1, 32, 32),) * 3)]
    with pytest.raises(ModelLoadError, match=r"engine inputs \['depth'\] are not named in the card"):
        plan_io(card, io, ENGINE)


def test_card_output_that_is_an_engine_input_is_refused(card):
    bad = card.model_copy(update={"outputs": card.outputs.model_copy(update={"confidence": "state"})})
    with pytest.raises(ModelLoadError, match="card output 'state' is an engine INPUT"):
        plan_io(bad, engine_io(TinySpec()), ENGINE)


def test_bf16_and_fp8_io_are_bound_through_float32_staging(card):
    for dt in ("BF16", "FP8", "HALF"):
        bound = {b.name: b for b in plan_io(card, engine_io(TinySpec(), dtype=dt), ENGINE)}
        assert bound["actions"].device_dtype in ("bfloat16", "float8_e4m3fn", "float16")
        assert bound["actions"].host_dtype == ("float16" if dt == "HALF" else "float32")


def test_unsupported_or_mismatched_dtypes_are_model_load_errors(card):
    with pytest.raises(ModelLoadError, match="INT4 is not supported"):
        plan_io(card, engine_io(TinySpec(), dtype="INT4"), ENGINE)
    io = engine_io(TinySpec())
    io[1] = TensorIO("instruction", True, "FLOAT", io[1].shape, io[1].profile)
    with pytest.raises(ModelLoadError, match="input 'instruction': dtype FLOAT in engine, card int64"):
        plan_io(card, io, ENGINE)


def test_dtype_name_reads_enum_members_and_strings():
    class Member:
        name = "BF16"

    assert dtype_name(Member()) == "BF16" and dtype_name("DataType.HALF") == "HALF"


def test_tensorrt_11_passes_no_deprecated_flags():
    p11 = plan_build(11, fp16=True, int8=True)
    assert p11.flags == () and p11.creation_flags == () and p11.strongly_typed
    p10 = plan_build(10, strongly_typed=True)
    assert p10.creation_flags == ("STRONGLY_TYPED",) and p10.flags == ()
    assert plan_build(10, fp16=True).creation_flags == ()


def test_a_profile_must_cover_every_dynamic_network_input():
    net = {"wrist": (-1, 3, 32, 32), "state": (-1, 7), "fixed": (1, 4)}
    check_profile_covers({"wrist": ((1, 3, 32, 32),) * 3, "state": ((1, 7),) * 3}, net, "m.onnx")
    with pytest.raises(ProfileError, match=r"m.onnx: .*missing \['wrist'\]"):
        check_profile_covers({"state": ((1, 7),) * 3}, net, "m.onnx")
    with pytest.raises(ProfileError, match=r"unknown \['depth'\]"):
        check_profile_covers({"wrist": ((1, 3, 32, 32),) * 3, "state": ((1, 7),) * 3,
                              "depth": ((1, 1),) * 3}, net, "m.onnx")


def test_a_stopped_runner_never_lets_two_workers_use_one_engine(tiny_spec):
    """An abandoned worker still inside infer() must not run beside its replacement, and its
    late answer is dropped."""
    gate = threading.Event()
    eng = CountingEngine(tiny_spec, gate=gate)
    active, peak, lock = [0], [0], threading.Lock()
    inner = eng.infer

    def counted(obs):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            return inner(obs)
        finally:
            with lock:
                active[0] -= 1

    eng.infer = counted
    clock = FakeClock(0.0)
    runner = ChunkRunner(eng, clock, mode="async", staleness_deadline=10.0, blend_steps=0)
    runner.start()
    runner.submit(make_obs(tiny_spec, 0.0))
    assert eng.entered.wait(5.0)
    runner.stop(timeout=0.05)  # the worker is stuck in infer(): abandoned
    assert runner.stats()["abandoned_workers"] == 1
    runner.start()
    runner.submit(make_obs(tiny_spec, 0.1, seed=1))
    gate.set()  # both may now finish; they must not overlap with the old one's context use
    assert runner.wait_for_chunks(1, timeout=5.0)
    runner.stop()
    s = runner.stats()
    assert s["discarded_chunks"] >= 1  # the abandoned worker's answer
    assert eng.calls == 2 and peak[0] == 1  # never two engine calls at once


def test_reference_card_names_which_variant_serves_which_backend():
    card = load_card(REF / "model.card.yaml")
    assert card.variant_backends["int8"] == ["onnxruntime"]
    assert "tensorrt" in card.variant_backends["int8_qdq"]
    with pytest.raises(ModelCardError, match="serves onnxruntime, not tensorrt"):
        load_engine(REF / "model.onnx", "tensorrt", variant="int8")


def test_variant_backends_must_name_known_variants_and_backends(tmp_path):
    card = tiny_card(TinySpec(), {"int8": "model.int8.onnx"})
    for bad, msg in (({"fp8": ["tensorrt"]}, "not in variants"), ({"int8": ["openvino"]}, "unknown backend")):
        dump_card(card, tmp_path / "c.card.yaml")
        text = (tmp_path / "c.card.yaml").read_text() + "variant_backends: " + json.dumps(bad) + "\n"
        (tmp_path / "c.card.yaml").write_text(text)
        with pytest.raises(ModelCardError, match=msg):
            load_card(tmp_path / "c.card.yaml")


def test_the_qdq_variant_is_tensorrt_parsable_and_close_to_fp32():
    import onnx

    from inference.quantize import qdq_problems

    card = load_card(REF / "model.card.yaml")
    qdq = onnx.load(str(REF / card.variants["int8_qdq"]))
    assert qdq_problems(qdq) == []
    assert "contains MatMulInteger" in qdq_problems(onnx.load(str(REF / card.variants["int8"])))
    # real frames: scripted-expert demonstrations from the training tool (seed apart from training)
    from reference_training.dataset import dataset

    data = dataset(2, 31, 0.0, n_place=2, n_wipe=2)
    fp32 = load_engine(REF / "model.onnx", "onnxruntime", intra_op_threads=1)
    q = load_engine(REF / "model.onnx", "onnxruntime", variant="int8_qdq", intra_op_threads=1)
    deltas = []
    for i in range(0, len(data["state"]), 3):
        obs = Observation({"wrist": data["images"][i]}, "", data["state"][i], 0.0, tokens=data["tokens"][i])
        a, b = fp32.infer(obs).actions, q.infer(obs).actions
        deltas.append(np.abs(a[:, :3] - b[:, :3]).mean())  # motion dims (m per step, bounds 0.05)
        assert (a[0, 3] > 0.5) == (b[0, 3] > 0.5) or abs(a[0, 3] - 0.5) < 0.2  # same gripper command
    assert len(deltas) > 10 and float(np.mean(deltas)) < 0.005


def test_build_engine_cli_without_tensorrt_is_exit_2_not_a_traceback(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "build_engine.py"),
                          str(REF / "model.onnx"), "-o", str(tmp_path / "deep" / "m.engine")],
                         capture_output=True, text=True, timeout=120)
    if importlib.util.find_spec("tensorrt") is None:
        assert out.returncode == 2 and "TensorRT is not installed" in out.stderr
    assert "Traceback" not in out.stderr


def test_build_engine_cli_reports_a_failing_build_as_exit_2(monkeypatch, capsys):
    """TensorRT installed but no GPU: Builder() raises; the CLI must say so, not trace back."""
    from inference import build_cli as mod

    def no_gpu(*a, **k):
        raise RuntimeError("CUDA initialization failure with error: 35")

    monkeypatch.setattr(mod, "build_engine", no_gpu)
    assert mod.main([str(REF / "model.onnx"), "-o", "/nonexistent/x.engine"]) == 2
    assert "could not build the engine: RuntimeError: CUDA initialization failure" in capsys.readouterr().err


def test_gpu_check_dry_run_says_what_it_would_run_and_why_parts_skip():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "gpu_check.py"), "--dry-run"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["dry_run"] and not res["failed"]
    for part in ("tiny_fp32_b111", "reference_fp32_b128", "reference_int8_qdq", "error_min_batch_2",
                 "error_corrupt_engine", "chunk_runner_async_200", "tensorrt_vs_torch_eager", "cuda_graph"):
        assert part in res["parts"]
    if res["cannot_run"]:
        assert all(reason == res["cannot_run"] for reason in res["skipped"].values())
        assert "TensorRT" in res["cannot_run"] or "CUDA" in res["cannot_run"]


def test_tensorrt_engine_needs_tensorrt_and_cuda_or_says_which_is_missing(tmp_path):
    from inference.errors import BackendUnavailable

    engine = tmp_path / "m.engine"
    engine.write_bytes(b"\0" * 64)
    dump_card(tiny_card(TinySpec()), tmp_path / "m.card.yaml")
    try:
        load_engine(engine, "tensorrt")
    except BackendUnavailable as e:
        assert "TensorRT is not installed" in str(e) or "CUDA" in str(e)
    except ModelLoadError as e:  # TensorRT and a GPU present: zero bytes are not an engine
        assert str(engine) in str(e)
    else:  # pragma: no cover
        pytest.fail("a zero-byte engine loaded")
    assert Path(engine).is_file()
