"""Observability: per-tick snapshots, the MCAP execution log, its summary, and the tree viewer."""

from executive.observe.snapshot import SnapshotBuilder, SnapshotSink, apply, new_state, replay

__all__ = ["SnapshotBuilder", "SnapshotSink", "apply", "new_state", "replay"]
