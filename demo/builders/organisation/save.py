"""Saving: look each row up by its natural key; create what is missing through the services."""

from demo.builders.base import DemoContext
from demo.builders.organisation.street import (
    ADDRESS_PREFIX,
    AREA_GROUP,
    AREA_OPENING_HOURS,
    AREAS,
    CONGRESSES,
    GRIDS_START,
    HUB_ADDRESS,
    HUB_NAME,
    LINKS_SINCE,
    OPENING_HOURS,
    PROFESSION_GROUPS,
    STREET,
    TERM_YEARS,
)
from deputies.models import ConstituentLink, ContactLink, Deputy, DeputyGroup, GroupKind, Level
from deputies.services import deputy_create, deputy_group_create
from duties.models import GridAssignment, GridMode, GridRole
from duties.services.assignments import grid_assignment_create
from organisation.models import Community, Grid, GridCentre, Station, StationKind
from organisation.services import community_create, grid_centre_create, grid_create, station_create


def _first_or_create(queryset, create):
    """The existing row, or the one ``create()`` makes (through a service)."""
    return queryset.first() or create()


def save(ctx: DemoContext, plan: dict) -> None:
    deputies = _save_deputies(plan)
    stations = _save_stations(plan, deputies)

    communities, centres, grids = {}, {}, {}
    for spec in plan["grids"]:
        if spec.community not in communities:
            name = f"{spec.community}社区"
            communities[spec.community] = Community.objects.filter(name=name).first() or community_create(
                name=name, station=stations[f"{spec.community}社区实践点"]
            )
        if spec.centre not in centres:
            centres[spec.centre] = GridCentre.objects.filter(name=spec.centre).first() or grid_centre_create(
                name=spec.centre, community=communities[spec.community]
            )
        grids[spec.code] = Grid.objects.filter(code=spec.code).first() or grid_create(
            centre=centres[spec.centre], name=spec.name, code=spec.code, households=spec.households
        )

    for spec in plan["grids"]:
        grid = grids[spec.code]
        mode = GridMode.FULL_TIME if spec.leader.name in plan["full_time"] else GridMode.PART_TIME
        _assign(grid, deputies[spec.leader.name], GridRole.LEADER, mode)
        for member in spec.members:
            _assign(grid, deputies[member.name], GridRole.MEMBER, GridMode.PART_TIME)

    _save_groups(plan, deputies)

    # Contact links have no service of their own yet: the model's constraints guard them.
    for member in plan["committee"]:
        for deputy in plan["contacts"][member.name]:
            ContactLink.objects.get_or_create(
                committee_member=deputies[member.name], deputy=deputies[deputy.name], defaults={"since": LINKS_SINCE}
            )
    for spec in plan["deputies"]:
        for name, phone, address in spec.constituents:
            ConstituentLink.objects.get_or_create(
                deputy=deputies[spec.name], name=name, phone=phone, defaults={"address": address, "since": LINKS_SINCE}
            )

    ctx.log(
        f"{STREET}: {len(stations)} stations, {len(centres)} grid centres, {len(grids)} grids, "
        f"{len(deputies)} deputies and representatives"
    )


def _save_deputies(plan: dict) -> dict[str, Deputy]:
    deputies = {}
    for number, spec in enumerate(plan["deputies"]):
        terms = []
        for n, level in enumerate(spec.levels):
            congress, start, constituency = CONGRESSES[level]
            terms.append(
                {
                    "level": level,
                    "congress": congress,
                    "constituency": constituency.format(n=(number + n) % 12 + 1),
                    "start_year": start,
                    "end_year": start + TERM_YEARS,
                }
            )
        deputies[spec.name] = _first_or_create(
            Deputy.objects.filter(name=spec.name, phone=spec.phone),
            lambda spec=spec, terms=terms: deputy_create(
                name=spec.name,
                kind=spec.kind,
                terms=terms,
                gender=spec.gender,
                birth_year=spec.birth_year,
                party=spec.party,
                occupation=spec.occupation,
                phone=spec.phone,
                is_standing_committee=spec.standing_committee,
            ),
        )
    return deputies


def _save_stations(plan: dict, deputies: dict[str, Deputy]) -> dict[str, Station]:
    """The 1+4+N tree with its resident deputies (驻站代表): higher-level deputies and committee
    members at the hub, the area's district deputies at its area station, the community's grid
    leaders at its point."""
    hub_residents = [d for d in plan["deputies"] if d in plan["top"] or d.standing_committee]
    hub_residents += [d for d in plan["deputies"] if Level.MUNICIPAL in d.levels and d not in hub_residents]
    stations = {
        HUB_NAME: _station(
            name=HUB_NAME,
            kind=StationKind.HUB,
            parent=None,
            address=HUB_ADDRESS,
            opening_hours=OPENING_HOURS,
            phone="0750-3281100",
            residents=[deputies[d.name] for d in hub_residents],
        )
    }
    for n, (area, (address, area_communities)) in enumerate(AREAS.items(), start=1):
        area_grids = [g for g in plan["grids"] if g.area == area]
        district = [g.leader for g in area_grids if Level.COUNTY in g.leader.levels][:3]
        stations[area] = _station(
            name=area,
            kind=StationKind.AREA,
            parent=stations[HUB_NAME],
            address=ADDRESS_PREFIX + address,
            opening_hours=AREA_OPENING_HOURS,
            phone=f"0750-32811{n:02d}",
            residents=[deputies[d.name] for d in district],
        )
        for community in area_communities:
            local = [g.leader for g in area_grids if g.community == community][:5]
            name = f"{community}社区实践点"
            stations[name] = _station(
                name=name,
                kind=StationKind.POINT,
                parent=stations[area],
                address=f"{ADDRESS_PREFIX}{community}社区党群服务中心一楼",
                opening_hours="每周五 9:00-11:30 驻点代表固定活动日",
                phone="",
                residents=[deputies[d.name] for d in local],
            )
    return stations


def _station(*, name, kind, parent, address, opening_hours, phone, residents) -> Station:
    return _first_or_create(
        Station.objects.filter(name=name),
        lambda: station_create(
            name=name,
            kind=kind,
            parent=parent,
            address=address,
            opening_hours=opening_hours,
            phone=phone,
            resident_deputies=residents,
        ),
    )


def _assign(grid: Grid, deputy: Deputy, role: str, mode: str) -> None:
    if not GridAssignment.objects.filter(grid=grid, deputy=deputy, end_date__isnull=True).exists():
        grid_assignment_create(grid=grid, deputy=deputy, role=role, mode=mode, start_date=GRIDS_START)


def _save_groups(plan: dict, deputies: dict) -> None:
    members_by_group: dict[tuple[str, str], list[str]] = {}
    for area in AREAS:
        key = (AREA_GROUP.format(area=area.removesuffix("实践站")), GroupKind.AREA)
        for grid in plan["grids"]:
            if grid.area == area:
                for deputy in [grid.leader, *grid.members]:
                    members_by_group.setdefault(key, []).append(deputy.name)
    for spec in plan["deputies"]:
        if spec.profession:
            key = (PROFESSION_GROUPS[spec.profession], GroupKind.PROFESSION)
            members_by_group.setdefault(key, []).append(spec.name)
    for (name, kind), member_names in members_by_group.items():
        members = [deputies[n] for n in member_names]
        _first_or_create(
            DeputyGroup.objects.filter(name=name),
            lambda name=name, kind=kind, members=members: deputy_group_create(
                name=name, kind=kind, leader=members[0], members=members
            ),
        )
