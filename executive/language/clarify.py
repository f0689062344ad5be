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

:func:`check` returns ``None`` when nothing here applies; the parser then decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from executive.language import chunk
from executive.language import knowledge as kn
from executive.language import lexicon as lx
from executive.language.clauses import split
from executive.language.hazard_properties import main_properties

Status = str  # "clarify" | "infeasible"


@dataclass(frozen=True)
class Outcome:
    """What to say instead of a plan; ``span`` is the token range an ``--answer`` replaces."""

    status: Status
    question: str | None = None
    reason: str | None = None
    span: tuple[int, int] | None = None


# --- infeasible ----------------------------------------------------------------------------

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
_SELF_WORDS = frozenset({"your", "the"})
#: Words that start a clause without being its verb.
_FILLERS = frozenset({"please", "can", "could", "would", "will", "you", "just", "now", "also",
                      "kindly", "hey", "robot", "ok", "okay", "then", "and", "so", "first",
                      "next", "finally", "lastly", "go", "ahead", "but", "try", "to"})


def _measure(toks: Sequence[str]) -> str | None:
    for k, t in enumerate(toks):
        if _MEASURE_TOKEN.match(t):
            return t
        if _NUMBER.match(t) and k + 1 < len(toks) and _UNIT_TOKEN.match(toks[k + 1]) and (
                toks[k + 1] not in {"m", "in"}):
            return f"{t} {toks[k + 1]}"
    return None


def _clause_words(toks: Sequence[str]) -> list[list[str]]:
    return [list(toks[s.start : s.end]) for s in split(list(toks))]


def _first_verb(words: Sequence[str]) -> tuple[int, str] | None:
    k = 0
    while k < len(words) and (words[k] in _FILLERS or words[k] in lx.ADVERBS):
        k += 1
    return (k, words[k]) if k < len(words) else None


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
    fv = _first_verb(words)
    if fv is None:
        return None
    k, first = fv
    if first in lx.DETERMINERS or (first not in lx.VERB_BASE and _is_noun(first)):
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


def _infeasible(toks: Sequence[str]) -> Outcome | None:
    m = _measure(toks)
    if m is not None:
        return Outcome("infeasible", reason=f"I can't move by a measured amount ('{m}'): my "
                                            "skills go to named places and things.")
    for words in _clause_words(toks):
        fv = _first_verb(words)
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


# --- ambiguous -----------------------------------------------------------------------------

_PRONOUNS = frozenset({"it", "them", "that", "this", "those", "these"})
_DEMONSTRATIVES = frozenset({"that", "this", "those", "these"})
#: What may follow a demonstrative used as a pronoun ("undo that.", "put this on the table").
_PRONOUN_FOLLOWERS = frozenset({".", "!", "?", ",", ";", ":", "on", "in", "into", "onto", "to",
                                "at", "with", "from", "off", "up", "down", "back", "away",
                                "out", "over", "again", "please", "here", "there", "and", "for",
                                "near", "next", "under", "one", "is", "was"})
#: A description by fitness names no particular thing.
_FITNESS = frozenset({"appropriate", "suitable", "proper", "corresponding", "respective",
                      "relevant", "correct", "right", "usual", "designated", "matching"})
_CONTRAST = frozenset({"other", "same", "remaining", "rest"})
_VAGUE_AMOUNTS: tuple[tuple[str, ...], ...] = (("a", "few"), ("several",), ("a", "number", "of"),
                                               ("some", "of", "the"), ("a", "bunch", "of"),
                                               ("a", "handful", "of"))
_INDEFINITE = frozenset({"a", "an", "some", "any"})
#: Singular nouns that name no kind of thing ("the thing", "that object").
_KINDLESS = frozenset({"thing", "object", "item"})
_GENERIC = frozenset({"something", "anything", "thing", "things", "stuff", "whatever"})
_REQUEST_VERBS = frozenset({"bring", "get", "fetch", "give", "hand", "find", "grab", "pick",
                            "take", "want", "like", "need", "craving", "crave", "have", "pass"})
_NOT_NOUNS = _PRONOUNS | lx.DETERMINERS | _FILLERS | {
    "i", "me", "my", "we", "us", "our", "he", "she", "him", "her", "they", "their", "one",
    "is", "are", "was", "were", "be", "been", "am", "has", "have", "had", "do", "does", "did",
    "not", "no", "of", "to", "in", "on", "with", "for", "at", "from", "by", "up", "down",
    "already", "now", "again", "any", "more", "all", "there", "here", "what", "where",
}


