"""Constructions a clause may be before it is a plain verb + arguments: a means and its
force verb ("grab the handle and pull the drawer open"), a resultative ("push the door shut"),
a slid drawer, a due state ("the remotes need to be moved …"), a wished-for passive, a
locatum verb ("water the plant") and a participle clause (", readying it for …").

Split from :mod:`executive.language.parse` (one job a module, issue 13): these read tokens
and return frames or rewritten tokens; they never call the clause parser back.
"""

from __future__ import annotations

from dataclasses import replace

from executive.language import chunk, senses
from executive.language import lexicon as lx
from executive.language.frames import Frame, NounPhrase
from executive.language.phrases import _PARTICLES, Tokens, parse_np


def _locatum_at(toks: list[str], i: int, e: int) -> str | None:
    """The substance when the word at ``i`` is a locatum verb used as one ("water the plant",
    "oil the hinges": :func:`senses.locatum`) — its object follows: a determiner, a pronoun or a
    plural noun that forms no compound with it ("water bottles in the fridge" is a list of
    bottles)."""
    vb = chunk.verb_base(toks[i])
    stuff = senses.locatum(vb)
    nxt = toks[i + 1] if i + 1 < e else ""
    if stuff is None or not (nxt in lx.DETERMINERS or nxt in {"it", "them"} or (
            nxt.endswith("s") and chunk.is_noun(nxt) and not chunk.lexicalised((vb, nxt)))):
        return None
    return stuff


def _free_adjunct(toks: list[str], s: int, e: int) -> bool:
    """", readying it for the meal", ", making sure it stays upright": a clause led by the
    -ing form of a verb with no skill of ours is a participle clause about the request before
    it (its purpose, manner or result), never a thing to move with that request's verb. An
    -ing noun ("bedding", "clothing") or an -ing word before a noun ("baking trays in the
    oven") opens a gapped noun phrase instead."""
    t = toks[s]
    if not (t.endswith("ing") and chunk.verb_form(t)) or chunk.names_thing(t):
        return False
    nxt = toks[s + 1] if s + 1 < e else ""
    return not (nxt.isalpha() and nxt not in lx.FUNCTION_WORDS and nxt not in lx.DETERMINERS
                and chunk.is_noun(nxt))


#: Prepositions of a placement's goal (a put verb with one of them asks for a place).
_PLACE_PREPS = frozenset({"in", "into", "on", "onto", "inside"})
_AUXILIARIES = frozenset({"should", "must", "will", "would", "might", "may", "could", "has",
                          "have", "had", "was", "were", "is", "are", "seems", "looks"})
#: Verbs that move a door, lid or drawer by force; "<verb> X open/shut" is open/close X.
_FORCE_VERBS = frozenset({"push", "pull", "slide", "swing", "press", "flip", "lift", "nudge",
                          "shove", "kick", "drag", "tug", "yank", "slam"})
_RESULTS = {"open": "open", "shut": "close", "closed": "close", "close": "close"}
#: Parts one grips to move the thing they belong to.
_GRIPS = frozenset({"handle", "knob", "lever", "pull", "grip"})


def _force_verb(tok: str) -> bool:
    return (lx.VERB_BASE.get(tok) or tok) in _FORCE_VERBS or (
        tok.endswith(("s", "ed", "ing")) and chunk.verb_base(tok) in _FORCE_VERBS)


_DUTY = (("needs", "to", "be"), ("need", "to", "be"), ("should", "be"), ("must", "be"),
         ("has", "to", "be"), ("have", "to", "be"), ("ought", "to", "be"))


