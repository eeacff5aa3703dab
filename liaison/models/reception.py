"""Reception rules, the reception days they generate, and who is on duty each day."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.dates import validate_event_date
from deputies.models import Deputy
from organisation.models import Station


class ReceptionRuleKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly, on a day of the month")
    WEEKLY = "weekly", _("Weekly, on a weekday")
    ONCE = "once", _("Once, on a date")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ReceptionRule(models.Model):
    """How a station's reception days (接待选民日) recur.

    A monthly rule on a day the month does not have (the 31st in April, the 30th in
    February) falls on the month's last day, so a station never silently skips a month.
    """

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="reception_rules"
    )
    kind = models.CharField(_("recurrence"), max_length=10, choices=ReceptionRuleKind.choices)
    day_of_month = models.PositiveSmallIntegerField(_("day of month"), null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True, validators=[validate_event_date])
    valid_from = models.DateField(_("valid from"), validators=[validate_event_date])
    valid_to = models.DateField(_("valid to"), null=True, blank=True, validators=[validate_event_date])
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reception rule")
        verbose_name_plural = _("reception rules")
        ordering = ["station", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                name="reception_rule_fields_match_kind",
                condition=(
                    Q(kind="monthly", day_of_month__isnull=False, weekday__isnull=True, date__isnull=True)
                    | Q(kind="weekly", day_of_month__isnull=True, weekday__isnull=False, date__isnull=True)
                    | Q(kind="once", day_of_month__isnull=True, weekday__isnull=True, date__isnull=False)
                ),
                violation_error_message=_("A rule has exactly the field its recurrence needs."),
            ),
            models.CheckConstraint(
                name="reception_rule_day_of_month_range",
                condition=Q(day_of_month__isnull=True) | Q(day_of_month__gte=1, day_of_month__lte=31),
                violation_error_message=_("The day of the month must be between 1 and 31."),
            ),
            models.CheckConstraint(
                name="reception_rule_weekday_range",
                condition=Q(weekday__isnull=True) | Q(weekday__gte=0, weekday__lte=6),
                violation_error_message=_("Unknown weekday."),
            ),
            models.CheckConstraint(
                name="reception_rule_valid_to_after_from",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                violation_error_message=_("A rule cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.describe()}"

    def describe(self) -> str:
        from django.utils.translation import gettext

        if self.kind == ReceptionRuleKind.MONTHLY:
            return gettext("Day %(day)s of every month") % {"day": self.day_of_month}
        if self.kind == ReceptionRuleKind.WEEKLY:
            return gettext("Every %(weekday)s") % {"weekday": Weekday(self.weekday).label}
        return gettext("Once on %(date)s") % {"date": self.date}


class ReceptionDayOrigin(models.TextChoices):
    GENERATED = "generated", _("From a rule")
    ONE_OFF = "one_off", _("One-off")


class ReceptionDay(models.Model):
    """A day on which a station receives constituents; at most one per station and date."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="reception_days"
    )
    date = models.DateField(_("date"), validators=[validate_event_date])
    origin = models.CharField(_("origin"), max_length=10, choices=ReceptionDayOrigin.choices)
    rule = models.ForeignKey(
        ReceptionRule,
        verbose_name=_("rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="days",
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["date", "station"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "date"],
                name="one_reception_day_per_station_and_date",
                violation_error_message=_("This station already has a reception day on that date."),
            ),
            models.CheckConstraint(
                name="cancelled_day_has_reason",
                condition=Q(is_cancelled=False) | ~Q(cancel_reason=""),
                violation_error_message=_("Give a reason for cancelling the reception day."),
            ),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.station} {self.date}"


class RosterEntry(models.Model):
    """One deputy, or one deputy group, on duty for a reception day (编组轮值)."""

    day = models.ForeignKey(
        ReceptionDay, verbose_name=_("reception day"), on_delete=models.CASCADE, related_name="roster"
    )
    deputy = models.ForeignKey(
        Deputy,
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roster_entries",
    )
    group = models.ForeignKey(
        "deputies.DeputyGroup",
        verbose_name=_("deputy group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roster_entries",
    )

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        ordering = ["day", "id"]
        constraints = [
            models.CheckConstraint(
                name="roster_entry_is_deputy_or_group",
                condition=Q(deputy__isnull=False, group__isnull=True) | Q(deputy__isnull=True, group__isnull=False),
                violation_error_message=_("A roster entry names either a deputy or a deputy group."),
            ),
            models.UniqueConstraint(
                fields=["day", "deputy"], condition=Q(deputy__isnull=False), name="unique_roster_deputy_per_day"
            ),
            models.UniqueConstraint(
                fields=["day", "group"], condition=Q(group__isnull=False), name="unique_roster_group_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.deputy or self.group}"
