"""Objects and prepositional phrases of one clause → the frame's slots (object, goal, source).

Which phrase is the goal depends on the verb's frame kind, on the learned slot tagger where it
is sure (``_learned_goal``), and on chained locations ("in the safe on the bottom shelf"). Kept
apart from clause reading (:mod:`executive.language.parse`), which calls it once per clause.
"""

from __future__ import annotations

from executive.language import chunk
from executive.language import lexicon as lx
from executive.language.frames import Frame, NounPhrase
from executive.language.phrases import (
    _DITRANSITIVE,
    _GOAL_RAW_FOR_BRING,
    _PARTICLES,
    _POST_MODIFIERS,
    _PUSH_GOAL,
    _STOP,
    _SUBJECT_WORDS,
    Tokens,
    _match_prep,
    _skip_adverbs,
    parse_np,
)


def _objects_and_pps(tk: Tokens, i: int, e: int, frame: Frame) -> None:
    """Fill objects, recipient, goal and modifier PPs of ``frame`` from tokens [i, e)."""
    toks = tk.t
    pps: list[tuple[str, str, NounPhrase | None]] = []  # (raw prep, canonical, np)
    objects: list[NounPhrase] = []
    order: list[int] = []
    pp_at: list[int] = []
    i = _skip_adverbs(toks, i, e)
    # indirect object: "bring me the cup", "give the dog the ball"
    if frame.kind in {"bring", "give", "pick", "pour", "take", "throw", "heat", "fill"} or (
        frame.verb in _DITRANSITIVE
    ):
        np, j = parse_np(toks, i, e)
        if np is not None and (np.person or np.animal or toks[i] in {"him", "her", "us"}):
            np2, _ = parse_np(toks, j, e)
            if np2 is not None or j >= e or toks[j] in {"some", "something"}:
                frame.recipient = np if (np.person or np.animal) else NounPhrase(
                    head="person", raw=toks[i], person=True)
                i = j
    if i + 1 < e and toks[i] in {"down", "up", "in", "out"} and toks[i + 1] in lx.DETERMINERS and (
        frame.kind not in {"navigate", "unknown"}
    ):
        frame.particle = toks[i]  # "push down the button", "pick out the red one"
        i += 1
    while i < e:
        i = _skip_adverbs(toks, i, e)
        if i >= e:
            break
        t = toks[i]
        if t in {"and", ",", "or", "as", "well", "plus", "also"}:
            i += 1
            while i < e and toks[i] in {"and", ",", "or"}:
                i += 1
            if pps and pps[-1][1] == "with" and i < e and _match_prep(toks, i, e) is None:
                np, j = parse_np(toks, i, e)  # "using a broom, a dustpan and a brush"
                if np is not None and j > i:
                    pps.append(("with", "with", np))
                    pp_at.append(i)
                    i = j
            continue
        if t == "with" and objects and toks[i + 1 : i + 3] == ["the", "same"] and "as" in toks[i:e]:
            # "all objects with the same texture as the pan": a comparison; the pan is the
            # standard (a mention "it" may take), not an instrument
            k = toks.index("as", i)
            np, j = parse_np(toks, k + 1, e)
            if np is not None and np.head:
                objects[-1].pps.append(("as", np))
                i = j
                continue
        if t == "by" and i + 1 < e and toks[i + 1].endswith("ing") and chunk.verb_form(toks[i + 1]):
            break  # "clean the sink by removing stains": the manner, not another object
        if t in {"that", "which"} and (objects or pps) and i + 1 < e and (
            toks[i + 1] not in _SUBJECT_WORDS and chunk.verb_form(toks[i + 1])
            and toks[i + 1].endswith("s")
        ):
            np, j = parse_np(toks, i + 2, e)  # "the tray that contains the bread"
            owner = pps[-1][2] if pps and (not objects or order[-1] < len(pps)) else (
                objects[-1] if objects else None)
            if np is not None and owner is not None:
                owner.pps.append(("with", np))
            i = max(j, i + 2)
            continue
        if t in {"here", "there", "home"}:
            pps.append(("to", "to", NounPhrase(head=t, raw=t, anaphor="there" if t == "there"
                                               else None)))
            pp_at.append(i)
            i += 1
            continue
        if (t in _PARTICLES and (i + 1 >= e or toks[i + 1] in _STOP) and _match_prep(
            toks, i, e
        ) is None) or (t in _PARTICLES and i + 1 >= e):
            frame.particle = t
            if frame.verb in {"turn", "switch", "power", "shut"} and t in {"on", "off", "up",
                                                                           "down"}:
                frame.kind = "toggle_on" if t in {"on", "up"} else "toggle_off"
                if frame.verb == "shut" and t == "down":
                    frame.kind = "toggle_off"
            elif frame.verb in {"throw", "toss", "chuck"} and t in {"away", "out"}:
                frame.kind = "discard"
            elif frame.verb == "pick" and t == "up":
                frame.kind = "pick"
            i += 1
            continue
        pp = _match_prep(toks, i, e)
        if pp is not None and pp[0] == "to" and _purpose_infinitive(toks, i + 1, e):
            break  # "bring me the knife to cut the bread": why, never where
        if pp is not None:
            raw, canon, n = pp
            j = _skip_adverbs(toks, i + n, e)
            if canon == "for" and frame.kind == "wait":
                break
            np, j2 = parse_np(toks, j, e)
            if np is None and j < e and toks[j] in {"here", "there"}:
                np = NounPhrase(head=toks[j], raw=toks[j],
                                anaphor="there" if toks[j] == "there" else None)
                j2 = j + 1
            if np is None and canon in {"in", "on"} and (j >= e or toks[j] in _STOP) and (
                frame.kind in _PLACING
            ):  # "then place the cylinder inside": inside the place just named
                np, j2 = NounPhrase(head=None, raw=raw, anaphor="there"), j
            pps.append((raw, canon, np))
            pp_at.append(i)
            i = max(j2, i + n)
            continue
        if t in {"that", "which"} and i + 1 < e and toks[i + 1] in _SUBJECT_WORDS:
            i += 2  # "the cup that is on the table"
            if i < e and _match_prep(toks, i, e) is None and toks[i] not in _STOP and (
                toks[i] in lx.DETERMINERS or chunk.adjective(toks[i])
            ):
                _np, j = parse_np(toks, i, e)  # "chips that are a healthier option": a description
                i = max(j, i + 1)
            continue
        owner = pps[-1][2] if pps and (not objects or order[-1] < len(pps)) else (
            objects[-1] if objects else None)
        if owner is not None and (t in _POST_MODIFIERS or (
            t.endswith("ing") and chunk.verb_form(t) and t not in lx.VERB_BASE
        )) and not (toks[i - 1] in {",", "and"} and _conjunct_noun(toks, i, e)):
            if toks[i - 1] == ",":
                break  # ", readying it for the quest ahead": a clause about the task, not a thing
            pp = _match_prep(toks, i + 1, e)  # "the corner closest to the block"
            j = i + 1 + (pp[2] if pp else 0)
            np, j = parse_np(toks, j, e)  # "the bowl containing food"
            if np is not None:
                owner.pps.append(("near" if t in {"closest", "nearest"} else "with", np))
            i = max(j, i + 1)
            continue
        if (objects or pps) and _match_prep(toks, i, e) is None and chunk.adjective(t) and (
            i + 1 >= e or toks[i + 1] in _STOP or _match_prep(toks, i + 1, e) is not None
        ):
            i += 1  # "put it flat on the plate": how, not what
            continue
        np, j = parse_np(toks, i, e)
        if np is not None and j > i:
            objects.append(np)
            order.append(len(pps))  # how many PPs came before this object
            i = j
            continue
        i += 1  # a word we cannot place: skip it
    frame.objects = objects
    frame.pps_seen = pps
    frame.object_pp_order = order
    frame.pp_at = pp_at
    _assign_pps(frame, pps, toks)


