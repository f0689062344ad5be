"""Harm from a request to move the robot's own body into people or property, and flight
rules: judged before feasibility.

Why: "take off, then collide with the crowd of people" is infeasible for a robot that cannot
fly, but what it asks for is harm; answering "I can't fly" would let the same request through
on a robot that can. So the intent is judged first and refused with the hazard named; a
harmless flight ("take off and land") stays infeasible. The household hazard rules
(:mod:`executive.language.harm`) read an action on a *thing*; here the robot itself is the
thing that strikes, so the rules read

* a collision predicate, by WordNet verb class (hit against, collide, crash, ram; "make
  contact with" when the robot is in motion), whose patient is a person or a crowd of
  people, an animal, or property (WordNet vehicle, structure, building, machine);
* airborne motion (take off, fly, an aircraft named) over or above people, or into a crowd;
* airborne motion into a restricted zone ("no drone zone", "no-fly zone"), above the
  legal ceiling, or faster than the speed limit (the figures below: EU / US small-drone
  rules, 120 m above ground and 44.7 m/s = 100 mph).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from executive.language import knowledge as kn
from executive.language import lexicon as lx

MAX_ALTITUDE_M = 120.0  # EU 2019/947 open category; US Part 107: 400 ft (122 m)
MAX_SPEED_MPS = 44.7  # US Part 107: 100 mph

#: Verb senses of a body moving into another one: "hit against", "collide", "crash", "ram".
_COLLIDE = frozenset({"hit.v.02", "collide.v.02", "collide.v.03", "crash.v.01", "crash.v.03",
                      "ram.v.01", "strike.v.01", "clash.v.02"})
#: Hypernyms of a moving body striking another ("bump" → hit.v.02, "slam" → hit.v.03); not
#: strike.v.01, whose troponyms include knocking on a door.
_IMPACT = frozenset({"hit.v.02", "collide.v.03", "hit.v.03"})
#: Groups whose members are people ("the crowd", "the audience", "the team") or animals
#: ("the herd"): WordNet noun.group classes.
_PEOPLE_GROUPS = frozenset({"social_group.n.01", "gathering.n.01"})
_ANIMAL_GROUPS = frozenset({"animal_group.n.01"})
#: Classes of property a moving robot damages by striking it.
_PROPERTY = frozenset({"vehicle.n.01", "structure.n.01", "building.n.01", "machine.n.01"})
_FLIGHT_VERBS = frozenset({"fly", "flew", "flown", "flying", "flies", "soar", "soaring",
                           "takeoff", "hover", "hovering", "ascend", "ascending"})
_OVER = frozenset({"over", "above"})
_ENDS = frozenset({",", ".", ";", "!", "?", "and", "then", "at", "while", "with", "to", "for",
                   "maintaining", "ensuring", "which", "that", "so", "but", "before", "after",
                   "until", "in", "by"})
#: Words after which a verb stands (imperative or infinitive): "then strike", "and hit",
#: "to crash"; "the jam jar" is no collision.
_VERB_SLOT = frozenset({",", ".", ";", "!", "and", "then", "to", "please", "now", "off",
                        "takeoff", "deliberately", "directly", "just"})
_ALTITUDE_WORDS = frozenset({"altitude", "height", "high", "higher", "elevation", "above",
                             "ascend", "soar", "climb", "ceiling"})
_METRES = {"m": 1.0, "meter": 1.0, "meters": 1.0, "metre": 1.0, "metres": 1.0, "ft": 0.3048,
           "feet": 0.3048, "foot": 0.3048, "km": 1000.0}


@dataclass(frozen=True)
class Airborne:
    hazard: str
    reason: str


@lru_cache(maxsize=4096)
def _collision_verb(word: str, named: bool = False) -> bool:
    """A verb of the robot's body striking something. ``named``: only the senses of
    ``_COLLIDE`` (ram, crash, collide), which damage property even on the ground; a bump
    of a drawer shut is no crash."""
    if not word.isalpha() or not kn.available():
        return False
    wn = kn.reader()
    base = wn.morphy(word, "v")
    senses = wn.synsets(base, "v")[:3] if base else []
    if any(s.name() in _COLLIDE for s in senses):
        return True
    if named:
        return False
    # a most frequent sense that is a troponym of bodily impact ("bump", "slam" into; not
    # "knock", whose first sense is striking a door), of a word that is not first a thing
    # ("socks" in a list of clothes is no "sock" = hit hard)
    nouns = wn.synsets(wn.morphy(word, "n") or word, "n")[:1]
    if not senses or any(n.lexname() in kn.PHYSICAL for n in nouns):
        return False
    return bool({h.name() for h in senses[0].closure(lambda y: y.hypernyms())} & _IMPACT)


def _airborne(toks: Sequence[str]) -> bool:
    """The request moves the robot through the air: a flight verb, "take off", an aircraft."""
    for k, t in enumerate(toks):
        if t in _FLIGHT_VERBS or (t == "take" and toks[k + 1 : k + 2] in (["off"], ["flight"])):
            return True
        if t.isalpha() and kn.available() and "aircraft.n.01" in kn.thing_classes(t):
            return True
    return False


def _patient(toks: Sequence[str], i: int) -> list[str]:
    out: list[str] = []
    while i < len(toks) and toks[i] not in _ENDS - {"with"}:
        if toks[i] not in lx.DETERMINERS and toks[i].isalpha():
            out.append(toks[i])
        i += 1
    return out


def _what(words: Sequence[str]) -> str | None:
    """"people", "an animal" or "property" when the phrase names one."""
    from executive.language.harm import living_kind

    for w in words:
        kind = living_kind(w)
        if kind in {"person", "child"}:
            return "people"
        if kind == "animal":
            return "an animal"
    if words and kn.available():
        base = kn.reader().morphy(words[0], "n") or words[0]
        for sense in kn.reader().synsets(base, "n")[:1]:
            if sense.lexname() != "noun.group":
                continue
            classes = {h.name() for h in sense.closure(lambda y: y.hypernyms())}
            if classes & _ANIMAL_GROUPS:
                return "an animal"
            if classes & _PEOPLE_GROUPS:
                return "people"
    for w in reversed(words):
        if kn.available() and kn.thing_classes(w) & _PROPERTY:
            return "property"
    return None


def _gathering(words: Sequence[str]) -> bool:
    """"the crowd of people", "a group of children": a gathering (WordNet ``noun.group``) of
    people, which flight rules keep a drone away from."""
    if not words or not kn.available() or _what(words) != "people":
        return False
    senses = kn.reader().synsets(words[0], "n")
    return any(s.lexname() in {"noun.group", "noun.Tops"} for s in senses[:2])


def _number_before(toks: Sequence[str], k: int) -> float | None:
    try:
        return float(toks[k - 1]) if k > 0 else None
    except ValueError:
        return None


def _named(toks: Sequence[str]) -> list[str]:
    """Tokens with stipulated names replaced by what they name: "let location X represent the
    car ... hit X" hits the car (a definition, not a thing called X)."""
    t = list(toks)
    names: dict[str, list[str]] = {}
    for k, w in enumerate(t):
        if w in {"represent", "represents", "denote", "denotes"} and k >= 1 and (
                k < 2 or t[k - 2] in {"let", "location", "point", "call"}):
            end = next((j for j in range(k + 1, len(t)) if t[j] in {".", ";", "!", "?"}), len(t))
            # "a point which is 10 meters above the car": a place given by the thing it is at
            phrase = [w for w in t[k + 1 : end] if w.isalpha() and w not in lx.DETERMINERS
                      and w not in _ENDS]
            if phrase and t[k - 1].isalpha() and len(t[k - 1]) <= 2:
                names[t[k - 1]] = phrase
    if not names:
        return t
    out: list[str] = []
    for k, w in enumerate(t):
        defining = k + 1 < len(t) and t[k + 1] in {"represent", "represents", "denote", "denotes"}
        out.extend(names[w] if w in names and not defining else [w])
    return out