@lru_cache(maxsize=16384)
def _any_noun(word: str) -> bool:
    """A word with any noun sense ("place", "spot" are locations, not physical things)."""
    if word in _NOT_NOUNS or not word.isalpha():
        return False
    return _is_noun(word) or (kn.available() and bool(kn.noun_senses(word, physical_only=False)))


@lru_cache(maxsize=16384)
def _is_noun(word: str) -> bool:
    """A word that can name a thing: a physical WordNet noun, or a noun the lexicon knows."""
    if word in _NOT_NOUNS or not word.isalpha():
        return False
    if word in lx.COMMON_NOUNS or word in lx.PERSON_WORDS or word in lx.ANIMAL_WORDS:
        return True
    if not kn.available():
        return False
    # the most frequent noun sense must be a thing: "needs", "want" are nouns only by a stretch
    wn = kn.reader()
    base = wn.morphy(word, "n")
    senses = wn.synsets(base, "n") if base else []
    return bool(senses) and senses[0].lexname() in kn.PHYSICAL


def _dangling_pronoun(toks: Sequence[str], grounded: bool) -> tuple[str, int, int] | None:
    """The first object pronoun with no noun before it in the whole request, and its span.

    ("the red one" is left to the grounder when there is a world: a colour may pick it.)"""
    seen_noun = False
    for seg in split(list(toks)):
        words = list(toks[seg.start : seg.end])
        fv = _first_verb(words)
        start = fv[0] if fv else 0
        for j, w in enumerate(words):
            if j == start and w in lx.VERB_BASE:
                continue  # the clause's verb ("can", "water", "light" are nouns too)
            if w in _PRONOUNS and j > start:
                nxt = words[j + 1] if j + 1 < len(words) else ""
                if w in _DEMONSTRATIVES and nxt and nxt not in _PRONOUN_FOLLOWERS:
                    continue  # "that cup", "that caffeinated drink": a determiner here
                if w == "that" and j > 0 and _is_noun(words[j - 1]):
                    continue  # "a drink that ...": a relative pronoun
                if not seen_noun:
                    return w, seg.start + j, seg.start + j + 1
            elif w == "one" and not grounded and j > 1 and words[j - 2] in lx.DETERMINERS and (
                    not seen_noun) and (
                    j + 1 >= len(words) or words[j + 1] in _PRONOUN_FOLLOWERS - {"one"}) and (
                    words[j + 1 : j + 2] != ["of"]):
                # "the crispy one", with nothing before it
                return f"the {words[j - 1]} one", seg.start + j - 2, seg.start + j + 1
            elif _is_noun(w) or (j > 0 and words[j - 1] in {"the", "a", "an"} and (
                    w not in lx.DETERMINERS and w not in _PRONOUNS and w not in lx.COLOURS
                    and w not in lx.SIZES and chunk.is_noun(w) and not chunk.adjective(w))):
                seen_noun = True  # "pick up the can and place it": after an article, a noun
    return None


def _handed(t: list[str], k: int) -> bool:
    """"right" at ``k`` is a side, not fitness: the next word is a body part or effector ("the
    right arm"), or "left" stands in the same sentence as its contrast ("the left shelf and
    the right shelf", "small cookware in the left cabinet, large in the right cabinet")."""
    from executive.language.effector import EFFECTORS
    from executive.language.harm import body_part

    nxt = t[k + 1] if k + 1 < len(t) else ""
    if nxt in EFFECTORS or (nxt.isalpha() and body_part(nxt)):
        return True
    return any(x == "left" and ((j + 1 < len(t) and _any_noun(t[j + 1])) or t[j + 1 : j + 2] in (
        ["side"], ["one"])) for j, x in enumerate(t) if j != k)


