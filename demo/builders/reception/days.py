"""Reception rules (the hub monthly, the area stations weekly) and the rosters of their days."""

from demo.builders.organisation import AREA_GROUP
from deputies.models import Deputy, DeputyGroup
from liaison.models import ReceptionDay, ReceptionRule
from liaison.services.reception import roster_set
from liaison.services.rules import reception_rule_create


def add_rules(office, hub, areas, start, today) -> int:
    created = 0
    if not ReceptionRule.objects.filter(station=hub).exists():
        reception_rule_create(
            station=hub,
            kind="monthly",
            day_of_month=15,
            valid_from=start,
            note="代表接待选民日",
            actor=office,
        )
        created += 1
    for area in areas:
        if not ReceptionRule.objects.filter(station=area).exists():
            reception_rule_create(
                station=area,
                kind="weekly",
                weekday=4,
                valid_from=start,
                note="代表固定活动日",
                actor=office,
            )
            created += 1
    return created


def add_rosters(ctx, office, hub, areas, start) -> list[ReceptionDay]:
    """Give every reception day without a roster one: two resident deputies at the hub, the area's group."""
    days = list(ReceptionDay.objects.filter(station__in=[hub, *areas], date__gte=start).select_related("station"))
    rostered = set(ReceptionDay.objects.filter(roster__isnull=False).values_list("id", flat=True))
    residents = list(hub.resident_deputies.filter(is_active=True).order_by("id")) or list(
        Deputy.objects.filter(is_active=True).order_by("id")[:6]
    )
    groups = {
        area.id: DeputyGroup.objects.filter(name=AREA_GROUP.format(area=area.name.removesuffix("实践站"))).first()
        for area in areas
    }
    for index, day in enumerate(sorted(days, key=lambda d: (d.date, d.station_id))):
        if day.id in rostered or day.is_cancelled:
            continue
        if day.station_id == hub.id:
            pair = [residents[(2 * index) % len(residents)], residents[(2 * index + 1) % len(residents)]]
            roster_set(day=day, deputies=pair, actor=office)
        elif groups.get(day.station_id):
            roster_set(day=day, groups=[groups[day.station_id]], actor=office)
    return days
