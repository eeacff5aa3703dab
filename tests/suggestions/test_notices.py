"""Lifecycle notices: each event notifies whoever must act next or is waiting on it, and nobody else.

Every test takes the actions through the services, as the users would, and looks at the notifications
written by that one action: who got one, of which kind, saying what, linking where.
"""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core.errors import ActionRefused
from core.roles import Role
from liaison.services.opinions import opinion_create
from notifications.models import Delivery, Notification
from suggestions import services
from suggestions.models import State
from tests.builders.suggestions import drive


@pytest.fixture(autouse=True)
def in_english():
    # Notices are written in the site's language (zh-hans) whatever the actor's request uses.
    with translation.override("en"):
        yield


class Watch:
    """The notifications written while the block runs: {username: [verb, …]} and the rows."""

    def __enter__(self):
        self.before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        return self

    def __exit__(self, *exc):
        self.rows = list(Notification.objects.filter(pk__gt=self.before).select_related("recipient").order_by("pk"))
        self.who = {}
        for row in self.rows:
            self.who.setdefault(row.recipient.username, []).append(row.verb)
        return False

    def to(self, user) -> Notification:
        [row] = [row for row in self.rows if row.recipient_id == user.pk]
        return row


def usernames(*users) -> set[str]:
    return {user.username for user in users}


def test_co_sign_invitations_and_answers(world):
    with Watch() as seen:
        suggestion = drive(world, State.DRAFT)
    assert seen.who == {"cosigner": ["suggestion.cosign_invited"]}
    assert seen.to(world.cosigner).title == f"请确认是否附议：{suggestion.title}"
    assert seen.to(world.cosigner).url == f"/suggestions/{suggestion.pk}/"

    # Editing the list invites only the newcomer.
    with Watch() as seen:
        services.suggestion_update(
            suggestion=suggestion, actor=world.deputy, cosigners=[world.cosigner_deputy, world.other_deputy_record]
        )
    assert seen.who == {"otherdeputy": ["suggestion.cosign_invited"]}

    with Watch() as seen:
        services.suggestion_cosign(suggestion=suggestion, actor=world.cosigner, accept=True)
    assert seen.who == {"deputy": ["suggestion.cosign_answered"]}
    assert seen.to(world.deputy).title.startswith("李秀英已确认附议")


def test_submission_goes_to_every_active_office_user_and_nobody_else(world, make_user):
    colleague = make_user(Role.OFFICE, username="office_colleague")
    gone = make_user(Role.OFFICE, username="office_gone")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    suggestion = drive(world, State.DRAFT)
    services.suggestion_cosign(suggestion=suggestion, actor=world.cosigner, accept=True)
    with Watch() as seen:
        suggestion = services.suggestion_submit(suggestion=suggestion, actor=world.deputy)
    assert set(seen.who) == usernames(world.office, colleague)
    notification = seen.to(world.office)
    assert notification.verb == "suggestion.submitted"
    assert notification.title == f"新提交建议，请于{suggestion.assign_due.isoformat()}前交办：{suggestion.title}"
    assert notification.url == f"/suggestions/{suggestion.pk}/"
    assert notification.target_id == suggestion.pk


def test_return_and_resubmission(world):
    suggestion = drive(world, State.SUBMITTED)
    with Watch() as seen:
        services.suggestion_return(suggestion=suggestion, actor=world.office, reason="属个人诉求")
    assert seen.who == {"deputy": ["suggestion.returned"]}
    assert "属个人诉求" in seen.to(world.deputy).body
    with Watch() as seen:
        services.suggestion_resubmit(suggestion=suggestion, actor=world.deputy)
    assert seen.who == {"office": ["suggestion.resubmitted"]}


