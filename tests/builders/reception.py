"""Reception data: reception days with their rosters, visits with their opinions, through the services."""

from liaison.services.reception import reception_day_add, roster_set, visit_record


def reception_day(at, day, *, actor, deputies=(), groups=(), note: str = ""):
    """A one-off reception day at station ``at``, rostered with ``deputies`` and ``groups`` when given."""
    created = reception_day_add(station=at, date=day, note=note, actor=actor)
    if deputies or groups:
        roster_set(day=created, actor=actor, deputies=deputies, groups=groups)
    return created


def visit(at, day, *, actor, channel: str = "at_station", headcount: int = 1, **fields):
    """A visit recorded at station ``at`` (``deputies``, ``grid``, ``constituents``, ``opinions`` … as fields)."""
    return visit_record(actor=actor, station=at, date=day, channel=channel, headcount=headcount, **fields)
