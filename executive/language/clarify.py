"""Requests the robot must ask about, or report it cannot do, before any plan is made.

Why a check of its own, on the words: the parser's job is to turn a clear request into steps;
it should not also have to notice that "dispose of it" has nothing for "it" to mean, that
"the appropriate place" names no place, or that "move 10cm to the left" asks for a motion
none of the robot's 14 skills can make. Each rule is a general fact about requests:

Infeasible (``status "infeasible"``, with the reason):

- a measured motion (a length or an angle: "10cm", "by 180 degrees"): the skills go to named
  places and things, they do not move by amounts;
- a position relative to a part of a thing ("move to the top of the bowl", "to the left of
  the block") or a motion of the robot's own body ("move the gripper"): the same.

Ambiguous (``status "clarify"``, with a question naming what is missing):

- a pronoun with nothing before it to refer to ("It has expired. Can you dispose of it?");
- a thing described only by fitness ("the appropriate place", "its corresponding bowl",
  "the suitable cabinet") or by contrast with nothing said before ("the other blocks", "the
  same cabinet");
- "all" with no noun ("place all on the plate");
- a vague amount ("a few apples", "several cups");
- without a world to look in: "something"/"anything" ("bring me something to eat"), and a
  category narrowed by a description the robot cannot check ("a drink that reminds me of
  summer", "a snack that isn't chips"). With a world, the grounder resolves these against
  what is there and asks when several things fit.

The checks live by job: ``clarify_infeasible`` (what no skill does), ``clarify_unnamed`` (things,
places and changes left unnamed), ``clarify_choices`` (arrangements and alternatives),
``clarify_referents`` (pronouns, fitness, contrast, amounts); ``clarify_words`` holds the word
tests they share.
"""

from __future__ import annotations

from collections.abc import Sequence

from executive.language import lexicon as lx
from executive.language.clarify_choices import open_arrangement, open_choice
from executive.language.clarify_infeasible import infeasible
from executive.language.clarify_referents import ambiguous
from executive.language.clarify_unnamed import (
    category_place,
    place_fragment,
    unnamed_goal,
    unnamed_things,
    unreferenced_change,
)
from executive.language.clarify_words import (
    Outcome,
    Status,
    clause_words,
    first_verb,
    only_noun,
    only_verb,
    receptacle,
)

__all__ = ["Outcome", "Status", "check", "only_noun", "only_verb", "receptacle"]


def check(tokens: Sequence[str], grounded: bool = False) -> Outcome | None:
    """Infeasible first (nothing to ask if it cannot be done), then what must be asked."""
    toks = list(tokens)
    found = infeasible(toks)
    if found is not None:
        return found
    # what the request is about must be known before the robot can say it cannot do it
    for rule in (unreferenced_change, unnamed_things, category_place, place_fragment,
                 open_arrangement, open_choice, unnamed_goal):
        found = rule(toks)
        if found is not None:
            return found
    for words in clause_words(toks):
        fv = first_verb(words)
        if fv is not None and lx.VERB_BASE.get(fv[1], fv[1]) in lx.INFEASIBLE_VERBS:
            return None  # "... and boil it": the parser reports the skill it lacks
    return ambiguous(toks, grounded)
