"""评: the deputy's rating, closing the item or sending it back for re-handling."""

from django.utils.translation import gettext as _

from suggestions import recipients
from suggestions.models import FOLLOW_UP_CLASSES, Rating, State
from suggestions.notices.base import Notice, in_site_language, quote, send, then


@in_site_language
def evaluated(suggestion, *, actor, rating: str, comment: str) -> None:
    """Re-handling: the lead unit replies again. Closed: the lead unit and the co-signers learn the outcome."""
    label = str(Rating(rating).label)
    comment = quote(comment)
    if suggestion.state == State.REHANDLING:
        body = _("Reply again by %(date)s.") % {"date": suggestion.reply_due.isoformat()}
        if comment:
            body = then(body, _("The deputy commented: %(comment)s") % {"comment": comment})
        notices = [
            Notice(
                recipients.officers_of(suggestion.lead_unit_id),
                _("Rated unsatisfied, reply again by %(date)s: %(title)s")
                % {"date": suggestion.reply_due.isoformat(), "title": suggestion.title},
                body,
            )
        ]
        send(suggestion, event="rehandling", actor=actor, notices=notices)
        return
    title = _("Closed, rated %(rating)s: %(title)s") % {"rating": label, "title": suggestion.title}
    unit_body = _("The deputy's evaluation closes the suggestion.")
    if suggestion.reply_class in FOLLOW_UP_CLASSES:
        unit_body = _("Report progress on this class B or C reply until the matter is solved.")
    if comment:
        unit_body = then(unit_body, _("The deputy commented: %(comment)s") % {"comment": comment})
    send(
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
