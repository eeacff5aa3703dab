"""Run the beat schedule's tasks once, inline: for the demo (no broker, no beat) or a cron job."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import autodiscover_modules


class Command(BaseCommand):
    help = "Run every periodic task of CELERY_BEAT_SCHEDULE once, in this process (or only the named ones)."

    def add_arguments(self, parser):
        parser.add_argument("tasks", nargs="*", help="task names, e.g. suggestions.remind_overdue (default: all)")

    def handle(self, *args, **options):
        from config.celery import app

        autodiscover_modules("tasks")
        scheduled = sorted({entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()})
        names = options["tasks"] or scheduled
        unknown = [name for name in names if name not in app.tasks]
        if unknown:
            raise CommandError(f"Unknown task(s): {', '.join(unknown)}. Scheduled tasks: {', '.join(scheduled)}")
        for name in names:
            # apply() runs the task here, with its TaskRun record, whatever the broker settings say.
            result = app.tasks[name].apply()
            if result.failed():
                self.stderr.write(f"{name}: failed: {result.result!r}")
            else:
                self.stdout.write(f"{name}: {result.result}")
