"""Build (or complete) the demo street: ``python manage.py seed_demo``.

Safe to run again on the same database: every builder looks its rows up by natural key before
creating them, so a second run changes nothing.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
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
    "demo.builders.suggestions",
    "demo.builders.contacts",
    "demo.builders.reminders",
]


class Command(BaseCommand):
    help = "Create the demo street (stations, grids, deputies, units, one account per role); idempotent."

    def handle(self, *args, **options):
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
