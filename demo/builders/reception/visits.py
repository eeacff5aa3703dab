"""Visits and opinions: last year's figures from the report, this year's visits in every outcome."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from demo.builders.reception.content import (
    ANSWERS,
    CHANNELS,
    DEPUTY,
    FEEDBACK,
    LAST_YEAR,
    MATTERS,
    OFFICE,
    UNIT_OFFICER,
)
from deputies.models import Deputy
from duties.models import GridAssignment
from liaison.models import Opinion, OpinionOutcome, ReceptionDay, VisitChannel
from liaison.services.opinions import opinion_resolve, opinion_set_outcome, referral_feedback_add
from liaison.services.public import public_opinion_submit
from liaison.services.reception import visit_record
from organisation.models import HandlingUnit, Station, UnitKind
from suggestions.services import suggestion_create_from_opinion


def _matter(rng) -> tuple[str, str]:
    category = rng.choice(list(MATTERS))
    return category, rng.choice(MATTERS[category])


def _grids_by_station() -> dict[int, list]:
    grids: dict[int, list] = {}
    for assignment in GridAssignment.objects.filter(end_date__isnull=True).select_related(
        "grid__centre__community__station__parent"
    ):
        station = assignment.grid.centre.community.station
        for owner in (station, station.parent, station.parent.parent if station.parent else None):
            if owner is not None:
                grids.setdefault(owner.id, [])
                if assignment.grid not in grids[owner.id]:
                    grids[owner.id].append(assignment.grid)
    return grids


def _split(total: int, parts: int, rng) -> list[int]:
    """``parts`` positive integers summing to ``total``."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _record(users, day, station, headcount, opinions, rng, names, grids, deputies, channel=None, actor=None):
    constituents = []
    for _ in range(min(headcount, rng.choice((0, 1, 1, 2)))):
        name, _gender = names.person()
        constituents.append({"name": name, "phone": names.mobile() if rng.random() < 0.8 else ""})
    grid = rng.choice(grids) if grids and rng.random() < 0.7 else None
    return visit_record(
        actor=actor or users[OFFICE],
        station=station,
        date=day,
        channel=channel or rng.choice(CHANNELS),
        headcount=headcount,
        deputies=deputies,
        grid=grid,
        constituents=constituents,
        opinions=[
            {"category": category, "content": content, "grid": grid, **extra} for category, content, extra in opinions
        ],
    )


def _roster_deputies(day: ReceptionDay) -> list[Deputy]:
    deputies = []
    for entry in day.roster.all():
        if entry.deputy:
            deputies.append(entry.deputy)
        elif entry.group:
            deputies.extend(entry.group.members.all()[:2])
    return deputies


def _escalate(opinion, users, rng) -> None:
    deputy = opinion.visit.deputies.first() if opinion.visit_id else None
    deputy = deputy or Deputy.objects.filter(is_active=True).order_by("id").first()
    suggestion_create_from_opinion(opinion=opinion, deputy=deputy, actor=users[OFFICE], title=opinion.content[:40])


def _resolved_at(opinion, rng):
    moment = datetime.combine(opinion.received_on + timedelta(days=rng.randint(7, 60)), time(10, 0))
    return min(timezone.make_aware(moment), timezone.now())


def add_last_year(ctx, names, users, days, today) -> int:
    """328 person-times and 96 opinions (79 answered on site, 17 escalated), 33 of them resolved."""
    rng = ctx.rng
    year = today.year - 1
    grids = _grids_by_station()
    candidates = [d for d in days if d.date.year == year and not d.is_cancelled]
    chosen = sorted(rng.sample(candidates, min(110, len(candidates))), key=lambda d: (d.date, d.station_id))
    headcounts = _split(LAST_YEAR["person_times"], len(chosen), rng)
    outcomes = ["answered_on_site"] * LAST_YEAR["answered_on_site"] + ["escalated"] * LAST_YEAR["escalated"]
    rng.shuffle(outcomes)
    # Spread the 96 opinions over the visits: at most one per person received.
    per_visit = [0] * len(chosen)
    slots = [i for i, h in enumerate(headcounts) for _ in range(min(h, 2))]
    for i in rng.sample(slots, len(outcomes)):
        per_visit[i] += 1
    pending_escalations = []
    cursor = 0
    for day, headcount, count in zip(chosen, headcounts, per_visit, strict=True):
        opinions = []
        for outcome in outcomes[cursor : cursor + count]:
            category, content = _matter(rng)
            extra = {"outcome": outcome, "outcome_note": rng.choice(ANSWERS)} if outcome == "answered_on_site" else {}
            opinions.append((category, content, extra))
        cursor += count
        visit = _record(
            users,
            day.date,
            day.station,
            headcount,
            opinions,
            rng,
            names,
            grids.get(day.station_id, []),
            _roster_deputies(day),
            channel=VisitChannel.AT_STATION,
        )
        pending_escalations.extend(visit.opinions.filter(outcome__isnull=True))
    for opinion in pending_escalations:
        _escalate(opinion, users, rng)
    year_opinions = list(Opinion.objects.filter(received_on__year=year).order_by("id"))
    for opinion in rng.sample(year_opinions, LAST_YEAR["resolved"]):
        opinion_resolve(
            opinion=opinion,
            note="问题已推动解决，已向群众反馈",
            actor=users[OFFICE],
            resolved_at=_resolved_at(opinion, rng),
        )
    return len(chosen)


