"""``already_claimed``: the daily run reads the claims of its few subjects only, with the same answer."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from notifications import reminders
from notifications.models import ReminderSent

pytestmark = pytest.mark.django_db


@pytest.fixture
def week_of_claims():
    users = [User.objects.create_user(username=f"u{i}", password="x" * 20) for i in range(3)]
    token = uuid.uuid4()
    ReminderSent.objects.bulk_create(
        ReminderSent(recipient=user, rule="r", subject_key=f"s:{n}", threshold_key="r:W50", sweep_token=token)
        for n in range(60)
        for user in users
    )
    ReminderSent.objects.create(
        recipient=users[0], rule="r", subject_key="s:1", threshold_key="r:W49", sweep_token=token
    )
    ReminderSent.objects.create(
        recipient=users[0], rule="other", subject_key="s:1", threshold_key="other:W50", sweep_token=token
    )
    return users


def test_the_claims_of_a_few_subjects_are_read_by_subject(week_of_claims):
    with CaptureQueriesContext(connection) as queries:
        claimed = reminders.already_claimed("r", {"r:W50"}, subjects={"s:1", "s:7", "s:999"})
    assert claimed == {(user.id, subject, "r:W50") for user in week_of_claims for subject in ("s:1", "s:7")}
    assert len(queries) == 1 and '"subject_key" IN' in queries[0]["sql"]


def test_many_subjects_read_the_thresholds_claims_with_the_same_answer(week_of_claims, monkeypatch):
    subjects = {f"s:{n}" for n in range(0, 60, 2)}
    by_subject = reminders.already_claimed("r", {"r:W50"}, subjects=subjects)
    monkeypatch.setattr(reminders, "CLAIM_LOOKUP_CHUNK", 10)  # too many subjects: the threshold is read whole
    with CaptureQueriesContext(connection) as queries:
        whole = reminders.already_claimed("r", {"r:W50"}, subjects=subjects)
    assert '"subject_key" IN' not in queries[0]["sql"]
    assert {claim for claim in whole if claim[1] in subjects} == by_subject
    assert len(whole) == 180 and len(by_subject) == 90