def _ambiguous(toks: Sequence[str], grounded: bool) -> Outcome | None:
    t = list(toks)
    heads_before: list[str] = []
    for k, w in enumerate(t):
        nxt = t[k + 1 : k + 4]
        noun = next((x for x in nxt if _any_noun(x)), None)
        if w in _FITNESS and noun is not None and not (w == "right" and nxt[:1] in (
                ["side"], ["of"], ["hand"], ["corner"], ["drawer"], ["shelf"], ["door"])) and (
                not (w == "right" and _handed(t, k))):
            return Outcome("clarify", question=f"Which {noun} do you mean by '{w} {noun}'? "
                                               f"Please name it.",
                           span=(k, k + 2 + nxt.index(noun)))
        if w in _CONTRAST and noun is not None and k > 0 and t[k - 1] in {
                "the", "its", "that", "those"} and noun not in heads_before and not (
                {"as", "than"} & set(t[k + 1 : k + 6])):  # "the same shelf as the plates"
            return Outcome("clarify", question=f"Which {noun} do you mean by '{w} "
                                                   f"{noun}'? I don't know which one you "
                                                   "mean.")
        if w == "all" and (k + 1 >= len(t) or t[k + 1] in {"on", "in", "into", "onto", "to",
                                                             ".", "!", "?", ","}) and not (
                heads_before):
            return Outcome("clarify", question="All of what? Please name the things.",
                           span=(k, k + 1))
        if _is_noun(w):
            heads_before.append(w)
    for k in range(len(t)):
        for pat in _VAGUE_AMOUNTS:
            if tuple(t[k : k + len(pat)]) == pat:
                noun = next((x for x in t[k + len(pat) : k + len(pat) + 3] if _is_noun(x)),
                            "things")
                return Outcome("clarify", question=f"How many {noun} would you like?",
                               span=(k, k + len(pat)))
    dangling = _dangling_pronoun(t, grounded)
    if dangling is not None:
        pron, a, b = dangling
        return Outcome("clarify", question=f"What do you mean by '{pron}'? Please name the "
                                           "thing.", span=(a, b))
    if not grounded:
        for k, w in enumerate(t):
            # "hand me the thing on the table": a singular that names no kind, with no world
            # to look in (a colour or place may single it out there)
            if w in _KINDLESS and k > 0 and (t[k - 1] in lx.DETERMINERS or (
                    t[k - 1].isalpha() and chunk.adjective(t[k - 1]))) and t[k + 1 : k + 2] not in (
                    ["called"], ["named"], ["of"]) and any(
                    lx.VERBS.get(lx.VERB_BASE.get(x, x)) for x in t[:k]):
                return Outcome("clarify", question=f"Which {w} do you mean? Please name it.",
                               span=(k, k + 1))
            if w in _GENERIC and (k == 0 or t[k - 1] in _INDEFINITE | _REQUEST_VERBS | {
                    "me", "us", "for", "with", "different"}) and any(
                    x in _REQUEST_VERBS for x in t[:k]):
                return Outcome("clarify", question="What would you like me to bring? Please "
                                                   "name the thing.", span=(k, _phrase_end(t, k)))
            # a category ("a drink", "a snack"), narrowed by what the robot cannot check
            if w in _INDEFINITE and k + 2 < len(t) and t[k + 1] in kn.curated().categories and (
                    t[k + 2] in {"that", "which"}) and any(x in _REQUEST_VERBS for x in t[:k]):
                return Outcome("clarify", question=f"Which {t[k + 1]} would you like? I "
                                                   "can't tell which one fits that "
                                                   "description.", span=(k, _phrase_end(t, k)))
    return None


def _phrase_end(t: Sequence[str], k: int) -> int:
    """Where a description that starts at ``k`` ends: the next punctuation or "but"."""
    for j in range(k + 1, len(t)):
        if t[j] in {".", "!", "?", ";", ",", "but"}:
            return j
    return len(t)


# --- under-specified before infeasible: what must be known even to say what cannot be done --

#: Comparatives whose base is no quality of a thing's state ("later" is a time).
_NOT_CHANGES = frozenset({"later", "earlier", "sooner", "longer", "further", "farther"})
_COMPARATIVE_ENDS = frozenset({".", "!", "?", ",", ";", "by", "and", "please", "now"})
#: Descriptions that say which things a general noun means ("objects with the same texture").
_DESCRIBERS = frozenset({"with", "that", "which", "of", "like", "whose", "matching"})
#: Determiners and quantifiers that make a general noun definite or total ("the items", "all
#: objects", "two items"): the speaker presupposes which.
_DEFINITE = frozenset({"the", "all", "every", "each", "both", "these", "those", "this", "that",
                       "my", "your", "our", "his", "her", "their", "its", "other", "remaining"})