def add_this_year(ctx, names, users, days, today) -> int:
    """Visits on this year's past reception days and door-to-door, with opinions in every outcome."""
    rng = ctx.rng
    grids = _grids_by_station()
    units = list(HandlingUnit.objects.filter(is_active=True, kind__in=[UnitKind.COMMUNITY, UnitKind.DEPARTMENT]))
    officer_unit = users[UNIT_OFFICER].unit if UNIT_OFFICER in users else None
    past = [d for d in days if d.date.year == today.year and d.date < today and not d.is_cancelled]
    chosen = sorted(rng.sample(past, min(len(past), 80)), key=lambda d: (d.date, d.station_id))
    count = 0
    for day in chosen:
        opinions = []
        for _ in range(rng.choice((0, 1, 1, 1, 2))):
            category, content = _matter(rng)
            roll = rng.random()
            if roll < 0.45:
                extra = {"outcome": "answered_on_site", "outcome_note": rng.choice(ANSWERS)}
            elif roll < 0.65:
                unit = officer_unit if officer_unit and rng.random() < 0.4 else rng.choice(units)
                extra = {"outcome": "referred", "referral_unit": unit, "outcome_note": "已转交承办单位办理"}
            elif roll < 0.75:
                extra = {"outcome": "filed", "outcome_note": "留存参考，作为今后工作的依据"}
            else:
                extra = {}  # escalated below, or left waiting for triage
            opinions.append((category, content, extra))
        _record(
            users,
            day.date,
            day.station,
            rng.randint(1, 5),
            opinions,
            rng,
            names,
            grids.get(day.station_id, []),
            _roster_deputies(day),
            channel=VisitChannel.AT_STATION,
        )
        count += 1
    # The demo deputy's own door-to-door visits and grid patrols.
    deputy_user = users.get(DEPUTY)
    if deputy_user and deputy_user.deputy_id:
        assignment = GridAssignment.objects.filter(deputy_id=deputy_user.deputy_id, end_date__isnull=True).first()
        if assignment:
            station = assignment.grid.centre.community.station
            for n in range(6):
                day = today - timedelta(days=9 + 23 * n)
                if day.year != today.year:
                    break
                category, content = _matter(rng)
                visit_record(
                    actor=deputy_user,
                    station=station,
                    date=day,
                    channel=VisitChannel.HOME_VISIT if n % 2 else VisitChannel.GRID_PATROL,
                    headcount=rng.randint(1, 3),
                    grid=assignment.grid,
                    opinions=[{"category": category, "content": content, "grid": assignment.grid}],
                )
                count += 1
    # Triage what is left: some escalated, the rest waits; referrals get feedback, some are resolved.
    waiting = list(Opinion.objects.filter(received_on__year=today.year, outcome__isnull=True).order_by("id"))
    for opinion in waiting[: max(len(waiting) // 2, 1)] if waiting else []:
        _escalate(opinion, users, rng)
    for opinion in Opinion.objects.filter(received_on__year=today.year, outcome=OpinionOutcome.REFERRED).order_by("id"):
        if rng.random() < 0.7:
            officer = (
                users[UNIT_OFFICER] if opinion.referral_unit_id == getattr(officer_unit, "id", None) else users[OFFICE]
            )
            referral_feedback_add(opinion=opinion, content=rng.choice(FEEDBACK), actor=officer)
            if rng.random() < 0.6:
                opinion_resolve(
                    opinion=opinion,
                    note="承办单位已完成整改",
                    actor=users[OFFICE],
                    resolved_at=_resolved_at(opinion, rng),
                )
    for opinion in Opinion.objects.filter(received_on__year=today.year, outcome=OpinionOutcome.ANSWERED_ON_SITE)[:10]:
        if rng.random() < 0.5:
            opinion_resolve(
                opinion=opinion, note="已现场解决", actor=users[OFFICE], resolved_at=_resolved_at(opinion, rng)
            )
    # Constituents who scanned a QR code: waiting in the triage queue, one already answered.
    stations = [d.station for d in chosen[:1]] or list(Station.objects.filter(is_active=True)[:1])
    for n in range(6):
        category, content = _matter(rng)
        name, _gender = names.person()
        public_opinion_submit(
            station=stations[0],
            category=category,
            content=content,
            contact_name=name if n % 2 else "",
            contact_phone=names.mobile() if n % 3 else "",
        )
    first_public = Opinion.objects.filter(source="public").order_by("id").first()
    if first_public and not first_public.outcome:
        opinion_set_outcome(
            opinion=first_public, outcome="answered_on_site", note="已电话联系群众并答复", actor=users[OFFICE]
        )
    return count
