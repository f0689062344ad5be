"""Word senses that change what a clause asks for, read from WordNet glosses and hierarchies:
locatum verbs ("water the plant" puts water on it), hinged closures (raising a lid opens it)
and multiword verbs ("put out" is no putting). Split from :mod:`executive.language.chunk`,
which decides noun-phrase names; these decide clause readings (used by
:mod:`executive.language.constructions` and :mod:`executive.language.parse`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from executive.language import knowledge as kn
from executive.language.chunk import last_word


def _wn() -> object | None:
    return kn.reader() if kn.available() else None


_CLOSURE_GLOSS = re.compile(r"\bhinged\b|\bfor closing\b")


@lru_cache(maxsize=4096)
def closure(head: str) -> bool:
    """Is ``head`` a hinged closure or a lid (WordNet: one of its two main senses is glossed
    "hinged …" or "… for closing the opening": a lid, a toilet seat, a shutter)? Raising one
    opens it, and closing the lid on a thing closes that thing."""
    wn = _wn()
    if wn is None or not head:
        return False
    for key in ("_".join(head.split()), last_word(head)):
        senses = wn.synsets(key, "n")[:2]  # type: ignore[attr-defined]
        if senses:
            return any(_CLOSURE_GLOSS.search(x.definition()) for x in senses)
    return False


@lru_cache(maxsize=4096)
def multiword_verb(verb: str, particle: str) -> tuple[bool, bool] | None:
    """WordNet's multiword verb "<verb>_<particle>" ("take_off", "put_out"): None when WordNet
    has none, else (a sense is a putting — put.v.01 or below; a sense is a removing —
    remove.v.01 or below). A verb + particle that WordNet lists is one verb whose meaning is
    its own: "put out the candle" is no placement unless a sense of put_out puts."""
    wn = _wn()
    if wn is None or not verb.isalpha() or not particle.isalpha():
        return None
    senses = wn.synsets(f"{verb}_{particle}", "v")  # type: ignore[attr-defined]
    if not senses:
        return None

    def under(name: str) -> bool:
        top = wn.synset(name)  # type: ignore[attr-defined]
        return any(x == top or top in x.closure(lambda y: y.hypernyms()) for x in senses)

    return under("put.v.01"), under("remove.v.01")


_LOCATUM_GLOSS = re.compile(r"^(?:supply|provide|cover|coat|add|apply|sprinkle|spray)\b")


@lru_cache(maxsize=4096)
def locatum(verb: str) -> str | None:
    """The substance a locatum verb puts on its object ("water the plant" → water, "oil the
    hinge" → oil, "salt the soup" → salt), or None.

    Why: a denominal verb whose main WordNet sense is "supply/provide/cover/add <the noun>
    (to)" (Clark & Clark's locatum verbs) means putting that stuff on the object; with a
    substance (noun.substance: what can be poured) that is the pour skill, the noun being what
    is poured and the object where. Senses that remove the stuff ("dust": remove the dust
    from) or make something ("paint": make a painting) are not this.
    """
    wn = _wn()
    if wn is None or not verb.isalpha():
        return None
    senses = wn.synsets(verb, "v")  # type: ignore[attr-defined]
    if not senses or not any(lem.name() == verb for lem in senses[0].lemmas()):
        return None
    gloss = senses[0].definition()
    if not _LOCATUM_GLOSS.match(gloss) or not re.search(rf"\b{re.escape(verb)}\b", gloss):
        return None
    nouns = wn.synsets(verb, "n")[:2]  # type: ignore[attr-defined]
    return verb if any(n.lexname() == "noun.substance" for n in nouns) else None
