from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("Suggestions")

    def ready(self):
        from liaison.services.opinions import register_escalation
        from suggestions import checks  # noqa: F401  (registers the calendar check)
        from suggestions.services import suggestion_create_from_opinion

        # The visit page escalates opinions (形成意见建议) in the same transaction as the visit.
        register_escalation(suggestion_create_from_opinion)
