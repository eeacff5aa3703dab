"""This year's "四个一" grid duties, and the stations' activities with their attendance."""

from datetime import date, timedelta

from demo.builders.reception.content import ACTIVITIES
from deputies.models import Deputy
from duties.models import Activity, GridAssignment, GridDuty, GridDutyKind
from duties.services.grid_duties import activity_create, grid_duty_record


def add_duties(ctx, office, today) -> int:
    """Most grid deputies did their patrols and meetings; fewer their research visit and 述职."""
    if GridDuty.objects.exists():
        return 0
    rng = ctx.rng
    created = 0
    for assignment in GridAssignment.objects.filter(end_date__isnull=True).select_related("grid").order_by("id"):
        diligence = rng.random()
        for month in range(1, today.month + 1):
            for kind, chance in ((GridDutyKind.PATROL, 0.9), (GridDutyKind.GRID_MEETING, 0.8)):
                day = date(today.year, month, rng.randint(1, 28))
                if day < today and rng.random() < chance * (0.5 + diligence / 2):
                    grid_duty_record(deputy=assignment.deputy, grid=assignment.grid, kind=kind, date=day, actor=office)
                    created += 1
            if month % 3 == 2:
                day = date(today.year, month, rng.randint(1, 28))
                if day < today and rng.random() < 0.6 * (0.5 + diligence / 2):
                    grid_duty_record(
                        deputy=assignment.deputy,
                        grid=assignment.grid,
                        kind=GridDutyKind.RESEARCH,
                        date=day,
                        actor=office,
                    )
                    created += 1
        if today.month >= 3 and rng.random() < 0.4:
            grid_duty_record(
                deputy=assignment.deputy,
                grid=assignment.grid,
                kind=GridDutyKind.REPORT,
                date=date(today.year, 2, rng.randint(1, 28)),
                actor=office,
            )
            created += 1
    return created


def add_activities(ctx, office, hub, areas, today) -> int:
    if Activity.objects.exists():
        return 0
    rng = ctx.rng
    deputies = list(Deputy.objects.filter(is_active=True).order_by("id"))
    created = 0
    day = date(today.year - 1, 1, 20)
    while day < today:
        kind, title = rng.choice(ACTIVITIES)
        station = rng.choice([hub, *areas])
        invited = rng.sample(deputies, min(len(deputies), rng.randint(6, 14)))
        attendance = {
            deputy: "present" if rng.random() < 0.8 else rng.choice(("excused", "absent")) for deputy in invited
        }
        activity_create(
            station=station,
            kind=kind,
            title=title,
            date=day,
            location=station.address,
            actor=office,
            attendance=attendance,
        )
        created += 1
        day += timedelta(days=rng.randint(18, 40))
    return created
