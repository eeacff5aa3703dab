"""督: supervision notes and key supervision."""

from django.utils.translation import gettext as _

from suggestions import recipients
from suggestions.models import AWAITING_ASSIGNMENT, AWAITING_REPLY
from suggestions.notices.base import Notice, in_site_language, quote, send


@in_site_language
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
    send(
        suggestion,
        event="supervised",
        actor=actor,
        notices=[Notice(group, title % {"title": suggestion.title}, quote(note))],
    )
