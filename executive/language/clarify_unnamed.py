"""Things, places and changes the request leaves unnamed: asked with ``status "clarify"``.

Why apart: each check finds a slot of the request that is filled only by a word naming no
particular kind or amount — a comparative with no reference ("get closer"), a bare general
plural ("store items"), a place by category ("in one furniture"), a place said alone ("next to
the television would be best"), a destination that is only "a place" ("put it on something").
These must be known even to say what the robot cannot do, so they run before the skill check.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from executive.language import chunk
from executive.language import knowledge as kn
from executive.language import lexicon as lx
from executive.language.clarify_words import (
    DEFINITE,
    DESCRIBERS,
    FILLERS,
    INDEFINITE,
    Outcome,
    clause_words,
    first_verb,
    only_noun,
    only_verb,
)

# --- under-specified before infeasible: what must be known even to say what cannot be done --

#: Comparatives whose base is no quality of a thing's state ("later" is a time).
_NOT_CHANGES = frozenset({"later", "earlier", "sooner", "longer", "further", "farther"})
_COMPARATIVE_ENDS = frozenset({".", "!", "?", ",", ";", "by", "and", "please", "now"})


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


def unreferenced_change(toks: Sequence[str]) -> Outcome | None:
    """A change asked by comparison with no reference or amount: "get closer" (to what?),
    "make the triangle smaller" (how much?). Only a comparative that ends its phrase counts:
    "closer to the bowl" names the reference, "the smaller box" is a description."""
    for words in clause_words(toks):
        fv = first_verb(words)
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
    if not w.isalpha() or w in INDEFINITE or w in FILLERS:
        return False
    if not kn.available():
        return w not in lx.VERB_BASE
    wn = kn.reader()
    if w.endswith("ing") and wn.synsets(w, "v"):
        return False
    fv = first_verb(t)
    if fv is not None and fv[0] == j:
        return False  # the request's verb ("pickup items")
    if fv is not None and fv[0] == j - 1 and wn.synsets(
            f"{lx.VERB_BASE.get(t[j - 1], t[j - 1])}_{w}", "v"):
        return False  # the verb's particle, a phrasal verb in WordNet ("pick up items")
    if wn.synsets(w, "a") or wn.synsets(w, "s"):
        return True  # "heavy items", and "... and light items" (the verb gapped)
    return w not in lx.VERB_BASE and not _place_word(w)


def _finite_verb(t: Sequence[str], k: int) -> bool:
    """Is the "-s" word at ``k`` the verb of a statement ("the drawer needs to be closed", "the
    lamp wants switching off") rather than a plural noun? A clause that opens with a
    determiner or with a noun that is no verb is a statement about its subject, not a
    command; its first word after the subject's nouns that WordNet reads as a verb,
    followed by no noun of its own (an infinitive, a participle, an object's determiner), is
    its finite verb: English puts a bare plural right after a singular head only in a
    compound ("drawer handles")."""
    if not kn.available():
        return False
    wn = kn.reader()
    if not wn.morphy(t[k], "v"):
        return False
    start = max((j + 1 for j in range(k) if t[j] in {",", ";", ".", "!", "?"}), default=0)
    fv = first_verb(t[start:k])
    if fv is None or not (t[start + fv[0]] in lx.DETERMINERS or only_noun(t[start + fv[0]])):
        return False  # a command ("store items"), not a statement about a subject
    if any(x in lx.VERB_BASE or (x.isalpha() and only_verb(x)) for x in t[start + fv[0] + 1 : k]):
        return False  # a verb before it already: "the robot stores items"
    nxt = t[k + 1] if k + 1 < len(t) else "."
    return nxt in {"to", "be", "been", "being", "not"} or nxt in lx.DETERMINERS or (
        nxt.isalpha() and nxt.endswith(("ed", "ing", "en")) and bool(wn.morphy(nxt, "v")))


def unnamed_things(toks: Sequence[str]) -> Outcome | None:
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
        if nxt in DESCRIBERS:
            continue
        prev = t[k - 1]
        if prev in DEFINITE or prev.isdigit() or prev in lx.NUMBER_WORDS:
            continue
        if _modifies(t, k - 1) or _finite_verb(t, k):
            continue
        return Outcome("clarify", question=f"Which {w} do you mean? Please name them.",
                       span=(k, k + 1))
    return None


_PLACE_PREPS = frozenset({"next", "near", "beside", "behind", "under", "underneath", "on",
                          "onto", "in", "into", "inside", "above", "below", "between", "by",
                          "atop", "over"})


def category_place(toks: Sequence[str]) -> Outcome | None:
    """"in one furniture", "on some container": a place named only by its category."""
    t = list(toks)
    for k, w in enumerate(t[:-1]):
        if w in {"on", "in", "into", "onto", "to"} and t[k + 1] in {"one", "a", "an", "some",
                                                                      "any"} and (
                k + 2 < len(t) and t[k + 2] in kn.curated().categories):
            return Outcome("clarify", question=f"Which {t[k + 2]} should I use? Please name "
                                               "it.", span=(k + 1, k + 3))
    return None


def place_fragment(toks: Sequence[str]) -> Outcome | None:
    """"next to the television would be best": a place said on its own, with no action and
    nothing to put there (an answer to a question the robot did not ask)."""
    t = [w for w in toks if w not in {".", "!", "?"}]
    k = 0
    while k < len(t) and (t[k] in FILLERS or t[k] in lx.ADVERBS) and t[k + 1 : k + 2] != ["to"]:
        k += 1
    if k >= len(t) or t[k] not in _PLACE_PREPS or (t[k] == "next" and t[k + 1 : k + 2] != ["to"]):
        return None
    if any(w in lx.VERBS or w in lx.INFEASIBLE_VERBS for w in t if w not in {"be", "is"}):
        return None
    end = next((j for j in range(k, len(t)) if t[j] in {"would", "is", "will", "should", ",",
                                                          "please", "might", "could"}), len(t))
    return Outcome("clarify", question=f"What should I put {' '.join(t[k:end])}?")


#: Heads that name no kind of thing or place ("on something", "in a good place").
_NO_KIND = frozenset({"something", "anything", "somewhere", "anywhere", "place", "spot",
                      "location", "thing", "object", "item", "surface", "area"})


def unnamed_goal(toks: Sequence[str]) -> Outcome | None:
    """"place the can on something", "put the bottle in a good place": the destination is only
    "a place" or "a thing", with nothing that says which (a possessive — "in its place" — or
    a description after it — "the spot where the keys are" — does)."""
    t = list(toks)
    for k, w in enumerate(t[:-1]):
        if w not in {"on", "onto", "in", "into", "inside", "at"}:
            continue
        j = k + 1
        while j < len(t) and j < k + 4 and (t[j] in INDEFINITE or t[j] in {"the"} or (
                t[j].isalpha() and chunk.adjective(t[j]) and t[j] not in _NO_KIND)):
            j += 1
        if j >= len(t) or t[j] not in _NO_KIND or (t[j + 1 : j + 2] and t[j + 1] in (
                DESCRIBERS | {"where", "near", "next", "by", "beside", "on", "in"})):
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
