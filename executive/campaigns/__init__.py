"""Fault campaigns: many seeded episodes as Ray tasks, one results file, one report.

``matrix`` (what to run) → ``run`` (Ray or serial, streaming to ``store``) → ``episode`` (one
``executive run`` with the independent command auditor, ``audit``) → ``report`` (figures + HTML).
The command line is ``executive campaign`` (``executive/campaigns/cli.py``).
"""
