"""The hazard rules over a parsed (and, with a world, grounded) plan.

Action × object class × destination class × state, step by step: metal into the microwave,
liquid onto electronics, flammables on a lit stove, a living being handled like an object.
Run by :func:`executive.language.hazards.check_plan` after the text rules.
"""

from __future__ import annotations

from executive.language import harm
from executive.language import lexicon as lx
from executive.language.hazard_properties import (
    ELECTRONIC,
    EXITS,
    FLAMMABLE,
    FLAMMABLE_MATERIALS,
    HOT,
    MEDICINE,
    METAL,
    SHARP,
    STATE_ON,
    WET_PLACES,
    Hazard,
    _props_of,
    main_properties,
)
from executive.plan import Plan, Step
from executive.world_model import EntityInfo, WorldModel


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
        if e is not None:
            return "a person" if e.kind == "person" else None
        # the head names the thing ("the pet bowl" is a bowl); its household reading decides
        # ("the mouse on the mouse pad" is the computer's)
        head = str(step.params.get(f"{role}_head", "") or "").split()
        phrase = str(step.params.get(f"{role}_phrase", "") or "").split()
        if len(head) == 1 and len(phrase) > 1 and phrase[-1] == head[0]:
            head = phrase[-2:]
        kind = harm.head_living_kind(head)  # a "teddy bear" is a toy
        if kind is None:
            return None
        if kind == "animal" and "edible" in main_properties(" ".join(head)) and not (
                set(phrase) & _ALIVE):
            return None  # "put the fish in the fridge": food, unless said to be alive
        return "an animal" if kind == "animal" else ("a child" if kind == "child" else "a person")

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
    return _knowledge_plan_rules(plan, index)


#: Words that say an animal that is also food is alive ("the live lobster", "my pet fish").
_ALIVE = frozenset({"live", "living", "alive", "pet", "baby", "wild"})
_DOORS = frozenset({"door", "lid", "hatch"})


def _appliance(step: Step) -> str:
    """The appliance a step acts on: "microwave door" → "microwave" (its door is part of it)."""
    words = str(step.params.get("object_head", "") or step.object or "").replace("_", " ").split()
    if len(words) > 1 and words[-1] in _DOORS:
        words = words[:-1]
    return " ".join(words)


def _run_while_open(steps: tuple[Step, ...]) -> Hazard | None:
    """"open the microwave door and turn it on": an appliance that heats or cuts, started while
    the plan has left its door open (the door is what keeps the heat or the blades in)."""
    opened: set[str] = set()
    for st in steps:
        name = _appliance(st)
        if not name:
            continue
        if st.skill == "open":
            opened.add(name)
        elif st.skill == "close":
            opened.discard(name)
        elif st.skill == "toggle_on" and name in opened and main_properties(name) & {
                "heat_source", "moving_blades"}:
            return Hazard("electric", f"I won't do that: running the {name} with its door open "
                                      "can burn or cut someone and damage it.")
    return None


def _step_props(step: Step, role: str, index: dict[str, EntityInfo]) -> frozenset[str]:
    """Properties (main senses) of a step's object or target: words, head, entity type/material."""
    p = step.params
    out = set(main_properties(str(p.get(f"{role}_head", "") or "")))
    phrase = str(p.get(f"{role}_phrase", "") or "")
    if phrase:
        out |= main_properties(phrase)
    eid = step.object if role == "object" else step.target
    e = _entity(index, eid)
    if e is not None:
        out |= main_properties(e.type.replace("_", " "))
        if e.sharp:
            out.add("sharp")
        if e.material == "metal":
            out.add("metal")
        if e.material == "electronic":
            out.add("electronic")
        if e.material in FLAMMABLE_MATERIALS:
            out.add("flammable")
        if e.kind == "person":
            out.add("person")
    elif eid:
        out |= main_properties(eid.replace("_", " "))
    return frozenset(out)


def _state_words(step: Step, role: str) -> set[str]:
    return set(str(step.params.get(f"{role}_phrase", "") or "").split())


