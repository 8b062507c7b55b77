"""Planning models: the greedy baseline, the CP-SAT slate scheduler and the PuLP capacity models.

Solver code reads only :class:`scheduler.domain.model.Scenario` and returns
:class:`scheduler.domain.plan.Plan`; it never sees files, DataFrames or database rows.
"""
