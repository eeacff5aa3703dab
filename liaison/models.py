from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.dates import validate_event_date
from deputies.models import Deputy


class StationKind(models.TextChoices):
    """The "1+4+N" tree: one hub, area stations under it, community points under those."""

    HUB = "hub", _("Hub (home of deputies)")
    AREA = "area", _("Area station")
    POINT = "point", _("Community point")


# The kind a station's parent must have; a hub has no parent.
PARENT_KIND = {StationKind.AREA: StationKind.HUB, StationKind.POINT: StationKind.AREA}


class Station(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=StationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    resident_deputies = models.ManyToManyField(
        Deputy, verbose_name=_("resident deputies"), related_name="resident_stations", blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                name="hub_has_no_parent_others_do",
                condition=(Q(kind=StationKind.HUB) & Q(parent__isnull=True))
                | (~Q(kind=StationKind.HUB) & Q(parent__isnull=False)),
                violation_error_message=_("A hub has no parent station; every other station has one."),
            ),
            models.CheckConstraint(
                name="station_not_own_parent",
                condition=~Q(parent=F("id")),
                violation_error_message=_("A station cannot be its own parent."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        expected = PARENT_KIND.get(self.kind)
        if expected and self.parent_id and self.parent.kind != expected:
            raise ValidationError(
                {
                    "parent": _("A %(kind)s must sit under a %(parent)s.")
                    % {"kind": self.get_kind_display(), "parent": StationKind(expected).label}
                }
            )


class Community(models.Model):
    """社区: the area that a community point serves and that grid centres sit in."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="communities"
    )

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GridCentre(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="grid_centres"
    )

    class Meta:
        verbose_name = _("grid centre")
        verbose_name_plural = _("grid centres")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    """A unit grid; it belongs to exactly one grid centre."""

    centre = models.ForeignKey(
        GridCentre, verbose_name=_("grid centre"), on_delete=models.PROTECT, related_name="grids"
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=30, unique=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "name"],
                name="unique_grid_name_in_centre",
                violation_error_message=_("This grid centre already has a grid with this name."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class GridRole(models.TextChoices):
    LEADER = "leader", _("Grid leader")
    MEMBER = "member", _("Grid member")


class GridMode(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")


class GridAssignment(models.Model):
    """A deputy assigned to a grid (就近、就便、就选区); ``end_date`` closes it."""

    grid = models.ForeignKey(Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="assignments")
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="grid_assignments"
    )
    role = models.CharField(_("grid role"), max_length=10, choices=GridRole.choices, default=GridRole.MEMBER)
    mode = models.CharField(_("mode"), max_length=10, choices=GridMode.choices, default=GridMode.PART_TIME)
    start_date = models.DateField(_("start date"), validators=[validate_event_date])
    end_date = models.DateField(_("end date"), null=True, blank=True, validators=[validate_event_date])

    class Meta:
        verbose_name = _("grid assignment")
        verbose_name_plural = _("grid assignments")
        ordering = ["grid", "role", "deputy"]
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "deputy"],
                condition=Q(end_date__isnull=True),
                name="one_open_assignment_per_deputy_and_grid",
                violation_error_message=_("This deputy is already assigned to this grid."),
            ),
            models.UniqueConstraint(
                fields=["grid"],
                condition=Q(end_date__isnull=True, role="leader"),
                name="one_open_leader_per_grid",
                violation_error_message=_("This grid already has a grid leader."),
            ),
            models.CheckConstraint(
                name="assignment_ends_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                violation_error_message=_("An assignment cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} @ {self.grid} ({self.get_role_display()})"


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
        "suggestions.HandlingUnit",
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


# --- Grid duties "四个一" and activities ---------------------------------------------------------


class DutyPeriod(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class GridDutyKind(models.TextChoices):
    PATROL = "patrol", _("Grid patrol")
    GRID_MEETING = "grid_meeting", _("Community grid meeting")
    RESEARCH = "research", _("Research visit")
    REPORT = "report", _("Report to constituents")


# "四个一": how often each duty is due.
DUTY_PERIODS = {
    GridDutyKind.PATROL: DutyPeriod.MONTH,
    GridDutyKind.GRID_MEETING: DutyPeriod.MONTH,
    GridDutyKind.RESEARCH: DutyPeriod.QUARTER,
    GridDutyKind.REPORT: DutyPeriod.YEAR,
}


class GridDuty(models.Model):
    """One "四个一" duty done by an assigned deputy in a grid."""

    deputy = models.ForeignKey(Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="grid_duties")
    grid = models.ForeignKey(Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="duties")
    kind = models.CharField(_("duty"), max_length=20, choices=GridDutyKind.choices)
    date = models.DateField(_("date"), validators=[validate_event_date])
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("grid duty")
        verbose_name_plural = _("grid duties")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["deputy", "kind", "date"]), models.Index(fields=["grid", "date"])]

    def __str__(self) -> str:
        return f"{self.deputy} {self.get_kind_display()} {self.date}"


class VoterContactWay(models.TextChoices):
    IN_PERSON = "in_person", _("Face to face")
    HOME_VISIT = "home_visit", _("Home visit")
    PHONE = "phone", _("Phone call")
    WECHAT = "wechat", _("WeChat")
    MEETING = "meeting", _("Talk or forum")
    OTHER = "other", _("Other")


# 双联: a deputy is expected to contact voters at least this many times a year (DOMAIN.md).
VOTER_CONTACTS_PER_YEAR = 10
# ... and to keep in regular contact with at least this many constituents.
CONSTITUENT_LINKS_MIN = 5


class VoterContact(models.Model):
    """One contact of a deputy with voters (联系选民) outside station reception: a call, a home visit, a talk.

    Visits received at a station are recorded as ``Visit``; this is the deputy's own
    contact work under 双联, recorded by the deputy or for them by the station or office.
    """

    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="voter_contacts"
    )
    date = models.DateField(_("date"), validators=[validate_event_date])
    way = models.CharField(_("way of contact"), max_length=20, choices=VoterContactWay.choices)
    constituent = models.ForeignKey(
        "deputies.ConstituentLink",
        verbose_name=_("linked constituent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
        help_text=_("One of the deputy's linked constituents, when the contact was with one of them."),
    )
    people = models.PositiveSmallIntegerField(_("people contacted"), default=1)
    subject = models.CharField(_("contact subject"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("voter contact")
        verbose_name_plural = _("voter contacts")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["deputy", "date"])]
        constraints = [
            models.CheckConstraint(
                name="voter_contact_people_range",
                condition=Q(people__gte=1) & Q(people__lte=500),
                violation_error_message=_("Enter between 1 and 500 people."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.get_way_display()} {self.date}"


class ActivityKind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    RESEARCH = "research", _("Research")
    LAW_ENFORCEMENT_CHECK = "law_enforcement_check", _("Law-enforcement check")
    STATION_INQUIRY = "station_inquiry", _("Station inquiry")
    COUNCIL = "council", _("Deliberation council")
    TRAINING = "training", _("Training")
    THEME_EVENT = "theme_event", _("Theme event")


class Activity(models.Model):
    """A deputy activity organised by a station (视察, 调研, 执法检查 …)."""

    station = models.ForeignKey(Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), validators=[validate_event_date])
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["station", "date"])]

    def __str__(self) -> str:
        return self.title


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class ActivityAttendance(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attendance"
    )
    deputy = models.ForeignKey(Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["activity", "deputy"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "deputy"],
                name="one_attendance_per_deputy_and_activity",
                violation_error_message=_("This deputy's attendance is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.deputy_id} {self.status}"


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
