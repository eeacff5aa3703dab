"""形成意见建议: a constituent opinion becomes a draft suggestion for the chosen deputy, linked both ways."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from core.errors import ActionRefused, PermissionRefused
from liaison.services.opinions import opinion_create
from suggestions import services
from suggestions.models import State, Suggestion, SuggestionEvent


def opinion(world, content="小区门口路灯不亮，夜间出行不安全。", **data):
    return opinion_create(
        actor=world.staff_a,
        station=world.station_a,
        data={"category": "safety", "content": content, "grid": None, "outcome": "", **data},
    )


def test_staff_escalate_an_opinion_into_a_deputys_draft(world):
    source = opinion(world)
    suggestion = services.suggestion_create_from_opinion(
        opinion=source, deputy=world.lead_deputy, actor=world.staff_a, title="关于修复路灯的建议"
    )
    source.refresh_from_db()
    assert source.outcome == "escalated"
    assert list(suggestion.source_opinions.all()) == [source]
    assert list(source.suggestions.all()) == [suggestion]
    assert suggestion.state == State.DRAFT and suggestion.lead_deputy == world.lead_deputy
    assert suggestion.category == "safety" and suggestion.content == source.content
    event = SuggestionEvent.objects.get(suggestion=suggestion)
    assert event.action == "create" and event.data["opinion"] == source.pk
    # The draft is the deputy's: they see it and submit it; the staff member no longer sees a draft.
    api = APIClient()
    api.force_authenticate(world.deputy)
    body = api.get(f"/api/v1/suggestions/{suggestion.pk}/").json()
    assert body["title"] == "关于修复路灯的建议"
    api.force_authenticate(world.staff_a)
    assert api.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code == 404
    services.suggestion_submit(suggestion=suggestion, actor=world.deputy)
    assert api.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code == 200


def test_an_opinion_with_another_outcome_is_refused_and_nothing_is_created(world):
    source = opinion(world, outcome="answered_on_site", outcome_note="已现场答复")
    with pytest.raises(ActionRefused):
        services.suggestion_create_from_opinion(opinion=source, deputy=world.lead_deputy, actor=world.staff_a)
    assert not Suggestion.objects.exists()
    source.refresh_from_db()
    assert source.outcome == "answered_on_site"


def test_who_may_escalate(world):
    source = opinion(world)
    with pytest.raises(PermissionRefused):
        services.suggestion_create_from_opinion(opinion=source, deputy=world.lead_deputy, actor=world.lead_officer)
    with pytest.raises(PermissionRefused):  # a deputy drafts in their own name only
        services.suggestion_create_from_opinion(opinion=source, deputy=world.lead_deputy, actor=world.cosigner)
    with pytest.raises(PermissionRefused):  # staff of another station may not triage it
        services.suggestion_create_from_opinion(opinion=source, deputy=world.lead_deputy, actor=world.staff_b)
    with pytest.raises(ValidationError):  # station staff choose among their stations' deputies
        services.suggestion_create_from_opinion(opinion=source, deputy=world.other_deputy_record, actor=world.staff_a)
    assert not Suggestion.objects.exists()
    source.refresh_from_db()
    assert source.outcome is None
    # The deputy resident at the station may turn it into their own draft.
    suggestion = services.suggestion_create_from_opinion(opinion=source, deputy=world.lead_deputy, actor=world.deputy)
    assert suggestion.lead_deputy == world.lead_deputy


def test_escalation_through_the_api(world):
    source = opinion(world)
    api = APIClient()
    api.force_authenticate(world.staff_b)
    payload = {"opinion": source.pk, "deputy": world.lead_deputy.pk}
    assert api.post("/api/v1/suggestions/from-opinion/", payload, format="json").status_code == 404
    api.force_authenticate(world.office)
    response = api.post("/api/v1/suggestions/from-opinion/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft" and body["lead_deputy"] == world.lead_deputy.pk
    assert body["source_opinions"] == [source.pk]
    # One opinion may feed another suggestion (the outcome stays "escalated").
    again = api.post(
        "/api/v1/suggestions/from-opinion/", {**payload, "deputy": world.cosigner_deputy.pk}, format="json"
    )
    assert again.status_code == 201
    assert source.suggestions.count() == 2


def test_escalation_page(world, client):
    source = opinion(world)
    client.force_login(world.staff_a)
    page = client.get(f"/suggestions/from-opinion/{source.pk}/")
    assert page.status_code == 200 and "小区门口路灯不亮" in page.content.decode()
    response = client.post(f"/suggestions/from-opinion/{source.pk}/", {"deputy": "", "title": ""})
    assert response.status_code == 400 and not Suggestion.objects.exists()
    response = client.post(
        f"/suggestions/from-opinion/{source.pk}/", {"deputy": world.lead_deputy.pk, "title": "关于修复路灯的建议"}
    )
    assert response.status_code == 302
    assert Suggestion.objects.get().source_opinions.get() == source
    client.force_login(world.staff_b)
    assert client.get(f"/suggestions/from-opinion/{source.pk}/").status_code == 404
