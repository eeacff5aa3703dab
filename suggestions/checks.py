"""System checks: say early when the working-day calendar will run out."""

from datetime import date

from django.core import checks
from django.utils import timezone

from suggestions.deadlines import covered_years

# Working-day deadlines reach at most this many calendar days ahead (7 working days around a holiday).
_HORIZON_DAYS = 17


@checks.register()
def working_calendar_covers_today(app_configs=None, today: date | None = None, **kwargs):
    today = today or timezone.localdate()
    first, last = covered_years()
    if not first <= today.year <= last:
        return [
            checks.Error(
                f"The installed chinesecalendar covers {first}-{last} but today is in {today.year}: "
                "working-day deadlines cannot be computed.",
                hint="Upgrade chinesecalendar in requirements.txt to a release with this year's holidays.",
                id="suggestions.E001",
            )
        ]
    if (date(today.year, 12, 31) - today).days < _HORIZON_DAYS and today.year + 1 > last:
        return [
            checks.Warning(
                f"The installed chinesecalendar has no data for {today.year + 1}: submissions and assignments "
                "whose working-day deadline falls next year will be refused.",
                hint="Upgrade chinesecalendar once the State Council publishes next year's holidays.",
                id="suggestions.W001",
            )
        ]
    return []
