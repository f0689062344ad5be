"""The viewer as a person uses it: headless Chromium on a live run and on a recording."""

from __future__ import annotations

import shutil
import time

from executive.cli import main
from executive.observe.server import ViewerServer

from .conftest import EX, ROOT, start_cli, wait_for_line

SHOTS = ROOT / "docs" / "screenshots"


def _page(browser):
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


def _screenshot(page, tmp_path, name: str) -> None:
    """The page as shown, into docs/screenshots/ (via tmp_path, so a failed write leaves none)."""
    shot = tmp_path / name
    page.screenshot(path=str(shot))
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, SHOTS / name)


def _statuses(page) -> dict:
    return page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('.node')].map(n => "
        "[n.dataset.id, n.className.replace('node ', '').replace(' active', '')]))")


def test_live_view_renders_the_tree_and_statuses_change(browser, tmp_path):
    log = tmp_path / "live.mcap"
    p = start_cli(["run", "--world", "kinematic",
                   "--plan", str(EX / "bring_red_cup_to_sink.yaml"), "--seed", "1",
                   "--faults", "grasp_fail=0.6", "--clock", "realtime", "--rate", "20",
                   "--view", "--port", "0", "--linger", "2", "--log", str(log)])
    try:
        url = wait_for_line(p, r"viewer: (http://127\.0\.0\.1:\d+/)").group(1)
        page, errors = _page(browser)
        page.goto(url)
        page.wait_for_selector(".node", timeout=15000)
        page.wait_for_function("window.__viewer.state.tick > 5", timeout=15000)
        n = page.locator(".node").count()
        assert n == 97  # every behaviour of the compiled tree (VLA pick and place)
        first = _statuses(page)
        deadline = time.monotonic() + 20
        changed: list[str] = []
        while not changed and time.monotonic() < deadline:  # bounded: the robot reaches the cup
            time.sleep(0.25)
            second = _statuses(page)
            changed = [k for k in first if first[k] != second[k]]
        assert changed, "no node changed status in the page while the run ticked"
        assert page.locator(".node.active").count() >= 3  # the active path is marked
        assert page.locator(".node.RUNNING").count() >= 1
        assert "RUNNING" in page.locator(".node[data-id='0'] .badge").inner_text()
        assert page.locator("#limits tr").count() >= 2  # header + robot scope (+ guards)
        assert page.evaluate("document.getElementById('camera').src").startswith("data:image/png;base64,")
        assert float(page.locator("#s-rate").inner_text()) > 5
        assert page.locator("#mode").inner_text() == "live"
        _screenshot(page, tmp_path, "live.png")
        assert not errors, errors
        page.close()
    finally:
        p.kill()
        p.wait(10)


def _faulty_replay(tmp_path, capsys) -> ViewerServer:
    """A started replay viewer over ``faulty.mcap``: the seed-1 cup run with grasp and path faults."""
    logs = tmp_path / "logs"
    main(["run", "--world", "kinematic", "--plan", str(EX / "bring_red_cup_to_sink.yaml"), "--seed", "1",
          "--faults", "grasp_fail=0.6,blocked_path=0.3", "--engine", "none",
          "--log", str(logs / "faulty.mcap")])
    capsys.readouterr()
    srv = ViewerServer(None, log_dir=logs, default_file="faulty.mcap", port=0)
    srv.start()
    return srv


