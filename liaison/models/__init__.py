"""The liaison app's models by topic; Django finds them all through this package."""

from liaison.models.opinions import (
    Opinion,
    OpinionCategory,
    OpinionEvent,
    OpinionEventKind,
    OpinionOutcome,
    OpinionPhoto,
    OpinionSource,
    ReferralFeedback,
)
from liaison.models.privacy import PersonalDataAccess, PersonalDataAction
from liaison.models.reception import (
    ReceptionDay,
    ReceptionDayOrigin,
    ReceptionRule,
    ReceptionRuleKind,
    RosterEntry,
    Weekday,
)
from liaison.models.visits import Visit, VisitChannel, VisitConstituent

__all__ = [
    "Opinion",
    "OpinionCategory",
    "OpinionEvent",
    "OpinionEventKind",
    "OpinionOutcome",
    "OpinionPhoto",
    "OpinionSource",
    "PersonalDataAccess",
    "PersonalDataAction",
    "ReceptionDay",
    "ReceptionDayOrigin",
    "ReceptionRule",
    "ReceptionRuleKind",
    "ReferralFeedback",
    "RosterEntry",
    "Visit",
    "VisitChannel",
    "VisitConstituent",
    "Weekday",
]
