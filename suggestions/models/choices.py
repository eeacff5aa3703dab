"""The states a suggestion passes through, the actions that move it, and the classes and ratings of replies."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.models import OpinionCategory


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    REPLIED = "replied", _("Replied")
    REHANDLING = "rehandling", _("Re-handling")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States in which a unit owes a reply, and the state in which the office owes an assignment.
AWAITING_REPLY = (State.ASSIGNED, State.IN_PROGRESS, State.REHANDLING)
AWAITING_ASSIGNMENT = (State.SUBMITTED,)


# One list of categories for opinions and the suggestions they become (城建, 交通, 环境 …).
Category = OpinionCategory


class ReplyClass(models.TextChoices):
    A = "A", _("A: solved or basically solved")
    B = "B", _("B: being solved or planned")
    C = "C", _("C: to be solved when conditions allow")
    D = "D", _("D: kept for reference")


# Replies of these classes stay tracked after closing (回头看) until the unit reports the matter solved.
FOLLOW_UP_CLASSES = (ReplyClass.B, ReplyClass.C)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


SATISFIED_RATINGS = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)


class Action(models.TextChoices):
    """Everything that can happen to a suggestion; each one is a service and an event."""

    CREATE = "create", _("Create draft")
    UPDATE = "update", _("Edit")
    COSIGN = "cosign", _("Co-sign")
    SUBMIT = "submit", _("Submit")
    RETURN = "return", _("Return")
    RESUBMIT = "resubmit", _("Resubmit")
    ASSIGN = "assign", _("Assign")
    REQUEST_RETURN = "request_return", _("Ask to return")
    DECIDE_RETURN = "decide_return", _("Decide on return request")
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    CO_UNIT_OPINION = "co_unit_opinion", _("Co-unit opinion")
    RECORD_CONTACT = "record_contact", _("Record contact")
    REPLY = "reply", _("Reply")
    EVALUATE = "evaluate", _("Evaluate")
    EXTEND = "extend", _("Extend deadline")
    DECIDE_EXTENSION = "decide_extension", _("Decide on extension")
    SUPERVISE = "supervise", _("Supervise")
    WITHDRAW = "withdraw", _("Withdraw")
    FOLLOW_UP = "follow_up", _("Follow-up update")
    # Not a step of the lifecycle: a deadline counted provisionally moved when the official calendar came.
    RECOMPUTE_DEADLINE = "recompute_deadline", _("Deadline recomputed")
