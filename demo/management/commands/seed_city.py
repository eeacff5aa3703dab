"""Generate a whole city's data for measuring the product at scale: ``python manage.py seed_city --scale S``.

``--scale 1`` gives about 600 stations (30 streets of 1 hub + 4 areas + 15 community points), 5,000
deputies, 700,000 visits with 1,000,000 opinions spread over five years, and 180,000 suggestions in every
state of their lifecycle; ``--scale 0.05`` a small city. Rows are written with ``bulk_create`` in batches,
without the services (no notifications, no timeline events), but every row satisfies the database's
constraints. The random generator is seeded, so the same scale on the same day gives the same data.

It refuses a database that already holds stations, deputies, accounts, opinions or suggestions unless
``--append`` is given (a second city is then added under other names), and, like ``seed_demo``, refuses
to run when DEBUG is off unless ``--i-know-this-is-not-production`` is given: its accounts share one
published password (``CITY_PASSWORD``).
"""

import datetime
import random
import time
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.roles import Role
from demo.builders.names import FAMILY_NAMES, FEMALE_CHARS, MALE_CHARS, MOBILE_PREFIXES
from deputies.models import Deputy, DeputyKind, Gender, Level, Term
from duties.models import GridAssignment, GridRole
from liaison.models import (
    Opinion,
    OpinionCategory,
    OpinionOutcome,
    OpinionPhoto,
    OpinionSource,
    Visit,
    VisitChannel,
    VisitConstituent,
)
from organisation.models import Community, Grid, GridCentre, HandlingUnit, Station, StationKind, UnitKind
from suggestions.models import (
    Assignment,
    AssignmentRole,
    CoSignature,
    CoSignStatus,
    Evaluation,
    Rating,
    Reply,
    ReplyClass,
    State,
    Suggestion,
)

SEED = "city-scale"
CITY_PASSWORD = "City-Scale-Bench-2026"
BATCH = 5000

# Figures at scale 1.
STREETS = 30  # × (1 hub + 4 areas + 15 points) = 600 stations
AREAS_PER_STREET = 4
POINTS_PER_AREA = 4  # 16 points per street, minus one: the last area has three
GRIDS_PER_POINT = 3
DEPUTIES = 5000
UNITS = 120
VISITS = 700_000
OPINIONS = 1_000_000
SUGGESTIONS = 180_000
YEARS = 5

# Suggestion states and their shares (the rest of the lifecycle is derived from the state).
STATE_WEIGHTS = {
    State.DRAFT: 3,
    State.SUBMITTED: 4,
    State.RETURNED: 2,
    State.ASSIGNED: 6,
    State.IN_PROGRESS: 10,
    State.REPLIED: 8,
    State.REHANDLING: 2,
    State.CLOSED: 62,
    State.WITHDRAWN: 3,
}
OUTCOME_WEIGHTS = {
    None: 8,
    OpinionOutcome.ANSWERED_ON_SITE: 40,
    OpinionOutcome.REFERRED: 30,
    OpinionOutcome.ESCALATED: 5,
    OpinionOutcome.FILED: 17,
}
CATEGORIES = list(OpinionCategory.values)
CHANNELS = list(VisitChannel.values)
MATTERS = (
    "小区路灯损坏，夜间出行不便",
    "路口信号灯时长不合理，行人过街困难",
    "老旧小区加装电梯进展缓慢",
    "菜市场周边占道经营严重",
    "社区卫生服务站缺少儿科医生",
    "河涌有异味，希望加强治理",
    "学校周边上下学时段交通拥堵",
    "长者饭堂用餐名额不足",
    "物业管理费上涨未公示",
    "电动自行车充电设施不足",
)


def _fill(total_at_scale_1: int, scale: float, minimum: int) -> int:
    return max(minimum, round(total_at_scale_1 * scale))


@contextmanager
def _stored_timestamps(*fields):
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


