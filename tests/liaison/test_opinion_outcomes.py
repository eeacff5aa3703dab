from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import ActionRefused, PermissionRefused
from liaison.models import Opinion, OpinionEvent, OpinionPhoto, OpinionSource, ReferralFeedback, Visit, VisitConstituent
from liaison.services.opinions import (
    opinion_create,
    opinion_mark_escalated,
    opinion_resolve,
    opinion_set_outcome,
    referral_feedback_add,
)
from liaison.services.reception import visit_record
from tests.builders.files import png_upload
from tests.liaison import reception_support

pytestmark = pytest.mark.django_db
street = reception_support.street

DAY = date(2024, 3, 15)


def record(street, **opinion):
    data = {"category": "traffic", "content": "路口缺少红绿灯"} | opinion
    return opinion_create(actor=street.staff_a, station=street.a, data=data, received_on=DAY)


def test_a_visit_with_constituents_and_opinions_in_one_go(street):
    visit = visit_record(
        actor=street.staff_a,
        station=street.a,
        date=DAY,
        channel="at_station",
        headcount=3,
        deputies=[street.owner],
        grid=street.grid_a1,
        constituents=[{"name": "张三", "phone": "13812345678"}, {"name": "", "phone": ""}],
        opinions=[
            {"category": "traffic", "content": "路口缺少红绿灯", "outcome": "answered_on_site", "outcome_note": "已答"},
            {
                "category": "property",
                "content": "电梯经常故障",
                "grid": street.grid_a2,
                "outcome": "referred",
                "referral_unit": street.unit,
                "photos": [png_upload()],
            },
            {"category": "environment", "content": "垃圾清运不及时"},
        ],
    )
    assert visit.deputies.get() == street.owner
    assert list(visit.constituents.values_list("name", "phone")) == [("张三", "13812345678")]
    outcomes = list(visit.opinions.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["answered_on_site", "referred", None]
    assert OpinionPhoto.objects.filter(opinion__visit=visit).count() == 1
    # Each opinion starts its history with "received", plus "outcome" when one was given.
    assert OpinionEvent.objects.filter(opinion__visit=visit).count() == 5


@pytest.mark.parametrize(
    "opinion, field",
    [
        ({"category": "traffic", "content": "   "}, "opinions[1].content"),
        ({"category": "nonsense", "content": "x"}, "opinions[1].category"),
        ({"category": "traffic", "content": "x", "outcome": "referred"}, "opinions[1].referral_unit"),
        ({"category": "traffic", "content": "x", "outcome": "escalated"}, "opinions[1].escalate_to"),
        ({"category": "traffic", "content": "x", "outcome": "bogus"}, "opinions[1].outcome"),
        ({"category": "traffic", "content": "x" * 2001}, "opinions[1].content"),
        (
            {"category": "traffic", "content": "x", "photos": [SimpleUploadedFile("a.png", b"not an image")]},
            "opinions[1].photos",
        ),
        (
            {"category": "traffic", "content": "x", "photos": [SimpleUploadedFile("big.png", b"0" * (5 * 2**20 + 1))]},
            "opinions[1].photos",
        ),
        ({"category": "traffic", "content": "x", "photos": [png_upload() for _ in range(4)]}, "opinions[1].photos"),
    ],
)
def test_one_bad_opinion_writes_nothing_at_all(street, opinion, field):
    with pytest.raises(ValidationError) as caught:
        visit_record(
            actor=street.staff_a,
            station=street.a,
            date=DAY,
            channel="at_station",
            headcount=1,
            constituents=[{"name": "张三", "phone": "13812345678"}],
            opinions=[{"category": "traffic", "content": "好的意见"}, opinion],
        )
    assert field in caught.value.message_dict
    assert not Visit.objects.exists() and not Opinion.objects.exists() and not VisitConstituent.objects.exists()
    assert not OpinionPhoto.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"date": date(2099, 1, 1)}, "date"),
        ({"headcount": 0}, "headcount"),
        ({"channel": "carrier_pigeon"}, "channel"),
        ({"grid": "grid_b1"}, "grid"),
        ({"constituents": [{"name": "张三", "phone": "12345"}]}, "constituents[0].phone"),
    ],
)
def test_bad_visit_headers_are_refused(street, changes, field):
    if changes.get("grid"):
        changes["grid"] = getattr(street, changes["grid"])
    arguments = {"actor": street.staff_a, "station": street.a, "date": DAY, "channel": "at_station", "headcount": 1}
    with pytest.raises(ValidationError) as caught:
        visit_record(**(arguments | changes))
    assert field in caught.value.message_dict
    assert not Visit.objects.exists()


def test_each_opinion_has_exactly_one_outcome_enforced_by_the_database(street):
    opinion = record(street)
    now = timezone.now()
    bad_rows = [
        {"outcome": "referred", "outcome_at": now},  # referred without a unit
        {"outcome": "answered_on_site", "outcome_at": now, "referral_unit_id": street.unit.id},  # unit but not referred
        {"outcome": None, "outcome_at": None, "referral_unit_id": street.unit.id},  # unit without an outcome
        {"outcome": "answered_on_site", "outcome_at": None},  # outcome without its time
        {"outcome": "answered_and_filed", "outcome_at": now},  # not one of the four outcomes
        {"outcome": None, "outcome_at": None, "resolved_at": now, "resolution_note": "修好了"},  # resolved, no outcome
    ]
    for values in bad_rows:
        with pytest.raises(IntegrityError), transaction.atomic():
            Opinion.objects.filter(pk=opinion.pk).update(**values)
    opinion.refresh_from_db()
    assert opinion.outcome is None


