"""py_trees leaves, conditions, safety guards and recovery, plus the robot ports they call.

Layering (docs/DESIGN.md): may import py_trees and ``inference``; never ``trees`` or ``executive``.
"""
