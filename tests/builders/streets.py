"""The shapes of data the tests share, each composed from the builders.

``build_street`` / ``people``: the organisation street. One hub with two areas (A and B); each
area has a community point, a community, a grid centre and a grid, a resident deputy assigned to
the grid as grid leader. The people around it (owner / colleague / outsider) come from ``people``.

``reception_street``: the reception street. Hub → area stations A and B → community point A1 under
A. Each area has a community with one grid centre; grids A-1 and A-2 under A, B-1 under B.
Deputies: ``owner`` (resident at A, grid leader of A-1), ``colleague`` (member of A-2, in the group
rostered at A), ``outsider`` (resident at B, member of B-1). Accounts: staff of A, staff of B,
office, leader, admin, a deputy account for each deputy, and an officer of the community unit.

``build_world``: the suggestions world. A hub with two area stations, three deputies, three units
and one account per relationship to a suggestion.

``livelihood_street``: an office, a leader, two units with officers, deputies with accounts on demand.
"""

from dataclasses import dataclass, field
from datetime import date

from core.roles import Role
from deputies.models import Deputy, GroupKind
from duties.models import GridRole
from organisation.models import Community, Grid, GridCentre, HandlingUnit, Station, UnitKind
from tests.builders import deputies as d
from tests.builders import livelihood as lv
from tests.builders import organisation as o

START = date(2024, 1, 1)


# --- The organisation street -------------------------------------------------------------------


@dataclass
class Area:
    station: Station
    point: Station
    community: Community
    centre: GridCentre
    grid: Grid
    deputy: Deputy


@dataclass
class Street:
    hub: Station
    a: Area
    b: Area


def build_area(hub: Station, letter: str) -> Area:
    area = o.area(hub, f"{letter}片区实践站", address=f"{letter}路1号")
    point = o.point(area, f"{letter}社区实践点", address=f"{letter}路9号")
    community = o.community(point, f"{letter}社区")
    centre = o.centre(community, f"{letter}网格中心")
    grid = o.grid(centre, f"{letter}一网格", f"{letter}-01", households=320)
    deputy = d.deputy(
        f"{letter}代表", phone=f"1380000000{ord(letter) % 10}", terms=[d.county_term(), d.township_term()]
    )
    d.assign(grid, deputy, role=GridRole.LEADER, start_date=START)
    o.residents(point, [deputy])
    return Area(station=area, point=point, community=community, centre=centre, grid=grid, deputy=deputy)


def build_street() -> Street:
    hub = o.hub(address="中心路1号", opening_hours="周一至周五 9:00-17:00")
    street = Street(hub=hub, a=build_area(hub, "A"), b=build_area(hub, "B"))
    d.group("A片区代表小组", GroupKind.AREA, leader=street.a.deputy)
    return street


@dataclass
class People:
    office: object
    admin: object
    leader: object
    staff_a: object  # owner: staff of area station A
    staff_a2: object  # colleague: also staff of A
    staff_b: object  # outsider: staff of area station B
    deputy_a: object
    deputy_b: object
    unit_officer: object


def people(make_user, street: Street) -> People:
    return People(
        office=make_user(Role.OFFICE),
        admin=make_user(Role.ADMIN),
        leader=make_user(Role.LEADER),
        staff_a=make_user(Role.STATION_STAFF, stations=[street.a.station]),
        staff_a2=make_user(Role.STATION_STAFF, stations=[street.a.station]),
        staff_b=make_user(Role.STATION_STAFF, stations=[street.b.station]),
        deputy_a=make_user(Role.DEPUTY, deputy=street.a.deputy),
        deputy_b=make_user(Role.DEPUTY, deputy=street.b.deputy),
        unit_officer=make_user(Role.UNIT_OFFICER, unit=o.handling_unit()),
    )


# --- The reception street ----------------------------------------------------------------------


@dataclass
class ReceptionStreet:
    hub: object
    a: object
    b: object
    a1: object
    grid_a1: object
    grid_a2: object
    grid_b1: object
    owner: object
    colleague: object
    outsider: object
    group_a: object
    unit: object
    other_unit: object
    staff_a: object
    staff_b: object
    office: object
    leader: object
    admin: object
    owner_user: object
    colleague_user: object
    outsider_user: object
    unit_officer: object


def _reception_centre(station, code):
    return o.centre(o.community(station, f"{station.name}社区{code}"), f"{station.name}网格中心{code}")


