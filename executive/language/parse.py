"""One clause (a token range) → frames: verb, objects, target, recipient, condition.

A small hand-written parser, not a grammar: strip courtesy, find the verb (phrasal verbs and
separable particles included), read the noun phrases and prepositional phrases after it,
and decide which phrase is the goal from the verb's frame kind.
"""

from __future__ import annotations

from executive.language import chunk, senses
from executive.language import lexicon as lx
from executive.language.attach import _assign_pps, _dirt_only, _objects_and_pps, _settle
from executive.language.constructions import (
    _AUXILIARIES,
    _PLACE_PREPS,
    _closure_owner,
    _free_adjunct,
    _locatum_at,
    _means,
    _obligation,
    _passive,
    _raised_closure,
    _resultative,
    _shift_particle,
    _stack_chain,
    _unplaced_particle,
)
from executive.language.frames import Condition, Frame, NounPhrase
from executive.language.phrases import (
    _LONG_UNITS,
    _PARTICLES,
    _PREP_FIRST,
    _SUBJECT_WORDS,
    MAX_WAIT_S,
    Tokens,
    _number,
    _skip_adverbs,
    parse_np,
)

__all__ = ["MAX_WAIT_S", "Tokens", "parse_clause", "parse_condition", "parse_np"]


# --- clauses -------------------------------------------------------------------------------


def _strip_fillers(toks: list[str], s: int, e: int) -> tuple[int, int]:
    changed = True
    while changed and s < e:
        changed = False
        for p in lx.LEADING_FILLERS:
            if tuple(toks[s : s + len(p)]) == p and s + len(p) <= e:
                s += len(p)
                changed = True
                break
        while s < e and toks[s] in {",", "'", '"'} and not (toks[s] == '"' and s + 1 < e):
            s += 1
            changed = True
    changed = True
    while changed and e > s:
        changed = False
        while e > s and toks[e - 1] in {",", ".", "!", "?", ";", ":"}:
            e -= 1
            changed = True
        for p in lx.TRAILING_FILLERS:
            if tuple(toks[e - len(p) : e]) == p and e - len(p) >= s:
                e -= len(p)
                changed = True
                break
    return s, e


def _verb_at(toks: list[str], i: int, e: int) -> tuple[str, str, int, str] | None:
    """(frame kind, base verb, tokens consumed, particle) for a verb at ``i``."""
    if i >= e:
        return None
    base = lx.VERB_BASE.get(toks[i])
    if base is None:
        # an unlisted verb of putting ("deposit the cup in the sink"): read on, and let the
        # goal decide whether it is a placement (parse_clause)
        vb = chunk.verb_base(toks[i])
        if chunk.mainly_verb(toks[i]) and chunk.put_verb(vb):
            return "unknown", vb, 1, ""
        if _locatum_at(toks, i, e) is not None:
            return "unknown", vb, 1, ""  # "oil the hinges", "salt the soup" (parse_clause)
        return None
    for phrase, kind in sorted(lx.PHRASAL_VERBS.items(), key=lambda kv: -len(kv[0])):
        if phrase[0] == base and tuple(toks[i + 1 : i + len(phrase)]) == phrase[1:] and (
            i + len(phrase) <= e
        ):
            return kind, base, len(phrase), phrase[-1] if len(phrase) > 1 else ""
    kind = lx.VERBS.get(base)
    if kind is None:
        return "unknown", base, 1, ""
    return kind, base, 1, ""


def _duration(toks: list[str], i: int, e: int) -> tuple[float | None, int]:
    """"5 seconds", "a minute", "half a minute", "for 2.5 s" → seconds."""
    j = i
    if j < e and toks[j] == "for":
        j += 1
    if j < e and toks[j] == "another":
        j += 1
    mult = 1.0
    if j < e and toks[j] == "half":
        mult = 0.5
        j += 1
    amount: float | None = None
    if j < e and toks[j] in {"a", "an", "one"}:
        amount = 1.0
        j += 1
        if j < e and toks[j] in {"few", "couple"}:
            amount = 3.0 if toks[j] == "few" else 2.0
            j += 1
            if j < e and toks[j] == "of":
                j += 1
    elif j < e and toks[j] == "few":
        amount = 3.0
        j += 1
    elif j < e:
        try:
            amount = float(toks[j])
            j += 1
        except ValueError:
            n = lx.NUMBER_WORDS.get(toks[j])
            if n is not None:
                amount = float(n)
                j += 1
                if j < e and toks[j] in lx.NUMBER_WORDS and lx.NUMBER_WORDS[toks[j]] < 10:
                    amount += lx.NUMBER_WORDS[toks[j]]
                    j += 1
    if amount is None:
        return None, i
    if j < e and toks[j] in {"and", "a"} and j + 1 < e and toks[j + 1] in {"half", "a"}:
        j += 2 if toks[j + 1] == "half" else 3
        amount += 0.5
    # never capped here: the caller asks about a duration it cannot honour
    if j < e and toks[j] in lx.TIME_UNITS:
        return amount * mult * lx.TIME_UNITS[toks[j]], j + 1
    if j < e and toks[j] in _LONG_UNITS:  # read, so that "wait 3 days" is asked about
        return amount * mult * _LONG_UNITS[toks[j]], j + 1
    if amount and j == e:
        return amount * mult, j  # "wait 5" → seconds
    return None, i


