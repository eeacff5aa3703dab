from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    name = "topics"
    verbose_name = _("Hot topics")

    def ready(self):
        from topics import hooks

        # A saved opinion is placed in its topic by a task queued after the commit (topics.hooks); the
        # opinion page lists the opinions of its topic. The liaison app, a layer below, knows neither.
        hooks.connect()
