"""Requests no skill can do, reported as ``infeasible`` with the reason (see clarify.py).

Why apart: these are facts about the robot's skills (they go to named places and things; they
do not move by amounts, move the robot's own body, apply liquids or do what no skill does),
not about what the words leave open, and they are checked first: nothing to ask if it cannot
be done.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from executive.language import knowledge as kn
from executive.language import lexicon as lx
from executive.language.clarify_words import Outcome, clause_words, first_verb, is_noun
from executive.language.hazard_properties import main_properties

_UNIT = (r"(?:cm|mm|m|km|in|ft|centimet(?:er|re)s?|millimet(?:er|re)s?|met(?:er|re)s?|inch(?:es)?|"
         r"feet|foot|degrees?|deg|°)")
_MEASURE_TOKEN = re.compile(rf"^\d+(?:\.\d+)?{_UNIT}$")
_UNIT_TOKEN = re.compile(rf"^{_UNIT}$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")

#: Parts of a thing that are positions, not places ("the top of the bowl").
_PART_POSITIONS = frozenset({"top", "left", "right", "side", "back", "front", "bottom",
                             "corner", "edge", "center", "centre", "middle", "end", "rim"})
#: The robot's own body: its skills move it; it does not take it as an object.
_OWN_BODY = frozenset({"gripper", "ee", "effector", "end-effector", "arm", "wrist", "claw",
                       "fingers", "hand", "base", "joint", "joints", "camera"})


def _measure(toks: Sequence[str]) -> str | None:
    for k, t in enumerate(toks):
        if _MEASURE_TOKEN.match(t):
            return t
        if _NUMBER.match(t) and k + 1 < len(toks) and _UNIT_TOKEN.match(toks[k + 1]) and (
                toks[k + 1] not in {"m", "in"}):
            return f"{t} {toks[k + 1]}"
    return None


#: Verbs of moving oneself: with only a direction after them they ask for a motion by an
#: amount ("go forward", "drive backwards", "walk to the left a bit").
_SELF_MOTION = frozenset({"move", "go", "walk", "drive", "head", "travel", "proceed", "step",
                          "roll", "advance", "back", "reverse", "strafe", "slide", "scoot"})
#: Directional adverbs, a closed class: they name a way to go, never a place to arrive at.
#: ("back", "up", "down", "away" are left out: "go back" returns, "go up" may be upstairs.)
_DIRECTIONS = frozenset({"forward", "forwards", "backward", "backwards", "ahead", "straight",
                         "left", "right", "sideways", "around", "onward", "onwards",
                         "leftward", "rightward", "leftwards", "rightwards"})
#: Words that may stand beside a direction without naming a place ("a little to the left",
#: "slowly forward two steps").
_DIRECTION_FILLERS = frozenset({"to", "the", "a", "little", "bit", "slightly", "further",
                                "more", "please", "slowly", "quickly", "carefully", "step",
                                "steps", "then", "now", "just", "and", "straight", "towards",
                                "toward", "your", "my", "in", "circle", "circles", "robot"})


def _direction_only(rest: Sequence[str]) -> bool:
    """The words after a verb of moving oneself are a direction and nothing else: no object,
    no place ("go forward", "walk to the left a bit"; not "go left to the fridge")."""
    words = [w for w in rest if w.isalpha() or w.isdigit()]
    if any(a in {"right", "straight"} and b in {"now", "away"} for a, b in pairwise(words)):
        return False  # "right now", "straight away": a time, not a direction
    if not any(w in _DIRECTIONS for w in words):
        return False
    return all(w in _DIRECTIONS or w in _DIRECTION_FILLERS or w in lx.ADVERBS or w.isdigit()
               or w in lx.NUMBER_WORDS for w in words)


_NEED_WORDS = frozenset({"need", "needs", "should", "must", "has", "have", "ought", "wants"})
_GIVING = frozenset({"bring", "give", "hand", "pass", "fetch", "deliver", "offer", "serve"})


def _no_skill(word: str) -> str | None:
    """The base of ``word`` when it is a form of a verb the robot has no skill for ("sliced",
    "cooking" → "slice", "cook"); ``None`` otherwise."""
    base = lx.VERB_BASE.get(word)
    return base if base in lx.INFEASIBLE_VERBS and base not in lx.VERBS else None


def _wanted_state(words: Sequence[str]) -> str | None:
    """What a clause needs done that no skill does, said as a state or a purpose:

    - "the potato should have 2 slices cooked", "the bread needs slicing": a statement (it
      starts with what it is about, not with a verb) whose needed state is a no-skill verb;
    - "grab the knife to slice the bread": the robot fetches a tool for a no-skill purpose of
      its own (to someone — "bring me the knife to cut it" — the person does the cutting).
    """
    fv = first_verb(words)
    if fv is None:
        return None
    k, first = fv
    if first in lx.DETERMINERS or (first not in lx.VERB_BASE and is_noun(first)):
        need = next((j for j in range(k + 1, len(words)) if words[j] in _NEED_WORDS), None)
        if need is not None:
            for w in words[need + 1 : need + 7]:
                base = _no_skill(w)
                if base is not None and w != base and (w.endswith(("ed", "en", "ing")) or (
                        w in lx.IRREGULAR)):  # "sliced", "cooking": a state or an act
                    return base
        if "," in words:  # "the plate is clean, you need to get the knife to slice it"
            return _wanted_state(words[words.index(",") + 1 :])
        return None
    j = k
    while words[j : j + 2] in (["need", "to"], ["have", "to"], ["needs", "to"]) and (
            j + 2 < len(words)):
        j += 2
    verb = lx.VERB_BASE.get(words[j], words[j])
    if verb in _GIVING or lx.VERBS.get(verb) not in {"bring", "pick", "take"}:
        return None
    if any(w in {"me", "us", "him", "her", "them"} for w in words[j + 1 : j + 3]):
        return None
    for x in range(j + 1, len(words) - 1):
        if words[x] == "to" and (base := _no_skill(words[x + 1])) is not None and (
                words[x + 1] == base):
            return base
    return None


def infeasible(toks: Sequence[str]) -> Outcome | None:
    m = _measure(toks)
    if m is not None:
        return Outcome("infeasible", reason=f"I can't move by a measured amount ('{m}'): my "
                                            "skills go to named places and things.")
    for words in clause_words(toks):
        fv = first_verb(words)
        if fv is None:
            continue
        k, verb = fv
        base = lx.VERB_BASE.get(verb, verb)
        rest = [w for w in words[k + 1 :] if w not in lx.DETERMINERS]
        # "move to the top of the bowl", "go to the left of the block"
        if base in {"move", "go", "navigate"} and len(rest) >= 3 and rest[0] == "to" and (
                rest[1] in _PART_POSITIONS or (rest[1] in {"back", "front"} and rest[2] == "side")
        ) and "of" in rest[1:4]:
            return Outcome("infeasible", reason="I can't move to a point on or beside a "
                                                    "thing: I go to places and pick, place or "
                                                    "push things.")
        # "move the bowl to the left.": a direction, with no place named
        for j in range(len(rest) - 1):
            if rest[j] in {"to", "toward", "towards"} and rest[j + 1] in {
                    "left", "right", "top", "bottom", "front", "back", "up", "down"} and (
                    j + 2 >= len(rest) or rest[j + 2] in {".", "!", "?", ",", "side", "and"}) and (
                    base in {"move", "push", "slide", "shift", "nudge", "place", "put"}):
                if rest[j + 2 : j + 4] == ["side", "of"]:
                    continue
                return Outcome("infeasible", reason=f"I can't move things {rest[j]} the "
                                                    f"{rest[j + 1]} by an amount: name the place "
                                                    "to put it.")
        # "go" and "ahead" are fillers to first_verb ("go ahead and ..."): "go left" leads
        # with its direction
        if (base in _SELF_MOTION and _direction_only(words[k + 1 :])) or (
                k > 0 and words[k - 1] == "go" and _direction_only(words[k:])):
            return Outcome("infeasible", reason="I can't move in a direction on its own: I go "
                                                "to named places and things.")
        wanted = _wanted_state(words)
        if wanted is not None:
            return Outcome("infeasible", reason=f"I can't {wanted}: I have no skill for that.")
        # "take off and fly to the kitchen": taking off with nothing taken off is a flight
        if base == "take" and words[k + 1 : k + 2] == ["off"] and (
                k + 2 >= len(words) or words[k + 2] in {"and", "then", ",", ".", "!", ";"}):
            return Outcome("infeasible", reason="I can't take off or fly: I move on the ground.")
        applied = _applied_matter(base, words[k + 1 :])
        if applied is not None:
            return Outcome("infeasible", reason=f"I can't {base} with {applied}: I can wipe with "
                                                "a cloth or a sponge, but not apply water, "
                                                "liquids or cleaning chemicals.")
        # "move the gripper behind the bowl", "move ee forward"
        if base in {"move", "lower", "raise", "lift", "rotate", "turn", "open", "close"} and (
                rest[:1] and rest[0] in _OWN_BODY and (
                    words[k + 1 : k + 2] in (["the"], ["your"]) or rest[0] in {"ee", "gripper"})):
            return Outcome("infeasible", reason=f"I can't move my {rest[0]} on its own: my "
                                                "skills move it for a task.")
    return None


_APPLY_MARKERS = frozenset({"with", "using"})
_LIST_BREAKS = frozenset({",", "and", "&"})


@lru_cache(maxsize=8192)
def _matter(phrase: str) -> bool:
    """Is ``phrase`` a liquid or a chemical rather than a tool ("water", "vinegar", "sodium
    carbonate", "disinfectant"; not "cloth", "sponge", "brush")? From the property table
    (liquid, cleaning chemical) and WordNet (a chemical compound)."""
    if main_properties(phrase) & {"liquid", "contaminant"}:
        return True
    return kn.available() and kn.is_a(phrase, "chemical.n.01", senses=1)


def _applied_matter(base: str, rest: Sequence[str]) -> str | None:
    """"rinse it with water", "clean the vase using vinegar and water", "cover it with
    disinfectant": the only means named is matter to apply, which needs a tap, a sprayer or a
    brush the robot does not have. (A cloth among them is a wipe: "with a rag and water".)
    The verbs: cleaning ones, "remove", and verbs the lexicon has no frame for; never fill /
    pour, whose "with water" is what goes in."""
    kind = lx.VERBS.get(base)
    if not (kind == "wipe" or base == "remove" or (kind is None and base not in lx.VERB_BASE)):
        return None
    at = next((j for j, w in enumerate(rest) if w in _APPLY_MARKERS), None)
    if at is None:
        return None
    items: list[list[str]] = [[]]
    for w in rest[at + 1 :]:
        if w in {".", "!", "?", ";", "then", "to", "from", "on", "in", "into", "onto", "for"}:
            break
        if w in _LIST_BREAKS:
            items.append([])
        elif w not in lx.DETERMINERS:
            items[-1].append(w)
    names = [" ".join(i) for i in items if i]
    if not names or not all(_matter(n) for n in names):
        return None
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
