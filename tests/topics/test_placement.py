"""Placing a saved opinion in its topic: the task after commit, idempotence, the catch-up, bounded queries."""

import math
from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from liaison.models import Opinion
from topics import tasks
from topics.models import DOCUMENTS, TermCount, Topic, TopicMember, TopicTerm
from topics.services import topic_place_opinion

from .support import DOGS, ELEVATOR, FUMES, placed, record

pytestmark = pytest.mark.django_db


def test_a_saved_opinion_is_placed_by_the_task_after_commit(street, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        opinion = record(street, ELEVATOR[0])
        assert not TopicMember.objects.exists()  # not in the request's transaction
    assert len(callbacks) == 1
    member = TopicMember.objects.get(opinion=opinion)
    assert member.topic.size == 1 and not member.pinned


def test_a_rolled_back_opinion_queues_nothing(street, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            record(street, ELEVATOR[0])
            raise RuntimeError
    assert callbacks == [] and not TopicMember.objects.exists()


def test_the_public_channel_and_visits_are_placed_too(street, django_capture_on_commit_callbacks):
    from liaison.services.public import public_opinion_submit

    with django_capture_on_commit_callbacks(execute=True):
        submission = public_opinion_submit(station=street.a, category="property", content=ELEVATOR[1])
    assert TopicMember.objects.filter(opinion_id=submission.opinion_id).exists()


def test_one_problem_across_stations_is_one_topic(street):
    first = placed(street, ELEVATOR[0], grid=street.grid_a1)
    second = placed(street, ELEVATOR[1], station=street.b, grid=street.grid_b1)
    third = placed(street, ELEVATOR[2], station=street.a1)
    dog = placed(street, DOGS[0])
    fumes = placed(street, FUMES)
    topic = TopicMember.objects.get(opinion=first).topic
    member = TopicMember.objects.get(opinion=second)
    assert (member.received_on, member.station_id, member.grid_id) == (
        second.received_on,
        street.b.pk,
        street.grid_b1.pk,
    )
    assert {m.topic_id for m in TopicMember.objects.filter(opinion__in=[second, third])} == {topic.pk}
    dog_topic = TopicMember.objects.get(opinion=dog).topic_id
    assert dog_topic != topic.pk
    assert TopicMember.objects.get(opinion=fumes).topic_id not in {topic.pk, dog_topic}
    topic.refresh_from_db()
    assert topic.size == 3
    assert "电梯" in topic.keywords
    assert TermCount.objects.get(term=DOCUMENTS).documents == 5
    # The stored norm is the squared length of the stored centroid.
    weights = TopicTerm.objects.filter(topic=topic).values_list("weight", flat=True)
    assert math.isclose(topic.norm_sq, sum(w * w for w in weights), rel_tol=1e-6)


def test_placing_twice_changes_nothing(street):
    opinion = placed(street, ELEVATOR[0])
    before = (TopicMember.objects.get(opinion=opinion).topic_id, TermCount.objects.get(term=DOCUMENTS).documents)
    topic_place_opinion(opinion_id=opinion.pk)
    tasks.place_opinion.apply(args=[opinion.pk])
    after = (TopicMember.objects.get(opinion=opinion).topic_id, TermCount.objects.get(term=DOCUMENTS).documents)
    assert after == before
    assert Topic.objects.count() == 1


def test_a_vanished_opinion_is_nothing_to_place(street):
    assert topic_place_opinion(opinion_id=987654) is None


def test_dates_follow_the_members(street):
    placed(street, ELEVATOR[0], day=date(2026, 3, 5))
    placed(street, ELEVATOR[1], day=date(2025, 12, 30))
    topic = Topic.objects.get()
    assert (topic.first_received_on, topic.last_received_on) == (date(2025, 12, 30), date(2026, 3, 5))


def test_the_periodic_task_places_what_was_missed(street):
    opinions = [record(street, text) for text in ELEVATOR]  # no task ran: on_commit is not executed here
    assert not TopicMember.objects.exists()
    result = tasks.place_pending.apply().get()
    assert result == {"placed": 3}
    assert TopicMember.objects.filter(opinion__in=opinions).values("topic").distinct().count() == 1
    assert tasks.place_pending.apply().get() == {"placed": 0}


def _queries_to_place(street, text):
    opinion = record(street, text)
    with CaptureQueriesContext(connection) as queries:
        topic_place_opinion(opinion_id=opinion.pk)
    return len(queries)


def test_placement_queries_do_not_grow_with_the_index(street):
    placed(street, ELEVATOR[0])
    placed(street, DOGS[0])
    small = _queries_to_place(street, ELEVATOR[1])
    for i in range(25):
        placed(street, f"{FUMES}第{i}号楼" if i % 2 else f"{DOGS[1]}，{i}栋")
    large = _queries_to_place(street, ELEVATOR[2])
    assert small == large
    assert large <= 17  # savepoint and release included


def test_bulk_inserted_opinions_are_left_to_the_sweep(street):
    """bulk_create sends no signal (the city generator); the sweep finds them."""
    Opinion.objects.bulk_create(
        [Opinion(station=street.a, source="desk", category="other", content=ELEVATOR[0], received_on=date(2026, 1, 2))]
    )
    assert not TopicMember.objects.exists()
    assert tasks.place_pending.apply().get() == {"placed": 1}