def test_replay_scrubs_tick_by_tick(browser, tmp_path, capsys):
    srv = _faulty_replay(tmp_path, capsys)
    try:
        page, errors = _page(browser)
        page.goto(srv.url)
        page.wait_for_selector("#replay:not(.hidden)", timeout=15000)
        page.wait_for_function("window.__viewer.rec && window.__viewer.rec.pos === 0", timeout=15000)
        page.wait_for_selector(".node", timeout=15000)
        assert page.locator(".node").count() == 79
        total = page.evaluate("window.__viewer.rec.snapshots.length")
        assert total > 500
        at0 = _statuses(page)
        # step with the button, then with the keyboard
        page.click("#fwd")
        page.wait_for_function("window.__viewer.rec.pos === 1")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("window.__viewer.rec.pos === 2")
        # scrub with the range input (as a drag would) to a tick after the first grasp fault
        page.evaluate("(i) => { const s = document.getElementById('scrub'); s.value = i; "
                      "s.dispatchEvent(new Event('input')); }", 180)
        page.wait_for_function("window.__viewer.rec.pos === 180")
        time.sleep(0.3)
        at180 = _statuses(page)
        assert at0 != at180
        # every position equals a fresh rebuild from the keyframe before it (scrub back and forth)
        for i in (260, 75, 51, 50, 49, 400, total - 1):
            page.evaluate(f"window.__viewer.seek({i})")
            forward = page.evaluate("JSON.stringify(Object.values(window.__viewer.state.behaviours)"
                                    ".map(b => [b.id, b.status, b.data.Feedback]))")
            page.evaluate("window.__viewer.seek(0)")
            page.evaluate(f"window.__viewer.seek({i})")
            fresh = page.evaluate("JSON.stringify(Object.values(window.__viewer.state.behaviours)"
                                  ".map(b => [b.id, b.status, b.data.Feedback]))")
            assert forward == fresh, i
        page.evaluate("window.__viewer.seek(400)")
        time.sleep(0.3)
        assert "tick 401" in page.locator("#scrub-label").inner_text()
        assert page.locator("#events li").count() >= 3
        assert "grasp_fail" in page.locator("#events").inner_text()
        assert "aborted" in page.locator("#s-outcome").inner_text()
        shown = page.locator(".node:visible").count()
        page.check("#fold-idle")  # fold idle subtrees: the active step comes into view
        time.sleep(0.3)
        assert page.locator(".node:visible").count() < shown
        _screenshot(page, tmp_path, "replay.png")
        assert not errors, errors
        page.close()
    finally:
        srv.stop()


def test_500_node_tree_at_50hz_stays_responsive(browser, tmp_path):
    """Synthetic 500-node tree, snapshots at 50 Hz: renders coalesce (~<= 10/s), page responds."""
    import py_trees

    from executive.observe.sink import SnapshotSink

    root = py_trees.composites.Sequence("root", memory=False, children=[])
    for i in range(83):
        leaves = [py_trees.behaviours.Running(f"leaf {i}.{j}") for j in range(4)]
        seq = py_trees.composites.Selector(f"sel {i}", memory=False, children=leaves)
        root.add_child(py_trees.decorators.Inverter(f"inv {i}", seq))
    tree = py_trees.trees.BehaviourTree(root)
    n = sum(1 for _ in root.iterate())
    assert 490 <= n <= 510
    sink = SnapshotSink(target_rate_hz=50)
    srv = ViewerServer(sink, port=0, target_rate_hz=50)
    srv.start()

    class Info:
        def __init__(self, tick):
            self.tick, self.t, self.tree, self.context = tick, tick * 0.02, tree, None
            self.duration_s, self.overrun = 0.001, False

    try:
        page, errors = _page(browser)
        page.goto(srv.url)
        page.wait_for_function("window.__viewer !== undefined")
        r0 = page.evaluate("window.__viewer.renders")
        t0 = time.monotonic()
        tick = 0
        while time.monotonic() - t0 < 3.0:
            tick += 1
            for k, leaf in enumerate(root.iterate()):  # flip some leaves each tick
                if isinstance(leaf, py_trees.behaviours.Running) and (k + tick) % 17 == 0:
                    leaf.feedback_message = f"t{tick}"
            tree.tick()
            sink.on_tick(Info(tick))
            time.sleep(max(0.0, t0 + tick * 0.02 - time.monotonic()))
        page.wait_for_function(f"window.__viewer.state.tick >= {tick - 5}", timeout=5000)
        renders = page.evaluate("window.__viewer.renders") - r0
        assert page.locator(".node").count() == n
        assert 3 <= renders <= 3.5 * 12  # coalesced: ~10 renders/s for 3 s, not 50/s
        t = time.monotonic()
        assert page.evaluate("1 + 1") == 2
        assert time.monotonic() - t < 1.0  # the page's main thread is free
        assert not errors, errors
        page.close()
    finally:
        srv.stop()


