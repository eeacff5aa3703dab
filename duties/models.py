"""What deputies do between reception days: their grids, 四个一 grid duties, activities, voter contacts (双联)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.dates import validate_event_date
from deputies.models import Deputy
from organisation.models import Grid, Station


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
    # 补录: entered after the duty's period (month, quarter, year) had closed, by the station or the office;
    # ``recorded_by`` and ``created_at`` say who entered it and when.
    back_recorded = models.BooleanField(_("recorded afterwards"), default=False)
    updated_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed at"), null=True, blank=True)

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


# 双联: a deputy is expected to contact voters at least this many times a year (docs/domain.md).
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