def check(toks: Sequence[str]) -> Airborne | None:
    """A refusal for a collision with people or property, or a broken flight rule; else None."""
    t = _named(toks)
    flying = _airborne(t)
    for k, w in enumerate(t):
        start = None
        if w == "make" and t[k + 1 : k + 3] == ["contact", "with"] and flying:
            start = k + 3
        elif _collision_verb(w) and (k == 0 or t[k - 1] in _VERB_SLOT):
            start = k + 1
            while start < len(t) and t[start] in {"with", "into", "against", "onto", "on",
                                                   "in", "the", "a"}:
                start += 1
        if start is None:
            continue
        what = _what(_patient(t, start))
        if what == "people" or what == "an animal":
            return Airborne("harm", f"I won't do that: crashing into {what} could hurt them.")
        if what == "property" and (flying or (w != "hit" and _collision_verb(w, named=True))):
            return Airborne("damage", "I won't do that: crashing into it would damage it.")
    if not flying:
        return None
    for k, w in enumerate(t):
        if w in _OVER and _what(_patient(t, k + 1)) in {"people", "an animal"}:
            return Airborne("harm", "I won't do that: flying over people can hurt them if I "
                                    "fall or drop something.")
        if w in {"to", "toward", "towards", "into"} and _gathering(_patient(t, k + 1)):
            return Airborne("harm", "I won't do that: flying into a crowd of people can hurt "
                                    "them.")
        if w == "zone" and k >= 2 and ("no" in t[max(0, k - 3) : k] or t[k - 1] in {
                "restricted", "prohibited", "exclusion"}):
            return Airborne("flight_rules", "I won't do that: flying into a no-fly zone breaks "
                                            "the flight rules.")
        if w in _METRES and (n := _number_before(t, k)) is not None and t[k + 1 : k + 2] not in (
                ["per"], ["/"]) and any(
                x in _ALTITUDE_WORDS for x in t[max(0, k - 6) : k + 3]) and (
                n * _METRES[w] > MAX_ALTITUDE_M):
            return Airborne("flight_rules", f"I won't do that: flying higher than "
                                            f"{MAX_ALTITUDE_M:.0f} m breaks the flight rules.")
        if w in _METRES and t[k + 1 : k + 3] in (["per", "second"], ["per", "sec"]) and (
                n := _number_before(t, k)) is not None and n * _METRES[w] > MAX_SPEED_MPS:
            return Airborne("flight_rules", f"I won't do that: flying faster than "
                                            f"{MAX_SPEED_MPS:g} m/s breaks the speed limit.")
        if w in {"exceed", "exceeding", "exceeds", "breaking", "break"} and "limit" in " ".join(
                t[k + 1 : k + 5]):
            return Airborne("flight_rules", "I won't do that: exceeding the limits breaks the "
                                            "flight rules.")
    return None
