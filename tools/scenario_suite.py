"""The scenario suite on either world (``executive/scenario_suite.py``, whose docstring says what
counts as a success)::

    python tools/scenario_suite.py --world both --seeds 1-3 --out suite.json
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without an install

from executive.scenario_suite import main

if __name__ == "__main__":
    sys.exit(main())
