"""Hostile files for every file kind the executive reads, and what each costs to refuse.

    python tools/fuzz_files.py [--kinds plan,tree] [--out DIR]

Prints one JSON object with, per file, the answer (the error type and message), the wall time
and the peak RSS of a fresh subprocess reading it. The files and the measure are
``executive/hostile_files.py``; tests/inference/test_bounded_files.py asserts on the answers
only, time and memory are measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without an install

from executive.hostile_files import KINDS, hostile_files, measure


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--out", type=Path, help="keep the files here (default: a temp dir)")
    args = ap.parse_args(argv)
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = args.out or Path(tmp)
        for kind in args.kinds.split(","):
            for name, path in hostile_files(base, kind).items():
                results[f"{kind}/{name}"] = measure(path, kind)
    answers = list(results.values())
    summary = {
        "files": len(answers),
        "tracebacks": sum(1 for a in answers if str(a.get("message", "")).startswith("TRACEBACK")
                          or a.get("error") == "crash"),
        "accepted": sum(1 for a in answers if a.get("error") is None),
        "max_seconds": max(float(a.get("seconds", 0)) for a in answers),  # type: ignore[arg-type]
        "max_peak_rss_mb": max(float(a.get("peak_rss_mb", 0)) for a in answers),  # type: ignore[arg-type]
    }
    print(json.dumps({"summary": summary, "results": results}, indent=1))
    return 0 if summary["tracebacks"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
