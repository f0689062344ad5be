"""The campaign's results: one append-only JSON Lines file, one row per finished episode.

Why JSON Lines and not Parquet: a row is appended and flushed (and fsynced) the moment its
episode ends, so ``kill -9`` loses only the episodes in flight and at most the one line being
written; a torn last line is detected and ignored on ``--resume``. A columnar file cannot be
appended to that way. The report reads the same file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

RESULTS = "results.jsonl"
CAMPAIGN = "campaign.json"


class ResultStore:
    def __init__(self, out_dir: str | Path) -> None:
        self.dir = Path(out_dir)
        self.path = self.dir / RESULTS
        self._fh: Any = None

    def rows(self) -> Iterator[dict[str, Any]]:
        """Every complete row; a torn line (a kill mid-write) and later duplicates are skipped."""
        if not self.path.is_file():
            return
        seen: set[str] = set()
        with self.path.open("rb") as fh:
            for raw in fh:
                if not raw.endswith(b"\n"):
                    break  # the line being written when the process died
                try:
                    row = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(row, dict) and isinstance(row.get("id"), str) and row["id"] not in seen:
                    seen.add(row["id"])
                    yield row

    def done(self) -> set[str]:
        return {r["id"] for r in self.rows()}

    def open(self, *, resume: bool) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        if self.path.exists() and not resume:
            raise FileExistsError(
                f"{self.path} exists: pass --resume to continue that campaign, or choose another --out"
            )
        if self.path.exists():
            self._truncate_torn_tail()
        self._fh = self.path.open("ab")

    def _truncate_torn_tail(self) -> None:
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end != len(data):
            with self.path.open("r+b") as fh:
                fh.truncate(end)

    def append(self, row: dict[str, Any]) -> None:
        self._fh.write((json.dumps(row, sort_keys=True, default=str) + "\n").encode())
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def write_meta(self, meta: dict[str, Any]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.dir / (CAMPAIGN + ".tmp")
        tmp.write_text(json.dumps(meta, indent=2, default=str) + "\n")
        tmp.replace(self.dir / CAMPAIGN)
