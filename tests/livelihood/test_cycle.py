"""The yearly cycle: stages in order only, an event for every change, refusals that change nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F

from core.errors import ActionRefused, PermissionRefused
from livelihood.models import CycleEvent, ProposerKind, Stage, YearCycle
from livelihood.services.candidates import candidate_add, cycle_create, shortlist_set, shortlisting_start
from livelihood.services.projects import implementation_start
from livelihood.services.supervision import evaluation_start, publish, rating_record, supervision_start
from livelihood.services.voting import vote_open


def snapshot(cycle):
    cycle = YearCycle.objects.get(pk=cycle.pk)
    return (
        cycle.stage,
        CycleEvent.objects.filter(cycle=cycle).count(),
        cycle.candidates.count(),
        cycle.projects.count(),
        list(cycle.candidates.values_list("shortlisted", "result")),
    )


OUT_OF_ORDER_AT_COLLECTING = [
    ("vote_open", lambda s, c: vote_open(cycle=c, present=[u.deputy for u in s.deputy_users], actor=s.office)),
    ("implementation_start", lambda s, c: implementation_start(cycle=c, actor=s.office)),
    ("supervision_start", lambda s, c: supervision_start(cycle=c, actor=s.office)),
    ("evaluation_start", lambda s, c: evaluation_start(cycle=c, actor=s.office)),
    ("publish", lambda s, c: publish(cycle=c, actor=s.office)),
    ("shortlist_set", lambda s, c: shortlist_set(cycle=c, candidates=c.candidates.all(), actor=s.office)),
]


@pytest.mark.parametrize(("action", "call"), OUT_OF_ORDER_AT_COLLECTING, ids=[a for a, _ in OUT_OF_ORDER_AT_COLLECTING])
def test_out_of_order_transitions_are_refused_and_change_nothing(street, action, call):
    street.add_deputies(3)
    cycle = street.cycle(places=2, candidates=3)
    before = snapshot(cycle)
    with pytest.raises(ActionRefused) as refused:
        call(street, cycle)
    assert refused.value.code == "wrong_stage"
    # A clear message in Chinese naming the current stage.
    assert "当前处于“征集”阶段" in refused.value.message, refused.value.message
    assert snapshot(cycle) == before


def test_going_back_is_refused(street):
    cycle, _projects = street.implementing()
    before = snapshot(cycle)
    with pytest.raises(ActionRefused):
        shortlisting_start(cycle=cycle, actor=street.office)
    with pytest.raises(ActionRefused):
        candidate_add(
            cycle=cycle,
            actor=street.office,
            title="迟到的项目",
            description="…",
            proposer_kind=ProposerKind.CONSTITUENT,
        )
    with pytest.raises(ActionRefused):
        publish(cycle=cycle, actor=street.office)
    assert snapshot(cycle) == before


def test_full_cycle_in_order_records_every_step(street):
    cycle, projects = street.implementing(places=2, candidates=3)
    supervision_start(cycle=cycle, actor=street.office)
    evaluation_start(cycle=cycle, actor=street.office)
    for user in street.deputy_users:
        rating_record(project=projects[0], deputy=user.deputy, rating="satisfied", actor=user)
    publish(cycle=cycle, actor=street.office)
    cycle.refresh_from_db()
    assert cycle.stage == Stage.PUBLISHED
    transitions = list(
        CycleEvent.objects.filter(cycle=cycle).exclude(from_stage=F("to_stage")).values_list("from_stage", "to_stage")
    )
    assert transitions == [
        ("collecting", "shortlisting"),
        ("shortlisting", "voting"),
        ("voting", "implementing"),
        ("implementing", "supervising"),
        ("supervising", "evaluating"),
        ("evaluating", "published"),
    ]
    events = CycleEvent.objects.filter(cycle=cycle)
    assert events.filter(action="candidate_add").count() == 3
    assert events.get(action="vote_close").actor == street.office
    projects[0].refresh_from_db()
    projects[1].refresh_from_db()
    assert projects[0].verdict == "satisfied"
    assert projects[1].verdict == ""  # nobody rated it


def test_events_are_append_only(street):
    cycle = street.cycle()
    event = CycleEvent.objects.filter(cycle=cycle).first()
    event.note = "rewritten"
    with pytest.raises(ValueError):
        event.save()


def test_shortlisting_needs_more_candidates_than_places(street):
    cycle = street.cycle(places=3, candidates=3)
    before = snapshot(cycle)
    with pytest.raises(ActionRefused) as refused:
        shortlisting_start(cycle=cycle, actor=street.office)
    assert "差额" in refused.value.message
    assert snapshot(cycle) == before


def test_only_the_office_moves_the_cycle(street):
    street.add_deputies(1)
    cycle = street.cycle()
    for user in (street.deputy_users[0], street.unit_officer, street.leader):
        with pytest.raises(PermissionRefused):
            shortlisting_start(cycle=cycle, actor=user)
    assert YearCycle.objects.get(pk=cycle.pk).stage == Stage.COLLECTING


def test_one_cycle_per_year(street):
    street.cycle(year=2024)
    with pytest.raises(ValidationError) as error:
        cycle_create(year=2024, places=10, actor=street.office)
    assert "year" in error.value.message_dict


def test_who_proposes_decides_the_recorded_proposer(street):
    (deputy_user,) = street.add_deputies(1)
    cycle = street.cycle(candidates=0)
    by_deputy = candidate_add(
        cycle=cycle,
        actor=deputy_user,
        title="加装电梯",
        description="老旧小区加装电梯",
        proposer_kind=ProposerKind.CONSTITUENT,  # ignored: a deputy proposes as themselves
        proposer_name="冒名",
    )
    assert (by_deputy.proposer_kind, by_deputy.proposer_deputy, by_deputy.proposer_name) == (
        ProposerKind.DEPUTY,
        deputy_user.deputy,
        "",
    )
    by_unit = candidate_add(cycle=cycle, actor=street.unit_officer, title="道路改造", description="…")
    assert (by_unit.proposer_kind, by_unit.proposer_name, by_unit.responsible_unit) == (
        ProposerKind.DEPARTMENT,
        "区住建局",
        street.unit,
    )
    public = candidate_add(
        cycle=cycle, actor=None, title="增设路灯", description="…", proposer_name="王女士", proposer_phone="13812345678"
    )
    assert public.proposer_kind == ProposerKind.CONSTITUENT and public.created_by is None
    by_staff = candidate_add(
        cycle=cycle, actor=street.office, title="社区食堂", description="…", proposer_kind=ProposerKind.OPINION
    )
    assert by_staff.proposer_kind == ProposerKind.OPINION


def test_candidate_needs_a_title_and_description(street):
    cycle = street.cycle(candidates=0)
    with pytest.raises(ValidationError) as error:
        candidate_add(cycle=cycle, actor=street.office, title=" ", description="", proposer_kind="department")
    assert {"title", "description"} <= set(error.value.message_dict)
    assert cycle.candidates.count() == 0


def test_shortlisting_requires_a_responsible_unit(street):
    cycle = street.cycle(places=1, candidates=2)
    orphan = candidate_add(
        cycle=cycle, actor=street.office, title="无单位", description="…", proposer_kind=ProposerKind.CONSTITUENT
    )
    shortlisting_start(cycle=cycle, actor=street.office)
    with pytest.raises(ValidationError):
        shortlist_set(cycle=cycle, candidates=[orphan], actor=street.office)
    assert not cycle.candidates.filter(shortlisted=True).exists()


def test_leaders_read_but_do_not_propose(street):
    cycle = street.cycle(candidates=0)
    with pytest.raises(PermissionRefused):
        candidate_add(cycle=cycle, actor=street.leader, title="x", description="y", proposer_kind="constituent")
    assert cycle.candidates.count() == 0
