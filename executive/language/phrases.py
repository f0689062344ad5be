"""Tokens, noun phrases and the word classes the clause parser and PP attachment share.

A noun phrase is read from a token range: determiner, quantity, modifiers (colours joined by
"and" stay one phrase), a head that may be a WordNet compound (``chunk``), and the phrase's own
prepositional phrases. Kept apart from clause reading (:mod:`executive.language.parse`) and from
deciding which phrase is the goal (:mod:`executive.language.attach`), which both build on it.
"""

from __future__ import annotations

import re

from executive.language import chunk
from executive.language import lexicon as lx
from executive.language.frames import NounPhrase
from executive.language.normalise import REGIONS, is_plural, singular

_STOP = frozenset(
    {",", ".", ";", "!", "?", ":", '"', "and", "or", "then", "if", "unless", "before",
     "after", "when", "once", "because", "so", "but", "without", "until", "till", "while",
     "here", "there", "which", "who", "where", "please", "thanks", "thank", "not"}
)
_PREP_FIRST = frozenset(p[0] for p in lx.PREPOSITIONS)
_PARTICLES = frozenset({"up", "down", "away", "back", "out", "over", "off", "on", "around"})
_DITRANSITIVE = frozenset({"bring", "give", "pick", "pour", "take", "throw", "fill", "heat"})
_GOAL_RAW_FOR_BRING = frozenset(
    {"to", "into", "onto", "back to", "back into", "back onto", "toward", "towards",
     "up to", "back in", "back on"}
)
# where a push should end up ("slide the star next to the moon"); "on"/"in" modify the object
_PUSH_GOAL = frozenset({"next to", "close to", "near", "beside", "against", "up to", "under",
                        "underneath", "beneath", "behind", "in front of", "closer to",
                        "nearer to"})
_LONG_UNITS = {"day": 86_400.0, "days": 86_400.0, "week": 604_800.0, "weeks": 604_800.0,
               "month": 2_592_000.0, "months": 2_592_000.0, "year": 31_536_000.0,
               "years": 31_536_000.0}
MAX_WAIT_S = 86_400.0  # one wait step; longer is asked about, never cut short silently
_SUBJECT_WORDS = frozenset({"is", "are", "was", "were", "seems", "looks", "be", "gets"})


class Tokens:
    """Corrected tokens plus the raw (uncorrected) tokens, for quoting speech."""

    def __init__(self, toks: list[str], raw: list[str]) -> None:
        self.t = toks
        self.raw = raw


# --- noun phrases --------------------------------------------------------------------------


def _match_prep(toks: list[str], i: int, end: int) -> tuple[str, str, int] | None:
    """(raw, canonical, length) of the preposition at i, if any."""
    if i >= end or toks[i] not in _PREP_FIRST:
        return None
    for p in lx.PREPOSITIONS:
        if tuple(toks[i : i + len(p)]) == p and i + len(p) <= end:
            raw = " ".join(p)
            return raw, lx.PREP_CANON.get(raw, raw), len(p)
    return None


def _number(tok: str) -> int | None:
    if tok.isdigit():
        return int(tok)
    return lx.NUMBER_WORDS.get(tok)


