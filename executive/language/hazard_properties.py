"""What the hazard rules know about things: the curated property table over WordNet, word classes.

The classes of a thing come from ``data/hazard_properties.yaml`` (sharp, flammable, fragile,
metal, electronic, liquid, heat source, person, child, animal, …) matched against the WordNet
hypernym closure of the word, so an unseen "cleaver" is sharp as an edge tool. Kept apart from
the rules that use it (:mod:`executive.language.hazards` on the words,
:mod:`executive.language.hazard_plan` on the parsed plan, :mod:`executive.language.harm`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from executive.language import knowledge as kn
from executive.language import lexicon as lx
from executive.language.normalise import singular


@dataclass(frozen=True)
class Hazard:
    hazard: str
    reason: str


# --- the property table over the lexical hierarchy -------------------------------------------

PROPERTY_FILE = "data/hazard_properties.yaml"


@dataclass(frozen=True)
class PropertyTable:
    synsets: dict[str, frozenset[str]]  # property → class synsets
    lemmas: dict[str, frozenset[str]]  # property → words / phrases


def load_table(text: str, source: str) -> PropertyTable:
    """Parse the YAML property table; a bad entry names ``source`` and the field."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("properties"), dict):
        raise ValueError(f"{source}: expected a mapping with a 'properties' mapping")
    syn: dict[str, frozenset[str]] = {}
    lem: dict[str, frozenset[str]] = {}
    for name, entry in raw["properties"].items():
        if not isinstance(entry, dict):
            raise ValueError(f"{source}: properties.{name} must be a mapping of synsets/lemmas")
        for fld in ("synsets", "lemmas"):
            vals = entry.get(fld, [])
            if not isinstance(vals, list) or not all(isinstance(v, str) for v in vals):
                raise ValueError(f"{source}: properties.{name}.{fld} must be a list of strings")
            if fld == "synsets" and (bad := [v for v in vals if ".n." not in v]):
                raise ValueError(f"{source}: properties.{name}.synsets: {bad[0]!r} is not a "
                                 "noun synset name (like knife.n.01)")
        syn[str(name)] = frozenset(entry.get("synsets", []))
        lem[str(name)] = frozenset(v.lower() for v in entry.get("lemmas", []))
    return PropertyTable(syn, lem)


@lru_cache(maxsize=1)
def table() -> PropertyTable:
    """The packaged property table (read once)."""
    res = resources.files("executive.language").joinpath(PROPERTY_FILE)
    return load_table(res.read_text(encoding="utf-8"), f"executive/language/{PROPERTY_FILE}")


_WARNED: list[bool] = []


def _wordnet() -> bool:
    """WordNet is there; when it is not, say so once and use the lemma lists alone."""
    if kn.available():
        return True
    if not _WARNED:
        _WARNED.append(True)
        warnings.warn(f"hazard check without the lexical hierarchy: {kn.unavailable_reason()}",
                      RuntimeWarning, stacklevel=3)
    return False


def word_classes(word: str) -> frozenset[str]:
    """The WordNet classes of the thing ``word`` names (empty without WordNet)."""
    if not _wordnet():
        return frozenset()
    return kn.thing_classes(word)


def _matched(phrase: str, classes_of: Callable[[str], frozenset[str]]) -> frozenset[str]:
    """The table's properties of ``phrase``: its lemma lists against the whole phrase, its last
    two words or its head; its synsets against ``classes_of`` the head and the two-word compound.
    One matcher for :func:`properties` and :func:`main_properties`, which differ only in which
    WordNet classes a word has (all its senses, or the ones it usually names)."""
    words = phrase.lower().replace("_", " ").split()
    if not words:
        return frozenset()
    tab = table()
    keys = {words[-1], singular(words[-1]), " ".join(words)}
    if len(words) >= 2:
        keys.add(" ".join(words[-2:]))
    out = {p for p, lem in tab.lemmas.items() if lem & keys}
    if _wordnet():
        classes = set(classes_of(words[-1]))
        if len(words) >= 2:
            classes |= classes_of("_".join(words[-2:]))
        out |= {p for p, syn in tab.synsets.items() if syn & classes}
    return frozenset(out)


@lru_cache(maxsize=16384)
def properties(phrase: str) -> frozenset[str]:
    """Hazard properties of the thing a noun phrase names ("the big kitchen cleaver" → sharp, metal).

    The lemma lists match the whole phrase, its last two words or its head; the synsets
    match the hypernym closure of the head (and of the two-word compound, "lighter fluid").
    """
    return _matched(phrase, kn.thing_classes)