def _obligation(tk: Tokens, s: int, e: int) -> Tokens | None:
    """"The remotes need to be moved onto the dresser", "the slices should be put on a plate",
    "the toast needs to be on a plate": a thing's due state names the task. Read as the
    imperative ("move the remotes onto the dresser"; a due place alone is "put … on …")."""
    toks = tk.t
    if s >= e or (toks[s] in lx.VERB_BASE and lx.VERBS.get(lx.VERB_BASE[toks[s]])):
        return None
    for j in range(s + 1, e - 2):
        p = next((p for p in _DUTY if tuple(toks[j:j + len(p)]) == p), None)
        if p is not None:
            break
    else:
        return None
    np, end = parse_np(toks, s, j)
    if np is None or np.head is None or np.person or end != j:
        return None
    m = j + len(p)
    if m < e:
        v = lx.VERB_BASE.get(toks[m]) or (
            chunk.verb_base(toks[m]) if senses.locatum(chunk.verb_base(toks[m])) else None)
        if v is not None and (lx.VERBS.get(v) or senses.locatum(v)) and (
                toks[m] != v or v in {"put", "set", "shut"}):
            idx = [m, *range(s, j), *range(m + 1, e)]  # a participle: "moved", "put", "shut"
            return Tokens([v if n == m else toks[n] for n in idx], [tk.raw[n] for n in idx])
        if toks[m] in _PLACE_PREPS:
            idx = [*range(s, j), *range(m, e)]
            return Tokens(["put", *(toks[n] for n in idx)], ["put", *(tk.raw[n] for n in idx)])
        return None
    return None


def _passive(tk: Tokens, k: int, e: int) -> Tokens | None:
    """"I need the newspaper to be placed on the table" → tokens of "place the newspaper on
    the table": the wished-for state names the task."""
    toks = tk.t
    for j in range(k + 1, e - 2):
        if toks[j] == "to" and toks[j + 1] == "be" and (v := lx.VERB_BASE.get(toks[j + 2])):
            if not lx.VERBS.get(v):
                return None
            idx = [j + 2, *range(k, j), *range(j + 3, e)]
            return Tokens([v if n == j + 2 else toks[n] for n in idx], [tk.raw[n] for n in idx])
    return None


def _means(toks: list[str], s: int, e: int) -> tuple[int, NounPhrase | None] | None:
    """"grip the top handle and pull the drawer open": gripping the handle is the means; the
    task starts after "and". Returns that index and the handle's owner ("the fridge door
    handle" → the fridge door), or None."""
    if s >= e or toks[s] not in {"grab", "grip", "hold", "grasp", "take", "use", "seize"}:
        return None
    np, j = parse_np(toks, s + 1, e)
    if np is None or chunk.last_word(np.head) not in _GRIPS or j + 1 >= e:
        return None
    if toks[j] == "to" and toks[s] == "use":  # "use the door handle to swing the door open"
        return (j + 1, None) if _force_verb(toks[j + 1]) else None
    if toks[j] not in {"and", ","}:
        return None
    j += 1
    while j < e and toks[j] in {"and", ",", "then"}:
        j += 1
    if j >= e or not _force_verb(toks[j]):
        return None
    words = (np.head or "").split()
    owner = NounPhrase(head=" ".join(words[:-1]), raw=" ".join(words[:-1])) if len(
        words) > 1 else None
    return j, owner


def _slid(tk: Tokens, s: int, e: int, text: str) -> list[Frame] | None:
    """"Pull the top drawer", "push the drawer": a drawer slides, so pulling it opens it and
    pushing or pressing it shuts it (a door is pulled open too; pushed, it may go either way,
    so a push on a door stays a push)."""
    toks = tk.t
    verb = chunk.verb_base(toks[s])
    if verb not in {"pull", "push", "press", "tug", "yank", "shove"}:
        return None
    i = s + 1
    while i < e and toks[i] in {"on", "at", "out", "in"}:
        i += 1
    np, j = parse_np(toks, i, e)
    if np is None or np.head is None or (j < e and toks[j] not in {",", "."}):
        return None
    noun = chunk.last_word(np.head)
    opens = verb in {"pull", "tug", "yank"}
    if noun != "drawer" and not (opens and noun == "door"):
        return None
    return [Frame("open" if opens else "close", verb=verb, objects=[np], source_words=text)]


