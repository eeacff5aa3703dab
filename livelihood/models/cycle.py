"""The year's cycle, its recorded history and its candidate pool (征集, 初定)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from livelihood.models.choices import ACTION_LABELS, STAGE_ORDER, ProposerKind, Stage, VoteResult


class YearCycle(models.Model):
    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    places = models.PositiveSmallIntegerField(
        _("number of places"), validators=[MinValueValidator(1)], help_text=_("How many projects the vote selects.")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.COLLECTING)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("livelihood project cycle")
        verbose_name_plural = _("livelihood project cycles")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                name="cycle_has_places", condition=Q(places__gte=1), violation_error_message=_("At least one place.")
            )
        ]

    def __str__(self) -> str:
        return self.title or str(self.year)

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage)

    def reached(self, stage: str) -> bool:
        """Whether the cycle is at ``stage`` or later."""
        return self.stage_index >= STAGE_ORDER.index(stage)


class CycleEvent(models.Model):
    """One recorded action in a cycle (append-only): who, when, what, stage before and after."""

    cycle = models.ForeignKey(YearCycle, on_delete=models.CASCADE, related_name="events", verbose_name=_("cycle"))
    action = models.CharField(_("action"), max_length=40)
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    candidate = models.ForeignKey(
        "Candidate", verbose_name=_("candidate"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        "Project", verbose_name=_("project"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("cycle event")
        verbose_name_plural = _("cycle events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["cycle", "created_at"])]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Cycle events are append-only.")
        super().save(*args, **kwargs)

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


class Candidate(models.Model):
    """One proposed project in a cycle's pool (征集), possibly shortlisted (初定) and voted on."""

    cycle = models.ForeignKey(YearCycle, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("cycle"))
    title = models.CharField(_("project name"), max_length=200)
    description = models.TextField(_("description"))
    proposer_kind = models.CharField(_("proposed by"), max_length=20, choices=ProposerKind.choices)
    # A constituent's or department's name; personal data for constituents, never shown publicly.
    proposer_name = models.CharField(_("proposer name"), max_length=100, blank=True)
    proposer_phone = models.CharField(_("proposer phone"), max_length=20, blank=True)
    proposer_deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("proposing deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="livelihood_candidates",
    )
    estimated_budget = models.DecimalField(
        _("estimated budget (10k yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    responsible_unit = models.ForeignKey(
        "organisation.HandlingUnit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="livelihood_candidates",
    )
    # Where the proposal came from, when it grew out of a recorded opinion or a deputy's suggestion.
    source_opinion = models.ForeignKey(
        "liaison.Opinion",
        verbose_name=_("source opinion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="livelihood_candidates",
    )
    source_suggestion = models.ForeignKey(
        "suggestions.Suggestion",
        verbose_name=_("source suggestion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="livelihood_candidates",
    )
    shortlisted = models.BooleanField(_("shortlisted"), default=False)
    # Filled when the vote closes: the tally (counts only) and the outcome.
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstain"), default=0)
    result = models.CharField(_("vote result"), max_length=20, choices=VoteResult.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("candidate project")
        verbose_name_plural = _("candidate projects")
        ordering = ["cycle", "id"]
        indexes = [models.Index(fields=["cycle", "shortlisted"])]
        constraints = [
            models.CheckConstraint(
                name="deputy_proposal_names_deputy",
                condition=~Q(proposer_kind=ProposerKind.DEPUTY) | Q(proposer_deputy__isnull=False),
                violation_error_message=_("A deputy's proposal must name the deputy."),
            ),
            models.CheckConstraint(
                name="candidate_has_at_most_one_source",
                condition=Q(source_opinion__isnull=True) | Q(source_suggestion__isnull=True),
                violation_error_message=_("A candidate comes from one opinion or one suggestion, not both."),
            ),
            models.CheckConstraint(
                name="candidate_result_only_if_shortlisted",
                condition=Q(result="") | Q(shortlisted=True),
                violation_error_message=_("Only shortlisted candidates have a vote result."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.proposer_kind == ProposerKind.DEPUTY and self.proposer_deputy_id is None:
            raise ValidationError({"proposer_deputy": _("A deputy's proposal must name the deputy.")})

    @property
    def public_proposer(self) -> str:
        """Who proposed it, as the public may see it: the kind only, never a person's name."""
        return self.get_proposer_kind_display()
