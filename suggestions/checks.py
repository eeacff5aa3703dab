"""System checks: say while working-day deadlines are counted on a provisional calendar."""

from django.core import checks
from django.db import DatabaseError

from core import clock
from suggestions.deadlines import provisional_years, years_ahead_without_package


@checks.register()
def working_calendar_covers_today(app_configs=None, **kwargs):
    """Warn while this year, or (from November) next year, has no official holiday schedule.

    Deadlines are still computed — on the statutory holidays (``suggestions.statutory``) — and are
    counted again when the office enters the year, so this is a warning, not an error."""
    today = clock.today()
    try:
        missing = provisional_years(today)
    except DatabaseError:  # not migrated yet, or unreachable: the package's range is all we know
        missing = years_ahead_without_package(today)
    warnings = []
    for year in missing:
        current = year == today.year
        warnings.append(
            checks.Warning(
                f"The working-day calendar has no official holiday schedule for {year}: working-day deadlines "
                f"in {year} are counted provisionally on the statutory holidays and will be counted again "
                "when the schedule is entered.",
                hint=f"Once the State Council publishes the {year} holidays, the suggestion office enters them "
                "under Suggestions → Working-day calendar (or upgrade chinesecalendar to a release that has them).",
                id="suggestions.W002" if current else "suggestions.W001",
            )
        )
    return warnings