def reception_street(make_user) -> ReceptionStreet:
    hub = o.hub(address="白沙大道1号")
    a = o.area(hub, "甲片区实践站", address="甲路1号")
    b = o.area(hub, "乙片区实践站", address="乙路1号")
    a1 = o.point(a, "甲一社区实践点", address="甲路9号")
    centre_a = _reception_centre(a, "A")
    centre_b = _reception_centre(b, "B")
    grid_a1 = o.grid(centre_a, "第一网格", "A-1")
    grid_a2 = o.grid(centre_a, "第二网格", "A-2")
    grid_b1 = o.grid(centre_b, "第一网格", "B-1")
    owner = d.deputy("王代表")
    colleague = d.deputy("李代表")
    outsider = d.deputy("赵代表")
    o.residents(a, [owner])
    o.residents(b, [outsider])
    start = date(2020, 1, 1)
    d.assign(grid_a1, owner, start_date=start, role=GridRole.LEADER)
    d.assign(grid_a2, colleague, start_date=start)
    d.assign(grid_b1, outsider, start_date=start)
    group_a = d.group("甲片区代表小组", GroupKind.AREA, members=[colleague])
    unit = o.handling_unit("甲社区居委会", UnitKind.COMMUNITY)
    other_unit = o.handling_unit("区住建局", UnitKind.DEPARTMENT)
    return ReceptionStreet(
        hub=hub,
        a=a,
        b=b,
        a1=a1,
        grid_a1=grid_a1,
        grid_a2=grid_a2,
        grid_b1=grid_b1,
        owner=owner,
        colleague=colleague,
        outsider=outsider,
        group_a=group_a,
        unit=unit,
        other_unit=other_unit,
        staff_a=make_user(Role.STATION_STAFF, username="staff_a", stations=[a]),
        staff_b=make_user(Role.STATION_STAFF, username="staff_b", stations=[b]),
        office=make_user(Role.OFFICE, username="office"),
        leader=make_user(Role.LEADER, username="leader"),
        admin=make_user(Role.ADMIN, username="admin"),
        owner_user=make_user(Role.DEPUTY, username="owner", deputy=owner),
        colleague_user=make_user(Role.DEPUTY, username="colleague", deputy=colleague),
        outsider_user=make_user(Role.DEPUTY, username="outsider", deputy=outsider),
        unit_officer=make_user(Role.UNIT_OFFICER, username="unit_officer", unit=unit),
    )


# --- The suggestions world ---------------------------------------------------------------------


@dataclass
class World:
    """A hub with two area stations, three deputies, three units and one account per relationship."""

    hub: object
    station_a: object
    station_b: object
    lead_deputy: object
    cosigner_deputy: object
    other_deputy_record: object
    lead_unit: object
    co_unit: object
    other_unit: object
    deputy: object  # the lead deputy's account
    cosigner: object
    other_deputy: object
    lead_officer: object
    co_officer: object
    other_officer: object
    office: object
    leader: object
    staff_a: object  # station staff of the lead deputy's station
    staff_b: object  # station staff of another station
    admin: object

    def users(self) -> dict:
        return {
            "deputy": self.deputy,
            "cosigner": self.cosigner,
            "other_deputy": self.other_deputy,
            "lead_officer": self.lead_officer,
            "co_officer": self.co_officer,
            "other_officer": self.other_officer,
            "office": self.office,
            "leader": self.leader,
            "staff_a": self.staff_a,
            "staff_b": self.staff_b,
            "admin": self.admin,
        }