def test_the_outcome_is_set_once_and_every_change_is_in_the_history(street):
    opinion = record(street)
    opinion_set_outcome(
        opinion=opinion, outcome="referred", referral_unit=street.unit, note="转社区处理", actor=street.staff_a
    )
    for outcome in ("answered_on_site", "filed", "referred"):
        with pytest.raises(ActionRefused):
            opinion_set_outcome(opinion=opinion, outcome=outcome, referral_unit=street.unit, actor=street.staff_a)
    with pytest.raises(ActionRefused):
        opinion_mark_escalated(opinion=opinion, actor=street.staff_a)
    referral_feedback_add(opinion=opinion, content="已安排维修", actor=street.unit_officer)
    opinion_resolve(opinion=opinion, note="红绿灯已安装", actor=street.staff_a)
    with pytest.raises(ActionRefused):
        opinion_resolve(opinion=opinion, note="again", actor=street.staff_a)
    opinion.refresh_from_db()
    assert opinion.outcome == "referred" and opinion.referral_unit == street.unit
    assert opinion.resolved_at is not None and opinion.resolution_note == "红绿灯已安装"
    kinds = list(opinion.events.order_by("id").values_list("kind", flat=True))
    assert kinds == ["received", "outcome", "feedback", "resolved"]
    assert opinion.events.get(kind="feedback").actor == street.unit_officer


def test_escalation_is_an_outcome_and_idempotent(street):
    opinion = record(street)
    opinion_mark_escalated(opinion=opinion, actor=street.owner_user, note="形成代表建议")
    opinion_mark_escalated(opinion=opinion, actor=street.staff_a)  # a second suggestion from the same opinion
    opinion.refresh_from_db()
    assert opinion.outcome == "escalated"
    assert opinion.events.filter(kind="outcome").count() == 1
    with pytest.raises(ActionRefused):
        opinion_set_outcome(opinion=opinion, outcome="filed", actor=street.staff_a)


def test_who_may_triage(street):
    opinion = record(street)
    for outsider in (street.staff_b, street.leader, street.outsider_user, street.unit_officer):
        with pytest.raises(PermissionRefused):
            opinion_set_outcome(opinion=opinion, outcome="filed", actor=outsider)
    # The deputy of grid B cannot see an opinion of station A, so cannot escalate it.
    with pytest.raises(PermissionRefused):
        opinion_mark_escalated(opinion=opinion, actor=street.outsider_user)
    opinion_set_outcome(opinion=opinion, outcome="referred", referral_unit=street.other_unit, actor=street.office)
    # An officer of another unit may not report feedback on it.
    with pytest.raises(PermissionRefused):
        referral_feedback_add(opinion=opinion, content="x", actor=street.unit_officer)
    assert not ReferralFeedback.objects.exists()


def test_feedback_only_for_referred_and_resolution_needs_an_outcome_and_a_note(street):
    opinion = record(street)
    with pytest.raises(ActionRefused):
        opinion_resolve(opinion=opinion, note="修好了", actor=street.staff_a)
    opinion_set_outcome(opinion=opinion, outcome="answered_on_site", note="已答复", actor=street.staff_a)
    with pytest.raises(ActionRefused):
        referral_feedback_add(opinion=opinion, content="x", actor=street.staff_a)
    with pytest.raises(ValidationError):
        opinion_resolve(opinion=opinion, note="  ", actor=street.staff_a)
    opinion.refresh_from_db()
    assert opinion.resolved_at is None


def test_a_deputy_logs_their_own_visit_and_is_among_the_receivers(street):
    visit = visit_record(
        actor=street.owner_user,
        station=street.a,
        date=DAY,
        channel="home_visit",
        headcount=2,
        grid=street.grid_a1,
        opinions=[{"category": "elderly_care", "content": "希望增设长者饭堂", "outcome": "filed"}],
    )
    assert list(visit.deputies.all()) == [street.owner]
    opinion = visit.opinions.get()
    assert opinion.source == OpinionSource.DEPUTY and opinion.deputy == street.owner
    # …but not at a station that is not theirs.
    with pytest.raises(PermissionRefused):
        visit_record(actor=street.owner_user, station=street.b, date=DAY, channel="home_visit", headcount=1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_recording_an_outcome_at_once_leave_exactly_one(street):
    """The row lock serialises them: the second sees the first's outcome and is refused."""
    import threading

    from django.db import connections

    opinion = record(street)
    barrier = threading.Barrier(2)
    results = []

    def triage(outcome, unit):
        try:
            barrier.wait(timeout=10)
            opinion_set_outcome(opinion=opinion, outcome=outcome, referral_unit=unit, actor=street.staff_a)
            results.append(outcome)
        except ActionRefused as exc:
            results.append(exc.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=triage, args=("answered_on_site", None)),
        threading.Thread(target=triage, args=("referred", street.unit)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    opinion.refresh_from_db()
    assert sorted(results, key=str) == sorted([opinion.outcome, "has_outcome"], key=str)
    assert opinion.events.filter(kind="outcome").count() == 1
