"""Requests that leave a choice to the robot: asked with ``status "clarify"`` (see clarify.py).

Why apart: an arrangement verb with no places ("sort the apples", "tidy the room") leaves open
what goes where, and alternatives in a singular request ("the cup or the glass") leave open
which; both are choices the operator must make, found from WordNet verb classes and the shape
of the coordination rather than from words.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from executive.language import knowledge as kn
from executive.language import lexicon as lx
from executive.language.clarify_words import (
    FILLERS,
    Outcome,
    any_noun,
    clause_words,
    first_verb,
    receptacle,
)

#: Verb classes that ask for an arrangement whose result the words leave open: where each
#: thing goes, or by what ("sort the apples", "tidy the room", "organise the shelf").
_ARRANGE = frozenset({"arrange.v.01", "classify.v.01", "unclutter.v.01"})
#: What "clear" empties when it asks where the things on it go ("clear the table", "clear
#: some space"), as opposed to what it takes away ("clear the waste").
_CLEARED = frozenset({"space", "room", "area", "surface"})
_MODALS = frozenset({"may", "might", "must", "should", "need", "needs", "to", "have", "i", "we",
                     "want", "shall", "let's", "lets"})
_GOALS = frozenset({"in", "into", "on", "onto", "to", "inside", "under", "beside", "next",
                    "near", "behind"})


@lru_cache(maxsize=4096)
def _arranging(verb: str) -> bool:
    """A verb with no skill of its own whose three most frequent WordNet senses include putting
    things in order or classifying them (its hypernyms reach arrange / classify / unclutter)."""
    if not verb.isalpha() or verb in lx.VERBS or not kn.available():
        return False
    wn = kn.reader()
    for form in dict.fromkeys([verb, verb.replace("ize", "ise")]):
        base = wn.morphy(form, "v")
        for sense in (wn.synsets(base, "v") if base else [])[:3]:
            names = {sense.name()} | {h.name() for h in sense.closure(lambda y: y.hypernyms())}
            if names & _ARRANGE:
                return True
    return False


def open_arrangement(toks: Sequence[str]) -> Outcome | None:
    """"sort the apples based on color", "tidy up the room", "clear the table": a request for
    an order of things that names no place for them leaves open what goes where; ask before
    saying what the robot can or cannot do. ("put the toys in the box" names the goal.)"""
    for words in clause_words(toks):
        # the verb, after fillers and modals ("you may need to clear some space")
        k = next((j for j, w in enumerate(words[:6]) if _arranging(lx.VERB_BASE.get(w, w)) and (
            j == 0 or words[j - 1] in FILLERS | _MODALS)), None)
        if k is None:
            continue
        base = lx.VERB_BASE.get(words[k], words[k])
        rest = [w for w in words[k + 1 :] if w not in {"up", "out", "away"}]
        if any(w in _GOALS and (i == 0 or rest[i - 1] not in {"based", "depending"})
               for i, w in enumerate(rest)):
            continue
        nouns = [w for w in rest if any_noun(w)]
        if base == "clear" and not any(w in _CLEARED or receptacle(w) or (
                kn.available() and kn.is_a(w, "furniture.n.01", senses=1)) for w in nouns):
            continue  # "clear the countertop waste": what goes is named, and where (the bin)
        what = " ".join(w for w in rest if w.isalpha()) or "them"
        return Outcome("clarify", question=f"How should I {base} {what}: what goes where? "
                                           "Please name the places.")
    return None


_OR_AFTER = frozenset({"else", "not", "so", "more", "less", "higher", "lower", "above", "below",
                       "later", "two", "three"})


def open_choice(toks: Sequence[str]) -> Outcome | None:
    """"bring me the cup or the glass", "pick up either the apple or the banana", "on the left
    or right shelf": a singular request offering alternatives leaves the choice to the robot;
    ask which. Only between things (a noun or a modifier of one on each side of "or"), in a
    clause with a verb the robot has a skill for; "or else", "or more" are no choice."""
    for words in clause_words(toks):
        fv = first_verb(words)
        if fv is None or lx.VERBS.get(lx.VERB_BASE.get(fv[1], fv[1])) is None:
            continue
        if "whether" in words or "if" in words:
            continue
        for j in range(fv[0] + 2, len(words) - 1):
            if words[j] != "or" or words[j + 1] in _OR_AFTER:
                continue
            left = words[j - 1]
            right = next((w for w in words[j + 1 : j + 5] if w not in lx.DETERMINERS
                          and w not in {"either", "maybe", "perhaps"}), "")
            sides = (left in lx.COLOURS or left in lx.SIZES or left in {"left", "right"}
                     or any_noun(left))
            if sides and right and (right in lx.COLOURS or right in lx.SIZES or right in {
                    "left", "right"} or any_noun(right)):
                a = next((i for i in range(j - 1, fv[0], -1) if words[i] in lx.DETERMINERS
                          or words[i] in {"either", ",", "me", "us"}), j - 2)
                said = " ".join(w for w in words[a + 1 : j + 5] if w not in {"either", "."})
                return Outcome("clarify", question=f"Which do you mean: {said}? Please "
                                                   "choose one.")
    return None