def _knowledge_plan_rules(plan: Plan, index: dict[str, EntityInfo]) -> Hazard | None:
    """Action × object class × destination class × state, over the steps of one plan."""
    steps = plan.steps
    turned_on: set[str] = set()
    for st in steps:
        if st.skill == "toggle_on":
            turned_on |= {str(st.object or ""), str(st.params.get("object_head", "") or "")}
    open_hazard = _run_while_open(steps)
    if open_hazard is not None:
        return open_hazard
    for st in steps:
        obj = _step_props(st, "object", index)
        if st.skill in {"place", "pour"} and "combustible_dust" in obj:
            tgt = _step_props(st, "target", index)
            names = {str(st.target or ""), str(st.params.get("target_head", "") or "")}
            blown = "moving_blades" in tgt and (bool(names & turned_on - {""}) or bool(
                _state_words(st, "target") & STATE_ON))
            if blown or tgt & {"open_flame", "heat_source"}:
                return Hazard("fire", "I won't do that: fine powder blown into the air or onto "
                                      "heat makes a dust cloud that can catch fire or explode.")
        if st.skill in {"place", "pour"}:
            tgt = _step_props(st, "target", index)
            names = {str(st.target or ""), str(st.params.get("target_head", "") or "")}
            running = bool(names & turned_on - {""}) or bool(_state_words(st, "target") & STATE_ON)
            heads = " ".join(sorted(names)).replace("_", " ")
            if "heat_source" in tgt and "microwave" in heads and st.skill == "place":
                if "metal" in obj:
                    return Hazard("metal_microwave", "I won't do that: metal in the microwave "
                                                     "can spark and start a fire.")
                if running and "explodes_when_heated" in obj:
                    return Hazard("explosion", "I won't do that: a sealed or shelled thing "
                                               "(an egg in its shell) bursts in a running "
                                               "microwave.")
                if "electronic" in obj:
                    return Hazard("electronics", "I won't do that: electronics in a microwave "
                                                 "can catch fire or explode.")
            if st.skill == "place" and running and "moving_blades" in tgt and not (
                    obj & {"edible", "liquid"}):
                return Hazard("damage", "I won't do that: a hard thing in a running blender or "
                                        "fan breaks the blades and flies out.")
            if st.skill == "place" and "toaster" in heads and "metal" in obj:
                return Hazard("electronics", "I won't do that: metal in a toaster can give an "
                                             "electric shock or start a fire.")
            if "open_flame" in tgt or "heat_source" in tgt:
                # a stove, an oven or a fire need not be on yet: it is where heat will be.
                # (The microwave heats what is inside, not a flame: paper, cardboard and
                # cloth there are the old corpus' ordinary tasks.)
                if "flammable" in obj and "microwave" not in heads:
                    return Hazard("fire", "I won't do that: flammable things on or near a flame "
                                          "or a hot stove can catch fire.")
                if st.skill == "place" and running and "microwave" not in heads and (
                        obj & {"fragile", "electronic", "flammable", "liquid"}
                        or "explodes_when_heated" in obj):
                    return Hazard("heat", "I won't do that: on a lit burner it can crack, melt "
                                          "or burn, and burn someone.")
            if st.skill == "place" and "electronic" in obj and "water_destination" in tgt:
                return Hazard("electronics", "I won't do that: putting electronics in water can "
                                             "cause a short circuit or a shock.")
            if st.skill == "pour" and "electronic" in tgt:
                return Hazard("electronics", "I won't do that: liquid on electronics can cause a "
                                             "short circuit, a shock or a fire.")
            if st.skill == "place" and "open_flame" in obj and "enclosed_space" in tgt and (
                    _state_words(st, "object") & {"lit", "burning"}):
                return Hazard("fire", "I won't do that: a lit flame inside a closed space can "
                                      "set it on fire.")
        if st.skill == "give":
            rec = _step_props(st, "target", index) | _props_of(
                str(st.params.get("recipient", "") or "").split())
            if rec & {"child", "animal"} and "sharp" in obj:
                return Hazard("sharp", "I won't do that: a sharp object must not be given to a "
                                       "child or an animal.")
            if rec & {"child", "animal"} and "medicine" in obj:
                return Hazard("medicine", "I won't do that: medicine must not be given to a "
                                          "child or an animal.")
    return None
