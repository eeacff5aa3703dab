"""交 and 办: the units' assignments, co-unit opinions, contacts with the deputy, replies and their evaluation."""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import validate_event_date
from core.search import SearchableFields
from organisation.models import HandlingUnit
from suggestions.models.choices import Rating, ReplyClass
from suggestions.models.drafting import ATTACHMENT_EXTENSIONS, _attachment_path
from suggestions.models.suggestion import Suggestion


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    CO = "co", _("Co-unit")


class Assignment(models.Model):
    """A unit's part in handling a suggestion; ``active`` ends when the office takes it back."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(HandlingUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=10, choices=AssignmentRole.choices)
    active = models.BooleanField(_("active"), default=True)
    assigned_on = models.DateField(_("assigned on"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Co-units owe the lead unit their written opinion by this date.
    opinion_due = models.DateField(_("opinion due"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["suggestion", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "unit"],
                condition=Q(active=True),
                name="one_active_assignment_per_unit",
                violation_error_message=_("This unit is already assigned this suggestion."),
            ),
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=Q(active=True, role="lead"),
                name="one_active_lead_unit",
                violation_error_message=_("A suggestion has one lead unit."),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "active"], name="assignment_unit_active"),
            models.Index(fields=["active", "opinion_due"], name="assignment_opinion_due"),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} → {self.unit} ({self.get_role_display()})"


class CoUnitOpinion(models.Model):
    """A co-unit's written opinion to the lead unit, one per assignment and reply round."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="co_unit_opinions")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="opinions")
    round = models.PositiveSmallIntegerField(_("reply round"), default=1)
    content = models.TextField(_("opinion"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("co-unit opinion")
        verbose_name_plural = _("co-unit opinions")
        ordering = ["suggestion", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "round"],
                name="one_co_opinion_per_round",
                violation_error_message=_("This unit has already given its opinion for this round."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.assignment_id} · {self.round}"


class ContactMethod(models.TextChoices):
    MEETING = "meeting", _("Met in person")
    PHONE = "phone", _("Phone call")


class Contact(models.Model):
    """见面/电话沟通: the lead unit talked to the deputy before replying."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="contacts")
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("method"), max_length=10, choices=ContactMethod.choices)
    contacted_on = models.DateField(_("date"), validators=[validate_event_date])
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("contact with the deputy")
        verbose_name_plural = _("contacts with the deputy")
        ordering = ["suggestion", "contacted_on", "id"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.method} · {self.contacted_on}"


class Reply(models.Model):
    """The lead unit's written reply; round 1 is the first reply, round 2 the reply after 不满意."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(_("round"))
    unit = models.ForeignKey(HandlingUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="replies")
    reply_class = models.CharField(_("reply class"), max_length=1, choices=ReplyClass.choices)
    content = models.TextField(_("reply"))
    contacted = models.BooleanField(_("deputy contacted before replying"), default=False)
    attachment = models.FileField(
        _("attachment"),
        upload_to=_attachment_path,
        blank=True,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
    )
    attachment_name = models.CharField(_("attachment file name"), max_length=200, blank=True)
    replied_at = models.DateTimeField(_("replied at"), default=timezone.now)
    replied_on = models.DateField(_("replied on"))
    # The deadline in force when the reply was given (after any approved extension): on time ⇔ replied_on ≤ due_on.
    due_on = models.DateField(_("due on"))
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    # Indexed for full-text search (core.search; the column is added by migration 0010).
    SEARCH = SearchableFields("content")

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["suggestion", "round"]
        # The evaluation reminder's incremental sweep reads the replies whose waiting time ran out since.
        indexes = [models.Index(fields=["replied_on"], name="reply_replied_on")]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round"],
                name="one_reply_per_round",
                violation_error_message=_("This round already has a reply."),
            ),
            models.CheckConstraint(
                name="reply_round_1_or_2",
                condition=Q(round__in=[1, 2]),
                violation_error_message=_("A reply is the first or the second."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.round} · {self.reply_class}"

    @property
    def on_time(self) -> bool:
        return self.replied_on <= self.due_on


class Evaluation(models.Model):
    """评: the lead deputy's rating of one reply; the first may send it back, the final one closes it."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="evaluations")
    reply = models.OneToOneField(Reply, on_delete=models.CASCADE, related_name="evaluation")
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    is_first = models.BooleanField(_("first evaluation"))
    is_final = models.BooleanField(_("final evaluation"))
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    evaluated_at = models.DateTimeField(_("evaluated at"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["suggestion", "evaluated_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="evaluation_first_or_final",
                condition=Q(is_first=True) | Q(is_final=True),
                violation_error_message=_("An evaluation is the first, the final, or both."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.rating}"
