"""The demo street's organisation: stations (1+4+N), communities, grids, deputies and their links.

白沙街道 has one hub (代表之家), four area stations (片区实践站) with two community points
(社区实践点) each, ten grid centres with four unit grids each, and 62 people: 50 congress deputies
across the five levels (several hold two levels, e.g. 区、镇两级) and 12 议政代表.

Everything is generated from the builder's seeded generator before anything is written; then each
row is looked up by its natural key and, when missing, created through the organisation services,
so a second run finds every row and creates nothing.
"""

from dataclasses import dataclass, field
from datetime import date

from demo.builders.base import DemoContext
from demo.builders.names import NameMaker
from deputies.models import ConstituentLink, ContactLink, Deputy, DeputyGroup, DeputyKind, GroupKind, Level
from deputies.services import deputy_create, deputy_group_create
from duties.models import GridAssignment, GridMode, GridRole
from duties.services.assignments import grid_assignment_create
from organisation.models import Community, Grid, GridCentre, Station, StationKind
from organisation.services import community_create, grid_centre_create, grid_create, station_create

STREET = "白沙街道"
ADDRESS_PREFIX = "广东省江门市蓬江区白沙街道"
HUB_NAME = "白沙街道代表之家"
HUB_ADDRESS = ADDRESS_PREFIX + "白沙大道西1号街道党群服务中心一楼"
# Opening hours name the reception day of the station's rule (demo.builders.reception): the hub receives
# on the 15th of every month, the area stations every Friday.
OPENING_HOURS = "周一至周五 8:30-12:00、14:30-17:30；每月15日为代表接待选民日"
AREA_OPENING_HOURS = "周一至周五 8:30-12:00、14:30-17:30；每周五为代表固定活动日"

# Area station → (address, the communities it covers, each with its own community point).
AREAS = {
    "范罗岗片区实践站": ("范罗岗路18号社区党群服务中心一楼", ("范罗岗", "侨苑")),
    "美景片区实践站": ("美景路2号美景社区活动中心", ("美景", "江华")),
    "兴盛片区实践站": ("兴盛路66号兴盛社区议事厅", ("兴盛", "良化南")),
    "甘化片区实践站": ("甘化路1号甘化厂遗址园区东门", ("甘化", "石湾")),
}
# The two largest communities have two grid centres each: ten centres in all.
TWO_CENTRE_COMMUNITIES = {"江华", "良化南"}
GRIDS_PER_CENTRE = 4
CENTRE_ORDINALS = "一二"

# Where each level's current term was elected: (congress, first year, constituency pattern).
CONGRESSES = {
    Level.NATIONAL: ("第十四届全国人民代表大会", 2023, "广东省"),
    Level.PROVINCIAL: ("广东省第十四届人民代表大会", 2023, "江门市"),
    Level.MUNICIPAL: ("江门市第十六届人民代表大会", 2022, "蓬江区"),
    Level.COUNTY: ("江门市蓬江区第十一届人民代表大会", 2021, "白沙街道第{n}选区"),
    Level.TOWNSHIP: ("蓬江区棠下镇第十八届人民代表大会", 2021, "棠下镇第{n}选区"),
}
TERM_YEARS = 5

# How many congress deputies hold each combination of levels (49, plus the featured deputy).
LEVEL_MIX = [
    ((Level.NATIONAL,), 1),
    ((Level.PROVINCIAL,), 1),
    ((Level.PROVINCIAL, Level.MUNICIPAL), 1),
    ((Level.MUNICIPAL,), 4),
    ((Level.MUNICIPAL, Level.COUNTY), 2),
    ((Level.COUNTY,), 18),
    ((Level.COUNTY, Level.TOWNSHIP), 10),
    ((Level.TOWNSHIP,), 12),
]
DELIBERATION_COUNT = 12
STANDING_COMMITTEE_COUNT = 4

# The deputy whose account the demo lists: 区、镇两级代表, teacher, leader of the first grid.
FEATURED_DEPUTY = {
    "name": "谭咏诗",
    "gender": "female",
    "birth_year": 1982,
    "party": "中共党员",
    "occupation": "白沙小学副校长",
    "profession": "education",
    "phone": "13926081537",
    "levels": (Level.COUNTY, Level.TOWNSHIP),
}

# Occupation → profession group key (None: no profession group).
OCCUPATIONS = [
    ("江门市第一中学教师", "education"),
    ("蓬江区实验幼儿园园长", "education"),
    ("江门职业技术学院讲师", "education"),
    ("退休教师", "education"),
    ("江门市第三人民医院心理科主任", "psychology"),
    ("心理咨询工作室负责人", "psychology"),
    ("蓬江区未成年人心理辅导站心理咨询师", "psychology"),
    ("白沙街道社区卫生服务中心全科医生", "health"),
    ("江门市中心医院护士长", "health"),
    ("江门市华信电子有限公司总经理", "business"),
    ("白沙农副产品市场经营户", "business"),
    ("五邑广告传媒有限公司负责人", "business"),
    ("个体工商户", "business"),
    ("广东侨乡律师事务所律师", None),
    ("物业服务公司项目经理", None),
    ("退休干部", None),
    ("外卖骑手", None),
    ("江门公交集团驾驶员", None),
    ("白沙街道社会工作服务站站长", None),
    ("供电所营业班班长", None),
]
COMMUNITY_POSTS = ["社区党委书记", "社区居委会主任", "社区党委副书记", "社区专职网格员"]
# For the national and provincial deputies, in order.
TOP_OCCUPATIONS = [
    ("江门市中心医院院长", "health"),
    ("五邑大学教育学院教授", "education"),
    ("广东侨乡律师事务所主任", None),
]
PARTIES = ["中共党员"] * 6 + ["群众"] * 2 + ["民盟盟员", "民进会员", "九三学社社员", "无党派人士"]

AREA_GROUP = "{area}代表小组"
PROFESSION_GROUPS = {
    "education": "教育代表小组",
    "psychology": "心理健康代表小组",
    "health": "医疗卫生代表小组",
    "business": "营商环境代表小组",
}

GRIDS_START = date(2023, 3, 1)  # 代表进网格 started that spring
LINKS_SINCE = date(2023, 1, 15)
ROADS = ["白沙大道西", "白沙大道中", "建设三路", "胜利路", "北街", "长堤路", "甘化路", "兴盛路", "范罗岗路", "美景路"]


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


def build(ctx: DemoContext) -> None:
    plan = _plan(ctx)
    _save(ctx, plan)


# --- Planning: every random draw happens here, before the database is touched. --------------


def _plan(ctx: DemoContext) -> dict:
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


# --- Saving: look each row up by its natural key; create what is missing through the services. --


def _first_or_create(queryset, create):
    """The existing row, or the one ``create()`` makes (through a service)."""
    return queryset.first() or create()


def _save(ctx: DemoContext, plan: dict) -> None:
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
