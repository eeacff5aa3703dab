"""Every change to a suggestion, one function per action.

Each service runs in ``transaction.atomic``, locks the suggestion row
(``select_for_update``), asks ``transitions.check()`` whether this user may take
this action in the current state, changes the rows, and appends one
``SuggestionEvent``. Refusals change nothing:

- ``PermissionRefused`` (403): this user may never take this action on this item;
- ``ActionRefused`` (409): not in the current state, or a rule forbids it now;
- ``ValidationError`` (400 / form errors): the input is wrong.

The people concerned are notified in the same transaction (``suggestions.notices``): an action
that rolls back notified nobody.

Dates are local dates (Asia/Shanghai); deadlines come from ``suggestions.deadlines``.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import clock
from core.dates import check_event_date
from core.errors import ActionRefused, PermissionRefused
from core.roles import Role
from core.uploads import clean_document, display_name
from deputies.selectors import deputies_visible_to
from liaison.services.opinions import opinion_mark_escalated
from organisation.models import HandlingUnit, UnitKind
from suggestions import deadlines, holidays, notices
from suggestions.models import (
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_KINDS,
    ATTACHMENT_MAX_BYTES,
    AWAITING_ASSIGNMENT,
    CONTENT_MAX_LENGTH,
    Action,
    Assignment,
    AssignmentRole,
    Attachment,
    CalendarDay,
    CalendarYear,
    Category,
    Contact,
    ContactMethod,
    CoSignature,
    CoSignStatus,
    CoUnitOpinion,
    Evaluation,
    Extension,
    FollowUp,
    Rating,
    Reply,
    ReplyClass,
    RequestStatus,
    ReturnRequest,
    State,
    Suggestion,
    SuggestionEvent,
    SupervisionNote,
)
from suggestions.transitions import TRANSITIONS, Actor, actors_of, check

TITLE_MAX = 200


# --- Plumbing ----------------------------------------------------------------------------------


def _lock(suggestion: Suggestion) -> Suggestion:
    """Re-read the row under a lock: the state we check is the state we change."""
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def _begin(suggestion: Suggestion, action: str, actor) -> tuple[Suggestion, frozenset]:
    locked = _lock(suggestion)
    actors = actors_of(actor, locked)
    check(suggestion=locked, action=action, actors=actors)
    return locked, actors


def _record(suggestion: Suggestion, *, actor, action: str, from_state: str, note: str = "", data=None):
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


def _text(value, field: str, message: str, *, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if max_length and len(value) > max_length:
        raise ValidationError(
            {field: _("At most %(n)s characters, please (this has %(m)s).") % {"n": max_length, "m": len(value)}}
        )
    return value


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: _("Choose one of the listed options.")})
    return value


def _clean_upload(upload, field: str):
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


def _start_assignment_clock(suggestion: Suggestion, day: date) -> None:
    """The office's N working days to assign start on ``day`` (not saved here)."""
    suggestion.assign_counted_from = day
    suggestion.assign_due, suggestion.assign_due_provisional = deadlines.assignment_due(day)


def _assign_due_data(suggestion: Suggestion) -> dict:
    data = {"assign_due": suggestion.assign_due.isoformat()}
    if suggestion.assign_due_provisional:
        data["provisional"] = True
    return data


def _close_pending_requests(suggestion: Suggestion, *, actor, note: str) -> None:
    """Pending extension and return requests lapse when the item moves past them."""
    now = clock.now()
    suggestion.extensions.filter(status=RequestStatus.PENDING).update(
        status=RequestStatus.REJECTED, decided_by=actor, decided_at=now, decision_note=note
    )
    suggestion.return_requests.filter(status=RequestStatus.PENDING).update(
        status=RequestStatus.REJECTED, decided_by=actor, decided_at=now, decision_note=note
    )


def _clean_cosigners(cosigners, lead_deputy) -> list:
    result, seen = [], set()
    for deputy in cosigners or ():
        if deputy.pk == lead_deputy.pk:
            raise ValidationError({"cosigners": _("The lead deputy cannot also co-sign.")})
        if not deputy.is_active:
            raise ValidationError({"cosigners": _("%(name)s is no longer an active deputy.") % {"name": deputy}})
        if deputy.pk not in seen:
            seen.add(deputy.pk)
            result.append(deputy)
    return result


def _clean_draft_fields(*, title, content, category) -> tuple[str, str, str]:
    title = _text(title, "title", _("Give the suggestion a title."), max_length=TITLE_MAX)
    content = _text(content, "content", _("Write the content of the suggestion."), max_length=CONTENT_MAX_LENGTH)
    category = _choice(category or Category.OTHER, Category, "category")
    return title, content, category


def _add_attachments(suggestion, files, actor) -> list[str]:
    names = []
    cleaned = [(display_name(upload), _clean_upload(upload, "attachments")) for upload in files or ()]
    for name, stored in cleaned:
        attachment = Attachment(suggestion=suggestion, file=stored, name=name, uploaded_by=actor)
        attachment.save()
        names.append(attachment.name)
    return names