def test_graph_view_tick_link_and_rate_in_replay(browser, tmp_path, capsys):
    """Issue 19 item 5: ``?tick=N`` / ``?t=S`` open a recording at that moment, the graph layout
    shows the same tree as the list, the rate is the run's (10 Hz lockstep, not the ~1000 Hz this
    machine computed it at) and the page links to the moment it shows."""
    srv = _faulty_replay(tmp_path, capsys)
    try:
        page, errors = _page(browser)
        page.goto(srv.url + "?file=faulty.mcap&tick=180&view=graph")
        page.wait_for_function("window.__viewer.rec && window.__viewer.rec.pos >= 0", timeout=15000)
        assert page.evaluate("window.__viewer.rec.snapshots[window.__viewer.rec.pos].tick") == 180
        page.wait_for_selector("#graph .g-node", timeout=15000)
        time.sleep(0.3)
        assert page.locator("#tree-scroll").is_hidden() and page.locator("#graph-scroll").is_visible()
        n_graph = page.locator("#graph .g-node").count()
        assert n_graph == 79  # every behaviour, as in the list
        graph_status = page.evaluate(
            "() => Object.fromEntries([...document.querySelectorAll('#graph .g-node')].map(n => "
            "[n.dataset.id, n.getAttribute('class').replace('g-node ', '').replace(' active', '')]))")
        assert graph_status == _statuses(page)  # the same state in both layouts
        assert page.locator("#graph .g-node.active").count() >= 3
        assert "tick=180" in page.evaluate("location.search")
        assert "tick=180" in page.get_attribute("#permalink", "href")
        rate = float(page.locator("#s-rate").inner_text())
        assert abs(rate - 10.0) < 0.5, rate
        assert page.locator("#s-target").inner_text() == "10.0"
        page.check("#fold-idle")  # idle subtrees folded: the whole running branch in view
        time.sleep(0.3)
        assert 5 < page.locator("#graph .g-node").count() < n_graph
        _screenshot(page, tmp_path, "graph.png")
        # list + graph side by side, then a ?t= link
        page.select_option("#view", "both")
        time.sleep(0.3)
        assert page.locator("#tree-scroll").is_visible() and page.locator("#graph-scroll").is_visible()
        page.goto(srv.url + "?file=faulty.mcap&t=30")
        page.wait_for_function("window.__viewer.rec && window.__viewer.rec.pos >= 0", timeout=15000)
        snaps_t = page.evaluate("window.__viewer.rec.snapshots.map(s => s.timestamp)")
        pos = page.evaluate("window.__viewer.rec.pos")
        assert snaps_t[pos] >= 30 and (pos == 0 or snaps_t[pos - 1] < 30)
        # a ?tick= link in the list view, at the end of the run: the rate is the run's average
        total = len(snaps_t)
        last_tick = page.evaluate("window.__viewer.rec.snapshots.at(-1).tick")
        page.goto(srv.url + f"?file=faulty.mcap&tick={last_tick}")
        page.wait_for_function(f"window.__viewer.rec && window.__viewer.rec.pos === {total - 1}",
                               timeout=15000)
        page.wait_for_selector(".node", timeout=15000)
        time.sleep(0.3)
        assert "run average" in page.locator("#s-rate-note").inner_text()
        assert abs(float(page.locator("#s-rate").inner_text()) - 10.0) < 0.5
        assert f"tick {last_tick}" in page.locator("#scrub-label").inner_text()
        _screenshot(page, tmp_path, "tick_link.png")
        assert not errors, errors
        page.close()
    finally:
        srv.stop()
