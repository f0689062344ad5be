"""Shared test configuration: hypothesis profiles (CI is deterministic and bounded)."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# Runs started by tests write their execution logs to a temporary folder, not ./logs.
if "EXECUTIVE_LOG_DIR" not in os.environ:
    import tempfile

    os.environ["EXECUTIVE_LOG_DIR"] = tempfile.mkdtemp(prefix="executive-test-logs-")


def _snapshot_plugin_installed() -> bool:
    """True when the installed package registers the plugin itself (pytest11 entry point)."""
    from importlib.metadata import entry_points

    return any(ep.value == "executive.pytest_plugin" for ep in entry_points(group="pytest11"))


# tree_snapshot / run_snapshot and --update-goldens (executive/pytest_plugin.py) for this suite,
# also before the package is reinstalled with its entry point.
if not _snapshot_plugin_installed():
    pytest_plugins = ["executive.pytest_plugin"]
