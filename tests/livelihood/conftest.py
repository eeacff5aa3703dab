"""A small street for livelihood tests: an office, a leader, units with officers, deputies with accounts.

Everything is created through the services (accounts, deputies, livelihood), as people would.
"""

from dataclasses import dataclass, field

import pytest

from core.roles import Role
from deputies.services import deputy_create
from livelihood.models import Choice, ProposerKind
from livelihood.services.candidates import candidate_add, cycle_create, shortlist_set, shortlisting_start
from livelihood.services.projects import implementation_start
from livelihood.services.voting import ballot_cast, vote_close, vote_open
from organisation.models import HandlingUnit


@dataclass
class Street:
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
            deputy = deputy_create(name=f"代表{i + 1:03d}")
            new.append(self.make_user(Role.DEPUTY, deputy=deputy, username=f"deputy{i + 1}"))
        self.deputy_users += new
        return new

    def cycle(self, *, places: int = 2, candidates: int = 3, year: int = 2024):
        """A cycle at 征集 with ``candidates`` proposals, each with a unit and a budget."""
        cycle = cycle_create(year=year, places=places, title=f"{year}年民生实事", actor=self.office)
        for i in range(candidates):
            candidate_add(
                cycle=cycle,
                actor=self.office,
                title=f"项目{i + 1}",
                description=f"第{i + 1}个候选项目",
                proposer_kind=ProposerKind.DEPARTMENT,
                proposer_name="区住建局",
                estimated_budget=100 + i,
                responsible_unit=self.unit,
            )
        return cycle

    def shortlisted(self, **kwargs):
        """A cycle at 初定 with every candidate on the shortlist."""
        cycle = self.cycle(**kwargs)
        shortlisting_start(cycle=cycle, actor=self.office)
        shortlist_set(cycle=cycle, candidates=cycle.candidates.all(), actor=self.office)
        cycle.refresh_from_db()
        return cycle

    def voting(self, *, present: int = 3, **kwargs):
        """A cycle whose vote is open with ``present`` deputies present (created as needed)."""
        cycle = self.shortlisted(**kwargs)
        if len(self.deputy_users) < present:
            self.add_deputies(present - len(self.deputy_users))
        session = vote_open(cycle=cycle, present=[u.deputy for u in self.deputy_users[:present]], actor=self.office)
        return cycle, session

    def cast(self, session, user, choices: str):
        """Cast ``user``'s ballot; ``choices`` has one letter per candidate in id order: f/a/x."""
        letters = {"f": Choice.FOR, "a": Choice.AGAINST, "x": Choice.ABSTAIN}
        ids = list(session.cycle.candidates.filter(shortlisted=True).order_by("id").values_list("id", flat=True))
        return ballot_cast(
            session=session,
            deputy=user.deputy,
            choices={cid: letters[c] for cid, c in zip(ids, choices, strict=True)},
            actor=user,
        )

    def implementing(self, *, present: int = 3, places: int = 2, candidates: int = 3, year: int = 2024):
        """A cycle at 实施: everyone votes for the first ``places`` candidates only."""
        cycle, session = self.voting(present=present, places=places, candidates=candidates, year=year)
        pattern = "f" * places + "a" * (candidates - places)
        for user in self.deputy_users[:present]:
            self.cast(session, user, pattern)
        vote_close(session=session, actor=self.office)
        projects = implementation_start(cycle=cycle, actor=self.office)
        cycle.refresh_from_db()
        return cycle, projects


@pytest.fixture
def street(db, make_user):
    unit = HandlingUnit.objects.create(name="区住建局")
    other_unit = HandlingUnit.objects.create(name="区交通局")
    return Street(
        make_user=make_user,
        office=make_user(Role.OFFICE, username="office"),
        leader=make_user(Role.LEADER, username="leader"),
        unit=unit,
        other_unit=other_unit,
        unit_officer=make_user(Role.UNIT_OFFICER, unit=unit, username="officer"),
        colleague_officer=make_user(Role.UNIT_OFFICER, unit=unit, username="colleague"),
        other_officer=make_user(Role.UNIT_OFFICER, unit=other_unit, username="outsider"),
    )
