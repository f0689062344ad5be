"""Contract, tokenizer and model-card validation; corrupt/mismatched models fail at load."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import onnx
import pytest
import yaml
from vla_helpers import ROOT

from inference import HashTokenizer, ModelCardError, ModelLoadError, load_card, load_engine
from inference.card import card_path_for, dump_card
from inference.tiny import TinySpec, tiny_card, tiny_onnx


def test_tokenizer_is_deterministic_across_processes():
    tok = HashTokenizer(vocab=256, max_len=8)
    ids = tok.encode("Pick up the RED cup!")
    assert ids.dtype == np.int64 and ids.shape == (8,)
    assert list(ids[5:]) == [0, 0, 0]
    assert np.array_equal(ids, tok.encode("pick up the red cup"))
    code = (
        "from inference.contract import HashTokenizer;"
        "print(HashTokenizer(256, 8).encode('pick up the red cup').tolist())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "123", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == str([int(i) for i in ids])
    emb = tok.embed("pick up the red cup", 32)
    assert emb.shape == (32,) and abs(float(np.linalg.norm(emb)) - 1) < 1e-5
    assert np.array_equal(emb, tok.embed("pick up the red cup", 32))


def test_long_instruction_is_truncated():
    assert HashTokenizer(vocab=100, max_len=3).encode("a b c d e").shape == (3,)


def _write_card(tmp_path, data):
    p = tmp_path / "model.card.yaml"
    p.write_text(yaml.safe_dump(data))
    return p


def _card_dict():
    return tiny_card(TinySpec()).model_dump(mode="json")


def test_card_roundtrip(tmp_path):
    card = tiny_card(TinySpec())
    p = dump_card(card, tmp_path / "m.card.yaml")
    assert load_card(p) == card
    assert card.action_period == pytest.approx(0.1)
    assert card.tokenizer_name == "hash-bow-v1"


def test_missing_field_names_file_and_field(tmp_path):
    data = _card_dict()
    del data["outputs"]["action"]["chunk"]
    p = _write_card(tmp_path, data)
    with pytest.raises(ModelCardError) as e:
        load_card(p)
    assert str(p) in str(e.value) and "outputs.action.chunk" in str(e.value)
    assert e.value.field == "outputs.action.chunk"


def test_wrong_shape_names_file_and_field(tmp_path):
    data = _card_dict()
    data["outputs"]["action"]["low"] = [-1.0, -1.0]  # dim is 7
    p = _write_card(tmp_path, data)
    with pytest.raises(ModelCardError) as e:
        load_card(p)
    assert str(p) in str(e.value) and "outputs.action" in str(e.value) and "low" in str(e.value)

    data = _card_dict()
    data["inputs"]["images"][0]["size"] = [32]
    p = _write_card(tmp_path, data)
    with pytest.raises(ModelCardError, match=r"inputs\.images\.0\.size"):
        load_card(p)


def test_unknown_field_and_bad_yaml(tmp_path):
    data = _card_dict()
    data["control_rate"] = 10  # typo of control_rate_hz
    with pytest.raises(ModelCardError, match="control_rate"):
        load_card(_write_card(tmp_path, data))
    bad = tmp_path / "bad.card.yaml"
    bad.write_text("name: [unclosed")
    with pytest.raises(ModelCardError, match=r"bad\.card\.yaml"):
        load_card(bad)


def test_card_beside_model_and_variant_lookup(tmp_path):
    (tmp_path / "model.card.yaml").write_text("x: 1")
    assert card_path_for(tmp_path / "model.onnx") == tmp_path / "model.card.yaml"
    assert card_path_for(tmp_path / "model.int8.onnx") == tmp_path / "model.card.yaml"


def test_corrupt_onnx_fails_at_load_naming_both_files(tmp_path):
    dump_card(tiny_card(TinySpec()), tmp_path / "model.card.yaml")
    model = tmp_path / "model.onnx"
    model.write_bytes(np.random.default_rng(0).bytes(4096))
    with pytest.raises(ModelLoadError) as e:
        load_engine(model, backend="onnxruntime")
    msg = str(e.value)
    assert str(model) in msg and str(tmp_path / "model.card.yaml") in msg
    assert "corrupt" in msg


def test_mismatched_onnx_fails_at_load_naming_both_files_and_dim(tmp_path):
    spec = TinySpec()
    dump_card(tiny_card(spec), tmp_path / "model.card.yaml")
    model = tmp_path / "model.onnx"
    onnx.save(tiny_onnx(spec, image_size=(48, 48)), str(model))
    with pytest.raises(ModelLoadError) as e:
        load_engine(model)  # auto -> onnxruntime
    msg = str(e.value)
    assert str(model) in msg and str(tmp_path / "model.card.yaml") in msg
    assert "'wrist'" in msg and "48" in msg and "32" in msg


def test_missing_card_and_low_opset(tmp_path, tiny_model):
    lonely = tmp_path / "lonely.onnx"
    lonely.write_bytes(tiny_model.read_bytes())
    with pytest.raises(ModelLoadError, match=r"card .*not found"):
        load_engine(lonely)
    data = _card_dict()
    data["min_opset"] = 99
    p = tmp_path / "lonely.card.yaml"
    p.write_text(yaml.safe_dump(data))
    with pytest.raises(ModelLoadError, match="opset 17 < card min_opset 99"):
        load_engine(lonely)


def test_unknown_variant_names_card_field(tiny_model):
    with pytest.raises(ModelCardError, match=r"variants\.fp4"):
        load_engine(tiny_model, variant="fp4")