def _say_text(tk: Tokens, i: int, e: int) -> str:
    raw = tk.raw
    toks = tk.t
    # prefer quoted speech
    if '"' in toks[i:e]:
        q = [k for k in range(i, e) if toks[k] == '"']
        if len(q) >= 2:
            return " ".join(raw[q[0] + 1 : q[1]]).strip()
        return " ".join(raw[q[0] + 1 : e]).strip()
    # drop an addressee: "tell me", "tell the person", "say to grandma"
    j = i
    if j < e and toks[j] == "to" and j + 1 < e:
        np, k = parse_np(toks, j + 1, e)
        if np is not None and np.person:
            j = k
    else:
        np, k = parse_np(toks, j, e)
        if np is not None and np.person and k < e:
            j = k
    while j < e and toks[j] in {"that", ":", ",", "saying", "to", "about"} and not (
        toks[j] == "to" and j + 1 < e and lx.VERB_BASE.get(toks[j + 1]) is None
    ):
        j += 1
    words = raw[j:e]
    # drop a trailing addressee: "say hello to grandma"
    for k in range(len(words) - 1, 0, -1):
        if toks[j + k] == "to":
            np, end = parse_np(toks, j + k + 1, e)
            if np is not None and np.person and end == e:
                words = words[:k]
            break
    return " ".join(w for w in words if w not in {'"'}).strip()


def parse_condition(toks: list[str], s: int, e: int) -> Condition:
    """"if the fridge is closed" / "unless the tv is off" / "if you see the cup"."""
    negate = False
    if toks[s] == "unless":
        negate = True
        s += 1
    elif toks[s : s + 2] == ["only", "if"] or toks[s : s + 2] == ["in", "case"]:
        s += 2
    elif toks[s] in {"if", "when", "whenever"}:
        s += 1
    if s < e and toks[s] in {"you", "i"}:
        j = s + 1
        while j < e and toks[j] in {"are", "can", "do", "still", "already", "currently",
                                    "could"}:
            j += 1
        if j < e and lx.VERB_BASE.get(toks[j], toks[j]) in {"hold", "have", "carry", "has"}:
            np, _ = parse_np(toks, j + 1, e)
            return Condition("holding", np, negate)
        if j < e and toks[j] in {"not", "no"}:
            negate = not negate
            j += 1
        if j < e and lx.VERB_BASE.get(toks[j], toks[j]) in {"see", "find", "spot", "notice",
                                                            "detect"}:
            np, _ = parse_np(toks, j + 1, e)
            return Condition("visible", np, negate)
        return Condition("visible", None, negate, unsupported=" ".join(toks[s:e]))
    if s < e and toks[s] == "there" and s + 1 < e and toks[s + 1] in {"is", "are"}:
        j = s + 2
        if j < e and toks[j] in {"not", "no"}:
            negate = not negate
            j += 1
        np, _ = parse_np(toks, j, e)
        return Condition("visible", np, negate)
    np, j = parse_np(toks, s, e)
    while j < e and toks[j] not in _SUBJECT_WORDS:
        j += 1
    j += 1
    while j < e and toks[j] in {"still", "already", "currently", "left", "being"}:
        j += 1
    if j < e and toks[j] in {"not", "no"}:
        negate = not negate
        j += 1
    word = " ".join(toks[j : j + 2])
    state = lx.STATE_WORDS.get(word) or (lx.STATE_WORDS.get(toks[j]) if j < e else None)
    if state is None:
        what = " ".join(toks[j:e]) or " ".join(toks[s:e])
        return Condition("visible", np, negate, unsupported=what)
    if negate and state in lx.STATE_NEGATION:
        return Condition(lx.STATE_NEGATION[state], np, False)
    return Condition(state, np, negate)