_PLACING = frozenset({"place", "discard", "pour", "fill", "heat", "throw"})


#: Words after a purpose infinitive's verb that show it takes an object ("to cut the bread").
_OBJECT_START = frozenset({"it", "them", "this", "that", "these", "those", "some", "up",
                           "down", "off", "out"})


def _purpose_infinitive(toks: list[str], j: int, e: int) -> bool:
    """Is "to" before ``j`` the infinitive marker of a purpose clause ("to cut the bread", "to
    dry") rather than the preposition of a goal ("to the sink", "to sink")? An infinitive
    clause is never a goal: the word after "to" is a verb (one we know, or mainly a verb by
    WordNet's counts) and an object follows it, or it ends the clause and is no noun."""
    if j >= e or not toks[j].isalpha() or toks[j] in lx.DETERMINERS:
        return False
    if toks[j] not in lx.VERB_BASE and not chunk.mainly_verb(toks[j]):
        return False
    nxt = toks[j + 1] if j + 1 < e else None
    if nxt is None or nxt in {",", ".", "!", ";"}:
        return not chunk.is_noun(toks[j])
    return nxt in lx.DETERMINERS or nxt in _OBJECT_START


def _conjunct_noun(toks: list[str], i: int, e: int) -> bool:
    """After "and" or a comma, does the -ing word at ``i`` open the next conjunct's noun phrase
    (", bedding in the closet", "and sporting equipment in the rack", ", cleaning spray on
    the shelf") rather than describe the noun before the conjunction? A reduced relative
    ("the bowl containing food") follows its noun directly, so past a conjunction the -ing
    word names a thing itself or modifies the content word after it. Otherwise (", readying it
    for …", ", holding the cup") it is a participle clause."""
    if chunk.names_thing(toks[i]):
        return True
    nxt = toks[i + 1] if i + 1 < e else ""
    return nxt.isalpha() and nxt not in lx.FUNCTION_WORDS and nxt not in lx.DETERMINERS and (
        chunk.is_noun(nxt))


