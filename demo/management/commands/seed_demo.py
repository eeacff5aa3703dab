"""Build (or complete) the demo street: ``python manage.py seed_demo``.

Safe to run again on the same database: every builder looks its rows up by natural key before
creating them, so a second run changes nothing.

The demo creates accounts whose passwords are published in the README (among them a superuser), so
the command refuses to run unless DEBUG is on or ``--i-know-this-is-not-production`` is given.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.builders.base import DemoContext

# Run in this order; each module exposes ``build(ctx)``. Add a part of the product by appending
# its builder module here.
BUILDERS = [
    "demo.builders.organisation",
    "demo.builders.units",
    "demo.builders.accounts",
    "demo.builders.livelihood",
    "demo.builders.reception",
    "demo.builders.history",
    "demo.builders.suggestions",
    "demo.builders.contacts",
    "demo.builders.reminders",
    "demo.builders.topics",
]


class Command(BaseCommand):
    help = "Create the demo street (stations, grids, deputies, units, one account per role); idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="i_know_this_is_not_production",
            help="Run even though DEBUG is off. The demo accounts have published passwords.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["i_know_this_is_not_production"]:
            raise CommandError(
                "Refusing to load the demo data: DEBUG is off, so this may be a production database, and the "
                "demo accounts (including the superuser demo_admin) have passwords published in the README. "
                "Run with DEBUG=1, or pass --i-know-this-is-not-production if this database is disposable."
            )

        def log(message: str) -> None:
            if options["verbosity"] > 0:
                self.stdout.write(f"  {message}")

        # One transaction: a builder that fails leaves the database as it was.
        with transaction.atomic():
            for path in BUILDERS:
                builder = import_module(path)
                builder.build(DemoContext(builder=path.rsplit(".", 1)[-1], log=log))
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS("Demo data is ready."))
