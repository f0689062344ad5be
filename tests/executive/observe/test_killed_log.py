"""A run killed with SIGKILL: after ``executive log recover`` the stock seeking reader
(``mcap.reader.make_reader(f).iter_messages()``) reads ≥ 95 % of the messages written before the
last flush (what a non-seeking pass over the killed file finds). Issue 16, item 6."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from executive.cli import main
from executive.observe.mcap_log import read_log

ROOT = Path(__file__).resolve().parents[3]


def _stock_count(path: Path) -> int:
    from mcap.reader import make_reader

    with open(path, "rb") as f:
        return sum(1 for _ in make_reader(f).iter_messages())


def test_killed_run_is_readable_by_the_stock_reader_after_recover(tmp_path, capsys):
    log = tmp_path / "killed.mcap"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.Popen([sys.executable, "-m", "executive.cli", "run", "--world", "kinematic", "--plan",
                          str(ROOT / "examples" / "apple_out_of_fridge.yaml"), "--clock", "realtime",
                          "--rate", "20", "--engine", "none", "--log", str(log)],
                         cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (not log.exists() or log.stat().st_size < 200_000):
            time.sleep(0.2)
        time.sleep(1.0)
        assert p.poll() is None, "the run ended before it could be killed"
        os.kill(p.pid, signal.SIGKILL)
    finally:
        p.wait(timeout=30)
    data = read_log(log)
    written = (len(data.snapshots) + len(data.events) + len(data.frames) + len(data.actions)
               + (data.outcome is not None))
    assert written > 50
    try:
        before = _stock_count(log)
    except Exception:  # the RecordLengthLimitExceeded & co.: the reason for recover
        before = 0
    assert main(["log", "summary", str(log), "--json"]) == 0  # the killed file as it is
    if data.truncated:
        assert f"executive log recover {log}" in capsys.readouterr().err
    assert main(["log", "recover", str(log)]) == 0
    assert '"source_truncated": true' in capsys.readouterr().out
    after = _stock_count(log)
    print(f"killed log: non-seeking {written}, stock before recover {before}, after {after}")
    assert after >= 0.95 * written, (before, after, written)
    assert main(["log", "summary", str(log), "--json"]) == 0
