"""The one bound on the dates people enter for events (visits, opinions, contacts, milestones, …).

A year before 2000 or after 2100 is a typing error (``0226`` for ``2026``, ``9999`` for "some day"),
not an event: forms, serializers and services all refuse it through ``validate_event_date``, which
model fields carry as a validator (so ModelForms, ModelSerializers and ``full_clean`` apply it).
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_EVENT_YEAR = 2000
LATEST_EVENT_YEAR = 2100
IMPLAUSIBLE_DATE = "implausible_date"


def validate_event_date(value: date | datetime | None) -> None:
    """Refuse a date outside EARLIEST_EVENT_YEAR–LATEST_EVENT_YEAR (code ``implausible_date``)."""
    if value is None:
        return
    if not EARLIEST_EVENT_YEAR <= value.year <= LATEST_EVENT_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(first)s and %(last)s."),
            code=IMPLAUSIBLE_DATE,
            params={"first": EARLIEST_EVENT_YEAR, "last": LATEST_EVENT_YEAR},
        )


def check_event_date(value: date | datetime | None, field: str) -> None:
    """``validate_event_date`` for a service: the error is reported under ``field``."""
    try:
        validate_event_date(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.error_list}) from None
