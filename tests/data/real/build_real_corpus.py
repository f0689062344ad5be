"""Build ``instructions.jsonl`` from the hand-annotated source files in ``src/``.

Each ``src/*.txt`` file holds the verbatim lines of one public dataset, annotated once by
hand, in a compact form that is easier to review than JSON:

    # source: <dataset name>          (required, before the first entry)
    # ref: owner/repo@<commit>:path   (may change between entries)
    # prefix: <id prefix>
    T | <verbatim text> | pick cup[red]; give cup>person ;; source_place=fridge
    U | <verbatim text> | fire ;; note=...
    A | <verbatim text> | why the robot should ask
    I | <verbatim text> | why the robot cannot do it

A step is ``skill object>target``; ``-`` stands for no object; ``[a,b]`` after an object
gives its ``object_attrs``.  Run ``python tests/data/real/build_real_corpus.py`` after
editing a source file; the schema test checks the result.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CATEGORIES = {"T": "task", "U": "unsafe", "A": "ambiguous", "I": "infeasible"}


def _step(text: str, where: str) -> dict:
    """Parse one ``skill object>target`` step."""
    text = text.strip()
    skill, _, rest = text.partition(" ")
    obj, _, target = rest.partition(">")
    obj = obj.strip()
    attrs: list[str] = []
    if "[" in obj:
        obj, _, attr_text = obj.partition("[")
        attrs = [a.strip() for a in attr_text.rstrip("]").split(",") if a.strip()]
        obj = obj.strip()
    step: dict = {
        "skill": skill,
        "object": None if obj in ("", "-") else obj,
        "target": target.strip() or None,
    }
    if attrs:
        step["object_attrs"] = attrs
    if not skill:
        raise SystemExit(f"{where}: empty step")
    return step


def _extras(text: str) -> dict:
    out: dict = {}
    for part in text.split(";;"):
        if part.strip():
            key, _, value = part.strip().partition("=")
            out[key.strip()] = value.strip()
    return out


def build() -> list[dict]:
    """Read every source file in a fixed order and return the corpus records."""
    records: list[dict] = []
    for path in sorted((HERE / "src").glob("*.txt")):
        source = ref = prefix = None
        count = 0
        for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.name}:{lineno}"
            line = raw.rstrip()
            if not line.strip():
                continue
            if line.startswith("#"):
                key, _, value = line[1:].partition(":")
                key = key.strip()
                if key == "source":
                    source = value.strip()
                elif key == "ref":
                    ref = value.strip()
                elif key == "prefix":
                    prefix = value.strip()
                continue
            parts = line.split(" | ")
            if len(parts) != 3 or parts[0] not in CATEGORIES:
                raise SystemExit(f"{where}: expected 'T|U|A|I | text | annotation'")
            if not (source and ref and prefix):
                raise SystemExit(f"{where}: source, ref and prefix must come first")
            cat = CATEGORIES[parts[0]]
            text, ann = parts[1], parts[2]
            count += 1
            rec: dict = {
                "id": f"{prefix}-{count:04d}",
                "text": text,
                "source": source,
                "source_ref": ref,
                "category": cat,
            }
            head, _, tail = ann.partition(";;")
            extras = _extras(tail)
            if cat == "task":
                rec["steps"] = [_step(s, where) for s in head.split(";") if s.strip()]
            elif cat == "unsafe":
                rec["hazard"] = head.strip()
            else:
                rec["note"] = head.strip()
            rec.update(extras)
            records.append(rec)
    return records


def main() -> int:
    records = build()
    out = HERE / "instructions.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} lines to {out.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
