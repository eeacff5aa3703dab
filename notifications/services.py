"""Every change to notifications: writing them, delivering them, reading them, preferences."""

import logging
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from core import clock
from core.masking import mask_phone
from core.tasks import enqueue_on_commit
from notifications.channels import OutgoingMessage, external_channel
from notifications.models import (
    HEARTBEAT_TASK,
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    TaskRun,
    TaskRunStatus,
)

logger = logging.getLogger(__name__)

# The task that sends a chunk of deliveries (``notifications.tasks.deliver``), queued by name.
DELIVER_TASK = "notifications.deliver"
# Deliveries are queued in chunks so that one task message stays small and one task stays short.
DELIVERY_CHUNK = 200
# Retry a failed delivery after a random wait of up to base × 2^(attempt−1) seconds (full jitter), capped.
DELIVERY_RETRY_BASE = 60
DELIVERY_RETRY_CAP = 3600


@dataclass(frozen=True)
class Message:
    """One notification to write: who gets it, what it says and what it links to."""

    recipient_id: int
    verb: str
    title: str
    body: str = ""
    url: str = ""
    target_type_id: int | None = None
    target_id: int | None = None
    reminder_id: int | None = None


def check_link(url: str) -> str:
    """Links stay inside the site: a path such as "/suggestions/42/", never another host."""
    if url and not (url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)):
        raise ValueError(f"A notification link must be a path inside this site, not {url!r}")
    return url


def target_of(obj) -> tuple[int | None, int | None]:
    """(content type id, object id) for a model instance; the content type is cached by Django."""
    if obj is None:
        return None, None
    return ContentType.objects.get_for_model(obj).pk, obj.pk


def notify(*, recipients: Iterable, verb: str, title: str, body: str = "", url: str = "", target=None):
    """Notify each recipient (users or user ids) once; see ``notify_each`` for the guarantees."""
    recipient_ids = []
    for recipient in recipients:
        recipient_id = getattr(recipient, "pk", recipient)
        if recipient_id not in recipient_ids:
            recipient_ids.append(recipient_id)
    target_type_id, target_id = target_of(target)
    return notify_each(
        messages=[
            Message(
                recipient_id=recipient_id,
                verb=verb,
                title=title,
                body=body,
                url=url,
                target_type_id=target_type_id,
                target_id=target_id,
            )
            for recipient_id in recipient_ids
        ]
    )


def notify_each(*, messages: list[Message]) -> list[Notification]:
    """Write the notifications in the caller's transaction; send external channels after it commits.

    If the caller's transaction rolls back, nothing was notified and nothing is sent. Inactive users
    are skipped. Queries: 3 whatever the number of messages (users with preferences, notifications,
    deliveries; each a single statement on PostgreSQL); the delivery task is queued on commit.
    """
    if not messages:
        return []
    for message in messages:
        check_link(message.url)
    recipient_ids = {message.recipient_id for message in messages}
    users = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(pk__in=recipient_ids, is_active=True)
        .select_related("notification_preference")
    }
    now = clock.now()
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=message.recipient_id,
                    verb=message.verb,
                    title=message.title[:200],
                    body=message.body,
                    url=message.url,
                    target_type_id=message.target_type_id,
                    target_id=message.target_id,
                    reminder_id=message.reminder_id,
                    created_at=now,
                )
                for message in messages
                if message.recipient_id in users
            ]
        )
        deliveries = _plan_deliveries(notifications, users, now)
        if deliveries:
            Delivery.objects.bulk_create(deliveries)
            _queue_deliveries([delivery.pk for delivery in deliveries])
    return notifications


def sms_text_send(*, phone: str, text: str, url: str = "") -> bool:
    """Send one text to a phone number that belongs to no account (a constituent), now, through the
    configured SMS channel. Returns whether it went out; a failure is logged (masked), not raised:
    the caller decided and recorded the sending, and a gateway outage must not undo that."""
    check_link(url)
    channel = external_channel(Channel.SMS)
    try:
        channel.send(OutgoingMessage(key=0, address=phone, title=text, body="", url=url))
    except Exception as exc:  # any gateway failure: logged, reported to the caller
        logger.warning("SMS to %s failed: %s", mask_phone(phone), exc)
        return False
    return True


def preference_for(user) -> NotificationPreference:
    """The user's channel choices; an unsaved row with the defaults when the user never chose."""
    try:
        return user.notification_preference
    except ObjectDoesNotExist:
        return NotificationPreference(user=user)


