"""General mechanisms behind task steps (issue 15, lang-steps): each test uses sentences and
objects of its own, not corpus lines, to show the rule rather than a fitted phrase."""

from __future__ import annotations

import pytest

from executive.language import chunk, senses, understand


def steps(text: str) -> list[tuple]:
    u = understand(text)
    assert u.status == "ok", (text, u.status, u.question, u.reason)
    return [(s["skill"], s["object"], s["target"]) for s in u.to_plan_json()["steps"]]


# --- a material before a head is an attribute unless the compound names another kind ------


@pytest.mark.parametrize("text, obj", [
    ("put the paper cups on the tray", "cup"),            # WordNet: "a cup made of paper"
    ("put the rubber boots by the door", "boot"),         # "a high boot made of rubber"
    ("put the cotton socks in the drawer", "sock"),       # clothing is no trade category
    ("put the rubber gloves under the sink", "glove"),
    ("put the rubber band in the drawer", "rubber band"),  # a band used to hold things
    ("put the paper clips in the drawer", "paper clip"),
    ("put the paper products in the bin", "paper product"),  # a trade category
    ("put the paper towels on the counter", "paper towel"),
])
def test_material_compounds(text, obj) -> None:
    assert steps(text)[0] == ("pick", obj, None)


def test_made_of_reads_the_gloss() -> None:
    assert chunk.made_of("plastic", ("bag",)) and chunk.made_of("rubber", ("boot",))
    assert not chunk.made_of("rubber", ("band",)) and not chunk.made_of("paper", ("clip",))
    assert not chunk.made_of("kitchen", ("sink",))  # not a material
    assert chunk.trade_category("products") and not chunk.trade_category("gloves")


# --- a relational adjective classifies: it is part of the name -----------------------------


@pytest.mark.parametrize("text, obj", [
    ("put the medical supplies in the cabinet", "medical supplies"),
    ("put the musical instruments on the shelf", "musical instrument"),
    ("put the dental floss by the sink", "dental floss"),
    ("put the dirty plates in the sink", "plate"),       # a qualitative adjective describes
    ("put the heavy pans on the stove", "pan"),
])
def test_relational_adjectives_join_the_name(text, obj) -> None:
    assert steps(text)[0] == ("pick", obj, None)


# --- past a conjunction an -ing word opens the next conjunct, not a reduced relative --------


def test_ing_word_after_and_opens_the_next_conjunct() -> None:
    assert steps("put the forks in the drawer and baking trays in the oven") == [
        ("pick", "fork", None), ("place", "fork", "drawer"),
        ("pick", "baking tray", None), ("place", "baking tray", "oven")]
    assert steps("put the pens in the cup, and sporting goods in the shed")[2:] == [
        ("pick", "sporting goods", None), ("place", "sporting goods", "shed")]


# --- possessives: a name's possessive names the kind; a thing's region names the thing -----


def test_possessive_of_a_proper_name_is_part_of_the_name() -> None:
    assert steps("put the Mirnov's puzzles on the shelf")[:2] == [
        ("pick", "mirnov's puzzle", None), ("place", "mirnov's puzzle", "shelf")]
    assert steps("hand me the Zorblax's widget")[0][1] == "zorblax's widget"


@pytest.mark.parametrize("text, target", [
    ("put the mug on the desk's corner", "desk"),
    ("leave the keys at the counter's edge.", "counter"),
    ("put the spoon on the tray's side, please", "tray"),
])
def test_possessive_region_names_its_owner(text, target) -> None:
    assert steps(text)[-1][2] == target


def test_possessive_owner_before_a_noun_stays_a_modifier() -> None:
    assert steps("wipe the oven's door")[0][0] == "wipe"
    assert "'s" not in " ".join(str(x) for s in steps("wipe the oven's door") for x in s)


# --- a participle clause after a request is about that request, not a further thing --------


@pytest.mark.parametrize("text, want", [
    ("set the kettle on the stove, preparing it for tea",
     [("pick", "kettle", None), ("place", "kettle", "stove")]),
    ("put the plates in the sink, soaking them",
     [("pick", "plate", None), ("place", "plate", "sink")]),
    ("put towels in the closet, bedding on the bed",  # an -ing noun: a gapped conjunct
     [("pick", "towel", None), ("place", "towel", "closet"),
      ("pick", "bedding", None), ("place", "bedding", "bed")]),
])
def test_participle_clauses(text, want) -> None:
    assert steps(text) == want


# --- receptacles of one kind told apart: colour is kept once more than colour tells them ---


def test_receptacles_told_apart_by_more_than_colour_keep_their_colour() -> None:
    got = steps("put the cups in the green crate and the plates in the wicker crate")
    assert [s[2] for s in got if s[0] == "place"] == ["green crate", "wicker crate"]
    got = steps("put the mugs in the grey hamper and the towels in the canvas laundry hamper")
    assert [s[2] for s in got if s[0] == "place"] == ["grey hamper", "canvas laundry hamper"]


def test_receptacles_told_apart_by_colour_alone_keep_it_an_attribute() -> None:
    got = steps("put the red cube in the blue tray and the green cube in the pink tray")
    assert [s[2] for s in got if s[0] == "place"] == ["tray", "tray"]


# --- an infinitive of purpose is never a goal ------------------------------------------------


@pytest.mark.parametrize("text, want", [
    ("hand me the towel to dry my hands", [("pick", "towel", None), ("give", "towel", "person")]),
    ("bring me the peeler to peel the carrots",
     [("pick", "peeler", None), ("give", "peeler", "person")]),
    ("move the cup to sink", [("pick", "cup", None), ("place", "cup", "sink")]),  # a goal noun
    ("take the tray to the table", [("pick", "tray", None), ("place", "tray", "table")]),
])
def test_purpose_infinitive(text, want) -> None:
    assert steps(text) == want


