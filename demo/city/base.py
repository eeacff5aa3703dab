"""What every part of the city generator shares: batched inserts and the seeded draws."""

import datetime
import random
from contextlib import contextmanager

from django.utils import timezone

from demo.builders.names import FAMILY_NAMES, FEMALE_CHARS, MALE_CHARS, MOBILE_PREFIXES
from demo.city.figures import BATCH, SEED, YEARS
from deputies.models import Gender


def fill(total_at_scale_1: int, scale: float, minimum: int) -> int:
    return max(minimum, round(total_at_scale_1 * scale))


@contextmanager
def stored_timestamps(*fields):
    """Let bulk_create keep the ``created_at`` values drawn here instead of stamping now on every row."""
    saved = [(field, field.auto_now_add, field.auto_now) for field in fields]
    for field, _add, _now in saved:
        field.auto_now_add = False
        field.auto_now = False
    try:
        yield
    finally:
        for field, add, now in saved:
            field.auto_now_add = add
            field.auto_now = now


class CityBase:
    """The generator's state and helpers; the parts of the city (``demo.city.*``) build on it."""

    def __init__(self, *, scale: float, tag: str, log):
        self.scale = scale
        self.tag = tag
        self.log = log
        self.rng = random.Random(f"{SEED}:{scale}:{tag}")
        self.today = timezone.localdate()
        self.first_day = datetime.date(self.today.year - YEARS + 1, 1, 1)
        self.span = (self.today - self.first_day).days
        self.tz = timezone.get_current_timezone()
        self.counts: dict[str, int] = {}

    # --- helpers -------------------------------------------------------------------------------

    def bulk(self, model, rows, label: str | None = None):
        """Insert ``rows`` (an iterable) in batches; returns the created objects (with ids)."""
        created = []
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                created.extend(model.objects.bulk_create(batch))
                batch = []
        if batch:
            created.extend(model.objects.bulk_create(batch))
        if label:
            self.counts[label] = self.counts.get(label, 0) + len(created)
        return created

    def day(self) -> datetime.date:
        # Later years have more records: the square root skews the draw towards today.
        return self.first_day + datetime.timedelta(days=int(self.span * self.rng.random() ** 0.7))

    def moment(self, day: datetime.date, hour_from: int = 8, hour_to: int = 18) -> datetime.datetime:
        naive = datetime.datetime.combine(day, datetime.time(self.rng.randint(hour_from, hour_to - 1)))
        return timezone.make_aware(naive + datetime.timedelta(minutes=self.rng.randint(0, 59)), self.tz)

    def person(self) -> tuple[str, str]:
        gender = self.rng.choice((Gender.MALE, Gender.FEMALE))
        chars = MALE_CHARS if gender == Gender.MALE else FEMALE_CHARS
        name = self.rng.choice(FAMILY_NAMES) + "".join(self.rng.choice(chars) for _ in range(self.rng.choice((1, 2))))
        return name, gender

    def phone(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def weighted(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]
