from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # Registers the start-up check that a CJK font is installed.
        from reports import (
            checks,  # noqa: F401
            summaries,
        )

        # The reception and suggestion statistics read the summary tables while they are fresh.
        summaries.register()
