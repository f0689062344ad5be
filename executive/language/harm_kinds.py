"""What a noun names, for the harm rules: a part of the body, a living being, or a likeness.

Why apart from harm.py: these are questions about words (WordNet classes, the curated
household readings, the lexicon's person and animal words) that the hazard rules, the plan
check (hazard_plan.py), the airborne check and the effector reader all ask, and that harm.py
— which reads a clause and applies the rules — only consumes. Each answer leans towards
"a thing" when any household sense is one, so the robot does not refuse to move an egg, a
duck-shaped toy or a "shaker".
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from executive.language import knowledge as kn
from executive.language import lexicon as lx
from executive.language.normalise import singular


@lru_cache(maxsize=8192)
def body_part(word: str) -> bool:
    """Is ``word`` (as a noun, in its most frequent sense) a part of the body? WordNet's noun.body."""
    if not word.replace("_", "").isalpha() or not kn.available():
        return False
    wn = kn.reader()
    cur = kn.curated().readings.get(word)
    if cur:  # the household reading decides: a "socket" on the wall is not an eye socket
        return wn.synset(cur[0]).lexname() == "noun.body"
    # "eyes" is also a noun of its own ("in the eyes of the law"): try the singular too
    for form in dict.fromkeys((word, singular(word), wn.morphy(word, "n") or word)):
        senses = wn.synsets(form, "n")
        if senses and senses[0].lexname() == "noun.body":
            return True
    return False


_BEINGS = frozenset({"person", "child", "animal"})


_THING_LEXNAMES = frozenset({"noun.artifact", "noun.food", "noun.substance", "noun.object",
                             "noun.plant"})


@lru_cache(maxsize=8192)
def living_kind(word: str) -> str | None:
    """"person", "child" or "animal" when ``word`` names a living being in a home.

    The curated household reading decides first (a "mouse" on a desk is the computer's, a
    "charger" is not a horse); then the lexicon's person/child/animal words; then WordNet,
    but only for words with no sense that is a thing: "shaker", "egg", "duck" and "sprite"
    name things people handle, so the robot does not refuse to move them.
    """
    w = word.lower()
    if not w:
        return None
    have_wn = w.replace("_", "").isalpha() and kn.available()
    cur = kn.curated().readings.get(w) if have_wn else None
    if cur:
        classes = kn.closure(cur[0])
        if "person.n.01" in classes:
            return "person"
        return "animal" if "animal.n.01" in classes else None
    if w in lx.CHILD_WORDS:
        return "child"
    if w in lx.PERSON_WORDS or w in {"person", "people", "someone", "somebody", "everyone"}:
        return "person"
    if w in lx.ANIMAL_WORDS:
        return "animal"
    if not have_wn:
        return None
    wn = kn.reader()
    base = wn.morphy(w, "n")
    senses = wn.synsets(base, "n") if base else []
    if not senses or any(s.lexname() in _THING_LEXNAMES for s in senses):
        return None
    if wn.synsets(w, "r") and (wn.morphy(w, "a") or w) != w:
        return None  # "closer", "nearer": a degree of an adjective ("push it closer to ...")
    classes = kn.closure(senses[0].name())
    if "person.n.01" in classes:
        return "child" if classes & {"child.n.01", "child.n.02", "juvenile.n.01"} else "person"
    return "animal" if "animal.n.01" in classes else None


def head_living_kind(words: Sequence[str]) -> str | None:
    """The living kind of a noun phrase judged on its head, not on a modifier: a compound
    WordNet or the curated readings know names the thing ("stuffed animal", "teddy bear" are
    toys; "tiger letter" is a letter), else the last word does."""
    ws = [w for w in words if w.replace("_", "").isalpha()]
    if not ws:
        return None
    if len(ws) >= 2 and kn.available():
        for compound in ("_".join(ws[-2:]), "_".join([ws[-2], singular(ws[-1])])):
            if compound in kn.curated().readings or kn.reader().synsets(compound, "n"):
                return living_kind(compound)
        if _made_of(ws[-2]) and living_kind(ws[-2]) is None:
            return None  # "rubber duck", "toy dinosaur", "chocolate bunny": a likeness
        if _device_of(ws[-2], ws[-1]):
            return None  # "dvd player", "card reader": the device that plays or reads it
    return living_kind(ws[-1])


@lru_cache(maxsize=4096)
def _device_of(modifier: str, head: str) -> bool:
    """"dvd player", "card reader", "mp3 player": an agent noun in -er/-or whose only WordNet
    senses are people, after a noun for an artifact or a medium (noun.artifact,
    noun.communication), names the device that does it to that thing. Not after a game or a
    sport ("tennis player", noun.act), a musical instrument ("piano player"), or a being."""
    if not (head.endswith(("er", "or", "ers", "ors")) and modifier.isalpha()) or not (
            kn.available()) or living_kind(head) != "person" or living_kind(modifier):
        return False
    wn = kn.reader()
    senses = wn.synsets(modifier, "n")[:1]
    return bool(senses) and senses[0].lexname() in {"noun.artifact", "noun.communication"} and (
        "musical_instrument.n.01" not in kn.closure(senses[0].name()))


@lru_cache(maxsize=4096)
def _made_of(modifier: str) -> bool:
    """Does ``modifier`` make the noun after it a likeness of what it names — a material, a
    foodstuff or a toy ("rubber", "plastic", "chocolate", "toy"), or an adjective that
    pertains to one ("wooden", "plastic")? WordNet: its first noun sense is noun.substance or
    noun.food or a plaything, or an adjective sense is a pertainym of such a noun."""
    if not modifier.isalpha() or not kn.available():
        return False
    wn = kn.reader()

    def material(s: object) -> bool:
        return s.lexname() in {"noun.substance", "noun.food"} or "plaything.n.01" in kn.closure(
            s.name())

    nouns = wn.synsets(modifier, "n")[:1]
    if nouns and material(nouns[0]):
        return True
    for a in wn.synsets(modifier, "a")[:1] + wn.synsets(modifier, "s")[:1]:
        for lem in a.lemmas():
            if any(material(p.synset()) for p in lem.pertainyms()):
                return True
        # "wooden": "made or consisting of (entirely or in part) wood"
        if a.definition().startswith(("made of", "made or consisting of", "consisting of")):
            return True
    return False
