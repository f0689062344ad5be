"""Backends: ONNX Runtime on CPU, torch (same weights, same answers), TensorRT (skips), replay."""

from __future__ import annotations

import importlib.util
import warnings

import numpy as np
import pytest
from vla_helpers import make_obs

from inference import Engine, ModelLoadError, load_engine
from inference.backends import available_backends
from inference.backends.ort_backend import choose_providers
from inference.backends.tensorrt_backend import unavailable_reason
from inference.card import choose_backend, load_card

HAS_TORCH = importlib.util.find_spec("torch") is not None
HAS_TRT = importlib.util.find_spec("tensorrt") is not None
TRT_MISSING = unavailable_reason()


def test_choose_providers_honours_order_and_falls_back_to_cpu():
    avail = ["CUDAExecutionProvider", "CPUExecutionProvider"]
    assert choose_providers(None, avail) == ["CUDAExecutionProvider", "CPUExecutionProvider"]
    assert choose_providers(["TensorrtExecutionProvider"], avail) == ["CPUExecutionProvider"]
    assert choose_providers(["CPUExecutionProvider", "CUDAExecutionProvider"], avail) == [
        "CPUExecutionProvider",
        "CUDAExecutionProvider",
    ]


def test_ort_cpu_backend_runs_and_reports_provider(tiny_model, tiny_spec):
    eng = load_engine(tiny_model, backend="onnxruntime", intra_op_threads=1)
    assert isinstance(eng, Engine)
    assert eng.provider == "CPUExecutionProvider"
    obs = make_obs(tiny_spec, stamp=1.25)
    chunk = eng.infer(obs)
    assert chunk.actions.shape == (tiny_spec.chunk, tiny_spec.dim)
    assert chunk.actions.dtype == np.float32
    assert chunk.stamp == 1.25 and 0.0 < chunk.confidence < 1.0
    assert np.all(np.abs(chunk.actions) <= 0.5 + 1e-6)  # tanh * std 0.5 + mean 0
    assert np.array_equal(chunk.actions, eng.infer(obs).actions)  # deterministic
    other = eng.infer(make_obs(tiny_spec, 1.25, text="open the fridge door"))
    assert not np.allclose(other.actions, chunk.actions)  # the instruction matters
    eng.close()


def test_ort_asking_for_gpu_provider_records_what_really_ran(tiny_model):
    eng = load_engine(
        tiny_model, backend="onnxruntime", providers=["TensorrtExecutionProvider", "CUDAExecutionProvider"]
    )
    assert eng.provider in eng.active_providers
    if "CUDAExecutionProvider" not in eng.active_providers:
        assert eng.provider == "CPUExecutionProvider"


def test_auto_backend_and_available(tiny_model):
    card = load_card(tiny_model.with_name("model.card.yaml"))
    if not HAS_TRT:
        assert choose_backend(tiny_model, card, tiny_model.parent) == "onnxruntime"
    assert "onnxruntime" in available_backends() and "replay" in available_backends()
    with pytest.raises(ValueError, match="unknown backend"):
        load_engine(tiny_model, backend="tflite")


@pytest.mark.skipif(not HAS_TORCH, reason="torch not installed")
def test_torch_backend_matches_onnxruntime(tiny_model, tiny_spec, tmp_path):
    import torch

    from inference.backends.torch_backend import TorchEngine
    from inference.tiny import tiny_torch_module

    ort_eng = load_engine(tiny_model, backend="onnxruntime")
    module = tiny_torch_module(tiny_spec)
    eager = TorchEngine(ort_eng.card, module)
    assert eager.provider == "torch-cpu-eager"
    obs = make_obs(tiny_spec, 0.5, seed=3)
    want = ort_eng.infer(obs)
    got = eager.infer(obs)
    np.testing.assert_allclose(got.actions, want.actions, atol=1e-5)
    assert got.confidence == pytest.approx(want.confidence, abs=1e-5)

    # TorchScript file beside its card, through load_engine
    pt = tmp_path / "model.pt"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.jit.script(module).save(str(pt))
    (tmp_path / "model.card.yaml").write_bytes(tiny_model.with_name("model.card.yaml").read_bytes())
    ts = load_engine(pt)  # auto -> torch for .pt
    assert ts.provider == "torch-cpu-eager"
    np.testing.assert_allclose(ts.infer(obs).actions, want.actions, atol=1e-5)

    # exported program (.pt2)
    example = tuple(torch.zeros((1, *s), dtype=getattr(torch, dt)) for _, s, dt in ort_eng.card.input_specs())
    pt2 = tmp_path / "model.pt2"
    torch.export.save(torch.export.export(module, example), str(pt2))
    ep = load_engine(pt2, backend="torch")
    np.testing.assert_allclose(ep.infer(obs).actions, want.actions, atol=1e-5)


@pytest.mark.skipif(not HAS_TORCH, reason="torch not installed")
def test_torch_backend_rejects_corrupt_file(tmp_path, tiny_model):
    (tmp_path / "model.card.yaml").write_bytes(tiny_model.with_name("model.card.yaml").read_bytes())
    bad = tmp_path / "model.pt"
    bad.write_bytes(b"not a torchscript archive")
    with pytest.raises(ModelLoadError) as e:
        load_engine(bad, backend="torch")
    assert str(bad) in str(e.value) and "model.card.yaml" in str(e.value)


