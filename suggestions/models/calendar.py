"""The working-day calendar the office enters: one official holiday schedule per year."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Years a schedule may be entered for: wide enough for any real use, narrow enough to catch a typo.
CALENDAR_FIRST_YEAR = 2000
CALENDAR_LAST_YEAR = 2100


class CalendarYear(models.Model):
    """One year's official holiday schedule (国务院办公厅关于部分节假日安排的通知), entered by the office.

    Only the exceptions to the week are stored (``CalendarDay``): public holidays and the weekend days
    worked in exchange (调休上班); every other day follows the week, Monday to Friday on and weekends
    off. A year entered here takes precedence over the ``chinesecalendar`` package (``suggestions.deadlines``);
    it changes only through ``services.calendar_year_enter``.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("The notice the schedule comes from, e.g. its number.")
    )
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                name="calendar_year_in_range",
                condition=Q(year__gte=CALENDAR_FIRST_YEAR, year__lte=CALENDAR_LAST_YEAR),
                violation_error_message=_("Enter a year between 2000 and 2100."),
            )
        ]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A public holiday (on any day of the week) or a weekend day worked in exchange (调休上班)."""

    # Keyed by the year itself, so that the database can check that the date lies in it.
    calendar_year = models.ForeignKey(
        CalendarYear,
        verbose_name=_("year"),
        to_field="year",
        db_column="year",
        on_delete=models.CASCADE,
        related_name="days",
    )
    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=30)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                name="calendar_day_in_its_year",
                condition=Q(date__year=F("calendar_year")),
                violation_error_message=_("The date must lie in the year of the schedule."),
            ),
            models.CheckConstraint(
                name="calendar_day_work_on_weekend",
                # week_day: 1 is Sunday, 7 is Saturday.
                condition=Q(is_working_day=False) | Q(date__week_day__in=[1, 7]),
                violation_error_message=_("Only a Saturday or a Sunday can be a make-up working day."),
            ),
            models.CheckConstraint(
                name="calendar_day_has_name",
                condition=~Q(name=""),
                violation_error_message=_("Give the day a name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
