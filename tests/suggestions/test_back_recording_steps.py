"""补录 of the steps others take: a co-signer's answer, a co-unit's opinion, a unit's return request and the
office's decisions on requests, supervision notes and follow-up, recorded by the office (or station staff)
on behalf of whoever took them, with the date they happened.

Each is stored at that date and marked in the timeline; a date in the future or before the step it follows
is a 400 that changes nothing; anyone who may not back-record gets a 400 too; deadlines that follow from
the step are counted from its date on that year's working-day calendar.
"""

from datetime import date

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from suggestions import services
from suggestions.models import Action, CoSignStatus, RequestStatus, State, Suggestion
from tests.builders.suggestions import drive

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


def _post(user, path, body):
    client = APIClient()
    client.force_authenticate(user)
    return client.post(f"/api/v1/suggestions/{path}", body, format="json")


def _past(world, happened_on="2023-09-20", user=None):
    """A suggestion submitted on ``happened_on``, recorded by the office, co-signed by the co-signer."""
    response = _post(
        user or world.office,
        "",
        {
            "title": "关于优化公交线路的建议",
            "content": "建议增开早高峰区间车。",
            "lead_deputy": world.lead_deputy.pk,
            "cosigners": [world.cosigner_deputy.pk],
            "happened_on": happened_on,
        },
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _assigned(world, assigned_on="2023-09-25", co_units=True):
    pk = _past(world)
    body = {"lead_unit": world.lead_unit.pk, "happened_on": assigned_on}
    if co_units:
        body["co_units"] = [world.co_unit.pk]
    response = _post(world.office, f"{pk}/assign/", body)
    assert response.status_code == 200, response.content
    return pk


def _return_requested(world, pk, unit, reason, day="2023-09-26") -> int:
    """The office records ``unit``'s return request of ``day``; the request's id."""
    response = _post(world.office, f"{pk}/request_return/", {"reason": reason, "unit": unit.pk, "happened_on": day})
    assert response.status_code == 200, response.content
    return Suggestion.objects.get(pk=pk).return_requests.get().pk


def _snapshot(pk) -> tuple:
    """Everything the steps below could change."""
    s = Suggestion.objects.get(pk=pk)
    return (
        s.state,
        s.assign_due,
        s.assigned_on,
        s.reply_due,
        s.lead_unit_id,
        s.key_supervision,
        s.follow_up_solved_on,
        s.events.count(),
        sorted(s.cosignatures.values_list("deputy_id", "status", "responded_at")),
        sorted(s.assignments.values_list("unit_id", "active", "ended_at")),
        s.co_unit_opinions.count(),
        sorted(s.extensions.values_list("id", "status", "decided_at")),
        sorted(s.return_requests.values_list("id", "status", "decided_at")),
        s.supervision_notes.count(),
        s.follow_ups.count(),
    )


def _last_event(pk):
    return Suggestion.objects.get(pk=pk).events.order_by("-at", "-id").first()


def _assert_marked(pk, action, day, by):
    """The step's event is at ``day``, marked as entered afterwards today by ``by``, and so in the API."""
    event = _last_event(pk)
    assert event.action == action
    assert timezone.localdate(event.at) == day
    assert event.back_recorded and event.actor_id == by.pk
    assert timezone.localdate(event.entered_at) == TODAY
    client = APIClient()
    client.force_authenticate(by)
    item = client.get(f"/api/v1/suggestions/{pk}/").json()["timeline"][-1]
    assert (item["action"], item["back_recorded"]) == (action, True)
    assert item["at"].startswith(day.isoformat())
    return event


def _refused(user, pk, path, body, field="happened_on"):
    before = _snapshot(pk)
    response = _post(user, f"{pk}/{path}/", body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert _snapshot(pk) == before


# --- a co-signer's answer ------------------------------------------------------------------------------


def _returned(world):
    """Recorded as submitted on 2023-09-20 and returned by the office on 2023-09-22 (co-signers may answer
    again while it is returned)."""
    pk = _past(world)
    response = _post(world.office, f"{pk}/return/", {"reason": "属个人诉求", "happened_on": "2023-09-22"})
    assert response.status_code == 200, response.content
    return pk


def test_a_co_signers_answer_is_recorded_for_them_with_its_date(world, frozen_today):
    frozen_today(TODAY)
    pk = _returned(world)
    detail = APIClient()
    detail.force_authenticate(world.office)
    assert "cosign" in detail.get(f"/api/v1/suggestions/{pk}/").json()["back_recordable_actions"]
    response = _post(world.office, f"{pk}/cosign/", {"accept": False, "happened_on": "2023-09-25"})
    assert response.status_code == 200, response.content
    signature = Suggestion.objects.get(pk=pk).cosignatures.get()
    assert signature.status == CoSignStatus.DECLINED
    assert timezone.localdate(signature.responded_at) == date(2023, 9, 25)
    event = _assert_marked(pk, Action.COSIGN, date(2023, 9, 25), world.office)
    assert event.data == {"deputy": world.cosigner_deputy.name, "accepted": False}
    # Station staff of the deputy's station may too, naming the co-signer.
    response = _post(
        world.staff_a,
        f"{pk}/cosign/",
        {"accept": True, "deputy": world.cosigner_deputy.pk, "happened_on": "2023-09-26"},
    )
    assert response.status_code == 200, response.content
    assert Suggestion.objects.get(pk=pk).cosignatures.get().status == CoSignStatus.CONFIRMED
    _assert_marked(pk, Action.COSIGN, date(2023, 9, 26), world.staff_a)


def test_a_co_signers_answer_with_a_wrong_date_or_from_someone_else_changes_nothing(world, frozen_today):
    frozen_today(TODAY)
    pk = _returned(world)
    _refused(world.office, pk, "cosign", {"accept": False, "happened_on": "2026-12-08"})
    # Before the return it follows.
    _refused(world.office, pk, "cosign", {"accept": False, "happened_on": "2023-09-21"})
    # A deputy who was not invited is not a co-signer to record.
    _refused(
        world.office,
        pk,
        "cosign",
        {"accept": False, "deputy": world.other_deputy_record.pk, "happened_on": "2023-09-25"},
        field="deputy",
    )
    # The co-signer answers today in the product, not with an earlier date.
    _refused(world.cosigner, pk, "cosign", {"accept": False, "happened_on": "2023-09-25"})
    assert _post(world.cosigner, f"{pk}/cosign/", {"accept": False}).status_code == 200
    assert timezone.localdate(_last_event(pk).at) == TODAY
    assert not _last_event(pk).back_recorded


# --- a co-unit's opinion --------------------------------------------------------------------------------


def test_a_co_units_opinion_is_recorded_for_it_and_judged_against_its_deadline(world, frozen_today):
    frozen_today(TODAY)
    pk = _assigned(world, "2023-09-25")
    opinion_due = Suggestion.objects.get(pk=pk).assignments.get(unit=world.co_unit).opinion_due
    assert opinion_due == date(2023, 10, 25)
    # One co-unit: it need not be named.
    body = {"content": "同意增开区间车。", "happened_on": "2023-10-30"}
    response = _post(world.office, f"{pk}/co_unit_opinion/", body)
    assert response.status_code == 200, response.content
    opinion = response.json()["co_unit_opinions"][0]
    assert opinion["unit"] == world.co_unit.name
    assert opinion["submitted_at"].startswith("2023-10-30")
    event = _assert_marked(pk, Action.CO_UNIT_OPINION, date(2023, 10, 30), world.office)
    # Five days after the opinion deadline.
    assert event.data == {"unit": world.co_unit.name, "round": 1, "late": True}


def test_a_co_units_opinion_in_time_is_not_late(world, frozen_today):
    frozen_today(TODAY)
    pk = _assigned(world, "2023-09-25")
    response = _post(
        world.office,
        f"{pk}/co_unit_opinion/",
        {"content": "同意。", "unit": world.co_unit.pk, "happened_on": "2023-10-25"},
    )
    assert response.status_code == 200, response.content
    assert "late" not in _last_event(pk).data


def test_a_co_units_opinion_with_a_wrong_date_or_from_someone_else_changes_nothing(world, frozen_today):
    frozen_today(TODAY)
    pk = _assigned(world, "2023-09-25")
    body = {"content": "同意。"}
    _refused(world.office, pk, "co_unit_opinion", body | {"happened_on": "2026-12-08"})
    # Not before the assignment.
    _refused(world.office, pk, "co_unit_opinion", body | {"happened_on": "2023-09-24"})
    # The lead unit is not a co-unit.
    _refused(
        world.office,
        pk,
        "co_unit_opinion",
        body | {"unit": world.lead_unit.pk, "happened_on": "2023-10-09"},
        field="unit",
    )
    # The co-unit itself gives its opinion today, not with an earlier date.
    _refused(world.co_officer, pk, "co_unit_opinion", body | {"happened_on": "2023-10-09"})


# --- a unit's return request and the office's decision -------------------------------------------------


def test_the_return_window_is_counted_in_working_days_across_national_day(world, frozen_today):
    frozen_today(TODAY)
    pk = _assigned(world, "2023-09-25")
    # 09-26, 09-27, 09-28, then 09-29 .. 10-06 off, 10-07 and 10-08 make-up days, 10-09, 10-10.
    assert Suggestion.objects.get(pk=pk).return_request_due == date(2023, 10, 10)
    # With two units assigned, the one that asked is named.
    ask = {"reason": "不属本单位职责", "happened_on": "2023-10-10"}
    _refused(world.office, pk, "request_return", ask, field="unit")
    # The co-unit's request a day after the window is refused (409) and changes nothing.
    before = _snapshot(pk)
    response = _post(
        world.office,
        f"{pk}/request_return/",
        {"reason": "不属本单位职责", "unit": world.co_unit.pk, "happened_on": "2023-10-11"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "return_window_closed"
    assert _snapshot(pk) == before
    # The lead unit's on the last day, fifteen calendar days after assignment, is in time.
    response = _post(
        world.office,
        f"{pk}/request_return/",
        {"reason": "属市级事权", "unit": world.lead_unit.pk, "happened_on": "2023-10-10"},
    )
    assert response.status_code == 200, response.content
    request = response.json()["return_requests"][0]
    assert (request["unit"], request["status"]) == (world.lead_unit.name, "pending")
    assert request["requested_at"].startswith("2023-10-10")
    event = _assert_marked(pk, Action.REQUEST_RETURN, date(2023, 10, 10), world.office)
    assert event.data["unit"] == world.lead_unit.name


def test_taking_an_item_back_restarts_the_assignment_clock_from_the_decisions_date(world, frozen_today):
    frozen_today(TODAY)
    pk = _assigned(world, "2023-09-25")
    request_id = _return_requested(world, pk, world.lead_unit, "属市级事权")
    # Station staff record the office's decision on its behalf.
    response = _post(
        world.staff_a,
        f"{pk}/decide_return/",
        {"return_request": request_id, "accept": True, "note": "收回重新交办", "happened_on": "2023-09-28"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == State.SUBMITTED
    # Five working days from 09-28: 10-07, 10-08 (make-up days), 10-09, 10-10, 10-11.
    assert body["assign_due"] == "2023-10-11"
    assert body["return_requests"][0]["status"] == "approved"
    assert body["return_requests"][0]["decided_at"].startswith("2023-09-28")
    suggestion = Suggestion.objects.get(pk=pk)
    assert {timezone.localdate(a.ended_at) for a in suggestion.assignments.all()} == {date(2023, 9, 28)}
    event = _assert_marked(pk, Action.DECIDE_RETURN, date(2023, 9, 28), world.staff_a)
    assert event.data["accepted"] is True
    assert event.data["assign_due"] == "2023-10-11"
    # Re-assigned on the last day: not late.
    response = _post(world.office, f"{pk}/assign/", {"lead_unit": world.other_unit.pk, "happened_on": "2023-10-11"})
    assert response.status_code == 200, response.content
    assert "late" not in _last_event(pk).data


def test_accepting_a_co_units_request_afterwards_ends_its_part_on_that_day(world, frozen_today):
    frozen_today(TODAY)
    pk = _assigned(world, "2023-09-25")
    request_id = _return_requested(world, pk, world.co_unit, "不涉及交通")
    response = _post(
        world.office,
        f"{pk}/decide_return/",
        {"return_request": request_id, "accept": True, "happened_on": "2023-10-09"},
    )
    assert response.status_code == 200, response.content
    suggestion = Suggestion.objects.get(pk=pk)
    assert suggestion.state == State.ASSIGNED
    co = suggestion.assignments.get(unit=world.co_unit)
    assert not co.active and timezone.localdate(co.ended_at) == date(2023, 10, 9)
    _assert_marked(pk, Action.DECIDE_RETURN, date(2023, 10, 9), world.office)


def test_return_requests_and_decisions_with_a_wrong_date_or_from_someone_else_change_nothing(world, frozen_today):
    frozen_today(TODAY)
    pk = _assigned(world, "2023-09-25")
    ask = {"reason": "属市级事权", "unit": world.lead_unit.pk}
    _refused(world.office, pk, "request_return", ask | {"happened_on": "2026-12-08"})
    _refused(world.office, pk, "request_return", ask | {"happened_on": "2023-09-24"})
    # The unit asks itself today (here long after its window), not with an earlier date.
    _refused(world.lead_officer, pk, "request_return", {"reason": "属市级事权", "happened_on": "2023-09-26"})
    _post(world.office, f"{pk}/request_return/", ask | {"happened_on": "2023-09-27"})
    request_id = Suggestion.objects.get(pk=pk).return_requests.get().pk
    decide = {"return_request": request_id, "accept": True}
    _refused(world.office, pk, "decide_return", decide | {"happened_on": "2026-12-08"})
    # Not before the request it decides.
    _refused(world.office, pk, "decide_return", decide | {"happened_on": "2023-09-26"})
    # A leader may see it but not record the office's decision.
    _refused(world.leader, pk, "decide_return", decide | {"happened_on": "2023-09-28"})


def test_a_decision_is_not_dated_before_its_request_even_in_the_service(world, frozen_today):
    frozen_today(date(2024, 3, 4))
    suggestion = drive(world, State.IN_PROGRESS)
    request = services.suggestion_request_return(suggestion=suggestion, actor=world.lead_officer, reason="非本单位职责")
    frozen_today(TODAY)
    with pytest.raises(Exception, match="happened_on"):
        services.suggestion_decide_return(
            return_request=request, actor=world.office, accept=False, happened_on=date(2024, 3, 1)
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    # A unit's request made in the product, decided on paper the next day and entered now.
    services.suggestion_decide_return(
        return_request=request, actor=world.office, accept=False, note="属本单位职责", happened_on=date(2024, 3, 5)
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED
    assert timezone.localdate(request.decided_at) == date(2024, 3, 5)


# --- the office's decision on an extension request -----------------------------------------------------


def _extension_requested(world, frozen_today):
    """Handled in the product from 2024-01-02: the lead unit asks on that day to reply by 2024-06-28;
    the office's decision is entered today."""
    frozen_today(date(2024, 1, 2))
    suggestion = drive(world, State.IN_PROGRESS)
    assert suggestion.reply_due == date(2024, 4, 2)
    extension = services.suggestion_extend(
        suggestion=suggestion, actor=world.lead_officer, new_due=date(2024, 6, 28), reason="需市级部门协调"
    )
    frozen_today(TODAY)
    return suggestion.pk, extension.pk


def test_an_approved_extension_recorded_afterwards_moves_the_deadline_from_then(world, frozen_today):
    pk, extension_id = _extension_requested(world, frozen_today)
    response = _post(
        world.office,
        f"{pk}/decide_extension/",
        {"extension": extension_id, "approve": True, "note": "同意", "happened_on": "2024-01-05"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["reply_due"] == "2024-06-28"
    assert body["extensions"][0]["status"] == "approved"
    assert body["extensions"][0]["decided_at"].startswith("2024-01-05")
    event = _assert_marked(pk, Action.DECIDE_EXTENSION, date(2024, 1, 5), world.office)
    assert event.data["approved"] is True
    # A reply recorded afterwards after the first deadline is on time against the extended one.
    response = _post(
        world.office, f"{pk}/reply/", {"reply_class": "B", "content": "已协调市级部门。", "happened_on": "2024-05-10"}
    )
    assert response.status_code == 200, response.content
    reply = response.json()["replies"][0]
    assert (reply["due_on"], reply["on_time"]) == ("2024-06-28", True)


def test_a_rejected_extension_recorded_afterwards_keeps_the_deadline(world, frozen_today):
    pk, extension_id = _extension_requested(world, frozen_today)
    response = _post(
        world.staff_a,
        f"{pk}/decide_extension/",
        {"extension": extension_id, "approve": False, "happened_on": "2024-01-03"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["reply_due"] == "2024-04-02"
    assert response.json()["extensions"][0]["status"] == "rejected"
    _assert_marked(pk, Action.DECIDE_EXTENSION, date(2024, 1, 3), world.staff_a)


def test_an_extension_decision_with_a_wrong_date_or_from_someone_else_changes_nothing(world, frozen_today):
    pk, extension_id = _extension_requested(world, frozen_today)
    decide = {"extension": extension_id, "approve": True}
    _refused(world.office, pk, "decide_extension", decide | {"happened_on": "2026-12-08"})
    # Not before the request (2024-01-02).
    _refused(world.office, pk, "decide_extension", decide | {"happened_on": "2024-01-01"})
    _refused(world.leader, pk, "decide_extension", decide | {"happened_on": "2024-01-05"})
    _refused(world.lead_officer, pk, "decide_extension", decide | {"happened_on": "2024-01-05"})
    assert Suggestion.objects.get(pk=pk).reply_due == date(2024, 4, 2)


# --- supervision and follow-up (already dated in the services: the API end to end) -----------------------


def test_a_leaders_supervision_is_recorded_for_them_with_its_date(world, frozen_today):
    frozen_today(TODAY)
    pk = _assigned(world, "2023-09-25")
    body = {"note": "请加快办理", "key_supervision": True}
    _refused(world.office, pk, "supervise", body | {"happened_on": "2026-12-08"})
    _refused(world.office, pk, "supervise", body | {"happened_on": "2023-09-24"})
    # The leader sets key supervision today, not with an earlier date.
    _refused(world.leader, pk, "supervise", body | {"happened_on": "2023-10-09"})
    response = _post(world.office, f"{pk}/supervise/", body | {"happened_on": "2023-10-09"})
    assert response.status_code == 200, response.content
    assert response.json()["key_supervision"] is True
    assert response.json()["supervision_notes"][0]["created_at"].startswith("2023-10-09")
    _assert_marked(pk, Action.SUPERVISE, date(2023, 10, 9), world.office)


def test_follow_up_progress_is_recorded_with_its_date(world, frozen_today):
    frozen_today(TODAY)
    pk = _assigned(world, "2023-09-25", co_units=False)
    _post(world.office, f"{pk}/acknowledge/", {"happened_on": "2023-09-26"})
    _post(world.office, f"{pk}/reply/", {"reply_class": "B", "content": "列入明年计划。", "happened_on": "2023-12-20"})
    _post(world.office, f"{pk}/evaluate/", {"rating": "satisfied", "happened_on": "2023-12-28"})
    assert Suggestion.objects.get(pk=pk).state == State.CLOSED
    body = {"content": "区间车已开通。", "solved": True}
    _refused(world.office, pk, "follow_up", body | {"happened_on": "2026-12-08"})
    _refused(world.office, pk, "follow_up", body | {"happened_on": "2023-12-27"})
    _refused(world.lead_officer, pk, "follow_up", body | {"happened_on": "2024-03-01"})
    response = _post(world.office, f"{pk}/follow_up/", body | {"happened_on": "2024-03-01"})
    assert response.status_code == 200, response.content
    assert response.json()["follow_up_solved_on"] == "2024-03-01"
    assert response.json()["follow_ups"][0]["recorded_at"].startswith("2024-03-01")
    _assert_marked(pk, Action.FOLLOW_UP, date(2024, 3, 1), world.office)
