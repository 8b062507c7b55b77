"""The exact CP-SAT slate model: variables, constraints, objective, composed in ``model``."""
