"""Rules inside the services beyond the transition table."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from core.errors import ActionRefused, PermissionRefused
from organisation.models import HandlingUnit
from suggestions import services
from suggestions.models import CoSignature, State, Suggestion
from tests.builders.suggestions import drive


def test_only_a_deputy_drafts_and_only_in_their_own_name(world):
    with pytest.raises(PermissionRefused):
        services.suggestion_create(actor=world.office, title="标题", content="内容")
    with pytest.raises(PermissionRefused):
        services.suggestion_create(actor=world.deputy, title="标题", content="内容", lead_deputy=world.cosigner_deputy)
    with pytest.raises(ValidationError) as bad:
        services.suggestion_create(actor=world.deputy, title=" ", content="", cosigners=[world.lead_deputy])
    assert {"title"} <= set(bad.value.message_dict)
    assert not Suggestion.objects.exists()


def test_editing_the_co_signers_keeps_answers_and_invites_the_new_ones(world):
    suggestion = drive(world, State.DRAFT)
    services.suggestion_cosign(suggestion=suggestion, actor=world.cosigner, accept=True)
    services.suggestion_update(
        suggestion=suggestion, actor=world.deputy, cosigners=[world.cosigner_deputy, world.other_deputy_record]
    )
    statuses = dict(CoSignature.objects.filter(suggestion=suggestion).values_list("deputy_id", "status"))
    assert statuses == {world.cosigner_deputy.pk: "confirmed", world.other_deputy_record.pk: "pending"}
    with pytest.raises(ActionRefused):
        services.suggestion_submit(suggestion=suggestion, actor=world.deputy)
    services.suggestion_update(suggestion=suggestion, actor=world.deputy, cosigners=[world.cosigner_deputy])
    services.suggestion_submit(suggestion=suggestion, actor=world.deputy)
    # The invited deputy who was dropped no longer sees it.
    api = APIClient()
    api.force_authenticate(world.other_deputy)
    assert api.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code == 404


def test_a_returned_suggestion_is_revised_and_resubmitted(world):
    suggestion = drive(world, State.RETURNED)
    assert suggestion.return_reason
    services.suggestion_update(suggestion=suggestion, actor=world.deputy, content="补充了具体的地点和建议措施。")
    suggestion = services.suggestion_resubmit(suggestion=suggestion, actor=world.deputy)
    assert suggestion.state == State.SUBMITTED and suggestion.assign_due is not None


def test_co_units_give_one_opinion_per_round(world):
    suggestion = drive(world, State.IN_PROGRESS)
    services.suggestion_co_unit_opinion(suggestion=suggestion, actor=world.co_officer, content="意见一")
    with pytest.raises(ActionRefused):
        services.suggestion_co_unit_opinion(suggestion=suggestion, actor=world.co_officer, content="意见二")
    services.suggestion_reply(suggestion=suggestion, actor=world.lead_officer, reply_class="B", content="答复")
    services.suggestion_evaluate(suggestion=suggestion, actor=world.deputy, rating="unsatisfied")
    services.suggestion_co_unit_opinion(suggestion=suggestion, actor=world.co_officer, content="重办意见")
    assert list(suggestion.co_unit_opinions.values_list("round", flat=True)) == [1, 2]


def test_the_reply_records_contact_by_default_and_keeps_its_deadline(world):
    suggestion = drive(world, State.IN_PROGRESS)
    services.suggestion_record_contact(suggestion=suggestion, actor=world.lead_officer, method="meeting")
    reply = services.suggestion_reply(suggestion=suggestion, actor=world.lead_officer, reply_class="A", content="好")
    suggestion.refresh_from_db()
    assert reply.contacted and suggestion.contacted
    assert reply.due_on == suggestion.reply_due and reply.on_time and suggestion.first_reply_on_time


def test_the_second_evaluation_closes_whatever_the_rating(world):
    suggestion = drive(world, State.REHANDLING)
    services.suggestion_reply(suggestion=suggestion, actor=world.lead_officer, reply_class="C", content="再答复")
    evaluation = services.suggestion_evaluate(suggestion=suggestion, actor=world.deputy, rating="unsatisfied")
    suggestion.refresh_from_db()
    assert suggestion.state == State.CLOSED
    assert (evaluation.is_first, evaluation.is_final) == (False, True)
    assert (suggestion.first_rating, suggestion.final_rating) == ("unsatisfied", "unsatisfied")
    assert suggestion.needs_follow_up  # a C reply stays tracked


def test_follow_ups_only_for_unsolved_b_and_c_replies(world):
    a_reply = drive(world, State.CLOSED, title="A类", reply_class="A")
    with pytest.raises(ActionRefused):
        services.suggestion_follow_up(suggestion=a_reply, actor=world.lead_officer, content="进展")
    b_reply = drive(world, State.CLOSED, title="B类", reply_class="B")
    services.suggestion_follow_up(suggestion=b_reply, actor=world.lead_officer, content="进展一")
    services.suggestion_follow_up(suggestion=b_reply, actor=world.lead_officer, content="已解决", solved=True)
    with pytest.raises(ActionRefused):
        services.suggestion_follow_up(suggestion=b_reply, actor=world.lead_officer, content="再报")
    with pytest.raises(PermissionRefused):
        services.suggestion_follow_up(suggestion=b_reply, actor=world.co_officer, content="协办")


def test_only_a_leader_flags_key_supervision(world):
    suggestion = drive(world, State.ASSIGNED)
    with pytest.raises(PermissionRefused):
        services.suggestion_supervise(suggestion=suggestion, actor=world.office, note="督办", key_supervision=True)
    services.suggestion_supervise(suggestion=suggestion, actor=world.office, note="请按期答复")
    services.suggestion_supervise(suggestion=suggestion, actor=world.leader, note="列为重点", key_supervision=True)
    suggestion.refresh_from_db()
    assert suggestion.key_supervision and suggestion.key_supervisor == world.leader
    services.suggestion_supervise(suggestion=suggestion, actor=world.leader, note="已解决", key_supervision=False)
    suggestion.refresh_from_db()
    assert not suggestion.key_supervision and suggestion.key_supervisor is None
    assert suggestion.supervision_notes.count() == 3


def test_withdrawal_closes_pending_requests(world):
    suggestion = drive(world, State.IN_PROGRESS)
    extension = services.suggestion_extend(
        suggestion=suggestion, actor=world.lead_officer, new_due=suggestion.reply_due + timedelta(days=9), reason="甲"
    )
    request = services.suggestion_request_return(suggestion=suggestion, actor=world.co_officer, reason="乙")
    services.suggestion_withdraw(suggestion=suggestion, actor=world.deputy, reason="已解决")
    extension.refresh_from_db()
    request.refresh_from_db()
    assert (extension.status, request.status) == ("rejected", "rejected")
    with pytest.raises(ActionRefused):
        services.suggestion_decide_extension(extension=extension, actor=world.office, approve=True)


def test_assignment_input_is_checked(world):
    suggestion = drive(world, State.SUBMITTED)
    with pytest.raises(ValidationError):
        services.suggestion_assign(
            suggestion=suggestion, actor=world.office, lead_unit=world.lead_unit, co_units=[world.lead_unit]
        )
    services.unit_update(actor=world.office, unit=world.other_unit, is_active=False)
    with pytest.raises(ValidationError):
        services.suggestion_assign(suggestion=suggestion, actor=world.office, lead_unit=world.other_unit)
    suggestion.refresh_from_db()
    assert suggestion.state == State.SUBMITTED and not suggestion.assignments.exists()


def test_units_are_managed_by_the_office_and_admins(world):
    with pytest.raises(PermissionRefused):
        services.unit_create(actor=world.deputy, name="新单位")
    api = APIClient()
    api.force_authenticate(world.lead_officer)
    assert api.get("/api/v1/units/").status_code == 200
    assert api.post("/api/v1/units/", {"name": "新单位"}, format="json").status_code == 403
    api.force_authenticate(world.office)
    response = api.post("/api/v1/units/", {"name": "新单位", "kind": "community"}, format="json")
    assert response.status_code == 201 and response.json()["kind_label"] == "社区"
    assert api.post("/api/v1/units/", {"name": "新单位"}, format="json").status_code == 400  # unique name
    unit = HandlingUnit.objects.get(name="新单位")
    response = api.patch(f"/api/v1/units/{unit.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert [u["name"] for u in api.get("/api/v1/units/?is_active=false").json()["results"]] == ["新单位"]