def _plan_deliveries(notifications, users, now) -> list[Delivery]:
    channels = [external_channel(name) for name in Channel.values]
    planned = []
    for notification in notifications:
        user = users[notification.recipient_id]
        preference = preference_for(user)
        for channel in channels:
            address = channel.address_for(user)
            if address and preference.wants(channel.name):
                planned.append(
                    Delivery(
                        notification=notification,
                        channel=channel.name,
                        address=address,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
    return planned


def _queue_deliveries(delivery_ids: list[int]) -> None:
    for start in range(0, len(delivery_ids), DELIVERY_CHUNK):
        enqueue_on_commit(DELIVER_TASK, delivery_ids[start : start + DELIVERY_CHUNK])


def deliveries_send(*, delivery_ids: list[int]) -> dict:
    """Send these deliveries if they are still pending; safe to run twice or concurrently.

    Each row is claimed by a conditional UPDATE (pending → sending) before anything is sent, so a row
    is sent by at most one caller. A failure puts the row back to pending with a later
    ``next_attempt_at`` (exponential backoff with jitter) until NOTIFICATIONS_MAX_ATTEMPTS, then it is
    marked failed and shows on the status page.
    """
    token = uuid.uuid4()
    now = clock.now()
    claimed = Delivery.objects.filter(
        pk__in=delivery_ids, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(status=DeliveryStatus.SENDING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return {"claimed": 0, "sent": 0, "failed": 0}
    rows = list(Delivery.objects.filter(claim_token=token).select_related("notification"))
    failures = {}
    for channel_name in Channel.values:
        batch = [
            OutgoingMessage(
                key=row.pk,
                address=row.address,
                title=row.notification.title,
                body=row.notification.body,
                url=row.notification.url,
            )
            for row in rows
            if row.channel == channel_name
        ]
        if not batch:
            continue
        try:
            failures.update(external_channel(channel_name).send_many(batch))
        except Exception as exc:  # a broken channel must not leave rows claimed ("sending") forever
            logger.exception("%s channel failed for a whole batch", channel_name)
            failures.update({message.key: f"{type(exc).__name__}: {exc}"[:1000] for message in batch})
    sent_ids = [row.pk for row in rows if row.pk not in failures]
    if sent_ids:
        Delivery.objects.filter(pk__in=sent_ids, claim_token=token).update(
            status=DeliveryStatus.SENT, sent_at=clock.now(), error=""
        )
    for row in rows:
        if row.pk in failures:
            _record_failure(row, failures[row.pk], token)
    return {"claimed": claimed, "sent": len(sent_ids), "failed": len(failures)}


def _record_failure(row: Delivery, error: str, token) -> None:
    if row.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        Delivery.objects.filter(pk=row.pk, claim_token=token).update(status=DeliveryStatus.FAILED, error=error)
        return
    backoff = min(DELIVERY_RETRY_CAP, DELIVERY_RETRY_BASE * 2 ** (row.attempts - 1))
    wait = timedelta(seconds=random.uniform(DELIVERY_RETRY_BASE / 2, backoff))
    Delivery.objects.filter(pk=row.pk, claim_token=token).update(
        status=DeliveryStatus.PENDING, error=error, next_attempt_at=clock.now() + wait
    )


def deliveries_sweep(*, limit: int = 2000) -> dict:
    """Send what is pending and due (never queued because the broker was down, or waiting to retry).

    A row left "sending" by a worker that died mid-send (older than the hard time limit) is marked
    failed rather than resent: the message may already have gone out, and a duplicate is worse than
    a visible failure on the status page.
    """
    now = clock.now()
    stale_before = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    lost = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=stale_before).update(
        status=DeliveryStatus.FAILED, error="The sender stopped while sending; not resent to avoid a duplicate."
    )
    due_ids = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    totals = {"due": len(due_ids), "sent": 0, "failed": 0, "lost": lost}
    for start in range(0, len(due_ids), DELIVERY_CHUNK):
        result = deliveries_send(delivery_ids=due_ids[start : start + DELIVERY_CHUNK])
        totals["sent"] += result["sent"]
        totals["failed"] += result["failed"]
    return totals


# --- The inbox ---------------------------------------------------------------------------------


def notifications_unlink(*, target) -> int:
    """The record ``target`` is being deleted: its notifications stay in their inboxes as history, without
    the link that would now lead nowhere, and are marked read. Returns how many were changed."""
    target_type_id, target_id = target_of(target)
    return Notification.objects.filter(target_type_id=target_type_id, target_id=target_id).update(
        url="", read_at=Coalesce("read_at", Value(clock.now()))
    )


def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read (idempotent).

    Raises ``Notification.DoesNotExist`` for another person's notification, so it looks absent.
    """
    notification = Notification.objects.get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        now = clock.now()
        # Conditional: a concurrent "mark all read" keeps its own timestamp.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of this user read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=clock.now())


@transaction.atomic
def preferences_update(*, user, email: bool, sms: bool) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email": bool(email), "sms": bool(sms)}
    )
    return preference


@transaction.atomic
def test_notification_send(*, user, title: str, body: str) -> list[Notification]:
    """Send the user a notification on every channel they chose: how an admin checks the set-up."""
    return notify(recipients=[user], verb="test", title=title, body=body, url=reverse("notifications:inbox"))


# --- The worker's heartbeat ------------------------------------------------------------------------


@transaction.atomic
def heartbeat_record(*, worker: str, task_id: str = "") -> TaskRun:
    """Record that a worker ran the beat's heartbeat: beat, Redis, worker and database all work.

    One row, refreshed on every beat (not one per minute): the status page and
    ``manage.py check_background --heartbeat`` read its age.
    """
    now = clock.now()
    row = TaskRun.objects.select_for_update().filter(task_name=HEARTBEAT_TASK).order_by("-id").first()
    row = row or TaskRun(task_name=HEARTBEAT_TASK)
    row.task_id, row.worker, row.status = task_id[:64], worker[:200], TaskRunStatus.SUCCEEDED
    row.started_at = row.finished_at = now
    row.summary, row.error = {}, ""
    row.save()
    return row


# --- The history of periodic task runs --------------------------------------------------------------


class TaskRunLog:
    """Records each run of a periodic task in ``TaskRun`` for the status page (see ``core.tasks.periodic_task``).

    Registered with ``core.tasks.keep_run_log`` when the app is ready.
    """

    def run_started(self, *, task_name: str, task_id: str, worker: str) -> int:
        return TaskRun.objects.create(task_name=task_name, task_id=task_id, worker=worker, started_at=clock.now()).pk

    def run_succeeded(self, *, run_id: int, summary: dict) -> None:
        TaskRun.objects.filter(pk=run_id).update(
            status=TaskRunStatus.SUCCEEDED, finished_at=clock.now(), summary=summary
        )

    def run_failed(self, *, run_id: int, error: str) -> None:
        TaskRun.objects.filter(pk=run_id).update(status=TaskRunStatus.FAILED, finished_at=clock.now(), error=error)
