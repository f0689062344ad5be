"""Shared helpers for the observability tests: compiled runs, a live viewer over one, a Chromium
finder, a CLI runner, async clients on their own thread."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
EX = ROOT / "examples"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def executive_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("executive")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "executive.cli"]


def run_plan(plan: str = "bring_red_cup_to_sink.yaml", seed: int = 1, faults: str = "", sinks=()):
    """Compile and run an example in lockstep; returns (outcome, runtime, backend, compiled)."""
    from executive.compiler import compile_plan
    from executive.plan import load_plan
    from executive.runtime import RunConfig, Runtime
    from executive.sim.backend import SimBackend

    backend = SimBackend.create(seed=seed, faults=faults)
    compiled = compile_plan(load_plan(EX / plan), backend.entities())
    rt = Runtime(backend, RunConfig(), sinks=list(sinks))
    return rt, backend, compiled


def live_server(**kw: Any):
    """A started viewer over a compiled run (not ticked) whose controls reach the run's gate;
    returns (server, sink, runtime, compiled). The caller stops the server."""
    from executive.observe.server import ViewerServer
    from executive.observe.sink import SnapshotSink

    sink = SnapshotSink(target_rate_hz=10)
    rt, backend, compiled = run_plan(sinks=[sink])
    srv = ViewerServer(sink, port=0, target_rate_hz=10, gate=rt.gate,
                       controls={"estop": lambda: rt.gate.estop("test"), "reset": rt.gate.reset}, **kw)
    srv.start()
    return srv, sink, rt, compiled


def run_in_own_thread(client: Callable[[], Coroutine[Any, Any, Any]], timeout: float) -> None:
    """Run an async client to the end on its own thread (Playwright's sync API may own this
    thread's event loop) and raise here whatever it raised."""
    box: dict[str, BaseException] = {}

    def runner() -> None:
        try:
            asyncio.run(client())
        except BaseException as e:
            box["error"] = e

    th = threading.Thread(target=runner)
    th.start()
    th.join(timeout)
    if "error" in box:
        raise box["error"]


def chromium_path() -> str | None:
    for p in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if p and os.access(p, os.X_OK):
            return p
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        subprocess.run(["bash", str(ROOT / "tools" / "install_browser.sh")], check=False, timeout=600,
                       capture_output=True)
        path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed and could not be installed (tools/install_browser.sh)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright (Python) is not installed, needed to drive Chromium")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def start_cli(args: list[str], env_extra: dict[str, str] | None = None, cwd: Path | None = None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.Popen([*executive_cmd(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=cwd)


def wait_for_line(proc: subprocess.Popen, pattern: str, timeout: float = 20.0) -> re.Match:
    """Read stderr lines until one matches (bounded)."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        seen.append(line)
        m = re.search(pattern, line)
        if m:
            return m
    raise AssertionError(f"no line matching {pattern!r}; got {seen!r}")
