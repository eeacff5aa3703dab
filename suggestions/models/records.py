"""督 and after: supervision notes, follow-up reports on B/C replies, and the append-only timeline."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suggestions.models.choices import Action, State
from suggestions.models.handling import Reply
from suggestions.models.suggestion import Suggestion


class SupervisionNote(models.Model):
    """督: a leader's or the office's note; ``key_supervision`` records a flag being set or lifted."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="supervision_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"))
    key_supervision = models.BooleanField(_("key supervision set"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("supervision note")
        verbose_name_plural = _("supervision notes")
        ordering = ["suggestion", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.created_at:%Y-%m-%d}"


class FollowUp(models.Model):
    """回头看: progress on a B/C reply after closing, until the unit reports it solved."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="follow_ups")
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="follow_ups")
    content = models.TextField(_("progress"))
    solved = models.BooleanField(_("solved"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["suggestion", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.recorded_at:%Y-%m-%d}"


class SuggestionEvent(models.Model):
    """One line of the timeline: who did what, when, from which state to which. Append-only."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices)
    note = models.TextField(_("note"), blank=True)
    # Structured details for the timeline (unit names, reply class, rating, new deadline …).
    data = models.JSONField(_("details"), default=dict, blank=True)
    # Set when the step was recorded afterwards with the date it happened (补录): ``at`` is that date,
    # this is when ``actor`` entered it.
    entered_at = models.DateTimeField(_("entered afterwards at"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion event")
        verbose_name_plural = _("suggestion events")
        ordering = ["suggestion", "at", "id"]
        indexes = [models.Index(fields=["suggestion", "at"], name="event_suggestion_at")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.action} {self.from_state}→{self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Suggestion events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Suggestion events are append-only.")

    @property
    def back_recorded(self) -> bool:
        return self.entered_at is not None