# --- Handling units ----------------------------------------------------------------------------


def _require_unit_manager(actor) -> None:
    if not actor.has_role(Role.OFFICE, Role.ADMIN):
        raise PermissionRefused(_("Only the suggestion office and administrators manage handling units."))


@transaction.atomic
def unit_create(
    *,
    actor,
    name: str,
    kind: str = UnitKind.DEPARTMENT,
    contact_person="",
    phone="",
    address="",
    is_active: bool = True,
) -> HandlingUnit:
    _require_unit_manager(actor)
    unit = HandlingUnit(
        name=(name or "").strip(),
        kind=kind,
        contact_person=contact_person,
        phone=phone,
        address=address,
        is_active=is_active,
    )
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_update(*, actor, unit: HandlingUnit, **fields) -> HandlingUnit:
    _require_unit_manager(actor)
    unit = HandlingUnit.objects.select_for_update().get(pk=unit.pk)
    allowed = {"name", "kind", "contact_person", "phone", "address", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    for name, value in fields.items():
        setattr(unit, name, value.strip() if isinstance(value, str) else value)
    unit.full_clean()
    unit.save()
    return unit


# --- The working-day calendar ---------------------------------------------------------------------


SOURCE_MAX = 200


@transaction.atomic
def calendar_year_enter(
    *, actor, year: int, entries, source: str = "", note: str = "", replace: bool = False
) -> CalendarYear:
    """The office enters a year's official holiday schedule, or replaces the one entered before.

    ``entries`` are ``holidays.ScheduleEntry`` (from ``holidays.parse_schedule`` or built directly);
    see ``holidays.check_entries`` for the rules. All or nothing: a bad entry writes no day, and
    replacing swaps the whole year at once. Replacing needs ``replace=True``, so that a year entered
    meanwhile by someone else is not overwritten unseen. Open deadlines that were counted
    provisionally across this year are counted again on it (``_recount_provisional_deadlines``);
    other deadlines already computed stay as they were.
    """
    if not actor.has_role(Role.OFFICE, Role.ADMIN):
        raise PermissionRefused(_("Only the suggestion office and administrators enter the working-day calendar."))
    entries = holidays.check_entries(year, entries)
    source = (source or "").strip()
    if len(source) > SOURCE_MAX:
        raise ValidationError({"source": _("At most %(n)s characters, please.") % {"n": SOURCE_MAX}})
    fields = {"source": source, "note": (note or "").strip(), "entered_by": actor, "entered_at": clock.now()}
    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    if calendar_year is not None and not replace:
        raise ActionRefused(
            _("The %(year)s schedule has already been entered; confirm that it should be replaced.") % {"year": year},
            code="calendar_year_entered",
        )
    if calendar_year is None:
        try:
            with transaction.atomic():
                calendar_year = CalendarYear.objects.create(year=year, **fields)
        except IntegrityError:
            raise ActionRefused(
                _("Someone entered the %(year)s schedule just now; look at it before replacing it.") % {"year": year},
                code="calendar_year_entered",
            ) from None
    else:
        calendar_year.days.all().delete()
        for name, value in fields.items():
            setattr(calendar_year, name, value)
        calendar_year.save()
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(calendar_year=calendar_year, date=e.day, is_working_day=e.is_working_day, name=e.name)
            for e in entries
        ]
    )
    _recount_provisional_deadlines(year=year, actor=actor)
    return calendar_year


# The deadlines counted in working days: (field, states in which it is still owed, the date it is counted
# from, how it is counted). A unit may ask to return the item in the states the transition table allows.
_WORKING_DAY_DEADLINES = [
    ("assign_due", list(AWAITING_ASSIGNMENT), "assign_counted_from", deadlines.assignment_due),
    (
        "return_request_due",
        sorted({state for state, action in TRANSITIONS if action == Action.REQUEST_RETURN}),
        "assigned_on",
        deadlines.return_request_due,
    ),
]


