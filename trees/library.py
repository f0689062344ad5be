"""Load and check the skill library. Errors name the file, the field and the line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from inference.bounded import FileLimitError, load_file
from trees.schema import SkillTemplate

SKILLS_DIR = Path(__file__).parent / "skills"


class SkillFileError(ValueError):
    """A skill file is malformed; ``str()`` reads ``FILE:LINE: field: problem``."""

    def __init__(self, path: Path | str, line: int | None, field: str, problem: str) -> None:
        self.path, self.line, self.field, self.problem = str(path), line, field, problem
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {field or '<file>'}: {problem}")


@dataclass(frozen=True)
class SkillLibrary:
    templates: dict[str, SkillTemplate]

    def __getitem__(self, skill: str) -> SkillTemplate:
        return self.templates[skill]

    def __contains__(self, skill: object) -> bool:
        return skill in self.templates

    def names(self) -> list[str]:
        return sorted(self.templates)


def _line_of(node: yaml.Node | None, loc: Iterable[Any]) -> int | None:
    """1-based line of the YAML node at a pydantic error location (best effort)."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == key), None)
            if nxt is None:
                break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
        line = node.start_mark.line + 1
    return line


def load_skill_file(path: Path | str) -> SkillTemplate:
    p = Path(path)
    try:  # bounded (inference.bounded): one compose gives both the data and the line numbers
        data, node = load_file(p, node=True)
    except OSError as e:
        raise SkillFileError(p, None, "", f"cannot read ({e.strerror})") from e
    except FileLimitError as e:
        raise SkillFileError(p, None, "", f"{e.problem} (limit {e.limit})" if e.limit
                             else e.problem) from e
    except (yaml.YAMLError, ValueError) as e:
        mark = getattr(e, "problem_mark", None)
        raise SkillFileError(p, mark.line + 1 if mark else None, "", f"not valid YAML: {e}") from e
    if not isinstance(data, dict):
        raise SkillFileError(p, 1, "", "a skill file must be a mapping")
    try:
        return SkillTemplate.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = [x for x in err["loc"] if not (isinstance(x, str) and x.startswith("function-"))]
        field = ".".join(str(x) for x in loc)
        raise SkillFileError(p, _line_of(node, loc), field, err["msg"]) from e


def load_library(directory: Path | str = SKILLS_DIR) -> SkillLibrary:
    d = Path(directory)
    templates: dict[str, SkillTemplate] = {}
    for f in sorted(d.glob("*.yaml")):
        t = load_skill_file(f)
        if t.skill in templates:
            raise SkillFileError(f, None, "skill", f"duplicate skill {t.skill!r}")
        if f.stem != t.skill:
            raise SkillFileError(f, None, "skill", f"skill {t.skill!r} must live in {t.skill}.yaml")
        templates[t.skill] = t
    if not templates:
        raise SkillFileError(d, None, "", "no skill files (*.yaml) found")
    return SkillLibrary(templates)
