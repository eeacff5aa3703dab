"""Requests the office decides: a later reply deadline (extension) and a unit's request to return an item."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import validate_event_date
from suggestions.models.handling import Assignment
from suggestions.models.suggestion import Suggestion


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class OfficeDecidedRequest(models.Model):
    """A request the office approves or rejects: who asked, when, and the decision."""

    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        abstract = True


class Extension(OfficeDecidedRequest):
    """A later reply deadline: asked for by the lead unit (or set by the office), with a reason the deputy sees."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="extensions")
    reason = models.TextField(_("reason"))
    previous_due = models.DateField(_("previous deadline"))
    new_due = models.DateField(_("new deadline"), validators=[validate_event_date])

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["suggestion", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=Q(status="pending"),
                name="one_pending_extension",
                violation_error_message=_("An extension request is already pending."),
            ),
            models.CheckConstraint(
                name="extension_moves_deadline_later",
                condition=Q(new_due__gt=F("previous_due")),
                violation_error_message=_("The new deadline must be later than the current one."),
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="extension_status")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} → {self.new_due} ({self.status})"


class ReturnRequest(OfficeDecidedRequest):
    """A unit asks the office to take an item back as not its business (within 7 working days of 交办)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="return_requests")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="return_requests")
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("return request")
        verbose_name_plural = _("return requests")
        ordering = ["suggestion", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="pending"),
                name="one_pending_return_request",
                violation_error_message=_("This unit has already asked to return the item."),
            )
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="return_request_status")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.assignment_id} ({self.status})"