def _recount_provisional_deadlines(*, year: int, actor) -> None:
    """Count again, on the calendar just entered, every open deadline counted provisionally across ``year``.

    Runs in the entering transaction: all moved or none. A moved deadline gets a timeline entry and
    its people a notice (the office for assignment, the assigned units for return requests); one that
    stays on the same day just loses its provisional mark. Closed items are not touched: only the
    states in which the deadline is still owed are read. Uses the partial indexes on the flags.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    calendar = deadlines.WorkingCalendar()
    for field, states, counted_from, count in _WORKING_DAY_DEADLINES:
        open_and_provisional = Suggestion.objects.select_for_update().filter(
            **{f"{field}_provisional": True, "state__in": states, f"{field}__gte": first, f"{counted_from}__lte": last}
        )
        for suggestion in open_and_provisional.order_by("pk"):
            counted = count(getattr(suggestion, counted_from), calendar=calendar)
            _move_deadline(suggestion, field, counted, year=year, actor=actor)


def _move_deadline(suggestion: Suggestion, field: str, counted: deadlines.WorkingDeadline, *, year: int, actor):
    previous = getattr(suggestion, field)
    setattr(suggestion, field, counted.due)
    setattr(suggestion, f"{field}_provisional", counted.provisional)
    suggestion.save(update_fields=[field, f"{field}_provisional", "updated_at"])
    if counted.due == previous:
        return
    SuggestionEvent.objects.create(
        suggestion=suggestion,
        actor=actor,
        action=Action.RECOMPUTE_DEADLINE,
        from_state=suggestion.state,
        to_state=suggestion.state,
        data={
            "deadline": field,
            "previous": previous.isoformat(),
            "new": counted.due.isoformat(),
            "year": year,
            "provisional": counted.provisional,
        },
    )
    notices.deadline_recounted(suggestion, actor=actor, field=field, previous=previous, year=year)


# --- 提 ------------------------------------------------------------------------------------------


@transaction.atomic
def suggestion_create(
    *,
    actor,
    title: str,
    content: str,
    category: str = Category.OTHER,
    cosigners=(),
    attachments=(),
    lead_deputy=None,
) -> Suggestion:
    """A deputy drafts a suggestion; invited co-signers must confirm before it can be submitted.

    ``lead_deputy`` defaults to the actor's own deputy record; only a deputy may draft for themselves
    (drafts from opinions go through ``suggestion_create_from_opinion``).
    """
    if not actor.has_role(Role.DEPUTY) or not actor.deputy_id:
        raise PermissionRefused(_("Only a deputy can draft a suggestion."))
    if lead_deputy is not None and lead_deputy.pk != actor.deputy_id:
        raise PermissionRefused(_("A deputy drafts suggestions in their own name only."))
    return _create_draft(
        actor=actor,
        lead_deputy=actor.deputy,
        title=title,
        content=content,
        category=category,
        cosigners=cosigners,
        attachments=attachments,
    )


def _create_draft(*, actor, lead_deputy, title, content, category, cosigners=(), attachments=(), note="", extra=None):
    title, content, category = _clean_draft_fields(title=title, content=content, category=category)
    cosigners = _clean_cosigners(cosigners, lead_deputy)
    suggestion = Suggestion.objects.create(
        lead_deputy=lead_deputy, created_by=actor, title=title, content=content, category=category
    )
    CoSignature.objects.bulk_create([CoSignature(suggestion=suggestion, deputy=d) for d in cosigners])
    names = _add_attachments(suggestion, attachments, actor)
    _record(
        suggestion,
        actor=actor,
        action=Action.CREATE,
        from_state="",
        note=note,
        data={"cosigners": [d.name for d in cosigners], "attachments": names, **(extra or {})},
    )
    notices.cosign_invited(suggestion, actor=actor, deputy_ids=[d.pk for d in cosigners])
    return suggestion


@transaction.atomic
def suggestion_update(
    *,
    suggestion: Suggestion,
    actor,
    title=None,
    content=None,
    category=None,
    cosigners=None,
    attachments=(),
    remove_attachments=(),
) -> Suggestion:
    """The lead deputy edits a draft or a returned suggestion. ``cosigners`` (if given) is the new full list:
    co-signers kept keep their answer, new ones are invited, dropped ones are removed."""
    suggestion, _actors = _begin(suggestion, Action.UPDATE, actor)
    changed = []
    new_title, new_content, new_category = _clean_draft_fields(
        title=suggestion.title if title is None else title,
        content=suggestion.content if content is None else content,
        category=suggestion.category if category is None else category,
    )
    for field, value in (("title", new_title), ("content", new_content), ("category", new_category)):
        if getattr(suggestion, field) != value:
            setattr(suggestion, field, value)
            changed.append(field)
    if cosigners is not None:
        wanted = {d.pk: d for d in _clean_cosigners(cosigners, suggestion.lead_deputy)}
        existing = {c.deputy_id: c for c in suggestion.cosignatures.all()}
        removed = [pk for pk in existing if pk not in wanted]
        if removed:
            suggestion.cosignatures.filter(deputy_id__in=removed).delete()
        added = [CoSignature(suggestion=suggestion, deputy=d) for pk, d in wanted.items() if pk not in existing]
        CoSignature.objects.bulk_create(added)
        if removed or added:
            changed.append("cosigners")
    if remove_attachments:
        deleted, _rows = suggestion.attachments.filter(pk__in=[a.pk for a in remove_attachments]).delete()
        if deleted:
            changed.append("attachments")
    if _add_attachments(suggestion, attachments, actor):
        changed.append("attachments")
    suggestion.save()
    _record(suggestion, actor=actor, action=Action.UPDATE, from_state=suggestion.state, data={"changed": changed})
    if cosigners is not None:
        notices.cosign_invited(suggestion, actor=actor, deputy_ids=[c.deputy_id for c in added])
    return suggestion


@transaction.atomic
def suggestion_cosign(*, suggestion: Suggestion, actor, accept: bool) -> Suggestion:
    """An invited co-signer confirms (附议) or declines; they may change their answer until submission."""
    suggestion, _actors = _begin(suggestion, Action.COSIGN, actor)
    signature = suggestion.cosignatures.select_for_update().get(deputy_id=actor.deputy_id)
    signature.status = CoSignStatus.CONFIRMED if accept else CoSignStatus.DECLINED
    signature.responded_at = clock.now()
    signature.save(update_fields=["status", "responded_at"])
    _record(
        suggestion,
        actor=actor,
        action=Action.COSIGN,
        from_state=suggestion.state,
        data={"deputy": actor.deputy.name, "accepted": bool(accept)},
    )
    notices.cosign_answered(suggestion, actor=actor, deputy_name=actor.deputy.name, accepted=bool(accept))
    return suggestion


def _require_cosigners_answered(suggestion: Suggestion) -> None:
    pending = list(suggestion.cosignatures.filter(status=CoSignStatus.PENDING).values_list("deputy__name", flat=True))
    if pending:
        raise ActionRefused(
            _("Co-signers have not all answered yet: %(names)s.") % {"names": "、".join(pending)},
            code="cosigners_pending",
        )


@transaction.atomic
def suggestion_submit(*, suggestion: Suggestion, actor) -> Suggestion:
    """提: the lead deputy submits once every co-signer has confirmed or declined; the office's clock starts."""
    suggestion, _actors = _begin(suggestion, Action.SUBMIT, actor)
    _require_cosigners_answered(suggestion)
    from_state = suggestion.state
    _start_assignment_clock(suggestion, clock.today())
    suggestion.state = State.SUBMITTED
    suggestion.submitted_at = suggestion.submitted_at or clock.now()
    suggestion.save()
    _record(
        suggestion,
        actor=actor,
        action=Action.SUBMIT,
        from_state=from_state,
        data=_assign_due_data(suggestion),
    )
    notices.submitted(suggestion, actor=actor)
    return suggestion


