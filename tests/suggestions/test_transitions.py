"""Every action by every kind of user in every state, through the API.

The expected table below is written out by hand from docs/domain.md ("The suggestion lifecycle"),
independently of ``suggestions/transitions.py``; the first test checks the two agree, the
matrix test checks the running code against it: allowed → 200 and a permitted new state;
invisible → 404; never allowed for this user → 403; not in this state → 409 — and a
refusal changes nothing (state, fields, events, related rows).
"""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from suggestions import services
from suggestions.models import (
    Assignment,
    Contact,
    CoSignature,
    CoUnitOpinion,
    Evaluation,
    Extension,
    FollowUp,
    Reply,
    ReturnRequest,
    State,
    Suggestion,
    SuggestionEvent,
    SupervisionNote,
)
from suggestions.transitions import TRANSITIONS, allowed_edges
from tests.builders.suggestions import drive

S = State
HANDLING = {S.ASSIGNED, S.IN_PROGRESS}
# (action, from states, to states, who) — who: relationship names as in the test users below.
SPEC = [
    ("update", {S.DRAFT, S.RETURNED}, None, {"deputy"}),
    ("cosign", {S.DRAFT, S.RETURNED}, None, {"cosigner"}),
    ("submit", {S.DRAFT}, {S.SUBMITTED}, {"deputy"}),
    ("return", {S.SUBMITTED}, {S.RETURNED}, {"office"}),
    ("resubmit", {S.RETURNED}, {S.SUBMITTED}, {"deputy"}),
    ("assign", {S.SUBMITTED}, {S.ASSIGNED}, {"office"}),
    ("request_return", HANDLING, None, {"lead_officer", "co_officer"}),
    ("decide_return", HANDLING, "same or submitted", {"office"}),
    ("acknowledge", {S.ASSIGNED}, {S.IN_PROGRESS}, {"lead_officer"}),
    ("co_unit_opinion", {S.ASSIGNED, S.IN_PROGRESS, S.REHANDLING}, None, {"co_officer"}),
    ("record_contact", {S.IN_PROGRESS, S.REHANDLING}, None, {"lead_officer"}),
    ("reply", {S.IN_PROGRESS, S.REHANDLING}, {S.REPLIED}, {"lead_officer"}),
    ("extend", HANDLING, None, {"lead_officer", "office"}),
    ("decide_extension", HANDLING, None, {"office"}),
    ("follow_up", {S.CLOSED}, None, {"lead_officer"}),
    (
        "supervise",
        {S.SUBMITTED, S.ASSIGNED, S.IN_PROGRESS, S.REPLIED, S.REHANDLING, S.CLOSED},
        None,
        {"leader", "office"},
    ),
    ("evaluate", {S.REPLIED}, {S.REHANDLING, S.CLOSED}, {"deputy"}),
    ("withdraw", {S.DRAFT, S.SUBMITTED, S.RETURNED, S.ASSIGNED, S.IN_PROGRESS}, {S.WITHDRAWN}, {"deputy"}),
]
SPEC_BY_KEY = {(state, action): who for action, states, _to, who in SPEC for state in states}
WHO_EVER = {}
for _action, _states, _to, _who in SPEC:
    WHO_EVER[_action] = _who

RELATION_OF = {
    "lead_deputy": "deputy",
    "cosigner": "cosigner",
    "lead_unit": "lead_officer",
    "co_unit": "co_officer",
    "office": "office",
    "leader": "leader",
}

# The states the matrix starts from (``replied`` after a first reply; ``closed`` after a B reply so that
# follow-up is possible).
START_STATES = list(State.values)


def test_the_transition_table_is_the_spec():
    table = {(source, action): {RELATION_OF[a] for a in rule.actors} for (source, action), rule in TRANSITIONS.items()}
    assert table == SPEC_BY_KEY
    targets = {(source, action): set(rule.targets) for (source, action), rule in TRANSITIONS.items()}
    for action, states, to_states, _who in SPEC:
        for state in states:
            if to_states is None:
                expected = {state}
            elif to_states == "same or submitted":
                expected = {state, S.SUBMITTED}
            else:
                expected = set(to_states)
            assert targets[(state, action)] == expected, (state, action)
    # Nothing leaves a closed or withdrawn suggestion except follow-ups and supervision notes.
    for source, action, target in allowed_edges():
        if source in (S.CLOSED, S.WITHDRAWN):
            assert target == source and action in ("follow_up", "supervise")


def visible(user_name: str, state: str) -> bool:
    """Who may see a suggestion led by ``deputy`` (station A) assigned to lead_unit + co_unit."""
    if user_name in ("deputy", "cosigner"):
        return True
    if state == S.DRAFT or state == S.WITHDRAWN:  # the withdrawn one here was withdrawn as a draft
        return False
    if user_name in ("office", "leader", "admin", "staff_a"):
        return True
    if user_name in ("lead_officer", "co_officer"):
        return state in (S.ASSIGNED, S.IN_PROGRESS, S.REPLIED, S.REHANDLING, S.CLOSED)
    return False  # other_deputy, other_officer, staff_b


def expected_status(user_name: str, state: str, action: str) -> int:
    if not visible(user_name, state):
        return 404
    if user_name not in WHO_EVER[action]:
        return 403
    if user_name not in SPEC_BY_KEY.get((state, action), set()):
        return 409
    return 200


