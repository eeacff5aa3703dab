"""What every service does: lock the row, check the transition, record the event; and the input checks they share."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.backdating import check_past_day, moment_of
from core.uploads import clean_document
from suggestions import deadlines
from suggestions.models import (
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_KINDS,
    ATTACHMENT_MAX_BYTES,
    Action,
    Assignment,
    RequestStatus,
    Suggestion,
    SuggestionEvent,
)
from suggestions.transitions import (
    TRANSITIONS,
    actors_of,
    back_record_refusal,
    check,
    check_back_record,
    may_back_record,
)


def _lock(suggestion: Suggestion) -> Suggestion:
    """Re-read the row under a lock: the state we check is the state we change."""
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def begin(suggestion: Suggestion, action: str, actor) -> tuple[Suggestion, frozenset]:
    locked = _lock(suggestion)
    actors = actors_of(actor, locked)
    check(suggestion=locked, action=action, actors=actors)
    return locked, actors


@dataclass(frozen=True)
class When:
    """When a step happened: today and now, or the date it is back-recorded with (补录).

    ``at`` is the moment stored on the step's rows and its event: now for a step taken today, noon of
    the day for a past one (never before the previous event, so the timeline keeps its order).
    """

    day: date
    at: datetime
    back_recorded: bool = False


def now_when() -> When:
    return When(day=clock.today(), at=clock.now())


def back_record_when(suggestion: Suggestion, actor, happened_on) -> When:
    """Check a back-recorded step's date and who gives it; ``ValidationError`` under ``happened_on``.

    Only the office (or station staff for their stations' deputies) may give one: anyone else is
    refused with a 400 rather than having the date silently dropped. The date is a real date, not in
    the future and not before the suggestion's previous step (``core.backdating``).
    """
    if not may_back_record(actor, suggestion):
        raise back_record_refusal()
    previous = None
    if suggestion.pk is not None:
        previous = (
            suggestion.events.exclude(action=Action.RECOMPUTE_DEADLINE)
            .order_by("-at", "-id")
            .values_list("at", flat=True)
        ).first()
    check_past_day(happened_on, not_before=timezone.localdate(previous) if previous is not None else None)
    at = moment_of(happened_on)
    if previous is not None and at < previous:
        at = previous
    return When(day=happened_on, at=at, back_recorded=True)


def begin_dated(suggestion: Suggestion, action: str, actor, happened_on=None) -> tuple[Suggestion, frozenset, When]:
    """``begin`` for a step that may be back-recorded: without ``happened_on`` it is taken now by whoever
    the table allows; with it, the office or station staff record it for whoever took it then."""
    if happened_on is None:
        locked, actors = begin(suggestion, action, actor)
        return locked, actors, now_when()
    locked = _lock(suggestion)
    when = back_record_when(locked, actor, happened_on)
    check_back_record(suggestion=locked, action=action)
    return locked, actors_of(actor, locked), when


def record(
    suggestion: Suggestion,
    *,
    actor,
    action: str,
    from_state: str,
    note: str = "",
    data=None,
    when: When | None = None,
):
    """Append the event; refuse loudly if a service ever tried an edge the table does not hold.

    A back-recorded step (``when.back_recorded``) is stored at the moment it happened, with the moment
    it was entered (``entered_at``) beside the user who entered it (``actor``)."""
    rule = TRANSITIONS.get((from_state, action))
    if action != Action.CREATE and (rule is None or suggestion.state not in rule.targets):
        raise RuntimeError(f"{action}: {from_state} → {suggestion.state} is not in the transition table")
    extra = {}
    if when is not None:
        extra["at"] = when.at
        if when.back_recorded:
            extra["entered_at"] = clock.now()
    return SuggestionEvent.objects.create(
        suggestion=suggestion,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_state=from_state,
        to_state=suggestion.state,
        note=note,
        data=data or {},
        **extra,
    )


def clean_text(value, field: str, message: str, *, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if max_length and len(value) > max_length:
        raise ValidationError(
            {field: _("At most %(n)s characters, please (this has %(m)s).") % {"n": max_length, "m": len(value)}}
        )
    return value


def clean_choice(value, choices, field: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: _("Choose one of the listed options.")})
    return value


def clean_upload(upload, field: str):
    """A verified copy of the upload under a generated name (``core.uploads``), or None without one."""
    if upload is None:
        return None
    return clean_document(
        upload,
        field=field,
        kinds=ATTACHMENT_KINDS,
        max_bytes=ATTACHMENT_MAX_BYTES,
        invalid_message=_("Files of this type cannot be attached; use one of: %(types)s.")
        % {"types": ", ".join(ATTACHMENT_EXTENSIONS)},
        too_big_message=_("The file is larger than %(mb)s MB.") % {"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)},
    )


def start_assignment_clock(suggestion: Suggestion, day: date) -> None:
    """The office's N working days to assign start on ``day`` (not saved here)."""
    suggestion.assign_counted_from = day
    suggestion.assign_due, suggestion.assign_due_provisional = deadlines.assignment_due(day)


def assign_due_data(suggestion: Suggestion) -> dict:
    data = {"assign_due": suggestion.assign_due.isoformat()}
    if suggestion.assign_due_provisional:
        data["provisional"] = True
    return data


def close_pending_requests(suggestion: Suggestion, *, actor, note: str, at: datetime | None = None) -> None:
    """Pending extension and return requests lapse when the item moves past them (``at``: when; now by default)."""
    now = at or clock.now()
    suggestion.extensions.filter(status=RequestStatus.PENDING).update(
        status=RequestStatus.REJECTED, decided_by=actor, decided_at=now, decision_note=note
    )
    suggestion.return_requests.filter(status=RequestStatus.PENDING).update(
        status=RequestStatus.REJECTED, decided_by=actor, decided_at=now, decision_note=note
    )


def own_assignment(suggestion: Suggestion, actor) -> Assignment:
    return suggestion.assignments.select_for_update().get(active=True, unit_id=actor.unit_id)


def acting_assignment(suggestion: Suggestion, actor, when: When, unit=None, *, roles=None) -> Assignment:
    """The active assignment of the unit taking a unit's step: the actor's own unit for a step taken now;
    for one recorded afterwards by the office or station staff, the ``unit`` named (one of the active
    assignments with ``roles``), which may be left out when only one such unit is assigned.

    A step recorded afterwards is not dated before that unit's assignment."""
    if not when.back_recorded:
        if unit is not None and unit.pk != actor.unit_id:
            raise ValidationError({"unit": _("Only a step recorded afterwards names the unit that took it.")})
        return own_assignment(suggestion, actor)
    candidates = suggestion.assignments.select_for_update(of=("self",)).filter(active=True)
    if roles is not None:
        candidates = candidates.filter(role__in=roles)
    candidates = list(candidates.select_related("unit"))
    if unit is not None:
        candidates = [a for a in candidates if a.unit_id == unit.pk]
    if len(candidates) != 1:
        raise ValidationError({"unit": _("Choose the unit, one of those assigned to this suggestion.")})
    assignment = candidates[0]
    check_past_day(when.day, not_before=assignment.assigned_on)
    return assignment


def check_not_before_request(when: When, requested_at: datetime) -> None:
    """A decision recorded afterwards is not dated before the request it decides."""
    if when.back_recorded:
        check_past_day(when.day, not_before=timezone.localdate(requested_at))
