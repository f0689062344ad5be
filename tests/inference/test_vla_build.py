"""TensorRT engine building: profile derivation (real, against an ONNX graph) and version plans."""

from __future__ import annotations

import subprocess
import sys

import pytest
from vla_helpers import ROOT

from inference.backends.tensorrt_backend import unavailable_reason
from inference.build import ProfileError, derive_profiles, plan_build
from inference.tiny import TinySpec, tiny_onnx

TRT_MISSING = unavailable_reason()


def test_profiles_from_dynamic_batch():
    model = tiny_onnx(TinySpec())
    prof = derive_profiles(model, dims={"batch": (1, 2, 8)})
    assert prof["wrist"] == ((1, 3, 32, 32), (2, 3, 32, 32), (8, 3, 32, 32))
    assert prof["instruction"] == ((1, 8), (2, 8), (8, 8))
    assert prof["state"] == ((1, 7), (2, 7), (8, 7))
    assert set(prof) == {"wrist", "instruction", "state"}  # initializers are not inputs
    assert derive_profiles(model)["state"] == ((1, 7), (1, 7), (1, 7))  # default batch 1


def test_profile_shape_override_and_errors():
    model = tiny_onnx(TinySpec())
    prof = derive_profiles(model, shapes={"state": ((1, 7), (4, 7), (4, 7))})
    assert prof["state"] == ((1, 7), (4, 7), (4, 7))
    with pytest.raises(ProfileError, match="'state' axis 1: static 7"):
        derive_profiles(model, shapes={"state": ((1, 6), (1, 6), (1, 6))})
    with pytest.raises(ProfileError, match="min <= opt <= max"):
        derive_profiles(model, dims={"batch": (4, 2, 8)})
    with pytest.raises(ProfileError, match="unknown input"):
        derive_profiles(model, shapes={"nope": ((1,), (1,), (1,))})


def test_dynamic_non_batch_axis_needs_an_override():
    import onnx
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("tokens", TensorProto.INT64, ["batch", "seq"])
    y = helper.make_tensor_value_info("y", TensorProto.INT64, ["batch", "seq"])
    model = helper.make_model(
        helper.make_graph([helper.make_node("Identity", ["tokens"], ["y"])], "g", [x], [y])
    )
    onnx.checker.check_model(model)
    with pytest.raises(ProfileError, match=r"'tokens' axis 1 is dynamic \(seq\)"):
        derive_profiles(model)
    assert derive_profiles(model, dims={"seq": (4, 16, 32)})["tokens"] == ((1, 4), (1, 16), (1, 32))


def test_build_plan_per_tensorrt_major():
    p10 = plan_build(10, fp16=True, int8=True)
    assert not p10.strongly_typed and p10.flags == ("FP16", "INT8") and p10.warnings
    assert plan_build(10, fp16=True, strongly_typed=True).flags == ()
    p11 = plan_build(11, fp16=True)
    assert p11.strongly_typed and p11.flags == () and "strongly typed" in p11.warnings[0]
    assert plan_build(11).warnings == ()
    with pytest.raises(ValueError):
        plan_build(8)


def test_cli_dry_run(tiny_model):
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools/build_engine.py"),
            str(tiny_model),
            "--dim",
            "batch=1,2,4",
            "--dry-run",
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert '"state": [[1, 7], [2, 7], [4, 7]]' in out.stdout


@pytest.mark.skipif(TRT_MISSING is not None, reason=f"TensorRT build cannot run: {TRT_MISSING}")
@pytest.mark.parametrize("batch", [(1, 1, 1), (1, 2, 8)])
def test_build_engine_for_real(tiny_model, tmp_path, batch):  # pragma: no cover
    from inference.build import build_engine

    out = tmp_path / "not" / "yet" / "m.engine"  # the folder is created by the build
    assert build_engine(tiny_model, out, dims={"batch": batch}).stat().st_size > 0
