"""Opinions (社情民意), their photos, their history and the feedback of the units they were referred to."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels
from core.dates import validate_event_date
from core.search import SearchableFields
from deputies.models import Deputy
from liaison.models.visits import Visit
from organisation.models import Grid, Station


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


class Opinion(ChoiceLabels):
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
        db_index=False,  # opinion_deputy_received below starts with it
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

    # Indexed for full-text search (core.search; the column is added by migration 0010).
    SEARCH = SearchableFields("content", "outcome_note", "resolution_note")

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
            # A station's (or a staff member's few stations') opinions newest first: the keys of a page are
            # read from this index alone (core.pagination.page_rows).
            models.Index(fields=["station", "received_on", "id"], name="opinion_station_received"),
            # The lists' order (-received_on, -id), read backwards so that a page needs no sort.
            models.Index(fields=["received_on", "id"], name="opinion_received_id"),
            models.Index(fields=["outcome"]),
            # A deputy's opinions of a year (the performance figures and the ranking of a station's deputies).
            models.Index(fields=["deputy", "received_on"], name="opinion_deputy_received"),
            # The desk's "waiting for triage" count and list of a station's opinions: a small index of
            # the pending rows only, instead of every row of the stations.
            models.Index(
                fields=["station", "received_on"], condition=Q(outcome__isnull=True), name="opinion_pending_station"
            ),
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
    SMS = "sms", _("Tracking code sent by SMS")


class OpinionEvent(models.Model):
    """Append-only history of an opinion: every change is one row (who, when, what)."""

    opinion = models.ForeignKey(Opinion, verbose_name=_("opinion"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=OpinionEventKind.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=OpinionOutcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        "accounts.User", verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    # Set when the step was recorded afterwards with the date it happened (补录): ``at`` is that date,
    # this is when ``actor`` entered it.
    entered_at = models.DateTimeField(_("entered afterwards at"), null=True, blank=True)
    # For a message sent because of this step (the tracking code by SMS): when the task claimed it, so
    # that a redelivered or retried task never sends it twice.
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

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