def parse_np(toks: list[str], i: int, end: int) -> tuple[NounPhrase | None, int]:
    """Read a noun phrase starting at ``i``; returns (phrase or None, next index)."""
    start = i
    quantity: int | None = None
    all_ = False
    ordinal: int | None = None
    det = None
    while i < end and toks[i] in lx.ADVERBS and toks[i] not in {"that", "this"}:
        i += 1
    if i < end and toks[i] in {"something", "anything"}:
        return NounPhrase(head="thing", raw=toks[i], generic=True), i + 1
    if i < end and toks[i] in {"everything", "everyone"}:
        np = NounPhrase(head=None, raw=toks[i], all=True, anaphor="them", plural=True)
        if toks[i] == "everyone":
            np = NounPhrase(head="person", raw=toks[i], person=True, all=True)
        return np, i + 1
    if i < end and toks[i] in lx.QUANTIFIERS_ALL:
        all_ = True
        i += 1
        if i < end and toks[i] == "of":
            i += 1
        if i < end and toks[i] in {"them", "those", "these"} and (
            i + 1 >= end or toks[i + 1] in _STOP or toks[i + 1] in _PREP_FIRST
        ):
            return NounPhrase(head=None, raw="all of them", all=True, anaphor="them",
                              plural=True), i + 1
    if i < end and toks[i] == "a" and i + 1 < end and toks[i + 1] in {"couple", "few", "pair"}:
        quantity = 2 if toks[i + 1] != "few" else 3
        i += 2
        if i < end and toks[i] == "of":
            i += 1
    if i < end and (toks[i] in lx.DETERMINERS):
        det = toks[i]
        if det in {"that", "this", "those", "these"}:
            nxt = toks[i + 1] if i + 1 < end else ""
            if nxt == "one" or nxt == "ones":
                return NounPhrase(head=None, raw=f"{det} {nxt}", anaphor="it"), i + 2
            if not nxt or nxt in _STOP or nxt in _PREP_FIRST or (nxt in lx.VERB_BASE and (
                nxt not in lx.COMMON_NOUNS and not chunk.names_thing(nxt)
            )):  # "put that down" is a pronoun; "bring me that drink" names a drink
                ana = "them" if det in {"those", "these"} else "it"
                return NounPhrase(head=None, raw=det, anaphor=ana), i + 1
        i += 1
    if i < end and toks[i] == "same":
        i += 1
        if i >= end or toks[i] in _STOP or toks[i] in _PREP_FIRST or toks[i] == "one":
            return NounPhrase(head=None, raw="the same", anaphor="it"), i + (
                1 if i < end and toks[i] == "one" else 0
            )
    if i < end and (n := _number(toks[i])) is not None and not (
        toks[i] == "one" and (i + 1 >= end or toks[i + 1] in _STOP or toks[i + 1] in _PREP_FIRST)
    ):
        if n == 1 and toks[i] == "one" and i + 1 < end and toks[i + 1] == "of":
            quantity = 1
            i += 2
            if i < end and toks[i] in lx.DETERMINERS:
                i += 1
        else:
            quantity = n
            i += 1
            if i < end and toks[i] == "of":
                i += 1
                if i < end and toks[i] in lx.DETERMINERS:
                    i += 1
    if i < end and toks[i] in lx.ORDINALS and i + 1 < end and toks[i + 1] not in _STOP:
        ordinal = lx.ORDINALS[toks[i]]
        i += 1
    if i < end and toks[i] in {"me", "us", "him", "her", "myself", "you"} and det is None:
        return NounPhrase(head="person", raw=toks[i], person=True), i + 1
    if i < end and toks[i] in {"it", "them"}:
        return NounPhrase(head=None, raw=toks[i], anaphor=toks[i], all=all_,
                          plural=toks[i] == "them"), i + 1
    words: list[str] = []
    label: str | None = None
    while i < end:
        t = toks[i]
        if t in {"and", "or"} and _joined_modifiers(words, toks, i, end):
            i += 1  # "the yellow and green polka dot pan": one pan of two colours
            continue
        if t in _STOP or (t in _PREP_FIRST and not _side_word(toks, i, end)) or t in {
                "of", "with", "for"}:
            break
        if words and (t.isdigit() or (len(t) == 1 and t.isalpha() and words[-1] not in (
            lx.DETERMINERS))) and (i + 1 >= end or toks[i + 1] in _STOP or toks[i + 1] in (
            _PREP_FIRST
        )):  # "cabinet 1", "storage box 2": a numeral after the noun names one, not how many;
            # "the letter A into …": a lone letter there is a name too (an article needs a noun)
            label = t
            i += 1
            break
        if t in lx.DETERMINERS or t in lx.QUANTIFIERS_ALL:
            break
        if t in lx.ADVERBS and t not in lx.COMMON_NOUNS and not (
            words and words[-1] in chunk.POSITION_WORDS and t in chunk.POSITION_WORDS
        ) and not (start < i and toks[i - 1] in lx.DETERMINERS and _side_word(toks, i, end)):
            # "the top right corner", "the right shelf" keep "right"
            i += 1
            continue
        if words and t in _POST_MODIFIERS:
            break  # "the corner closest to …", "the bowl containing food"
        if words and (i + 1 >= end or toks[i + 1] in _STOP or toks[i + 1] in _PREP_FIRST) and (
            chunk.adjective(t) and not chunk.is_noun(t)
        ):
            break  # "on sofa new to floor": an adjective after the noun is no part of it
        if words and t.endswith("ing") and i + 1 < end and toks[i + 1] in lx.DETERMINERS and (
            t in lx.VERB_BASE or chunk.verb_form(t)
        ):
            break  # "the floor using a broom": a participle phrase after the noun
        if words and t in lx.VERB_BASE and t not in lx.COMMON_NOUNS and (
            t not in lx.COLOURS and t not in lx.SIZES
        ) and not _after_adjective(words, t) and not chunk.lexicalised((words[-1], t)) and (
            not _inside_phrase(toks, i)
        ):
            break
        if not re.fullmatch(r"[a-z0-9]+(?:'s)?", t):
            break
        if (words and t != "one" and (t.isdigit() or t in lx.NUMBER_WORDS)) or t in {
            "is", "are", "was", "were", "me", "him", "us", "it", "them"
        }:
            break
        words.append(t)
        i += 1
    # partitive "a piece of cake", "one of the cups", "the carton of milk"
    if i < end and toks[i] == "of" and (
        (words and singular(words[-1]) in lx.PARTITIVES) or (not words and quantity)
    ):
        inner, j = parse_np(toks, i + 1, end)
        if inner is not None and inner.head:
            inner.quantity = inner.quantity or quantity
            inner.all = inner.all or all_
            inner.raw = " ".join(toks[start:j])
            return inner, j
    # a region of a thing: "the middle of the stand", "the far edge of the table" name the
    # stand and the table (where on it is for the skill to choose)
    if i < end and toks[i] == "of" and words and words[-1] in _REGIONS and quantity is None:
        inner, j = parse_np(toks, i + 1, end)
        if inner is not None and inner.head and not inner.person:
            inner.raw = " ".join(toks[start:j])
            return inner, j
    if not words and not all_ and quantity is None:
        return None, start  # nothing but a determiner
    np = _make_np(words, det)
    if label is not None and np.head:
        np.head = f"{np.head} {label}"
    np.indefinite = det in {"a", "an", "any"}
    np.quantity = quantity if quantity is None or quantity > 0 else None
    np.all = all_
    np.ordinal = ordinal
    if i < end and toks[i] == "of":  # "a glass of water": keep the container as head
        inner, j = parse_np(toks, i + 1, end)
        if inner is not None:
            np.pps.append(("of", inner))
            if np.head in _PARTS and inner.head and not inner.person and inner.anaphor is None:
                np.head = f"{inner.head} {np.head}"  # "the door of the microwave": its door
            i = j
    np.raw = " ".join(toks[start:i])
    return np, i