def _learned_goal(words: list[str], pp_at: list[int], cands: list[int]) -> int | None:
    """The learned tagger's goal among several candidate goal phrases.

    The goal is the first candidate whose preposition the tagger puts in a TGT span; the
    candidates it puts in the object's span are the object's modifiers ("the cup that is
    on the table"). None when it tags none of them TGT (then the rule's choice stands).
    """
    from executive.language.tagger import load  # lazy: the model loads on first need

    tags = load().tags(words)
    for k in cands:
        at = pp_at[k]
        if tags[at].endswith("-TGT") or (tags[at].endswith("-SRC") and at + 1 < len(tags) and (
                tags[at + 1] == "B-TGT")):
            return k  # "away in the safe on the shelf": the goal span opens on "the safe"
    return None


#: Relations that only say a thing is close to another: weaker than a container or support.
_NEAR = frozenset({"near", "next to", "beside", "by", "close to", "alongside"})


def _participial(words: list[str], at: int) -> bool:
    """Is the phrase whose preposition is at ``at`` the complement of a participle that
    describes the object ("the hand cream held in the right arm", "the cup sitting on the
    table")? Then it says where the object is, not where it goes. The participle must follow
    a noun (the object's head), so "to be placed in the sink" keeps its goal."""
    if at < 2:
        return False
    w, before = words[at - 1], words[at - 2]
    return w.isalpha() and not w.endswith("s") and chunk.verb_form(w) and (
        w not in lx.FUNCTION_WORDS and w not in _PARTICLES) and chunk.is_noun(before) and (
        before not in lx.FUNCTION_WORDS and not chunk.verb_form(before))


def _chained(frame: Frame, cands: list[int]) -> bool:
    """Goal phrases that follow one another directly after the last object, the first one
    right after it ("put the cube away in the safe on the bottom shelf")."""
    if not frame.objects or len(frame.object_pp_order) != len(frame.objects):
        return False
    first = frame.object_pp_order[-1]
    if frame.pps_seen[cands[-1]][0] in {"to", "into", "onto", "toward", "towards"}:
        return False  # "moving the fan on the sofa to the floor": "to" marks the goal
    return cands[0] == first and cands == list(range(first, first + len(cands))) and (
        cands[-1] == len(frame.pps_seen) - 1)


