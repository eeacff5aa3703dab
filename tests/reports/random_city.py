"""A random city for comparing figures computed two ways: ``seed_city`` plus random duties."""

import datetime
import random

import pytest
from django.core.management import call_command

from accounts.models import User
from deputies.models import Deputy, DeputyGroup
from duties.models import (
    Activity,
    ActivityAttendance,
    AttendanceStatus,
    GridDuty,
    GridDutyKind,
    VoterContact,
    VoterContactWay,
)
from liaison.models import Opinion, ReceptionDay, RosterEntry
from organisation.models import Grid, Station


def add_random_duties(rng: random.Random) -> None:
    """Reception days with rosters (deputies and groups), grid duties, activities and voter contacts."""
    deputies = list(Deputy.objects.order_by("id"))
    stations = list(Station.objects.order_by("id"))
    grids = list(Grid.objects.order_by("id"))
    user = User.objects.order_by("id").first()
    groups = []
    for n in range(4):
        group = DeputyGroup.objects.create(name=f"随机小组{n}")
        group.members.set(rng.sample(deputies, rng.randint(1, min(5, len(deputies)))))
        groups.append(group)
    today = datetime.date.today()
    dates = [today - datetime.timedelta(days=d) for d in range(0, 3 * 365, 3)]
    days = ReceptionDay.objects.bulk_create(
        ReceptionDay(
            station=station,
            date=day,
            origin="one_off",
            is_cancelled=(cancelled := rng.random() < 0.15),
            cancel_reason="下雨" if cancelled else "",
        )
        for station in stations[:6]
        for day in rng.sample(dates, 40)
    )
    roster = []
    for day in days:
        for deputy in rng.sample(deputies, rng.randint(0, 3)):
            roster.append(RosterEntry(day=day, deputy=deputy))
        for group in rng.sample(groups, rng.randint(0, 2)):
            roster.append(RosterEntry(day=day, group=group))
    RosterEntry.objects.bulk_create(roster)
    GridDuty.objects.bulk_create(
        GridDuty(
            deputy=rng.choice(deputies),
            grid=rng.choice(grids),
            kind=rng.choice(GridDutyKind.values),
            date=rng.choice(dates),
            recorded_by=user,
        )
        for _ in range(300)
    )
    activities = Activity.objects.bulk_create(
        Activity(
            station=rng.choice(stations), kind="inspection", title=f"活动{n}", date=rng.choice(dates), created_by=user
        )
        for n in range(30)
    )
    ActivityAttendance.objects.bulk_create(
        ActivityAttendance(activity=activity, deputy=deputy, status=rng.choice(AttendanceStatus.values))
        for activity in activities
        for deputy in rng.sample(deputies, rng.randint(0, 4))
    )
    VoterContact.objects.bulk_create(
        VoterContact(
            deputy=rng.choice(deputies),
            date=rng.choice(dates),
            way=rng.choice(VoterContactWay.values),
            subject="走访",
            recorded_by=user,
        )
        for _ in range(200)
    )
    # Opinions addressed to a deputy who also received their visit, to one who did not, and to none.
    opinions = list(Opinion.objects.filter(visit__isnull=False).order_by("id")[:600])
    for opinion in opinions:
        receivers = list(opinion.visit.deputies.values_list("id", flat=True))
        choice = rng.random()
        if choice < 0.3 and receivers:
            opinion.deputy_id = rng.choice(receivers)
        elif choice < 0.6:
            opinion.deputy_id = rng.choice(deputies).id
    Opinion.objects.bulk_update(opinions, ["deputy"])


@pytest.fixture
def random_city(db, settings):
    settings.DEBUG = True
    call_command("seed_city", "--scale", "0.002", verbosity=0)
    add_random_duties(random.Random(20261207))
