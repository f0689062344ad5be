"""The pipeline: text → Understanding (ok plan, refusal, question or infeasibility)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from executive.language import airborne, capability, clarify, hazards
from executive.language import knowledge as kn
from executive.language import lexicon as lx
from executive.language.chunk import appearance, last_word, verb_form
from executive.language.clauses import assign_roles, execution_order, split
from executive.language.constructions import telic_until
from executive.language.effector import drop_effector
from executive.language.encoder import ModelError
from executive.language.expand import Expander, Need, head_of
from executive.language.frames import Frame, NounPhrase
from executive.language.grounding import Grounder
from executive.language.hazard_properties import main_properties
from executive.language.normalise import Vocabulary, clean, tokenize_pairs
from executive.language.parse import Tokens, parse_clause, parse_condition, parse_np
from executive.plan import Constraint, Plan
from executive.world_model import WorldModel

Status = Literal["ok", "refused", "clarify", "infeasible"]
# Numbers the tokenizer would mangle: a sign ("-100" would read as 100), exponents ("1e308"
# as 1, e, 308), not-a-numbers. Asked about, never silently replaced by another number.
_ODD_NUMBER = re.compile(
    r"(?:(?<![\w.])[-+\u2212]\s?\d[\d.,]*)|(?:\d[\d.]*e[-+]?\d+)|(?:\b(?:nan|inf|infinity|infinite|"
    r"infinitely|forever)\b)", re.IGNORECASE)
ASK_WHAT = "What would you like me to do?"
_REMARK_STARTS = [p.split() for p in ("i am", "we are", "it is", "that is", "this is", "i feel",
                                      "i think", "i have", "we have", "there is", "i was",
                                      "oh no", "oh well", "you are", "he is", "she is")]
# statements about a thing ("It should have expired."): the reason for a request, not one
_REMARK_STARTS += [[s, a] for s in ("it", "this", "that", "they", "these", "those", "there")
                   for a in ("should", "must", "will", "would", "might", "may", "could", "has",
                             "have", "had", "was", "were", "is", "are", "seems", "looks")]


# a yes/no question about the scene ("Is that a knife on the counter?"): the auxiliary comes
# first, which no request does (polite "can you …" / "would you …" are requests, kept)
_QUESTION_STARTS = [[a] for a in ("is", "are", "was", "were", "does", "did", "has")]


@dataclass
class Understanding:
    status: Status
    plan: Plan | None = None
    question: str | None = None
    reason: str | None = None
    candidates: list[str] = field(default_factory=list)
    hazard: str | None = None

    def to_plan_json(self) -> dict[str, Any]:
        steps = []
        if self.status == "ok" and self.plan is not None:
            for s in self.plan.steps:
                steps.append({
                    "skill": s.skill,
                    "object": s.params.get("object_head") if s.object is not None else None,
                    "target": s.params.get("target_head") if s.target is not None else None,
                })
        return {"status": self.status, "steps": steps, "question": self.question,
                "reason": self.reason}


# --- vocabulary cache ------------------------------------------------------------------------
_VOCABS: dict[tuple[str, ...], Vocabulary] = {}


def _vocabulary(world: WorldModel | None) -> Vocabulary:
    names: tuple[str, ...] = ()
    if world is not None:
        names = tuple(sorted({n.lower() for e in world.entities() for n in e.names}))
    vocab = _VOCABS.get(names)
    if vocab is None:
        if len(_VOCABS) > 16:
            _VOCABS.clear()
        vocab = _VOCABS[names] = Vocabulary(names)
    return vocab


# --- anaphora --------------------------------------------------------------------------------
_SWITCHABLE = frozenset([
    "tv", "television", "lamp", "light", "lights", "stove", "oven", "microwave", "radio", "fan",
    "computer", "laptop", "heater", "kettle", "toaster", "dishwasher",
])


class _Mentions:
    """Noun phrases in textual order, for pronoun resolution.

    "it/that/them" take the most recent *compatible* mention: something with a door for
    open/close, a switch for toggles, a graspable object for manipulation, a place for a
    goal (never the frame's own object); the direct objects of earlier clauses are preferred
    over their goals. "there" is the most recent place. "the red one" borrows the head of the
    most recent object.
    """

    def __init__(self, grounder: Grounder | None) -> None:
        self.items: list[tuple[NounPhrase, str, int]] = []  # (phrase, role, frame number)
        self.places: list[NounPhrase] = []
        self.g = grounder
        self.frame_no = 0

    def _kind(self, np: NounPhrase) -> str:
        if np.person:
            return "person"
        if self.g is not None:
            cands = self.g.candidates(np)
            if cands:
                return cands[0].kind
        head = last_word(np.head)
        if head in lx.ROOM_NOUNS or head.endswith("room"):
            return "room"
        return "fixture" if head in lx.FIXTURE_NOUNS else "object"

    def _ok(self, np: NounPhrase, want: str) -> bool:
        k = self._kind(np)
        if k == "person":
            return False
        if want == "object":
            return k == "object"
        if want == "place":
            return k != "object"
        if want == "openable":
            if self.g is not None:
                c = self.g.candidates(np)
                return bool(c) and c[0].door
            return last_word(np.head) in lx.OPENABLE_NOUNS
        if want == "switch":
            if self.g is not None:
                c = self.g.candidates(np)
                return bool(c) and c[0].switch
            return last_word(np.head) in _SWITCHABLE
        return True

    def resolve(self, np: NounPhrase | None, want: str, role: str = "object") -> None:
        if np is None:
            return
        for _c, sub in np.pps:
            self.resolve(sub, "place", "place")
        own = self.frame_no if role == "target" else -1
        if np.anaphor in {"it", "them"} and np.antecedent is None:
            pool = [(m, r) for m, r, f in reversed(self.items) if f != own]
            if np.anaphor == "them":
                plural = [(m, r) for m, r in pool if (m.plural or m.all or (m.quantity or 0) > 1)]
                pool = plural + [p for p in pool if p not in plural]
            pick = None
            if want in {"any", "object"}:
                pick = next((m for m, r in pool if r == "object" and self._ok(m, want)), None)
            if pick is None:
                pick = next((m for m, _r in pool if self._ok(m, want)), None)
            if pick is None:
                pick = next((m for m, _r in pool if self._ok(m, "any")), None)
            np.antecedent = pick
            if np.all and pick is not None:
                pick.all = True
            if want == "place" and pick is not None:
                self.places.append(pick)  # "put the block inside of it, then the cylinder inside"
        elif np.anaphor == "there" and np.antecedent is None:
            np.antecedent = self.places[-1] if self.places else None
        elif np.anaphor == "one":
            pool = [m.resolved() for m, _r, f in reversed(self.items) if f != own]
            pick = next((m for m in pool if m.head and not m.person and not m.generic
                         and self._kind(m) == "object"), None)
            if pick is not None:
                np.head = pick.head
                np.anaphor = None
                if not np.mods and not np.pps and np.quantity is None and not np.all:
                    np.quantity = 1
        if np.anaphor is None:
            if want == "place":
                self.places.append(np)
            self.items.append((np, role, self.frame_no))

    def frame(self, f: Frame) -> None:
        self.frame_no += 1
        want = {"open": "openable", "close": "openable", "toggle_on": "switch",
                "toggle_off": "switch", "navigate": "any", "find": "any",
                "wipe": "any", "push": "any", "avoid": "any"}.get(f.kind, "object")
        if f.condition is not None and f.condition.entity is not None and f.textual < 0:
            self.resolve(f.condition.entity, want)
        for np in f.objects:
            self.resolve(np, want)
            for c, sub in np.pps:
                if c == "as" and sub.anaphor is None:  # "the same texture as the pan … into it"
                    self.items.append((sub, "standard", -2))
        self.resolve(f.recipient, "any", "recipient")
        self.resolve(f.target, "place", "target")
        self.resolve(f.instrument, "object", "instrument")
        if f.condition is not None and f.condition.entity is not None and f.textual >= 0:
            ent = f.condition.entity
            if ent.anaphor in {"it", "them"} and ent.antecedent is None:
                ent.antecedent = f.objects[0] if f.objects else f.target
            else:
                self.resolve(ent, want)


# --- pipeline --------------------------------------------------------------------------------


def understand(text: str, world: WorldModel | None = None,
               answer: str | None = None) -> Understanding:
    """Turn an instruction into a plan, a refusal, a question or an infeasibility report.

    Never raises: anything unexpected becomes ``infeasible`` with the reason.
    """
    try:
        return _understand(text, world, answer)
    except ModelError:
        raise  # the learned parser cannot load: say so, never parse differently in silence
    except Exception as e:  # pragma: no cover - the last line of defence
        return Understanding("infeasible", reason=f"I could not understand that ({type(e).__name__}).")


def _tokens(text: str, vocab: Vocabulary) -> Tokens:
    pairs = tokenize_pairs(clean(text if isinstance(text, str) else str(text), keep_case=True))
    shouting = sum(r.isupper() for _l, r in pairs) * 2 > len(pairs)  # "PUT THE CUP DOWN"
    return Tokens([low if not shouting and _acronym(raw) else vocab.correct(low)
                   for low, raw in pairs], [raw for _low, raw in pairs])


def _acronym(raw: str) -> bool:
    """"DVDs", "VHS", "TV": written in capitals on purpose, an acronym, never a typo to correct
    (the corrector would turn "DVDs" into "dads")."""
    stem = raw[:-1] if raw.endswith("s") else raw
    return len(stem) >= 2 and stem.isalpha() and stem.isupper()


def _named(tk: Tokens) -> Tokens:
    """"This is a dax gray block. Put a dax into the bowl.": an ostensive definition gives a
    word no dictionary knows the meaning of the phrase after it; the later uses of the word
    stand for that phrase, and the definition, a statement, is no request of its own."""
    t = tk.t
    alias: dict[str, tuple[list[str], list[str]]] = {}
    cut: set[int] = set()
    start = 0
    for k in range(len(t) + 1):
        if k < len(t) and t[k] not in {".", "!", ";"}:
            continue
        sent = t[start:k]
        if len(sent) >= 5 and sent[:2] == ["this", "is"] and sent[2] in {"a", "an"} and (
                sent[3].isalpha() and not kn.is_word(sent[3]) and sent[3] not in lx.VERB_BASE):
            alias[sent[3]] = (sent[4:], tk.raw[start + 4 : k])
            cut.update(range(start, min(k + 1, len(t))))
        start = k + 1
    if not alias or len(cut) >= len(t):
        return tk
    toks: list[str] = []
    raw: list[str] = []
    for i, (w, r) in enumerate(zip(t, tk.raw)):
        if i in cut:
            continue
        if w in alias:
            toks.extend(alias[w][0])
            raw.extend(alias[w][1])
        else:
            toks.append(w)
            raw.append(r)
    return Tokens(toks, raw)


_MANNER_SECOND = frozenset({"place", "toss", "throw", "drop", "put"})
_GOAL_WORDS = frozenset({"in", "into", "on", "onto", "to", "inside", "at", "under", "near"})


def _drop_manner(tk: Tokens) -> Tokens:
    """"Put toys in the box and clothes on the chair. Pick and place clothes, pick and toss
    toys.": a later sentence of coordinated verbs ("pick and place", "pick and toss") with no
    goal says *how* to move what the earlier sentences already placed, not what else to do;
    it adds no steps. Kept when it is the only sentence, or names a goal; there, "pick and
    place X" is one act and the placing verb carries it."""
    t = tk.t
    cut: list[tuple[int, int]] = []
    start = 0
    for k in range(len(t) + 1):
        if k < len(t) and t[k] not in {".", "!", ";"}:
            continue
        sent = t[start:k]
        if start > 0 and len(sent) >= 3 and lx.VERB_BASE.get(sent[0]) == "pick" and (
                sent[1] == "and" and lx.VERB_BASE.get(sent[2]) in _MANNER_SECOND) and not (
                _GOAL_WORDS & set(sent)) and any(
                lx.VERB_BASE.get(w) in {"put", "place"} for w in t[:start]):
            cut.append((start, k + 1))
        start = k + 1
    # "pick and place the cup on the table": one act told by its two phases; the placing
    # verb carries it (its pick comes with it)
    for k in range(len(t) - 2):
        n = 2 if k + 3 < len(t) and t[k + 1] == "up" else 1
        if lx.VERB_BASE.get(t[k]) == "pick" and (k == 0 or t[k - 1] in {",", ".", "and", "then"}) \
                and t[k + n] == "and" and lx.VERBS.get(lx.VERB_BASE.get(t[k + n + 1], "")) in {
                    "place", "throw", "discard", "give", "bring", "pour"} and not any(
                a <= k < b for a, b in cut):
            cut.append((k, k + n + 1))
    # "onto the dresser where the television is (kept)": a relative clause that only says
    # which dresser (a thing and a stranded copula, or a copula and a participle) is no second
    # request
    for k in range(1, len(t) - 2):
        if t[k] == "where" and t[k - 1].isalpha() and t[k - 1] not in lx.FUNCTION_WORDS:
            end = next((m for m in range(k + 1, len(t)) if t[m] in {",", ".", "!", ";", "?"}),
                       len(t))
            last = end - 1 if t[end - 1] in {"is", "are", "was", "were"} else end - 2
            if end - k >= 3 and last > k and t[last] in {"is", "are", "was", "were"} and (
                    last == end - 1 or verb_form(t[end - 1])):
                cut.append((k, end))  # "… where the juice is located": a participle of place
    if not cut:
        return tk
    keep = [i for i in range(len(t)) if not any(a <= i < b for a, b in cut)]
    return Tokens([t[i] for i in keep], [tk.raw[i] for i in keep])


def _parse_answer(answer: str | None, vocab: Vocabulary) -> NounPhrase | None:
    if not answer:
        return None
    tk = _tokens(answer, vocab)
    toks = [t for t in tk.t if t not in {".", "!", ",", "?"}]
    for p in (["i", "mean"], ["i", "meant"], ["i", "want"], ["it", "is"], ["that", "is"],
              ["please"], ["use"], ["take"], ["get"], ["bring"], ["the", "one"], ["one"],
              ["the", "ones"]):
        if toks[: len(p)] == p:
            toks = toks[len(p):]
    if not toks:
        return None
    if toks[0] in {"all", "both", "everything", "each"}:
        return NounPhrase(head=None, all=True)
    if toks[0] in {"any", "anyone", "whichever", "either"} or toks[:2] == ["does", "not"]:
        return NounPhrase(head="any")
    frame = Frame("answer")
    from executive.language.attach import _objects_and_pps  # local: parser internals

    _objects_and_pps(Tokens(toks, toks), 0, len(toks), frame)
    np = frame.objects[0] if frame.objects else NounPhrase(head=None)
    if np.head is None and toks and toks[0] in lx.ORDINALS:
        np.ordinal = lx.ORDINALS[toks[0]]
    if not frame.objects:
        np.pps = [(canon, sub) for _raw, canon, sub in frame.pps_seen if sub is not None]
    if np.head is None and not np.pps and np.colour is None and np.size is None and (
        np.material is None and np.ordinal is None
    ):
        np2, _ = parse_np(toks, 0, len(toks))
        return np2
    return np


def _understand(text: str, world: WorldModel | None, answer: str | None) -> Understanding:
    vocab = _vocabulary(world)
    # "with the right arm": the robot's own effector; "until it touches X": the goal
    tk = telic_until(_drop_manner(_named(drop_effector(_tokens(text, vocab)))))
    toks = tk.t
    if not any(t.isalnum() for t in toks):
        return Understanding("clarify", question=ASK_WHAT, reason="empty instruction")
    source = clean(text)[:500]

    hazard = hazards.check_text(toks)
    if hazard is not None:
        return Understanding("refused", reason=hazard.reason, hazard=hazard.hazard)
    crash = airborne.check(toks)  # harm before feasibility: "take off and hit the car"
    if crash is not None:
        return Understanding("refused", reason=crash.reason, hazard=crash.hazard)
    odd = _ODD_NUMBER.search(source)
    if odd is not None:
        return Understanding(
            "clarify", reason=f"unusable number {odd.group(0).strip()!r}",
            question=f"I can't use '{odd.group(0).strip()}' as a number: how long, or how many, "
                     "exactly (a positive number)?")

    # requests no skill can do, or that must be asked about, before any parse (clarify.py);
    # an --answer to such a question is the operator's decision: the parse goes ahead
    early = clarify.check(toks, grounded=world is not None)
    if early is not None and (early.status == "infeasible" or answer is None):
        return Understanding(early.status, question=early.question, reason=early.reason)
    if early is not None and early.span is not None and answer:
        # the answer names what was missing: put it where the question pointed, read again
        a, b = early.span
        said = _tokens(answer, vocab).raw
        said = [w for w in said if w not in {".", "!", "?"}]
        if said and said[0].lower() in lx.DETERMINERS and a > 0 and toks[a - 1] in lx.DETERMINERS:
            a -= 1
        if said:
            return _understand(" ".join([*tk.raw[:a], *said, *tk.raw[b:]]), world, None)

    segs = split(toks)
    assign_roles(toks, segs)
    keys = execution_order(segs)
    frames: list[Frame] = []
    conds: list[tuple[int, object]] = []
    per_seg: list[list[Frame]] = []
    for k, seg in enumerate(segs):
        if seg.role == "cond":
            if seg.start < seg.end:
                conds.append((k, parse_condition(toks, seg.start, seg.end)))
            per_seg.append([])
            continue
        fs = parse_clause(tk, seg.start, seg.end, frames[-1] if frames else None)
        for f in fs:
            f.order = keys[k]
            f.textual = k
        per_seg.append(fs)
        frames.extend(fs)
    for k, cond in conds:
        j = k + segs[k].cond_attach
        if 0 <= j < len(per_seg) and per_seg[j]:
            target = per_seg[j][0]
            target.condition = cond  # type: ignore[assignment]
            if segs[k].cond_attach > 0:
                target.textual = -1  # the condition was said first: it is an antecedent

    grounder = Grounder(world, source=source) if world is not None else None
    mentions = _Mentions(grounder)
    for f in frames:
        mentions.frame(f)
        if f.textual == -1:
            f.textual = 0
    # place questions need the resolved object
    for f in frames:
        if f.question and f.question.startswith("Where should I put") and f.objects:
            f.question = f"Where should I put the {head_of(f.objects[0])}?"
        _missing_argument(f)
    frames.sort(key=lambda f: f.order)
    _bring_then_use(frames)

    constraints = []
    actions = []
    for f in frames:
        if f.kind == "avoid":
            constraints.extend(f.objects)
        else:
            actions.append(f)

    # safety on the parsed plan, before the world is consulted
    rough = _expand(actions, constraints, None, None, None, source)
    if isinstance(rough, Understanding) and rough.status != "ok":
        plan0 = None
    else:
        plan0 = rough.plan if isinstance(rough, Understanding) else None
    if plan0 is not None:
        hazard = hazards.check_plan(plan0, None)
        if hazard is not None:
            return Understanding("refused", reason=hazard.reason, hazard=hazard.hazard)
        # what the skills act on, judged by word class when no world names the things
        # (a hazard found above is said first: refusing says more than "I can't")
        lacking = None if world is not None else capability.check(
            plan0.steps, re.findall(r"[a-z0-9']+", source.lower()))
        if lacking is not None:
            return Understanding("infeasible", reason=lacking)

    # remarks ("I'm thirsty, bring me the milk") are not requests when a request follows
    remarks = [f for f in actions if f.kind == "unknown" and not f.question
               and (f.source_words.split()[:2] in _REMARK_STARTS
                    or f.source_words.split()[:1] in _QUESTION_STARTS)]
    if remarks and len(remarks) < len(actions):
        actions = [f for f in actions if f not in remarks]
    unknown = [f for f in actions if f.kind == "unknown"]
    asking = [f for f in unknown if f.question]
    if asking and len(asking) == len(unknown):
        return Understanding("clarify", question=asking[0].question)
    if unknown:
        verb = unknown[0].verb
        if verb in lx.INFEASIBLE_VERBS or verb in lx.VERB_BASE or (
                (verb.split() or [""])[0] in lx.VERB_BASE):  # a multiword verb: "put out", "put on"
            why = f"I can't {verb}: I have no skill for that."
        elif not any(f.kind != "unknown" for f in actions):
            why = f"I don't understand '{unknown[0].source_words[:60]}'."
        else:
            why = f"I don't know how to '{verb}'."
        return Understanding("infeasible", reason=why)
    for f in actions:
        if f.kind == "heat" and any("edible" in main_properties(head_of(np)) for np in f.objects):
            return Understanding(
                "infeasible", reason=f"I can't heat the {head_of(f.objects[0])} for you: I can "
                "put it in the microwave and switch it on, but I can't tell when food is hot "
                "or cooked.")
        if f.condition is not None and f.condition.unsupported:
            return Understanding(
                "infeasible",
                reason=f"I can't check whether {f.condition.unsupported}: I can only check "
                "open, closed, on, off, holding and visible.")
    for f in actions:
        if f.question:
            return Understanding("clarify", question=f.question)
    if not actions and not constraints:
        return Understanding("clarify", question=ASK_WHAT, reason="no action found")
    if isinstance(rough, Understanding) and rough.status != "ok":
        return rough

    if world is None:
        return rough  # type: ignore[return-value]
    ans = _parse_answer(answer, vocab)
    res = _expand(actions, constraints, grounder, ans, world.holding(), source)
    if res.status == "ok" and res.plan is not None:
        hazard = hazards.check_plan(res.plan, world)
        if hazard is not None:
            return Understanding("refused", reason=hazard.reason, hazard=hazard.hazard)
    return res


def _expand(actions: list[Frame], constraints: list[NounPhrase], grounder: Grounder | None,
            answer: NounPhrase | None, holding: str | None, source: str) -> Understanding:
    ex = Expander(grounder, answer, holding)
    try:
        cons = []
        for np in constraints:
            for ref in ex.refs(np):
                cons.append(Constraint("avoid", ref.value))
        for f in actions:
            if f.kind == "unknown" or f.question:
                continue
            ex.frame(f)
    except Need as need:
        if need.status == "clarify":
            return Understanding("clarify", question=need.message, candidates=need.candidates)
        return Understanding("infeasible", reason=need.message)
    avoid = {c.object for c in cons}
    for st in ex.steps:
        if st.object in avoid and st.skill in {"pick", "place", "give", "pour", "push", "wipe"}:
            return Understanding("infeasible", reason=f"You asked me not to touch the "
                                                      f"{st.params.get('object_head')}, but the "
                                                      "task needs it.")
    if grounder is None:
        _tell_targets_apart(ex.steps)
    plan = Plan(tuple(ex.steps), tuple(dict.fromkeys(cons)), source)
    return Understanding("ok", plan=plan)


#: verbs of putting whose lone object may be the receptacle filled ("pack the suitcase")
_FILL_VERBS = frozenset({"pack", "load", "stock"})


def _missing_argument(f: Frame) -> None:
    """Arguments a verb's frame needs that the parse left empty, asked for (clarify.py asks
    what words alone show; these need the parsed roles):

    - "set up the fork": a placement with no place;
    - "check the drawers": a search of a receptacle with nothing to look for in it;
    - "the red plate" on its own: a thing with no action (a noun, not a verb, leads the clause).
    """
    if f.kind == "unknown" and f.question and f.verb and clarify.only_verb(f.verb):
        f.question = None  # "prepare coffee": a verb with no skill, not a thing to ask about
    if (f.kind == "place" and f.target is None and f.verb in _FILL_VERBS and len(f.objects) == 1
            and clarify.receptacle(head_of(f.objects[0]))):
        # "pack my suitcase": the thing named is where things go; what goes in is missing
        f.question = f"What should I {f.verb} in the {head_of(f.objects[0])}?"
        return
    if f.question:
        return
    words = f.source_words.split()
    if f.kind == "place" and f.target is None and f.verb == "set" and f.particle == "up" and (
            f.objects):
        f.question = f"Where should I set up the {head_of(f.objects[0])}?"
    elif f.kind == "find" and f.verb in {"check", "inspect", "search"} and len(f.objects) == 1 and (
            "for" not in words and clarify.receptacle(f.objects[0].head or "")):
        said = [w for w in (f.objects[0].raw or "").split() if w not in lx.DETERMINERS]
        f.question = (f"What should I look for in the {' '.join(said) or f.objects[0].head}? "
                      "Please name the thing.")
    elif f.kind == "unknown" and f.verb and clarify.only_noun(f.verb):
        np, _j = parse_np(words, 0, len(words))
        if np is not None and np.head and clarify.only_noun(last_word(np.head)):
            f.question = f"What should I do with the {np.head}?"


def _tell_targets_apart(steps: list[Any]) -> None:
    """"DVDs in the small box, books in the large box": two receptacles of one kind (one head
    noun) that the operator told apart by size, material or look keep those words in their
    head, or the plan would name one "box" twice. Once the operator tells them apart by more
    than colour ("the white laundry basket" and "the seagrass laundry basket", "the plastic
    storage box" and "the black storage box"), the colour is one of the words that name each,
    and it is kept too. Where colour is all that tells them apart, it stays an attribute: a
    colour is what grounding matches ("the red bowl"), and scenes of coloured blocks and bowls
    name them by colour alone. Ungrounded plans only (grounded ones name entities)."""
    phrases: dict[str, set[str]] = {}  # head noun → the receptacles' phrases
    heads: dict[str, set[str]] = {}  # head noun → their (compound) heads
    for st in steps:
        head = st.params.get("target_head")
        if st.target is not None and head:
            phrases.setdefault(last_word(head), set()).add(str(st.target))
            heads.setdefault(last_word(head), set()).add(head)

    def told(words: list[str]) -> list[str]:
        return [w for w in words if w in lx.SIZES or w in lx.MATERIALS or appearance(w)]

    for st in steps:
        head = st.params.get("target_head")
        if not head or len(phrases.get(last_word(head), ())) < 2 or not str(st.target).endswith(head):
            continue
        kind = last_word(head)
        mods = str(st.target)[: -len(head)].split()
        by_more = len(heads[kind]) > 1 or any(
            told(p[: -len(h)].split()) for p in phrases[kind] for h in heads[kind] if p.endswith(h))
        keep = [w for w in mods if w in told(mods) or (by_more and w in lx.COLOURS)]
        if keep:
            st.params["target_head"] = " ".join([*keep, head])  # type: ignore[index]


def _bring_then_use(frames: list[Frame]) -> None:
    """"get the cups and put them in the sink": the get only picks (no hand-over)."""
    for k, f in enumerate(frames):
        if f.kind not in {"bring", "give"} or f.target is not None or (
            f.recipient is not None and not (f.recipient.person and f.recipient.raw in {"me", "us"})
        ):
            continue  # "pass me the tissue and put it by the bowl": the put supersedes the pass
        mine = {id(np) for np in f.objects}
        for later in frames[k + 1 :]:
            if later.kind in {"place", "give", "pour", "discard", "heat", "bring", "throw"} and any(
                id(np.resolved()) in mine for np in later.objects
            ):
                f.kind, f.recipient = "pick", None
                break
