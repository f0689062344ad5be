"""Noun-phrase heads: which words before the head noun belong to the *name* of the thing.

Why: operators name things with compounds ("remote control", "pepper shaker", "coffee
table", "energy drink", "top drawer") and the last word alone names something else (a
remote, a shaker, a table, a drink, any drawer). Reporting only the last word makes the
robot fetch the wrong thing, so the head is the compound, and the words in front of it that
only describe the thing (colour, size, material, state: "the red", "small", "empty",
"bottled") stay modifiers.

The decision is lexical, from Princeton WordNet 3.0 (the same reader as
:mod:`executive.language.knowledge`), word by word from the head leftwards:

* a lexicalised compound ("coffee_table", "electric_fan", "remote_control" are WordNet
  nouns) joins the head — unless the modifier is a past participle that only says what
  state the thing is in ("bottled water" is water);
* a noun modifier joins ("energy drink", "kettle chips", "soup can"): a word whose noun
  reading is at least as common as its adjective reading (SemCor counts, then sense counts),
  so "classic soda", "soft fruit", "sour fruit" keep only their head; colour, size and
  material words and rooms ("the bathroom floor" is the floor *in* the bathroom) join only
  through a lexicalised compound ("orange soda", "paper towel", "kitchen sink");
* a position word ("top", "bottom", "middle", "left", "topmost") joins: "the top drawer" is
  one drawer, not any drawer;
* a word WordNet does not know that is not a verb form joins (brands and names:
  "multigrain chips", "petri dish").

A plural that WordNet lists as a food noun of its own ("chips" = crisps, "greens") or whose
singular is no noun at all ("tongs", "pliers") is kept as written: singularising would
name a different thing. Without WordNet every answer is "not part of the name" (the head
is the last word, as the parser did before) — the caller's typo corrector already warns once.
Everything is cached and deterministic.
"""

from __future__ import annotations

import re
from functools import lru_cache

from executive.language import knowledge as kn
from executive.language import lexicon as lx
from executive.language.normalise import singular

#: Words that pick one of several identical fixtures by where it is.
POSITION_WORDS: frozenset[str] = frozenset({
    "top", "bottom", "middle", "upper", "lower", "topmost", "bottommost", "uppermost",
    "lowermost", "left", "right", "leftmost", "rightmost", "center", "centre", "front", "rear",
})
#: Words that never belong to a thing's name (quantity, order, comparison, deixis).
_NEVER = frozenset({
    "other", "another", "same", "next", "last", "first", "second", "third", "own", "whole",
    "entire", "single", "different", "various", "several", "many", "much", "more", "most",
    "few", "some", "any", "every", "each", "only", "new", "old", "nearest", "closest",
    "farthest", "furthest", "favorite", "favourite", "usual", "right", "left",
})
_STATE_ROOMS = lx.ROOM_NOUNS | {"living", "dining"}


def _wn() -> object | None:
    return kn.reader() if kn.available() else None


@lru_cache(maxsize=16384)
def lexicalised(words: tuple[str, ...]) -> bool:
    """Is the word sequence a WordNet noun ("coffee table", "remote control")?"""
    wn = _wn()
    if wn is None or len(words) < 2 or not all(w.isalpha() for w in words):
        return False
    key = "_".join(words)
    return bool(wn.synsets(key, "n"))  # type: ignore[attr-defined]


@lru_cache(maxsize=4096)
def curated_compound(words: tuple[str, ...]) -> bool:
    """A compound with a household reading of its own in ``data/lexical.yaml`` ("stuffed
    animal" is a toy): it names the thing even where its first word is a participle, and
    WordNet 3.0 does not list it."""
    if len(words) < 2 or not kn.available():
        return False
    readings = kn.curated().readings
    return "_".join(words) in readings or "_".join([*words[:-1], singular(words[-1])]) in readings


@lru_cache(maxsize=16384)
def _counts(word: str) -> tuple[int, int, int, int]:
    """(noun senses, adjective senses, noun SemCor count, adjective SemCor count)."""
    wn = _wn()
    if wn is None:
        return 0, 0, 0, 0
    n = wn.synsets(word, "n")  # type: ignore[attr-defined]
    a = wn.synsets(word, "a") + wn.synsets(word, "s")  # type: ignore[attr-defined]
    cn = sum(lem.count() for s in n for lem in s.lemmas() if lem.name().lower() == word)
    ca = sum(lem.count() for s in a for lem in s.lemmas() if lem.name().lower() == word)
    return len(n), len(a), cn, ca


