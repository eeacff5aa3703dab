"""Periodic work of the stations (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from core.tasks import periodic_task
from liaison import reminders
from liaison.services.rules import reception_rules_extend
from notifications.reminders import run_sweep


@periodic_task(name="liaison.remind_reception_tomorrow")
def remind_reception_tomorrow() -> dict:
    return run_sweep(reminders.RECEPTION_TOMORROW)


@periodic_task(name="liaison.remind_grid_duties")
def remind_grid_duties() -> dict:
    return run_sweep(reminders.GRID_DUTY_MISSING)


@periodic_task(name="liaison.extend_reception_days")
def extend_reception_days() -> dict:
    """Generate reception days up to the horizon for open-ended rules; safe to run twice."""
    return {"rules": reception_rules_extend()}
