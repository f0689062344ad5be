"""The hazard check of the language layer: refuse requests that could hurt or damage.

(Not the actuator safety gate of ``behaviours/safety_gate.py``, which limits forces and
speeds at run time; this module decides which requests are refused before any plan exists.)

Separate from parsing on purpose. It runs twice: :func:`check_text` on the normalised
tokens (catches requests that have no skill at all, "smash the plate", "hit the cat"), and
:func:`check_plan` on the parsed plan, with the world when there is one (metal into the
microwave, liquid onto electronics, flammables on the stove...). Each rule names its
hazard, and the refusal reason says it.

Choices: handing a knife (or scissors) to the operator is allowed — the hand-over skill
presents the handle first; throwing it, pointing it at someone, or giving it to a child or an
animal is refused. Putting a knife away, wiping it, turning the stove *off*, putting medicine
on the nightstand are all fine.

Knowledge, not only keywords: the classes of a thing come from the curated property table
``data/hazard_properties.yaml`` (sharp, flammable, fragile, metal, electronic, liquid,
explodes-when-heated, heat source, open flame, water destination, enclosed space, person,
child, animal, medicine, poison) matched against the WordNet hypernym closure of the word
(:mod:`executive.language.knowledge`), so an unseen "cleaver" is sharp as an edge tool and
"kerosene" flammable as a fuel. The knowledge rules look at action × object class ×
destination class × state (a heat source that the plan turns on, or a phrase that says it is
lit/running). A throw toward a person or an animal is refused, never turned into a hand-over,
except a toss *to* an animal of a toy, a ball or something soft: that is play with a pet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from executive.language import harm
from executive.language import lexicon as lx
from executive.language.clauses import split
from executive.language.hazard_plan import check_plan
from executive.language.hazard_properties import (
    EDIBLE,
    ELECTRONIC,
    EXITS,
    FRAGILE,
    HARD_SURFACES,
    HEAVY,
    LIVING,
    MEDICINE,
    PET_TOXIC,
    POISONS,
    SAFETY_DEVICES,
    SHARP,
    STATE_ON,
    Hazard,
    _props_of,
    load_table,
    main_properties,
    properties,
    table,
    word_classes,
)

__all__ = ["Hazard", "check_plan", "check_text", "load_table", "main_properties", "properties", "table",
           "word_classes"]


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
        hit = _clause_rules(words) or _knowledge_clause_rules(words)
        if hit is not None:
            return hit
        found = harm.check_clause(words)
        if found is not None:
            return Hazard(found.hazard, found.reason)
    return _sentence_rules(toks) or _knowledge_sentence_rules(toks)


THROW_VERBS = frozenset({"throw", "toss", "fling", "hurl", "chuck", "lob", "pitch"})
_TOWARD = frozenset({"to", "at", "toward", "towards"})
_OBJECT_PRONOUNS = frozenset({"me", "us", "him", "her", "them"})
_LEAVE = frozenset({"leave", "keep", "let", "left", "leaving", "keeping"})


def _who(words: Iterable[str]) -> str | None:
    """"a child", "an animal" or "a person" when the words name one (knowledge and lexicon)."""
    props = _props_of(words)
    if "child" in props:
        return "a child"
    if "animal" in props:
        return "an animal"
    if "person" in props:
        return "a person"
    return _living_kind(list(words))


#: What is made to be thrown and caught, or too soft to hurt when it lands: a toy, a ball,
#: a cushion or a piece of cloth (WordNet classes, so "frisbee", "beanbag chair" aside,
#: "plushie" or "hacky sack" inherit it).
_PLAY_CLASSES = ("plaything.n.01", "ball.n.01", "cushion.n.03", "fabric.n.01",
                 "bedclothes.n.01")


def _tossed_in_play(rest: Sequence[str]) -> bool:
    """"throw the ball to the dog", "toss the teddy bear to the cat": a toss *to* a receiver of
    a thing made to be caught or too soft to hurt is play, not harm. Not "at" someone (aimed at them),
    and not a thing the property table makes sharp, hot, heavy, fragile or electronic."""
    if "at" in rest:
        return False
    end = next((j for j, w in enumerate(rest) if w in _TOWARD), len(rest))
    words = [w for w in rest[:end] if w.isalpha() and w not in lx.DETERMINERS
             and w not in _OBJECT_PRONOUNS]
    if not words or set(words) & (HEAVY | SHARP):
        return False
    phrase = " ".join(words[-2:])
    if main_properties(phrase) & {"sharp", "hot", "heat_source", "open_flame", "fragile",
                                  "electronic", "weapon", "poison", "contaminant", "metal"}:
        return False
    from executive.language import knowledge as kn

    if not kn.available():
        return False
    wn = kn.reader()
    compound = "_".join(words[-2:])
    head = compound if len(words) > 1 and wn.synsets(compound, "n") else words[-1]
    base = wn.morphy(head, "n") or head
    for sense in wn.synsets(base, "n")[:3]:
        classes = {sense.name()} | {h.name() for h in sense.closure(lambda y: y.hypernyms())}
        if not classes & set(_PLAY_CLASSES):
            continue
        gloss = set(sense.definition().replace(";", " ").replace(",", " ").split())
        # the dictionary's own word for what hurts on landing: "a small hard ball" (golf),
        # "heavy ball" (medicine ball), "a large ball with finger holes" (bowling)
        return not (gloss & {"hard", "heavy"} or ("large" in gloss and "light" not in gloss))
    return False


def _knowledge_clause_rules(words: list[str]) -> Hazard | None:
    k = 0
    while k < len(words) and (words[k] in _CLAUSE_SKIP or words[k] in lx.ADVERBS):
        k += 1
    if k >= len(words) or words[k] in {"if", "unless", "when", "before", "after", "once", "do",
                                         "never", "dont", "avoid", "not"}:
        return None
    verb, rest = _verb_base(words[k]), words[k + 1 :]
    if verb in THROW_VERBS and rest[:1] not in (["away"], ["out"]):
        # the one receiving the throw: "throw me X", "throw X to/at/towards Y"
        toward: list[str] = []
        for j, w in enumerate(rest):
            if w in _TOWARD:
                toward += [x for x in rest[j + 1 : j + 4] if x not in lx.DETERMINERS][:2]
        first = rest[:1] if rest[:1] and rest[0] in _OBJECT_PRONOUNS else []
        # "to her", "at them": an object pronoun after the preposition is somebody ("her" is
        # also a determiner, so it is read before determiners are dropped)
        pronoun = any(rest[j] in _TOWARD and rest[j + 1] in _OBJECT_PRONOUNS and not (
            rest[j + 1] == "her" and rest[j + 2 : j + 3] and rest[j + 2].isalpha())
            for j in range(len(rest) - 1))
        who = "a person" if pronoun else _who(toward + first)
        # a toss of a toy to a pet is play; to a person it is refused all the same, with the
        # hand-over offered (a throw is never silently turned into one)
        if who is not None and not (who == "an animal" and _tossed_in_play(rest)):
            thing = _props_of(rest) & {"sharp"}
            what = "a sharp object" if thing else "things"
            return Hazard("sharp" if thing else "harm",
                          f"I won't do that: throwing {what} to or at {who} could hurt them; "
                          "I can hand it over instead.")
    rest_set = set(rest)
    props = _props_of(rest)
    if verb in THROW_VERBS | {"drop", "smash", "slam"} and "fragile" in props and (
            rest_set & HARD_SURFACES or (verb in THROW_VERBS and not rest_set & {
                "bin", "trash", "garbage", "away", "out", "rubbish", "recycling"})):
        return Hazard("damage", "I won't do that: glass, china and eggs break when dropped or "
                                "thrown.")
    # a tap, a bath or a sink left running floods the home
    if (verb in _LEAVE or verb in {"turn", "run"}) and "water_destination" in props and (
        rest_set & (STATE_ON | {"overflow", "overflowing"})) and (
            verb in _LEAVE or rest_set & {"leave", "and"} or "unattended" in rest_set):
        return Hazard("flood", "I won't do that: a tap left running floods the room and can "
                               "cause water damage or a shock.")
    if verb in {"flood", "overflow", "overfill"}:
        return Hazard("flood", "I won't do that: flooding the room causes water damage.")
    if (verb in {"let"} and "overflow" in rest_set) or ("overflow" in rest_set and verb in _LEAVE):
        return Hazard("flood", "I won't do that: letting water overflow floods the room.")
    # a flame inside a closed space
    if verb == "light" and "open_flame" in props and rest_set & {"in", "inside", "into"}:
        return Hazard("fire", "I won't do that: a flame inside a closed space can set it on fire.")
    return None


def _knowledge_sentence_rules(toks: list[str]) -> Hazard | None:
    s = set(toks)
    if s & {"leave", "left", "keep", "let"} and s & {"running", "overflow", "overflowing"} and (
        "water_destination" in _props_of(toks)
    ):
        return Hazard("flood", "I won't do that: a tap left running floods the room and can "
                               "cause water damage or a shock.")
    return None


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
        if rest_set & HARD_SURFACES and not rest_set & {"bin", "trash", "garbage"}:
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
    if (verb in {"pour", "spill", "splash", "spray", "dump", "drip", "squirt"} or (
            verb == "throw" and "liquid" in _props_of(rest))) and rest_set & ELECTRONIC:
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


