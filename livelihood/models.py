"""民生实事项目票决制: the yearly cycle from candidate pool to published evaluation.

A ``YearCycle`` moves through its stages only through ``livelihood.services``;
every change writes a ``CycleEvent``. Votes are secret: results expose counts,
the office audit exposes who voted, and only the deputy sees their own choices.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.dates import validate_event_date


class Stage(models.TextChoices):
    COLLECTING = "collecting", _("Collecting candidates")  # 征集
    SHORTLISTING = "shortlisting", _("Shortlisting")  # 初定
    VOTING = "voting", _("Voting")  # 票决
    IMPLEMENTING = "implementing", _("Implementing")  # 实施
    SUPERVISING = "supervising", _("Supervising")  # 监督
    EVALUATING = "evaluating", _("Evaluating")  # 测评
    PUBLISHED = "published", _("Published")  # 公示


STAGE_ORDER = list(Stage.values)

# What each recorded action is called in the history (the verbs of ``livelihood.services``).
ACTION_LABELS = {
    "cycle_create": _("start the cycle"),
    "candidate_add": _("add a candidate"),
    "candidate_update": _("edit a candidate"),
    "shortlisting_start": _("start shortlisting"),
    "shortlist_set": _("set the shortlist"),
    "vote_open": _("open the vote"),
    "attendance_add": _("record attendance"),
    "ballot_cast": _("cast a ballot"),
    "paper_ballots_enter": _("enter paper ballots"),
    "vote_close": _("close the vote"),
    "tie_decide": _("decide a tie"),
    "implementation_start": _("start implementation"),
    "sub_item_add": _("add a sub-item"),
    "milestone_add": _("add a milestone"),
    "milestone_complete": _("complete a milestone"),
    "progress_record": _("record progress"),
    "supervision_start": _("start supervision"),
    "visit_record": _("record a supervision visit"),
    "evaluation_start": _("start evaluation"),
    "rating_record": _("rate a project"),
    "publish": _("publish the results"),
}


class ProposerKind(models.TextChoices):
    CONSTITUENT = "constituent", _("Constituent")
    DEPUTY = "deputy", _("Deputy")
    OPINION = "opinion", _("Constituent opinion")
    SUGGESTION = "suggestion", _("Deputy suggestion")
    DEPARTMENT = "department", _("Government department")


class VoteResult(models.TextChoices):
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    # Tied at the cut-off for the last places: the office must record a decision.
    TIE = "tie", _("Tied at the cut-off")


class Choice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class BallotChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper ballot")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


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


class VotingSession(models.Model):
    """The meeting at which deputies vote on the shortlist (票决); one per cycle."""

    cycle = models.OneToOneField(
        YearCycle, on_delete=models.PROTECT, related_name="voting_session", verbose_name=_("cycle")
    )
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when the vote closed with a tie at the cut-off and cleared when the office decides it.
    tie_pending = models.BooleanField(_("tie awaiting a decision"), default=False)
    tie_decision_note = models.TextField(_("tie decision"), blank=True)

    class Meta:
        verbose_name = _("voting session")
        verbose_name_plural = _("voting sessions")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return str(self.cycle)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Attendance(models.Model):
    """A deputy present at the voting session; only they may vote, and they set the majority."""

    session = models.ForeignKey(
        VotingSession, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="livelihood_attendance", verbose_name=_("deputy")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "deputy"],
                name="unique_attendance",
                violation_error_message=_("This deputy is already recorded as present."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.deputy_id}"


class Ballot(models.Model):
    """One deputy's ballot in a session: who and when are auditable; how is in ``choices``."""

    session = models.ForeignKey(
        VotingSession, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("session")
    )
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="livelihood_ballots", verbose_name=_("deputy")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=BallotChannel.choices, default=BallotChannel.ONLINE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["cast_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "deputy"],
                name="one_ballot_per_deputy",
                violation_error_message=_("This deputy has already voted."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.deputy_id}"


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices", verbose_name=_("ballot"))
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="ballot_choices", verbose_name=_("candidate")
    )
    choice = models.CharField(_("choice"), max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "candidate"],
                name="one_choice_per_candidate",
                violation_error_message=_("A ballot has one choice per candidate."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} · {self.candidate_id}"


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
