"""提 and 交: submission, return by the office, resubmission and withdrawal; assignment to units,
and the units' requests to return an item."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ActionRefused
from organisation.models import HandlingUnit
from suggestions import deadlines
from suggestions.models import (
    Action,
    Assignment,
    AssignmentRole,
    CoSignStatus,
    RequestStatus,
    ReturnRequest,
    State,
    Suggestion,
)
from suggestions.notices import submission as notices
from suggestions.services.common import (
    acting_assignment,
    assign_due_data,
    begin_dated,
    check_not_before_request,
    clean_text,
    close_pending_requests,
    record,
    start_assignment_clock,
)


def _late(due, day) -> dict:
    """``{"late": True}`` for a step taken after the deadline it was due by (shown in the timeline)."""
    return {"late": True} if due is not None and day > due else {}


def _require_cosigners_answered(suggestion: Suggestion) -> None:
    pending = list(suggestion.cosignatures.filter(status=CoSignStatus.PENDING).values_list("deputy__name", flat=True))
    if pending:
        raise ActionRefused(
            _("Co-signers have not all answered yet: %(names)s.") % {"names": "、".join(pending)},
            code="cosigners_pending",
        )


@transaction.atomic
def suggestion_submit(*, suggestion: Suggestion, actor, happened_on=None) -> Suggestion:
    """提: the lead deputy submits once every co-signer has confirmed or declined; the office's clock starts.

    With ``happened_on`` the office (or station staff) records a past submission: the clock starts that day."""
    suggestion, _actors, when = begin_dated(suggestion, Action.SUBMIT, actor, happened_on)
    _require_cosigners_answered(suggestion)
    from_state = suggestion.state
    start_assignment_clock(suggestion, when.day)
    suggestion.state = State.SUBMITTED
    suggestion.submitted_at = suggestion.submitted_at or when.at
    suggestion.save()
    record(
        suggestion,
        actor=actor,
        action=Action.SUBMIT,
        from_state=from_state,
        data=assign_due_data(suggestion),
        when=when,
    )
    if not when.back_recorded:  # a step of the past is not news
        notices.submitted(suggestion, actor=actor)
    return suggestion


@transaction.atomic
def suggestion_return(*, suggestion: Suggestion, actor, reason: str, happened_on=None) -> Suggestion:
    """The office does not accept it as a suggestion (personal matter, no real content …); the deputy sees why."""
    suggestion, _actors, when = begin_dated(suggestion, Action.RETURN, actor, happened_on)
    reason = clean_text(reason, "reason", _("Give the reason for returning it; the deputy will see it."))
    from_state = suggestion.state
    suggestion.state = State.RETURNED
    suggestion.return_reason = reason
    suggestion.assign_due = None
    suggestion.assign_due_provisional = False
    suggestion.save()
    record(suggestion, actor=actor, action=Action.RETURN, from_state=from_state, note=reason, when=when)
    if not when.back_recorded:  # a step of the past is not news
        notices.returned(suggestion, actor=actor, reason=reason)
    return suggestion


@transaction.atomic
def suggestion_resubmit(*, suggestion: Suggestion, actor, happened_on=None) -> Suggestion:
    """The deputy resubmits a returned suggestion after revising it."""
    suggestion, _actors, when = begin_dated(suggestion, Action.RESUBMIT, actor, happened_on)
    _require_cosigners_answered(suggestion)
    from_state = suggestion.state
    start_assignment_clock(suggestion, when.day)
    suggestion.state = State.SUBMITTED
    suggestion.save()
    record(
        suggestion,
        actor=actor,
        action=Action.RESUBMIT,
        from_state=from_state,
        data=assign_due_data(suggestion),
        when=when,
    )
    if not when.back_recorded:  # a step of the past is not news
        notices.submitted(suggestion, actor=actor, resubmitted=True)
    return suggestion


@transaction.atomic
def suggestion_withdraw(*, suggestion: Suggestion, actor, reason: str, happened_on=None) -> Suggestion:
    """The lead deputy withdraws in writing, before any reply."""
    suggestion, _actors, when = begin_dated(suggestion, Action.WITHDRAW, actor, happened_on)
    reason = clean_text(reason, "reason", _("A withdrawal must be in writing: give the reason."))
    from_state = suggestion.state
    suggestion.state = State.WITHDRAWN
    suggestion.withdrawn_at = when.at
    suggestion.withdraw_reason = reason
    suggestion.save()
    close_pending_requests(suggestion, actor=actor, note=_("The suggestion was withdrawn."))
    record(suggestion, actor=actor, action=Action.WITHDRAW, from_state=from_state, note=reason, when=when)
    if not when.back_recorded:  # a step of the past is not news
        notices.withdrawn(suggestion, actor=actor, from_state=from_state, reason=reason)
    return suggestion


# --- 交 ------------------------------------------------------------------------------------------


def _clean_units(lead_unit, co_units) -> list:
    """The co-units to assign, checked against the units' current rows (one query)."""
    if lead_unit is None:
        raise ValidationError({"lead_unit": _("Choose the lead unit.")})
    co_units = list(co_units or ())
    active = set(
        HandlingUnit.objects.filter(pk__in=[lead_unit.pk, *(u.pk for u in co_units)], is_active=True).values_list(
            "pk", flat=True
        )
    )
    if lead_unit.pk not in active:
        raise ValidationError({"lead_unit": _("This unit is no longer active.")})
    result, seen = [], {lead_unit.pk}
    for unit in co_units:
        if unit.pk == lead_unit.pk:
            raise ValidationError({"co_units": _("The lead unit cannot also be a co-unit.")})
        if unit.pk not in active:
            raise ValidationError({"co_units": _("%(unit)s is no longer active.") % {"unit": unit}})
        if unit.pk not in seen:
            seen.add(unit.pk)
            result.append(unit)
    return result


