"""Frames → Plan steps: implied steps, grounding, quantifiers, dependencies, conditions.

"bring me X" = pick X, give X → person; "put X in Y" = pick X, place X → Y; "throw away X"
= pick X, place X → bin; "heat X" = pick X, place X → microwave, toggle_on microwave;
"pour X into Y" = pick X, pour X → Y. A pick is skipped when the robot already holds the
thing (picked earlier in the plan, or ``world.holding()``). Navigate/open/find steps that
the compiler's preconditions add are *not* emitted here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from executive.language import knowledge as kn
from executive.language import lexicon as lx
from executive.language.chunk import last_word
from executive.language.frames import Frame, NounPhrase
from executive.language.grounding import Grounder
from executive.plan import Step
from executive.world_model import EntityInfo

MAX_REPEAT = 20


class Need(Exception):
    """Expansion cannot finish without the operator: clarify or infeasible."""

    def __init__(self, status: str, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.candidates = candidates or []


@dataclass
class Ref:
    value: str  # entity id (grounded) or phrase (not grounded)
    head: str
    phrase: str
    entity: EntityInfo | None = None


#: What a one-arm mobile manipulator cannot lift: furniture and large ("white goods")
#: appliances. WordNet classes, so an unseen "armoire" or "loveseat" inherits it; rooms come
#: from the lexicon's fixture nouns (WordNet's "bar" is a barroom too).
_FIXED_CLASSES = frozenset({"furniture.n.01", "white_goods.n.01"})
#: Fixtures the lexicon knows that a robot can still carry ("the drawer" slides out, lamps,
#: bins and the TV are light enough), kept out of the curated fixture nouns.
_CARRIED_FIXTURES = frozenset({"drawer", "lamp", "light", "tv", "television", "bin", "trash",
                               "garbage", "trashcan", "microwave", "shelf", "door", "window",
                               "wall", "floor"})


@lru_cache(maxsize=4096)
def fixed_in_place(word: str) -> bool:
    """Too big or fixed to pick up, judged without a world: a curated fixture noun, or a word
    whose two most frequent physical WordNet senses are all furniture, large appliances, rooms
    or buildings ("couch", "wardrobe", "refrigerator"; not "file", which is also a tool)."""
    if not word.isalpha():
        return False
    if word in lx.FIXTURE_NOUNS and word not in _CARRIED_FIXTURES:
        return True
    if word in _CARRIED_FIXTURES or not kn.available():
        return False
    wn = kn.reader()
    senses = [wn.synset(s) for s in kn.noun_senses(word)[:2]]
    return bool(senses) and all(  # hypernyms only: "the Pentagon" is an instance of a building
        _FIXED_CLASSES & {h.name() for h in s.closure(lambda y: y.hypernyms())} for s in senses)


def head_of(np: NounPhrase) -> str:
    r = np.resolved()
    if r.person:
        return "person"
    return r.head or "one"


class Expander:
    def __init__(self, grounder: Grounder | None, answer: NounPhrase | None,
                 holding: str | None = None) -> None:
        self.g = grounder
        self.answer = answer
        self.answer_used = False
        self.steps: list[Step] = []
        self.held: dict[str, int] = {}
        if holding:
            self.held[holding] = -1

    # -- references -------------------------------------------------------------------------
    def refs(self, np: NounPhrase, one: bool = False, skill: str | None = None) -> list[Ref]:
        r = np.resolved()
        if r.anaphor in ("it", "them", "there") and r.antecedent is None:
            word = r.raw or r.anaphor
            raise Need("clarify", f"What do you mean by '{word}'?")
        head = head_of(np)
        phrase = "person" if r.person else r.phrase
        if self.g is None:
            n = r.quantity if (r.quantity or 0) > 1 else 1
            if n > MAX_REPEAT:
                raise Need("infeasible", f"{n} is more than I can handle in one plan "
                                         f"(at most {MAX_REPEAT}).")
            return [Ref(phrase, head, r.raw or phrase)] * (1 if one else n)
        answer = None if self.answer_used else self.answer
        require, unable = _capability(skill, head)
        g = self.g.ground(r, answer=answer, require=require, unable=unable)
        if g.status == "ambiguous":
            raise Need("clarify", g.message, g.ids)
        if g.status == "missing":
            raise Need("infeasible", g.message)
        if answer is not None and len(self.g.candidates(r)) > 1:
            self.answer_used = True
        out = []
        for eid in g.ids:
            e = self.g.entity(eid)
            h = head
            if e is not None and e.kind == "person":
                h = "person"
            elif (h == "one" or h in lx.GENERIC_HEADS) and e is not None:
                h = e.type.replace("_", " ")
            out.append(Ref(eid, h, r.raw or phrase, e))
        if one and len(out) > 1:
            descs = [o.value for o in out]
            raise Need("clarify", f"Which {head} do you mean: {', '.join(descs)}?", descs)
        return out

    def one_ref(self, np: NounPhrase) -> Ref:
        return self.refs(np, one=True)[0]

    # -- emission ---------------------------------------------------------------------------
    def emit(self, skill: str, obj: Ref | None = None, target: Ref | None = None,
             params: dict[str, Any] | None = None, deps: tuple[int, ...] = (),
             cond: dict[str, Any] | None = None) -> int:
        p: dict[str, Any] = {}
        if obj is not None:
            p["object_head"] = obj.head
            p["object_phrase"] = obj.phrase
        if target is not None:
            p["target_head"] = target.head
            p["target_phrase"] = target.phrase
        if params:
            p.update(params)
        if cond:
            p["if"] = dict(cond)
        self.steps.append(Step(skill, obj.value if obj else None,
                               target.value if target else None, p,
                               tuple(d for d in deps if d >= 0)))
        return len(self.steps) - 1

    def pick(self, obj: Ref, cond: dict[str, Any] | None) -> int:
        if obj.value in self.held:
            return self.held[obj.value]
        self._check_graspable(obj)
        idx = self.emit("pick", obj, cond=cond)
        self.held = {obj.value: idx}  # one gripper
        return idx

    def _check_graspable(self, obj: Ref) -> None:
        e = obj.entity
        if e is not None and e.kind in {"fixture", "room"}:
            raise Need("infeasible", f"I can't pick up the {obj.head}: it is a "
                                     f"{'room' if e.kind == 'room' else 'fixed part of the home'}.")
        if e is None and self.g is None and fixed_in_place(last_word(obj.head or "")):
            raise Need("infeasible", f"I can't pick up the {obj.head}: furniture, large "
                                     "appliances and rooms are too big for my gripper.")

    def release(self, obj: Ref) -> None:
        self.held.pop(obj.value, None)

    # -- frames -----------------------------------------------------------------------------
    def condition(self, frame: Frame) -> dict[str, Any] | None:
        c = frame.condition
        if c is None:
            return None
        out: dict[str, Any] = {"state": c.state, "entity": None}
        if c.entity is not None:
            ref = self.one_ref(c.entity)
            out["entity"] = ref.value
        if c.negate:
            out["negate"] = True
        return out

    def relation(self, frame: Frame, target: Ref) -> str:
        prep = frame.prep or "to"
        e = target.entity
        if prep in {"near", "under", "front"}:
            return prep
        if e is not None:
            if e.kind == "room":
                return "in"
            if prep == "in" and e.container:
                return "in"
            if prep == "on" and e.surface:
                return "on"
            if e.container and not e.surface:
                return "in"
            if e.surface and not e.container:
                return "on"
            return "in" if prep == "in" else "on"
        if prep in {"in", "on"}:
            return prep
        return "in" if last_word(target.head) in lx.CONTAINER_NOUNS else "on"

    def frame(self, f: Frame) -> None:
        cond = self.condition(f)
        kind = f.kind
        if kind == "say":
            self.emit("say", params={"text": f.text or ""}, cond=cond)
            return
        if kind == "wait":
            self.emit("wait", params={"seconds": f.seconds}, cond=cond)
            return
        if kind == "navigate":
            assert f.target is not None
            self.emit("navigate", None, self.one_ref(f.target), cond=cond)
            return
        objs: list[Ref] = []
        for np in f.objects:
            objs.extend(self.refs(np, skill=kind))
        quant = {"quantifier": "all"} if any(np.resolved().all for np in f.objects) and (
            self.g is None
        ) else None
        if kind in {"open", "close", "toggle_on", "toggle_off", "wipe", "push", "find"}:
            # a push keeps where it should end up ("push the moon to the cube"); the push
            # skill itself only nudges, the destination is for the planner and the trace
            goal = self.one_ref(f.target) if kind == "push" and f.target is not None else None
            for o in objs:
                self._check_skill(kind, o)
                self.emit(kind, o, goal, params=self._extra(f, quant), cond=cond)
            return
        if kind in {"bring", "pick", "give", "place", "discard", "heat", "pour", "throw"}:
            target = None
            if kind == "discard":
                # the receptacle the operator named, else the one "throw away" implies
                target = self._fixture_ref("trash can", f.target)
            elif kind == "heat":
                target = self._fixture_ref("microwave", f.target)
            elif f.target is not None:
                target = self.one_ref(f.target)
            recipient = None
            if f.recipient is not None:
                recipient = self.one_ref(f.recipient)
            if target is not None and target.head == "person":
                recipient, target = target, None
            if kind == "place" and target is None and recipient is not None:
                kind = "give"
            if kind == "give" and target is not None and recipient is None:
                recipient, target = target, None  # "give the ball to the dog"
            for o in objs:
                if kind == "place" and target is not None and o.entity is not None and (
                    o.entity.location == target.value and len(objs) > 1
                ):
                    continue  # "put all the cups in the sink": this one is already there
                extra = self._extra(f, quant)
                if kind == "pour":
                    idx = self.pick(o, cond)
                    if target is None and recipient is not None:
                        self.emit("give", o, recipient, params=extra, deps=(idx,), cond=cond)
                        self.release(o)
                        continue
                    self.emit("pour", o, target, params=extra, deps=(idx,), cond=cond)
                    continue
                idx = self.pick(o, cond)
                if kind == "pick" and recipient is None:
                    continue
                if target is not None and kind != "give":
                    rel = {"relation": "in" if kind in {"discard", "heat"}
                           else self.relation(f, target)}
                    self.emit("place", o, target, params={**rel, **(extra or {})}, deps=(idx,),
                              cond=cond)
                    self.release(o)
                    if kind == "heat":
                        self.emit("toggle_on", target, cond=cond)
                    continue
                if kind == "place":
                    self.emit("place", o, None, params={"relation": "on", **(extra or {})},
                              deps=(idx,), cond=cond)
                    self.release(o)
                    continue
                if recipient is None:
                    recipient = self._person_ref()
                self.emit("give", o, recipient, params=extra, deps=(idx,), cond=cond)
                self.release(o)
            return
        raise Need("infeasible", f"I don't know how to {f.verb or kind}.")

    @staticmethod
    def _extra(f: Frame, quant: dict[str, Any] | None) -> dict[str, Any] | None:
        extra = dict(quant or {})
        if f.instrument is not None:
            extra["with"] = f.instrument.resolved().phrase
        return extra or None

    def _check_skill(self, kind: str, o: Ref) -> None:
        e = o.entity
        if e is None:
            return
        if kind in {"open", "close"} and not e.door:
            raise Need("infeasible", f"I can't {kind} the {o.head}: it has no door or lid.")
        if kind in {"toggle_on", "toggle_off"} and not e.switch:
            raise Need("infeasible", f"I can't turn the {o.head} "
                                     f"{'on' if kind == 'toggle_on' else 'off'}: it has no switch.")

    def _fixture_ref(self, head: str, explicit: NounPhrase | None) -> Ref:
        if explicit is not None:
            return self.one_ref(explicit)
        return self.one_ref(NounPhrase(head=head, raw=head))

    def _person_ref(self) -> Ref:
        return self.one_ref(NounPhrase(head="person", raw="me", person=True))


def _capability(skill: str | None, head: str) -> tuple[Any, str]:
    """The entity test a skill needs and the message when nothing passes it."""
    if skill in {"open", "close"}:
        return (lambda e: e.door), f"I can't {skill} the {head}: it has no door or lid."
    if skill in {"toggle_on", "toggle_off"}:
        word = "on" if skill == "toggle_on" else "off"
        return (lambda e: e.switch), f"I can't turn the {head} {word}: it has no switch."
    if skill in {"bring", "pick", "give", "place", "discard", "heat", "pour", "throw"}:
        return (lambda e: e.kind == "object"), (
            f"I can't pick up the {head}: it is a fixed part of the home, not an object.")
    return None, ""
