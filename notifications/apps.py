from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from core.tasks import keep_run_log
        from notifications import checks  # noqa: F401  (registers the system checks)
        from notifications.services import TaskRunLog

        keep_run_log(TaskRunLog())  # every periodic task's runs show on the status page