@transaction.atomic
def suggestion_return(*, suggestion: Suggestion, actor, reason: str) -> Suggestion:
    """The office does not accept it as a suggestion (personal matter, no real content …); the deputy sees why."""
    suggestion, _actors = _begin(suggestion, Action.RETURN, actor)
    reason = _text(reason, "reason", _("Give the reason for returning it; the deputy will see it."))
    from_state = suggestion.state
    suggestion.state = State.RETURNED
    suggestion.return_reason = reason
    suggestion.assign_due = None
    suggestion.assign_due_provisional = False
    suggestion.save()
    _record(suggestion, actor=actor, action=Action.RETURN, from_state=from_state, note=reason)
    notices.returned(suggestion, actor=actor, reason=reason)
    return suggestion


@transaction.atomic
def suggestion_resubmit(*, suggestion: Suggestion, actor) -> Suggestion:
    """The deputy resubmits a returned suggestion after revising it."""
    suggestion, _actors = _begin(suggestion, Action.RESUBMIT, actor)
    _require_cosigners_answered(suggestion)
    from_state = suggestion.state
    _start_assignment_clock(suggestion, clock.today())
    suggestion.state = State.SUBMITTED
    suggestion.save()
    _record(
        suggestion,
        actor=actor,
        action=Action.RESUBMIT,
        from_state=from_state,
        data=_assign_due_data(suggestion),
    )
    notices.submitted(suggestion, actor=actor, resubmitted=True)
    return suggestion


@transaction.atomic
def suggestion_withdraw(*, suggestion: Suggestion, actor, reason: str) -> Suggestion:
    """The lead deputy withdraws in writing, before any reply."""
    suggestion, _actors = _begin(suggestion, Action.WITHDRAW, actor)
    reason = _text(reason, "reason", _("A withdrawal must be in writing: give the reason."))
    from_state = suggestion.state
    suggestion.state = State.WITHDRAWN
    suggestion.withdrawn_at = clock.now()
    suggestion.withdraw_reason = reason
    suggestion.save()
    _close_pending_requests(suggestion, actor=actor, note=_("The suggestion was withdrawn."))
    _record(suggestion, actor=actor, action=Action.WITHDRAW, from_state=from_state, note=reason)
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
    *, suggestion: Suggestion, actor, lead_unit: HandlingUnit, co_units=(), complex: bool = False
) -> Suggestion:
    """交: the office assigns one lead unit and any co-units; the reply clock (3 months) starts today."""
    suggestion, _actors = _begin(suggestion, Action.ASSIGN, actor)
    co_units = _clean_units(lead_unit, co_units)
    today = clock.today()
    reply_due = deadlines.reply_due(today)
    return_due, return_due_provisional = deadlines.return_request_due(today)
    opinion_due = deadlines.co_opinion_due(today)
    now = clock.now()
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
    _record(
        suggestion,
        actor=actor,
        action=Action.ASSIGN,
        from_state=from_state,
        data={
            "lead_unit": lead_unit.name,
            "co_units": [u.name for u in co_units],
            "complex": bool(complex),
            "reply_due": reply_due.isoformat(),
        },
    )
    notices.assigned(suggestion, actor=actor, lead_unit=lead_unit, co_units=co_units, opinion_due=opinion_due)
    return suggestion