def payload(action: str, suggestion: Suggestion, w) -> dict:
    extension = suggestion.extensions.filter(status="pending").first()
    return_request = suggestion.return_requests.filter(status="pending").first()
    return {
        "update": {"title": "修改后的标题"},
        "cosign": {"accept": True},
        "submit": {},
        "return": {"reason": "不属于代表建议范围"},
        "resubmit": {},
        "assign": {"lead_unit": w.lead_unit.pk, "co_units": [w.co_unit.pk]},
        "request_return": {"reason": "不属于本单位职责"},
        "decide_return": {"return_request": return_request.pk if return_request else 0, "accept": False},
        "acknowledge": {},
        "co_unit_opinion": {"content": "同意主办单位意见"},
        "record_contact": {"method": "phone"},
        "reply": {"reply_class": "B", "content": "已列入明年计划", "contacted": True},
        "extend": {"new_due": _later(suggestion), "reason": "需协调多个部门"},
        "decide_extension": {"extension": extension.pk if extension else 0, "approve": True},
        "follow_up": {"content": "工程已开工", "solved": False},
        "supervise": {"note": "请加快办理"},
        "evaluate": {"rating": "satisfied"},
        "withdraw": {"reason": "已另行解决"},
    }[action]


def _later(suggestion: Suggestion) -> str:
    base = suggestion.reply_due
    return (base + timedelta(days=10)).isoformat() if base else "2030-01-01"


def url(suggestion, action):
    if action == "update":
        return f"/api/v1/suggestions/{suggestion.pk}/"
    return f"/api/v1/suggestions/{suggestion.pk}/{action}/"


def call(client, suggestion, action, data):
    if action == "update":
        return client.patch(url(suggestion, action), data, format="json")
    return client.post(url(suggestion, action), data, format="json")


def snapshot(suggestion: Suggestion) -> dict:
    """Everything an action could change."""
    row = Suggestion.objects.filter(pk=suggestion.pk).values().get()
    related = {
        model.__name__: sorted(model.objects.filter(suggestion=suggestion).values_list("pk", flat=True))
        for model in (
            Assignment,
            CoUnitOpinion,
            Contact,
            Reply,
            Evaluation,
            Extension,
            ReturnRequest,
            SupervisionNote,
            FollowUp,
            SuggestionEvent,
        )
    }
    statuses = {
        "cosign": sorted(CoSignature.objects.filter(suggestion=suggestion).values_list("deputy_id", "status")),
        "extensions": sorted(Extension.objects.filter(suggestion=suggestion).values_list("pk", "status")),
        "returns": sorted(ReturnRequest.objects.filter(suggestion=suggestion).values_list("pk", "status")),
        "assignments": sorted(Assignment.objects.filter(suggestion=suggestion).values_list("pk", "active")),
    }
    return {"row": row, "related": related, "statuses": statuses}


def prepare(w, state: str, action: str) -> Suggestion:
    """A fresh suggestion in ``state`` with whatever the action needs to exist (a pending request …)."""
    suggestion = drive(w, state, title=f"{state}-{action}", reply_class="B")
    if action == "submit":
        services.suggestion_cosign(suggestion=suggestion, actor=w.cosigner, accept=True)
    if action == "decide_return":
        services.suggestion_request_return(suggestion=suggestion, actor=w.lead_officer, reason="非本单位职责")
    if action == "decide_extension":
        services.suggestion_extend(
            suggestion=suggestion,
            actor=w.lead_officer,
            new_due=suggestion.reply_due + timedelta(days=10),
            reason="情况复杂",
        )
    return suggestion


@pytest.mark.parametrize("state", START_STATES)
def test_every_action_by_every_user_in_state(world, state):
    w = world
    client = APIClient()
    shared = drive(w, state, title=f"shared-{state}", reply_class="B")
    # Refusals go to ``shared``; successes to fresh suggestions, so ``shared`` must never change.
    untouched = snapshot(shared)
    for user_name, user in w.users().items():
        client.force_authenticate(user)
        for action in WHO_EVER:
            expected = expected_status(user_name, state, action)
            if expected == 200:
                target = prepare(w, state, action)
                before_state = target.state
                before_events = SuggestionEvent.objects.filter(suggestion=target).count()
                response = call(client, target, action, payload(action, target, w))
                assert response.status_code == 200, (user_name, state, action, response.content)
                target.refresh_from_db()
                assert response.json()["state"] == target.state
                rule = TRANSITIONS[(before_state, action)]
                assert target.state in rule.targets
                events = SuggestionEvent.objects.filter(suggestion=target).order_by("-id")
                assert events.count() == before_events + 1
                latest = events.first()
                assert (latest.from_state, latest.action, latest.to_state) == (before_state, action, target.state)
                assert latest.actor_id == user.pk
            else:
                response = call(client, shared, action, payload(action, shared, w))
                assert response.status_code == expected, (user_name, state, action, response.content)
                if expected in (403, 409):
                    body = response.json()
                    assert body["detail"]
                    # The reason is in Chinese (the default language).
                    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"]), body
                assert snapshot(shared) == untouched, (user_name, state, action)


def test_anonymous_is_refused_everywhere(world):
    suggestion = drive(world, State.SUBMITTED)
    client = APIClient()
    assert client.get("/api/v1/suggestions/").status_code in (401, 403)
    assert client.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code in (401, 403)
    before = snapshot(suggestion)
    for action in WHO_EVER:
        response = call(client, suggestion, action, payload(action, suggestion, world))
        assert response.status_code in (401, 403), action
    assert snapshot(suggestion) == before
    assert client.get("/api/v1/stats/suggestions/").status_code in (401, 403)
