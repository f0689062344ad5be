"""Hostile files for every file kind the executive reads, and what each costs to refuse (the
generator and the per-file measure; the CLI is ``tools/fuzz_files.py``).

Generates alias bombs, alias cycles, 10,000-deep nesting, a 50 MB file, random bytes, lone
surrogates (as raw bytes and as YAML/JSON escapes), NaN/inf everywhere, a long string and a
58,000-step plan, for each kind: plan, tree, skill, scene, model card. Each file is read by
that kind's reader in a fresh subprocess; the tool prints one JSON object with, per file, the
answer (the error type and message), the wall time and the peak RSS::

    python tools/fuzz_files.py [--kinds plan,tree] [--out DIR]

The test (tests/inference/test_bounded_files.py) uses :func:`hostile_files` and asserts only on
the answers; time and memory are measured here, never asserted in tests.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

KINDS = ("plan", "tree", "skill", "scene", "card")


def _valid_head(kind: str) -> str:
    """A key that makes the file look like its kind, so the reader's own path is taken."""
    return {"plan": "steps", "tree": "tree", "skill": "skill", "scene": "rooms",
            "card": "outputs"}[kind]


def hostile_files(directory: Path, kind: str, big_mb: int = 50) -> dict[str, Path]:
    """Write the hostile files of ``kind`` under ``directory``; returns name -> path."""
    rng = random.Random(16)
    head = _valid_head(kind)
    ext = ".yaml"
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        bomb.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    cases: dict[str, bytes] = {
        "alias_bomb": ("\n".join(bomb) + f"\n{head}: *a8\n").encode(),
        "alias_cycle": f"{head}: &c [1, *c]\n".encode(),
        "alias_cycle_map": f"{head}: &c {{child: *c}}\n".encode(),
        "deep_seq": (f"{head}: " + "[" * 10_000 + "]" * 10_000 + "\n").encode(),
        "deep_map": (f"{head}: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n").encode(),
        "deep_block": ("".join(" " * i + f"k{i}:\n" for i in range(2_000)) + " " * 2000 + "1\n")
        .encode(),
        "random_bytes": bytes(rng.randrange(256) for _ in range(4096)),
        "lone_surrogate_bytes": f"{head}: \"".encode() + b"\xed\xa0\x80" + b'"\n',
        "lone_surrogate_escape": f'{head}: "\\ud800"\n'.encode(),
        "nan_inf": (f"{head}: [.nan, .inf, -.inf, .NaN]\nname: .nan\nx: -.inf\n").encode(),
        "long_string": (f"{head}: " + "a" * 200_000 + "\n").encode(),
        "many_steps": (f"{head}: [" + ", ".join(["wait"] * 58_000) + "]\n").encode(),
    }
    if kind == "plan":  # JSON spellings of the same attacks
        cases["steps_1001"] = ("steps: [" + ", ".join(["{skill: wait}"] * 1001) + "]\n").encode()
        cases["json_deep"] = ('{"steps": ' + "[" * 10_000 + "]" * 10_000 + "}").encode()
        cases["json_nan"] = b'{"steps": [{"skill": "wait", "params": {"seconds": NaN}}]}'
        cases["json_surrogate"] = b'{"steps": [{"skill": "say", "object": "\\ud800"}]}'
    out: dict[str, Path] = {}
    d = directory / kind
    d.mkdir(parents=True, exist_ok=True)
    for name, data in cases.items():
        p = d / f"{name}{'.json' if name.startswith('json_') else ext}"
        p.write_bytes(data)
        out[name] = p
    big = d / f"big{ext}"
    with big.open("wb") as f:  # 50 MB: a valid prefix and then more of it
        f.write(f"{head}:\n".encode())
        line = b"  - " + b"x" * 60 + b"\n"
        for _ in range(big_mb * (1 << 20) // len(line)):
            f.write(line)
    out["big_50mb"] = big
    return out


def reader(kind: str) -> Callable[[Path], object]:
    """The reader the executive uses for ``kind``."""
    if kind == "plan":
        from executive.plan import load_plan
        return load_plan
    if kind == "tree":
        from executive.tree_spec import load_tree
        return load_tree
    if kind == "skill":
        from trees.library import load_skill_file
        return load_skill_file
    if kind == "scene":
        from executive.sim.scene import load_scene
        return load_scene
    from inference.card import load_card
    return load_card


_CHILD = """
import json, resource, sys, time, traceback
sys.path.insert(0, {root!r})
from executive.hostile_files import reader
read = reader({kind!r})
t0 = time.perf_counter()
try:
    read({path!r})
    answer = {{"error": None, "message": "accepted"}}
except ValueError as e:
    answer = {{"error": type(e).__name__, "message": str(e)[:300]}}
except BaseException as e:
    answer = {{"error": type(e).__name__, "message": "TRACEBACK " + traceback.format_exc()[-300:]}}
answer["seconds"] = round(time.perf_counter() - t0, 4)
answer["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(answer))
"""


def measure(path: Path, kind: str) -> dict[str, object]:
    root = str(Path(__file__).resolve().parents[1])
    code = _CHILD.format(root=root, kind=kind, path=str(path))
    env = {**os.environ, "PYTHONPATH": root}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       timeout=120)
    if r.returncode != 0 or not r.stdout.strip():
        return {"error": "crash", "message": r.stderr[-300:]}
    return json.loads(r.stdout.strip().splitlines()[-1])
