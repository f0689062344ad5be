"""Referents the words do not pin down: asked about with ``status "clarify"`` (see clarify.py).

Why apart: these checks look for a phrase that should name one thing and does not — a pronoun
with nothing before it, a description by fitness ("the appropriate place") or by contrast with
nothing said ("the other cup"), "all" with no noun, a vague amount ("a few apples") and, with no
world to look in, a kindless singular ("the thing") or "something". They run last, after the
checks on goals, choices and arrangements.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from executive.language import chunk
from executive.language import knowledge as kn
from executive.language import lexicon as lx
from executive.language.clarify_words import (
    INDEFINITE,
    PRONOUNS,
    Outcome,
    any_noun,
    first_verb,
    is_noun,
)
from executive.language.clauses import split
from executive.language.normalise import is_plural

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
#: Singular nouns that name no kind of thing ("the thing", "that object").
_KINDLESS = frozenset({"thing", "object", "item"})
_GENERIC = frozenset({"something", "anything", "thing", "things", "stuff", "whatever"})
_REQUEST_VERBS = frozenset({"bring", "get", "fetch", "give", "hand", "find", "grab", "pick",
                            "take", "want", "like", "need", "craving", "crave", "have", "pass"})


def _dangling_pronoun(toks: Sequence[str], grounded: bool) -> tuple[str, int, int] | None:
    """The first object pronoun with no noun before it in the whole request, and its span.

    ("the red one" is left to the grounder when there is a world: a colour may pick it.)"""
    seen_noun = False
    for seg in split(list(toks)):
        words = list(toks[seg.start : seg.end])
        fv = first_verb(words)
        start = fv[0] if fv else 0
        for j, w in enumerate(words):
            if j == start and w in lx.VERB_BASE:
                continue  # the clause's verb ("can", "water", "light" are nouns too)
            if w in PRONOUNS and j > start:
                nxt = words[j + 1] if j + 1 < len(words) else ""
                if w in _DEMONSTRATIVES and nxt and nxt not in _PRONOUN_FOLLOWERS:
                    continue  # "that cup", "that caffeinated drink": a determiner here
                if w == "that" and j > 0 and is_noun(words[j - 1]):
                    continue  # "a drink that ...": a relative pronoun
                if not seen_noun:
                    return w, seg.start + j, seg.start + j + 1
            elif w == "one" and not grounded and j > 1 and words[j - 2] in lx.DETERMINERS and (
                    not seen_noun) and (
                    j + 1 >= len(words) or words[j + 1] in _PRONOUN_FOLLOWERS - {"one"}) and (
                    words[j + 1 : j + 2] != ["of"]):
                # "the crispy one", with nothing before it
                return f"the {words[j - 1]} one", seg.start + j - 2, seg.start + j + 1
            elif is_noun(w) or (j > 0 and words[j - 1] in {"the", "a", "an"} and (
                    w not in lx.DETERMINERS and w not in PRONOUNS and w not in lx.COLOURS
                    and w not in lx.SIZES and chunk.is_noun(w) and not chunk.adjective(w))):
                seen_noun = True  # "pick up the can and place it": after an article, a noun
    return None


def _several_before(words: Sequence[str]) -> bool:
    """Several things are named before: a plural noun, two nouns joined by "and", or a plural
    pronoun ("put the cups and the mugs in the same cupboard", "put them in the same box").
    Then "the same X" has its internal reading — one X for all of them — not the anaphoric
    one that needs an X said before."""
    nouns = [j for j, x in enumerate(words) if any_noun(x)]
    if any(is_plural(words[j]) for j in nouns) or set(words) & {"them", "these", "those",
                                                                  "both", "all"}:
        return True
    return len(nouns) >= 2 and "and" in words[nouns[0] : nouns[-1]]


@lru_cache(maxsize=4096)
def _kind_of_kinds(word: str) -> bool:
    """A noun whose most frequent WordNet sense has many kinds under it (60 or more
    hyponyms: "tool", "utensil", "container", "device"), so "the right one" of it asks which
    kind fits; "box", "bowl", "drawer" have a few and name a thing with sides."""
    if not word.isalpha() or not kn.available():
        return False
    wn = kn.reader()
    senses = wn.synsets(wn.morphy(word, "n") or word, "n")[:1]
    return bool(senses) and sum(1 for _ in senses[0].closure(lambda y: y.hyponyms())) >= 60


@lru_cache(maxsize=4096)
def _attribute(word: str) -> bool:
    """A noun for a quality things have, not a thing ("colour", "size", "shape", "height"):
    its most frequent WordNet sense is noun.attribute. "The same colour" compares two
    things; it does not refer to one."""
    if not word.isalpha() or not kn.available():
        return False
    wn = kn.reader()
    senses = wn.synsets(wn.morphy(word, "n") or word, "n")[:1]
    return bool(senses) and senses[0].lexname() == "noun.attribute"


def ambiguous(toks: Sequence[str], grounded: bool) -> Outcome | None:
    t = list(toks)
    heads_before: list[str] = []
    for k, w in enumerate(t):
        nxt = t[k + 1 : k + 4]
        noun = next((x for x in nxt if any_noun(x)), None)
        if noun is not None and heads_before and (w in _FITNESS or w in _CONTRAST) and (
                _attribute(noun)):
            # "the bowl of the same colour", "the box of matching size": a relation between
            # two things the request names, not a thing left unnamed
            continue
        # "right" is first a side (WordNet right.a.01); it means "correct" of what has no
        # side — a place or a quality ("the right place", "the right amount") — and of a
        # kind of many kinds ("the right tool", "the right container"): before a particular
        # thing ("the right drawer", "the right bowl") it says which one
        head = nxt[: nxt.index("of")] if "of" in nxt else nxt  # "the right amount of flour"
        if w in _FITNESS and noun is not None and not (w == "right" and (
                nxt[:1] in (["side"], ["of"], ["hand"], ["corner"], ["edge"], ["end"])
                or any(is_noun(x) and not _kind_of_kinds(x) for x in head))):
            return Outcome("clarify", question=f"Which {noun} do you mean by '{w} {noun}'? "
                                               f"Please name it.",
                           span=(k, k + 2 + nxt.index(noun)))
        if w in _CONTRAST and noun is not None and k > 0 and t[k - 1] in {
                "the", "its", "that", "those"} and noun not in heads_before and not (
                {"as", "than"} & set(t[k + 1 : k + 6])) and not (  # "the same shelf as ..."
                w == "same" and _several_before(t[:k])):
            return Outcome("clarify", question=f"Which {noun} do you mean by '{w} "
                                                   f"{noun}'? I don't know which one you "
                                                   "mean.")
        if w == "all" and (k + 1 >= len(t) or t[k + 1] in {"on", "in", "into", "onto", "to",
                                                             ".", "!", "?", ","}) and not (
                heads_before):
            return Outcome("clarify", question="All of what? Please name the things.",
                           span=(k, k + 1))
        if is_noun(w):
            heads_before.append(w)
    for k in range(len(t)):
        for pat in _VAGUE_AMOUNTS:
            if tuple(t[k : k + len(pat)]) == pat:
                noun = next((x for x in t[k + len(pat) : k + len(pat) + 3] if is_noun(x)),
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
            if w in _GENERIC and (k == 0 or t[k - 1] in INDEFINITE | _REQUEST_VERBS | {
                    "me", "us", "for", "with", "different"}) and any(
                    x in _REQUEST_VERBS for x in t[:k]):
                return Outcome("clarify", question="What would you like me to bring? Please "
                                                   "name the thing.", span=(k, _phrase_end(t, k)))
            # "push something", "wipe anything off": an indefinite pronoun as the whole object
            # of a skill verb says nothing of what to act on (a description after it — "to
            # eat", "that is red" — is left to the rules above and to the grounder)
            # "take one", "grab one off the shelf": a bare "one" with no kind said before it
            if w == "one" and k > 0 and _skill_before(t, k) is not None and (
                    k + 1 >= len(t) or t[k + 1] in _OBJECT_ENDS) and not any(
                    is_noun(x) and lx.VERB_BASE.get(x, x) not in lx.VERBS for x in t[:k]):
                return Outcome("clarify", question="One of what? Please name the thing.",
                               span=(k, k + 1))
            if w in {"something", "anything"} and k > 0 and (
                    skill := _skill_before(t, k)) is not None and (
                    k + 1 >= len(t) or t[k + 1] in _OBJECT_ENDS):
                return Outcome("clarify", question=f"What should I {skill}? Please name the "
                                                   "thing.", span=(k, k + 1))
            # a category ("a drink", "a snack"), narrowed by what the robot cannot check
            if w in INDEFINITE and k + 2 < len(t) and t[k + 1] in kn.curated().categories and (
                    t[k + 2] in {"that", "which"}) and any(x in _REQUEST_VERBS for x in t[:k]):
                return Outcome("clarify", question=f"Which {t[k + 1]} would you like? I "
                                                   "can't tell which one fits that "
                                                   "description.", span=(k, _phrase_end(t, k)))
    return None


#: What may follow an object noun phrase that ends there: punctuation, a preposition, a
#: particle or the next clause.
_OBJECT_ENDS = frozenset({".", "!", "?", ",", ";", "and", "then", "on", "in", "into", "onto",
                          "off", "from", "under", "over", "away", "up", "down", "out", "back",
                          "next", "near", "behind", "beside", "please"})


def _skill_before(t: Sequence[str], k: int) -> str | None:
    """The verb that takes the word at ``k`` as its object — the word before it, or before a
    particle ("pick up something") — when the robot has a skill for it; else ``None``."""
    for j in (k - 1, k - 2):
        if j < 0:
            return None
        w = t[j]
        if lx.VERBS.get(lx.VERB_BASE.get(w, w)) is not None:
            return " ".join([lx.VERB_BASE.get(w, w), *t[j + 1 : k]])  # "pick up"
        if w not in {"up", "down", "out", "away", "off", "over", "back"}:
            return None
    return None


def _phrase_end(t: Sequence[str], k: int) -> int:
    """Where a description that starts at ``k`` ends: the next punctuation or "but"."""
    for j in range(k + 1, len(t)):
        if t[j] in {".", "!", "?", ";", ",", "but"}:
            return j
    return len(t)