def _joined_modifiers(words: list[str], toks: list[str], i: int, end: int) -> bool:
    """Colours joined by "and"/"or" before one head ("the red and green stripe triangle"):
    the words so far are all colours and another colour follows, then a noun — one thing
    described twice, not a "red one" and a "green triangle"."""
    if not words or not all(w in lx.COLOURS for w in words) or i + 2 >= end:
        return False
    j = i + 1
    if toks[j] not in lx.COLOURS:
        return False
    while j < end and toks[j] in lx.COLOURS:
        j += 1
    return j < end and toks[j] not in _STOP and toks[j] not in _PREP_FIRST and (
        toks[j] not in lx.DETERMINERS)


def _side_word(toks: list[str], i: int, end: int) -> bool:
    """"the left cabinet", "the right storage box": a position word that starts a
    preposition elsewhere ("left of", "right next to") is the thing's side when a noun
    follows and no preposition starts here."""
    return toks[i] in chunk.POSITION_WORDS and i + 1 < end and _match_prep(toks, i, end) is None and (
        toks[i + 1] not in _STOP and toks[i + 1] not in _PREP_FIRST and chunk.is_noun(toks[i + 1]))


#: Parts named by their whole ("the door of the fridge" is the fridge door).
_PARTS = frozenset({"door", "lid", "handle", "knob", "cap", "drawer", "shelf", "seat", "button"})
#: Nouns for a part of a thing's space, not a thing ("the middle of", "the edge of").
_REGIONS = REGIONS
_POST_MODIFIERS = frozenset({
    "closest", "nearest", "farthest", "furthest", "containing", "holding", "carrying",
    "showing", "having", "sitting", "lying", "standing", "located", "placed",
})