def _assign_pps(frame: Frame, pps: list[tuple[str, str, NounPhrase | None]],
                words: list[str] | None = None) -> None:
    kind = frame.kind
    goal_idx: int | None = None
    learned = False
    if kind in _PLACING:
        cands = [k for k, (_raw, canon, np) in enumerate(pps)
                 if np is not None and canon in lx.GOAL_PREPS]
        if not cands and kind == "place":  # "place it at the goal": with no other, "at" is where
            cands = [k for k, (_raw, canon, np) in enumerate(pps) if np is not None and (
                canon == "at" and not np.person)][-1:]
        if words is not None and len(frame.pp_at) == len(pps) and frame.objects:
            kept = [k for k in cands if not _participial(words, frame.pp_at[k])]
            cands = kept or cands
            if len(cands) >= 2 and pps[cands[0]][0] in _NEAR and all(
                    pps[k][1] == "in" for k in cands[1:]):
                cands = cands[1:]  # "the plate next to the microwave in a cabinet"
        goal_idx = cands[-1] if cands else None
        directional = [k for k in cands if pps[k][0] in {"to", "into", "onto", "toward", "towards"}]
        if len(cands) >= 2 and directional == cands[-1:]:
            pass  # "moving the fan on the sofa to the floor": "to" marks the goal, "on" the source
        elif len(cands) >= 2 and words is not None and len(frame.pp_at) == len(pps):
            choice = _learned_goal(words, frame.pp_at, cands)
            if choice is not None:
                goal_idx, learned = choice, True
            elif _chained(frame, cands):
                # "in the safe on the bottom shelf": a goal right after the object, and the
                # phrases chained after it say where that goal is
                goal_idx, learned = cands[0], True
    elif kind in {"bring", "take", "pick", "give", "push"}:
        for k, (raw, canon, np) in enumerate(pps):
            if np is not None and (raw in _GOAL_RAW_FOR_BRING or (
                np.person and canon in {"to", "for"}) or np.head == "here" or (
                kind == "push" and raw in _PUSH_GOAL)):
                goal_idx = k
    elif kind == "navigate":
        for k, (_raw, canon, np) in enumerate(pps):
            if np is not None and canon in {"to", "in", "near", "on", "front"}:
                goal_idx = k
                break
    for k, (raw, canon, np) in enumerate(pps):
        if np is None:
            continue
        if k == goal_idx:
            frame.target = np
            frame.prep = canon if raw not in {"to", "back to", "toward", "towards", "up to"} or (
                kind == "navigate"
            ) else "to"
        elif canon == "with":
            if frame.instrument is None:
                frame.instrument = np
        elif canon == "for" and np.person:
            frame.recipient = frame.recipient or np
        elif learned and goal_idx is not None and k > goal_idx and frame.target is not None:
            frame.target.pps.append((canon, np))  # "in a mug on the counter": the mug's place
        elif frame.objects:
            for obj in frame.objects:
                obj.pps.append((canon, np))
        elif kind == "navigate" and frame.target is None:
            frame.target = np
            frame.prep = canon
        elif kind in {"find", "open", "close", "wipe", "push", "toggle_on", "toggle_off"}:
            frame.objects.append(np)  # "look in the fridge" → find fridge


#: What cleaning removes: "remove the dust from the sofa" cleans the sofa.
DIRT = frozenset({"dust", "dirt", "stain", "spill", "crumb", "grease", "mud", "grime", "mess",
                  "smudge", "fingerprint", "residue", "limescale", "mould", "mold", "gunk"})


def _dirt_only(frame: Frame) -> bool:
    return bool(frame.objects) and all(
        chunk.last_word(np.head) in DIRT for np in frame.objects)


