"""The livelihood API: the contract's ``livelihood/projects`` collection and what the cycle needs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from livelihood.models import Ballot, Stage, YearCycle
from livelihood.services.candidates import cycle_create
from livelihood.services.supervision import evaluation_start, rating_record, supervision_start, visit_record

API = "/api/v1/livelihood"


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_user


def test_full_cycle_through_the_api(street, api):
    street.add_deputies(3)
    office = api(street.office)
    response = office.post(f"{API}/cycles/", {"year": 2025, "places": 1, "title": "2025年民生实事"}, format="json")
    assert response.status_code == 201, response.json()
    cycle = response.json()
    assert cycle["stage"] == "collecting" and cycle["stage_label"] == "征集"
    ids = []
    for title in ("加装电梯", "口袋公园"):
        response = office.post(
            f"{API}/candidates/",
            {
                "cycle": cycle["id"],
                "title": title,
                "description": "…",
                "proposer_kind": "constituent",
                "proposer_name": "李先生",
                "proposer_phone": "13812345678",
                "responsible_unit": street.unit.pk,
                "estimated_budget": "80.50",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        assert response.json()["proposer_phone"] == "138****5678"
        ids.append(response.json()["id"])
    assert office.post(f"{API}/cycles/{cycle['id']}/start-shortlisting/").status_code == 200
    assert office.post(f"{API}/candidates/{ids[0]}/shortlist/", {"shortlisted": True}, format="json").status_code == 200

    present = [u.deputy.pk for u in street.deputy_users]
    # One shortlisted for one place: no 差额, 409 with the reason in Chinese.
    response = office.post(f"{API}/sessions/", {"cycle": cycle["id"], "present": present}, format="json")
    assert response.status_code == 409
    assert "差额" in response.json()["detail"] and response.json()["code"] == "no_margin"
    assert YearCycle.objects.get(pk=cycle["id"]).stage == Stage.SHORTLISTING

    office.post(f"{API}/candidates/{ids[1]}/shortlist/", {"shortlisted": True}, format="json")
    # A deputy may not open the vote.
    deputy_api = api(street.deputy_users[0])
    response = deputy_api.post(f"{API}/sessions/", {"cycle": cycle["id"], "present": present}, format="json")
    assert response.status_code == 403
    response = office.post(f"{API}/sessions/", {"cycle": cycle["id"], "present": present}, format="json")
    assert response.status_code == 201, response.json()
    session = response.json()["id"]
    assert office.get(f"{API}/sessions/{session}/results/").status_code == 409

    for user in street.deputy_users:
        response = api(user).post(
            f"{API}/ballots/",
            {
                "session": session,
                "choices": [{"candidate": ids[0], "choice": "for"}, {"candidate": ids[1], "choice": "against"}],
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        assert response.json()["choices"] == [
            {"candidate": ids[0], "choice": "for"},
            {"candidate": ids[1], "choice": "against"},
        ]
    again = deputy_api.post(
        f"{API}/ballots/",
        {
            "session": session,
            "choices": [{"candidate": ids[0], "choice": "for"}, {"candidate": ids[1], "choice": "for"}],
        },
        format="json",
    )
    assert again.status_code == 409 and again.json()["code"] == "voted"

    # The office audit: who voted, not how.
    audit = office.get(f"{API}/ballots/", {"session": session}).json()
    assert audit["count"] == 3
    assert all(row["choices"] is None for row in audit["results"])
    # A deputy sees only their own ballot.
    own = deputy_api.get(f"{API}/ballots/").json()
    assert [row["deputy"] for row in own["results"]] == [street.deputy_users[0].deputy.pk]

    assert office.post(f"{API}/sessions/{session}/close/").json()["is_open"] is False
    results = office.get(f"{API}/sessions/{session}/results/").json()
    assert [(r["id"], r["votes_for"], r["votes_against"], r["result"]) for r in results] == [
        (ids[0], 3, 0, "selected"),
        (ids[1], 0, 3, "not_selected"),
    ]
    assert set(results[0]) == {"id", "title", "votes_for", "votes_against", "votes_abstain", "result", "result_label"}

    response = office.post(f"{API}/cycles/{cycle['id']}/start-implementation/")
    assert response.json()["stage"] == "implementing"
    projects = office.get(f"{API}/projects/").json()
    assert projects["count"] == 1
    project = projects["results"][0]
    assert (project["title"], project["responsible_unit"], project["budget"]) == ("加装电梯", street.unit.pk, "80.50")

    unit_api = api(street.unit_officer)
    response = unit_api.post(f"{API}/projects/{project['id']}/progress/", {"percent": 40, "note": "主体施工"})
    assert response.status_code == 201, response.json()
    response = unit_api.post(f"{API}/projects/{project['id']}/milestones/", {"title": "竣工", "due_date": "2025-12-31"})
    assert response.status_code == 201, response.json()
    detail = unit_api.get(f"{API}/projects/{project['id']}/").json()
    assert detail["progress_percent"] == 40 and detail["milestones"][0]["title"] == "竣工"
    # Another unit's officer neither sees nor reports on it.
    outsider = api(street.other_officer)
    assert outsider.get(f"{API}/projects/{project['id']}/").status_code == 404
    assert outsider.post(f"{API}/projects/{project['id']}/progress/", {"percent": 99, "note": "x"}).status_code == 404

    events = office.get(f"{API}/cycles/{cycle['id']}/events/").json()
    assert [e["action"] for e in events][:3] == ["cycle_create", "candidate_add", "candidate_add"]


def test_bad_input_is_400_with_fields(street, api):
    office = api(street.office)
    response = office.post(f"{API}/cycles/", {"year": "next", "places": 0}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"year", "places"}
    street.cycle(year=2024)
    response = office.post(f"{API}/cycles/", {"year": 2024, "places": 3}, format="json")
    assert response.status_code == 400 and "year" in response.json()


def test_out_of_order_transition_is_409(street, api):
    cycle = street.cycle()
    response = api(street.office).post(f"{API}/cycles/{cycle.pk}/publish/")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "当前处于“征集”阶段，不能公示结果；该操作只能在“测评”阶段进行。",
        "code": "wrong_stage",
    }
    cycle.refresh_from_db()
    assert cycle.stage == Stage.COLLECTING


def test_paper_ballots_bulk_endpoint_is_all_or_nothing(street, api):
    cycle, session = street.voting(present=3)
    ids = list(cycle.candidates.order_by("id").values_list("id", flat=True))
    (absent,) = street.add_deputies(1)

    def ballot(user):
        return {"deputy": user.deputy.pk, "choices": [{"candidate": i, "choice": "for"} for i in ids]}

    office = api(street.office)
    batch = [ballot(street.deputy_users[0]), ballot(absent)]
    response = office.post(f"{API}/ballots/bulk/", {"session": session.pk, "ballots": batch}, format="json")
    assert response.status_code == 409
    assert absent.deputy.name in response.json()["detail"]
    assert not Ballot.objects.exists()
    batch = [ballot(u) for u in street.deputy_users[:3]]
    response = office.post(f"{API}/ballots/bulk/", {"session": session.pk, "ballots": batch}, format="json")
    assert response.status_code == 201 and response.json() == {"entered": 3}
    assert (
        api(street.deputy_users[0])
        .post(f"{API}/ballots/bulk/", {"session": session.pk, "ballots": batch}, format="json")
        .status_code
        == 403
    )


def test_ratings_and_visits_are_the_deputys_own(street, api):
    cycle, (project, _other) = street.implementing()
    owner, colleague = street.deputy_users[:2]
    response = api(owner).post(
        f"{API}/visits/", {"project": project.pk, "visited_on": "2024-06-01", "findings": "进度正常"}
    )
    assert response.status_code == 201, response.json()
    supervision_start(cycle=cycle, actor=street.office)
    evaluation_start(cycle=cycle, actor=street.office)
    response = api(owner).post(f"{API}/ratings/", {"project": project.pk, "rating": "satisfied"})
    assert response.status_code == 201, response.json()
    assert api(owner).post(f"{API}/ratings/", {"project": project.pk, "rating": "unsatisfied"}).status_code == 409
    assert api(owner).get(f"{API}/ratings/").json()["count"] == 1
    assert api(colleague).get(f"{API}/ratings/").json()["count"] == 0
    assert api(colleague).get(f"{API}/visits/").json()["count"] == 0
    assert api(street.unit_officer).get(f"{API}/visits/").json()["count"] == 1  # findings go to the unit
    assert api(street.other_officer).get(f"{API}/visits/").json()["count"] == 0
    assert api(street.other_officer).get(f"{API}/ratings/").json()["count"] == 0
    assert (
        api(street.unit_officer).post(f"{API}/ratings/", {"project": project.pk, "rating": "satisfied"}).status_code
        == 403
    )


def test_anonymous_gets_nothing(street):
    street.cycle()
    assert APIClient().get(f"{API}/projects/").status_code in (401, 403)
    assert APIClient().get(f"{API}/cycles/").status_code in (401, 403)


# --- constant query counts ------------------------------------------------------------------------------


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return len(queries), response.json()


def test_project_list_query_count_is_constant(street, api, make_user):
    # 10 projects in one cycle, 100 in another; the list reads them with one query
    # (unit, cycle and candidate joined; sub-item and milestone counts annotated) plus the
    # paginator's count: the same number whatever the page holds.
    street.implementing(present=1, places=10, candidates=11, year=2023)
    street.implementing(present=1, places=100, candidates=101, year=2024)
    office = api(street.office)
    small, data_small = count_queries(office, f"{API}/projects/", {"year": 2023})
    large, data_large = count_queries(office, f"{API}/projects/", {"year": 2024})
    assert (data_small["count"], data_large["count"]) == (10, 100)
    assert small == large


def _cycles(street, n):
    """Cycles up to ``n`` in all."""
    for year in range(2000 + YearCycle.objects.count(), 2000 + n):
        cycle_create(year=year, places=1, actor=street.office)
    return {}


def _candidates(street, n):
    cycle = street.cycle(places=1, candidates=n, year=2000 + n)
    return {"cycle": cycle.pk}


def _sessions(street, n):
    """Voting sessions up to ``n`` in all."""
    for year in range(2000 + YearCycle.objects.count(), 2000 + n):
        street.voting(present=1, places=1, candidates=2, year=year)
    return {}


def _per_deputy(street, n):
    """A project with ``n`` ballots behind it, ``n`` supervision visits and ``n`` ratings."""
    cycle, (project,) = street.implementing(present=n, places=1, candidates=2, year=2000 + n)
    users = street.deputy_users[:n]
    for user in users:
        visit_record(project=project, deputy=user.deputy, visited_on=cycle.created_at.date(), findings="ok", actor=user)
    supervision_start(cycle=cycle, actor=street.office)
    evaluation_start(cycle=cycle, actor=street.office)
    for user in users:
        rating_record(project=project, deputy=user.deputy, rating="satisfied", actor=user)
    return {"session": cycle.voting_session.pk, "project": project.pk}


@pytest.mark.parametrize(
    ("path", "build"),
    [
        ("cycles", _cycles),
        ("candidates", _candidates),
        ("sessions", _sessions),
        ("ballots", _per_deputy),
        ("visits", _per_deputy),
        ("ratings", _per_deputy),
    ],
)
def test_other_lists_query_count_is_constant(street, api, path, build):
    # Each list is one query for the page (related rows joined, counts annotated) plus one for the
    # paginator's count; none of them issues a query per row, so 10 and 100 rows cost the same.
    counts = {}
    for n in (10, 100):
        params = build(street, n)
        if path == "ballots":
            params = {"session": params["session"]}
        elif path in ("visits", "ratings"):
            params = {"project": params["project"]}
        queries, data = count_queries(api(street.office), f"{API}/{path}/", params)
        assert data["count"] == n
        counts[n] = queries
    assert counts[10] == counts[100]


def test_own_ballot_list_for_a_deputy_is_constant(street, api):
    # A deputy's list holds their own ballots only: page + count + one prefetch of their choices.
    counts = {}
    for n in (10, 100):
        cycle, session = street.voting(present=1, places=n, candidates=n + 1, year=2000 + n)
        street.cast(session, street.deputy_users[0], "f" * (n + 1))
        queries, data = count_queries(api(street.deputy_users[0]), f"{API}/ballots/", {"session": session.pk})
        assert len(data["results"][0]["choices"]) == n + 1
        counts[n] = queries
    assert counts[10] == counts[100]
