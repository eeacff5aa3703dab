"""Staff merge and split topics; neither the task, the sweep nor a rebuild undoes what they did."""

import pytest
from django.core.exceptions import ValidationError

from core.errors import PermissionRefused
from topics import tasks
from topics.models import Topic, TopicEvent, TopicMember
from topics.rebuild import topics_rebuild
from topics.services import topic_merge, topic_place_opinion, topic_split

from .support import DOGS, ELEVATOR, FUMES, placed

pytestmark = pytest.mark.django_db


def _topic_of(opinion):
    return TopicMember.objects.get(opinion=opinion).topic


def _grouping():
    groups = {}
    for opinion_id, topic_id in TopicMember.objects.values_list("opinion_id", "topic_id"):
        groups.setdefault(topic_id, set()).add(opinion_id)
    return sorted(sorted(g) for g in groups.values())


def test_merge_moves_the_opinions_pins_them_and_sticks(street):
    elevator = [placed(street, t) for t in ELEVATOR]
    dogs = [placed(street, t) for t in DOGS]
    target, other = _topic_of(elevator[0]), _topic_of(dogs[0])
    assert target != other
    topic_merge(actor=street.office, topic=target, others=[other])
    assert not Topic.objects.filter(pk=other.pk).exists()
    members = TopicMember.objects.filter(topic=target)
    assert members.count() == 5 and all(m.pinned for m in members)
    target.refresh_from_db()
    assert target.size == 5 and target.corrected
    assert TopicEvent.objects.filter(topic=target, kind="merged").count() == 1
    before = _grouping()
    for opinion in [*elevator, *dogs]:
        topic_place_opinion(opinion_id=opinion.pk)
    tasks.place_pending.apply()
    topics_rebuild()
    assert _grouping() == before


def test_split_moves_the_chosen_opinions_and_a_rebuild_keeps_them_apart(street):
    elevator = [placed(street, t) for t in ELEVATOR]
    topic = _topic_of(elevator[0])
    new = topic_split(actor=street.office, topic=topic, opinion_ids=[elevator[2].pk], title="电梯困人")
    assert new.title == "电梯困人" and new.corrected
    assert _topic_of(elevator[2]) == new
    assert {_topic_of(o) for o in elevator[:2]} == {topic}
    topic.refresh_from_db()
    assert topic.size == 2 and new.size == 1
    topics_rebuild()
    assert _topic_of(elevator[2]) == new and _topic_of(elevator[0]) == _topic_of(elevator[1]) == topic
    # A new opinion still finds a corrected topic.
    later = placed(street, "电梯又停运了，报修好几天没人修")
    assert _topic_of(later) in {topic, new}


def test_a_rebuild_regroups_what_staff_did_not_touch(street):
    opinions = [placed(street, t) for t in (*ELEVATOR, *DOGS, FUMES)]
    before = _grouping()
    result = topics_rebuild()
    assert result["opinions"] == 6 and result["kept"] == 0
    assert _grouping() == before  # the same texts group the same way
    assert sum(Topic.objects.values_list("size", flat=True)) == len(opinions)


@pytest.mark.parametrize("who", ["staff_a", "leader", "owner_user", "unit_officer"])
def test_only_the_office_and_admins_correct(street, who):
    a, b = placed(street, ELEVATOR[0]), placed(street, FUMES)
    with pytest.raises(PermissionRefused):
        topic_merge(actor=getattr(street, who), topic=_topic_of(a), others=[_topic_of(b)])
    with pytest.raises(PermissionRefused):
        topic_split(actor=getattr(street, who), topic=_topic_of(a), opinion_ids=[a.pk])
    assert TopicMember.objects.filter(pinned=True).count() == 0


def test_bad_corrections_are_refused_and_change_nothing(street):
    elevator = [placed(street, t) for t in ELEVATOR[:2]]
    fumes = placed(street, FUMES)
    topic = _topic_of(elevator[0])
    with pytest.raises(ValidationError) as merge_error:
        topic_merge(actor=street.admin, topic=topic, others=[topic])
    assert "others" in merge_error.value.message_dict
    with pytest.raises(ValidationError) as all_error:
        topic_split(actor=street.admin, topic=topic, opinion_ids=[o.pk for o in elevator])
    assert "opinions" in all_error.value.message_dict
    with pytest.raises(ValidationError):
        topic_split(actor=street.admin, topic=topic, opinion_ids=[fumes.pk])
    with pytest.raises(ValidationError):
        topic_split(actor=street.admin, topic=topic, opinion_ids=[])
    assert not TopicMember.objects.filter(pinned=True).exists()
    assert Topic.objects.count() == 2
