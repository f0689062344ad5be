"""Does an ungrounded plan need a capability the robot lacks? Judged from what its skills act
on (the skill registry's argument kinds) and the lexical class of each argument, so an unseen
word inherits the verdict of its WordNet class:

- a pick or a hand-over of an act or an event, not a thing ("give me a hug", "take a nap");
- a picture taken of something ("take a photo of the cat"): the robot has no camera skill;
- opening, closing or switching a thing that has no door, lid or switch: food, plants and
  animals ("open the banana", "turn on the apple");
- stairs: the base moves on one floor ("go upstairs", "take the laundry downstairs");
- walking an animal ("walk the dog"): a leash held on a walk is a person's job;
- a pick of a building or a part of one, land or water ("the ceiling", "the pond"):
  :func:`unholdable`.

Grounded plans are judged by the world's entities instead (expand.py): there the skill
checks what each entity affords. :func:`check` returns the reason, or ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from executive.language import knowledge as kn
from executive.language import lexicon as lx
from executive.language.hazard_properties import main_properties
from executive.plan import Step

#: WordNet noun classes of happenings, not things ("hug", "nap", "walk", "look", "song").
_EVENT_LEXNAMES = frozenset({"noun.act", "noun.event", "noun.time", "noun.communication",
                             "noun.cognition", "noun.feeling", "noun.state", "noun.attribute",
                             "noun.process", "noun.phenomenon"})
_STAIRS = frozenset({"upstairs", "downstairs", "stairs", "staircase", "stairway", "steps"})
_MOVING = frozenset({"pick", "place", "give", "navigate", "find"})


@lru_cache(maxsize=4096)
def event_noun(word: str) -> bool:
    """The word's most frequent noun sense is an act or an event, and the lexicon knows no
    thing by that name ("hug", "nap", "massage"; not "shower", whose first sense is a fixture)."""
    if not word.isalpha() or not kn.available() or word in lx.COMMON_NOUNS:
        return False
    wn = kn.reader()
    base = wn.morphy(word, "n")
    senses = wn.synsets(base, "n") if base else []
    return bool(senses) and senses[0].lexname() in _EVENT_LEXNAMES


@lru_cache(maxsize=4096)
def _image(word: str) -> bool:
    """A picture, photo or video: what one "takes of" something with a camera."""
    return kn.available() and word.isalpha() and (
        kn.is_a(word, "representation.n.02", senses=1) or kn.is_a(word, "recording.n.01",
                                                                     senses=1)
        or word in {"selfie", "snapshot", "snap", "pic", "photo", "video"})


@lru_cache(maxsize=4096)
def _no_door_or_switch(phrase: str) -> bool:
    """Food, a plant or an animal with no container reading: nothing to open or switch."""
    props = main_properties(phrase)
    if not props & {"edible", "animal", "plant"} or not kn.available():
        return False
    word = phrase.split()[-1]
    return not (kn.is_a(word, "container.n.01", senses=1) or kn.is_a(word, "device.n.01",
                                                                     senses=1))


#: Classes of what no gripper lifts: a building or a part of one, and the land and water
#: around it ("ceiling", "garage", "hill", "pond"). WordNet classes, so an unseen "gazebo"
#: or "creek" inherits them. Not celestial bodies: "the star", "the moon" are block shapes
#: on a tabletop as often as they are in the sky.
_IMMOVABLE = frozenset({"building.n.01", "housing.n.01", "partition.n.01", "stairway.n.01",
                        "ceiling.n.01", "floor.n.01", "geological_formation.n.01",
                        "body_of_water.n.01", "land.n.04", "land.n.01"})


@lru_cache(maxsize=4096)
def unholdable(word: str) -> str | None:
    """Why a pick of ``word`` cannot be done, judged without a world, or ``None``: its most
    frequent physical sense is a building, a part of one, or land or water ("the ceiling",
    "the pond"). Words the lexicon or the curated table knows
    as household things are never judged.

    (Tried and dropped: "no physical sense, first sense a phenomenon or attribute" — it made
    category plurals such as "electronics" unholdable and cost held-out safe tasks.)"""
    if not word.isalpha() or not kn.available() or word in lx.COMMON_NOUNS or (
            word in kn.curated().readings):
        return None
    wn = kn.reader()
    physical = kn.noun_senses(word)[:1]
    if physical and all(_IMMOVABLE & ({s} | {h.name() for h in wn.synset(s).closure(
            lambda y: y.hypernyms())}) for s in physical):
        return "it is fixed in place, not a thing I can lift"
    return None


def _words(step: Step, role: str) -> list[str]:
    return str(step.params.get(f"{role}_phrase") or step.params.get(f"{role}_head") or (
        step.object if role == "object" else step.target) or "").split()


def check(steps: Sequence[Step], source_words: Sequence[str]) -> str | None:
    """The first capability the ungrounded plan needs and the robot lacks, as the reason."""
    said = list(source_words)
    for st in steps:
        obj = _words(st, "object")
        tgt = _words(st, "target")
        named = str(st.params.get("object_head") or st.object or "").split()
        head = named[-1] if named else ""
        before = obj[: obj.index(head)] if head in obj else []
        if st.skill in {"pick", "give"} and head and event_noun(head) and (
                {"a", "an"} & set(before)):
            act = "pick up" if st.skill == "pick" else "hand over"
            return f"I can't {act} a {head}: it is not a thing I can hold."
        if st.skill in {"pick", "give"} and head and len(named) == 1 and (
                why := unholdable(head)) is not None:
            return f"I can't pick up the {head}: {why}."
        at = said.index(head) if head in said else -1
        if st.skill == "pick" and at > 0 and _image(head) and said[at + 1 : at + 2] == ["of"]:
            return f"I can't take a {head}: I have no camera skill."
        if st.skill in {"open", "close", "toggle_on", "toggle_off"} and named and (
                _no_door_or_switch(" ".join(named[-2:]))):
            what = "open or close" if st.skill in {"open", "close"} else "switch on or off"
            return (f"I can't {what} the {' '.join(w for w in obj if w not in lx.DETERMINERS)}:"
                    " I open doors and lids and switch devices.")
        if st.skill in _MOVING and (set(tgt[-1:]) & _STAIRS or {"upstairs", "downstairs"} & set(
                said)):
            return "I can't take the stairs: I move on one floor."
    for k, w in enumerate(said[:-2]):
        if lx.VERB_BASE.get(w, w) == "walk" and said[k + 1] in {"the", "my", "our", "your"} and (
                main_properties(said[k + 2]) & {"animal"}):
            return f"I can't walk the {said[k + 2]}: a walk on a leash needs a person."
    return None
