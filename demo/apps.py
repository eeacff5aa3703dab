from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Builds a believable demo street; nothing imports this app."""

    name = "demo"
    verbose_name = "Demo data"