@pytest.mark.skipif(TRT_MISSING is not None, reason=f"TensorRT backend cannot run: {TRT_MISSING}")
@pytest.mark.parametrize("batch", [(1, 1, 1), (1, 2, 8)])
def test_tensorrt_backend_matches_onnxruntime(tiny_model, tiny_spec, tmp_path, batch):  # pragma: no cover
    from inference.build import build_engine

    engine_path = build_engine(tiny_model, tmp_path / "model.engine", dims={"batch": batch})
    (tmp_path / "model.card.yaml").write_bytes(tiny_model.with_name("model.card.yaml").read_bytes())
    trt_eng = load_engine(engine_path, backend="tensorrt")
    ort_eng = load_engine(tiny_model)
    for seed in range(20):
        obs = make_obs(tiny_spec, 0.0, seed=seed)
        a, b = trt_eng.infer(obs), ort_eng.infer(obs)
        np.testing.assert_allclose(a.actions, b.actions, atol=1e-3)
        assert abs(a.confidence - b.confidence) < 1e-3


@pytest.mark.skipif(TRT_MISSING is not None, reason=f"TensorRT backend cannot run: {TRT_MISSING}")
def test_tensorrt_engine_with_min_batch_two_is_a_model_load_error(tiny_model, tmp_path):  # pragma: no cover
    from inference.build import build_engine

    engine_path = build_engine(tiny_model, tmp_path / "model.engine", dims={"batch": (2, 2, 4)})
    (tmp_path / "model.card.yaml").write_bytes(tiny_model.with_name("model.card.yaml").read_bytes())
    with pytest.raises(ModelLoadError, match=r"admits batch 2\.\.4") as e:
        load_engine(engine_path, backend="tensorrt")
    assert str(engine_path) in str(e.value)


def test_tensorrt_major_version_parsing():
    from inference.backends.tensorrt_backend import tensorrt_major

    assert tensorrt_major("10.13.0.35") == 10
    assert tensorrt_major("11.4.1") == 11
    assert tensorrt_major("garbage") == 0


def test_replay_backend_serves_recorded_chunks(tmp_path, tiny_model, tiny_spec):
    (tmp_path / "episode.card.yaml").write_bytes(tiny_model.with_name("model.card.yaml").read_bytes())
    rec = np.arange(3 * tiny_spec.chunk * tiny_spec.dim, dtype=np.float32).reshape(
        3, tiny_spec.chunk, tiny_spec.dim
    )
    np.savez(tmp_path / "episode.npz", actions=rec, confidence=np.array([0.9, 0.8, 0.7]))
    eng = load_engine(tmp_path / "episode.npz")
    assert eng.provider == "replay"
    got = [eng.infer(make_obs(tiny_spec, float(i))) for i in range(4)]
    assert np.array_equal(got[1].actions, rec[1]) and got[1].confidence == pytest.approx(0.8)
    assert np.array_equal(got[3].actions, rec[2])  # holds the last one
    np.savez(tmp_path / "episode.npz", actions=rec[:, :, :3])
    with pytest.raises(ModelLoadError, match=r"card expects \(N, 8, 7\)"):
        load_engine(tmp_path / "episode.npz")


def test_int8_variant_named_in_card_loads(tmp_path, tiny_spec):
    from inference.tiny import write_tiny_model

    model = write_tiny_model(tmp_path, tiny_spec, int8=True)
    base = load_engine(model)
    q = load_engine(model, variant="int8")
    assert q.name.endswith("[int8]/onnxruntime") and q.provider == "CPUExecutionProvider"
    obs = make_obs(tiny_spec, 0.0)
    np.testing.assert_allclose(q.infer(obs).actions, base.infer(obs).actions, atol=0.05)


@pytest.mark.skipif(not HAS_TORCH, reason="torch not installed")
def test_torch_backend_uses_the_cards_torch_twin(tiny_model, tiny_spec, tmp_path):
    """``--engine torch`` is given the ONNX path: the card's ``torch`` variant is what loads."""
    import shutil

    import torch
    import yaml

    from inference.tiny import tiny_torch_module

    onnx_path = tmp_path / "model.onnx"
    shutil.copy(tiny_model, onnx_path)
    card = yaml.safe_load(tiny_model.with_name("model.card.yaml").read_text())
    (tmp_path / "model.card.yaml").write_text(yaml.safe_dump(card))
    with pytest.raises(ModelLoadError, match="no 'torch' variant"):
        load_engine(onnx_path, backend="torch")

    ort_eng = load_engine(onnx_path, backend="onnxruntime")
    example = tuple(torch.zeros((1, *s), dtype=getattr(torch, dt)) for _, s, dt in ort_eng.card.input_specs())
    torch.export.save(torch.export.export(tiny_torch_module(tiny_spec), example), str(tmp_path / "twin.pt2"))
    card.setdefault("variants", {})["torch"] = "twin.pt2"
    (tmp_path / "model.card.yaml").write_text(yaml.safe_dump(card))
    eng = load_engine(onnx_path, backend="torch")
    assert eng.provider == "torch-cpu-eager" and eng.model_path == tmp_path / "twin.pt2"
    obs = make_obs(tiny_spec, 0.5, seed=5)
    np.testing.assert_allclose(eng.infer(obs).actions, ort_eng.infer(obs).actions, atol=1e-5)