@lru_cache(maxsize=16384)
def noun_modifier(word: str) -> bool:
    """Does ``word`` before a head noun read as a noun ("energy drink"), not an adjective?"""
    if not word.isalpha() or word in _NEVER or word in lx.COLOURS or word in lx.SIZES:
        return False
    if word in lx.MATERIALS or word in _STATE_ROOMS or word in lx.DETERMINERS:
        return False
    if word in lx.NUMBER_WORDS or word in lx.ORDINALS or word in lx.FUNCTION_WORDS:
        return False
    if word in lx.ADVERBS:
        return False
    if not kn.available() or appearance(word):
        return False
    n, a, cn, ca = _counts(word)
    if n == 0:
        # an adjective or a verb form ("bottled", "caffeinated") describes; an unknown word
        # that is no inflection of a known one is a name ("multigrain", "redbull")
        return not (a or kn.is_word(word) or word.endswith(("ed", "ing", "ly", "est")))
    if a and _colour(word):
        return False  # a colour both ways ("teal", "rose", "azure"): the thing's colour
    return cn >= ca and n >= a


#: Hypernyms whose hyponyms say what a thing is made of or how its surface looks.
_LOOK_CLASSES = frozenset({"fabric.n.01", "design.n.04", "decoration.n.01",
                           "building_material.n.01"})
_MADE_OF = frozenset({"material.n.01", "solid.n.01"})
#: Substances a thing holds or gathers rather than is made of ("trash can", "dust pan").
_CONTENTS = frozenset({"chemical.n.01", "waste.n.01", "particulate.n.01", "earth.n.02",
                       "liquid.n.01", "fluid.n.01"})


@lru_cache(maxsize=8192)
def appearance(word: str) -> bool:
    """Does the noun ``word`` before a head say what the thing looks like or is made of?

    Why: "the granite letter", "the red swirl pan", "the polka dot bowl", "the brick block"
    name a letter, a pan, a bowl, a block; the noun in front is its texture, pattern or
    material (an attribute, as a colour is), not a kind of thing. Decided from WordNet's two
    main noun senses: a shape ("swirl", "dot", "zigzag"), a fabric or design ("paisley",
    "plush", "stripe"), a building material ("brick", "tile"), or a solid material that is
    neither food, a chemical product nor waste ("granite", "magma", "leather", "clay"), in its
    main sense. Food and drink nouns ("soda can", "coffee mug"), chemicals ("soap dish") and
    waste and liquids ("trash bag", "ink pad") name the contents or the purpose, so they stay
    part of the name. A verb's -ing form ("hanging rack") is its use, never its look.
    """
    wn = _wn()
    if wn is None or not word.isalpha() or (word.endswith("ing") and verb_form(word)):
        return False  # "hanging rack", "cutting board": a verb's use, not a look
    senses = wn.synsets(word, "n")  # type: ignore[attr-defined]
    if not senses or any(s.lexname() == "noun.food" for s in senses):
        return False
    for s in senses[:2]:
        up = {h.name() for h in s.closure(lambda x: x.hypernyms())}
        if s.lexname() == "noun.shape" or up & _LOOK_CLASSES:
            return True
        if s is senses[0] and (s.lexname() == "noun.substance" or up & _MADE_OF) and not (
                up & _CONTENTS):
            return True
    return False


@lru_cache(maxsize=4096)
def _colour(word: str) -> bool:
    wn = _wn()
    return wn is not None and any(s.lexname() == "noun.attribute" and any(
        h.name() in {"chromatic_color.n.01", "color.n.01"} for h in s.closure(lambda x: x.hypernyms()))
        for s in wn.synsets(word, "n"))  # type: ignore[attr-defined]


def _participle(word: str) -> bool:
    """A past participle with no noun reading: a state ("bottled", "chopped", "frozen")."""
    wn = _wn()
    if wn is None or not word.endswith(("ed", "en")):
        return False
    return not wn.synsets(word, "n") and wn.morphy(word, "v") is not None  # type: ignore[attr-defined]


_MADE_OF_GLOSS = re.compile(r"\bmade (?:of|from)\b")


