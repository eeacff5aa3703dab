from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportKind(models.TextChoices):
    DEPUTY_ANNUAL = "deputy_annual", _("Deputy's annual performance report")
    STATION_ANNUAL = "station_annual", _("Station annual report")
    STREET_ANNUAL = "street_annual", _("Street annual report")
    BATCH = "batch", _("Batch of deputies' reports")


class JobStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("report job", "Pending")
    RUNNING = "running", pgettext_lazy("report job", "Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def report_upload_to(job: "ReportJob", filename: str) -> str:
    return f"reports/{job.year}/{filename}"


class ReportJob(models.Model):
    """One request to print a PDF, worked through by a Celery task.

    ``subject_id`` is a deputy (deputy_annual), a station (station_annual, and batch
    for one station's deputies) or empty (street_annual, and batch for the whole
    street). The status only moves pending → running → done | failed; the task
    claims a pending job with one conditional update, so running it twice is harmless.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    subject_id = models.PositiveBigIntegerField(_("subject"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    # What the generation code is doing, for the job page ("第 12/62 份：张建国"); written with the progress.
    progress_note = models.CharField(_("progress note"), max_length=200, blank=True)
    error = models.TextField(_("reason for failure"), blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=report_upload_to, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="report_jobs"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Refreshed with every progress step: a running job whose heartbeat is older than the
    # task's hard time limit was killed with its worker and is failed by ``jobs_fail_stale``.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # The Celery task id of the run that claimed the job: a redelivered or retried message carries the
    # same id and may resume the job its killed predecessor left running.
    task_id = models.CharField(_("task id"), max_length=255, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="report_job_progress_0_100",
                condition=Q(progress__gte=0, progress__lte=100),
                violation_error_message=_("Progress is between 0 and 100."),
            ),
            models.CheckConstraint(
                name="report_job_status_known",
                condition=Q(status__in=["pending", "running", "done", "failed"]),
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                name="report_job_done_has_file",
                condition=~Q(status="done") | ~Q(file=""),
                violation_error_message=_("A finished report has its file."),
            ),
            models.CheckConstraint(
                name="report_job_failed_has_reason",
                condition=~Q(status="failed") | ~Q(error=""),
                violation_error_message=_("A failed report says why."),
            ),
            models.CheckConstraint(
                name="report_job_subject_matches_kind",
                condition=Q(kind__in=["deputy_annual", "station_annual"], subject_id__isnull=False)
                | Q(kind="street_annual", subject_id__isnull=True)
                | Q(kind="batch"),
                violation_error_message=_("This kind of report needs a subject."),
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"]),
            models.Index(fields=["status", "heartbeat_at"]),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.year}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class PointItem(models.TextChoices):
    """What earns points (积分) in a deputy's performance file; one weight each."""

    RECEPTION_DAY = "reception_day", _("Reception day served")
    VISIT = "visit", _("Visit received")
    OPINION = "opinion", _("Opinion collected")
    GRID_DUTY = "grid_duty", _("Grid duty done")
    ACTIVITY = "activity", _("Activity attended")
    SUGGESTION_LED = "suggestion_led", _("Suggestion led")
    SUGGESTION_COSIGNED = "suggestion_cosigned", _("Suggestion co-signed")
    SUGGESTION_RESOLVED = "suggestion_resolved", _("Suggestion resolved (class A reply)")
    PROJECT_SUPERVISED = "project_supervised", _("Livelihood project supervised")
    VOTER_CONTACT = "voter_contact", _("Voter contact")
    REPORT_TO_CONSTITUENTS = "report_to_constituents", _("Report to constituents")


# The starting weights; the office changes them on the weights page.
DEFAULT_WEIGHTS = {
    PointItem.RECEPTION_DAY: 2,
    PointItem.VISIT: 1,
    PointItem.OPINION: 1,
    PointItem.GRID_DUTY: 1,
    PointItem.ACTIVITY: 2,
    PointItem.SUGGESTION_LED: 5,
    PointItem.SUGGESTION_COSIGNED: 2,
    PointItem.SUGGESTION_RESOLVED: 3,
    PointItem.PROJECT_SUPERVISED: 2,
    PointItem.VOTER_CONTACT: 0.5,
    PointItem.REPORT_TO_CONSTITUENTS: 5,
}


class PointWeight(models.Model):
    """How many points one unit of an item is worth; edited by the office, history kept by ``updated_*``."""

    item = models.CharField(_("item"), max_length=30, choices=PointItem.choices, unique=True)
    weight = models.DecimalField(_("points each"), max_digits=6, decimal_places=2)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("point weight")
        verbose_name_plural = _("point weights")
        ordering = ["item"]
        constraints = [
            models.CheckConstraint(
                name="point_weight_range",
                condition=Q(weight__gte=0, weight__lte=1000),
                violation_error_message=_("A weight is between 0 and 1000 points."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {self.weight}"


class PointWeightChange(models.Model):
    """Append-only record of every weight change: rankings must be explainable afterwards."""

    item = models.CharField(_("item"), max_length=30, choices=PointItem.choices)
    old_weight = models.DecimalField(_("old weight"), max_digits=6, decimal_places=2, null=True, blank=True)
    new_weight = models.DecimalField(_("new weight"), max_digits=6, decimal_places=2)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("point weight change")
        verbose_name_plural = _("point weight changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item}: {self.old_weight} → {self.new_weight}"


# --- Summary tables --------------------------------------------------------------------------------
#
# The dashboards, the statistics API and the annual reports read their figures from these tables,
# rebuilt from scratch by the ``reports.refresh_statistics`` task (``reports.summaries``). Nothing
# else writes them; they hold no fact of their own and can be dropped and rebuilt at any time.


class StatisticsRefresh(models.Model):
    """When the summary tables were last rebuilt (one row), and how long it took."""

    refreshed_at = models.DateTimeField(_("refreshed at"))
    seconds = models.FloatField(_("seconds"), default=0)
    first_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)

    class Meta:
        verbose_name = _("statistics refresh")
        verbose_name_plural = _("statistics refreshes")

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}"


class StationMonthRow(models.Model):
    """A summary row of one station and one month (``month`` is the month's first day)."""

    station = models.ForeignKey(
        "organisation.Station", verbose_name=_("station"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))

    class Meta:
        abstract = True


class OpinionCounts(models.Model):
    """The opinion counts of a summary row: received, and by outcome."""

    opinions = models.PositiveIntegerField(default=0)
    answered_on_site = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    referred = models.PositiveIntegerField(default=0)
    filed = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class OpinionMonth(StationMonthRow, OpinionCounts):
    """Opinions of one station received in one month, of one category, by outcome."""

    category = models.CharField(_("category"), max_length=30)

    class Meta:
        verbose_name = _("opinions of a station-month")
        verbose_name_plural = _("opinions of station-months")
        constraints = [
            models.UniqueConstraint(fields=["station", "month", "category"], name="opinion_month_unique"),
        ]
        indexes = [models.Index(fields=["month", "station"], name="opinion_month_month_station")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.month:%Y-%m} {self.category}: {self.opinions}"


class OpinionStationMonth(StationMonthRow, OpinionCounts):
    """Opinions of one station received in one month, every category together: what the station figures
    and the monthly series read (a tenth of ``OpinionMonth``'s rows; a city's all-time figures sum
    36,000 rows instead of 315,000)."""

    class Meta:
        verbose_name = _("opinions of a station-month, all categories")
        verbose_name_plural = _("opinions of station-months, all categories")
        constraints = [models.UniqueConstraint(fields=["station", "month"], name="opinion_station_month_unique")]
        indexes = [models.Index(fields=["month", "station"], name="opinion_station_month_idx")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.month:%Y-%m}: {self.opinions}"


class OpinionActivityMonth(StationMonthRow):
    """Opinion outcomes and resolutions of one station by the month they happened (the activity basis,
    ``liaison.periods``): answered on site and escalated by the month the outcome was recorded, resolved
    by the month of resolution. A station-month may have two rows (one per kind of event); readers sum."""

    answered_on_site = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("opinion outcomes of a station-month")
        verbose_name_plural = _("opinion outcomes of station-months")
        indexes = [models.Index(fields=["month", "station"], name="opinion_act_month_station")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.month:%Y-%m}: {self.answered_on_site}/{self.escalated}/{self.resolved}"


class VisitMonth(StationMonthRow):
    """Visits of one station in one month and their person-times."""

    visits = models.PositiveIntegerField(default=0)
    person_times = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("visits of a station-month")
        verbose_name_plural = _("visits of station-months")
        constraints = [models.UniqueConstraint(fields=["station", "month"], name="visit_month_unique")]
        indexes = [models.Index(fields=["month", "station"], name="visit_month_month_station")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.month:%Y-%m}: {self.visits}"


class DeputyYear(models.Model):
    """A deputy's figures of one year (``reports.metrics.FIGURE_KEYS``) and "四个一" compliance."""

    deputy = models.ForeignKey("deputies.Deputy", verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    figures = models.JSONField(_("figures"), default=dict)
    # {duty kind: [periods due, periods done, duties recorded]}
    compliance = models.JSONField(_("compliance"), default=dict)

    class Meta:
        verbose_name = _("deputy's year")
        verbose_name_plural = _("deputies' years")
        constraints = [models.UniqueConstraint(fields=["year", "deputy"], name="deputy_year_unique")]

    def __str__(self) -> str:
        return f"{self.deputy_id} {self.year}"


class SuggestionYear(models.Model):
    """The suggestion metric counts (``metric_aggregates``) of one cohort year (first submitted:
    ``suggestions.periods``), lead unit and category."""

    year = models.PositiveSmallIntegerField(_("year"))
    lead_unit = models.ForeignKey(
        "organisation.HandlingUnit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=30)
    counts = models.JSONField(_("counts"), default=dict)

    class Meta:
        verbose_name = _("suggestions of a year")
        verbose_name_plural = _("suggestions of years")
        indexes = [models.Index(fields=["year", "lead_unit"], name="suggestion_year_year_unit")]

    def __str__(self) -> str:
        return f"{self.year} {self.lead_unit_id} {self.category}"


class SuggestionActivityYear(models.Model):
    """The suggestion metric counts of one year, lead unit and category on the activity basis
    (``suggestions.periods``): each figure by the year of its own event (交办, first reply, closure,
    first evaluation)."""

    year = models.PositiveSmallIntegerField(_("year"))
    lead_unit = models.ForeignKey(
        "organisation.HandlingUnit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=30)
    counts = models.JSONField(_("counts"), default=dict)

    class Meta:
        verbose_name = _("suggestion work of a year")
        verbose_name_plural = _("suggestion work of years")
        indexes = [models.Index(fields=["year", "lead_unit"], name="suggestion_act_year_unit")]

    def __str__(self) -> str:
        return f"{self.year} {self.lead_unit_id} {self.category}"
