"""Score the language layer on the real-instruction corpus, per source; print JSON, update README.

    python tools/eval_language.py [--corpus tests/data/real/instructions.jsonl] [--readme] [--loso]

The scorer is ``executive/language_eval.py`` (corpus loading, per-source figures, the README
table, the held-out groups; see its docstring for the protocol). This entry point adds
``--loso``, which retrains the tagger head per source with ``tools/train_language_model.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without an install

from executive.language_eval import (
    CORPUS,
    DEV_GROUP,
    HELD_GROUP,
    ROOT,
    held_out_sources,
    load,
    score,
    silver_tags,
    table,
    write_readme,
)


def loso(rows: list[dict[str, Any]], n: int, epochs: int) -> dict[str, dict[str, Any]]:
    """Leave-one-source-out: train the head on generated lines + the other sources' silver tags."""
    import tempfile

    import train_language_model as tlm  # tools/, beside this script

    from executive.language import tagger

    out: dict[str, dict[str, Any]] = {}
    sources = sorted({r["source"] for r in rows})
    with tempfile.TemporaryDirectory() as tmp:
        for src in sources:
            extra = Path(tmp) / "extra.jsonl"
            lines = [silver_tags(r) for r in rows if r["source"] != src and r["category"] == "task"]
            extra.write_text("".join(json.dumps({"words": w, "tags": t}) + "\n"
                                     for w, t in (x for x in lines if x is not None)))
            d = Path(tmp) / "heads"
            import contextlib
            import io

            with contextlib.redirect_stdout(io.StringIO()):
                tlm.main(["--n", str(n), "--epochs", str(epochs), "--extra", str(extra),
                          "--out", str(d)])
            tagger._TAGGER = tagger.Tagger(d / tagger.HEADS_PATH.name, d / tagger.META_PATH.name)
            res = score([r for r in rows if r["source"] == src])
            out[src] = res[src]
            out[src]["silver_training_lines"] = {"n": sum(x is not None for x in lines)}
    tagger._TAGGER = None
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--readme", action="store_true", help="write the table into README.md")
    ap.add_argument("--loso", action="store_true",
                    help="retrain the head per held-out source on the other sources' silver tags")
    ap.add_argument("--n", type=int, default=3000, help="generated lines per --loso training")
    ap.add_argument("--epochs", type=int, default=10)
    args = ap.parse_args(argv)
    if not args.corpus.is_file():
        print(f"error: {args.corpus}: no such corpus file", file=sys.stderr)
        return 2
    rows = load(args.corpus)
    res = score(rows)
    per: dict[str, dict[str, Any]] | None = None
    if args.loso:
        per = loso(rows, args.n, args.epochs)
        held = held_out_sources()
        totals: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        for src, figs in per.items():
            groups = (HELD_GROUP if src in held else DEV_GROUP,) if held else ()
            for k, f in figs.items():
                if "pct" in f:
                    for g in (*groups, "overall"):
                        totals[g][k][0] += f["hit"]
                        totals[g][k][1] += f["n"]
        for g in (DEV_GROUP, HELD_GROUP, "overall"):
            if g in totals:
                per[g] = {k: {"n": n, "hit": h, "pct": round(100.0 * h / n, 1)}
                          for k, (h, n) in sorted(totals[g].items())}
        print(json.dumps({"protocol": "leave-one-source-out, silver tags", "results": per}))
    print(json.dumps({"corpus": str(args.corpus.relative_to(ROOT)) if args.corpus.is_relative_to(ROOT)
                      else str(args.corpus), "lines": len(rows), "results": res}))
    if args.readme:
        text = table(res)
        if per is not None:
            text += ("\n\nLeave-one-source-out (`--loso`): the head retrained per source on generated "
                     "lines plus the other sources' task lines, tagged from their annotated steps "
                     "(weak labels), and scored on the held-out source:\n\n" + table(per))
        write_readme(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