@lru_cache(maxsize=4096)
def made_of(material: str, name: tuple[str, ...]) -> bool:
    """Does WordNet list "<material> <name>" only as the thing made of the material?

    Why: "plastic bag" ("a bag made of thin plastic material"), "paper cup", "rubber boot"
    are WordNet nouns, but their glosses say they are a bag, a cup, a boot made of something:
    the compound is compositional, and the material is an attribute of the head exactly as in
    "rubber gloves" or "wooden blocks", which WordNet does not list. Compounds whose gloss
    names another kind ("rubber band": a band of rubber used to hold things; "paper clip")
    keep their name. Material words (``lexicon.MATERIALS``) only.
    """
    wn = _wn()
    if wn is None or material not in lx.MATERIALS or len(name) != 1:
        return False
    head = name[0]
    return any(s.lexname() == "noun.artifact" and _MADE_OF_GLOSS.search(s.definition())
               and re.search(rf"\b{re.escape(head[:4])}", s.definition())
               for s in wn.synsets(f"{material}_{head}", "n"))  # type: ignore[attr-defined]


@lru_cache(maxsize=8192)
def _plural_lemma(words: tuple[str, ...]) -> bool:
    """A compound WordNet lists in the plural as written ("canned goods"): a name, even
    where its first word is a participle, because the plural phrase is the lemma."""
    wn = _wn()
    if wn is None or len(words) < 2 or not all(w.isalpha() for w in words) or (
            singular(words[-1]) == words[-1]):
        return False
    key = "_".join(words)
    return any(lem.name().lower() == key for s in wn.synsets(key, "n")  # type: ignore[attr-defined]
               for lem in s.lemmas())


def compound_start(words: list[str] | tuple[str, ...], head: str) -> int:
    """Index into ``words`` (the modifiers in front of ``head``) where the thing's name starts.

    ``len(words)`` when the head noun alone is the name. A room before something that is not
    a fixture names a kind ("kitchen tools", "office supplies"); before a fixture it says
    where the fixture is ("the bathroom floor").
    """
    k = len(words)
    name = [head]
    while k > 0:
        w = words[k - 1]
        if w == "shaped" and len(name) == 1 and k >= 2 and shape_word(words[k - 2]):
            name[:0] = [words[k - 2], w]  # "the L-shaped block": the shape is what it is
            k -= 2
            continue
        if w.endswith("'s") and w[:-2].isalpha():
            name.insert(0, w)  # "Rubik's cube": a name's possessive (normalise keeps only those)
            k -= 1
            continue
        if not w.isalpha():
            break
        if k >= 2 and words[k - 2] == "non":
            break  # "non-food items" are items that are not food: a negated property
        joins = (lexicalised((w, *name)) and not _participle(w) and w not in _NEVER
                 and not made_of(w, tuple(name))) or (
            curated_compound((w, *name))) or (
            w in POSITION_WORDS and w not in {"front", "rear"}) or noun_modifier(w) or (
            _plural_lemma((w, *name))) or (
            w in lx.ROOM_NOUNS and len(name) == 1 and head not in lx.FIXTURE_NOUNS
            and head not in lx.ROOM_NOUNS) or (
            len(name) == 1 and purpose_gerund(w) and artifact(head)) or (
            len(name) == 1 and w in lx.MATERIALS and trade_category(head)) or relational(w)
        if not joins:
            break
        name.insert(0, w)
        k -= 1
    return k


def shape_word(word: str) -> bool:
    """Can ``word`` open a shape adjective with "shaped" ("L-shaped", "star-shaped",
    "U-shaped", written with a hyphen the tokenizer splits)? A letter or a noun: the shape
    names the kind of piece ("the L-shaped block" is not any block), unlike a colour."""
    return (len(word) == 1 and word.isalpha()) or is_noun(word)


#: WordNet verb frames of a verb that only takes a thing as object: "Somebody ----s
#: something", "Something ----s something", "Somebody ----s something PP".
_TRANSITIVE_FRAMES = frozenset({8, 11, 21})


@lru_cache(maxsize=8192)
def purpose_gerund(word: str) -> bool:
    """Is ``word`` the -ing form of a verb that someone does *to a thing* ("drying",
    "stirring", "chopping", "pouring")? Before an artifact it names the artifact's use:
    "the drying rack", "the stirring rod" (WordNet lists "cutting board", not these).

    Why the frames of the verb's main sense: a verb that can be intransitive ("running",
    "boiling", "moving", "remaining") or that takes a person ("burning", "missing") before a
    noun says what state the thing is in ("the running faucet", "the missing sock"), not what
    it is for, so it stays a modifier.
    """
    wn = _wn()
    if wn is None or not word.isalpha() or not word.endswith("ing") or not verb_form(word):
        return False
    senses = wn.synsets(verb_base(word), "v")  # type: ignore[attr-defined]
    if not senses:
        return False
    frames = {f for lem in senses[0].lemmas() for f in lem.frame_ids()}
    _n, _a, cn, ca = _counts(word)
    return bool(frames) and frames <= _TRANSITIVE_FRAMES and ca <= cn


