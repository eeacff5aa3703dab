"""The yearly cycles, played through the livelihood services: proposals, the vote, implementation, evaluation."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from demo.builders.livelihood.plans import (
    ABSENT_FROM_VOTE,
    LAST_YEAR,
    NEXT_YEAR,
    PRESENT,
    STREET_TITLE,
    THIS_YEAR,
    THIS_YEAR_OVERDUE,
    THIS_YEAR_PLACES,
)
from deputies.models import DeputyKind
from livelihood.models import Choice, ProgressUpdate, Project, ProposerKind, Rating
from livelihood.services.candidates import candidate_add, cycle_create, shortlist_set, shortlisting_start
from livelihood.services.projects import (
    implementation_start,
    milestone_add,
    milestone_complete,
    progress_record,
    sub_item_add,
)
from livelihood.services.supervision import evaluation_start, publish, rating_record, supervision_start, visit_record
from livelihood.services.voting import PaperBallot, paper_ballots_enter, vote_close, vote_open


def _pool(ctx, cycle, office, units, deputies, plans):
    congress = [d for d in deputies if d.kind == DeputyKind.CONGRESS]
    candidates = []
    for plan in plans:
        extra = {}
        if plan.proposer == ProposerKind.DEPUTY:
            extra["proposer_deputy"] = ctx.rng.choice(congress)
        elif plan.proposer == ProposerKind.CONSTITUENT:
            extra["proposer_name"] = plan.proposer_name
            extra["proposer_phone"] = f"13{ctx.rng.randint(100000000, 999999999)}"
        elif plan.proposer == ProposerKind.DEPARTMENT:
            extra["proposer_name"] = plan.unit
        candidates.append(
            candidate_add(
                cycle=cycle,
                actor=office,
                title=plan.title,
                description=plan.description,
                proposer_kind=plan.proposer,
                estimated_budget=Decimal(plan.budget),
                responsible_unit=units[plan.unit],
                **extra,
            )
        )
    return candidates


def _vote(ctx, cycle, office, deputies, candidates, plans):
    """Open the vote, enter paper ballots that give each candidate its planned votes for, close it."""
    shortlisting_start(cycle=cycle, actor=office)
    shortlist_set(cycle=cycle, candidates=candidates, actor=office)
    present = deputies[:PRESENT]
    session = vote_open(cycle=cycle, present=present, actor=office)
    voters = present[: len(present) - ABSENT_FROM_VOTE]
    choices = {d.pk: {} for d in voters}
    for candidate, plan in zip(candidates, plans, strict=True):
        order = voters[:]
        ctx.rng.shuffle(order)
        votes_for = min(plan.votes_for, len(order))
        for i, deputy in enumerate(order):
            if i < votes_for:
                choice = Choice.FOR
            else:
                choice = Choice.AGAINST if ctx.rng.random() < 0.6 else Choice.ABSTAIN
            choices[deputy.pk][candidate.pk] = choice
    ballots = [PaperBallot(deputy=d, choices=choices[d.pk]) for d in voters]
    paper_ballots_enter(session=session, ballots=ballots, actor=office)
    vote_close(session=session, actor=office)
    return implementation_start(cycle=cycle, actor=office)


def _backdate(update: ProgressUpdate, when: date) -> None:
    """Give a demo progress report the date it would have had (the service stamps the current time).

    Called in date order, so the project's "last updated" ends at its latest report.
    """
    moment = timezone.make_aware(datetime.combine(when, time(10)))
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=moment)
    Project.objects.filter(pk=update.project_id).update(progress_updated_at=moment)


def full_year(ctx, office, units, deputies, year):
    cycle = cycle_create(year=year, places=10, title=STREET_TITLE.format(year=year), actor=office)
    candidates = _pool(ctx, cycle, office, units, deputies, LAST_YEAR)
    projects = {p.candidate_id: p for p in _vote(ctx, cycle, office, deputies, candidates, LAST_YEAR)}
    raters = deputies[:40]
    for candidate, plan in zip(candidates, LAST_YEAR, strict=True):
        project = projects.get(candidate.pk)
        if project is None:
            continue
        for title, budget in plan.sub_items:
            sub_item_add(project=project, title=title, budget=Decimal(budget), actor=office)
        milestones = [
            ("完成方案设计和招标", date(year, 4, 30)),
            ("主体工程完工", date(year, 9, 30)),
            ("竣工验收", date(year, 12, 15)),
        ]
        for title, due in milestones:
            milestone = milestone_add(project=project, title=title, due_date=due, actor=office)
            milestone_complete(
                milestone=milestone, completed_on=due - timedelta(days=ctx.rng.randint(0, 20)), actor=office
            )
        final = 100 if plan.satisfied * 2 > 40 else 95
        for percent, note, when in (
            (20, "完成方案设计，进入招标程序。", date(year, 4, 25)),
            (60, "主体工程施工中，进度符合计划。", date(year, 8, 20)),
            (final, "已完成竣工验收并投入使用。" if final == 100 else "主体完工，剩余收尾工作。", date(year, 12, 10)),
        ):
            _backdate(progress_record(project=project, percent=percent, note=note, actor=office), when)
    supervision_start(cycle=cycle, actor=office)
    findings = ["现场施工围挡规范，进度正常。", "建议加强夜间施工噪音管控。", "部分路段恢复不及时，已督促整改。"]
    for i, project in enumerate(sorted(projects.values(), key=lambda p: p.pk)):
        for deputy in ctx.rng.sample(raters, 2):
            visit_record(
                project=project,
                deputy=deputy,
                visited_on=date(year, 10, 8 + i),
                findings=ctx.rng.choice(findings),
                actor=office,
            )
    evaluation_start(cycle=cycle, actor=office)
    for candidate, plan in zip(candidates, LAST_YEAR, strict=True):
        project = projects.get(candidate.pk)
        if project is None:
            continue
        ratings = (
            [Rating.SATISFIED] * plan.satisfied
            + [Rating.BASICALLY_SATISFIED] * plan.basically
            + [Rating.UNSATISFIED] * (len(raters) - plan.satisfied - plan.basically)
        )
        ctx.rng.shuffle(ratings)
        for deputy, rating in zip(raters, ratings, strict=True):
            rating_record(project=project, deputy=deputy, rating=rating, actor=office)
    publish(cycle=cycle, actor=office)


def this_year(ctx, office, units, deputies, today):
    year = today.year
    cycle = cycle_create(year=year, places=THIS_YEAR_PLACES, title=STREET_TITLE.format(year=year), actor=office)
    candidates = _pool(ctx, cycle, office, units, deputies, THIS_YEAR)
    projects = sorted(_vote(ctx, cycle, office, deputies, candidates, THIS_YEAR), key=lambda p: p.candidate_id)
    for position, project in enumerate(projects):
        sub_item_add(project=project, title=f"{project.title}（一期）", actor=office)
        sub_item_add(project=project, title=f"{project.title}（二期）", actor=office)
        plan = [
            ("完成方案设计和招标", today - timedelta(days=120)),
            ("主体工程完工", today - timedelta(days=30)),
            ("竣工验收", today + timedelta(days=45)),
        ]
        for index, (title, due) in enumerate(plan):
            milestone = milestone_add(project=project, title=title, due_date=due, actor=office)
            late = index == 1 and position in THIS_YEAR_OVERDUE
            if due <= today and not late:
                milestone_complete(milestone=milestone, completed_on=due, actor=office)
        reports = [(25, "方案设计完成，已完成招标。", today - timedelta(days=110))]
        if position not in THIS_YEAR_OVERDUE:
            reports.append((70, "主体工程基本完工，正在进行配套施工。", today - timedelta(days=25)))
        else:
            reports.append((45, "受雨季影响施工滞后，已调整计划。", today - timedelta(days=20)))
        for percent, note, when in reports:
            _backdate(progress_record(project=project, percent=percent, note=note, actor=office), when)
    for project in projects[:3]:
        deputy = ctx.rng.choice(deputies[:PRESENT])
        visit_record(
            project=project,
            deputy=deputy,
            visited_on=today - timedelta(days=ctx.rng.randint(3, 15)),
            findings="现场查看施工进度，督促责任单位按节点推进。",
            actor=office,
        )


def next_year(ctx, office, units, deputies, year):
    cycle = cycle_create(year=year, places=10, title=STREET_TITLE.format(year=year), actor=office)
    _pool(ctx, cycle, office, units, deputies, NEXT_YEAR)
    candidate_add(
        cycle=cycle,
        actor=None,  # a constituent, through the public form
        title="社区公园增设健身器材",
        description="白沙公园健身器材老化，希望更新并增设适合老年人的器材。",
        proposer_name="吴阿姨",
    )
