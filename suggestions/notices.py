"""What people hear when a suggestion moves on.

Each lifecycle service calls the notice of its action once the change and its event are recorded.
A notice tells whoever must act next, or is waiting on the outcome, what happened and what to do,
with a link to the suggestion:

=====================================  ===========================================================
event                                  who hears
=====================================  ===========================================================
co-sign invitation                     the invited deputies
draft prepared from an opinion         the lead deputy
co-sign answered                       the lead deputy
submitted, resubmitted                 the office
returned by the office                 the lead deputy
withdrawn                              the office (once it was submitted), the assigned units'
                                       officers, co-signers who had not declined
assigned (交办)                         the lead unit's and the co-units' officers, the lead deputy
return requested                       the office
return decided                         the requesting unit's officers (every assigned unit's when
                                       the whole item is taken back)
co-unit opinion                        the lead unit's officers
replied                                the lead deputy
rated unsatisfied (re-handling)        the lead unit's officers
closed                                 the lead unit's officers, the co-signers who confirmed
extension requested                    the office
extended by the office                 the lead unit's officers, the lead deputy
extension decided                      the lead unit's officers; the lead deputy when approved
supervision note, key supervision      the office while unassigned, the lead unit's officers while
                                       a reply is owed
follow-up reported solved              the lead deputy
deadline recounted on the official     the office (assignment), the assigned units' officers
calendar                               (return requests)
=====================================  ===========================================================

Acknowledging receipt and recording a contact notify nobody: nobody has to act on them.

The notifications are written in the action's transaction (``notifications.services.notify_each``):
if the action rolls back nobody was notified, and e-mail or SMS go out only after commit. The actor
never hears about their own action; someone in two groups gets the first group's message only.
Like the reminders they are written in the site's language, whoever acted. Queries: one per group
of recipients looked up (``suggestions.recipients``) + 3 to write them, whatever their number.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.services import Message, notify_each, target_of
from suggestions import recipients
from suggestions.models import (
    AWAITING_ASSIGNMENT,
    AWAITING_REPLY,
    FOLLOW_UP_CLASSES,
    CoSignStatus,
    Rating,
    State,
)

_QUOTE_MAX = 200


@dataclass(frozen=True)
class Notice:
    """One message for a group of people."""

    recipient_ids: list[int]
    title: str
    body: str = ""


def suggestion_url(pk: int) -> str:
    return reverse("suggestions:detail", args=[pk])


def _then(body: str, more: str) -> str:
    return f"{body} {more}"


def _quote(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1] + "…"


def _in_site_language(function):
    @wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


def _send(suggestion, *, event: str, actor, notices: Iterable[Notice]) -> None:
    actor_id = getattr(actor, "pk", None)
    url = suggestion_url(suggestion.pk)
    target_type_id, target_id = target_of(suggestion)
    notified = {actor_id}
    messages = []
    for notice in notices:
        for user_id in notice.recipient_ids:
            if user_id in notified:
                continue
            notified.add(user_id)
            messages.append(
                Message(
                    recipient_id=user_id,
                    verb=f"suggestion.{event}",
                    title=notice.title,
                    body=notice.body,
                    url=url,
                    target_type_id=target_type_id,
                    target_id=target_id,
                )
            )
    notify_each(messages=messages)


def _lead_deputy(suggestion) -> list[int]:
    return recipients.accounts_of(suggestion.lead_deputy_id)


# --- 提 --------------------------------------------------------------------------------------------


@_in_site_language
def cosign_invited(suggestion, *, actor, deputy_ids) -> None:
    if not deputy_ids:
        return
    _send(
        suggestion,
        event="cosign_invited",
        actor=actor,
        notices=[
            Notice(
                recipients.accounts_of(*deputy_ids),
                _("Please confirm or decline co-signing: %(title)s") % {"title": suggestion.title},
                _("%(deputy)s invites you to co-sign this suggestion; it can be submitted once you answer.")
                % {"deputy": suggestion.lead_deputy.name},
            )
        ],
    )


@_in_site_language
def drafted_for_deputy(suggestion, *, actor) -> None:
    _send(
        suggestion,
        event="drafted",
        actor=actor,
        notices=[
            Notice(
                _lead_deputy(suggestion),
                _("A draft suggestion was prepared for you: %(title)s") % {"title": suggestion.title},
                _("It was drafted from a constituent opinion. Review and edit it, then submit it or withdraw it."),
            )
        ],
    )


@_in_site_language
def cosign_answered(suggestion, *, actor, deputy_name: str, accepted: bool) -> None:
    if accepted:
        title = _("%(deputy)s confirmed co-signing: %(title)s")
    else:
        title = _("%(deputy)s declined co-signing: %(title)s")
    _send(
        suggestion,
        event="cosign_answered",
        actor=actor,
        notices=[
            Notice(
                _lead_deputy(suggestion),
                title % {"deputy": deputy_name, "title": suggestion.title},
                _("You can submit the suggestion once every co-signer has answered."),
            )
        ],
    )


@_in_site_language
def submitted(suggestion, *, actor, resubmitted: bool = False) -> None:
    if resubmitted:
        title = _("Resubmitted, to be assigned by %(date)s: %(title)s")
    else:
        title = _("Submitted, to be assigned by %(date)s: %(title)s")
    _send(
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


@_in_site_language
def returned(suggestion, *, actor, reason: str) -> None:
    _send(
        suggestion,
        event="returned",
        actor=actor,
        notices=[
            Notice(
                _lead_deputy(suggestion),
                _("Returned by the office: %(title)s") % {"title": suggestion.title},
                _("Reason: %(reason)s You may revise the suggestion and resubmit it.") % {"reason": _quote(reason)},
            )
        ],
    )


@_in_site_language
def withdrawn(suggestion, *, actor, from_state: str, reason: str) -> None:
    """The office only if it ever had the item; the units still assigned; co-signers who had not declined."""
    groups = []
    if from_state != State.DRAFT:
        groups.append(recipients.office_users())
    if from_state in AWAITING_REPLY:
        groups.append(recipients.assigned_officers(suggestion))
    groups.append(recipients.cosigner_accounts(suggestion, (CoSignStatus.CONFIRMED, CoSignStatus.PENDING)))
    title = _("Withdrawn by the deputy: %(title)s") % {"title": suggestion.title}
    body = _("Reason: %(reason)s Nothing more needs to be done.") % {"reason": _quote(reason)}
    _send(suggestion, event="withdrawn", actor=actor, notices=[Notice(group, title, body) for group in groups])


# --- The official calendar arrives ---------------------------------------------------------------


@_in_site_language
def deadline_recounted(suggestion, *, actor, field: str, previous, year: int) -> None:
    """A deadline counted on the statutory holidays moved once the official ``year`` was entered."""
    if field == "assign_due":
        group = recipients.office_users()
        title = _("Assignment deadline now %(date)s (was %(previous)s): %(title)s")
        new = suggestion.assign_due
    else:
        group = recipients.assigned_officers(suggestion)
        title = _("Return requests now accepted until %(date)s (was %(previous)s): %(title)s")
        new = suggestion.return_request_due
    _send(
        suggestion,
        event="deadline_recounted",
        actor=actor,
        notices=[
            Notice(
                group,
                title % {"date": new.isoformat(), "previous": previous.isoformat(), "title": suggestion.title},
                _(
                    "The deadline had been counted on the statutory holidays; it was counted again on the "
                    "official %(year)s holiday schedule."
                )
                % {"year": year},
            )
        ],
    )


# --- 交 --------------------------------------------------------------------------------------------


@_in_site_language
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
            _lead_deputy(suggestion),
            _("Assigned to %(unit)s: %(title)s") % {"unit": lead_unit.name, "title": suggestion.title},
            _("The unit replies to you in writing by %(date)s.") % {"date": reply_due},
        )
    )
    _send(suggestion, event="assigned", actor=actor, notices=notices)


@_in_site_language
def return_requested(suggestion, *, actor, unit_name: str, reason: str) -> None:
    _send(
        suggestion,
        event="return_requested",
        actor=actor,
        notices=[
            Notice(
                recipients.office_users(),
                _("%(unit)s asks to return an item: %(title)s") % {"unit": unit_name, "title": suggestion.title},
                _("Reason: %(reason)s Approve or reject the request.") % {"reason": _quote(reason)},
            )
        ],
    )


@_in_site_language
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
        body = _then(body, _("Note from the office: %(note)s") % {"note": _quote(note)})
    _send(
        suggestion,
        event="return_decided",
        actor=actor,
        notices=[Notice(recipients.officers_of(*unit_ids), title % {"title": suggestion.title}, body)],
    )


# --- 办 --------------------------------------------------------------------------------------------


@_in_site_language
def co_unit_opinion_given(suggestion, *, actor, unit_name: str) -> None:
    _send(
        suggestion,
        event="co_unit_opinion",
        actor=actor,
        notices=[
            Notice(
                recipients.officers_of(suggestion.lead_unit_id),
                _("Opinion received from co-unit %(unit)s: %(title)s") % {"unit": unit_name, "title": suggestion.title},
                _("Take it into account in your reply."),
            )
        ],
    )


@_in_site_language
def replied(suggestion, *, actor, reply_class: str) -> None:
    _send(
        suggestion,
        event="replied",
        actor=actor,
        notices=[
            Notice(
                _lead_deputy(suggestion),
                _("Replied (class %(reply_class)s), please evaluate: %(title)s")
                % {"reply_class": reply_class, "title": suggestion.title},
                _("Read the reply and rate it: satisfied, basically satisfied or unsatisfied."),
            )
        ],
    )


@_in_site_language
def extension_requested(suggestion, *, actor, extension) -> None:
    _send(
        suggestion,
        event="extension_requested",
        actor=actor,
        notices=[
            Notice(
                recipients.office_users(),
                _("Extension to %(date)s requested: %(title)s")
                % {"date": extension.new_due.isoformat(), "title": suggestion.title},
                _("Reason: %(reason)s Approve or reject the request.") % {"reason": _quote(extension.reason)},
            )
        ],
    )


@_in_site_language
def extended(suggestion, *, actor, extension) -> None:
    """The reply deadline moved: by the office directly, or by approving the unit's request."""
    title = _("Reply deadline extended to %(date)s: %(title)s") % {
        "date": extension.new_due.isoformat(),
        "title": suggestion.title,
    }
    body = _("Reason: %(reason)s") % {"reason": _quote(extension.reason)}
    _send(
        suggestion,
        event="extended",
        actor=actor,
        notices=[
            Notice(recipients.officers_of(suggestion.lead_unit_id), title, body),
            Notice(_lead_deputy(suggestion), title, body),
        ],
    )