@lru_cache(maxsize=4096)
def _comparative_base(word: str) -> str | None:
    """"smaller" → "small", "bigger" → "big", "closer" → "close": a comparative adjective whose
    base WordNet knows as an adjective; ``None`` for anything else ("water", "counter", "later")."""
    if not word.isalpha() or len(word) < 5 or not word.endswith("er") or word in _NOT_CHANGES:
        return None
    if not kn.available():
        return None
    wn = kn.reader()
    if any(s.lexname() in {"noun.artifact", "noun.object", "noun.food", "noun.substance"}
           for s in wn.synsets(word, "n")):
        return None  # a thing ("dryer", "cooler", "cleaner"); "closer" is only a person
    stem = word[:-2]
    bases = [stem, stem + "e"]  # "small-er", "close-r"
    if len(stem) > 2 and stem[-1] == stem[-2]:
        bases.append(stem[:-1])  # "big-g-er"
    if stem.endswith("i"):
        bases.append(stem[:-1] + "y")  # "heavi-er"
    for b in bases:
        if len(b) >= 3 and wn.synsets(b, "a"):
            return b
    return None


def _unreferenced_change(toks: Sequence[str]) -> Outcome | None:
    """A change asked by comparison with no reference or amount: "get closer" (to what?),
    "make the triangle smaller" (how much?). Only a comparative that ends its phrase counts:
    "closer to the bowl" names the reference, "the smaller box" is a description."""
    for words in _clause_words(toks):
        fv = _first_verb(words)
        if fv is None or fv[1] not in lx.VERB_BASE:
            continue
        for j in range(fv[0] + 1, len(words)):
            w = words[j]
            base = _comparative_base(w)
            if base is None:
                continue
            prev = words[j - 1]
            nxt = words[j + 1] if j + 1 < len(words) else "."
            if prev in lx.DETERMINERS or prev in {"to", "from", "than", "much", "a", "an"}:
                continue
            if nxt in _COMPARATIVE_ENDS:
                what = "to what" if base in {"close", "near"} else "by how much, and how"
                return Outcome("clarify", question=f"I need a place or a size: {w} {what}?")
    return None


@lru_cache(maxsize=16384)
def _general_plural(word: str) -> str | None:
    """"items", "objects": the plural of a noun so general (WordNet depth <= 4 in its physical
    senses) that it names no kind of thing. Its singular, else ``None``."""
    if not word.isalpha() or not kn.available():
        return None
    wn = kn.reader()
    base = wn.morphy(word, "n")
    if not base or base == word:
        return None
    depth = min((s.min_depth() for s in wn.synsets(base, "n")[:3]
                 if s.lexname() in {"noun.Tops", "noun.artifact", "noun.object"}), default=99)
    return base if depth <= 4 else None


@lru_cache(maxsize=16384)
def _place_word(word: str) -> bool:
    """A noun for a place or building ("supermarket", "kitchen"): it says where things are,
    not what kind they are."""
    if not word.isalpha() or not kn.available():
        return False
    senses = kn.noun_senses(word, physical_only=False)[:1]
    return any(c in kn.closure(s) for s in senses for c in (
        "structure.n.01", "location.n.01", "facility.n.01", "establishment.n.04"))


def _modifies(t: Sequence[str], j: int) -> bool:
    """Does the word at ``j`` narrow the noun after it to a kind ("heavy", "light", "food",
    "plastic")? Not the clause's verb ("pickup items"), a participle ("moving objects"), an
    indefinite or a place ("supermarket items")."""
    w = t[j]
    if not w.isalpha() or w in _INDEFINITE or w in _FILLERS:
        return False
    if not kn.available():
        return w not in lx.VERB_BASE
    wn = kn.reader()
    if w.endswith("ing") and wn.synsets(w, "v"):
        return False
    fv = _first_verb(t)
    if fv is not None and fv[0] == j:
        return False  # the request's verb ("pickup items")
    if wn.synsets(w, "a") or wn.synsets(w, "s"):
        return True  # "heavy items", and "... and light items" (the verb gapped)
    return w not in lx.VERB_BASE and not _place_word(w)


