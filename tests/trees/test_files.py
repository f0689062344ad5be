"""Malformed files get errors that name the file, the field and (for skills) the line."""

import pytest

from executive.plan import PlanError, load_plan
from trees.library import SkillFileError, load_library, load_skill_file


def test_library_loads_every_plan_skill():
    from executive.plan import SKILLS

    assert set(load_library().names()) == set(SKILLS)


@pytest.mark.parametrize("body, field, line", [
    ("skill: pick\nsummary: x\naction: {leaf: pick}\nguard: {torque: -5}\n", "guard", 4),
    ("skill: pick\nsummary: x\naction:\n  leaf: fly\n", "action.leaf", 4),
    ("skill: pick\nsummary: x\naction: {leaf: pick}\nrecovery:\n  retry: {attempts: 0}\n",
     "recovery.retry.attempts", 5),
    ("skill: pick\nsummary: x\naction: {leaf: pick}\nbogus: 1\n", "bogus", 4),
    ("skill: pick\naction: {leaf: pick}\n", "summary", None),
])
def test_skill_errors_name_file_field_and_line(tmp_path, body, field, line):
    f = tmp_path / "pick.yaml"
    f.write_text(body)
    with pytest.raises(SkillFileError) as e:
        load_skill_file(f)
    assert e.value.field == field
    assert str(f) in str(e.value)
    if line is not None:
        assert e.value.line == line


def test_skill_yaml_syntax_error_names_line(tmp_path):
    f = tmp_path / "pick.yaml"
    f.write_text("skill: pick\nsummary: [unclosed\n")
    with pytest.raises(SkillFileError) as e:
        load_skill_file(f)
    assert "not valid YAML" in str(e.value) and e.value.line is not None


@pytest.mark.parametrize("body, needle", [
    ("steps: []", "non-empty list"),
    ("steps:\n  - {skill: fly, object: x}", "steps[0].skill: unknown skill 'fly'"),
    ("steps:\n  - {skill: pick, object: 3}", "steps[0].object must be a string"),
    ("steps:\n  - {skill: pick, object: a}\n  - {skill: place, target: b, depends_on: [1]}",
     "steps[1].depends_on"),
    ("steps:\n  - {skill: pick, colour: red}", "unknown field(s) ['colour']"),
    ("- just a list", "a plan must be a mapping"),
    ("steps: [unclosed", "not valid YAML"),
])
def test_plan_errors_name_file_and_field(tmp_path, refused, body, needle):
    refused(tmp_path / "plan.yaml", body, load_plan, PlanError, needle)