def parse_clause(tk: Tokens, s: int, e: int, previous: Frame | None = None) -> list[Frame]:
    """Frames for tokens [s, e) of one clause (empty list for pure courtesy).

    A clause without a verb that reads as a noun phrase reuses the ``previous`` clause's
    verb ("pick up the blue cup, then the red one").
    """
    toks = tk.t
    s, e = _strip_fillers(toks, s, e)
    if s >= e:
        return []
    text = " ".join(toks[s:e])
    # negative constraints ---------------------------------------------------------------
    neg = None
    for p in (("do", "not"), ("never",), ("avoid",), ("stay", "away", "from"),
              ("keep", "away", "from"), ("without",), ("not",), ("no",), ("be", "careful",
              "not", "to"), ("careful", "not", "to"), ("make", "sure", "not", "to"),
              ("try", "not", "to"), ("do", "never"), ("dont",), ("be", "careful", "around"),
              ("be", "careful", "with"), ("careful", "around"), ("watch", "out", "for")):
        if tuple(toks[s : s + len(p)]) == p:
            neg = s + len(p)
            break
    if neg is not None:
        return [_negated(tk, neg, e, text)]
    if e - s >= 2 and toks[e - 1] == "alone" and lx.VERB_BASE.get(toks[s]) == "leave":
        return [_negated(tk, s + 1, e - 1, text)]
    # statements ("It should have expired."): a remark, not a request -------------------
    if e - s >= 2 and toks[s] in _SUBJECTS and toks[s + 1] in _AUXILIARIES:
        return [Frame("unknown", verb=toks[s], source_words=text)]
    # wishes and questions ---------------------------------------------------------------
    for p in lx.WISH_PREFIXES:
        if tuple(toks[s : s + len(p)]) == p and s + len(p) < e and toks[s + len(p)] != "to":
            k = s + len(p)
            base = lx.VERB_BASE.get(toks[k])
            if base is not None and lx.VERBS.get(base) and not chunk.names_thing(toks[k]):
                return parse_clause(tk, k, e, previous)  # "how about bringing me the chips"
            passive = _passive(tk, k, e)
            if passive is not None:
                return parse_clause(passive, 0, len(passive.t), previous)
            frame = Frame("bring", verb="bring", source_words=text)
            frame.recipient = NounPhrase(head="person", raw="me", person=True)
            _objects_and_pps(tk, s + len(p), e, frame)
            return [frame]
    for p in lx.FIND_QUESTIONS:
        if tuple(toks[s : s + len(p)]) == p and s + len(p) < e:
            frame = Frame("find", verb="find", source_words=text)
            _objects_and_pps(tk, s + len(p), e, frame)
            return [frame]
    # "go and get", "go get", "come and help", "try putting"
    while e - s >= 2 and (lx.VERB_BASE.get(toks[s]) in {"go", "come"} or toks[s] in {
        "try", "trying"}) and (
        toks[s + 1] == "and" or (toks[s + 1] in lx.VERB_BASE and toks[s + 1] not in {"to"}
                                 and lx.VERB_BASE[toks[s + 1]] not in {"go", "come"}
                                 and toks[s + 1] not in _PARTICLES | {"back", "home"})
    ):
        s += 2 if toks[s + 1] == "and" else 1
    means = _means(toks, s, e)
    if means is not None:
        start, owner = means
        frames = parse_clause(tk, start, e, previous)
        for f in frames:  # "grab the door handle and pull to open": open the door
            if f.kind in {"open", "close"} and not f.objects and owner is not None:
                f.objects, f.question = [owner], None
        return frames
    result = _resultative(tk, s, e, text) or _raised_closure(tk, s, e, text)
    if result is not None:
        return result
    purpose = _purpose(tk, s, e)
    if purpose is not None:
        return purpose
    duty = _obligation(tk, s, e)
    if duty is not None:
        return parse_clause(duty, 0, len(duty.t), previous)
    v = _verb_at(toks, s, e)
    if v is None and previous is not None and _free_adjunct(toks, s, e):
        return []
    if v is None:
        np, _j = parse_np(toks, s, e)
        if np is not None and previous is not None and previous.kind not in {
            "unknown", "say", "wait", "avoid", "navigate"
        } and previous.objects:
            frame = Frame(previous.kind, verb=previous.verb, source_words=text)
            frame.recipient = previous.recipient
            _objects_and_pps(tk, s, e, frame)
            if frame.target is None and previous.target is not None:
                frame.target, frame.prep = previous.target, previous.prep
            _settle(frame, previous.verb)
            return [frame]
        frame = Frame("unknown", verb=toks[s], source_words=text)
        if np is not None and np.head and toks[s] not in lx.VERB_BASE and (
            toks[s] in lx.DETERMINERS or np.head in lx.COMMON_NOUNS or np.colour or np.person
        ):
            frame.question = f"What should I do with the {np.phrase}?"
        return [frame]
    kind, base, n, particle = v
    stuff = _locatum_at(toks, s, e) if kind == "unknown" and n == 1 else None
    if stuff is not None:  # "water the plant": pour water on the plant
        said = Tokens(["pour", stuff, "on", *toks[s + n : e]], ["pour", stuff, "on", *tk.raw[s + n : e]])
        return parse_clause(said, 0, len(said.t), previous)
    if base == "leave" and (s + n >= e or (toks[s + n] in {"home", "now", "the"} and (
        s + n + 1 < e and toks[s + n + 1] in {"house", "room", "home"}
    ))):
        return []  # "before you leave": the operator leaving is not a task
    frame = Frame(kind, verb=base, particle=particle or None, source_words=text)
    i = _skip_adverbs(toks, s + n, e)
    if kind == "say":
        frame.text = _say_text(tk, i, e)
        if not frame.text:
            frame.question = "What should I say?"
        return [frame]
    if kind == "wait":
        secs = None
        for words in (toks, [r.lower() for r in tk.raw]):  # raw: a corrected unit is no unit
            for k in range(i, e):  # "wait here for 30 seconds"
                secs, _j = _duration(words, k, e)
                if secs is not None:
                    break
            if secs is not None:
                break
        if secs is None and any(_number(t) is not None for t in toks[i:e]):
            frame.question = "I did not understand the time unit: how long should I wait?"
        if secs is not None and not (0.0 < secs <= MAX_WAIT_S):
            frame.question = (f"I can wait between 0 and {MAX_WAIT_S / 3600:.0f} hours: how long "
                              "should I wait?")
        frame.seconds = secs if secs is not None else lx.DEFAULT_WAIT_S
        return [frame]
    if kind == "unknown" and base not in lx.HARM_VERBS | lx.DAMAGE_VERBS | lx.FIRE_VERBS and (
            any(t in _PLACE_PREPS for t in toks[i:e])) and chunk.put_verb(base) and (
            _skip_particles(toks, i, e) < e and toks[_skip_particles(toks, i, e)] not in (
                _PREP_FIRST)):  # a thing to put follows ("lay down on the bed" has none)
        frame.kind = "place"  # "pack the cup in the box", "lay the book on the shelf"
    shifted = _shift_particle(tk, i, e, base) if n == 1 else None
    if shifted is not None:
        tk, toks, e = shifted, shifted.t, len(shifted.t)  # same length: indices hold
    _objects_and_pps(tk, i, e, frame)
    _closure_owner(frame)
    _unplaced_particle(frame, base)
    if frame.kind == "find" and len(frame.objects) == 1:
        sought = [np for c, np in frame.objects[0].pps if c == "for" and np.head and not np.person]
        if sought:  # "check the drawers for a knife": the knife is sought, the drawers searched
            frame.objects = sought[:1]
    gapped = _gapping(tk, frame, base)
    if gapped:
        return gapped
    _settle(frame, base)
    return _stack_chain(frame)