class Command(BaseCommand):
    help = "Generate a city's stations, deputies, visits, opinions and suggestions (--scale 1: ~1M opinions)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, required=True, help="1 is a whole city; 0.05 a small one.")
        parser.add_argument("--append", action="store_true", help="Add a city to a database that already holds data.")
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="i_know_this_is_not_production",
            help="Run even though DEBUG is off. The generated accounts share a published password.",
        )

    def handle(self, *args, **options):
        scale = options["scale"]
        if not 0 < scale <= 5:
            raise CommandError("--scale must be above 0 and at most 5.")
        if not settings.DEBUG and not options["i_know_this_is_not_production"]:
            raise CommandError(
                "Refusing to generate a city: DEBUG is off, so this may be a production database, and the "
                "generated accounts share a published password. Run with DEBUG=1, or pass "
                "--i-know-this-is-not-production if this database is disposable."
            )
        holds_data = any(model.objects.exists() for model in (Station, Deputy, User, Opinion, Suggestion, HandlingUnit))
        if holds_data and not options["append"]:
            raise CommandError(
                "Refusing to generate a city: the database already holds data. Pass --append to add a city to it."
            )
        self.verbose = options["verbosity"] > 0
        started = time.monotonic()
        # A namespace keeps the names of an appended city apart from the ones already there.
        tag = "" if not holds_data else f"{Station.objects.filter(kind=StationKind.HUB).count() + 1}"
        with transaction.atomic():
            counts = CityBuilder(scale=scale, tag=tag, log=self.log).build()
        if self.verbose:
            summary = ", ".join(f"{name} {count:,}" for name, count in counts.items())
            self.stdout.write(self.style.SUCCESS(f"City generated in {time.monotonic() - started:.0f} s: {summary}."))

    def log(self, message: str) -> None:
        if self.verbose:
            self.stdout.write(f"  {message}")
            self.stdout.flush()


