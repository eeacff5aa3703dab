"""办: co-unit opinions, replies, extensions of the reply deadline, follow-ups reported solved."""

from django.utils.translation import gettext as _

from suggestions import recipients
from suggestions.notices.base import Notice, in_site_language, lead_deputy, quote, send, then


@in_site_language
def co_unit_opinion_given(suggestion, *, actor, unit_name: str) -> None:
    send(
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


@in_site_language
def replied(suggestion, *, actor, reply_class: str) -> None:
    send(
        suggestion,
        event="replied",
        actor=actor,
        notices=[
            Notice(
                lead_deputy(suggestion),
                _("Replied (class %(reply_class)s), please evaluate: %(title)s")
                % {"reply_class": reply_class, "title": suggestion.title},
                _("Read the reply and rate it: satisfied, basically satisfied or unsatisfied."),
            )
        ],
    )


@in_site_language
def extension_requested(suggestion, *, actor, extension) -> None:
    send(
        suggestion,
        event="extension_requested",
        actor=actor,
        notices=[
            Notice(
                recipients.office_users(),
                _("Extension to %(date)s requested: %(title)s")
                % {"date": extension.new_due.isoformat(), "title": suggestion.title},
                _("Reason: %(reason)s Approve or reject the request.") % {"reason": quote(extension.reason)},
            )
        ],
    )


@in_site_language
def extended(suggestion, *, actor, extension) -> None:
    """The reply deadline moved: by the office directly, or by approving the unit's request."""
    title = _("Reply deadline extended to %(date)s: %(title)s") % {
        "date": extension.new_due.isoformat(),
        "title": suggestion.title,
    }
    body = _("Reason: %(reason)s") % {"reason": quote(extension.reason)}
    send(
        suggestion,
        event="extended",
        actor=actor,
        notices=[
            Notice(recipients.officers_of(suggestion.lead_unit_id), title, body),
            Notice(lead_deputy(suggestion), title, body),
        ],
    )


@in_site_language
def extension_rejected(suggestion, *, actor, extension) -> None:
    body = _("Your unit's reply is still due on %(date)s.") % {"date": suggestion.reply_due.isoformat()}
    if extension.decision_note:
        body = then(body, _("Note from the office: %(note)s") % {"note": quote(extension.decision_note)})
    send(
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


@in_site_language
def follow_up_solved(suggestion, *, actor, content: str) -> None:
    send(
        suggestion,
        event="follow_up_solved",
        actor=actor,
        notices=[
            Notice(
                lead_deputy(suggestion),
                _("Reported solved by the unit: %(title)s") % {"title": suggestion.title},
                quote(content),
            )
        ],
    )