def test_assignment_tells_the_lead_unit_the_co_units_and_the_deputy(world, make_user):
    second_officer = make_user(Role.UNIT_OFFICER, unit=world.lead_unit, username="lead_officer_2")
    suggestion = drive(world, State.SUBMITTED)
    with Watch() as seen:
        suggestion = services.suggestion_assign(
            suggestion=suggestion, actor=world.office, lead_unit=world.lead_unit, co_units=[world.co_unit]
        )
    assert seen.who == {
        "leadofficer": ["suggestion.assigned"],
        "lead_officer_2": ["suggestion.assigned"],
        "coofficer": ["suggestion.assigned"],
        "deputy": ["suggestion.assigned"],
    }  # not the office that acted, not the co-signer, not the other unit
    assert seen.to(world.lead_officer).title.startswith(f"交由本单位主办，请于{suggestion.reply_due.isoformat()}前答复")
    assert seen.to(second_officer).title == seen.to(world.lead_officer).title
    assert seen.to(world.co_officer).title.startswith("交由本单位协办")
    assert "区住建局" in seen.to(world.co_officer).body
    assert seen.to(world.deputy).title == f"建议已交办区住建局：{suggestion.title}"


def test_return_requests_and_their_decisions(world):
    suggestion = drive(world, State.ASSIGNED)
    with Watch() as seen:
        co_request = services.suggestion_request_return(
            suggestion=suggestion, actor=world.co_officer, reason="非本单位"
        )
    assert seen.who == {"office": ["suggestion.return_requested"]}
    assert seen.to(world.office).title.startswith("区交通局申请退回")

    with Watch() as seen:
        services.suggestion_decide_return(return_request=co_request, actor=world.office, accept=True)
    assert seen.who == {"coofficer": ["suggestion.return_decided"]}
    assert seen.to(world.co_officer).title.startswith("退回申请已批准")

    lead_request = services.suggestion_request_return(
        suggestion=suggestion, actor=world.lead_officer, reason="职责不符"
    )
    with Watch() as seen:
        services.suggestion_decide_return(return_request=lead_request, actor=world.office, accept=False, note="请继续")
    assert seen.who == {"leadofficer": ["suggestion.return_decided"]}
    assert "办公室意见：请继续" in seen.to(world.lead_officer).body


def test_taking_the_whole_item_back_tells_every_assigned_unit(world):
    suggestion = drive(world, State.ASSIGNED)
    request = services.suggestion_request_return(suggestion=suggestion, actor=world.lead_officer, reason="职责不符")
    with Watch() as seen:
        services.suggestion_decide_return(return_request=request, actor=world.office, accept=True)
    assert seen.who == {"leadofficer": ["suggestion.return_decided"], "coofficer": ["suggestion.return_decided"]}
    assert seen.to(world.co_officer).title.startswith("办公室已收回重新交办")


def test_co_unit_opinion_and_reply(world):
    suggestion = drive(world, State.IN_PROGRESS)
    with Watch() as seen:
        services.suggestion_co_unit_opinion(suggestion=suggestion, actor=world.co_officer, content="建议统筹")
    assert seen.who == {"leadofficer": ["suggestion.co_unit_opinion"]}
    with Watch() as seen:
        services.suggestion_record_contact(suggestion=suggestion, actor=world.lead_officer, method="phone")
        services.suggestion_reply(
            suggestion=suggestion, actor=world.lead_officer, reply_class="B", content="已列入计划"
        )
    assert seen.who == {"deputy": ["suggestion.replied"]}  # recording a contact tells nobody
    assert seen.to(world.deputy).title.startswith("建议已答复（B类），请评价")


def test_unsatisfied_sends_it_back_to_the_lead_unit(world):
    suggestion = drive(world, State.REPLIED)
    with Watch() as seen:
        services.suggestion_evaluate(suggestion=suggestion, actor=world.deputy, rating="unsatisfied", comment="不具体")
    suggestion.refresh_from_db()
    assert seen.who == {"leadofficer": ["suggestion.rehandling"]}  # not the co-unit, not the deputy who rated
    notification = seen.to(world.lead_officer)
    assert notification.title.startswith(f"代表评价不满意，请于{suggestion.reply_due.isoformat()}前重新答复")
    assert "代表意见：不具体" in notification.body


