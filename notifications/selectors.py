"""Reads of notifications, always scoped to the person asking, and the admins' status summary."""

from datetime import datetime, time, timedelta

from celery.schedules import crontab
from django.conf import settings
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from notifications.models import (
    HEARTBEAT_TASK,
    Delivery,
    DeliveryStatus,
    Notification,
    ReminderSent,
    TaskRun,
    TaskRunStatus,
)


def notifications_for(user, *, unread_only: bool = False):
    """The user's own notifications, newest first; nobody sees another person's inbox."""
    queryset = Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# --- The status page (admins) -----------------------------------------------------------------

FAILURE_WINDOW_DAYS = 7


def periodic_task_status() -> list[dict]:
    """One row per beat entry: its schedule, its last run and its last success. Queries: 3."""
    schedule = settings.CELERY_BEAT_SCHEDULE
    names = sorted({entry["task"] for entry in schedule.values()})
    runs = TaskRun.objects.filter(task_name__in=names).order_by().values("task_name")
    # Ids grow with creation, so the highest id is the latest run (indexed by task_name).
    last_ids = {row["task_name"]: row["last_id"] for row in runs.annotate(last_id=Max("pk"))}
    last_success = {
        row["task_name"]: row["at"]
        for row in runs.filter(status=TaskRunStatus.SUCCEEDED).annotate(at=Max("finished_at"))
    }
    last_runs = TaskRun.objects.in_bulk(list(last_ids.values()))
    stale_before = clock.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    result = []
    for entry_name, entry in sorted(schedule.items()):
        run = last_runs.get(last_ids.get(entry["task"]))
        result.append(
            {
                "entry": entry_name,
                "task": entry["task"],
                "schedule": describe_schedule(entry["schedule"]),
                "last_run": run,
                # A run still "running" after the hard time limit belongs to a worker that died.
                "lost": bool(run and run.status == TaskRunStatus.RUNNING and run.started_at < stale_before),
                "last_success_at": last_success.get(entry["task"]),
            }
        )
    return result


def describe_schedule(schedule) -> str:
    """ "Daily at 07:30" / "Every 5 minutes" for the beat entries this project uses; Celery's text otherwise."""
    if isinstance(schedule, timedelta | int | float):
        seconds = schedule.total_seconds() if isinstance(schedule, timedelta) else float(schedule)
        if seconds % 60 == 0:
            return _("Every %(minutes)d minutes") % {"minutes": seconds // 60}
        return _("Every %(seconds)d seconds") % {"seconds": seconds}
    if isinstance(schedule, crontab) and len(schedule.hour) == 1 and len(schedule.minute) == 1:
        if (
            schedule.day_of_week == set(range(7))
            and len(schedule.day_of_month) == 31
            and len(schedule.month_of_year) == 12
        ):
            (hour,), (minute,) = schedule.hour, schedule.minute
            return _("Daily at %(time)s") % {"time": f"{hour:02d}:{minute:02d}"}
    return str(schedule)


def reminders_sent_today() -> list[dict]:
    """Reminders claimed since local midnight, per rule. Queries: 1."""
    midnight = timezone.make_aware(datetime.combine(clock.today(), time.min))
    return list(
        ReminderSent.objects.filter(created_at__gte=midnight)
        .values("rule")
        .annotate(count=Count("pk"), last_at=Max("created_at"))
        .order_by("rule")
    )


def recent_failures(*, limit: int = 50) -> dict:
    """Failed task runs and failed deliveries of the last week, newest first. Queries: 2."""
    since = clock.now() - timedelta(days=FAILURE_WINDOW_DAYS)
    return {
        "task_runs": list(TaskRun.objects.filter(status=TaskRunStatus.FAILED, started_at__gte=since)[:limit]),
        "deliveries": list(
            Delivery.objects.filter(status=DeliveryStatus.FAILED, created_at__gte=since)
            .select_related("notification__recipient")
            .order_by("-created_at", "-id")[:limit]
        ),
    }


def delivery_backlog() -> dict:
    """How many deliveries wait to be sent, and the oldest one's age. Queries: 1."""
    row = Delivery.objects.filter(status=DeliveryStatus.PENDING).aggregate(count=Count("pk"), oldest=Min("created_at"))
    return row


def worker_heartbeat() -> dict:
    """The last heartbeat a worker ran, its age and whether it is recent enough. Queries: 1.

    No recent heartbeat means the background work does not flow: the worker is gone or not
    consuming, or the beat or Redis is down.
    """
    row = TaskRun.objects.filter(task_name=HEARTBEAT_TASK).order_by("-id").first()
    limit = settings.HEARTBEAT_STALE_SECONDS
    age = (clock.now() - row.finished_at).total_seconds() if row and row.finished_at else None
    return {
        "at": row.finished_at if row else None,
        "worker": row.worker if row else "",
        "age_seconds": None if age is None else int(age),
        "stale_after_seconds": limit,
        "healthy": age is not None and age <= limit,
    }
