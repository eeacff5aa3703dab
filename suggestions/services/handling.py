"""办: the units acknowledge, give co-unit opinions, record contacts, reply, ask for more time,
and report follow-up progress."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.dates import check_event_date
from core.errors import ActionRefused
from core.uploads import display_name
from suggestions import deadlines
from suggestions.models import (
    Action,
    AssignmentRole,
    Contact,
    ContactMethod,
    CoUnitOpinion,
    Extension,
    FollowUp,
    Reply,
    ReplyClass,
    RequestStatus,
    State,
    Suggestion,
)
from suggestions.notices import handling as notices
from suggestions.services.common import (
    acting_assignment,
    begin_dated,
    check_not_before_request,
    clean_choice,
    clean_text,
    clean_upload,
    close_pending_requests,
    record,
)
from suggestions.transitions import Actor


@transaction.atomic
def suggestion_acknowledge(*, suggestion: Suggestion, actor, happened_on=None) -> Suggestion:
    """The lead unit acknowledges receipt and starts handling."""
    suggestion, _actors, when = begin_dated(suggestion, Action.ACKNOWLEDGE, actor, happened_on)
    from_state = suggestion.state
    suggestion.state = State.IN_PROGRESS
    suggestion.save()
    record(suggestion, actor=actor, action=Action.ACKNOWLEDGE, from_state=from_state, when=when)
    return suggestion


@transaction.atomic
def suggestion_co_unit_opinion(
    *, suggestion: Suggestion, actor, content: str, unit=None, happened_on=None
) -> CoUnitOpinion:
    """A co-unit gives the lead unit its written opinion (once per reply round).

    With ``happened_on`` the office or station staff record a co-unit's past opinion for it (``unit``,
    which may be left out when there is one co-unit): not dated before that unit's assignment, and
    late when after the opinion deadline the assignment set."""
    suggestion, _actors, when = begin_dated(suggestion, Action.CO_UNIT_OPINION, actor, happened_on)
    content = clean_text(content, "content", _("Write your unit's opinion."))
    assignment = acting_assignment(suggestion, actor, when, unit, roles=[AssignmentRole.CO])
    round_ = suggestion.reply_round + 1
    if assignment.opinions.filter(round=round_).exists():
        raise ActionRefused(_("Your unit has already given its opinion for this round."), code="opinion_already_given")
    opinion = CoUnitOpinion.objects.create(
        suggestion=suggestion,
        assignment=assignment,
        round=round_,
        content=content,
        submitted_by=actor,
        submitted_at=when.at,
    )
    data = {"unit": assignment.unit.name, "round": round_}
    if assignment.opinion_due is not None and when.day > assignment.opinion_due:
        data["late"] = True
    record(suggestion, actor=actor, action=Action.CO_UNIT_OPINION, from_state=suggestion.state, data=data, when=when)
    if not when.back_recorded:  # a step of the past is not news
        notices.co_unit_opinion_given(suggestion, actor=actor, unit_name=assignment.unit.name)
    return opinion


@transaction.atomic
def suggestion_record_contact(
    *,
    suggestion: Suggestion,
    actor,
    method: str,
    contacted_on: date | None = None,
    note: str = "",
    happened_on=None,
) -> Contact:
    """见面/电话沟通: the lead unit records that it met or called the deputy (the office or station staff
    may record it afterwards with ``happened_on``, the contact's date)."""
    suggestion, _actors, when = begin_dated(suggestion, Action.RECORD_CONTACT, actor, happened_on)
    method = clean_choice(method, ContactMethod, "method")
    if when.back_recorded and contacted_on is not None and contacted_on != when.day:
        raise ValidationError({"contacted_on": _("A contact recorded afterwards is dated by its date of contact.")})
    contacted_on = contacted_on or when.day
    check_event_date(contacted_on, "contacted_on")
    if contacted_on > clock.today():
        raise ValidationError({"contacted_on": _("The date cannot be in the future.")})
    if suggestion.assigned_on and contacted_on < suggestion.assigned_on:
        raise ValidationError({"contacted_on": _("The date cannot be before the assignment.")})
    contact = Contact.objects.create(
        suggestion=suggestion,
        unit_id=suggestion.lead_unit_id if when.back_recorded else actor.unit_id,
        method=method,
        contacted_on=contacted_on,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    record(
        suggestion,
        actor=actor,
        action=Action.RECORD_CONTACT,
        from_state=suggestion.state,
        note=contact.note,
        data={"method": method, "contacted_on": contacted_on.isoformat()},
        when=when,
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
    happened_on=None,
) -> Reply:
    """The lead unit replies in writing with class A/B/C/D (first reply, or the second after 不满意).

    ``contacted`` defaults to whether the unit recorded a contact with the deputy. The deadline in force
    (after any approved extension) is kept on the reply, so "on time" never changes afterwards.
    With ``happened_on`` the office or station staff record the lead unit's past reply: on time is
    judged by that date.
    """
    suggestion, _actors, when = begin_dated(suggestion, Action.REPLY, actor, happened_on)
    reply_class = clean_choice(reply_class, ReplyClass, "reply_class")
    content = clean_text(content, "content", _("Write the reply."))
    stored_attachment = clean_upload(attachment, "attachment")
    today = when.day
    if contacted is None:
        contacted = suggestion.contacts.exists()
    round_ = suggestion.reply_round + 1
    reply = Reply(
        suggestion=suggestion,
        round=round_,
        unit_id=suggestion.lead_unit_id if when.back_recorded else actor.unit_id,
        reply_class=reply_class,
        content=content,
        contacted=bool(contacted),
        replied_at=when.at,
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
    close_pending_requests(suggestion, actor=actor, note=_("The unit has replied."))
    record(
        suggestion,
        actor=actor,
        action=Action.REPLY,
        from_state=from_state,
        data={"round": round_, "reply_class": reply_class, "on_time": reply.on_time, "contacted": bool(contacted)},
        when=when,
    )
    if not when.back_recorded:  # a step of the past is not news
        notices.replied(suggestion, actor=actor, reply_class=reply_class)
    return reply


@transaction.atomic
def suggestion_extend(*, suggestion: Suggestion, actor, new_due: date, reason: str, happened_on=None) -> Extension:
    """A later reply deadline, at most N months (default 6) after 交办, with a reason the deputy sees.

    The lead unit asks and the office approves (``suggestion_decide_extension``); when the office
    itself extends, the extension is approved at once, and so is one recorded afterwards (``happened_on``):
    it records an extension granted then.
    """
    suggestion, actors, when = begin_dated(suggestion, Action.EXTEND, actor, happened_on)
    reason = clean_text(reason, "reason", _("Give the reason for the extension; the deputy will see it."))
    _check_new_due(suggestion, new_due)
    by_office = Actor.OFFICE in actors or when.back_recorded
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
        extension.decided_by, extension.decided_at = actor, when.at
        suggestion.reply_due = new_due
        suggestion.save()
    extension.requested_at = when.at
    extension.save()
    record(
        suggestion,
        actor=actor,
        action=Action.EXTEND,
        from_state=suggestion.state,
        note=reason,
        data={"new_due": new_due.isoformat(), "approved": by_office, "extension": extension.pk},
        when=when,
    )
    if when.back_recorded:  # a step of the past is not news
        pass
    elif by_office:
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
def suggestion_decide_extension(
    *, extension: Extension, actor, approve: bool, note: str = "", happened_on=None
) -> Extension:
    """The office approves (the reply deadline moves) or rejects a unit's extension request.

    With ``happened_on`` the office or station staff record a decision taken then, not dated before the
    request; an approval moves the reply deadline from that day on."""
    suggestion, _actors, when = begin_dated(extension.suggestion, Action.DECIDE_EXTENSION, actor, happened_on)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.status != RequestStatus.PENDING:
        raise ActionRefused(_("This extension request has already been decided."), code="already_decided")
    check_not_before_request(when, extension.requested_at)
    if approve:
        _check_new_due(suggestion, extension.new_due)
        suggestion.reply_due = extension.new_due
        suggestion.save()
    extension.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    extension.decided_by, extension.decided_at = actor, when.at
    extension.decision_note = (note or "").strip()
    extension.save()
    record(
        suggestion,
        actor=actor,
        action=Action.DECIDE_EXTENSION,
        from_state=suggestion.state,
        note=extension.decision_note,
        data={"new_due": extension.new_due.isoformat(), "approved": bool(approve), "extension": extension.pk},
        when=when,
    )
    if when.back_recorded:  # a step of the past is not news
        pass
    elif approve:
        notices.extended(suggestion, actor=actor, extension=extension)
    else:
        notices.extension_rejected(suggestion, actor=actor, extension=extension)
    return extension


@transaction.atomic
def suggestion_follow_up(
    *, suggestion: Suggestion, actor, content: str, solved: bool = False, happened_on=None
) -> FollowUp:
    """回头看: after a B/C reply is closed, the lead unit reports progress until the matter is solved."""
    suggestion, _actors, when = begin_dated(suggestion, Action.FOLLOW_UP, actor, happened_on)
    if not suggestion.needs_follow_up:
        raise ActionRefused(
            _("Only closed suggestions with a B or C reply that is not yet solved take follow-up updates."),
            code="no_follow_up",
        )
    content = clean_text(content, "content", _("Describe the progress."))
    reply = suggestion.replies.get(round=suggestion.reply_round)
    follow_up = FollowUp.objects.create(
        suggestion=suggestion, reply=reply, content=content, solved=bool(solved), recorded_by=actor, recorded_at=when.at
    )
    if solved:
        suggestion.follow_up_solved_on = when.day
        suggestion.save()
    record(
        suggestion,
        actor=actor,
        action=Action.FOLLOW_UP,
        from_state=suggestion.state,
        note=content,
        data={"solved": bool(solved)},
        when=when,
    )
    if solved:
        if not when.back_recorded:  # a step of the past is not news
            notices.follow_up_solved(suggestion, actor=actor, content=content)
    return follow_up
