"""Seeded fault campaigns (command line): the code is :mod:`executive.campaign`.

    python tools/campaign.py --episodes 200 --faults grasp_slip=0.3,blocked_path=0.2,missed_detection=0.2
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without an install

from executive.campaign import main

if __name__ == "__main__":
    sys.exit(main())