_SUBJECTS = frozenset({"it", "this", "that", "they", "he", "she", "these", "those"})


def _skip_particles(toks: list[str], i: int, e: int) -> int:
    """Past adverbial particles that are never prepositions ("tidy up the toys")."""
    while i < e and toks[i] in {"up", "down", "away", "back", "out"}:
        i += 1
    return i


def _purpose(tk: Tokens, s: int, e: int) -> list[Frame] | None:
    """"pull the handle to open the drawer", "use the switch to turn on the light".

    When a clause has "to" + a verb we know after its first words, the learned tagger
    decides whether the words before it are the *means* (an INS span: the instrument) and
    the verb after it the *purpose* (a V span). Then the purpose is the task, with the
    instrument attached. A V after "to" without an instrument before it is a second task
    after the first ("take the sponge to wipe the table" → take, then wipe). Otherwise None
    and the clause is read as usual ("bring the cup to the kitchen": no verb after "to").
    """
    toks = tk.t
    k = next((j for j in range(s + 1, e - 1) if toks[j] == "to" and (
        (v := _verb_at(toks, j + 1, e)) is not None and (
            v[0] != "unknown" or senses.locatum(v[1]) is not None))), None)
    if k is None:
        return None
    from executive.language.tagger import load, spans  # lazy: the model loads on first need

    tags = load().tags(toks)
    # "use the jug to water the basil": "use" + one noun phrase + "to" + a verb is the means
    # and the purpose whatever the tagger makes of the words
    used = toks[s] in {"use", "using"} and parse_np(toks, s + 1, k)[1] == k and k > s + 1
    if not tags[k + 1].endswith("-V") and not used:
        return None
    ins = [(1, k - s)] if used else [(a, b) for slot, a, b in spans(tags[s:k]) if slot == "INS"]
    if not ins:  # the means is a task of its own: "go to the kitchen to get the cup"
        first, then = parse_clause(tk, s, k), parse_clause(tk, k + 1, e)
        if first and all(f.kind == "wipe" for f in first) and all(
            _dirt_only(f) and not f.target for f in then
        ):
            return first  # "clean the floor with a mop to remove the dust": why, not what
        if first and then and all(f.kind not in {"unknown", "avoid"} for f in first + then):
            return first + then
        return None
    frames = parse_clause(tk, k + 1, e)
    if frames and all(_dirt_only(f) and not f.target for f in frames):
        first = parse_clause(tk, s, k)  # "clean the floor using a mop to remove the dust"
        return first if first and all(f.kind == "wipe" for f in first) else None
    if len(frames) != 1 or frames[0].kind in {"unknown", "avoid"}:
        return None
    a, b = ins[0]
    if toks[s + a] in {"use", "using"}:
        a += 1  # the tagger's span may open on the verb of using
    np, _j = parse_np(toks, s + a, s + b)
    stuff = senses.locatum(_verb_at(toks, k + 1, e)[1])  # type: ignore[index]
    if np is not None and stuff is not None and frames[0].kind == "pour":
        frames[0].objects = [np]  # "use the kettle to water the flower": pour from the kettle
    elif np is not None and frames[0].instrument is None:
        frames[0].instrument = np
    frames[0].source_words = " ".join(toks[s:e])
    return frames