@lru_cache(maxsize=8192)
def relational(word: str) -> bool:
    """Is ``word`` a relational adjective (WordNet adj.pert, "pertaining to" a noun: "sporting"
    → sport, "medical" → medicine, "musical" → music) in one of its two main senses?

    Why: a relational adjective classifies, it does not describe: "sporting equipment",
    "medical supplies", "musical instruments" are kinds of things (they cannot be graded or
    predicated: not "very medical", not "the supplies are medical"), so the adjective is part
    of the name, as a noun modifier is ("sports equipment"). Colour, size and material words
    stay attributes whatever WordNet files them under.
    """
    wn = _wn()
    if wn is None or not word.isalpha() or word in lx.COLOURS or word in lx.SIZES or (
            word in lx.MATERIALS or word in _NEVER or word in POSITION_WORDS):
        return False
    senses = [s for s in wn.synsets(word, "a") + wn.synsets(word, "s")  # type: ignore[attr-defined]
              if any(lem.name().lower() == word for lem in s.lemmas())]
    return any(s.lexname() == "adj.pert" for s in senses[:2])


@lru_cache(maxsize=8192)
def artifact(word: str) -> bool:
    """Is the main WordNet sense of the noun ``word`` a made thing (noun.artifact)?"""
    wn = _wn()
    if wn is None or not word.isalpha():
        return False
    senses = wn.synsets(word, "n")  # type: ignore[attr-defined]
    return bool(senses) and senses[0].lexname() == "noun.artifact"


_TRADE = frozenset({"merchandise.n.01", "commodity.n.01", "ware.n.01"})


@lru_cache(maxsize=4096)
def trade_category(word: str) -> bool:
    """Is ``word`` a trade category ("products", "ware": WordNet merchandise or commodity, or
    a kind directly under one)? A material in front of it names a kind of goods ("paper
    products" are napkins and towels, not any product that is made of paper), so it joins
    the name.

    Only the category itself or its direct kinds: everything sold is somewhere below
    commodity (a glove is handwear, clothing, consumer goods, a commodity), and there the
    material only says what the thing is made of ("rubber gloves" are gloves)."""
    wn = _wn()
    if wn is None or not word.isalpha():
        return False
    for s in wn.synsets(word, "n")[:2]:  # type: ignore[attr-defined]
        if s.name() in _TRADE or {h.name() for h in s.hypernyms()} & _TRADE:
            return True
    return False


@lru_cache(maxsize=8192)
def keeps_plural(word: str) -> bool:
    """Whether the plural ``word`` names something its singular does not ("chips", "tongs")."""
    wn = _wn()
    if wn is None or not word.endswith("s") or not word.isalpha():
        return False
    own = [s for s in wn.synsets(word, "n")  # type: ignore[attr-defined]
           if any(lem.name().lower() == word for lem in s.lemmas())]
    if not own:
        return False
    base = singular(word)  # not morphy: it answers "shoes" for "shoes", a lemma of its own
    if base == word or not wn.synsets(base, "n"):  # type: ignore[attr-defined]
        return True  # a plurale tantum: "tongs", "pliers"
    return own[0].lexname() == "noun.food"


@lru_cache(maxsize=8192)
def collective_plural(word: str) -> bool:
    """A plural whose singular mainly names an amount or a quality, not a thing: "supplies"
    (a supply is an amount), "goods" (each main sense of "good" a quality). The plural is what names the
    things, so it is kept as written."""
    wn = _wn()
    if wn is None or not word.endswith("s") or not word.isalpha() or _colour(singular(word)):
        return False
    base = singular(word)
    senses = wn.synsets(base, "n")  # type: ignore[attr-defined]
    if base == word or not senses:
        return False
    if senses[0].lexname() == "noun.quantity":  # not a containerful ("mugs": a mug is a cup)
        return not any(x.lexname() == "noun.artifact" for x in senses)
    return all(x.lexname() == "noun.attribute" for x in senses[:3])


