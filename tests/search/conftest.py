"""A small searchable world: opinions at two stations, suggestions, a reply and a project, all about 电梯
or not, for the search tests."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import timezone

from liaison.models import Opinion, OpinionCategory, OpinionSource
from livelihood.models import Candidate, Project, ProposerKind, YearCycle
from suggestions.models import Reply, ReplyClass, State, Suggestion


@dataclass
class Searchable:
    world: object
    lift_a: Opinion  # station A: 电梯
    lift_b: Opinion  # station B: 电梯
    lamp_a: Opinion  # station A: no 电梯
    suggestion_a: Suggestion  # lead deputy (resident at A), submitted, 电梯
    suggestion_b: Suggestion  # other deputy (resident at B), submitted, 电梯
    draft_a: Suggestion  # lead deputy's draft, 电梯: nobody else sees it
    reply_a: Reply
    project: Project


def opinion(station, content, day, **fields):
    return Opinion.objects.create(
        station=station,
        source=OpinionSource.DESK,
        category=OpinionCategory.URBAN_CONSTRUCTION,
        content=content,
        received_on=day,
        **fields,
    )


def suggestion(deputy, title, content, *, submitted=True, **fields):
    return Suggestion.objects.create(
        lead_deputy=deputy,
        title=title,
        content=content,
        state=State.SUBMITTED if submitted else State.DRAFT,
        submitted_at=timezone.now() if submitted else None,
        **fields,
    )


@pytest.fixture
def searchable(world) -> Searchable:
    w = world
    lift_a = opinion(w.station_a, "老旧小区加装电梯进展缓慢，居民希望尽快开工", date(2024, 3, 1))
    lift_b = opinion(w.station_b, "电梯经常停运，老人上下楼困难", date(2024, 3, 2))
    lamp_a = opinion(w.station_a, "小区路灯损坏，夜间出行不便", date(2024, 3, 3))
    suggestion_a = suggestion(w.lead_deputy, "关于老旧小区加装电梯的建议", "建议简化审批流程。")
    suggestion_b = suggestion(w.other_deputy_record, "关于电梯维保监管的建议", "部分小区电梯维保不到位。")
    draft_a = suggestion(w.lead_deputy, "电梯草稿", "还没有提交。", submitted=False)
    reply_a = Reply.objects.create(
        suggestion=suggestion_a,
        round=1,
        unit=w.lead_unit,
        reply_class=ReplyClass.A,
        content="经研究，已将加装电梯补助纳入年度预算。",
        replied_on=date(2024, 5, 1),
        due_on=date(2024, 6, 1),
    )
    cycle = YearCycle.objects.create(year=2024, places=2)
    candidate = Candidate.objects.create(
        cycle=cycle,
        title="老旧小区加装电梯",
        description="为二十个小区加装电梯",
        proposer_kind=ProposerKind.DEPARTMENT,
        responsible_unit=w.lead_unit,
    )
    project = Project.objects.create(
        cycle=cycle,
        candidate=candidate,
        title="老旧小区加装电梯",
        description="为二十个小区加装电梯",
        responsible_unit=w.lead_unit,
    )
    return Searchable(
        world=w,
        lift_a=lift_a,
        lift_b=lift_b,
        lamp_a=lamp_a,
        suggestion_a=suggestion_a,
        suggestion_b=suggestion_b,
        draft_a=draft_a,
        reply_a=reply_a,
        project=project,
    )