@transaction.atomic
def suggestion_assign(
    *,
    suggestion: Suggestion,
    actor,
    lead_unit: HandlingUnit,
    co_units=(),
    complex: bool = False,
    happened_on=None,
) -> Suggestion:
    """交: the office assigns one lead unit and any co-units; the reply clock (3 months) starts today
    (or on ``happened_on``, for an assignment recorded afterwards: assigned after ``assign_due`` is late)."""
    suggestion, _actors, when = begin_dated(suggestion, Action.ASSIGN, actor, happened_on)
    co_units = _clean_units(lead_unit, co_units)
    today = when.day
    reply_due = deadlines.reply_due(today)
    return_due, return_due_provisional = deadlines.return_request_due(today)
    opinion_due = deadlines.co_opinion_due(today)
    now = when.at
    # After a unit's return request was accepted, nothing may remain from the previous round.
    suggestion.assignments.filter(active=True).update(active=False, ended_at=now)
    Assignment.objects.bulk_create(
        [
            Assignment(
                suggestion=suggestion, unit=lead_unit, role=AssignmentRole.LEAD, assigned_on=today, assigned_by=actor
            )
        ]
        + [
            Assignment(
                suggestion=suggestion,
                unit=unit,
                role=AssignmentRole.CO,
                assigned_on=today,
                assigned_by=actor,
                opinion_due=opinion_due,
            )
            for unit in co_units
        ]
    )
    from_state = suggestion.state
    suggestion.state = State.ASSIGNED
    suggestion.lead_unit = lead_unit
    suggestion.is_complex = bool(complex)
    suggestion.assigned_on = today
    suggestion.reply_due = reply_due
    suggestion.return_request_due = return_due
    suggestion.return_request_due_provisional = return_due_provisional
    suggestion.save()
    record(
        suggestion,
        actor=actor,
        action=Action.ASSIGN,
        from_state=from_state,
        data={
            "lead_unit": lead_unit.name,
            "co_units": [u.name for u in co_units],
            "complex": bool(complex),
            "reply_due": reply_due.isoformat(),
            **_late(suggestion.assign_due, today),
        },
        when=when,
    )
    if not when.back_recorded:  # a step of the past is not news
        notices.assigned(suggestion, actor=actor, lead_unit=lead_unit, co_units=co_units, opinion_due=opinion_due)
    return suggestion


