from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.dates import validate_event_date
from deputies.models import Deputy
from organisation.models import Grid, Station

# --- Reception: rules, days and rosters ------------------------------------------------------


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


# --- Visits and opinions -------------------------------------------------------------------------


class VisitChannel(models.TextChoices):
    AT_STATION = "at_station", _("Reception at the station")
    HOME_VISIT = "home_visit", _("Home visit")
    GRID_PATROL = "grid_patrol", _("Grid patrol")
    ONLINE = "online", _("QR code / online")
    PHONE = "phone", _("Telephone")
    WECHAT = "wechat", _("WeChat")
    COURTYARD_TALK = "courtyard_talk", _("Courtyard talk")
    COUNCIL = "council", _("Deliberation council")


class Visit(models.Model):
    """One reception event (接待记录): who received how many constituents, where and how."""

    station = models.ForeignKey(Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="visits")
    reception_day = models.ForeignKey(
        ReceptionDay,
        verbose_name=_("reception day"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    date = models.DateField(_("date"), validators=[validate_event_date])
    channel = models.CharField(_("channel"), max_length=20, choices=VisitChannel.choices)
    deputies = models.ManyToManyField(
        Deputy, verbose_name=_("receiving deputies"), related_name="visits_received", blank=True
    )
    headcount = models.PositiveIntegerField(_("number of constituents"), default=1)
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="visits_recorded"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                name="visit_headcount_at_least_one",
                condition=Q(headcount__gte=1),
                violation_error_message=_("A visit receives at least one constituent."),
            ),
        ]
        indexes = [
            models.Index(fields=["station", "date"]),
            # The lists' order (-date, -id), read backwards so that a page needs no sort.
            models.Index(fields=["date", "id"], name="visit_date_id"),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.date} ({self.get_channel_display()})"


class VisitConstituent(models.Model):
    """A constituent who came, when they gave their name: personal information (PIPL)."""

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="constituents")
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("visiting constituent")
        verbose_name_plural = _("visiting constituents")
        ordering = ["visit", "id"]
        constraints = [
            models.CheckConstraint(
                name="visit_constituent_has_name_or_phone",
                condition=~Q(name="") | ~Q(phone=""),
                violation_error_message=_("Give the constituent's name or phone."),
            ),
        ]

    def __str__(self) -> str:
        return self.name or "-"


class OpinionCategory(models.TextChoices):
    URBAN_CONSTRUCTION = "urban_construction", _("Urban construction")
    TRAFFIC = "traffic", _("Traffic")
    ENVIRONMENT = "environment", _("Environment")
    EDUCATION = "education", _("Education")
    MEDICAL = "medical", _("Medical care")
    ELDERLY_CARE = "elderly_care", _("Elderly care")
    PROPERTY = "property", _("Property management")
    SAFETY = "safety", _("Safety")
    BUSINESS = "business", _("Business environment")
    OTHER = "other", _("Other")


class OpinionOutcome(models.TextChoices):
    """The one way an opinion ends; an opinion without one is still waiting for triage."""

    ANSWERED_ON_SITE = "answered_on_site", _("Answered on site")
    REFERRED = "referred", _("Referred for handling")
    ESCALATED = "escalated", _("Escalated into a suggestion")
    FILED = "filed", _("Filed for reference")


class OpinionSource(models.TextChoices):
    DESK = "desk", _("Station desk")
    PUBLIC = "public", _("Public QR channel")
    DEPUTY = "deputy", _("Recorded by a deputy")


