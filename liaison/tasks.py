"""Periodic work of the stations (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.tasks import periodic_task, reliable_task
from liaison import reminders
from liaison.models import Opinion
from liaison.services import public as public_services
from liaison.services.rules import reception_rules_extend
from notifications.reminders import run_sweep
from notifications.services import sms_text_send


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


@reliable_task(name=public_services.SMS_TASK, soft_time_limit=60, time_limit=90)
def send_tracking_sms(self, opinion_id: int, event_id: int | None = None) -> bool:
    """Send a public opinion's tracking code to the phone its sender left (queued on their request).

    The request's history row (``event_id``) is claimed first: a message redelivered after a worker died,
    or the task run twice, sends nothing more.
    """
    opinion = Opinion.objects.filter(pk=opinion_id, source="public").exclude(contact_phone="").first()
    if opinion is None:
        return False
    if event_id is not None and not public_services.tracking_sms_claim(opinion_id=opinion_id, event_id=event_id):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        text = public_services.tracking_sms_text(opinion)
    return sms_text_send(phone=opinion.contact_phone, text=text, url=reverse("liaison:public_status"))