def test_closing_tells_the_lead_unit_and_the_co_signers_who_confirmed(world):
    suggestion = drive(world, State.REPLIED, reply_class="C")
    with Watch() as seen:
        services.suggestion_evaluate(suggestion=suggestion, actor=world.deputy, rating="basically_satisfied")
    assert seen.who == {"leadofficer": ["suggestion.closed"], "cosigner": ["suggestion.closed"]}
    assert seen.to(world.lead_officer).title == f"建议已办结（评价：基本满意）：{suggestion.title}"
    assert "B类或C类" in seen.to(world.lead_officer).body  # a C reply is followed up

    declined = drive(world, State.DRAFT, title="谢绝附议的建议")
    services.suggestion_cosign(suggestion=declined, actor=world.cosigner, accept=False)
    services.suggestion_submit(suggestion=declined, actor=world.deputy)
    services.suggestion_assign(suggestion=declined, actor=world.office, lead_unit=world.lead_unit)
    services.suggestion_acknowledge(suggestion=declined, actor=world.lead_officer)
    services.suggestion_reply(suggestion=declined, actor=world.lead_officer, reply_class="A", content="已解决")
    with Watch() as seen:
        services.suggestion_evaluate(suggestion=declined, actor=world.deputy, rating="satisfied")
    assert seen.who == {"leadofficer": ["suggestion.closed"]}


def test_extensions(world):
    suggestion = drive(world, State.IN_PROGRESS)
    with Watch() as seen:
        requested = services.suggestion_extend(
            suggestion=suggestion,
            actor=world.lead_officer,
            new_due=suggestion.reply_due + timedelta(days=10),
            reason="需审批",
        )
    assert seen.who == {"office": ["suggestion.extension_requested"]}
    with Watch() as seen:
        services.suggestion_decide_extension(extension=requested, actor=world.office, approve=False, note="理由不足")
    assert seen.who == {"leadofficer": ["suggestion.extension_rejected"]}
    assert "办公室意见：理由不足" in seen.to(world.lead_officer).body

    again = services.suggestion_extend(
        suggestion=suggestion,
        actor=world.lead_officer,
        new_due=suggestion.reply_due + timedelta(days=20),
        reason="需审批",
    )
    with Watch() as seen:
        services.suggestion_decide_extension(extension=again, actor=world.office, approve=True)
    assert seen.who == {"leadofficer": ["suggestion.extended"], "deputy": ["suggestion.extended"]}
    assert seen.to(world.deputy).body == "理由：需审批"  # the deputy sees the reason

    with Watch() as seen:
        services.suggestion_extend(
            suggestion=suggestion, actor=world.office, new_due=again.new_due + timedelta(days=5), reason="统筹"
        )
    assert seen.who == {"leadofficer": ["suggestion.extended"], "deputy": ["suggestion.extended"]}


def test_withdrawal_tells_those_still_involved(world):
    suggestion = drive(world, State.ASSIGNED)
    with Watch() as seen:
        services.suggestion_withdraw(suggestion=suggestion, actor=world.deputy, reason="已解决")
    assert seen.who == {
        "office": ["suggestion.withdrawn"],
        "leadofficer": ["suggestion.withdrawn"],
        "coofficer": ["suggestion.withdrawn"],
        "cosigner": ["suggestion.withdrawn"],
    }
    # A draft the office never saw: only the invited co-signer, whose answer is no longer needed.
    draft = drive(world, State.DRAFT, title="草稿")
    with Watch() as seen:
        services.suggestion_withdraw(suggestion=draft, actor=world.deputy, reason="不再提出")
    assert seen.who == {"cosigner": ["suggestion.withdrawn"]}


def test_supervision_reaches_whoever_owes_the_next_step(world):
    submitted = drive(world, State.SUBMITTED)
    with Watch() as seen:
        services.suggestion_supervise(suggestion=submitted, actor=world.leader, note="尽快交办", key_supervision=True)
    assert seen.who == {"office": ["suggestion.supervised"]}
    with Watch() as seen:  # the office's own note: the only office user is the actor
        services.suggestion_supervise(suggestion=submitted, actor=world.office, note="本周交办")
    assert seen.who == {}
    handling = drive(world, State.IN_PROGRESS, title="办理中")
    with Watch() as seen:
        services.suggestion_supervise(suggestion=handling, actor=world.office, note="加快办理")
    assert seen.who == {"leadofficer": ["suggestion.supervised"]}
    assert seen.to(world.lead_officer).title.startswith("督办意见") and seen.to(world.lead_officer).body == "加快办理"
    with Watch() as seen:
        services.suggestion_supervise(suggestion=handling, actor=world.leader, note="重点督办", key_supervision=True)
    assert seen.to(world.lead_officer).title.startswith("已列为重点督办")


