"""Stations, communities and grids; deputies and their terms; handling units; accounts."""

import datetime

from django.contrib.auth.hashers import make_password

from accounts.models import User
from core.roles import Role
from demo.city.base import CityBase, fill
from demo.city.figures import (
    AREAS_PER_STREET,
    CITY_PASSWORD,
    DEPUTIES,
    GRIDS_PER_POINT,
    POINTS_PER_AREA,
    STREETS,
    UNITS,
)
from deputies.models import Deputy, DeputyKind, Level, Term
from duties.models import GridAssignment, GridRole
from organisation.models import Community, Grid, GridCentre, HandlingUnit, Station, StationKind, UnitKind


class CityOrganisation(CityBase):
    def organisation(self):
        streets = fill(STREETS, self.scale, 1)
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
        count = fill(DEPUTIES, self.scale, 10)
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
        count = fill(UNITS, self.scale, 5)
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