def build_world(make_user, *, suffix: str = "") -> World:
    lead_deputy = d.deputy(f"王建国{suffix}")
    cosigner_deputy = d.deputy(f"李秀英{suffix}")
    other_deputy_record = d.deputy(f"张伟{suffix}")
    hub = o.hub(f"代表之家{suffix}", address="中心路1号")
    station_a = o.area(
        hub, f"东片区实践站{suffix}", address="东路2号", resident_deputies=[lead_deputy, cosigner_deputy]
    )
    station_b = o.area(hub, f"西片区实践站{suffix}", address="西路3号", resident_deputies=[other_deputy_record])
    office = make_user(Role.OFFICE, username=f"office{suffix}")
    lead_unit = o.handling_unit(f"区住建局{suffix}", UnitKind.DEPARTMENT, actor=office)
    co_unit = o.handling_unit(f"区交通局{suffix}", UnitKind.DEPARTMENT, actor=office)
    other_unit = o.handling_unit(f"某社区居委会{suffix}", UnitKind.COMMUNITY, actor=office)
    return World(
        hub=hub,
        station_a=station_a,
        station_b=station_b,
        lead_deputy=lead_deputy,
        cosigner_deputy=cosigner_deputy,
        other_deputy_record=other_deputy_record,
        lead_unit=lead_unit,
        co_unit=co_unit,
        other_unit=other_unit,
        deputy=make_user(Role.DEPUTY, deputy=lead_deputy, username=f"deputy{suffix}"),
        cosigner=make_user(Role.DEPUTY, deputy=cosigner_deputy, username=f"cosigner{suffix}"),
        other_deputy=make_user(Role.DEPUTY, deputy=other_deputy_record, username=f"otherdeputy{suffix}"),
        lead_officer=make_user(Role.UNIT_OFFICER, unit=lead_unit, username=f"leadofficer{suffix}"),
        co_officer=make_user(Role.UNIT_OFFICER, unit=co_unit, username=f"coofficer{suffix}"),
        other_officer=make_user(Role.UNIT_OFFICER, unit=other_unit, username=f"otherofficer{suffix}"),
        office=office,
        leader=make_user(Role.LEADER, username=f"leader{suffix}"),
        staff_a=make_user(Role.STATION_STAFF, stations=[station_a], username=f"staffa{suffix}"),
        staff_b=make_user(Role.STATION_STAFF, stations=[station_b], username=f"staffb{suffix}"),
        admin=make_user(Role.ADMIN, username=f"admin{suffix}"),
    )


# --- The livelihood street ---------------------------------------------------------------------


@dataclass
class LivelihoodStreet:
    make_user: object
    office: object = None
    leader: object = None
    unit: HandlingUnit = None
    other_unit: HandlingUnit = None
    unit_officer: object = None
    colleague_officer: object = None
    other_officer: object = None
    deputy_users: list = field(default_factory=list)

    def add_deputies(self, n: int) -> list:
        """Create ``n`` more deputies, each with an account; returns their users."""
        start = len(self.deputy_users)
        new = []
        for i in range(start, start + n):
            deputy = d.deputy(f"代表{i + 1:03d}")
            new.append(self.make_user(Role.DEPUTY, deputy=deputy, username=f"deputy{i + 1}"))
        self.deputy_users += new
        return new

    def cycle(self, *, places: int = 2, candidates: int = 3, year: int = 2024):
        """A cycle at 征集 with ``candidates`` proposals, each with a unit and a budget."""
        return lv.cycle(office=self.office, unit=self.unit, places=places, candidates=candidates, year=year)

    def shortlisted(self, **kwargs):
        """A cycle at 初定 with every candidate on the shortlist."""
        return lv.shortlisted(office=self.office, unit=self.unit, **kwargs)

    def _present(self, present: int) -> list:
        if len(self.deputy_users) < present:
            self.add_deputies(present - len(self.deputy_users))
        return self.deputy_users[:present]

    def voting(self, *, present: int = 3, **kwargs):
        """A cycle whose vote is open with ``present`` deputies present (created as needed)."""
        return lv.voting(office=self.office, unit=self.unit, present=self._present(present), **kwargs)

    def cast(self, session, user, choices: str):
        """Cast ``user``'s ballot; ``choices`` has one letter per candidate in id order: f/a/x."""
        return lv.cast(session, user, choices)

    def implementing(self, *, present: int = 3, places: int = 2, candidates: int = 3, year: int = 2024):
        """A cycle at 实施: everyone votes for the first ``places`` candidates only."""
        return lv.implementing(
            office=self.office,
            unit=self.unit,
            present=self._present(present),
            places=places,
            candidates=candidates,
            year=year,
        )


def livelihood_street(make_user) -> LivelihoodStreet:
    unit = o.handling_unit("区住建局")
    other_unit = o.handling_unit("区交通局")
    return LivelihoodStreet(
        make_user=make_user,
        office=make_user(Role.OFFICE, username="office"),
        leader=make_user(Role.LEADER, username="leader"),
        unit=unit,
        other_unit=other_unit,
        unit_officer=make_user(Role.UNIT_OFFICER, unit=unit, username="officer"),
        colleague_officer=make_user(Role.UNIT_OFFICER, unit=unit, username="colleague"),
        other_officer=make_user(Role.UNIT_OFFICER, unit=other_unit, username="outsider"),
    )
