"""The executive: plans, compiler, validator, runtime, simulated world, CLI."""

__version__ = "0.1.0"
