"""Visits with their deputies and constituents; opinions at the desk and through the public channel."""

import datetime

from demo.city.base import CityBase, fill, stored_timestamps
from demo.city.figures import CATEGORIES, CHANNELS, MATTERS, OPINIONS, OUTCOME_WEIGHTS, VISITS
from liaison.models import Opinion, OpinionOutcome, OpinionPhoto, OpinionSource, Visit, VisitConstituent


class CityReception(CityBase):
    def reception(self):
        visits_total = fill(VISITS, self.scale, 20)
        opinions_total = fill(OPINIONS, self.scale, 30)
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
        with stored_timestamps(Visit._meta.get_field("created_at")):
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

        with stored_timestamps(Opinion._meta.get_field("created_at")):
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
