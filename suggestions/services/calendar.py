"""The working-day calendar: the office enters a year's official holiday schedule, and the
deadlines counted provisionally across that year are counted again on it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionRefused, PermissionRefused
from core.roles import Role
from suggestions import deadlines, holidays
from suggestions.models import (
    AWAITING_ASSIGNMENT,
    Action,
    CalendarDay,
    CalendarYear,
    Suggestion,
    SuggestionEvent,
)
from suggestions.notices import calendar as notices
from suggestions.transitions import TRANSITIONS

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