def _settle(frame: Frame, base: str) -> None:
    """Fix up the frame kind from what was found (no object, here/there targets...)."""
    if frame.kind in {"wipe", "take", "pick", "bring"} and _dirt_only(frame) and base in {
        "remove", "clean", "wipe", "scrub", "wash", "get", "take", "dust", "mop", "polish"
    }:
        where = [sub for np in frame.objects for c, sub in np.pps if c == "from"]
        if where:  # "remove dust from the sofa", "clean the stain off the toilet"
            frame.kind, frame.objects, frame.target, frame.recipient = "wipe", where[:1], None, None
    kind = frame.kind
    t = frame.target
    if kind == "place" and base == "stack" and t is None and len(frame.objects) == 1 and (
        (frame.objects[0].quantity or 0) >= 2
    ):  # "stack 2 gray blocks": one block on the other
        obj = frame.objects[0]
        frame.target = NounPhrase(head=obj.head, mods=obj.mods, raw=obj.raw, colour=obj.colour)
        frame.prep = "on"
        obj.quantity = obj.quantity - 1 if obj.quantity and obj.quantity > 2 else None
        t = frame.target
    if t is not None and t.head == "here" and kind in {"bring", "take", "pick", "give", "throw",
                                                        "navigate"}:
        frame.target = None
        frame.recipient = NounPhrase(head="person", raw="here", person=True)
        t = None
    if kind in {"take", "pick"} and frame.target is not None:
        frame.kind = kind = "bring"
    if kind in {"take", "pick"} and frame.recipient is not None:
        frame.kind = kind = "bring"
    if kind == "take":
        frame.kind = kind = "pick"
    if kind == "place" and not frame.objects and frame.target is not None and base in {
        "move", "return"
    }:
        frame.kind = "navigate"
        return
    if kind in {"bring", "place", "give"} and not frame.objects and frame.target is not None and (
        base in {"get", "come"}
    ):
        frame.kind = "navigate"
        return
    if kind == "navigate":
        if frame.target is None and frame.objects:
            frame.target = frame.objects[0]
            frame.objects = []
        if frame.target is None and (base == "come" or frame.particle in {"here", "back"}):
            frame.target = NounPhrase(head="person", raw="me", person=True)
        if frame.target is None and frame.recipient is not None:
            frame.target = frame.recipient
        if frame.target is not None and frame.target.head == "home":
            frame.target.head = "home"
        if frame.target is None:
            frame.question = "Where should I go?"
        return
    if kind == "fill":
        # "fill the bowl with milk" → pour milk into bowl
        if frame.objects:
            frame.target, frame.prep = frame.objects[0], "in"
        frame.objects = [frame.instrument] if frame.instrument is not None else []
        frame.instrument = None
        frame.kind = "pour"
        if not frame.objects:
            frame.question = "What should I fill it with?"
        return
    if kind == "throw":
        if frame.target is not None and (chunk.last_word(frame.target.head) in {
            "bin", "trash", "garbage", "trashcan", "wastebin", "dustbin", "wastebasket"
        } or frame.target.head in {"trash can", "garbage can"}):
            frame.kind = "discard"
        elif frame.recipient is not None or (frame.target is not None and frame.target.person):
            frame.kind = "give"  # "throw the ball to me": hand it over (safety checks first)
            frame.recipient = frame.recipient or frame.target
            frame.target = None
        return
    if not frame.objects and kind not in {"unknown"}:
        what = {"bring": "bring", "pick": "pick up", "place": "put", "give": "give",
                "open": "open", "close": "close", "toggle_on": "turn on",
                "toggle_off": "turn off", "wipe": "clean", "pour": "pour", "find": "find",
                "push": "push", "discard": "throw away", "heat": "heat"}.get(kind, base)
        if frame.recipient is not None and frame.recipient.animal is False and kind == "wipe":
            frame.objects = [frame.recipient]
            frame.recipient = None
            return
        frame.question = f"What should I {what}?"
        return
    if kind == "place" and frame.target is None and frame.particle not in {"down"} and (
        base not in {"drop", "set"}
    ):
        obj = frame.objects[0]
        frame.question = f"Where should I put the {obj.resolved().head or obj.phrase}?"
