"""The selected projects (实施): sub-items, milestones, progress, supervision visits (监督) and ratings (测评)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.dates import validate_event_date
from core.search import SearchableFields
from livelihood.models.choices import Rating
from livelihood.models.cycle import Candidate, YearCycle


class Project(models.Model):
    """A selected candidate being implemented (实施) by its responsible unit."""

    cycle = models.ForeignKey(YearCycle, on_delete=models.PROTECT, related_name="projects", verbose_name=_("cycle"))
    candidate = models.OneToOneField(
        Candidate, on_delete=models.PROTECT, related_name="project", verbose_name=_("candidate")
    )
    title = models.CharField(_("project name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    responsible_unit = models.ForeignKey(
        "organisation.HandlingUnit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="livelihood_projects",
    )
    budget = models.DecimalField(
        _("budget (10k yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # The latest reported progress, kept here so lists need no extra query.
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_updated_at = models.DateTimeField(_("progress updated at"), null=True, blank=True)
    # Written when the results are published (公示); blank until then.
    verdict = models.CharField(_("verdict"), max_length=20, choices=Rating.choices, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Indexed for full-text search (core.search; the column is added by migration 0006).
    SEARCH = SearchableFields("title", "description")

    class Meta:
        verbose_name = _("livelihood project")
        verbose_name_plural = _("livelihood projects")
        ordering = ["cycle", "id"]
        indexes = [models.Index(fields=["responsible_unit", "cycle"])]
        constraints = [
            models.CheckConstraint(
                name="project_progress_is_percent",
                condition=Q(progress_percent__lte=100),
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class SubItem(models.Model):
    """子项目: one part of a project, e.g. one community's share of a renovation."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sub_items", verbose_name=_("project"))
    title = models.CharField(_("name"), max_length=200)
    budget = models.DecimalField(
        _("budget (10k yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sub-item")
        verbose_name_plural = _("sub-items")
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project"))
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due date"), validators=[validate_event_date])
    completed_on = models.DateField(_("completed on"), null=True, blank=True, validators=[validate_event_date])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "due_date", "id"]
        indexes = [
            # overdue_milestones(today): open milestones by due date, nothing else scanned.
            models.Index(fields=["due_date"], condition=Q(completed_on__isnull=True), name="milestone_open_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(models.Model):
    """A progress report (percent, note, photos) by the responsible unit."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="progress_updates", verbose_name=_("project")
    )
    sub_item = models.ForeignKey(
        SubItem,
        verbose_name=_("sub-item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="progress_updates",
    )
    percent = models.PositiveSmallIntegerField(_("progress (%)"), validators=[MaxValueValidator(100)])
    note = models.TextField(_("note"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "created_at"])]
        constraints = [
            models.CheckConstraint(
                name="progress_update_is_percent",
                condition=Q(percent__lte=100),
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.percent}%"


class ProgressPhoto(models.Model):
    update = models.ForeignKey(
        ProgressUpdate, on_delete=models.CASCADE, related_name="photos", verbose_name=_("progress update")
    )
    image = models.ImageField(_("photo"), upload_to="livelihood/progress/%Y/%m/")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress photo")
        verbose_name_plural = _("progress photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name


class SupervisionVisit(models.Model):
    """A deputy's supervision visit (监督) to a project, with what they found."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="supervision_visits", verbose_name=_("project")
    )
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="livelihood_visits", verbose_name=_("deputy")
    )
    visited_on = models.DateField(_("visited on"), validators=[validate_event_date])
    findings = models.TextField(_("findings"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["deputy", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.visited_on}"


class ProjectRating(models.Model):
    """One deputy's evaluation (测评) of one project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("project"))
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="livelihood_ratings", verbose_name=_("deputy")
    )
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    # The deputy themselves online, or the office entering the deputy's paper evaluation form.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rated_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("project rating")
        verbose_name_plural = _("project ratings")
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "deputy"],
                name="one_rating_per_deputy_and_project",
                violation_error_message=_("This deputy has already rated this project."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.rating}"
