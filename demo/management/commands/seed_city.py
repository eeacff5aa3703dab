"""Generate a whole city's data for measuring the product at scale: ``python manage.py seed_city --scale S``.

``--scale 1`` gives about 600 stations (30 streets of 1 hub + 4 areas + 15 community points), 5,000
deputies, 700,000 visits with 1,000,000 opinions spread over five years, and 180,000 suggestions in every
state of their lifecycle; ``--scale 0.05`` a small city. Rows are written with ``bulk_create`` in batches,
without the services (no notifications, no timeline events), but every row satisfies the database's
constraints. The random generator is seeded, so the same scale on the same day gives the same data.

It refuses a database that already holds stations, deputies, accounts, opinions or suggestions unless
``--append`` is given (a second city is then added under other names), and, like ``seed_demo``, refuses
to run when DEBUG is off unless ``--i-know-this-is-not-production`` is given: its accounts share one
published password (``CITY_PASSWORD``). The generation itself lives in ``demo.city``.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.models import User
from demo.city.builder import CityBuilder
from demo.city.figures import CITY_PASSWORD
from deputies.models import Deputy
from liaison.models import Opinion
from organisation.models import HandlingUnit, Station, StationKind
from suggestions.models import Suggestion

# CITY_PASSWORD is read from here by the benchmark and the tests.
__all__ = ["CITY_PASSWORD", "Command"]


class Command(BaseCommand):
    help = "Generate a city's stations, deputies, visits, opinions and suggestions (--scale 1: ~1M opinions)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, required=True, help="1 is a whole city; 0.05 a small one.")
        parser.add_argument("--append", action="store_true", help="Add a city to a database that already holds data.")
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="i_know_this_is_not_production",
            help="Run even though DEBUG is off. The generated accounts share a published password.",
        )

    def handle(self, *args, **options):
        scale = options["scale"]
        if not 0 < scale <= 5:
            raise CommandError("--scale must be above 0 and at most 5.")
        if not settings.DEBUG and not options["i_know_this_is_not_production"]:
            raise CommandError(
                "Refusing to generate a city: DEBUG is off, so this may be a production database, and the "
                "generated accounts share a published password. Run with DEBUG=1, or pass "
                "--i-know-this-is-not-production if this database is disposable."
            )
        holds_data = any(model.objects.exists() for model in (Station, Deputy, User, Opinion, Suggestion, HandlingUnit))
        if holds_data and not options["append"]:
            raise CommandError(
                "Refusing to generate a city: the database already holds data. Pass --append to add a city to it."
            )
        self.verbose = options["verbosity"] > 0
        started = time.monotonic()
        # A namespace keeps the names of an appended city apart from the ones already there.
        tag = "" if not holds_data else f"{Station.objects.filter(kind=StationKind.HUB).count() + 1}"
        with transaction.atomic():
            counts = CityBuilder(scale=scale, tag=tag, log=self.log).build()
        if connection.vendor == "postgresql":
            # A bulk load leaves the planner without statistics and the tables without a visibility map
            # until autovacuum comes round: a fresh city was planned as if its tables were empty, and
            # counted its rows from the heap instead of an index-only scan. (VACUUM cannot run inside a
            # transaction, e.g. a test's: ANALYZE alone there.)
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            self.log(command)
            with connection.cursor() as cursor:
                cursor.execute(command)
        if self.verbose:
            summary = ", ".join(f"{name} {count:,}" for name, count in counts.items())
            self.stdout.write(self.style.SUCCESS(f"City generated in {time.monotonic() - started:.0f} s: {summary}."))

    def log(self, message: str) -> None:
        if self.verbose:
            self.stdout.write(f"  {message}")
            self.stdout.flush()