@_in_site_language
def extension_rejected(suggestion, *, actor, extension) -> None:
    body = _("Your unit's reply is still due on %(date)s.") % {"date": suggestion.reply_due.isoformat()}
    if extension.decision_note:
        body = _then(body, _("Note from the office: %(note)s") % {"note": _quote(extension.decision_note)})
    _send(
        suggestion,
        event="extension_rejected",
        actor=actor,
        notices=[
            Notice(
                recipients.officers_of(suggestion.lead_unit_id),
                _("Extension request rejected: %(title)s") % {"title": suggestion.title},
                body,
            )
        ],
    )


@_in_site_language
def follow_up_solved(suggestion, *, actor, content: str) -> None:
    _send(
        suggestion,
        event="follow_up_solved",
        actor=actor,
        notices=[
            Notice(
                _lead_deputy(suggestion),
                _("Reported solved by the unit: %(title)s") % {"title": suggestion.title},
                _quote(content),
            )
        ],
    )


# --- 督 --------------------------------------------------------------------------------------------


@_in_site_language
def supervised(suggestion, *, actor, note: str, key_supervision: bool | None) -> None:
    """Whoever owes the next step hears about it: the office before 交办, the lead unit while a reply is owed."""
    if suggestion.state in AWAITING_ASSIGNMENT:
        group = recipients.office_users()
    elif suggestion.state in AWAITING_REPLY:
        group = recipients.officers_of(suggestion.lead_unit_id)
    else:
        return
    if key_supervision is True:
        title = _("Flagged for key supervision: %(title)s")
    elif key_supervision is False:
        title = _("Key supervision lifted: %(title)s")
    else:
        title = _("Supervision note: %(title)s")
    _send(
        suggestion,
        event="supervised",
        actor=actor,
        notices=[Notice(group, title % {"title": suggestion.title}, _quote(note))],
    )