# --- locatum verbs: "water the X" puts water on X (a pour) ------------------------------------


@pytest.mark.parametrize("text, want", [
    ("please water the ferns", [("pick", "water", None), ("pour", "water", "fern")]),
    ("oil the squeaky hinges", [("pick", "oil", None), ("pour", "oil", "hinge")]),
    ("use the jug to water the basil", [("pick", "jug", None), ("pour", "jug", "basil")]),
    ("the orchid should be watered", [("pick", "water", None), ("pour", "water", "orchid")]),
    ("put the mugs away, water bottles in the fridge",  # a list of bottles, no watering
     None),
])
def test_locatum_verbs_pour_their_substance(text, want) -> None:
    if want is None:
        assert ("pour", "water", "bottle") not in steps(text) if understand(text).status == "ok" \
            else understand(text).status != "refused"
    else:
        assert steps(text) == want


def test_locatum_reads_the_main_sense() -> None:
    assert senses.locatum("water") == "water" and senses.locatum("salt") == "salt"
    assert senses.locatum("dust") is None  # remove the dust from: the opposite
    assert senses.locatum("paint") is None  # main sense: make a painting


# --- hinged closures: raising one opens it; the lid on a thing closes the thing -------------


@pytest.mark.parametrize("text, want", [
    ("raise the window shutter", [("open", "window shutter", None)]),
    ("lift up the piano lid", [("open", "piano lid", None)]),
    ("lift the lid off the saucepan", [("pick", "lid", None)]),  # taken away, not opened
    ("lift the bucket", [("pick", "bucket", None)]),              # no closure
    ("shut the lid on the toolbox", [("close", "toolbox", None)]),
])
def test_hinged_closures(text, want) -> None:
    assert steps(text) == want


def test_closure_reads_the_gloss() -> None:
    assert senses.closure("lid") and senses.closure("toilet seat") and senses.closure("shutter")
    assert not senses.closure("cup") and not senses.closure("seat")


# --- "stack A on B on C": the chain is the stack, built from the bottom up -------------------


def test_stack_chain_is_built_bottom_up() -> None:
    assert steps("stack the cup on the saucer on the plate") == [
        ("pick", "saucer", None), ("place", "saucer", "plate"),
        ("pick", "cup", None), ("place", "cup", "saucer")]


def test_a_goal_described_by_its_place_is_no_chain() -> None:
    assert steps("put the mug on the tray on the counter") == [
        ("pick", "mug", None), ("place", "mug", "tray")]


# --- multiword verbs: a particle may stand before its object; put_out / put_on do not put ---


@pytest.mark.parametrize("text, want", [
    ("take off the cap", [("pick", "cap", None)]),            # particle shift: = "take the cap off"
    ("take the cap off", [("pick", "cap", None)]),
])
def test_particle_shift(text, want) -> None:
    assert steps(text) == want


@pytest.mark.parametrize("text", ["put out the campfire", "put the lantern out",
                                  "put on the scarf", "put the gloves on"])
def test_multiword_verbs_with_no_sense_of_putting_are_no_placement(text) -> None:
    u = understand(text)
    assert u.status == "infeasible" and "put " in (u.reason or ""), (text, u)


def test_multiword_verb_reads_wordnet() -> None:
    assert senses.multiword_verb("put", "out") == (False, False)
    assert senses.multiword_verb("take", "off") == (False, True)
    assert senses.multiword_verb("put", "up") is not None and senses.multiword_verb("put", "up")[0]
    assert senses.multiword_verb("put", "sideways") is None


# --- a relative clause that only says which goal ("where the vase is kept") adds no step ----


@pytest.mark.parametrize("text", ["put the mug on the table where the vase is kept",
                                  "put the spoon in the drawer where the forks are stored."])
def test_stranded_relative_with_a_participle_is_no_request(text) -> None:
    got = steps(text)
    assert len(got) == 2 and got[0][0] == "pick" and got[1][0] == "place", got


# --- "until it is at / touches X" after a motion names the motion's goal ----------------------


@pytest.mark.parametrize("text, want", [
    ("nudge the puck until it touches the wall", [("push", "puck", "wall")]),
    ("please slide the tile until it is resting against the border",
     [("push", "tile", "border")]),
    ("push the crate until it reaches the ramp", [("push", "crate", "ramp")]),
])
def test_until_clause_is_the_goal(text, want) -> None:
    assert steps(text) == want


def test_until_clause_about_something_else_is_left_alone() -> None:
    u = understand("wait until it is on the table")
    assert u.status != "ok" or all(s["skill"] == "wait" for s in u.to_plan_json()["steps"])


# --- a yes/no question or an existential remark beside a request adds no step -----------------


@pytest.mark.parametrize("text, want", [
    ("Was the towel on the rack? bring me the towel.",
     [("pick", "towel", None), ("give", "towel", "person")]),
    ("there could be a ladle in the sink. find the ladle", [("find", "ladle", None)]),
])
def test_questions_and_existential_remarks_beside_a_request(text, want) -> None:
    assert steps(text) == want


# --- a doubled letter typed twice is corrected toward WordNet; names stay as written ----------


@pytest.mark.parametrize("text, want", [
    ("go to the cappuccino machinne", [("navigate", None, "cappuccino machine")]),
    ("grab the scisssors", [("pick", "scissors", None)]),
    ("bring me the zorbaxx", [("pick", "zorbaxx", None), ("give", "zorbaxx", "person")]),
])
def test_doubled_letter_typos(text, want) -> None:
    assert steps(text) == want
