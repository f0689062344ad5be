"""Seeded fault campaigns (thin entry point; the code is ``executive/campaigns/``).

    python tools/campaign.py --plan examples/*.yaml --faults grasp_slip=0.3,blocked_path=0.2 \
        --seeds 50 --out runs/c1

is ``executive campaign …`` with the same flags: plans × instructions × fault mixes × seeds,
run on Ray (local by default, ``--address`` for a cluster), streamed to ``--out``/results.jsonl,
``--resume`` after a kill, and ``report.html`` at the end.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from executive.campaigns.audit import PERMANENT_REASONS, AuditedActuators  # noqa: F401
from executive.campaigns.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DEFAULT_PLANS = [
    "bring_red_cup_to_sink",
    "pick_blue_bottle",
    "go_to_red_cube",
    "apple_out_of_fridge",
    "clean_table",
    "bring_me_the_book",
]


def episode(plan_name: str, seed: int, faults: str) -> dict:
    """One example plan's episode (the row of ``executive.campaigns.episode.run_episode``)."""
    from executive.campaigns.episode import run_episode
    from executive.campaigns.matrix import EpisodeSpec

    return run_episode(
        EpisodeSpec("plan", str(EXAMPLES / f"{plan_name}.yaml"), "mix", faults, seed), keep_logs="none"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
