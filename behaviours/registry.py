"""The one list of leaves a skill or a hand-written tree may name: name -> behaviour class.

The skill schema (``trees.schema.LeafName``) derives its allowed names from this table, the
compiler (``executive.compiler``) and the tree-spec loader build leaves from it; a new leaf is
added here once and every one of them knows it.
"""

from __future__ import annotations

from typing import Any

from behaviours import leaves
from behaviours.vla import VLAPolicy

#: Leaf name as written in skills and tree specs -> the py_trees behaviour class it builds.
LEAF_TYPES: dict[str, Any] = {
    "navigate": leaves.NavigateTo,
    "detect": leaves.Detect,
    "pick": leaves.Pick,
    "place": leaves.Place,
    "open": leaves.Open,
    "close": leaves.Close,
    "toggle": leaves.Toggle,
    "wipe": leaves.Wipe,
    "pour": leaves.Pour,
    "give": leaves.Give,
    "push": leaves.Push,
    "say": leaves.Say,
    "wait": leaves.Wait,
    "vla": VLAPolicy,
}

#: The names alone, in the table's order (what the schema and error messages list).
LEAF_NAMES: tuple[str, ...] = tuple(LEAF_TYPES)
