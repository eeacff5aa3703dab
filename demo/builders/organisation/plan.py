"""Planning: every random draw happens here, before the database is touched."""

from dataclasses import dataclass, field

from demo.builders.base import DemoContext
from demo.builders.names import NameMaker
from demo.builders.organisation.street import (
    AREAS,
    CENTRE_ORDINALS,
    COMMUNITY_POSTS,
    DELIBERATION_COUNT,
    FEATURED_DEPUTY,
    GRIDS_PER_CENTRE,
    LEVEL_MIX,
    OCCUPATIONS,
    PARTIES,
    ROADS,
    STANDING_COMMITTEE_COUNT,
    TOP_OCCUPATIONS,
    TWO_CENTRE_COMMUNITIES,
)
from deputies.models import DeputyKind, Level


@dataclass
class DeputySpec:
    name: str
    gender: str
    birth_year: int
    party: str
    phone: str
    kind: str = DeputyKind.CONGRESS
    levels: tuple = ()
    occupation: str = ""
    profession: str | None = None
    standing_committee: bool = False
    constituents: list = field(default_factory=list)


@dataclass
class GridSpec:
    code: str
    name: str
    centre: str
    community: str
    area: str
    households: int
    leader: DeputySpec | None = None
    members: list = field(default_factory=list)


def make_plan(ctx: DemoContext) -> dict:
    rng = ctx.rng
    names = NameMaker(rng)
    names.reserve(FEATURED_DEPUTY["name"], FEATURED_DEPUTY["phone"])

    grids = []
    community_number = 0
    for area, (_address, communities) in AREAS.items():
        for community in communities:
            community_number += 1
            centres = 2 if community in TWO_CENTRE_COMMUNITIES else 1
            for c in range(centres):
                centre = f"{community}社区{'第' + CENTRE_ORDINALS[c] if centres > 1 else ''}网格中心"
                for g in range(GRIDS_PER_CENTRE):
                    number = c * GRIDS_PER_CENTRE + g + 1
                    grids.append(
                        GridSpec(
                            code=f"BS-{community_number:02d}-{number:02d}",
                            name=f"{community}社区第{number}网格",
                            centre=centre,
                            community=community,
                            area=area,
                            households=rng.randrange(180, 560, 10),
                        )
                    )

    featured = DeputySpec(**{k: v for k, v in FEATURED_DEPUTY.items()})
    deputies = [featured]
    for levels, count in LEVEL_MIX:
        for _ in range(count):
            deputies.append(_person(rng, names, levels=levels))
    deputies += [_person(rng, names, kind=DeputyKind.DELIBERATION) for _ in range(DELIBERATION_COUNT)]

    # The district standing-committee members among the street's district deputies (双联).
    district = [d for d in deputies[1:] if Level.COUNTY in d.levels and Level.TOWNSHIP not in d.levels]
    committee = rng.sample(district, STANDING_COMMITTEE_COUNT)
    for member in committee:
        member.standing_committee = True

    # Grid assignments (就近、就便、就选区): national and provincial deputies stay at the hub; the
    # others lead one grid each (40) or join one as members; the featured deputy leads the first grid.
    top = [d for d in deputies if set(d.levels) & {Level.NATIONAL, Level.PROVINCIAL}]
    pool = [d for d in deputies[1:] if d not in top]
    rng.shuffle(pool)
    pool.insert(0, featured)
    for grid, deputy in zip(grids, pool, strict=False):
        grid.leader = deputy
    for deputy in pool[len(grids) :]:
        rng.choice(grids).members.append(deputy)

    for deputy, occupation in zip(top, TOP_OCCUPATIONS, strict=True):
        deputy.occupation, deputy.profession = occupation
    for deputy in deputies:
        if not deputy.occupation:
            deputy.occupation, deputy.profession = rng.choice(OCCUPATIONS)
    # About a quarter of grid leaders are community cadres: they work the grid full-time.
    full_time = set()
    for grid in grids[1:]:
        if rng.random() < 0.25:
            grid.leader.occupation = grid.community + "社区" + rng.choice(COMMUNITY_POSTS).removeprefix("社区")
            grid.leader.profession = None
            full_time.add(grid.leader.name)

    # 双联: each committee member keeps 5–8 deputies; each deputy keeps 5–7 constituents.
    contacts = {}
    others = [d for d in deputies if d.kind == DeputyKind.CONGRESS and not d.standing_committee]
    for i, member in enumerate(committee):
        chosen = rng.sample(others, rng.randint(5, 8))
        if i == 0 and featured not in chosen:
            chosen[0] = featured
        contacts[member.name] = chosen
    grid_of = {}
    for grid in grids:
        for deputy in [grid.leader, *grid.members]:
            grid_of.setdefault(deputy.name, grid)
    for deputy in deputies:
        community = grid_of[deputy.name].community if deputy.name in grid_of else rng.choice(_communities())
        for _ in range(rng.randint(5, 7)):
            name, _gender = names.person()
            address = f"{community}社区{rng.choice(ROADS)}{rng.randint(1, 120)}号{rng.randint(1, 8)}栋"
            deputy.constituents.append((name, names.mobile(), address))

    return {
        "grids": grids,
        "deputies": deputies,
        "top": top,
        "committee": committee,
        "contacts": contacts,
        "full_time": full_time,
        "grid_of": grid_of,
    }


def _person(rng, names: NameMaker, *, levels=(), kind=DeputyKind.CONGRESS) -> DeputySpec:
    name, gender = names.person()
    return DeputySpec(
        name=name,
        gender=gender,
        birth_year=rng.randint(1962, 1994),
        party=rng.choice(PARTIES),
        phone=names.mobile(),
        kind=kind,
        levels=levels,
    )


def _communities() -> list[str]:
    return [community for _address, communities in AREAS.values() for community in communities]