class Opinion(models.Model):
    """社情民意: one matter raised (一事一条).

    ``outcome`` is a single column, so an opinion can never have two outcomes; the
    check constraints tie the referral fields to the ``referred`` outcome and the
    outcome's timestamp to the outcome itself. ``resolved_at`` is separate: whether
    the underlying problem was solved.
    """

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), null=True, blank=True, on_delete=models.PROTECT, related_name="opinions"
    )
    station = models.ForeignKey(Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="opinions")
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), null=True, blank=True, on_delete=models.PROTECT, related_name="opinions"
    )
    deputy = models.ForeignKey(
        Deputy,
        verbose_name=_("deputy addressed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions_addressed",
        help_text=_("The deputy whose QR code was scanned, or who recorded the opinion."),
    )
    source = models.CharField(_("source"), max_length=10, choices=OpinionSource.choices)
    category = models.CharField(_("category"), max_length=30, choices=OpinionCategory.choices)
    content = models.TextField(_("content"))
    received_on = models.DateField(_("received on"), validators=[validate_event_date])

    outcome = models.CharField(_("outcome"), max_length=20, choices=OpinionOutcome.choices, null=True, blank=True)
    outcome_note = models.TextField(
        _("reply or note"), blank=True, help_text=_("Shown to the constituent who checks the opinion's status.")
    )
    outcome_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    outcome_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("outcome recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    referral_unit = models.ForeignKey(
        "organisation.HandlingUnit",
        verbose_name=_("referred to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_opinions",
    )

    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution_note = models.TextField(_("how it was solved"), blank=True)

    # The public channel: the constituent follows progress with the code plus four digits
    # (their phone's last four, or a check number shown once when they gave no phone).
    tracking_code = models.CharField(_("tracking code"), max_length=12, null=True, blank=True, unique=True)
    check_digits = models.CharField(_("check digits"), max_length=4, blank=True)
    contact_name = models.CharField(_("constituent name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("constituent phone"), max_length=20, blank=True)

    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions_recorded",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="opinion_outcome_known",
                condition=Q(outcome__isnull=True)
                | Q(outcome__in=["answered_on_site", "referred", "escalated", "filed"]),
                violation_error_message=_("Unknown outcome."),
            ),
            models.CheckConstraint(
                name="opinion_referral_unit_iff_referred",
                # Spelled out so that a NULL outcome never makes the check "unknown" (which passes).
                condition=(Q(outcome__isnull=False) & Q(outcome="referred") & Q(referral_unit__isnull=False))
                | (Q(referral_unit__isnull=True) & (Q(outcome__isnull=True) | ~Q(outcome="referred"))),
                violation_error_message=_("A referred opinion names the unit it was referred to, and only then."),
            ),
            models.CheckConstraint(
                name="opinion_outcome_time_iff_outcome",
                condition=Q(outcome__isnull=True, outcome_at__isnull=True)
                | Q(outcome__isnull=False, outcome_at__isnull=False),
                violation_error_message=_("An outcome is recorded with its time."),
            ),
            models.CheckConstraint(
                name="opinion_resolved_after_outcome_with_note",
                condition=Q(resolved_at__isnull=True) | (Q(outcome__isnull=False) & ~Q(resolution_note="")),
                violation_error_message=_("Only an opinion with an outcome can be resolved, and how is recorded."),
            ),
            models.CheckConstraint(
                name="opinion_public_has_tracking",
                condition=~Q(source="public") | (Q(tracking_code__isnull=False) & ~Q(check_digits="")),
                violation_error_message=_("A public opinion has a tracking code and check digits."),
            ),
            models.CheckConstraint(
                name="opinion_content_not_empty",
                condition=~Q(content=""),
                violation_error_message=_("Describe the matter."),
            ),
        ]
        indexes = [
            models.Index(fields=["station", "received_on"]),
            # The lists' order (-received_on, -id), read backwards so that a page needs no sort.
            models.Index(fields=["received_on", "id"], name="opinion_received_id"),
            models.Index(fields=["outcome"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_category_display()}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class OpinionPhoto(models.Model):
    opinion = models.ForeignKey(Opinion, verbose_name=_("opinion"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="opinions/%Y/%m/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("opinion photo")
        verbose_name_plural = _("opinion photos")
        ordering = ["opinion", "id"]

    def __str__(self) -> str:
        return self.image.name


class OpinionEventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    OUTCOME = "outcome", _("Outcome recorded")
    FEEDBACK = "feedback", _("Referral feedback")
    RESOLVED = "resolved", _("Resolved")
    NOTE = "note", _("Note")


class OpinionEvent(models.Model):
    """Append-only history of an opinion: every change is one row (who, when, what)."""

    opinion = models.ForeignKey(Opinion, verbose_name=_("opinion"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=OpinionEventKind.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=OpinionOutcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        "accounts.User", verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("opinion event")
        verbose_name_plural = _("opinion events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.opinion_id} {self.kind} {self.at}"


class ReferralFeedback(models.Model):
    """What the community or department an opinion was referred to reported back."""

    opinion = models.ForeignKey(
        Opinion, verbose_name=_("opinion"), on_delete=models.CASCADE, related_name="referral_feedback"
    )
    content = models.TextField(_("feedback"))
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral feedback")
        verbose_name_plural = _("referral feedback")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="referral_feedback_not_empty",
                condition=~Q(content=""),
                violation_error_message=_("The feedback is empty."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opinion_id}: {self.content[:30]}"


# --- Personal information audit ------------------------------------------------------------------


class PersonalDataAction(models.TextChoices):
    REVEAL = "reveal", _("Revealed in full")
    EXPORT = "export", _("Exported")


class PersonalDataAccess(models.Model):
    """Every reveal of a full phone number and every export of personal data (kept ≥ 6 months)."""

    user = models.ForeignKey(
        "accounts.User", verbose_name=_("user"), on_delete=models.PROTECT, related_name="personal_data_accesses"
    )
    action = models.CharField(_("action"), max_length=10, choices=PersonalDataAction.choices)
    subject = models.CharField(_("what"), max_length=200)
    object_type = models.CharField(_("record type"), max_length=30)
    object_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.subject}"
