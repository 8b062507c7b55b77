"""Scene sequencing: the order of a shoot's scenes that pays the actors least (talent scheduling).

:class:`TalentProblem` holds the scenes, their days and actors and the
actors' day rates; :func:`sequence` returns the cheapest order, proven
optimal by an exact dynamic programme unless a time limit stops it, and
:func:`best_orders` the few cheapest orders of a short shoot.
"""

from solver.sequence.best_orders import best_orders
from solver.sequence.sequencer import sequence
from solver.sequence.talent import SequenceResult, TalentProblem

__all__ = ["SequenceResult", "TalentProblem", "best_orders", "sequence"]
