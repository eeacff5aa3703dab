"""Who sees which suggestion: the list, the detail and the pages all start from one selector.

Owner / colleague / outsider for every role: the lead deputy and a co-signer versus another deputy;
the lead unit and a co-unit versus another unit; station staff of the lead deputy's station versus
another station; the office, leaders and admins see everything except drafts.
"""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from suggestions import services
from suggestions.models import State
from tests.builders.suggestions import drive


@pytest.fixture
def cases(world):
    """One suggestion by ``deputy`` in every state, plus one by ``other_deputy`` handled by ``other_unit``."""
    by_state = {state: drive(world, state, title=f"建议-{state}") for state in State.values}
    theirs = services.suggestion_create(
        actor=world.other_deputy, title="西片区的建议", content="内容", category="safety"
    )
    services.suggestion_submit(suggestion=theirs, actor=world.other_deputy)
    theirs = services.suggestion_assign(suggestion=theirs, actor=world.office, lead_unit=world.other_unit)
    return by_state, theirs


HANDLED = {State.ASSIGNED, State.IN_PROGRESS, State.REPLIED, State.REHANDLING, State.CLOSED}
EVER_SUBMITTED = set(State.values) - {State.DRAFT, State.WITHDRAWN}  # the withdrawn one was a draft


def expected_states(user_name: str) -> tuple[set, bool]:
    """(states of ``deputy``'s suggestions the user sees, whether they see ``other_deputy``'s)."""
    return {
        "deputy": (set(State.values), False),
        "cosigner": (set(State.values), False),
        "other_deputy": (set(), True),
        "lead_officer": (HANDLED, False),
        "co_officer": (HANDLED, False),
        "other_officer": (set(), True),
        "office": (EVER_SUBMITTED, True),
        "leader": (EVER_SUBMITTED, True),
        "admin": (EVER_SUBMITTED, True),
        "staff_a": (EVER_SUBMITTED, False),
        "staff_b": (set(), True),
    }[user_name]


def test_list_and_detail_are_scoped_for_every_user(world, cases, client):
    by_state, theirs = cases
    api = APIClient()
    for user_name, user in world.users().items():
        states, sees_theirs = expected_states(user_name)
        expected = {by_state[state].pk for state in states} | ({theirs.pk} if sees_theirs else set())
        api.force_authenticate(user)
        listed = {row["id"] for row in api.get("/api/v1/suggestions/").json()["results"]}
        assert listed == expected, user_name
        client.force_login(user)
        page = client.get("/suggestions/")
        assert page.status_code == 200
        shown = {s.pk for s in page.context["page_obj"].object_list}
        assert shown == expected, user_name
        for suggestion in [*by_state.values(), theirs]:
            visible = suggestion.pk in expected
            assert api.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code == (200 if visible else 404)
            assert client.get(f"/suggestions/{suggestion.pk}/").status_code == (200 if visible else 404)


def test_drafts_are_for_the_deputy_and_co_signers_only(world, cases):
    by_state, _theirs = cases
    draft = by_state[State.DRAFT]
    api = APIClient()
    for user_name, user in world.users().items():
        api.force_authenticate(user)
        status = api.get(f"/api/v1/suggestions/{draft.pk}/").status_code
        assert status == (200 if user_name in ("deputy", "cosigner") else 404), user_name


def test_a_unit_loses_sight_of_an_item_the_office_takes_back(world):
    suggestion = drive(world, State.ASSIGNED)
    request = services.suggestion_request_return(suggestion=suggestion, actor=world.lead_officer, reason="非本单位")
    api = APIClient()
    api.force_authenticate(world.lead_officer)
    assert api.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code == 200
    services.suggestion_decide_return(return_request=request, actor=world.office, accept=True)
    assert api.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code == 404
    api.force_authenticate(world.co_officer)  # its co-unit part ended with the lead's
    assert api.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.state == State.SUBMITTED
    assert suggestion.lead_unit is None and suggestion.assign_due is not None
    # Re-assigned to another unit: that unit sees it from now on, the first one still does not.
    services.suggestion_assign(suggestion=suggestion, actor=world.office, lead_unit=world.other_unit)
    api.force_authenticate(world.other_officer)
    assert api.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code == 200
    api.force_authenticate(world.lead_officer)
    assert api.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code == 404


def test_a_co_units_return_request_ends_only_its_part(world):
    suggestion = drive(world, State.IN_PROGRESS)
    request = services.suggestion_request_return(suggestion=suggestion, actor=world.co_officer, reason="非本单位")
    services.suggestion_decide_return(return_request=request, actor=world.office, accept=True)
    suggestion.refresh_from_db()
    assert suggestion.state == State.IN_PROGRESS
    api = APIClient()
    api.force_authenticate(world.co_officer)
    assert api.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code == 404
    api.force_authenticate(world.lead_officer)
    assert api.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code == 200


def test_list_filters(world, cases):
    by_state, theirs = cases
    api = APIClient()
    api.force_authenticate(world.office)

    def ids(query):
        response = api.get(f"/api/v1/suggestions/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    handled_ours = {by_state[state].pk for state in HANDLED}
    assert ids("state=assigned&state=in_progress") == {by_state["assigned"].pk, by_state["in_progress"].pk, theirs.pk}
    assert ids(f"unit={world.lead_unit.pk}") == handled_ours
    assert ids(f"unit={world.co_unit.pk}") == handled_ours
    assert ids(f"unit={world.other_unit.pk}") == {theirs.pk}
    assert ids(f"deputy={world.other_deputy_record.pk}") == {theirs.pk}
    assert ids(f"station={world.station_b.pk}") == {theirs.pk}
    assert theirs.pk not in ids(f"station={world.station_a.pk}")
    assert ids("category=safety") == {theirs.pk}
    assert ids("q=西片区") == {theirs.pk}
    assert ids("q=老人上下楼") == {by_state[state].pk for state in EVER_SUBMITTED}
    assert ids("key_supervision=true") == set()
    services.suggestion_supervise(suggestion=theirs, actor=world.leader, note="重点督办", key_supervision=True)
    assert ids("key_supervision=true") == {theirs.pk}
    year = timezone.localtime(theirs.submitted_at).year
    assert theirs.pk in ids(f"year={year}") and ids(f"year={year - 5}") == set()
    assert api.get("/api/v1/suggestions/?state=nonsense").status_code == 400
