"""System checks: say early when the working-day calendar will run out."""

from datetime import date

from django.core import checks
from django.db import DatabaseError
from django.utils import timezone

from suggestions.deadlines import entered_years, package_years

# Working-day deadlines reach at most this many calendar days ahead (7 working days around a holiday).
_HORIZON_DAYS = 17


def _entered_years() -> set[int]:
    """The years the office entered; none when the database cannot say (not migrated yet, unreachable)."""
    try:
        return set(entered_years())
    except DatabaseError:
        return set()


@checks.register()
def working_calendar_covers_today(app_configs=None, today: date | None = None, **kwargs):
    today = today or timezone.localdate()
    first, last = package_years()
    near_year_end = (date(today.year, 12, 31) - today).days < _HORIZON_DAYS
    needed = [today.year] + ([today.year + 1] if near_year_end else [])
    if all(first <= year <= last for year in needed):
        return []  # the package covers it: no need to ask the database
    entered = _entered_years()
    if not (first <= today.year <= last or today.year in entered):
        return [
            checks.Error(
                f"The working-day calendar has no holiday schedule for {today.year} (the installed "
                f"chinesecalendar covers {first}-{last}, none entered): working-day deadlines cannot be computed.",
                hint=f"The suggestion office enters the official {today.year} schedule under Suggestions → "
                "Working-day calendar (or upgrade chinesecalendar to a release with this year's holidays).",
                id="suggestions.E001",
            )
        ]
    next_year = today.year + 1
    if near_year_end and not (next_year <= last or next_year in entered):
        return [
            checks.Warning(
                f"The working-day calendar has no holiday schedule for {next_year}: submissions and assignments "
                "whose working-day deadline falls next year will be refused.",
                hint=f"Once the State Council publishes the {next_year} holidays, the suggestion office enters "
                "them under Suggestions → Working-day calendar.",
                id="suggestions.W001",
            )
        ]
    return []