def _unnamed_things(toks: Sequence[str]) -> Outcome | None:
    """"store items", "pick up items from the freezer", "restock supermarket items": a bare
    general plural is no request the robot can act on (which ones? how many?). A kind word
    ("heavy items", "food items", "plastic items"), a description ("objects with the same
    texture") or a definite or total determiner ("the items", "all objects") names them."""
    t = list(toks)
    for k, w in enumerate(t):
        sing = _general_plural(w)
        if sing is None or k == 0:
            continue
        nxt = t[k + 1] if k + 1 < len(t) else "."
        if nxt in _DESCRIBERS:
            continue
        prev = t[k - 1]
        if prev in _DEFINITE or prev.isdigit() or prev in lx.NUMBER_WORDS:
            continue
        if _modifies(t, k - 1):
            continue
        return Outcome("clarify", question=f"Which {w} do you mean? Please name them.",
                       span=(k, k + 1))
    return None


_PLACE_PREPS = frozenset({"next", "near", "beside", "behind", "under", "underneath", "on",
                          "onto", "in", "into", "inside", "above", "below", "between", "by",
                          "atop", "over"})


def _category_place(toks: Sequence[str]) -> Outcome | None:
    """"in one furniture", "on some container": a place named only by its category."""
    t = list(toks)
    for k, w in enumerate(t[:-1]):
        if w in {"on", "in", "into", "onto", "to"} and t[k + 1] in {"one", "a", "an", "some",
                                                                      "any"} and (
                k + 2 < len(t) and t[k + 2] in kn.curated().categories):
            return Outcome("clarify", question=f"Which {t[k + 2]} should I use? Please name "
                                               "it.", span=(k + 1, k + 3))
    return None


def _place_fragment(toks: Sequence[str]) -> Outcome | None:
    """"next to the television would be best": a place said on its own, with no action and
    nothing to put there (an answer to a question the robot did not ask)."""
    t = [w for w in toks if w not in {".", "!", "?"}]
    k = 0
    while k < len(t) and (t[k] in _FILLERS or t[k] in lx.ADVERBS) and t[k + 1 : k + 2] != ["to"]:
        k += 1
    if k >= len(t) or t[k] not in _PLACE_PREPS or (t[k] == "next" and t[k + 1 : k + 2] != ["to"]):
        return None
    if any(w in lx.VERBS or w in lx.INFEASIBLE_VERBS for w in t if w not in {"be", "is"}):
        return None
    end = next((j for j in range(k, len(t)) if t[j] in {"would", "is", "will", "should", ",",
                                                          "please", "might", "could"}), len(t))
    return Outcome("clarify", question=f"What should I put {' '.join(t[k:end])}?")


@lru_cache(maxsize=4096)
def receptacle(head: str) -> bool:
    """Something to look inside ("drawer", "cupboard", "fridge"): a door or lid the lexicon
    knows, or a WordNet container."""
    word = head.split()[-1] if head else ""
    if not word:
        return False
    if word in lx.OPENABLE_NOUNS:
        return True
    return kn.available() and kn.is_a(word, "container.n.01", senses=1)


@lru_cache(maxsize=4096)
def only_noun(word: str) -> bool:
    """A physical noun with no verb reading in WordNet ("plate", "pate"): a clause that starts
    with it names a thing, not an action."""
    if not kn.available() or not _is_noun(word):
        return False
    wn = kn.reader()
    return not wn.synsets(word, "v") and word not in lx.VERB_BASE


@lru_cache(maxsize=4096)
def only_verb(word: str) -> bool:
    """A word WordNet knows only as a verb ("prepare", "restock"): a clause it leads asks for
    an action, whether or not the robot has the skill."""
    if not kn.available() or not word.isalpha():
        return False
    wn = kn.reader()
    return bool(wn.synsets(word, "v")) and not wn.synsets(word, "n")


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


def _open_arrangement(toks: Sequence[str]) -> Outcome | None:
    """"sort the apples based on color", "tidy up the room", "clear the table": a request for
    an order of things that names no place for them leaves open what goes where; ask before
    saying what the robot can or cannot do. ("put the toys in the box" names the goal.)"""
    for words in _clause_words(toks):
        # the verb, after fillers and modals ("you may need to clear some space")
        k = next((j for j, w in enumerate(words[:6]) if _arranging(lx.VERB_BASE.get(w, w)) and (
            j == 0 or words[j - 1] in _FILLERS | _MODALS)), None)
        if k is None:
            continue
        base = lx.VERB_BASE.get(words[k], words[k])
        rest = [w for w in words[k + 1 :] if w not in {"up", "out", "away"}]
        if any(w in _GOALS and (i == 0 or rest[i - 1] not in {"based", "depending"})
               for i, w in enumerate(rest)):
            continue
        nouns = [w for w in rest if _any_noun(w)]
        if base == "clear" and not any(w in _CLEARED or receptacle(w) or (
                kn.available() and kn.is_a(w, "furniture.n.01", senses=1)) for w in nouns):
            continue  # "clear the countertop waste": what goes is named, and where (the bin)
        what = " ".join(w for w in rest if w.isalpha()) or "them"
        return Outcome("clarify", question=f"How should I {base} {what}: what goes where? "
                                           "Please name the places.")
    return None