def _resultative(tk: Tokens, s: int, e: int, text: str) -> list[Frame] | None:
    """"slide the drawer open", "push the door shut", "push close the drawer", "press on the
    drawer until it is closed", "flip the lid up to open": a force verb whose result is a
    state is the open/close skill on what it moves (a handle's owner: "the door handle")."""
    toks = tk.t
    if s >= e or not _force_verb(toks[s]):
        return None
    i, end = s + 1, e
    kind = None
    if i < e and toks[i] in _RESULTS and i + 1 < e:  # "push close the topmost drawer"
        kind, i = _RESULTS[toks[i]], i + 1
    elif toks[e - 1] in _RESULTS:
        kind, end = _RESULTS[toks[e - 1]], e - 1
        if end - 1 > i and toks[end - 1] == "to":  # "… up to open"
            end -= 1
        for k in range(i, end):  # "until it is closed"
            if toks[k] in {"until", "till"}:
                end = k
                break
    if kind is None:  # "pull the lid to open the box": the purpose names what moves
        k = next((k for k in range(i, e - 2) if toks[k] == "to" and toks[k + 1] in _RESULTS), None)
        if k is None:
            return _slid(tk, s, e, text)
        kind, i, end = _RESULTS[toks[k + 1]], k + 2, e
    while i < end and (toks[i] in _PARTICLES or toks[i] in {"on", "at"}):
        i += 1
    while end > i and toks[end - 1] in _PARTICLES:
        end -= 1
    frame = Frame(kind, verb=toks[s], source_words=text)
    np, j = parse_np(toks, i, end) if i < end and toks[i] != "to" else (None, i)
    if np is None or np.head is None:
        if i < end and toks[i] != "to":
            return None
        frame.question = f"What should I {kind}?"  # "pull to open": the means names it
        return [frame]
    words = np.head.split()
    if len(words) > 1 and words[-1] in _GRIPS:  # "the fridge door handle" → the fridge door
        np.head = " ".join(words[:-1])
    frame.objects = [np]
    return [frame]


#: Verbs that move a thing upwards.
_RAISE = frozenset({"raise", "lift"})


def _raised_closure(tk: Tokens, s: int, e: int, text: str) -> list[Frame] | None:
    """"raise the toilet seat", "lift the lid": moving a hinged closure up opens it (a closure
    by WordNet's gloss, :func:`senses.closure`). Only when nothing but the closure follows: "lift
    the lid off the pot" takes the lid away, "lift the lid onto the shelf" moves it."""
    toks = tk.t
    if s >= e or chunk.verb_base(toks[s]) not in _RAISE:
        return None
    i = s + 1
    while i < e and toks[i] == "up":
        i += 1
    np, j = parse_np(toks, i, e)
    while j < e and toks[j] in {"up", ",", ".", "!"}:
        j += 1
    if np is None or np.head is None or j != e or not senses.closure(np.head):
        return None
    return [Frame("open", verb=toks[s], objects=[np], source_words=text)]


def _closure_owner(frame: Frame) -> None:
    """"close the lid on the box", "open the lid on the jar": a closure (:func:`senses.closure`)
    on a thing is opened or closed with it, so the skill acts on that thing."""
    if frame.kind not in {"open", "close"} or len(frame.objects) != 1:
        return
    obj = frame.objects[0]
    owner = next((np for c, np in obj.pps if c == "on" and np.head and not np.person), None)
    if owner is not None and obj.head and senses.closure(obj.head):
        frame.objects = [owner]


def _stack_chain(frame: Frame) -> list[Frame]:
    """"stack the blue bowl on the yellow bowl on the green block": under "stack" a chain of
    "on" phrases is the stack itself, bottom last, so each thing named goes onto the one after
    it, from the bottom up (the yellow bowl onto the block, then the blue bowl onto it). Any
    other verb reads "on the table" after a goal as saying which goal ("the plate on the
    table"). ``[frame]`` when there is no chain."""
    goal = frame.target
    if frame.kind != "place" or frame.verb != "stack" or goal is None or frame.prep != "on":
        return [frame]
    below = next((np for c, np in goal.pps if c == "on" and np.head and not np.person), None)
    if below is None or goal.head is None or goal.anaphor is not None:
        return [frame]
    moved = replace(goal, pps=[p for p in goal.pps if p[1] is not below])
    frame.target = moved
    lower = Frame("place", verb=frame.verb, objects=[moved], target=below, prep="on",
                  source_words=frame.source_words)
    return [*_stack_chain(lower), frame]


