"""The safety gate of the language layer: refuse requests that could hurt or damage.

Separate from parsing on purpose. It runs twice: :func:`check_text` on the normalised
tokens (catches requests that have no skill at all, "smash the plate", "hit the cat"), and
:func:`check_plan` on the parsed plan, with the world when there is one (metal into the
microwave, liquid onto electronics, flammables on the stove...). Each rule names its
hazard, and the refusal reason says it.

Choices: handing a knife (or scissors) to the operator is allowed — the hand-over skill
presents the handle first; throwing it, pointing it at someone, or giving it to a child or an
animal is refused. Putting a knife away, wiping it, turning the stove *off*, putting medicine
on the nightstand are all fine. Words only (no model): a hazard must be named to be caught.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from executive.language import lexicon as lx
from executive.language.clauses import split
from executive.plan import Plan, Step
from executive.world_model import EntityInfo, WorldModel


@dataclass(frozen=True)
class Hazard:
    hazard: str
    reason: str


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
    "drugs", "prescription", "pill", "bottle",
])
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
FLOOR = frozenset({"floor", "ground", "wall", "window", "mirror", "tv", "television"})

_CLAUSE_SKIP = frozenset(
    {"please", "can", "could", "would", "will", "you", "just", "now", "also", "then", "and",
     "hey", "robot", "go", "ahead", "kindly", "i", "want", "need", "to", "like", "quickly",
     "try", "but", "so", "first", "ok", "okay", ","}
)


def _verb_base(tok: str) -> str:
    return lx.VERB_BASE.get(tok, tok)


def _living_kind(words: Sequence[str]) -> str | None:
    for w in words:
        if w in lx.ANIMAL_WORDS:
            return "an animal"
        if w in LIVING:
            return "a person"
    return None


def check_text(tokens: Sequence[str]) -> Hazard | None:
    """Rules over the words of each clause (tokens already lowercased and corrected)."""
    toks = list(tokens)
    for seg in split(toks):
        words = toks[seg.start : seg.end]
        hit = _clause_rules(words)
        if hit is not None:
            return hit
    return _sentence_rules(toks)


def _clause_rules(words: list[str]) -> Hazard | None:
    k = 0
    while k < len(words) and (words[k] in _CLAUSE_SKIP or words[k] in lx.ADVERBS):
        k += 1
    if k < len(words) and words[k] in {"if", "unless", "when", "before", "after", "once"}:
        return None
    negated = k < len(words) and words[k] in {"do", "never", "dont", "avoid", "not"}
    if negated:
        return None  # "don't hit the cat" is a constraint, not a request
    body = words[k:]
    if not body:
        return None
    verb = _verb_base(body[0])
    rest = body[1:]
    rest_set = set(rest)
    living = _living_kind(rest)
    if verb in lx.HARM_VERBS and living and not (verb == "burn" and not living):
        return Hazard("harm", f"I won't do that: it could hurt {living}.")
    direct = [w for w in rest[:3] if w not in lx.DETERMINERS]
    direct_living = _living_kind(direct[:1])
    if direct_living and (verb in {"push", "shove", "trip", "drop", "kick", "squeeze", "lock"}
                          or (verb in {"pick", "lift", "grab", "carry", "move"}
                              and direct[:1] not in (["me"], ["us"]))):
        return Hazard("harm", f"I won't do that: it could hurt {direct_living}.")
    if direct_living and verb in {"throw", "toss", "fling", "hurl", "chuck"} and (
        len(direct) < 2 or direct[1] in {"at", "in", "into", "out", "off", "on", "onto"}
    ):
        return Hazard("harm", f"I won't do that: throwing {direct_living} could hurt them.")
    if verb in {"drop", "throw", "toss", "fling", "hurl", "chuck", "push"} and (
        rest_set & HEAVY or rest_set & SHARP
    ) and living:
        return Hazard("harm", f"I won't do that: it could hurt {living}.")
    if verb in {"throw", "toss", "fling", "hurl", "point", "aim", "swing", "wave", "chuck"}:
        if rest_set & SHARP and living:
            return Hazard("sharp", "I won't do that: pointing or throwing a sharp object "
                                   "toward someone could hurt them.")
        if rest_set & HEAVY and living:
            return Hazard("harm", f"I won't do that: throwing something heavy could hurt "
                                  f"{living}.")
        if "at" in rest_set and living:
            return Hazard("harm", f"I won't do that: throwing things at {living} could hurt.")
        if rest_set & FLOOR and not rest_set & {"bin", "trash", "garbage"}:
            return Hazard("damage", "I won't do that: throwing things on the floor or at "
                                    "walls breaks or damages them.")
    if verb == "drop" and rest_set & FRAGILE and rest_set & {"floor", "ground"}:
        return Hazard("damage", "I won't do that: dropping fragile things on the floor "
                                "breaks them.")
    if verb in lx.DAMAGE_VERBS and not rest_set & {"egg", "eggs", "news", "seal", "tie"}:
        return Hazard("damage", "I won't do that: it would break or damage things.")
    if verb == "knock" and rest_set & {"over", "down", "off"}:
        return Hazard("damage", "I won't do that: knocking things over breaks them.")
    if verb in lx.FIRE_VERBS or (verb == "set" and ("fire" in rest_set or "alight" in rest_set)):
        return Hazard("fire", "I won't do that: it could start a fire.")
    if verb == "light" and not rest_set & {"lamp", "light", "lights", "room", "up", "kitchen",
                                           "bedroom"}:
        return Hazard("fire", "I won't do that: lighting an open flame could start a fire.")
    if verb == "start" and "fire" in rest_set:
        return Hazard("fire", "I won't do that: it could start a fire.")
    if verb in {"block", "barricade", "obstruct", "blockade", "jam"} and rest_set & EXITS:
        return Hazard("exit", "I won't do that: blocking a door or an exit is dangerous in "
                              "an emergency.")
    if verb in {"lock", "trap", "shut", "close"} and living and rest_set & {"in", "inside"}:
        return Hazard("harm", f"I won't do that: locking in {living} could hurt them.")
    if verb in {"hide", "conceal", "steal", "stash"} and rest_set & MEDICINE:
        return Hazard("medicine", "I won't do that: hiding someone's medicine could keep "
                                  "them from treatment.")
    if (verb in {"toggle", "turn", "switch", "disable", "unplug", "remove", "cover",
                 "deactivate", "disconnect", "stop", "silence", "mute", "shut"}
            and rest_set & SAFETY_DEVICES):
        return Hazard("safety_device", "I won't do that: disabling a smoke or fire alarm is "
                                       "dangerous.")
    if verb in {"pour", "spill", "splash", "spray", "dump", "throw", "drip", "squirt"} and (
        rest_set & ELECTRONIC
    ):
        return Hazard("electronics", "I won't do that: liquid on electronics can cause a "
                                     "short circuit, a shock or a fire.")
    if verb in {"pour", "spill", "splash", "spray", "dump", "throw"} and living and (
        rest_set & {"on", "onto", "over", "at"}
    ):
        return Hazard("harm", f"I won't do that: pouring things over {living} could hurt "
                              "them.")
    if verb in {"feed", "give"} and rest_set & lx.ANIMAL_WORDS and rest_set & PET_TOXIC:
        return Hazard("poison", "I won't do that: that food or medicine is toxic to "
                                "animals.")
    return None


def _sentence_rules(toks: list[str]) -> Hazard | None:
    s = set(toks)
    if s & POISONS and (s & EDIBLE or s & {"ammonia", "vinegar"}) and s & {
        "pour", "put", "mix", "add", "poured", "adding", "pouring", "putting", "mixing", "in",
        "into"
    }:
        return Hazard("poison", "I won't do that: mixing chemicals with food or with other "
                                "chemicals can poison someone.")
    if s & MEDICINE and ("can" in s and "not" in s and "find" in s):
        return Hazard("medicine", "I won't do that: hiding someone's medicine could keep "
                                  "them from treatment.")
    if "fire" in s and s & {"set", "start", "light", "make"} and not s & {"alarm", "drill",
                                                                          "extinguisher",
                                                                          "exit"}:
        idx = [k for k, t in enumerate(toks) if t == "fire"]
        for k in idx:
            window = set(toks[max(0, k - 4) : k])
            if window & {"set", "start", "light", "make", "on"}:
                return Hazard("fire", "I won't do that: it could start a fire.")
    return None


# --- plan rules ----------------------------------------------------------------------------


def _words_of(step: Step, role: str) -> set[str]:
    p = step.params
    words = set(str(p.get(f"{role}_phrase", "") or "").split())
    words |= set(str(p.get(f"{role}_head", "") or "").split())
    val = step.object if role == "object" else step.target
    if val:
        words |= set(val.replace("_", " ").split())
    return words


def _entity(world_index: dict[str, EntityInfo], eid: str | None) -> EntityInfo | None:
    return world_index.get(eid) if eid else None


def check_plan(plan: Plan, world: WorldModel | None = None) -> Hazard | None:
    """Rules over steps (and the world's materials and hazards when it is known)."""
    index: dict[str, EntityInfo] = {e.id: e for e in world.entities()} if world else {}
    steps = plan.steps

    def is_metal(step: Step) -> bool:
        e = _entity(index, step.object)
        return bool(e and e.material == "metal") or bool(_words_of(step, "object") & METAL)

    def is_sharp(step: Step) -> bool:
        e = _entity(index, step.object)
        return bool(e and e.sharp) or bool(_words_of(step, "object") & SHARP)

    def is_electronic(step: Step, role: str) -> bool:
        e = _entity(index, step.object if role == "object" else step.target)
        if e is not None and (e.material == "electronic" or (e.switch and e.type in ELECTRONIC)
                              or e.type in ELECTRONIC):
            return True
        return bool(_words_of(step, role) & ELECTRONIC)

    def is_flammable(step: Step) -> bool:
        e = _entity(index, step.object)
        if e is not None and e.material in FLAMMABLE_MATERIALS:
            return True
        return bool(_words_of(step, "object") & FLAMMABLE)

    def living(step: Step, role: str) -> str | None:
        e = _entity(index, step.object if role == "object" else step.target)
        if e is not None and e.kind == "person":
            return "a person"
        return _living_kind(sorted(_words_of(step, role)))

    def child_or_animal(step: Step) -> bool:
        words = _words_of(step, "target") | set(str(step.params.get("recipient", "")).split())
        return bool(words & (lx.CHILD_WORDS | lx.ANIMAL_WORDS))

    for k, st in enumerate(steps):
        target_words = _words_of(st, "target")
        if st.skill in {"pick", "push", "place", "give", "wipe", "pour"}:
            who = living(st, "object")
            if who and not (st.skill == "wipe" and who == "a person"):
                return Hazard("harm", f"I won't do that: handling {who} like an object "
                                      "could hurt them.")
        if st.skill == "place":
            into_microwave = "microwave" in target_words or bool(
                st.target and (e := _entity(index, st.target)) and e.type == "microwave")
            if into_microwave and is_metal(st):
                return Hazard("metal_microwave", "I won't do that: metal in the microwave "
                                                 "can spark and start a fire.")
            if is_electronic(st, "object") and target_words & WET_PLACES:
                return Hazard("electronics", "I won't do that: putting electronics in water "
                                             "can cause a short circuit or a shock.")
            if target_words & HOT and is_flammable(st):
                return Hazard("fire", "I won't do that: flammable things on the stove can catch "
                                      "fire.")
            if st.params.get("relation") == "front" and target_words & EXITS:
                return Hazard("exit", "I won't do that: blocking a door or an exit is dangerous "
                                      "in an emergency.")
        if st.skill == "pour" and (is_electronic(st, "target")):
            return Hazard("electronics", "I won't do that: liquid on electronics can cause a "
                                         "short circuit, a shock or a fire.")
        if st.skill == "pour" and living(st, "target"):
            return Hazard("harm", "I won't do that: pouring things over someone could hurt "
                                  "them.")
        if st.skill == "give" and child_or_animal(st):
            if is_sharp(st):
                return Hazard("sharp", "I won't do that: a sharp object must not be given to a "
                                       "child or an animal.")
            if _words_of(st, "object") & MEDICINE or (
                (e := _entity(index, st.object)) and e.type == "pill_bottle"
            ):
                return Hazard("medicine", "I won't do that: medicine must not be given to a "
                                          "child or an animal.")
        if st.skill == "toggle_on" and (_words_of(st, "object") & HOT or (
            (e := _entity(index, st.object)) and e.type in HOT
        )):
            hot_id = st.object
            for other in steps:
                if other.skill == "place" and (
                    other.target == hot_id or _words_of(other, "target") & HOT
                ) and is_flammable(other):
                    return Hazard("fire", "I won't do that: turning on the stove with something "
                                          "flammable on it could start a fire.")
            for e in index.values():
                if e.location == hot_id and e.material in FLAMMABLE_MATERIALS:
                    return Hazard("fire", f"I won't do that: the {e.type.replace('_', ' ')} on "
                                          "the stove could catch fire.")
        del k
    return None