class CityBuilder:
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

    # --- the city ----------------------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        self.organisation()
        self.deputies()
        self.units()
        self.accounts()
        self.reception()
        self.suggestions()
        return self.counts

    def organisation(self):
        streets = _fill(STREETS, self.scale, 1)
        t = self.tag
        hubs = self.bulk(
            Station,
            (
                Station(name=f"城{t}第{s + 1}街道代表之家", kind=StationKind.HUB, address=f"第{s + 1}街道1号")
                for s in range(streets)
            ),
            "stations",
        )
        areas = self.bulk(
            Station,
            (
                Station(
                    name=f"城{t}第{hub_no + 1}街道第{a + 1}片区实践站",
                    kind=StationKind.AREA,
                    parent=hub,
                    address=f"第{hub_no + 1}街道{a + 2}号",
                )
                for hub_no, hub in enumerate(hubs)
                for a in range(AREAS_PER_STREET)
            ),
            "stations",
        )
        points = self.bulk(
            Station,
            (
                Station(
                    name=f"{area.name}第{p + 1}社区联络点",
                    kind=StationKind.POINT,
                    parent=area,
                    address=f"{area.address}之{p + 1}",
                )
                for n, area in enumerate(areas)
                for p in range(POINTS_PER_AREA - (1 if n % AREAS_PER_STREET == AREAS_PER_STREET - 1 else 0))
            ),
            "stations",
        )
        communities = self.bulk(
            Community,
            (Community(name=point.name.replace("联络点", ""), station=point) for point in points),
            "communities",
        )
        centres = self.bulk(
            GridCentre, (GridCentre(name=f"{c.name}网格中心", community=c) for c in communities), "grid centres"
        )
        self.grids = self.bulk(
            Grid,
            (
                Grid(
                    centre=centre,
                    name=f"第{g + 1}网格",
                    code=f"C{t}-{n:04d}-{g + 1}",
                    households=self.rng.randint(200, 900),
                )
                for n, centre in enumerate(centres)
                for g in range(GRIDS_PER_POINT)
            ),
            "grids",
        )
        self.hubs, self.areas, self.points = hubs, areas, points
        self.stations = hubs + areas + points
        # Where records are kept: mostly at points and areas.
        self.station_weights = [
            1 if s.kind == StationKind.HUB else 3 if s.kind == StationKind.AREA else 4 for s in self.stations
        ]
        # The area of every station (staff of an area see it and its points).
        self.area_of = {}
        for s in self.stations:
            self.area_of[s.id] = (
                s.id if s.kind == StationKind.AREA else s.parent_id if s.kind == StationKind.POINT else None
            )
        self.grids_of_station = {}
        station_of_centre = {c.id: community.station_id for c, community in zip(centres, communities, strict=True)}
        for grid in self.grids:
            self.grids_of_station.setdefault(station_of_centre[grid.centre_id], []).append(grid)
        self.log(f"organisation: {len(self.stations)} stations, {len(self.grids)} grids")

    def deputies(self):
        count = _fill(DEPUTIES, self.scale, 10)
        levels = [Level.NATIONAL, Level.PROVINCIAL, Level.MUNICIPAL, Level.COUNTY, Level.TOWNSHIP]
        level_weights = [1, 3, 10, 30, 56]
        rows = []
        for _ in range(count):
            name, gender = self.person()
            deliberation = self.rng.random() < 0.1
            rows.append(
                Deputy(
                    name=name,
                    gender=gender,
                    kind=DeputyKind.DELIBERATION if deliberation else DeputyKind.CONGRESS,
                    birth_year=self.rng.randint(1960, 1995),
                    phone=self.phone(),
                    is_standing_committee=self.rng.random() < 0.03,
                )
            )
        self.deputy_list = self.bulk(Deputy, rows, "deputies")
        congress = [d for d in self.deputy_list if d.kind == DeputyKind.CONGRESS]
        start = self.today.year - (self.today.year - 2022) % 5
        terms = []
        for deputy in congress:
            chosen = {self.rng.choices(levels, weights=level_weights)[0]}
            if self.rng.random() < 0.15:
                chosen.add(Level.TOWNSHIP)
            for level in chosen:
                terms.append(Term(deputy=deputy, level=level, congress=f"第{level}届人民代表大会", start_year=start))
        self.bulk(Term, terms, "terms")
        # Each grid gets a leader; the other deputies are members of one grid each.
        assignments = []
        self.station_deputies: dict[int, list] = {}
        grid_station = {g.id: s for s, grids in self.grids_of_station.items() for g in grids}
        for i, deputy in enumerate(self.deputy_list):
            grid = self.grids[i % len(self.grids)]
            role = GridRole.LEADER if i < len(self.grids) else GridRole.MEMBER
            assignments.append(
                GridAssignment(grid=grid, deputy=deputy, role=role, start_date=datetime.date(start, 1, 1))
            )
            self.station_deputies.setdefault(grid_station[grid.id], []).append(deputy)
        self.bulk(GridAssignment, assignments, "grid assignments")
        self.log(f"deputies: {len(self.deputy_list)}")

    def units(self):
        count = _fill(UNITS, self.scale, 5)
        kinds = [UnitKind.DEPARTMENT, UnitKind.COMMUNITY, UnitKind.STREET_OFFICE]
        self.unit_list = self.bulk(
            HandlingUnit,
            (
                HandlingUnit(name=f"城{self.tag}承办单位{n + 1:03d}", kind=kinds[n % 3], contact_person="联络员")
                for n in range(count)
            ),
            "handling units",
        )

    def accounts(self):
        password = make_password(CITY_PASSWORD)
        t = self.tag
        users = [
            User(username=f"city{t}_office", role=Role.OFFICE, last_name="城", first_name="工委", password=password),
            User(username=f"city{t}_leader", role=Role.LEADER, last_name="城", first_name="主任", password=password),
        ]
        staff = [
            User(
                username=f"city{t}_staff_{n + 1:04d}",
                role=Role.STATION_STAFF,
                last_name="站",
                first_name=f"员{n + 1}",
                password=password,
            )
            for n in range(len(self.areas))
        ]
        officers = [
            User(username=f"city{t}_unit_{n + 1:03d}", role=Role.UNIT_OFFICER, unit=unit, password=password)
            for n, unit in enumerate(self.unit_list)
        ]
        # Accounts for one deputy in five (the others are represented by station staff).
        deputy_users = [
            User(username=f"city{t}_deputy_{n + 1:05d}", role=Role.DEPUTY, deputy=deputy, password=password)
            for n, deputy in enumerate(self.deputy_list[::5])
        ]
        created = self.bulk(User, users + staff + officers + deputy_users, "accounts")
        self.office = created[0]
        self.staff_of_area = {}
        through = User.stations.through
        links = []
        for user, area in zip(created[2 : 2 + len(staff)], self.areas, strict=True):
            self.staff_of_area[area.id] = user
            links.append(through(user_id=user.id, station_id=area.id))
        self.bulk(through, links)
        self.user_of_deputy = {u.deputy_id: u for u in created if u.deputy_id}

    def reception(self):
        visits_total = _fill(VISITS, self.scale, 20)
        opinions_total = _fill(OPINIONS, self.scale, 30)
        public_total = opinions_total // 10
        desk_total = opinions_total - public_total
        # Visits, each with 1 opinion on average plus the extra ones spread at random.
        extra = max(0, desk_total - visits_total)
        per_visit = [1] * visits_total
        for _ in range(extra):
            per_visit[self.rng.randrange(visits_total)] += 1
        if desk_total < visits_total:
            for i in range(desk_total, visits_total):
                per_visit[i] = 0
        station_draw = self.rng.choices(self.stations, weights=self.station_weights, k=visits_total)

        def recorder(station):
            area = self.area_of[station.id]
            return self.staff_of_area[area] if area else self.office

        visit_rows = []
        visit_days = []
        for i in range(visits_total):
            station = station_draw[i]
            day = self.day()
            grids = self.grids_of_station.get(station.id)
            visit_rows.append(
                Visit(
                    station=station,
                    date=day,
                    channel=self.rng.choice(CHANNELS),
                    headcount=self.rng.randint(1, 6),
                    grid=self.rng.choice(grids) if grids and self.rng.random() < 0.6 else None,
                    recorded_by=recorder(station),
                    created_at=self.moment(day),
                )
            )
            visit_days.append(day)
        with _stored_timestamps(Visit._meta.get_field("created_at")):
            visits = self.bulk(Visit, visit_rows, "visits")
        del visit_rows
        self.log(f"visits: {len(visits)}")

        through = Visit.deputies.through
        deputy_links = []
        constituents = []
        deputy_of_visit = {}
        for visit in visits:
            pool = self.station_deputies.get(visit.station_id)
            if pool:
                deputy_of_visit[visit.id] = self.rng.choice(pool).id
                deputy_links.append(through(visit_id=visit.id, deputy_id=deputy_of_visit[visit.id]))
            if self.rng.random() < 0.3:
                name, _gender = self.person()
                constituents.append(VisitConstituent(visit=visit, name=name, phone=self.phone()))
        self.bulk(through, deputy_links, "visit deputies")
        self.bulk(VisitConstituent, constituents, "visit constituents")
        del deputy_links, constituents

        def opinion(station_id, day, grid_id, deputy_id, source, visit_id=None, n=0):
            outcome = self.weighted(OUTCOME_WEIGHTS)
            outcome_at = self.moment(min(day + datetime.timedelta(days=self.rng.randint(0, 10)), self.today))
            resolved = outcome in (OpinionOutcome.ANSWERED_ON_SITE, OpinionOutcome.REFERRED) and self.rng.random() < 0.6
            row = Opinion(
                visit_id=visit_id,
                station_id=station_id,
                grid_id=grid_id,
                deputy_id=deputy_id,
                source=source,
                category=self.rng.choice(CATEGORIES),
                content=self.rng.choice(MATTERS),
                received_on=day,
                outcome=outcome,
                outcome_note="已答复" if outcome else "",
                outcome_at=outcome_at if outcome else None,
                outcome_by=self.office if outcome else None,
                referral_unit=self.rng.choice(self.unit_list) if outcome == OpinionOutcome.REFERRED else None,
                resolved_at=outcome_at if resolved else None,
                resolution_note="已解决" if resolved else "",
                created_at=self.moment(day),
            )
            if source == OpinionSource.PUBLIC:
                row.tracking_code = f"C{self.tag}{n:09d}"[-12:]
                row.check_digits = f"{self.rng.randrange(10000):04d}"
                row.contact_name, _gender = self.person()
                row.contact_phone = self.phone()
            return row

        def desk_opinions():
            for visit, day, count in zip(visits, visit_days, per_visit, strict=True):
                for _ in range(count):
                    yield opinion(
                        visit.station_id,
                        day,
                        visit.grid_id,
                        deputy_of_visit.get(visit.id),
                        OpinionSource.DESK,
                        visit_id=visit.id,
                    )

        def public_opinions():
            for n in range(public_total):
                station = self.rng.choices(self.points or self.stations, k=1)[0]
                pool = self.station_deputies.get(station.id)
                deputy = self.rng.choice(pool) if pool and self.rng.random() < 0.5 else None
                yield opinion(station.id, self.day(), None, deputy.id if deputy else None, OpinionSource.PUBLIC, n=n)

        with _stored_timestamps(Opinion._meta.get_field("created_at")):
            ids = [o.id for o in self.bulk(Opinion, desk_opinions(), "opinions")]
            self.log(f"desk opinions: {len(ids)}")
            ids += [o.id for o in self.bulk(Opinion, public_opinions(), "opinions")]
        self.log(f"opinions: {len(ids)}")
        # A photo on one opinion in fifty (the file itself is not generated).
        self.bulk(
            OpinionPhoto,
            (OpinionPhoto(opinion_id=pk, image=f"opinions/city/{pk}.jpg") for pk in ids if self.rng.random() < 0.02),
            "opinion photos",
        )
        self.escalated = list(
            Opinion.objects.filter(
                id__in=ids[:: max(1, len(ids) // 2000)], outcome=OpinionOutcome.ESCALATED
            ).values_list("id", flat=True)
        )

    def suggestions(self):
        total = _fill(SUGGESTIONS, self.scale, 18)
        states = list(STATE_WEIGHTS)
        # Every state at least once, then drawn by weight.
        drawn = states + self.rng.choices(states, weights=list(STATE_WEIGHTS.values()), k=max(0, total - len(states)))
        rows = []
        for state in drawn:
            deputy = self.rng.choice(self.deputy_list)
            created = self.moment(self.day())
            submitted = state not in (State.DRAFT,)
            assigned = state in (State.ASSIGNED, State.IN_PROGRESS, State.REPLIED, State.REHANDLING, State.CLOSED)
            replied = state in (State.REPLIED, State.REHANDLING, State.CLOSED)
            unit = self.rng.choice(self.unit_list)
            submitted_at = (
                min(created + datetime.timedelta(hours=self.rng.randint(1, 72)), timezone.now()) if submitted else None
            )
            submitted_day = timezone.localtime(submitted_at, self.tz).date() if submitted_at else None
            assigned_on = (
                min(submitted_day + datetime.timedelta(days=self.rng.randint(1, 7)), self.today) if assigned else None
            )
            reply_due = assigned_on + datetime.timedelta(days=90) if assigned else None
            row = Suggestion(
                lead_deputy=deputy,
                created_by=self.user_of_deputy.get(deputy.id),
                title=self.rng.choice(MATTERS)[:20] + "的建议",
                content=self.rng.choice(MATTERS) + "，建议有关部门尽快研究解决。",
                category=self.rng.choice(CATEGORIES),
                state=state,
                submitted_at=submitted_at,
                assign_counted_from=submitted_day,
                assign_due=submitted_day + datetime.timedelta(days=7) if submitted else None,
                lead_unit=unit if assigned else None,
                assigned_on=assigned_on,
                reply_due=reply_due,
                return_request_due=assigned_on + datetime.timedelta(days=9) if assigned else None,
                return_reason="不属于建议范围，请补充材料" if state == State.RETURNED else "",
                key_supervision=assigned and self.rng.random() < 0.03,
                created_at=created,
                updated_at=created,
            )
            if replied:
                replied_on = min(assigned_on + datetime.timedelta(days=self.rng.randint(10, 100)), self.today)
                # A second reply only after a first one rated unsatisfied, on closed items.
                row.reply_round = 2 if state == State.CLOSED and self.rng.random() < 0.05 else 1
                row.first_replied_on = replied_on
                row.first_reply_on_time = replied_on <= reply_due
                row.reply_class = self.rng.choices(list(ReplyClass.values), weights=[50, 30, 15, 5])[0]
                row.contacted = self.rng.random() < 0.9
                row._replied_on = replied_on
            if state in (State.REHANDLING, State.CLOSED):
                row.first_rating = self.rng.choices(list(Rating.values), weights=[70, 22, 8])[0]
                if state == State.REHANDLING or row.reply_round == 2:
                    row.first_rating = Rating.UNSATISFIED
            if state == State.CLOSED:
                row.final_rating = row.first_rating if row.reply_round == 1 else Rating.BASICALLY_SATISFIED
                row.closed_at = self.moment(min(row._replied_on + datetime.timedelta(days=20), self.today))
            if state == State.WITHDRAWN:
                row.withdrawn_at = min(submitted_at + datetime.timedelta(days=1), timezone.now())
                row.withdraw_reason = "问题已解决"
            rows.append(row)
        fields = [Suggestion._meta.get_field("created_at"), Suggestion._meta.get_field("updated_at")]
        with _stored_timestamps(*fields):
            suggestions = self.bulk(Suggestion, rows, "suggestions")
        self.log(f"suggestions: {len(suggestions)}")

        assignments, cosigns = [], []
        for s in suggestions:
            if s.lead_unit_id:
                assignments.append(
                    Assignment(
                        suggestion=s,
                        unit_id=s.lead_unit_id,
                        role=AssignmentRole.LEAD,
                        assigned_on=s.assigned_on,
                        assigned_by=self.office,
                    )
                )
                if self.rng.random() < 0.2:
                    co = self.rng.choice(self.unit_list)
                    if co.id != s.lead_unit_id:
                        assignments.append(
                            Assignment(
                                suggestion=s,
                                unit=co,
                                role=AssignmentRole.CO,
                                assigned_on=s.assigned_on,
                                assigned_by=self.office,
                                opinion_due=s.assigned_on + datetime.timedelta(days=30),
                            )
                        )
            if self.rng.random() < 0.3:
                other = self.rng.choice(self.deputy_list)
                if other.id != s.lead_deputy_id:
                    status = CoSignStatus.PENDING if s.state == State.DRAFT else CoSignStatus.CONFIRMED
                    cosigns.append(CoSignature(suggestion=s, deputy=other, status=status))
        self.bulk(Assignment, assignments, "assignments")
        self.bulk(CoSignature, cosigns, "co-signatures")

        replies = []
        for s in suggestions:
            if not s.reply_round:
                continue
            replied_on = s._replied_on
            for round_no in range(1, s.reply_round + 1):
                day = min(replied_on + datetime.timedelta(days=30 * (round_no - 1)), self.today)
                replies.append(
                    Reply(
                        suggestion=s,
                        round=round_no,
                        unit_id=s.lead_unit_id,
                        reply_class=s.reply_class,
                        content="经研究，答复如下：已安排落实。",
                        contacted=s.contacted,
                        replied_at=self.moment(day),
                        replied_on=day,
                        due_on=s.reply_due,
                    )
                )
        replies = self.bulk(Reply, replies, "replies")
        by_id = {s.id: s for s in suggestions}
        evaluations = []
        for reply in replies:
            s = by_id[reply.suggestion_id]
            if not s.first_rating:
                continue
            first = reply.round == 1
            final = s.state == State.CLOSED and reply.round == s.reply_round
            if not (first or final):
                continue
            evaluations.append(
                Evaluation(
                    suggestion=s,
                    reply=reply,
                    rating=s.first_rating if first else s.final_rating,
                    is_first=first,
                    is_final=final,
                    evaluated_by=self.user_of_deputy.get(s.lead_deputy_id),
                    evaluated_at=min(reply.replied_at + datetime.timedelta(days=10), timezone.now()),
                )
            )
        self.bulk(Evaluation, evaluations, "evaluations")
        # Escalated opinions become the source of a suggestion.
        submitted = [s for s in suggestions if s.submitted_at]
        through = Suggestion.source_opinions.through
        self.bulk(
            through,
            (through(suggestion_id=self.rng.choice(submitted).id, opinion_id=pk) for pk in self.escalated),
            "suggestion source opinions",
        )
