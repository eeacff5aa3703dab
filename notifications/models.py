"""Notifications, their deliveries on external channels, reminders already sent and periodic-task runs.

This app sits just above ``accounts``: any app may notify people, and it refers to the objects a
notification is about only through a link (a URL and optionally a content type and id).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in one person's inbox. Written in the transaction of the event that causes it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    # A machine-readable kind, e.g. "reminder.suggestion_reply_due"; the title is what people read.
    verb = models.CharField(_("kind"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    # A path inside this site ("/suggestions/42/"); never an outside address.
    url = models.CharField(_("link"), max_length=500, blank=True)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    reminder = models.OneToOneField(
        "ReminderSent",
        verbose_name=_("reminder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notification",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The inbox: one person's notifications, newest first.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox_idx"),
            # The unread badge on every page counts these; the partial index stays small.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            # The notifications about one record, found when the record is deleted.
            models.Index(fields=["target_type", "target_id"], name="notification_target_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Channel(models.TextChoices):
    """External channels; the in-app inbox is always on and needs no delivery row."""

    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class NotificationPreference(models.Model):
    """Which external channels a person wants; a person without a row gets the defaults below."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("by email"), default=True)
    sms = models.BooleanField(_("by SMS"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    def wants(self, channel: str) -> bool:
        return bool(getattr(self, channel))


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One notification on one external channel.

    A sender claims a pending row with a conditional UPDATE (pending → sending) before it sends, so
    two workers never send the same row; a row whose sender died while sending is marked failed, not
    sent again, because the message may already have gone out.
    """

    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claim_token = models.UUIDField(_("claim token"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
        ]
        indexes = [
            models.Index(fields=["claim_token"], name="delivery_claim_idx"),
            # The retry sweep reads pending rows whose time has come, and senders that died mid-send.
            models.Index(
                fields=["next_attempt_at"], condition=Q(status=DeliveryStatus.PENDING), name="delivery_pending_idx"
            ),
            models.Index(
                fields=["claimed_at"], condition=Q(status=DeliveryStatus.SENDING), name="delivery_sending_idx"
            ),
            models.Index(fields=["-created_at"], condition=Q(status=DeliveryStatus.FAILED), name="delivery_failed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id}/{self.channel}"


class ReminderSent(models.Model):
    """The claim that one reminder went to one person, for one subject, at one threshold.

    A sweep INSERTs these rows before it sends anything (``bulk_create(ignore_conflicts=True)``) and
    sends only the rows it inserted itself (read back by ``sweep_token``); the unique constraint makes
    a second sweep, or a concurrent one, skip them. This is what makes a reminder go out at most once.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    rule = models.CharField(_("rule"), max_length=60)
    # What the reminder is about, e.g. "suggestion:42"; and which step, e.g. "suggestion_reply_due:7d".
    subject_key = models.CharField(_("subject"), max_length=100)
    threshold_key = models.CharField(_("threshold"), max_length=100)
    sweep_token = models.UUIDField(_("sweep"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "subject_key", "threshold_key"], name="reminder_once_per_threshold"
            ),
        ]
        indexes = [
            models.Index(fields=["sweep_token"], name="reminder_sweep_idx"),
            models.Index(fields=["created_at", "rule"], name="reminder_created_idx"),
            # A sweep reads the claims already made at the thresholds due now (``already_claimed``); a rule
            # skips the subjects already claimed at a threshold (``reminders.claimed``).
            models.Index(fields=["rule", "threshold_key", "subject_key"], name="reminder_rule_threshold_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.subject_key} {self.threshold_key} → {self.recipient_id}"


class SweepMark(models.Model):
    """Where a reminder rule's last complete sweep left off: the day it swept for, when it began, and the
    day of its last full sweep. An incremental rule reads only what became due or changed since
    (``notifications.reminders.Since``); a full sweep every few days catches anything else."""

    rule = models.CharField(_("rule"), max_length=60, unique=True)
    day = models.DateField(_("swept for"))
    started_at = models.DateTimeField(_("started at"))
    full_on = models.DateField(_("last full sweep"))

    class Meta:
        verbose_name = _("reminder sweep mark")
        verbose_name_plural = _("reminder sweep marks")

    def __str__(self) -> str:
        return f"{self.rule} {self.day}"


class TaskRunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


# The periodic task whose single ``TaskRun`` row proves that background work flows (refreshed each beat).
HEARTBEAT_TASK = "notifications.heartbeat"


class TaskRun(models.Model):
    """One run of a periodic task, for the status page.

    A run still "running" long after the hard time limit belongs to a worker that died; the task
    itself was redelivered and shows up as a later run.
    """

    task_name = models.CharField(_("task"), max_length=100)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TaskRunStatus.choices, default=TaskRunStatus.RUNNING)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("task run")
        verbose_name_plural = _("task runs")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["task_name", "-started_at"], name="taskrun_last_idx"),
            models.Index(fields=["-started_at"], condition=Q(status=TaskRunStatus.FAILED), name="taskrun_failed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} {self.started_at:%Y-%m-%d %H:%M}"
