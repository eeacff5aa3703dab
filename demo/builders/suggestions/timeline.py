"""Moving a suggestion's record back in time, so that the demo's timeline spans weeks and months."""

from datetime import date, timedelta

from django.utils import timezone

from suggestions import deadlines
from suggestions.models import (
    Assignment,
    Contact,
    CoUnitOpinion,
    Evaluation,
    Extension,
    FollowUp,
    Reply,
    ReturnRequest,
    State,
    Suggestion,
    SuggestionEvent,
    SupervisionNote,
)

# Every date and time column of a suggestion's record, by model (the suggestion itself first).
_DATED = [
    (
        Suggestion,
        "pk",
        [
            "created_at",
            "submitted_at",
            "assign_due",
            "assign_counted_from",
            "assigned_on",
            "reply_due",
            "return_request_due",
            "first_replied_on",
            "closed_at",
            "withdrawn_at",
            "follow_up_solved_on",
        ],
    ),
    (Assignment, "suggestion", ["assigned_on", "opinion_due", "ended_at"]),
    (CoUnitOpinion, "suggestion", ["submitted_at"]),
    (Contact, "suggestion", ["contacted_on", "recorded_at"]),
    (Reply, "suggestion", ["replied_at", "replied_on", "due_on"]),
    (Evaluation, "suggestion", ["evaluated_at"]),
    (Extension, "suggestion", ["previous_due", "new_due", "requested_at", "decided_at"]),
    (ReturnRequest, "suggestion", ["requested_at", "decided_at"]),
    (SupervisionNote, "suggestion", ["created_at"]),
    (FollowUp, "suggestion", ["recorded_at"]),
    (SuggestionEvent, "suggestion", ["at"]),
]


def age(suggestion: Suggestion, days: int) -> None:
    """Move everything recorded so far ``days`` days back, as if that much time had passed since.

    Demo data only: this rewrites timestamps (including the timeline's) with bulk updates, which
    no part of the product ever does.
    """
    delta = timedelta(days=days)
    for model, link, fields in _DATED:
        rows = list(model.objects.filter(**{link: suggestion.pk}).only("pk", *fields))
        for row in rows:
            for name in fields:
                value = getattr(row, name)
                if value is not None:
                    setattr(row, name, value - delta)
        model.objects.bulk_update(rows, fields)
    # The timeline's details quote deadlines as ISO dates: move them too.
    events = list(SuggestionEvent.objects.filter(suggestion=suggestion.pk))
    for event in events:
        for key in ("assign_due", "reply_due", "new_due", "contacted_on"):
            if event.data.get(key):
                event.data[key] = (date.fromisoformat(event.data[key]) - delta).isoformat()
    SuggestionEvent.objects.bulk_update(events, ["data"])


def recompute_working_day_deadlines(suggestion: Suggestion) -> None:
    """Working-day deadlines do not move by calendar days: recompute them from the moved dates."""
    submits = list(suggestion.events.filter(action__in=["submit", "resubmit"]).order_by("at", "id"))
    counted = None
    for event in submits:
        counted = deadlines.assignment_due(timezone.localtime(event.at).date())
        event.data["assign_due"] = counted.due.isoformat()
        event.data.pop("provisional", None)
        if counted.provisional:
            event.data["provisional"] = True
    SuggestionEvent.objects.bulk_update(submits, ["data"])
    changes = {}
    if suggestion.state == State.SUBMITTED and counted is not None:
        changes["assign_counted_from"] = timezone.localtime(submits[-1].at).date()
        changes["assign_due"], changes["assign_due_provisional"] = counted
    if suggestion.assigned_on:
        changes["return_request_due"], changes["return_request_due_provisional"] = deadlines.return_request_due(
            suggestion.assigned_on
        )
    if changes:
        Suggestion.objects.filter(pk=suggestion.pk).update(**changes)