def _after_adjective(words: list[str], t: str) -> bool:
    """"the yellow block": after a colour/size/material word a noun reading of a verb-like
    word continues the phrase (a phrase does not end in its adjective)."""
    last = words[-1]
    if last in lx.COLOURS or last in lx.SIZES or last in lx.MATERIALS:
        return chunk.names_thing(t)
    if chunk.noun_modifier(last) and not chunk.is_noun(last):
        return chunk.names_thing(t)  # a name or acronym WordNet lacks: "VHS tapes"
    return chunk.adjective(last) and chunk.is_noun(t)  # "a spicy kick"


def _inside_phrase(toks: list[str], i: int) -> bool:
    """Whether the learned tagger reads the verb-like word at ``i`` as continuing the noun
    phrase before it ("three different drinks", "the cleaning spray"), not as a new verb."""
    if i == 0:
        return False
    from executive.language.tagger import load  # lazy: the model loads on first need

    tags = load().tags(toks)
    return tags[i].startswith("I-") and tags[i] != "I-V" and tags[i - 1] != "O"


def _make_np(words: list[str], det: str | None) -> NounPhrase:
    mods = list(words)
    head: str | None = None
    plural = False
    if len(mods) >= 2 and tuple(mods[-2:]) in lx.COMPOUND_HEADS:
        head = lx.COMPOUND_HEADS[tuple(mods[-2:])]
        mods = mods[:-2]
    elif mods and tuple([mods[-2], singular(mods[-1])] if len(mods) >= 2 else ()) in (
        lx.COMPOUND_HEADS
    ):
        head = lx.COMPOUND_HEADS[(mods[-2], singular(mods[-1]))]
        plural = True
        mods = mods[:-2]
    elif mods:
        last = mods[-1]
        if (last in lx.COLOURS and not chunk.thing_noun(last)) or last in lx.SIZES or (
            last in lx.MATERIALS and last not in lx.COMMON_NOUNS
        ):
            head = None  # "the red" = "the red one" (but "the orange" is the fruit)
        elif last in {"one", "ones"}:
            head = None
            plural = last == "ones"
            mods = mods[:-1]
        else:
            plural = is_plural(last)
            head = last if plural and (chunk.keeps_plural(last) or chunk.collective_plural(
                last)) else singular(last)
            mods = mods[:-1]
            k = chunk.compound_start(mods, head)  # "the red remote control" → "remote control"
            if k < len(mods):
                head = " ".join([*mods[k:], head])
                if head.split()[1:2] == ["shaped"]:  # the hyphen the tokenizer split
                    head = head.replace(" shaped ", "-shaped ", 1)
                mods = mods[:k]
    np = NounPhrase(head=head, mods=tuple(mods), plural=plural)
    for w in mods:
        if w in lx.COLOURS:
            np.colour = lx.COLOUR_CANON.get(w, w)
        elif w in lx.SIZES:
            np.size = lx.SIZES[w]
        elif w in lx.MATERIALS:
            np.material = lx.MATERIALS[w]
    if head is None:
        np.anaphor = "one"
    elif (noun := chunk.last_word(head)) in lx.PERSON_WORDS or noun in {"people", "children",
                                                                         "kids"}:
        np.person = True
        np.mods = (*np.mods, *head.split()) if head not in {"me", "person", "us"} else np.mods
        np.head = "person"
    elif noun in lx.ANIMAL_WORDS:
        np.animal = True
    elif head in lx.GENERIC_HEADS:
        np.generic = True
    if det in {"those", "these"}:
        np.plural = True
    return np


def _skip_adverbs(toks: list[str], i: int, e: int) -> int:
    while i < e and toks[i] in lx.ADVERBS and toks[i] not in lx.COMMON_NOUNS:
        i += 1
    return i
