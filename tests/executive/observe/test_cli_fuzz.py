"""Any bytes through the CLI with logging on (issue 19 item 6): random bytes as the instruction,
as a plan file and as a tree file, and byte-flipped copies of real plans and trees. Every
answer is an exit code with a message (never a traceback), an error names the file, and every
log a run leaves is readable (``read_log`` and ``executive log summary``)."""

from __future__ import annotations

import contextlib
import io
import os
import random
import subprocess
import sys

from executive.cli import main
from executive.observe.mcap_log import read_log

from .conftest import EX, ROOT

EXIT_CODES = {0, 1, 2, 3, 4}


def _cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as e:  # argparse's own usage errors
            code = e.code if isinstance(e.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def _log_is_readable(log) -> None:
    if not log.exists():
        return
    data = read_log(log)
    assert data.is_mcap, log
    assert not data.truncated, (log, data.error)  # the run ended: its log was closed
    code, out, err = _cli(["log", "summary", str(log), "--json"])
    assert code == 0 and "Traceback" not in err, (log, err)


VALID = (b"go to the red cube", b"bring the red cup to the sink", b"pick up the blue bottle")


def _random_text(rng: random.Random, i: int) -> str:
    """Bytes as a shell hands them to Python (decoded with the file system's error handler):
    pure noise, or a valid instruction with noise (often not UTF-8) spliced in."""
    raw = bytes(rng.randrange(1, 256) for _ in range(rng.randrange(0, 120)))
    if i % 3:
        base = rng.choice(VALID)
        at = rng.randrange(len(base) + 1) if i % 3 == 1 else len(base)
        raw = base[:at] + raw[: rng.randrange(1, 4)] + base[at:]
    return os.fsdecode(raw)


def _mutate(data: bytes, rng: random.Random, mild: bool = False) -> bytes:
    """Flip, insert or delete bytes; ``mild``: one printable-ASCII change (the file often still
    parses, so the run and its log happen)."""
    b = bytearray(data)
    if mild:
        i = rng.randrange(len(b))
        b[i] = rng.choice(b" abcxyz019:-_[]{}")
        return bytes(b)
    for _ in range(rng.randrange(1, 12)):
        op = rng.random()
        i = rng.randrange(len(b)) if b else 0
        if op < 0.5 and b:
            b[i] = rng.randrange(256)
        elif op < 0.8:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
        elif b:
            del b[i:i + rng.randrange(1, 16)]
    return bytes(b)


def test_random_instructions_with_logging(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rng = random.Random(19)
    answers, logs = [], 0
    for i in range(30):
        log = tmp_path / f"i{i}.mcap"
        text = _random_text(rng, i)
        code, out, err = _cli(["run", "--world", "kinematic", text, "--seed", "1", "--engine", "none",
                               "--log", str(log), "--max-time", "60"])
        assert code in EXIT_CODES, (i, code, err)
        assert "Traceback" not in err + out, err
        if code == 2:
            assert "executive: error:" in err and err.count("\n") <= 3, err  # one clear line
        _log_is_readable(log)
        logs += log.exists()
        answers.append(code)
    assert logs >= 3, answers  # some noisy instructions still ran (and left a whole log)
    assert 2 in answers  # some were not UTF-8: refused as bad input, naming the byte


def test_random_and_mutated_plan_and_tree_files_with_logging(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rng = random.Random(1919)
    seeds = {"plan": [(EX / n).read_bytes() for n in ("go_to_red_cube.yaml", "bring_red_cup_to_sink.yaml")],
             "tree": [(EX / "trees" / "patrol.yaml").read_bytes()]}
    counts, ran = {"plan": 0, "tree": 0}, {"plan": 0, "tree": 0}
    for kind, originals in seeds.items():
        for i in range(24):
            src = tmp_path / f"{kind}{i}.yaml"
            if i % 3 == 0:
                src.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randrange(0, 600))))
            else:
                src.write_bytes(_mutate(rng.choice(originals), rng, mild=i % 3 == 2))
            log = tmp_path / f"{kind}{i}.mcap"
            code, out, err = _cli(["run", "--world", "kinematic",
                                   f"--{kind}", str(src), "--seed", "1", "--engine", "none",
                                   "--log", str(log), "--max-time", "60"])
            assert code in EXIT_CODES, (src, code, err)
            assert "Traceback" not in err + out, (src, err)
            if code == 2:
                assert src.name in err, (src, err)  # the error names the file
            _log_is_readable(log)
            counts[kind] += 1
            ran[kind] += log.exists()
    assert counts == {"plan": 24, "tree": 24}
    assert ran["plan"] >= 2 and ran["tree"] >= 1, ran  # mutated files that still ran left whole logs


def test_raw_argv_bytes_through_a_real_process(tmp_path):
    """Non-UTF-8 bytes in argv (what a shell passes), logging on: a clear answer, a whole log."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = tmp_path / "raw.mcap"
    p = subprocess.run([sys.executable, "-m", "executive.cli", "run", "--world", "kinematic",
                                                               b"pick up the \xff\xfe\xc3 cup",
                        "--engine", "none", "--log", str(log)], cwd=tmp_path, env=env,
                       capture_output=True, timeout=120)
    err = p.stderr.decode("utf-8", "replace")
    assert p.returncode == 2 and "Traceback" not in err, err
    assert "not UTF-8 text (byte 0xff" in err, err
    _log_is_readable(log)
    from executive.observe.mcap_log import McapLogWriter

    w = McapLogWriter(tmp_path / "meta.mcap", metadata={"instruction": os.fsdecode(b"go \xff")})
    w.close()  # undecodable text in the metadata is escaped, never a crash
    assert read_log(tmp_path / "meta.mcap").metadata["run"]["instruction"] == "go \\udcff"