def _gapping(tk: Tokens, frame: Frame, base: str) -> list[Frame]:
    """"put the cup on the table and the book on the shelf" → one frame per pair."""
    if frame.kind not in {"place", "bring", "take", "pick"} or len(frame.objects) < 2:
        return []
    order = frame.object_pp_order
    pps = frame.pps_seen
    if len(order) != len(frame.objects) or order[0] != 0 or order != sorted(order):
        return []
    # Gapping: the verb is said once, each conjunct is "objects + their own goal"; objects
    # joined by "and" before one goal share it ("newspapers and magazines on the table").
    starts = sorted(set(order))
    if len(starts) < 2:
        return []  # "put the cup and the book on the shelf": one goal for all
    block = dict(zip(starts, [*starts[1:], len(pps)], strict=True))
    clause_nps = {id(np) for _r, _c, np in pps}
    for obj in [*frame.objects, *(np for _r, _c, np in pps if np is not None)]:
        obj.pps = [(c, np) for c, np in obj.pps if id(np) not in clause_nps]  # undo the clause's
    out = []
    for k, obj in enumerate(frame.objects):
        mine = pps[order[k] : block[order[k]]]
        if not any(c in lx.GOAL_PREPS for _r, c, _np in mine):
            return []
        f = Frame(frame.kind, verb=frame.verb, particle=frame.particle,
                  source_words=frame.source_words, recipient=frame.recipient)
        f.objects = [obj]
        f.pps_seen = list(mine)
        _assign_pps(f, list(mine))
        _settle(f, base)
        out.append(f)
    return out


def _negated(tk: Tokens, i: int, e: int, text: str) -> Frame:
    toks = tk.t
    i = _skip_adverbs(toks, i, e)
    v = _verb_at(toks, i, e)
    frame = Frame("avoid", verb=v[1] if v else "", negated=True, source_words=text)
    if v is not None:
        i += v[2]
    elif i < e and toks[i] not in lx.DETERMINERS and i + 1 < e and toks[i] not in {
        "the", "a"} and toks[i] not in lx.COMMON_NOUNS:
        i += 1  # an unknown verb: "don't wobble the vase"
    tmp = Frame("avoid")
    _objects_and_pps(tk, i, e, tmp)
    frame.objects = tmp.objects or ([tmp.target] if tmp.target else [])
    if not frame.objects:
        frame.objects = [np for _r, _c, np in tmp.pps_seen if np is not None][:1]
    return frame