@lru_cache(maxsize=16384)
def main_properties(phrase: str) -> frozenset[str]:
    """:func:`properties` over what the words usually name (:func:`knowledge.main_classes`).

    For the rules of :mod:`executive.language.harm`, which read requests no parser checked:
    a rare sense must not make a dish electronic or a box a seat.
    """
    return _matched(phrase, kn.main_classes)


def _props_of(words: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for w in words:
        out |= properties(w)
    return frozenset(out)


LIVING = lx.PERSON_WORDS | lx.ANIMAL_WORDS | {"people", "yourself", "myself", "someone"}
SHARP = frozenset(
    [
        "knife", "knives", "scissors", "blade", "razor", "needle", "axe", "saw", "cleaver", "scalpel",
        "dagger", "sword", "screwdriver", "skewer", "shard", "shards", "glass",
    ]
)
HEAVY = frozenset(["dumbbell", "weight", "brick", "rock", "stone", "hammer", "anvil"])
METAL = frozenset(
    [
        "fork", "spoon", "knife", "foil", "tin", "can", "pan", "pot", "scissors", "dumbbell", "key",
        "keys", "cutlery", "silverware", "metal", "metallic", "steel", "aluminium", "aluminum", "iron",
        "tinfoil",
    ]
)
ELECTRONIC = frozenset(
    [
        "laptop", "computer", "phone", "tv", "television", "keyboard", "remote", "tablet", "console",
        "charger", "socket", "outlet", "plug", "router", "monitor", "speaker", "radio", "lamp",
        "microwave", "toaster", "cable", "cord", "mobile", "cellphone", "printer", "camera",
        "headphones", "fuse", "extension",
    ]
)
WET_PLACES = frozenset([
    "sink", "bath", "bathtub", "toilet", "bucket", "water", "tub", "aquarium", "fishtank", "pool",
    "dishwasher",
])
FLAMMABLE = frozenset(
    [
        "towel", "paper", "book", "napkin", "tissue", "cloth", "box", "sponge", "newspaper", "magazine",
        "blanket", "pillow", "curtain", "rag", "cardboard", "plastic", "notebook", "letter", "mail",
        "carton", "fabric",
    ]
)
FLAMMABLE_MATERIALS = frozenset({"paper", "cardboard", "fabric", "foam", "plastic", "wood"})
HOT = frozenset({"stove", "oven", "hob", "cooktop", "burner", "cooker", "grill", "toaster",
                 "fireplace", "heater"})
MEDICINE = frozenset([
    "medicine", "medication", "meds", "pill", "pills", "tablets", "inhaler", "insulin", "epipen",
    "drugs", "prescription", "pill",
])  # not "bottle": a baby's bottle is milk; a pill bottle names its pills
EXITS = frozenset([
    "door", "exit", "doorway", "hallway", "stairs", "staircase", "entrance", "corridor", "escape",
    "doors", "exits", "gate",
])
SAFETY_DEVICES = frozenset(["smoke", "alarm", "detector", "sprinkler", "sprinklers", "extinguisher"])
POISONS = frozenset([
    "bleach", "poison", "detergent", "ammonia", "pesticide", "chemicals", "chemical", "antifreeze",
    "insecticide",
])
EDIBLE = frozenset([
    "food", "drink", "milk", "juice", "coffee", "tea", "water", "soup", "cup", "mug", "glass", "bowl",
    "meal", "dinner", "lunch", "breakfast", "wine", "soda", "plate",
])
PET_TOXIC = frozenset([
    "chocolate", "grapes", "grape", "raisins", "onion", "onions", "alcohol", "wine", "beer", "xylitol",
    "medicine", "pills", "coffee",
])
FRAGILE = frozenset([
    "plate", "glass", "cup", "mug", "bowl", "vase", "dish", "dishes", "bottle", "mirror", "window", "tv",
    "television", "laptop", "phone", "lamp",
])
#: hard surfaces a thrown thing breaks on or damages (not the floor the sim world means)
HARD_SURFACES = frozenset({"floor", "ground", "wall", "window", "mirror", "tv", "television"})

#: states that make a heat source, tap or appliance dangerous right now ("a lit burner")
STATE_ON = frozenset({"running", "on", "lit", "burning", "hot", "flowing", "overflowing"})
