"""Back-recording (补录): a step entered afterwards with the date it really happened.

A station that adopts the product arrives with its past on paper; the office (and station staff for
their stations) record those steps with their real dates. Each app decides *who* may; the date rules
are the same everywhere and live here: a plausible date (``core.dates``), not in the future, not before
the step before it. The moment stored for a past day is noon of that day (local time), so that it
sorts inside the day and reads as that day in every time zone report; a step dated today is stored
at the current moment. The rows a back-recorded step writes carry ``entered_at`` (when it was typed
in) beside the user who entered it.
"""

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.dates import check_event_date

# The field a back-recorded step's date is given in, in every service, form and API body.
HAPPENED_ON = "happened_on"


def check_past_day(day, *, field: str = HAPPENED_ON, not_before: date | None = None) -> date:
    """``day`` if it is a plausible date, not after today and not before ``not_before``; else a
    ``ValidationError`` under ``field`` (a 400 in the API, a form error in the pages)."""
    if not isinstance(day, date) or isinstance(day, datetime):
        raise ValidationError({field: _("Give the date as a date.")})
    check_event_date(day, field)
    if day > clock.today():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if not_before is not None and day < not_before:
        raise ValidationError(
            {field: _("The date cannot be before the previous step (%(date)s).") % {"date": not_before.isoformat()}}
        )
    return day


def moment_of(day: date) -> datetime:
    """The moment stored for a step that happened on ``day``: now for today, noon of a past day."""
    if day == clock.today():
        return clock.now()
    return timezone.make_aware(datetime.combine(day, time(12)))


def refusal(field: str = HAPPENED_ON) -> ValidationError:
    """The 400 for a date given by someone who may not back-record: refused, never silently dropped."""
    return ValidationError(
        {field: _("Only the office, or station staff for their stations, may record a step with an earlier date.")}
    )
