"""Leaves on py_trees' own ports, and BehaviorTree.CPP XML trees through py_trees' parser."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import py_trees
import pytest
from py_trees.parsers.behaviour_tree_xml import parse_behaviour_tree_xml

import behaviours  # noqa: F401  (registers the XML tags)
import executive
from behaviours.conditions import Holding
from behaviours.guards import SafetyGuard
from behaviours.leaves import Detect, NavigateTo, Pick, Place
from behaviours.reasons import Reason
from executive.render import render
from executive.tree_spec import TreeSpecError, load_tree
from executive.validator import errors, validate

ROOT = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").exists())
EXAMPLE = ROOT / "examples" / "trees" / "fetch_cup.xml"


def test_leaves_and_guard_are_ports_classes_under_their_constructor_names():
    reg = py_trees.ports.get_ports_registry()
    for tag in ("NavigateTo", "Detect", "Pick", "Place", "SafetyGuard", "Holding"):
        assert issubclass(reg[tag], py_trees.ports.PortsMixin), tag
    assert set(NavigateTo.input_ports()) == {"target"}
    assert {"entity"} <= set(Detect.input_ports()) and {"location", "pose"} <= set(Detect.output_ports())
    assert set(Pick.input_ports()) == {"entity", "grasp"} and set(Pick.output_ports()) == {"held"}
    assert set(Place.input_ports()) == {"target", "relation"}
    assert {"linear_velocity", "angular_velocity", "action_timeout"} <= set(SafetyGuard.input_ports())


def test_existing_constructors_work_and_write_nothing_unwired():
    g = SafetyGuard("g", NavigateTo("go", "kitchen_table"), {"linear_velocity": 0.6})
    g2 = SafetyGuard("g2", NavigateTo("go2", "kitchen"), linear_velocity=0.6)
    assert g.limits == g2.limits == {"linear_velocity": 0.6}
    assert Place("put", "sink", "in").params() == {"target": "sink", "relation": "in"}
    root = py_trees.composites.Sequence("mine", memory=True, children=[
        g, Detect("look", "red_cup", ("kitchen_table",)),
        SafetyGuard("gp", Pick("pick", "red_cup"))])
    out = executive.run_tree(root, engine="none")
    assert out.outcome == "succeeded", out.message
    # No port keys when nothing is wired: only the run's own record (executive/run_blackboard.py:
    # /steps/<id>, /abort, /safety/...) is on the blackboard.
    stray = [k for k in py_trees.blackboard.Blackboard.storage
             if not k.startswith(("/steps/", "/abort", "/safety/"))]
    assert stray == []


def test_outputs_feed_later_inputs_through_key_remapping_in_python():
    root = py_trees.composites.Sequence("mine", memory=True, children=[
        SafetyGuard("g0", NavigateTo("to kitchen", "kitchen"), linear_velocity=0.6),
        Detect("look", "red_cup", ("counter", "kitchen_table"), location="{where}"),
        SafetyGuard("g1", NavigateTo("go there", "{where}"), linear_velocity=0.6),
        SafetyGuard("g2", Pick("pick", "red_cup", held="{cup}")),
        Holding("holding it", "{cup}")])
    out = executive.run_tree(root, engine="none")
    assert out.outcome == "succeeded", out.message
    bb = py_trees.blackboard.Blackboard.storage
    assert bb["/where"] == "kitchen_table" and bb["/cup"] == "red_cup"


def test_an_input_wired_to_a_key_nobody_wrote_fails_with_a_clear_reason():
    nav = NavigateTo("go there", "{nowhere}")
    root = py_trees.composites.Sequence("mine", memory=True, children=[SafetyGuard("g", nav)])
    out = executive.run_tree(root, engine="none")
    assert out.outcome == "aborted" and out.ticks == 1  # at once: nothing to retry or drive
    assert out.reason_code is Reason.TREE_INVALID
    assert "{nowhere}" in nav.feedback_message and "target" in nav.feedback_message


def test_output_arguments_must_be_ports_and_keys():
    with pytest.raises(TypeError, match="output ports are"):
        Pick("p", "red_cup", holds="{cup}")
    with pytest.raises(TypeError, match="blackboard key"):
        Pick("p", "red_cup", held="cup")


def test_bt_cpp_xml_loads_through_py_trees_own_parser_and_runs_with_run_tree():
    root = parse_behaviour_tree_xml(str(EXAMPLE))  # py_trees' parser, the registry of imports
    guards = [n for n in root.iterate() if isinstance(n, SafetyGuard)]
    assert guards and guards[0].limits == {"linear_velocity": 0.6, "action_timeout": 90.0}
    nav = next(n for n in root.iterate() if isinstance(n, NavigateTo) and n.name.endswith("go to the cup"))
    assert nav.params() == {"target": "{cup_place}"}
    out = executive.run_tree(root, engine="none")
    assert out.outcome == "succeeded", out.message
    bb = py_trees.blackboard.Blackboard.storage
    assert bb["/cup_place"] == "kitchen_table" and bb["/cup"] == "red_cup"
    assert len(bb["/cup_pose"]) == 3
    again = executive.run_tree(load_tree(EXAMPLE), engine="none")  # the same through load_tree
    assert again.trace_sha256 == out.trace_sha256


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "executive.cli", *args], capture_output=True,
                          text=True, env=env, timeout=300, cwd=ROOT)


def test_cli_runs_the_xml_tree():
    r = _cli("run", "--world", "kinematic", "--tree", str(EXAMPLE), "--no-log", "--engine", "none")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "succeeded" in r.stdout


NAV = '<NavigateTo name="go" target="kitchen"/>'
BAD = [
    ('<root><BehaviorTree ID="a"><Sequence name="s">\n<NavigatTo name="go" target="kitchen"/>'
     '</Sequence></BehaviorTree></root>', ["line 2", "NavigatTo", "did you mean NavigateTo"]),
    ('<root><BehaviorTree ID="a"><SafetyGuard name="g">\n<NavigateTo name="go" target="kitchen" '
     'speed="2"/></SafetyGuard></BehaviorTree></root>', ["line 2", "speed", "target"]),
    (f'<root><BehaviorTree ID="a"><Sequence name="s">\n{NAV[:-2]}></Sequence></BehaviorTree></root>',
     ["line 2", "not well-formed"]),
    ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><root>&b;</root>',
     ["DOCTYPE"]),
    (f'<root><BehaviorTree ID="a"><SafetyGuard name="g" linear_velocity="fast">{NAV}</SafetyGuard>'
     '</BehaviorTree></root>', ["SafetyGuard 'g'", "fast"]),
    (f'<root><BehaviorTree ID="a"><SafetyGuard name="g">{NAV}{NAV}</SafetyGuard></BehaviorTree></root>',
     ["exactly 1 child"]),
    (f'<root main_tree_to_execute="b"><BehaviorTree ID="a">{NAV}</BehaviorTree></root>',
     ["main_tree_to_execute='b'"]),
    ("<root/>", ["no <BehaviorTree"]),
    ("<" * 10 + "BehaviorTree", ["not well-formed"]),
    ("<r>" * 40 + "</r>" * 40, ["max_depth"]),
    ('<root><BehaviorTree ID="a"><Say name="s" text="' + "a" * 70_000 + '"/></BehaviorTree></root>',
     ["max_string"]),
    ("<root>" + "<x/>" * 20_001 + "</root>", ["max_nodes"]),
    ('<root><BehaviorTree ID="a"><SafetyGuard name="g">\n<Place name="p" target="sink" entity="cup"/>'
     '</SafetyGuard></BehaviorTree></root>', ["line 2", "<Place>", "['entity']", "relation"]),
    (f'<root><Import src="missing.xml"/><BehaviorTree ID="a">{NAV}</BehaviorTree></root>',
     ["line 1", "missing.xml", "no such file"]),
]


@pytest.mark.parametrize("text, words", BAD)
def test_bad_xml_is_a_clear_error_naming_the_file(tmp_path, text, words):
    f = tmp_path / "bad.xml"
    f.write_text(text)
    with pytest.raises(TreeSpecError) as e:
        load_tree(f)
    msg = str(e.value)
    assert str(f) in msg and all(w in msg for w in words), msg


def test_bad_bytes_and_huge_xml_files_are_refused_before_parsing(tmp_path):
    f = tmp_path / "bin.xml"
    f.write_bytes(b"\xff\xfe<root/>")
    with pytest.raises(TreeSpecError, match="not UTF-8"):
        load_tree(f)
    big = tmp_path / "big.xml"
    big.write_text("<root>" + "<!-- x -->" * 120_000 + "</root>")
    with pytest.raises(TreeSpecError, match="max_bytes"):
        load_tree(big)


def test_cli_bad_xml_exits_2_without_a_traceback(tmp_path):
    f = tmp_path / "bad.xml"
    f.write_text(BAD[0][0])
    r = _cli("run", "--world", "kinematic", "--tree", str(f), "--no-log", "--engine", "none")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert str(f) in r.stderr and "line 2" in r.stderr


def _xml(tmp_path: Path, body: str) -> Path:
    f = tmp_path / "t.xml"
    f.write_text(f'<root BTCPP_format="4"><BehaviorTree ID="t">{body}</BehaviorTree></root>')
    return f


def test_xml_trees_get_the_validators_checks(tmp_path):
    ents = executive.simulated_world().entities()
    typo = load_tree(_xml(tmp_path, '<SafetyGuard name="g"><NavigateTo name="go" target="kitchn"/>'
                                    '</SafetyGuard>'))
    msgs = [str(i) for i in errors(validate(typo, entities=ents, hand_written=True))]
    assert any("'kitchn' is not in the world" in m and "did you mean 'kitchen'" in m for m in msgs)
    bare = load_tree(_xml(tmp_path, '<Sequence name="s"><Pick name="p" entity="red_cup"/></Sequence>'))
    out = executive.run_tree(bare, engine="none")
    assert out.outcome == "refused" and "actuating leaf is not under a safety guard" in out.message
    loose = load_tree(_xml(tmp_path, '<SafetyGuard name="outer" linear_velocity="0.5"><SafetyGuard '
                                     'name="inner" linear_velocity="0.9"><NavigateTo name="go" '
                                     'target="kitchen"/></SafetyGuard></SafetyGuard>'))
    issues = validate(loose, entities=ents, hand_written=True)
    assert any(i.rule == "guard-limits" and i.severity == "warning" for i in issues)
    assert any(i.rule == "guard-limits" and i.severity == "error"
               for i in validate(loose, entities=ents, hand_written=True, strict=True))
    wired = load_tree(_xml(tmp_path, '<SafetyGuard name="g" linear_velocity="{v}"><NavigateTo '
                                     'name="go" target="kitchen"/></SafetyGuard>'))
    assert any("must be constants" in str(i) for i in errors(validate(wired)))


def test_recovery_chains_in_xml_run_like_their_yaml_twin():
    xml_tree = load_tree(ROOT / "examples" / "trees" / "patrol.xml")
    yaml_tree = load_tree(ROOT / "examples" / "trees" / "patrol.yaml")
    # load_tree gives the names the file wrote (py_trees' parser prefixes the parents' names)
    assert render(xml_tree, "unicode") == render(yaml_tree, "unicode")
    ents = executive.simulated_world().entities()
    assert validate(xml_tree, entities=ents, hand_written=True) == []  # chains: no warnings
    out_xml = executive.run_tree(xml_tree, engine="none")
    out_yaml = executive.run_tree(yaml_tree, engine="none")
    assert out_xml.outcome == out_yaml.outcome == "succeeded", out_xml.message
    assert out_xml.trace_sha256 == out_yaml.trace_sha256  # the same tree, tick for tick
    assert [s.status for s in out_xml.steps] == ["succeeded", "succeeded"]


def test_the_validator_checks_the_wiring_of_ports(tmp_path):
    assert not [i for i in validate(load_tree(EXAMPLE), hand_written=True) if i.rule == "ports"]
    dangling = load_tree(_xml(tmp_path, '<SafetyGuard name="g"><NavigateTo name="go" target="{where}"/>'
                                        '</SafetyGuard>'))
    (issue,) = [i for i in validate(dangling, hand_written=True) if i.rule == "ports"]
    assert issue.severity == "warning" and "{where}" in issue.message and issue.path == "g/go"
    assert [i.severity for i in validate(dangling, hand_written=True, strict=True)
            if i.rule == "ports"] == ["error"]
    mismatch = load_tree(_xml(tmp_path, '<Sequence name="s"><Detect name="look" entity="red_cup" '
                                        'pose="{p}"/><SafetyGuard name="g"><NavigateTo name="go" '
                                        'target="{p}"/></SafetyGuard></Sequence>'))
    errs = [str(i) for i in errors(validate(mismatch, hand_written=True)) if i.rule == "ports"]
    assert errs and "list[float]" in errs[0] and "s/look" in errs[0] and "target" in errs[0]
    out = executive.run_tree(mismatch, engine="none")
    assert out.outcome == "refused" and out.ticks == 0


def test_cli_compile_renders_the_xml_tree_with_its_wiring():
    r = _cli("compile", "--tree", str(EXAMPLE), "--format", "json", "--no-ground")
    assert r.returncode == 0, r.stderr
    assert '"location": "{cup_place}"' in r.stdout and '"type": "SafetyGuard"' in r.stdout


def test_the_python_xml_example_runs(capsys):
    import runpy  # the example as its user runs it: a script, not a module of ours

    example = runpy.run_path(str(ROOT / "examples" / "python" / "xml_tree.py"), run_name="xml_tree_example")
    out = example["main"]()
    assert out.outcome == "succeeded", out.message
    assert "'/cup': 'red_cup'" in capsys.readouterr().out


def test_bt_cpp_standard_nodes_by_their_own_names(tmp_path):
    f = _xml(tmp_path, '<Sequence name="s">'
             '<ForceSuccess name="fs"><AlwaysFailure name="af"/></ForceSuccess>'
             '<RetryUntilSuccessful name="r" num_attempts="2"><SafetyGuard name="g">'
             '<NavigateTo name="go" target="kitchen"/></SafetyGuard></RetryUntilSuccessful>'
             '<ReactiveFallback name="rf"><AlwaysFailure name="af2"/><AlwaysSuccess name="ok"/>'
             '</ReactiveFallback></Sequence>')
    root = load_tree(f)
    retry = next(n for n in root.iterate() if type(n).__name__ == "RetryUntilSuccessful")
    assert retry.params() == {"attempts": 2, "backoff_s": 0.0, "factor": 1.0}
    reactive = next(n for n in root.iterate() if type(n).__name__ == "ReactiveFallback")
    assert reactive.memory is False
    assert executive.run_tree(root, engine="none").outcome == "succeeded"
    f.write_text(f.read_text().replace("ForceSuccess", "ForceFailure"))
    assert executive.run_tree(load_tree(f), engine="none").outcome != "succeeded"


def test_yaml_leaves_wire_ports_the_same_way(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text("""tree:
  sequence:
    name: mine
    children:
      - guard: {name: g0, child: {leaf: {type: navigate, name: k, target: kitchen}}}
      - leaf: {type: detect, name: look, entity: red_cup, search: [counter, kitchen_table],
               location: "{where}"}
      - guard: {name: g1, child: {leaf: {type: navigate, name: go, target: "{where}"}}}
