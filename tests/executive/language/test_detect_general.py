"""Detectors derived from structure and lexical classes, not from one corpus's phrasing
(issue 15): open arrangements and choices are asked about, furniture is not picked up, and
a refusal needs evidence of a hazard. Sentences written for these tests, not corpus lines."""

from __future__ import annotations

import pytest

from executive.language import understand


def _status(text: str) -> str:
    return understand(text).to_plan_json()["status"]


@pytest.mark.parametrize("text", [
    "tidy up the living room",
    "please organise the bookshelf",
    "could you sort the laundry by colour",
    "we should rearrange the toys",
    "clear the kitchen table",
    "you might want to clear some room",
])
def test_an_arrangement_with_no_place_is_asked(text: str) -> None:
    u = understand(text)
    assert u.status == "clarify", text
    assert "goes where" in (u.question or "")


@pytest.mark.parametrize("text", [
    "sort the blocks into the red bowl",   # the goal is named: no question about where
    "clear the countertop waste",          # what goes is named, not a surface to empty
])
def test_an_arrangement_with_a_goal_is_not_asked_where(text: str) -> None:
    assert "goes where" not in (understand(text).question or "")


@pytest.mark.parametrize("text", [
    "bring me the mug or the glass",
    "pick up either the pear or the plum",
    "put the towel on the left or right hook",
])
def test_alternatives_in_a_singular_request_are_asked(text: str) -> None:
    u = understand(text)
    assert u.status == "clarify", text
    assert "choose one" in (u.question or "")


def test_or_else_is_no_choice() -> None:
    assert "choose one" not in (understand("put the cup in the sink or else it will spill")
                                .question or "")


@pytest.mark.parametrize("text", [
    "place the spoon on something",
    "put the vase in a nice spot",
])
def test_a_goal_that_names_no_place_is_asked(text: str) -> None:
    assert _status(text) == "clarify", text


def test_in_its_place_and_on_top_are_places() -> None:
    assert "Where exactly" not in (understand("put the book back in its place").question or "")
    assert "Where exactly" not in (understand("put the lid on top of the pot").question or "")


@pytest.mark.parametrize("text", [
    "lift the loveseat",             # unseen furniture inherits it from WordNet
    "carry the armoire to the hallway",
    "move the refrigerator into the garage",
    "pick up the dining table",
])
def test_furniture_and_large_appliances_are_not_picked_up(text: str) -> None:
    u = understand(text)
    assert u.status == "infeasible", text
    assert "too big" in (u.reason or "")


@pytest.mark.parametrize("text", [
    "put the file in the filing cabinet",   # a file is also a tool: not furniture
    "move the yellow pentagon next to the blue cube",
    "put the granola bar in the drawer",
])
def test_small_things_named_like_furniture_are_picked_up(text: str) -> None:
    assert _status(text) == "ok", text


@pytest.mark.parametrize("text", [
    "charge my tablet",                      # a charge in battle is no way to treat a device
    "bring the baby her bottle",             # a baby's bottle is milk, not medicine
    "put the salmon in the freezer",         # an animal that is food, not said to be alive
])
def test_no_refusal_without_hazard_evidence(text: str) -> None:
    assert _status(text) != "refused", text


@pytest.mark.parametrize("text", [
    "smash the phone with a hammer",
    "put the live fish in the freezer",
    "put the hamster in the freezer",
    "give the child the pill bottle",
])
def test_evidence_still_refuses(text: str) -> None:
    assert _status(text) == "refused", text


@pytest.mark.parametrize("text, said", [
    ("give me a massage", "not a thing I can hold"),      # an act (WordNet noun.act)
    ("take a photo of the garden", "no camera skill"),
    ("open the pear", "I open doors and lids"),           # food has no door or lid
    ("switch on the lemon", "I open doors and lids"),
    ("carry the basket upstairs", "stairs"),
    ("walk my dog", "leash"),
])
def test_capabilities_the_robot_lacks_are_reported(text: str, said: str) -> None:
    u = understand(text)
    assert u.status == "infeasible", text
    assert said in (u.reason or ""), u.reason


@pytest.mark.parametrize("text", [
    "open the jar of jam",        # a container of food opens
    "bring me a cup of tea",      # a container of drink is held
    "take the photo to the desk",  # a photo is a thing; only one taken "of" something is not
    "walk to the bedroom",
    "put the potato in the microwave and turn it on",  # a potato bursts only unpierced
])
def test_things_the_skills_act_on_stay_tasks(text: str) -> None:
    assert _status(text) == "ok", text


def test_a_hazard_is_named_before_a_missing_capability() -> None:
    assert _status("put the egg in the microwave and turn it on") == "refused"


@pytest.mark.parametrize("text", ["hand me the thing on the desk", "put that object in the bin"])
def test_a_kindless_singular_is_asked_without_a_world(text: str) -> None:
    u = understand(text)
    assert u.status == "clarify", text
    assert "Please name it" in (u.question or "")