@lru_cache(maxsize=4096)
def thing_noun(word: str) -> bool:
    """Is a colour word also a thing when it ends a phrase ("the orange" is the fruit)?"""
    wn = _wn()
    if wn is None:
        return False
    senses = wn.synsets(word, "n")  # type: ignore[attr-defined]
    return bool(senses) and senses[0].lexname() in {"noun.food", "noun.plant", "noun.artifact"}


@lru_cache(maxsize=4096)
def synonyms(head: str) -> tuple[str, ...]:
    """Other names WordNet gives the thing a compound head names ("remote control" → "remote")."""
    wn = _wn()
    words = head.split()
    if wn is None or len(words) < 2 or not all(w.isalpha() for w in words):
        return ()
    out: list[str] = []
    for s in wn.synsets("_".join(words), "n"):  # type: ignore[attr-defined]
        for lem in s.lemmas():
            name = lem.name().lower().replace("_", " ").replace("-", " ")
            if name != head and name not in out:
                out.append(name)
    return tuple(out)


def last_word(head: str | None) -> str:
    """The head noun of a (compound) head: "top drawer" → "drawer"."""
    return (head or "").rsplit(" ", 1)[-1]


@lru_cache(maxsize=8192)
def names_thing(word: str) -> bool:
    """Can ``word`` name a physical thing (a WordNet noun sense of a thing: "drink", "block")?"""
    wn = _wn()
    if wn is None or not word.isalpha():
        return False
    return any(s.lexname() in kn.PHYSICAL for s in wn.synsets(word, "n"))  # type: ignore[attr-defined]


@lru_cache(maxsize=8192)
def verb_form(word: str) -> bool:
    """Is ``word`` an inflection of a WordNet verb ("containing", "using")?"""
    wn = _wn()
    if wn is None or not word.isalpha():
        return False
    base = wn.morphy(word, "v")  # type: ignore[attr-defined]
    return base is not None and base != word


@lru_cache(maxsize=8192)
def verb_base(word: str) -> str:
    """WordNet's base form of a verb inflection ("swung" → "swing"), or the word."""
    wn = _wn()
    if wn is None or not word.isalpha():
        return word
    return wn.morphy(word, "v") or word  # type: ignore[attr-defined]


@lru_cache(maxsize=8192)
def is_noun(word: str) -> bool:
    """Has ``word`` any WordNet noun reading?"""
    wn = _wn()
    return wn is not None and word.isalpha() and bool(wn.synsets(word, "n"))  # type: ignore[attr-defined]


@lru_cache(maxsize=8192)
def adjective(word: str) -> bool:
    """Is ``word`` above all an adjective ("spicy", "flat", "hot"), by WordNet's counts?"""
    if not word.isalpha() or kn.reader is None or not kn.available():
        return False
    n, a, cn, ca = _counts(word)
    return a > 0 and not (n and cn >= ca and n >= a)


@lru_cache(maxsize=4096)
def put_verb(verb: str) -> bool:
    """Is ``verb`` a way of putting something somewhere (WordNet: one of its four main
    senses is put.v.01 or below it: "lay", "pack", "deposit", "tidy", "arrange", "park")?

    Why: with a thing and a goal ("pack the cup in the box", "lay the book on the shelf") such
    a verb asks for a placement whatever its other readings ("pack a bag", "lay down"), so it
    need not be listed word by word.
    """
    wn = _wn()
    if wn is None or not verb.isalpha():
        return False
    put = wn.synset("put.v.01")  # type: ignore[attr-defined]
    return any(s == put or put in s.closure(lambda x: x.hypernyms())
               for s in wn.synsets(verb, "v")[:4])  # type: ignore[attr-defined]


@lru_cache(maxsize=4096)
def mainly_verb(word: str) -> bool:
    """Is ``word`` used more as a verb than as a noun (SemCor counts: "deposit", "replace",
    "situate"; not "bottle", "position")? Only such a word may open a clause as an unlisted
    verb, so a gapped list ("…, bottles in the fridge") keeps its nouns."""
    wn = _wn()
    if wn is None or not word.isalpha():
        return False

    def count(pos: str) -> int:
        return sum(lem.count() for s in wn.synsets(word, pos)  # type: ignore[attr-defined]
                   for lem in s.lemmas() if lem.name().lower() == word)

    return count("v") > count("n")
