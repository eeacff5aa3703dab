"""民生实事项目票决制: the yearly cycle from candidate pool to published evaluation.

A ``YearCycle`` moves through its stages only through ``livelihood.services``; every change
writes a ``CycleEvent``. Votes are secret: results expose counts, the office audit exposes who
voted, and only the deputy sees their own choices.

One module per part (``choices``, ``cycle``, ``voting``, ``projects``); this package imports
every model and choice, so Django finds the models and the app imports them from
``livelihood.models``.
"""

from livelihood.models.choices import (
    ACTION_LABELS,
    STAGE_ORDER,
    BallotChannel,
    Choice,
    ProposerKind,
    Rating,
    Stage,
    VoteResult,
)
from livelihood.models.cycle import Candidate, CycleEvent, YearCycle
from livelihood.models.projects import (
    Milestone,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    ProjectRating,
    SubItem,
    SupervisionVisit,
)
from livelihood.models.voting import Attendance, Ballot, BallotChoice, VotingSession

__all__ = [
    "ACTION_LABELS",
    "STAGE_ORDER",
    "Attendance",
    "Ballot",
    "BallotChannel",
    "BallotChoice",
    "Candidate",
    "Choice",
    "CycleEvent",
    "Milestone",
    "ProgressPhoto",
    "ProgressUpdate",
    "Project",
    "ProjectRating",
    "ProposerKind",
    "Rating",
    "Stage",
    "SubItem",
    "SupervisionVisit",
    "VoteResult",
    "VotingSession",
    "YearCycle",
]
