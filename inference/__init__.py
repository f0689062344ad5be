"""VLA engine contract, backends, the asynchronous chunk runner and the action safety chain.

Layering (DESIGN.md): the lowest layer; numpy only, backends imported lazily.
"""