@transaction.atomic
def suggestion_request_return(
    *, suggestion: Suggestion, actor, reason: str, unit=None, happened_on=None
) -> ReturnRequest:
    """A unit that believes the item is not its business asks the office to take it back (within N working days
    of 交办). The unit may not pass it on itself; the office decides (``suggestion_decide_return``).

    With ``happened_on`` the office or station staff record a unit's past request for it (``unit``, which may
    be left out when one unit is assigned): the N working days are counted up to that date."""
    suggestion, _actors, when = begin_dated(suggestion, Action.REQUEST_RETURN, actor, happened_on)
    reason = clean_text(reason, "reason", _("Explain why this is not your unit's business."))
    if suggestion.return_request_due and when.day > suggestion.return_request_due:
        raise ActionRefused(
            _("Return requests had to be made by %(date)s (%(n)s working days after assignment).")
            % {"date": suggestion.return_request_due.isoformat(), "n": deadlines.config("RETURN_REQUEST_WORKING_DAYS")},
            code="return_window_closed",
        )
    assignment = acting_assignment(suggestion, actor, when, unit)
    if assignment.return_requests.filter(status=RequestStatus.PENDING).exists():
        raise ActionRefused(_("Your unit has already asked to return this item."), code="return_pending")
    request = ReturnRequest.objects.create(
        suggestion=suggestion, assignment=assignment, reason=reason, requested_by=actor, requested_at=when.at
    )
    record(
        suggestion,
        actor=actor,
        action=Action.REQUEST_RETURN,
        from_state=suggestion.state,
        note=reason,
        data={"unit": assignment.unit.name, "request": request.pk},
        when=when,
    )
    if not when.back_recorded:  # a step of the past is not news
        notices.return_requested(suggestion, actor=actor, unit_name=assignment.unit.name, reason=reason)
    return request


@transaction.atomic
def suggestion_decide_return(
    *, return_request: ReturnRequest, actor, accept: bool, note: str = "", happened_on=None
) -> Suggestion:
    """The office accepts or rejects a unit's return request. Accepting the lead unit's request takes the
    whole item back for re-assignment (state ``submitted``, a new assignment deadline); accepting a co-unit's
    just ends that co-unit's part.

    With ``happened_on`` the office or station staff record a decision taken then, not dated before the
    request; the new assignment deadline is counted from that day."""
    suggestion, _actors, when = begin_dated(return_request.suggestion, Action.DECIDE_RETURN, actor, happened_on)
    request = ReturnRequest.objects.select_for_update().select_related("assignment__unit").get(pk=return_request.pk)
    if request.status != RequestStatus.PENDING:
        raise ActionRefused(_("This return request has already been decided."), code="already_decided")
    check_not_before_request(when, request.requested_at)
    now = when.at
    from_state = suggestion.state
    request.status = RequestStatus.APPROVED if accept else RequestStatus.REJECTED
    request.decided_by, request.decided_at, request.decision_note = actor, now, (note or "").strip()
    request.save()
    whole_item = accept and request.assignment.role == AssignmentRole.LEAD
    ended_units = [request.assignment.unit_id]
    if whole_item:
        close_pending_requests(suggestion, actor=actor, note=_("The item was taken back for re-assignment."), at=now)
        ended_units = list(suggestion.assignments.filter(active=True).values_list("unit_id", flat=True))
        suggestion.assignments.filter(active=True).update(active=False, ended_at=now)
        suggestion.state = State.SUBMITTED
        suggestion.lead_unit = None
        suggestion.assigned_on = None
        suggestion.reply_due = None
        suggestion.return_request_due = None
        suggestion.return_request_due_provisional = False
        start_assignment_clock(suggestion, when.day)
        suggestion.save()
    elif accept:
        Assignment.objects.filter(pk=request.assignment_id).update(active=False, ended_at=now)
    data = {"unit": request.assignment.unit.name, "accepted": bool(accept)}
    if whole_item:
        data.update(assign_due_data(suggestion))
    record(
        suggestion,
        actor=actor,
        action=Action.DECIDE_RETURN,
        from_state=from_state,
        note=request.decision_note,
        data=data,
        when=when,
    )
    if not when.back_recorded:  # a step of the past is not news
        notices.return_decided(
            suggestion,
            actor=actor,
            unit_ids=ended_units,
            accepted=bool(accept),
            whole_item=whole_item,
            note=request.decision_note,
        )
    return suggestion