""")
    root = load_tree(f)
    assert not [i for i in validate(root, hand_written=True) if i.rule == "ports"]
    out = executive.run_tree(root, engine="none")
    assert out.outcome == "succeeded", out.message
    assert py_trees.blackboard.Blackboard.storage["/where"] == "kitchen_table"


def test_unnamed_xml_nodes_get_their_tag_not_a_uuid(tmp_path):
    f = _xml(tmp_path, '<Sequence><SafetyGuard><NavigateTo target="kitchen"/></SafetyGuard></Sequence>')
    text = render(load_tree(f), "unicode")
    assert text == render(load_tree(f), "unicode")  # deterministic: golden-able
    assert text.split() == ["{-}", "Sequence", "-^-", "SafetyGuard", "-->", "NavigateTo"]


def test_the_validator_warns_when_a_key_is_read_before_its_writer(tmp_path):
    f = _xml(tmp_path, '<Sequence name="s"><SafetyGuard name="g"><NavigateTo name="go" '
             'target="{where}"/></SafetyGuard><Detect name="look" entity="red_cup" '
             'location="{where}"/></Sequence>')
    (issue,) = [i for i in validate(load_tree(f), hand_written=True) if i.rule == "ports"]
    assert "before its writer s/look" in issue.message and issue.severity == "warning"


def test_mangled_xml_never_escapes_as_anything_but_a_tree_error(tmp_path):
    import random

    rng = random.Random(19)
    text = EXAMPLE.read_text()
    f = tmp_path / "m.xml"
    outcomes = {"error": 0, "tree": 0}
    for _ in range(150):
        chars = list(text)
        for _ in range(rng.randint(1, 6)):  # cut, duplicate or overwrite a few spans
            i = rng.randrange(len(chars))
            op = rng.randrange(3)
            if op == 0:
                del chars[i:i + rng.randint(1, 40)]
            elif op == 1:
                chars[i:i] = chars[i:i + rng.randint(1, 40)]
            else:
                chars[i] = rng.choice('<>/="{}.& \\nabcXYZ0')
        f.write_text("".join(chars))
        try:
            root = load_tree(f)
        except TreeSpecError as e:
            assert str(f) in str(e)
            outcomes["error"] += 1
        else:
            validate(root, hand_written=True)  # a tree that loads can always be checked
            outcomes["tree"] += 1
    assert outcomes["error"] > 100  # most mangles break the file: every one a clear error


def test_our_ports_init_sets_what_py_trees_portsmixin_init_sets():
    """PortsBound skips PortsMixin.__init__ (its abstract-class scan costs ~120 µs a node) and
    sets the same attributes itself: a py_trees upgrade that adds one must fail here."""

    class Plain(py_trees.ports.BehaviourWithPorts, register=False):
        INPUT_PORTS: dict = {}  # noqa: RUF012
        OUTPUT_PORTS: dict = {}  # noqa: RUF012

        def update(self) -> py_trees.common.Status:
            return py_trees.common.Status.SUCCESS

    theirs = set(vars(Plain("p"))) - set(vars(py_trees.behaviours.Success("s")))
    ours = set(vars(NavigateTo("go", "kitchen")))
    assert theirs and theirs <= ours, theirs - ours
    from behaviours.base import PortsBound

    class Undeclared(PortsBound, py_trees.behaviour.Behaviour):  # no INPUT_/OUTPUT_PORTS
        pass

    with pytest.raises(TypeError, match="abstract"):
        Undeclared(name="u")
