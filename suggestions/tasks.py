"""Periodic reminder sweeps of the suggestion lifecycle (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from core.tasks import periodic_task
from notifications.reminders import run_sweep
from suggestions import reminders


@periodic_task(name="suggestions.remind_reply_due")
def remind_reply_due() -> dict:
    return run_sweep(reminders.REPLY_DUE)


@periodic_task(name="suggestions.remind_co_opinion_due")
def remind_co_opinion_due() -> dict:
    return run_sweep(reminders.CO_OPINION_DUE)


@periodic_task(name="suggestions.remind_overdue")
def remind_overdue() -> dict:
    return run_sweep(reminders.OVERDUE)


@periodic_task(name="suggestions.remind_assignment_pending")
def remind_assignment_pending() -> dict:
    return run_sweep(reminders.ASSIGNMENT_PENDING)


@periodic_task(name="suggestions.remind_evaluation_pending")
def remind_evaluation_pending() -> dict:
    return run_sweep(reminders.EVALUATION_PENDING)


@periodic_task(name="suggestions.remind_risk_high")
def remind_risk_high() -> dict:
    return run_sweep(reminders.RISK_HIGH)