def test_a_follow_up_reported_solved_tells_the_deputy(world):
    suggestion = drive(world, State.CLOSED, reply_class="B")
    with Watch() as seen:
        services.suggestion_follow_up(suggestion=suggestion, actor=world.lead_officer, content="施工中")
    assert seen.who == {}
    with Watch() as seen:
        services.suggestion_follow_up(suggestion=suggestion, actor=world.lead_officer, content="已完工", solved=True)
    assert seen.who == {"deputy": ["suggestion.follow_up_solved"]}


def test_a_draft_prepared_from_an_opinion_tells_the_deputy_but_not_the_staff(world):
    source = opinion_create(
        actor=world.staff_a,
        station=world.station_a,
        data={"category": "safety", "content": "路灯不亮", "grid": None, "outcome": ""},
    )
    with Watch() as seen:
        services.suggestion_create_from_opinion(opinion=source, deputy=world.lead_deputy, actor=world.staff_a)
    assert seen.who == {"deputy": ["suggestion.drafted"]}


# --- Transactions and queries ------------------------------------------------------------------


def test_a_rolled_back_or_refused_action_notifies_nobody(world):
    suggestion = drive(world, State.DRAFT)
    with Watch() as seen:
        with pytest.raises(ActionRefused):  # the co-signer has not answered
            services.suggestion_submit(suggestion=suggestion, actor=world.deputy)
    assert seen.who == {}
    services.suggestion_cosign(suggestion=suggestion, actor=world.cosigner, accept=True)
    with Watch() as seen:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.suggestion_submit(suggestion=suggestion, actor=world.deputy)
            assert Notification.objects.filter(recipient=world.office).exists()  # written with the event …
            raise RuntimeError("the surrounding transaction fails")
    assert seen.who == {}  # … and gone with it
    suggestion.refresh_from_db()
    assert suggestion.state == State.DRAFT


def test_email_goes_out_only_after_the_action_commits(world, make_user, django_capture_on_commit_callbacks):
    office = make_user(Role.OFFICE, username="office_mail", email="office@example.gov.cn")
    suggestion = drive(world, State.DRAFT)
    services.suggestion_cosign(suggestion=suggestion, actor=world.cosigner, accept=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.suggestion_submit(suggestion=suggestion, actor=world.deputy)
        delivery = Delivery.objects.get(notification__recipient=office)
        assert delivery.channel == "email" and delivery.status == "pending"
    assert len(callbacks) == 1  # the delivery task, queued for after commit


def count_queries(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def test_an_actions_queries_do_not_grow_with_its_recipients(world, make_user):
    """1 vs 5 officers in each unit, 1 vs 5 office users: the same number of queries."""
    first, second = drive(world, State.SUBMITTED, title="甲"), drive(world, State.SUBMITTED, title="乙")
    third, fourth = drive(world, State.DRAFT, title="丙"), drive(world, State.DRAFT, title="丁")
    for suggestion in (third, fourth):
        services.suggestion_cosign(suggestion=suggestion, actor=world.cosigner, accept=True)

    def assign(suggestion):
        return lambda: services.suggestion_assign(
            suggestion=suggestion, actor=world.office, lead_unit=world.lead_unit, co_units=[world.co_unit]
        )

    def submit(suggestion):
        return lambda: services.suggestion_submit(suggestion=suggestion, actor=world.deputy)

    with Watch() as few:
        small = [count_queries(assign(first)), count_queries(submit(third))]
    for i in range(4):
        make_user(Role.UNIT_OFFICER, unit=world.lead_unit, username=f"lead_extra{i}")
        make_user(Role.UNIT_OFFICER, unit=world.co_unit, username=f"co_extra{i}")
        make_user(Role.OFFICE, username=f"office_extra{i}")
    with Watch() as many:
        large = [count_queries(assign(second)), count_queries(submit(fourth))]
    assert len(few.rows) == 3 + 1 and len(many.rows) == 11 + 5  # the recipients did grow …
    assert small == large  # … the queries did not