#: Particles that may stand before the object they belong to ("take off the lid").
_SHIFTING = frozenset({"off", "on", "out", "over"})


def _shift_particle(tk: Tokens, i: int, e: int, base: str) -> Tokens | None:
    """"take off the lid" → "take the lid off": English lets a particle stand before or after
    its object (particle shift), so when the verb + particle is a WordNet multiword verb the
    lexicon does not list, a particle straight after the verb with one noun phrase after it
    to the clause end is read after the object. A fixture or room after it ("put on the
    table") is a goal with the object left out, not a shifted particle."""
    toks = tk.t
    if i + 1 >= e or toks[i] not in _SHIFTING or (base, toks[i]) in lx.PHRASAL_VERBS or (
            senses.multiword_verb(base, toks[i]) is None) or toks[i + 1] not in lx.DETERMINERS:
        return None
    np, j = parse_np(toks, i + 1, e)
    while j < e and toks[j] in {",", ".", "!"}:
        j += 1
    if np is None or np.head is None or j != e or np.person or (
            chunk.last_word(np.head) in lx.FIXTURE_NOUNS | lx.ROOM_NOUNS):
        return None
    idx = [*range(0, i), *range(i + 1, e), i]
    return Tokens([toks[k] for k in idx], [tk.raw[k] for k in idx])


def _unplaced_particle(frame: Frame, base: str) -> None:
    """"put the candle out", "put the hat on": a verb of putting whose particle makes a
    WordNet multiword verb with no sense of putting (put_out: extinguish, put_on: wear) and no
    goal said is that other verb, which no skill does; one with a sense of removing
    ("take the lid off") stays a pick."""
    if frame.kind != "place" or frame.target is not None or not frame.particle or (
            (base, frame.particle) in lx.PHRASAL_VERBS):
        return
    mw = senses.multiword_verb(base, frame.particle)
    if mw is not None and not mw[0] and not mw[1]:
        frame.kind, frame.verb = "unknown", f"{base} {frame.particle}"


#: Verbs of contact that end a motion at a thing ("until it touches the plate").
_CONTACT = frozenset({"touch", "reach", "hit", "meet", "contact"})
_COPULAS = frozenset({"is", "are", "sits", "rests", "lies", "stands"})


def telic_until(tk: Tokens) -> Tokens:
    """"push the block until it is sitting on top of the target", "slide the cup until it
    touches the plate": an "until" clause about the moved thing ("it"/"they") that says where
    it ends up (a copula or posture and a place, or a verb of contact and a thing) is the
    motion's goal, not a second task: read as "push the block to the target". Only after a
    verb the robot moves things with (push, slide, move …)."""
    t = tk.t
    for k in range(2, len(t) - 3):
        if t[k] not in {"until", "till"} or t[k + 1] not in {"it", "they"}:
            continue
        start = max((m + 1 for m in range(k) if t[m] in {".", "!", ";", ","}), default=0)
        if not any(lx.VERBS.get(lx.VERB_BASE.get(w) or chunk.verb_base(w)) in {"push", "place"}
                   for w in t[start:k]):
            continue
        j = k + 2
        if t[j] in _COPULAS:
            j += 1
            if j < len(t) and chunk.verb_form(t[j]) and t[j].endswith("ing"):
                j += 1  # "is sitting on …"
            m = next((p for p in lx.PREPOSITIONS if tuple(t[j:j + len(p)]) == p), None)
            if m is None:
                return tk
            j += len(m)
        elif chunk.verb_base(t[j]) in _CONTACT:
            j += 1
        else:
            return tk
        np, end = parse_np(t, j, len(t))
        if np is None or np.head is None or (end < len(t) and t[end] not in {",", ".", "!"}):
            return tk
        return Tokens([*t[:k], "to", *t[j:]], [*tk.raw[:k], "to", *tk.raw[j:]])
    return tk
