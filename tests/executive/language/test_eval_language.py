"""executive/language_eval.py (``tools/eval_language.py``): scores per source and overall; bad
corpus lines are clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from executive import language_eval as eval_language


def _write(tmp_path: Path, rows: list[dict]) -> Path:
    p = tmp_path / "c.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return p


def test_scores_per_source(tmp_path: Path) -> None:
    rows = [
        {"text": "put the apple in a mug on the counter", "source": "A", "category": "task",
         "steps": [{"skill": "pick", "object": "apple", "target": None},
                   {"skill": "place", "object": "apple", "target": "mug"}]},
        {"text": "put the apple in the sink", "source": "B", "category": "task",
         "steps": [{"skill": "pick", "object": "banana", "target": None}]},
        {"text": "fly to the moon", "source": "B", "category": "infeasible"},
    ]
    res = eval_language.score(eval_language.load(_write(tmp_path, rows)))
    assert res["A"]["task_exact"] == {"n": 1, "hit": 1, "pct": 100.0}
    assert res["B"]["task_exact"]["hit"] == 0
    assert res["overall"]["task_exact"] == {"n": 2, "hit": 1, "pct": 50.0}
    assert res["overall"]["infeasible_reported"]["n"] == 1
    assert "| **overall** |" in eval_language.table(res)
    assert "dev sources" in res  # the shipped held_out.txt names sources, so groups appear


def test_held_out_sources_are_scored_apart(tmp_path: Path) -> None:
    rows = [
        {"text": "put the apple in the sink", "source": "A", "category": "task",
         "steps": [{"skill": "pick", "object": "apple", "target": None},
                   {"skill": "place", "object": "apple", "target": "sink"}]},
        {"text": "put the apple in the sink", "source": "B", "category": "task",
         "steps": [{"skill": "pick", "object": "banana", "target": None}]},
    ]
    held = tmp_path / "held_out.txt"
    held.write_text("# comment\nB\n")
    res = eval_language.score(eval_language.load(_write(tmp_path, rows)),
                              eval_language.held_out_sources(held))
    assert res["dev sources"]["task_exact"] == {"n": 1, "hit": 1, "pct": 100.0}
    assert res["held-out sources"]["task_exact"] == {"n": 1, "hit": 0, "pct": 0.0}
    assert list(res)[-3:] == ["dev sources", "held-out sources", "overall"]
    assert eval_language.held_out_sources(tmp_path / "absent.txt") == frozenset()


def test_bad_line_names_file_line_and_field(tmp_path: Path) -> None:
    p = _write(tmp_path, [{"text": "x", "source": "A", "category": "nonsense"}])
    with pytest.raises(SystemExit, match=r"c\.jsonl:1: field 'category'"):
        eval_language.load(p)


def test_silver_tags_from_steps() -> None:
    row = {"text": "put the red apple in the sink", "source": "A", "category": "task",
           "steps": [{"skill": "pick", "object": "apple", "target": None},
                     {"skill": "place", "object": "apple", "target": "sink"}]}
    words, tags = eval_language.silver_tags(row)
    assert words == ["put", "the", "red", "apple", "in", "the", "sink"]
    assert tags == ["B-V", "B-OBJ", "I-OBJ", "I-OBJ", "B-TGT", "I-TGT", "I-TGT"]
    row["steps"][0]["object"] = "banana"
    assert eval_language.silver_tags(row) is None