_OR_AFTER = frozenset({"else", "not", "so", "more", "less", "higher", "lower", "above", "below",
                       "later", "two", "three"})


def _open_choice(toks: Sequence[str]) -> Outcome | None:
    """"bring me the cup or the glass", "pick up either the apple or the banana", "on the left
    or right shelf": a singular request offering alternatives leaves the choice to the robot;
    ask which. Only between things (a noun or a modifier of one on each side of "or"), in a
    clause with a verb the robot has a skill for; "or else", "or more" are no choice."""
    for words in _clause_words(toks):
        fv = _first_verb(words)
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
                     or _any_noun(left))
            if sides and right and (right in lx.COLOURS or right in lx.SIZES or right in {
                    "left", "right"} or _any_noun(right)):
                a = next((i for i in range(j - 1, fv[0], -1) if words[i] in lx.DETERMINERS
                          or words[i] in {"either", ",", "me", "us"}), j - 2)
                said = " ".join(w for w in words[a + 1 : j + 5] if w not in {"either", "."})
                return Outcome("clarify", question=f"Which do you mean: {said}? Please "
                                                   "choose one.")
    return None


#: Heads that name no kind of thing or place ("on something", "in a good place").
_NO_KIND = frozenset({"something", "anything", "somewhere", "anywhere", "place", "spot",
                      "location", "thing", "object", "item", "surface", "area"})


def _unnamed_goal(toks: Sequence[str]) -> Outcome | None:
    """"place the can on something", "put the bottle in a good place": the destination is only
    "a place" or "a thing", with nothing that says which (a possessive — "in its place" — or
    a description after it — "the spot where the keys are" — does)."""
    t = list(toks)
    for k, w in enumerate(t[:-1]):
        if w not in {"on", "onto", "in", "into", "inside", "at"}:
            continue
        j = k + 1
        while j < len(t) and j < k + 4 and (t[j] in _INDEFINITE or t[j] in {"the"} or (
                t[j].isalpha() and chunk.adjective(t[j]) and t[j] not in _NO_KIND)):
            j += 1
        if j >= len(t) or t[j] not in _NO_KIND or (t[j + 1 : j + 2] and t[j + 1] in (
                _DESCRIBERS | {"where", "near", "next", "by", "beside", "on", "in"})):
            continue
        if t[j] not in {"something", "anything"} and j == k + 1:
            continue  # "in place", "on top"
        if any(x in {"its", "their", "your", "my", "his", "her", "our"} for x in t[k + 1 : j]):
            continue
        if not any(lx.VERBS.get(lx.VERB_BASE.get(x, x)) in {"place", "bring", "give", "pour"}
                   for x in t[:k]):
            continue
        return Outcome("clarify", question=f"Where exactly do you mean by '{' '.join(t[k:j + 1])}'? "
                                           "Please name the place.", span=(k + 1, j + 1))
    return None


def check(tokens: Sequence[str], grounded: bool = False) -> Outcome | None:
    """Infeasible first (nothing to ask if it cannot be done), then what must be asked."""
    toks = list(tokens)
    found = _infeasible(toks)
    if found is not None:
        return found
    # what the request is about must be known before the robot can say it cannot do it
    for rule in (_unreferenced_change, _unnamed_things, _category_place, _place_fragment,
                 _open_arrangement, _open_choice, _unnamed_goal):
        found = rule(toks)
        if found is not None:
            return found
    for words in _clause_words(toks):
        fv = _first_verb(words)
        if fv is not None and lx.VERB_BASE.get(fv[1], fv[1]) in lx.INFEASIBLE_VERBS:
            return None  # "... and boil it": the parser reports the skill it lacks
    return _ambiguous(toks, grounded)