def _own_assignment(suggestion: Suggestion, actor) -> Assignment:
    return suggestion.assignments.select_for_update().get(active=True, unit_id=actor.unit_id)


@transaction.atomic
def suggestion_request_return(*, suggestion: Suggestion, actor, reason: str) -> ReturnRequest:
    """A unit that believes the item is not its business asks the office to take it back (within N working days
    of 交办). The unit may not pass it on itself; the office decides (``suggestion_decide_return``)."""
    suggestion, _actors = _begin(suggestion, Action.REQUEST_RETURN, actor)
    reason = _text(reason, "reason", _("Explain why this is not your unit's business."))
    if suggestion.return_request_due and clock.today() > suggestion.return_request_due:
        raise ActionRefused(
            _("Return requests had to be made by %(date)s (%(n)s working days after assignment).")
            % {"date": suggestion.return_request_due.isoformat(), "n": deadlines.config("RETURN_REQUEST_WORKING_DAYS")},
            code="return_window_closed",
        )
    assignment = _own_assignment(suggestion, actor)
    if assignment.return_requests.filter(status=RequestStatus.PENDING).exists():
        raise ActionRefused(_("Your unit has already asked to return this item."), code="return_pending")
    request = ReturnRequest.objects.create(
        suggestion=suggestion, assignment=assignment, reason=reason, requested_by=actor
    )
    _record(
        suggestion,
        actor=actor,
        action=Action.REQUEST_RETURN,
        from_state=suggestion.state,
        note=reason,
        data={"unit": assignment.unit.name, "request": request.pk},
    )
    notices.return_requested(suggestion, actor=actor, unit_name=assignment.unit.name, reason=reason)
    return request


@transaction.atomic
def suggestion_decide_return(*, return_request: ReturnRequest, actor, accept: bool, note: str = "") -> Suggestion:
    """The office accepts or rejects a unit's return request. Accepting the lead unit's request takes the
    whole item back for re-assignment (state ``submitted``, a new assignment deadline); accepting a co-unit's
    just ends that co-unit's part."""
    suggestion, _actors = _begin(return_request.suggestion, Action.DECIDE_RETURN, actor)
    request = ReturnRequest.objects.select_for_update().select_related("assignment__unit").get(pk=return_request.pk)
    if request.status != RequestStatus.PENDING:
        raise ActionRefused(_("This return request has already been decided."), code="already_decided")
    now = clock.now()
    from_state = suggestion.state
    request.status = RequestStatus.APPROVED if accept else RequestStatus.REJECTED
    request.decided_by, request.decided_at, request.decision_note = actor, now, (note or "").strip()
    request.save()
    whole_item = accept and request.assignment.role == AssignmentRole.LEAD
    ended_units = [request.assignment.unit_id]
    if whole_item:
        _close_pending_requests(suggestion, actor=actor, note=_("The item was taken back for re-assignment."))
        ended_units = list(suggestion.assignments.filter(active=True).values_list("unit_id", flat=True))
        suggestion.assignments.filter(active=True).update(active=False, ended_at=now)
        suggestion.state = State.SUBMITTED
        suggestion.lead_unit = None
        suggestion.assigned_on = None
        suggestion.reply_due = None
        suggestion.return_request_due = None
        suggestion.return_request_due_provisional = False
        _start_assignment_clock(suggestion, clock.today())
        suggestion.save()
    elif accept:
        Assignment.objects.filter(pk=request.assignment_id).update(active=False, ended_at=now)
    _record(
        suggestion,
        actor=actor,
        action=Action.DECIDE_RETURN,
        from_state=from_state,
        note=request.decision_note,
        data={"unit": request.assignment.unit.name, "accepted": bool(accept)},
    )
    notices.return_decided(
        suggestion,
        actor=actor,
        unit_ids=ended_units,
        accepted=bool(accept),
        whole_item=whole_item,
        note=request.decision_note,
    )
    return suggestion


# --- 办 ------------------------------------------------------------------------------------------


@transaction.atomic
def suggestion_acknowledge(*, suggestion: Suggestion, actor) -> Suggestion:
    """The lead unit acknowledges receipt and starts handling."""
    suggestion, _actors = _begin(suggestion, Action.ACKNOWLEDGE, actor)
    from_state = suggestion.state
    suggestion.state = State.IN_PROGRESS
    suggestion.save()
    _record(suggestion, actor=actor, action=Action.ACKNOWLEDGE, from_state=from_state)
    return suggestion


