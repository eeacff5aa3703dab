"""System checks: the SMS channel setting names a usable class; no task can outlive the broker's patience."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import autodiscover_modules, import_string


@register()
def sms_channel_check(app_configs, **kwargs):
    from notifications.channels import SmsChannel

    path = settings.NOTIFICATIONS_SMS_CHANNEL
    try:
        channel = import_string(path)
    except ImportError as exc:
        return [Error(f"NOTIFICATIONS_SMS_CHANNEL={path!r} cannot be imported: {exc}", id="notifications.E001")]
    if not (isinstance(channel, type) and issubclass(channel, SmsChannel)):
        return [Error(f"NOTIFICATIONS_SMS_CHANNEL={path!r} is not a SmsChannel subclass", id="notifications.E002")]
    return []


@register()
def task_limits_check(app_configs, **kwargs):
    from config.celery import app, task_limit_problems

    autodiscover_modules("tasks")  # registers every app's tasks.py (as the worker does)
    return [Error(problem, id="notifications.E003") for problem in task_limit_problems(app)]
