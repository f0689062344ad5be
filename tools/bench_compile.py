"""Instruction → validated tree latency over the development corpus, and memory.

Each instruction goes through ``understand`` (parse, ground, safety gate) and, when it yields
a plan, ``compile_plan`` and ``validate`` against the simulated world's catalogue. Prints one
JSON object with p50/p95/max per stage and end to end, and the peak traced memory.
Run it on one core to match the target (p95 <= 20 ms on one CPU core)::

    taskset -c 0 .venv/bin/python tools/bench_compile.py [--repeat 10] [--no-ground]

The learned slot tagger runs inside ``understand`` where a clause needs it; ``--model-every``
also runs it (encoder + head) on every instruction, with its caches cleared each time, for
the cost of the model on each new sentence. ``peak_rss_mib_compile`` is the peak resident
memory of one ``executive compile`` process (with the model loaded).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from executive.compiler import Compiler  # noqa: E402
from executive.language import understand  # noqa: E402
from executive.sim.backend import SimBackend  # noqa: E402
from executive.validator import validate  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "instructions.jsonl"


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))] if s else 0.0


def _stats(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50_ms": round(_pct(values, 0.5), 3),
            "p95_ms": round(_pct(values, 0.95), 3), "max_ms": round(max(values, default=0.0), 3)}


def _model_pass(text: str) -> None:
    """Tag the instruction with cold caches: what a never-seen sentence costs."""
    from executive.language import tagger
    from executive.language.understand import _tokens, _vocabulary

    tg = tagger.load()
    tg._cache.clear()
    tg.encoder._cache.clear()
    tg.tags(_tokens(text, _vocabulary(None)).t)


MODEL_EVERY = False


def one(case: dict, world, compiler: Compiler) -> tuple[float, float | None]:
    t0 = time.perf_counter()
    if MODEL_EVERY:
        _model_pass(case["text"])
    u = understand(case["text"], world if case["grounded"] else None, case.get("answer"))
    t1 = time.perf_counter()
    if u.status != "ok" or world is None or not case["grounded"]:
        return (t1 - t0) * 1e3, None
    try:
        tree = compiler.compile(u.plan)
        validate(tree.root)
    except ValueError:
        pass  # a plan the compiler refuses (e.g. avoided object) is a valid, fast answer
    return (t1 - t0) * 1e3, (time.perf_counter() - t1) * 1e3


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=10, help="passes over the corpus")
    ap.add_argument("--no-ground", action="store_true", help="parse only (world=None)")
    ap.add_argument("--model-every", action="store_true",
                    help="run the learned tagger on every instruction, caches cleared")
    args = ap.parse_args(argv)
    global MODEL_EVERY
    MODEL_EVERY = args.model_every
    cases = [json.loads(x) for x in CORPUS.read_text(encoding="utf-8").splitlines() if x.strip()]
    backend = SimBackend.create()
    world = None if args.no_ground else backend.world_model()
    compiler = Compiler(backend.entities())
    for case in cases:  # warm caches once, as a long-running server would
        one(case, world, compiler)
    parse_ms: list[float] = []
    compile_ms: list[float] = []
    total_ms: list[float] = []
    for _ in range(max(1, args.repeat)):
        for case in cases:
            p, c = one(case, world, compiler)
            parse_ms.append(p)
            if c is not None:
                compile_ms.append(c)
            total_ms.append(p + (c or 0.0))
    tracemalloc.start()
    for case in cases:
        one(case, world, compiler)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    proc = subprocess.run(
        [sys.executable, "-m", "executive.cli", "compile", "--no-ground", "--format", "plan-json",
         "put the apple in a mug on the counter"], capture_output=True, text=True, cwd=ROOT,
        check=False)
    rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({
        "benchmark": "compile", "instructions": len(cases), "repeat": args.repeat,
        "grounded": not args.no_ground, "model_every": args.model_every,
        "peak_rss_mib_compile": round(rss_kib / 1024, 1), "compile_rc": proc.returncode,
        "understand": _stats(parse_ms), "compile_validate": _stats(compile_ms),
        "end_to_end": _stats(total_ms), "peak_traced_mem_kib": round(peak / 1024, 1),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
