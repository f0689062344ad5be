"""What an action does to what it touches: the knowledge half of the hazard check.

Why a reading of its own: the hazard check must not depend on the task parser getting a
request right. A request to "cut the arm with the razor blade" has no skill, so the parser
reports it infeasible; "submerge the phone in the sink" has a verb the parser does not know.
Both are harmful whatever the robot can do, and the refusal must say why. So each clause is
read here into a small frame — the verb, the thing acted on, the instrument ("with the X"),
the destinations with their relation ("on/in/to/near the Y") and the states said of them
("hot", "lit", "running", "expired") — and the rules look at

    action (WordNet verb classes: injure, pierce, strike, break ...)
    × the thing's properties × the destination's properties × state,

where properties come from the curated table ``data/hazard_properties.yaml`` over the
WordNet hypernym closure (:func:`executive.language.hazards.properties`), so an unseen
"cleaver" is sharp because it is an edge tool and "lye" is a poison because it is a caustic.
A part of the body ("skin", "arm", "eyes") is recognised from WordNet's lexicographer file
(``noun.body``), not from a word list.

Nothing here asks for a plan or a world; :mod:`executive.language.hazards` calls
:func:`check_clause` for each clause of the normalised tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from executive.language import knowledge as kn
from executive.language import lexicon as lx
from executive.language.harm_kinds import _BEINGS, body_part, head_living_kind, living_kind

__all__ = ["Finding", "Phrase", "Reading", "body_part", "check_clause", "head_living_kind",
           "living_kind", "read_clause", "verb_classes"]

# --- the clause reading ----------------------------------------------------------------------

#: Prepositions that start a role, by canonical relation ("with" is the instrument).
_PREPS: dict[tuple[str, ...], str] = {
    ("with",): "with", ("using",): "with",
    ("on",): "on", ("onto",): "on", ("upon",): "on", ("over",): "on", ("across",): "on",
    ("against",): "on", ("all", "over"): "on", ("on", "top", "of"): "on",
    ("in",): "in", ("into",): "in", ("inside",): "in", ("within",): "in",
    ("to",): "to", ("toward",): "to", ("towards",): "to", ("at",): "to",
    ("near",): "near", ("beside",): "near", ("by",): "near", ("next", "to"): "near",
    ("close", "to"): "near", ("in", "front", "of"): "near", ("right", "next", "to"): "near",
    ("around",): "near", ("under",): "under", ("beneath",): "under", ("below",): "under",
    ("behind",): "near",
}
_MAX_PREP = max(len(k) for k in _PREPS)
#: Words that end the clause's arguments (a subordinate clause or a purpose follows).
_STOPS = frozenset({"while", "when", "if", "until", "so", "because", "for", "then", "before",
                    "after", "unless", "and", "or", "but", ",", ".", "!", "?", ";", ":", "that",
                    "which", "who", "where", "as"})
_SKIP = frozenset({"please", "can", "could", "would", "will", "you", "just", "now", "also",
                   "kindly", "hey", "robot", "go", "ahead", "i", "want", "need", "to", "like",
                   "try", "first", "ok", "okay", "then", "and", "so", "directly", "carefully",
                   "slowly", "gently", "quickly"})
_NEGATORS = frozenset({"do", "dont", "never", "avoid", "not", "don't", "stop", "without"})
#: Particles that belong to the verb ("knock over", "turn on", "hand out").
_PARTICLES = frozenset({"over", "on", "off", "out", "up", "down", "away", "back"})
_PARTICLE_VERBS = frozenset({"turn", "switch", "knock", "push", "tip", "hand", "give", "pick",
                             "throw", "flip", "pass", "hold", "put", "leave", "drop"})
#: ... of which these take a place: "put on the table" is a place, "turn on the gas" is not.
_PLACING = frozenset({"put", "hold", "leave", "drop"})

#: States said of a thing, by what they mean for the hazard check.
HOT_STATES = frozenset({"hot", "boiling", "scalding", "heated", "lit", "burning", "molten",
                        "searing", "red-hot", "flaming", "smouldering", "smoldering", "sizzling"})
RUNNING_STATES = frozenset({"running", "on", "lit", "burning", "working", "spinning", "plugged"})
LIVE_STATES = frozenset({"exposed", "live", "frayed", "bare", "damaged", "broken"})
#: Food that must not be served or mixed into other food.
SPOILED_STATES = frozenset({"expired", "rotten", "spoiled", "spoilt", "moldy", "mouldy", "stale",
                            "rancid", "contaminated", "poisoned", "poisonous", "toxic", "decayed",
                            "putrid", "soured", "gone"})


@dataclass
class Phrase:
    """A noun phrase of the reading: its words (determiners dropped), head, 'of' complements."""

    words: tuple[str, ...]
    head: str
    parts: tuple[str, ...] = ()  # heads of "X of Y" complements ("the shelf of the oven")

    @property
    def phrase(self) -> str:
        return " ".join(w for w in self.words if w not in HOT_STATES | SPOILED_STATES)


@dataclass
class Reading:
    """One clause: verb (base form), particle, the thing, the instrument, the destinations."""

    verb: str
    particle: str | None = None
    thing: Phrase | None = None
    instrument: Phrase | None = None
    dests: list[tuple[str, Phrase]] = field(default_factory=list)
    states: frozenset[str] = frozenset()  # every word of the clause (for states after the head)


def _prep_at(words: Sequence[str], i: int) -> tuple[str, int] | None:
    for n in range(_MAX_PREP, 0, -1):
        key = tuple(words[i : i + n])
        if len(key) == n and key in _PREPS:
            return _PREPS[key], n
    return None


def _phrase(words: Sequence[str]) -> Phrase | None:
    """Head and 'of' complements of a chunk of words ("the top shelf of the oven")."""
    groups: list[list[str]] = [[]]
    for w in words:
        if w == "of":
            groups.append([])
        elif w not in lx.DETERMINERS and w not in {"my", "your", "his", "her", "their", "our",
                                                      "its", "some", "any", "this", "that"}:
            groups[-1].append(w)
    groups = [g for g in groups if g]
    if not groups:
        return None
    main = groups[0]
    # "the heater running": a state word after the head is not the head
    while len(main) > 1 and main[-1] in RUNNING_STATES | HOT_STATES | {"directly", "there"}:
        main = main[:-1]
    if len(main) > 1 and (len(main[-1]) == 1 or main[-1].isdigit()):
        main = main[:-1]  # "the letter G", "cabinet 1": a label names one, the noun is the head
    return Phrase(tuple(main), main[-1], tuple(g[-1] for g in groups[1:]))


def read_clause(words: Sequence[str]) -> Reading | None:
    """Read one clause of lowercased tokens; ``None`` when it is not an imperative request."""
    ws = list(words)
    k = 0
    while k < len(ws) and (ws[k] in _SKIP or ws[k] in lx.ADVERBS):
        k += 1
    if k >= len(ws) or ws[k] in _NEGATORS or ws[k] in {"if", "unless", "when", "once", "before",
                                                         "after"}:
        return None
    verb = lx.VERB_BASE.get(ws[k], ws[k])
    r = Reading(verb, states=frozenset(ws))
    i = k + 1
    if i < len(ws) and ws[i] in _PARTICLES and verb in _PARTICLE_VERBS and (
            _prep_at(ws, i) is None or verb not in _PLACING):
        r.particle = ws[i]
        i += 1
    chunk: list[str] = []
    role: str | None = "thing"
    described = False

    def close() -> None:
        ph = _phrase(chunk)
        if ph is None or role is None:
            return
        if role == "thing" and r.thing is None:
            r.thing = ph
        elif role == "with" and r.instrument is None:
            r.instrument = ph
        elif role not in ("thing", "with"):
            r.dests.append((role, ph))

    while i < len(ws):
        w = ws[i]
        if w in {"and", "or"} and chunk and chunk[-1] in lx.COLOURS and i + 1 < len(ws) and (
                ws[i + 1] in lx.COLOURS):
            i += 1  # "the green and purple container": one thing of two colours
            continue
        if w in _STOPS:
            break
        hit = _prep_at(ws, i)
        if hit is not None:
            close()
            role, n = hit
            if described:
                role, described = None, False  # "the cream held in the right arm": where it is
            chunk = []
            i += n
            continue
        if role == "thing" and chunk and chunk[-1] not in lx.DETERMINERS and _prep_at(
                ws, i + 1) is not None and _participle(w):
            described = True  # a reduced relative: its phrase describes the thing
            i += 1
            continue
        if w in _PARTICLES and role == "thing" and verb in _PARTICLE_VERBS and r.particle is None:
            r.particle = w  # "turn the heater on"
            i += 1
            continue
        chunk.append(w)
        i += 1
    close()
    return r


def _participle(word: str) -> bool:
    """A past participle after a noun ("held", "placed", "located"): a verb form, no noun."""
    if not word.isalpha() or not kn.available() or not word.endswith(("ed", "ld", "en", "pt")):
        return False
    wn = kn.reader()
    base = wn.morphy(word, "v")
    return base is not None and base != word and not wn.synsets(word, "n") and (
        word not in HOT_STATES | SPOILED_STATES | RUNNING_STATES | LIVE_STATES)


# --- what things are (the word classes: harm_kinds.py) ----------------------------------------


def _props(ph: Phrase | None) -> frozenset[str]:
    from executive.language.hazard_properties import main_properties as properties  # the table

    if ph is None:
        return frozenset()
    out = (set(properties(ph.phrase or ph.head)) | set(properties(ph.head))) - _BEINGS
    for w in ph.words[:-1]:  # a noun modifier names what the thing is part of ("PC case")
        out |= properties(w) & {"electronic", "heat_source", "open_flame", "water_destination",
                                "must_stay_on"}
    for p in ph.parts:
        out |= properties(p) - _BEINGS
    # a compound WordNet knows names the thing ("stuffed animal" is a toy, not an animal;
    # a "wall socket" is not an eye socket)
    compound = "_".join(ph.words[-2:]) if len(ph.words) > 1 else ""
    known = bool(compound) and kn.available() and bool(kn.reader().synsets(compound, "n"))
    if body_part(compound if known else ph.head) and not _artifact_part(ph.words) and not (
            _region_of_thing(ph)):
        out.add("body_part")
    kind = head_living_kind(ph.words)
    if kind is not None:
        out.add(kind)
    words = set(ph.words)
    if "edible" in out:
        out.discard("contaminant")  # water and vinegar are solvents too, and food
    if words & HOT_STATES:
        out.add("hot")
    if words & SPOILED_STATES:
        out.add("spoiled")
    if words & LIVE_STATES and "electronic" in out:
        out.add("live_wire")
    return frozenset(out)


def _region_of_thing(ph: Phrase) -> bool:
    """"the back of the fridge", "the arm of the sofa", "the foot of the bed": a body-part
    noun whose "of" complement names a thing, not a being, is a part or a region of that
    thing (English lends body words to objects: WordNet's back.n.08, arm.n.03, foot.n.03).
    Only "of" a person or an animal ("the back of the child") is a body."""
    return bool(ph.parts) and not any(
        living_kind(p) is not None or body_part(p) or p in lx.PERSON_WORDS | lx.ANIMAL_WORDS
        for p in ph.parts)


def _artifact_part(words: Sequence[str]) -> bool:
    """"the storage chest", "the chair arm": a body-part word after a noun modifier that names
    no being is a thing (or part of one), not somebody's body."""
    if len(words) < 2 or not kn.available():
        return False
    mod = words[-2]
    if not mod.isalpha() or living_kind(mod) is not None or body_part(mod):
        return False
    wn = kn.reader()
    return bool(wn.synsets(mod, "n")) and not (wn.synsets(mod, "a") or wn.synsets(mod, "s"))


LIVING = frozenset({"person", "child", "animal", "body_part"})


def _who(props: frozenset[str]) -> str:
    if "child" in props:
        return "a child"
    if "animal" in props:
        return "an animal"
    return "a person"


# --- verb classes (WordNet verb hypernyms) ---------------------------------------------------

#: Verb synsets whose troponyms hurt what they are done to (stab → knife.v.01 → injure.v.01).
_INJURE = frozenset({"injure.v.01", "hurt.v.02", "wound.v.01", "attack.v.01", "assail.v.01",
                     "hit.v.03", "strike.v.01", "pierce.v.05", "penetrate.v.01", "cut.v.01",
                     "thrust.v.01", "beat.v.02", "burn.v.01", "kill.v.01", "poison.v.01",
                     "torture.v.01", "choke.v.02", "squeeze.v.02", "squash.v.01", "pinch.v.01"})
#: ... and those that break or spoil a thing (crack, puncture, smash, tear).
_DAMAGE = frozenset({"damage.v.01", "destroy.v.01", "destroy.v.02", "break.v.05", "break.v.02",
                     "crack.v.01", "pierce.v.05", "penetrate.v.01", "injure.v.01",
                     "tear.v.01", "smash.v.02", "hit.v.03", "ruin.v.01", "burn.v.01",
                     "scratch.v.03", "dent.v.01", "shatter.v.01", "crush.v.04"})
#: Handing over is not applying a thing to someone.
_HANDOVER = frozenset({"give", "hand", "bring", "pass", "offer", "fetch", "deliver", "show",
                       "return", "take", "get", "carry"})
#: Verbs that put or direct a thing at a place or a person.
_APPLY = frozenset({"put", "place", "pour", "spill", "splash", "spray", "apply", "press",
                    "touch", "rub", "hold", "direct", "point", "aim", "shine", "drop", "set",
                    "lay", "stick", "push", "inject", "squirt", "dump", "sprinkle", "leave",
                    "position", "move", "bring", "keep", "wave", "blow", "splatter", "smear",
                    "insert", "jab", "poke", "prod"})
_POUR = frozenset({"pour", "spill", "splash", "spray", "dump", "squirt", "drip", "empty",
                   "sprinkle", "splatter", "smear", "tip"})
_MIX = frozenset({"mix", "add", "stir", "combine", "blend", "put", "pour", "drop", "place",
                  "sprinkle", "spray", "squirt", "dump", "inject", "lace", "spike"})
_SUBMERGE = frozenset({"submerge", "dip", "immerse", "dunk", "soak", "drop", "put", "place",
                       "throw", "toss", "plunge", "sink", "drown", "lower"})
_SERVE = frozenset({"give", "hand", "serve", "feed", "bring", "offer", "pass", "fetch", "mix",
                    "add", "cook", "heat", "prepare", "deliver"})


@lru_cache(maxsize=4096)
def verb_classes(verb: str) -> frozenset[str]:
    """Hypernym closure of ``verb``'s two most frequent WordNet senses (verb synset names)."""
    if not verb.isalpha() or not kn.available():
        return frozenset()
    wn = kn.reader()
    base = wn.morphy(verb, "v")
    out: set[str] = set()
    for s in (wn.synsets(base, "v") if base else [])[:2]:
        out.add(s.name())
        out |= {h.name() for h in s.closure(lambda y: y.hypernyms())}
    return frozenset(out)


def _injures(verb: str) -> bool:
    return verb in lx.HARM_VERBS or bool(verb_classes(verb) & _INJURE)


def _strikes(verb: str) -> bool:
    """A verb that harms a thing by force: a harm verb of the lexicon, or one whose most
    frequent WordNet sense is bodily contact and injures. Evidence, not a stretch: "charge"
    reaches attack.v.01 only through a charge in battle, and "charge my phone" breaks nothing."""
    if verb in lx.HARM_VERBS:
        return True
    if not _injures(verb) or not kn.available():
        return False
    wn = kn.reader()
    base = wn.morphy(verb, "v")
    senses = wn.synsets(base, "v") if base else []
    return bool(senses) and senses[0].lexname() == "verb.contact"


def _damages(verb: str) -> bool:
    return verb in lx.DAMAGE_VERBS or bool(verb_classes(verb) & _DAMAGE)


# --- the rules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    hazard: str
    reason: str


def _named(props: frozenset[str]) -> str | None:
    """The hazard an object brings to a body: heat, sharpness, electricity, chemicals, cold."""
    for prop, name in (("hot", "heat"), ("heat_source", "heat"), ("open_flame", "fire"),
                       ("sharp", "sharp"), ("live_wire", "electronics"),
                       ("electronic", "electronics"), ("poison", "poison"),
                       ("contaminant", "poison"), ("extreme_cold", "cold"), ("weapon", "harm"),
                       ("moving_blades", "harm"), ("laser", "harm")):
        if prop in props:
            return name
    return None


_WHY = {
    "heat": "it is hot enough to burn",
    "fire": "an open flame burns",
    "sharp": "it is sharp and cuts",
    "electronics": "it can give an electric shock",
    "poison": "the chemical can burn or poison",
    "cold": "it is cold enough to cause frostbite",
}


def check_clause(words: Sequence[str]) -> Finding | None:
    """The knowledge rules over one clause's reading (``None``: nothing harmful found)."""
    r = read_clause(words)
    if r is None or (r.thing is None and r.instrument is None and not r.dests):
        return None
    verb = r.verb
    thing = _props(r.thing)
    inst = _props(r.instrument)
    dests = [(rel, _props(ph)) for rel, ph in r.dests]
    dest_heads = {w for _rel, ph in r.dests for w in (ph.head, *ph.parts)}
    dest_all: frozenset[str] = frozenset().union(*[d for _rel, d in dests]) if dests else frozenset()
    clause_hot = bool(r.states & HOT_STATES)

    # 1. an injuring action on a person, an animal or a part of a body
    if thing & LIVING and (_injures(verb) or (r.instrument is not None and inst & {
            "sharp", "hot", "heat_source", "weapon", "electronic", "poison"})):
        named = _named(inst) or "harm"
        return Finding(named, f"I won't do that: it could hurt {_who(thing)}"
                              f"{' — ' + _WHY[named] if named in _WHY and named != 'harm' else ''}.")
    # 2. putting, pouring or pointing something onto or into a body (not a hand-over)
    body_dest = [d for rel, d in dests if d & LIVING and rel in {"on", "in", "to", "near", "under"}]
    if body_dest and verb in _APPLY and verb not in _HANDOVER and r.thing is not None:
        d = body_dest[0]
        named = _named(thing) or ("heat" if clause_hot else None)
        if named is not None or "body_part" in d or verb in _POUR:
            named = named or ("poison" if verb in _POUR else "harm")
            return Finding(named, f"I won't do that: putting or pointing it at {_who(d)} could "
                                  f"hurt them{' — ' + _WHY[named] if named in _WHY else ''}.")
    # 3. a part of the body put on heat, blades, electricity or a sharp thing
    if "body_part" in thing and verb in _APPLY and dest_all & {
            "heat_source", "open_flame", "moving_blades", "electronic", "sharp", "hot"}:
        return Finding("harm", "I won't do that: it puts a person's body on something that "
                                 "burns, cuts or shocks.")
    # 4. a flame or a hot thing held or put near something that burns
    if (("open_flame" in thing and r.states & {"lit", "burning"}) or "hot" in thing
            or ("heat_source" in thing and r.states & RUNNING_STATES)) and (
            dest_all & {"flammable", "bin"}) and verb in _APPLY | {"throw", "toss"}:
        return Finding("fire", "I won't do that: a flame or a hot thing next to something "
                               "flammable can set it on fire.")
    # 4b. a flame or a heat source left burning or on
    if verb in {"leave", "let"} and thing & {"open_flame", "heat_source"} and (
            r.states & (RUNNING_STATES | {"unattended"})):
        return Finding("fire", "I won't do that: a flame or a heater left on unattended can "
                               "start a fire.")
    # 4c. dangerous things handed to a child
    if verb in _HANDOVER | {"give", "hand", "pass", "feed"} and any(
            "child" in d for _rel, d in dests) and (
            named := _named(thing & {"sharp", "open_flame", "poison", "contaminant", "weapon",
                                     "laser", "hot"}) or ("medicine" in thing and "poison")):
        return Finding(named, "I won't do that: it is dangerous in a child's hands.")
    # 4d. electronics into an oven, onto a stove or a fire
    if verb in _APPLY and "electronic" in thing and not thing & {"heat_source", "food_vessel"} and (
            any(rel in {"in", "on"} and "heat_source" in d for rel, d in dests)):
        return Finding("electronics", "I won't do that: electronics in the heat melt, burn or "
                                      "explode.")
    # 4e. anything but a plug into or onto a socket
    if verb in _APPLY and r.thing is not None and "electronic" not in thing and any(
            rel in {"in", "on"} and "socket" in d for rel, d in dests):
        return Finding("electronics", "I won't do that: anything but a plug in or on a socket "
                                      "can give a shock or start a fire.")
    # 5. a heat source left running next to someone
    if "heat_source" in thing and r.states & RUNNING_STATES and dest_all & LIVING:
        return Finding("heat", f"I won't do that: a running heater next to {_who(dest_all)} can "
                               "burn them or set clothes on fire.")
    # 6. a chemical into food or drink, onto plants or animals
    if thing & {"poison", "contaminant"} and verb in _MIX | _POUR and (
            dest_all & {"edible", "food_vessel", "plant", "animal", "person", "child"}
            or inst & {"edible"}):
        return Finding("poison", "I won't do that: cleaning products and chemicals in food "
                                   "or on living things can poison.")
    # 7. spoiled food served to someone or mixed into food
    if "spoiled" in thing and verb in _SERVE and (
            thing & {"edible", "medicine"} or dest_all & {"edible"} or inst & {"edible"}):
        return Finding("spoiled", "I won't do that: expired or spoiled food or medicine can make "
                                "someone ill.")
    # 8. liquid onto things water ruins
    if verb in _POUR and r.thing is not None and dests and (
            dest_all & {"electronic", "water_sensitive", "liquid_sensitive"}):
        if "electronic" in dest_all:
            return Finding("electronics", "I won't do that: liquid on electronics can cause a short "
                                       "circuit, a shock or a fire.")
        return Finding("damage", "I won't do that: it would soak and ruin it.")
    if verb == "spill" and r.thing is not None:
        return Finding("damage", "I won't do that: spilling it makes a mess that can ruin "
                                   "things or make someone slip.")
    # 9. electronics into water or into a vessel for liquids
    if verb in _SUBMERGE and thing & {"electronic", "water_sensitive"} and any(
            rel in {"in", "on"} and d & {"water_destination", "liquid", "food_vessel"}
            for rel, d in dests):
        return Finding("electronics", "I won't do that: water ruins electronics and can give a "
                                   "shock.")
    # 10. dropping or knocking over fragile things and devices
    if ((verb == "drop" and r.particle not in {"off"}) or (
            verb in {"knock", "push", "tip", "topple"} and r.particle in {"over", "down", "off"})
            or verb in {"topple"}) and thing & {"fragile", "electronic", "water_sensitive"} and not (
            dest_all & {"bin"}):
        return Finding("damage", "I won't do that: dropped or knocked over, it breaks.")
    # 11. breaking, cracking, piercing a thing
    if r.thing is not None and _damages(verb) and not thing & {"edible"} and (
            verb not in {"cut", "burn"} or inst & {"sharp"}):
        if "electronic" in thing and verb in {"puncture", "pierce", "stab", "crush"}:
            return Finding("fire", "I won't do that: a punctured or crushed battery can catch "
                                   "fire.")
        return Finding("damage", "I won't do that: it would break or damage it.")
    # 11b. striking a fragile thing or a device
    if r.thing is not None and _strikes(verb) and thing & {"fragile", "electronic"} and not (
            thing & LIVING) and not verb_classes(verb) & {"cut.v.01", "separate.v.02"}:
        return Finding("damage", "I won't do that: it would break or damage it.")
    # 11c. metal or a blade into a wall socket
    if (thing & {"metal", "sharp"} and verb in _APPLY | {"insert", "stick", "jam", "poke"}
            and "socket" in dest_all) or ("socket" in thing and inst & {"metal", "sharp"}):
        return Finding("electronics", "I won't do that: metal in a socket gives an electric "
                                      "shock.")
    # 12. a magnet on magnetic storage or electronics
    if "magnet" in thing and verb in _APPLY and dest_all & {"magnetic_media", "electronic"}:
        return Finding("damage", "I won't do that: a magnet can wipe or damage the data on it.")
    # 13. an alkali metal into water
    if "reactive_metal" in thing and dest_all & {"water_destination", "liquid"}:
        return Finding("poison", "I won't do that: alkali metals react violently with water.")
    # 14. fuel gas turned on or let out
    if "fuel_gas" in thing and ((verb in {"turn", "switch"} and r.particle == "on")
                                or verb in {"open", "release", "leak", "start"}):
        return Finding("poison", "I won't do that: gas let out without a flame can poison "
                                   "people or explode.")
    # 15. unplugging what keeps food cold or someone alive
    if verb in {"unplug", "disconnect", "unplugged"} and "must_stay_on" in thing:
        return Finding("damage", "I won't do that: unplugged, it stops keeping food cold (or a "
                                 "device running that must stay on).")
    # 16. sharp things left where people sit or lie
    if "sharp" in thing and verb in _APPLY and any(
            rel in {"on", "in", "under"} and "seat" in d for rel, d in dests):
        return Finding("sharp", "I won't do that: sharp things where people sit or lie can "
                                "cut them.")
    # 17. sealed drinks on a stove, a grill or in an oven
    if verb in _APPLY | {"position"} and "beverage" in thing and any(
            rel in {"on", "in"} and "heat_source" in d for rel, d in dests) and not (
            dest_heads & {"microwave"}):
        return Finding("heat", "I won't do that: a drink in its can or bottle bursts or melts "
                               "on a stove, a grill or in an oven.")
    return None