# --- 评 --------------------------------------------------------------------------------------------


@_in_site_language
def evaluated(suggestion, *, actor, rating: str, comment: str) -> None:
    """Re-handling: the lead unit replies again. Closed: the lead unit and the co-signers learn the outcome."""
    label = str(Rating(rating).label)
    comment = _quote(comment)
    if suggestion.state == State.REHANDLING:
        body = _("Reply again by %(date)s.") % {"date": suggestion.reply_due.isoformat()}
        if comment:
            body = _then(body, _("The deputy commented: %(comment)s") % {"comment": comment})
        notices = [
            Notice(
                recipients.officers_of(suggestion.lead_unit_id),
                _("Rated unsatisfied, reply again by %(date)s: %(title)s")
                % {"date": suggestion.reply_due.isoformat(), "title": suggestion.title},
                body,
            )
        ]
        _send(suggestion, event="rehandling", actor=actor, notices=notices)
        return
    title = _("Closed, rated %(rating)s: %(title)s") % {"rating": label, "title": suggestion.title}
    unit_body = _("The deputy's evaluation closes the suggestion.")
    if suggestion.reply_class in FOLLOW_UP_CLASSES:
        unit_body = _("Report progress on this class B or C reply until the matter is solved.")
    if comment:
        unit_body = _then(unit_body, _("The deputy commented: %(comment)s") % {"comment": comment})
    _send(
        suggestion,
        event="closed",
        actor=actor,
        notices=[
            Notice(recipients.officers_of(suggestion.lead_unit_id), title, unit_body),
            Notice(
                recipients.cosigner_accounts(suggestion),
                title,
                _("The lead deputy's evaluation closes the suggestion you co-signed."),
            ),
        ],
    )
