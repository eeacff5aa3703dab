"""提 and 交: submitted, returned, withdrawn; assigned, and the units' requests to return an item."""

from django.utils.translation import gettext as _

from suggestions import recipients
from suggestions.models import AWAITING_REPLY, CoSignStatus, State
from suggestions.notices.base import Notice, in_site_language, lead_deputy, quote, send, then


@in_site_language
def submitted(suggestion, *, actor, resubmitted: bool = False) -> None:
    if resubmitted:
        title = _("Resubmitted, to be assigned by %(date)s: %(title)s")
    else:
        title = _("Submitted, to be assigned by %(date)s: %(title)s")
    send(
        suggestion,
        event="resubmitted" if resubmitted else "submitted",
        actor=actor,
        notices=[
            Notice(
                recipients.office_users(),
                title % {"date": suggestion.assign_due.isoformat(), "title": suggestion.title},
                _("Review it: assign it to a lead unit, or return it to the deputy with the reason."),
            )
        ],
    )


@in_site_language
def returned(suggestion, *, actor, reason: str) -> None:
    send(
        suggestion,
        event="returned",
        actor=actor,
        notices=[
            Notice(
                lead_deputy(suggestion),
                _("Returned by the office: %(title)s") % {"title": suggestion.title},
                _("Reason: %(reason)s You may revise the suggestion and resubmit it.") % {"reason": quote(reason)},
            )
        ],
    )


@in_site_language
def withdrawn(suggestion, *, actor, from_state: str, reason: str) -> None:
    """The office only if it ever had the item; the units still assigned; co-signers who had not declined."""
    groups = []
    if from_state != State.DRAFT:
        groups.append(recipients.office_users())
    if from_state in AWAITING_REPLY:
        groups.append(recipients.assigned_officers(suggestion))
    groups.append(recipients.cosigner_accounts(suggestion, (CoSignStatus.CONFIRMED, CoSignStatus.PENDING)))
    title = _("Withdrawn by the deputy: %(title)s") % {"title": suggestion.title}
    body = _("Reason: %(reason)s Nothing more needs to be done.") % {"reason": quote(reason)}
    send(suggestion, event="withdrawn", actor=actor, notices=[Notice(group, title, body) for group in groups])


# --- 交 ------------------------------------------------------------------------------------------


@in_site_language
def assigned(suggestion, *, actor, lead_unit, co_units, opinion_due) -> None:
    officers = recipients.unit_officers({lead_unit.pk, *(unit.pk for unit in co_units)})
    reply_due = suggestion.reply_due.isoformat()
    notices = [
        Notice(
            officers.get(lead_unit.pk, []),
            _("Assigned to your unit to lead, reply due %(date)s: %(title)s")
            % {"date": reply_due, "title": suggestion.title},
            _(
                "Reply to the deputy in writing by %(date)s. If it is not your unit's business, ask the office "
                "to take it back by %(return_date)s."
            )
            % {"date": reply_due, "return_date": suggestion.return_request_due.isoformat()},
        )
    ]
    for unit in co_units:
        notices.append(
            Notice(
                officers.get(unit.pk, []),
                _("Assigned to your unit as co-unit, opinion due %(date)s: %(title)s")
                % {"date": opinion_due.isoformat(), "title": suggestion.title},
                _("Give the lead unit (%(unit)s) your written opinion by %(date)s.")
                % {"unit": lead_unit.name, "date": opinion_due.isoformat()},
            )
        )
    notices.append(
        Notice(
            lead_deputy(suggestion),
            _("Assigned to %(unit)s: %(title)s") % {"unit": lead_unit.name, "title": suggestion.title},
            _("The unit replies to you in writing by %(date)s.") % {"date": reply_due},
        )
    )
    send(suggestion, event="assigned", actor=actor, notices=notices)


@in_site_language
def return_requested(suggestion, *, actor, unit_name: str, reason: str) -> None:
    send(
        suggestion,
        event="return_requested",
        actor=actor,
        notices=[
            Notice(
                recipients.office_users(),
                _("%(unit)s asks to return an item: %(title)s") % {"unit": unit_name, "title": suggestion.title},
                _("Reason: %(reason)s Approve or reject the request.") % {"reason": quote(reason)},
            )
        ],
    )


@in_site_language
def return_decided(suggestion, *, actor, unit_ids, accepted: bool, whole_item: bool, note: str) -> None:
    """``unit_ids``: the requesting unit, or every unit whose part ended when the office took the whole
    item back (``whole_item``, the lead unit's request approved)."""
    if not accepted:
        title = _("Return request rejected, keep handling it: %(title)s")
        body = _("Your unit keeps handling this suggestion.")
    elif whole_item:
        title = _("Taken back by the office for re-assignment: %(title)s")
        body = _("Your unit no longer handles this suggestion.")
    else:
        title = _("Return request approved: %(title)s")
        body = _("Your unit's part as co-unit has ended.")
    if note:
        body = then(body, _("Note from the office: %(note)s") % {"note": quote(note)})
    send(
        suggestion,
        event="return_decided",
        actor=actor,
        notices=[Notice(recipients.officers_of(*unit_ids), title % {"title": suggestion.title}, body)],
    )