@transaction.atomic
def suggestion_co_unit_opinion(*, suggestion: Suggestion, actor, content: str) -> CoUnitOpinion:
    """A co-unit gives the lead unit its written opinion (once per reply round)."""
    suggestion, _actors = _begin(suggestion, Action.CO_UNIT_OPINION, actor)
    content = _text(content, "content", _("Write your unit's opinion."))
    assignment = _own_assignment(suggestion, actor)
    round_ = suggestion.reply_round + 1
    if assignment.opinions.filter(round=round_).exists():
        raise ActionRefused(_("Your unit has already given its opinion for this round."), code="opinion_already_given")
    opinion = CoUnitOpinion.objects.create(
        suggestion=suggestion, assignment=assignment, round=round_, content=content, submitted_by=actor
    )
    _record(
        suggestion,
        actor=actor,
        action=Action.CO_UNIT_OPINION,
        from_state=suggestion.state,
        data={"unit": assignment.unit.name, "round": round_},
    )
    notices.co_unit_opinion_given(suggestion, actor=actor, unit_name=assignment.unit.name)
    return opinion


@transaction.atomic
def suggestion_record_contact(
    *, suggestion: Suggestion, actor, method: str, contacted_on: date | None = None, note: str = ""
) -> Contact:
    """见面/电话沟通: the lead unit records that it met or called the deputy."""
    suggestion, _actors = _begin(suggestion, Action.RECORD_CONTACT, actor)
    method = _choice(method, ContactMethod, "method")
    contacted_on = contacted_on or clock.today()
    check_event_date(contacted_on, "contacted_on")
    if contacted_on > clock.today():
        raise ValidationError({"contacted_on": _("The date cannot be in the future.")})
    if suggestion.assigned_on and contacted_on < suggestion.assigned_on:
        raise ValidationError({"contacted_on": _("The date cannot be before the assignment.")})
    contact = Contact.objects.create(
        suggestion=suggestion,
        unit_id=actor.unit_id,
        method=method,
        contacted_on=contacted_on,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    _record(
        suggestion,
        actor=actor,
        action=Action.RECORD_CONTACT,
        from_state=suggestion.state,
        note=contact.note,
        data={"method": method, "contacted_on": contacted_on.isoformat()},
    )
    return contact


@transaction.atomic
def suggestion_reply(
    *,
    suggestion: Suggestion,
    actor,
    reply_class: str,
    content: str,
    contacted: bool | None = None,
    attachment=None,
) -> Reply:
    """The lead unit replies in writing with class A/B/C/D (first reply, or the second after 不满意).

    ``contacted`` defaults to whether the unit recorded a contact with the deputy. The deadline in force
    (after any approved extension) is kept on the reply, so "on time" never changes afterwards.
    """
    suggestion, _actors = _begin(suggestion, Action.REPLY, actor)
    reply_class = _choice(reply_class, ReplyClass, "reply_class")
    content = _text(content, "content", _("Write the reply."))
    stored_attachment = _clean_upload(attachment, "attachment")
    today = clock.today()
    if contacted is None:
        contacted = suggestion.contacts.exists()
    round_ = suggestion.reply_round + 1
    reply = Reply(
        suggestion=suggestion,
        round=round_,
        unit_id=actor.unit_id,
        reply_class=reply_class,
        content=content,
        contacted=bool(contacted),
        replied_on=today,
        due_on=suggestion.reply_due,
        replied_by=actor,
    )
    if stored_attachment is not None:
        reply.attachment = stored_attachment
        reply.attachment_name = display_name(attachment)
    reply.save()
    from_state = suggestion.state
    suggestion.state = State.REPLIED
    suggestion.reply_round = round_
    suggestion.reply_class = reply_class
    suggestion.contacted = suggestion.contacted or bool(contacted)
    if round_ == 1:
        suggestion.first_replied_on = today
        suggestion.first_reply_on_time = reply.on_time
    suggestion.save()
    _close_pending_requests(suggestion, actor=actor, note=_("The unit has replied."))
    _record(
        suggestion,
        actor=actor,
        action=Action.REPLY,
        from_state=from_state,
        data={"round": round_, "reply_class": reply_class, "on_time": reply.on_time, "contacted": bool(contacted)},
    )
    notices.replied(suggestion, actor=actor, reply_class=reply_class)
    return reply


@transaction.atomic
def suggestion_extend(*, suggestion: Suggestion, actor, new_due: date, reason: str) -> Extension:
    """A later reply deadline, at most N months (default 6) after 交办, with a reason the deputy sees.

    The lead unit asks and the office approves (``suggestion_decide_extension``); when the office
    itself extends, the extension is approved at once.
    """
    suggestion, actors = _begin(suggestion, Action.EXTEND, actor)
    reason = _text(reason, "reason", _("Give the reason for the extension; the deputy will see it."))
    _check_new_due(suggestion, new_due)
    by_office = Actor.OFFICE in actors
    if not by_office and suggestion.extensions.filter(status=RequestStatus.PENDING).exists():
        raise ActionRefused(_("An extension request is already waiting for the office."), code="extension_pending")
    extension = Extension(
        suggestion=suggestion,
        reason=reason,
        previous_due=suggestion.reply_due,
        new_due=new_due,
        requested_by=actor,
    )
    if by_office:
        _close_pending_requests_of(suggestion, Extension, actor=actor, note=_("Superseded by the office's extension."))
        extension.status = RequestStatus.APPROVED
        extension.decided_by, extension.decided_at = actor, clock.now()
        suggestion.reply_due = new_due
        suggestion.save()
    extension.save()
    _record(
        suggestion,
        actor=actor,
        action=Action.EXTEND,
        from_state=suggestion.state,
        note=reason,
        data={"new_due": new_due.isoformat(), "approved": by_office, "extension": extension.pk},
    )
    if by_office:
        notices.extended(suggestion, actor=actor, extension=extension)
    else:
        notices.extension_requested(suggestion, actor=actor, extension=extension)
    return extension


def _close_pending_requests_of(suggestion, model, *, actor, note) -> None:
    model.objects.filter(suggestion=suggestion, status=RequestStatus.PENDING).update(
        status=RequestStatus.REJECTED, decided_by=actor, decided_at=clock.now(), decision_note=note
    )


def _check_new_due(suggestion: Suggestion, new_due) -> None:
    if not isinstance(new_due, date):
        raise ValidationError({"new_due": _("Give the new deadline as a date.")})
    check_event_date(new_due, "new_due")
    if new_due <= suggestion.reply_due:
        raise ValidationError(
            {
                "new_due": _("The new deadline must be later than the current one (%(date)s).")
                % {"date": suggestion.reply_due.isoformat()}
            }
        )
    limit = deadlines.extension_limit(suggestion.assigned_on)
    if new_due > limit:
        raise ValidationError(
            {
                "new_due": _("An extension may run at most %(months)s months from assignment, that is until %(date)s.")
                % {"months": deadlines.config("EXTENSION_MAX_MONTHS"), "date": limit.isoformat()}
            }
        )


@transaction.atomic
def suggestion_decide_extension(*, extension: Extension, actor, approve: bool, note: str = "") -> Extension:
    """The office approves (the reply deadline moves) or rejects a unit's extension request."""
    suggestion, _actors = _begin(extension.suggestion, Action.DECIDE_EXTENSION, actor)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.status != RequestStatus.PENDING:
        raise ActionRefused(_("This extension request has already been decided."), code="already_decided")
    if approve:
        _check_new_due(suggestion, extension.new_due)
        suggestion.reply_due = extension.new_due
        suggestion.save()
    extension.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    extension.decided_by, extension.decided_at = actor, clock.now()
    extension.decision_note = (note or "").strip()
    extension.save()
    _record(
        suggestion,
        actor=actor,
        action=Action.DECIDE_EXTENSION,
        from_state=suggestion.state,
        note=extension.decision_note,
        data={"new_due": extension.new_due.isoformat(), "approved": bool(approve), "extension": extension.pk},
    )
    if approve:
        notices.extended(suggestion, actor=actor, extension=extension)
    else:
        notices.extension_rejected(suggestion, actor=actor, extension=extension)
    return extension


@transaction.atomic
def suggestion_follow_up(*, suggestion: Suggestion, actor, content: str, solved: bool = False) -> FollowUp:
    """回头看: after a B/C reply is closed, the lead unit reports progress until the matter is solved."""
    suggestion, _actors = _begin(suggestion, Action.FOLLOW_UP, actor)
    if not suggestion.needs_follow_up:
        raise ActionRefused(
            _("Only closed suggestions with a B or C reply that is not yet solved take follow-up updates."),
            code="no_follow_up",
        )
    content = _text(content, "content", _("Describe the progress."))
    reply = suggestion.replies.get(round=suggestion.reply_round)
    follow_up = FollowUp.objects.create(
        suggestion=suggestion, reply=reply, content=content, solved=bool(solved), recorded_by=actor
    )
    if solved:
        suggestion.follow_up_solved_on = clock.today()
        suggestion.save()
    _record(
        suggestion,
        actor=actor,
        action=Action.FOLLOW_UP,
        from_state=suggestion.state,
        note=content,
        data={"solved": bool(solved)},
    )
    if solved:
        notices.follow_up_solved(suggestion, actor=actor, content=content)
    return follow_up


# --- 督 ------------------------------------------------------------------------------------------


@transaction.atomic
def suggestion_supervise(
    *, suggestion: Suggestion, actor, note: str, key_supervision: bool | None = None
) -> SupervisionNote:
    """督: a supervision note by a leader or the office; only a leader sets or lifts key supervision (重点督办)."""
    suggestion, actors = _begin(suggestion, Action.SUPERVISE, actor)
    if key_supervision is not None and Actor.LEADER not in actors:
        raise PermissionRefused(_("Only a leader can set or lift key supervision."), code="leader_only")
    note = _text(note, "note", _("Write the supervision note."))
    if key_supervision is not None:
        suggestion.key_supervision = bool(key_supervision)
        suggestion.key_supervisor = actor if key_supervision else None
        suggestion.save()
    supervision = SupervisionNote.objects.create(
        suggestion=suggestion, author=actor, note=note, key_supervision=key_supervision
    )
    _record(
        suggestion,
        actor=actor,
        action=Action.SUPERVISE,
        from_state=suggestion.state,
        note=note,
        data={"key_supervision": key_supervision},
    )
    notices.supervised(suggestion, actor=actor, note=note, key_supervision=key_supervision)
    return supervision


# --- 评 ------------------------------------------------------------------------------------------


@transaction.atomic
def suggestion_evaluate(*, suggestion: Suggestion, actor, rating: str, comment: str = "") -> Evaluation:
    """评: the lead deputy rates the latest reply. 不满意 on the first reply sends it back for re-handling
    (second reply due in 1 month); any other rating, and any rating of the second reply, closes it."""
    suggestion, _actors = _begin(suggestion, Action.EVALUATE, actor)
    rating = _choice(rating, Rating, "rating")
    reply = suggestion.replies.get(round=suggestion.reply_round)
    is_first = reply.round == 1
    rehandle = is_first and rating == Rating.UNSATISFIED
    evaluation = Evaluation.objects.create(
        suggestion=suggestion,
        reply=reply,
        rating=rating,
        comment=(comment or "").strip(),
        is_first=is_first,
        is_final=not rehandle,
        evaluated_by=actor,
    )
    from_state = suggestion.state
    if is_first:
        suggestion.first_rating = rating
    if rehandle:
        suggestion.state = State.REHANDLING
        suggestion.reply_due = deadlines.rereply_due(clock.today())
    else:
        suggestion.state = State.CLOSED
        suggestion.final_rating = rating
        suggestion.closed_at = clock.now()
    suggestion.save()
    data = {"rating": rating, "round": reply.round}
    if rehandle:
        data["reply_due"] = suggestion.reply_due.isoformat()
    _record(suggestion, actor=actor, action=Action.EVALUATE, from_state=from_state, note=evaluation.comment, data=data)
    notices.evaluated(suggestion, actor=actor, rating=rating, comment=evaluation.comment)
    return evaluation


# --- Escalation from a constituent opinion -----------------------------------------------------


@transaction.atomic
def suggestion_create_from_opinion(*, opinion, deputy, actor, title: str = "") -> Suggestion:
    """形成意见建议: turn a constituent opinion into a draft suggestion for the chosen deputy.

    The opinion gets the outcome "escalated" through the liaison service (which checks that the actor
    may triage it and that it has no other outcome), and the two are linked both ways
    (``suggestion.source_opinions`` / ``opinion.suggestions``). The draft belongs to the deputy, who
    edits and submits it; a deputy escalating an opinion drafts in their own name only.
    """
    if not actor.has_role(Role.STATION_STAFF, Role.OFFICE, Role.DEPUTY):
        raise PermissionRefused(_("Only station staff, the office or a deputy can turn an opinion into a suggestion."))
    if deputy is None:
        raise ValidationError({"deputy": _("Choose the deputy who will raise the suggestion.")})
    if actor.has_role(Role.DEPUTY) and deputy.pk != actor.deputy_id:
        raise PermissionRefused(_("A deputy drafts suggestions in their own name only."))
    if not deputy.is_active:
        raise ValidationError({"deputy": _("%(name)s is no longer an active deputy.") % {"name": deputy}})
    title = (title or "").strip() or opinion.content.strip().splitlines()[0][:60]
    note = _("Drafted as a suggestion: %(title)s") % {"title": title}
    # Checks who may triage this opinion (403) and that it has no other outcome (409) first.
    opinion_mark_escalated(opinion=opinion, actor=actor, note=note)
    if actor.has_role(Role.STATION_STAFF) and not deputies_visible_to(actor).filter(pk=deputy.pk).exists():
        raise ValidationError({"deputy": _("Choose a deputy of your stations.")})
    suggestion = _create_draft(
        actor=actor,
        lead_deputy=deputy,
        title=title,
        content=opinion.content,
        category=opinion.category if opinion.category in Category.values else Category.OTHER,
        note=_("Drafted from a constituent opinion."),
        extra={"opinion": opinion.pk},
    )
    suggestion.source_opinions.add(opinion)
    notices.drafted_for_deputy(suggestion, actor=actor)
    return suggestion
