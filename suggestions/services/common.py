"""What every service does: lock the row, check the transition, record the event; and the input checks they share."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import clock
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
from suggestions.transitions import TRANSITIONS, actors_of, check


def _lock(suggestion: Suggestion) -> Suggestion:
    """Re-read the row under a lock: the state we check is the state we change."""
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def begin(suggestion: Suggestion, action: str, actor) -> tuple[Suggestion, frozenset]:
    locked = _lock(suggestion)
    actors = actors_of(actor, locked)
    check(suggestion=locked, action=action, actors=actors)
    return locked, actors


def record(suggestion: Suggestion, *, actor, action: str, from_state: str, note: str = "", data=None):
    """Append the event; refuse loudly if a service ever tried an edge the table does not hold."""
    rule = TRANSITIONS.get((from_state, action))
    if action != Action.CREATE and (rule is None or suggestion.state not in rule.targets):
        raise RuntimeError(f"{action}: {from_state} → {suggestion.state} is not in the transition table")
    return SuggestionEvent.objects.create(
        suggestion=suggestion,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_state=from_state,
        to_state=suggestion.state,
        note=note,
        data=data or {},
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


def close_pending_requests(suggestion: Suggestion, *, actor, note: str) -> None:
    """Pending extension and return requests lapse when the item moves past them."""
    now = clock.now()
    suggestion.extensions.filter(status=RequestStatus.PENDING).update(
        status=RequestStatus.REJECTED, decided_by=actor, decided_at=now, decision_note=note
    )
    suggestion.return_requests.filter(status=RequestStatus.PENDING).update(
        status=RequestStatus.REJECTED, decided_by=actor, decided_at=now, decision_note=note
    )


def own_assignment(suggestion: Suggestion, actor) -> Assignment:
    return suggestion.assignments.select_for_update().get(active=True, unit_id=actor.unit_id)
