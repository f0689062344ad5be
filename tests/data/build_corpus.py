"""Build instructions.jsonl from the hand-written instructions.dsl (run after editing it).

DSL line: ``category|g or n|text|expect[|answer]``; expect is ``ok: skill obj>target; ...``
or one of ``refused``, ``clarify``, ``infeasible``. ``g`` = grounded in the household world.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def parse_expect(spec: str) -> dict:
    spec = spec.strip()
    if not spec.startswith("ok:"):
        return {"status": spec, "steps": [], "question": None, "reason": None}
    steps = []
    for part in filter(None, (p.strip() for p in spec[3:].split(";"))):
        skill, _, rest = part.partition(" ")
        obj, _, target = rest.partition(">")
        steps.append({"skill": skill, "object": obj.strip() or None,
                      "target": target.strip() or None})
    return {"status": "ok", "steps": steps, "question": None, "reason": None}


def main() -> None:
    out = []
    for line in (HERE / "instructions.dsl").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("|")
        category, grounded, text, expect = fields[:4]
        case = {"text": text, "grounded": grounded == "g", "category": category,
                "expect": parse_expect(expect)}
        if len(fields) > 4:
            case["answer"] = fields[4]
        out.append(json.dumps(case, ensure_ascii=False))
    (HERE / "instructions.jsonl").write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{len(out)} cases")


if __name__ == "__main__":
    main()
