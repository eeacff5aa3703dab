"""Periodic work of livelihood projects (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from core.tasks import periodic_task
from livelihood import reminders
from notifications.reminders import run_sweep


@periodic_task(name="livelihood.remind_overdue_milestones")
def remind_overdue_milestones() -> dict:
    return run_sweep(reminders.OVERDUE_MILESTONES)
