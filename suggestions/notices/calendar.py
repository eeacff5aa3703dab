"""The official calendar arrives: deadlines counted again on it."""

from django.utils.translation import gettext as _

from suggestions import recipients
from suggestions.notices.base import Notice, in_site_language, send


@in_site_language
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
    send(
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
