"""ShootPlan 短剧排期: plans micro-drama shoots across a cluster of shooting bases.

``scheduler`` holds the domain model, scenario I/O and validation, storage,
the plan checker, KPIs and the command line; ``solver`` holds the models.
"""

from scheduler.errors import Problem, ScenarioError
from scheduler.model import (
    Actor,
    Base,
    Crew,
    FilmSet,
    Need,
    Pin,
    Scenario,
    Targets,
    Title,
    Travel,
    Unavailability,
)

__all__ = [
    "Actor",
    "Base",
    "Crew",
    "FilmSet",
    "Need",
    "Pin",
    "Problem",
    "Scenario",
    "ScenarioError",
    "Targets",
    "Title",
    "Travel",
    "Unavailability",
]
