"""Train, export and evaluate the reference VLA policy: pick, place, wipe (CPU, ~24 min; not a test).

    .venv/bin/python tools/train_reference_policy.py                # early, late, xattn; ship the best
    .venv/bin/python tools/train_reference_policy.py --help

The command-line entry point only: the pipeline (scenes, experts, dataset and DAgger, model,
export, evaluation, report) is the package ``reference_training``; see
``reference_training/train.py`` for what each step does.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without an install

from reference_training.train import main

if __name__ == "__main__":
    sys.exit(main())
