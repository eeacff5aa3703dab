"""Writes stay inside the writer's scope: a unit proposes for itself, staff enter their own deputies' ballots."""

import pytest

from core.errors import PermissionRefused
from core.roles import Role
from livelihood.models import Ballot, Candidate, Choice, CycleEvent
from livelihood.services.candidates import candidate_add
from livelihood.services.voting import PaperBallot, paper_ballots_enter
from tests.builders import organisation as o
from tests.builders.people import client_for

API = "/api/v1/livelihood"


def _client(user):
    return client_for(user)


def test_unit_officer_cannot_propose_a_candidate_for_another_unit(street):
    cycle = street.cycle(candidates=0)
    with pytest.raises(PermissionRefused) as refused:
        candidate_add(
            cycle=cycle,
            actor=street.unit_officer,
            title="公交站台改造",
            description="…",
            responsible_unit=street.other_unit,
        )
    assert "本单位" in str(refused.value.message)
    assert not Candidate.objects.exists()
    assert not CycleEvent.objects.filter(action="candidate_add").exists()


def test_unit_officer_proposes_for_their_own_unit_over_the_api(street):
    cycle = street.cycle(candidates=0)
    body = {"cycle": cycle.pk, "title": "公交站台改造", "description": "…", "proposer_kind": "department"}
    response = _client(street.unit_officer).post(
        f"{API}/candidates/", {**body, "responsible_unit": street.other_unit.pk}, format="json"
    )
    assert response.status_code == 403, response.json()
    assert response.json()["detail"] == "承办单位经办人只能为本单位提出候选项目。"
    assert not Candidate.objects.exists()
    # Their own unit, named or implied, is fine; a colleague of the same unit too.
    response = _client(street.unit_officer).post(
        f"{API}/candidates/", {**body, "responsible_unit": street.unit.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    response = _client(street.colleague_officer).post(f"{API}/candidates/", body, format="json")
    assert response.status_code == 201, response.json()
    assert set(Candidate.objects.values_list("responsible_unit", flat=True)) == {street.unit.pk}


@pytest.fixture
def stations(street):
    """Two area stations; the first three deputies live at A, the fourth at B. One staff account each."""
    street.add_deputies(4)
    hub = o.hub(address="白沙大道1号")
    a = o.area(hub, "甲片区实践站", address="甲路1号")
    b = o.area(hub, "乙片区实践站", address="乙路1号")
    o.residents(a, [u.deputy for u in street.deputy_users[:3]])
    o.residents(b, [street.deputy_users[3].deputy])
    staff_a = street.make_user(Role.STATION_STAFF, username="staff_a", stations=[a])
    staff_b = street.make_user(Role.STATION_STAFF, username="staff_b", stations=[b])
    return staff_a, staff_b


def _ballot(session, user):
    ids = session.cycle.candidates.filter(shortlisted=True).values_list("id", flat=True)
    return PaperBallot(deputy=user.deputy, choices=dict.fromkeys(ids, Choice.FOR))


def test_staff_enter_paper_ballots_only_for_deputies_of_their_stations(street, stations):
    staff_a, staff_b = stations
    _cycle, session = street.voting(present=4)
    own, other = street.deputy_users[0], street.deputy_users[3]
    with pytest.raises(PermissionRefused) as refused:
        paper_ballots_enter(session=session, ballots=[_ballot(session, own), _ballot(session, other)], actor=staff_a)
    assert refused.value.code == "deputy_not_of_station"
    assert other.deputy.name in refused.value.message and own.deputy.name not in refused.value.message
    assert not Ballot.objects.exists()
    assert not CycleEvent.objects.filter(action="paper_ballots_enter").exists()
    # Each desk enters its own deputies' ballots; the office enters anyone's.
    paper_ballots_enter(session=session, ballots=[_ballot(session, own)], actor=staff_a)
    paper_ballots_enter(session=session, ballots=[_ballot(session, other)], actor=staff_b)
    paper_ballots_enter(session=session, ballots=[_ballot(session, street.deputy_users[1])], actor=street.office)
    assert set(Ballot.objects.values_list("deputy", "entered_by")) == {
        (own.deputy.pk, staff_a.pk),
        (other.deputy.pk, staff_b.pk),
        (street.deputy_users[1].deputy.pk, street.office.pk),
    }


def test_paper_ballot_for_another_stations_deputy_is_403_over_the_api(street, stations):
    staff_a, _staff_b = stations
    cycle, session = street.voting(present=4)
    ids = list(cycle.candidates.order_by("id").values_list("id", flat=True))
    other = street.deputy_users[3]
    batch = [{"deputy": other.deputy.pk, "choices": [{"candidate": i, "choice": "for"} for i in ids]}]
    response = _client(staff_a).post(f"{API}/ballots/bulk/", {"session": session.pk, "ballots": batch}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "deputy_not_of_station"
    assert response.json()["detail"].startswith("您只能为本站代表录入纸质选票")
    assert not Ballot.objects.exists()
