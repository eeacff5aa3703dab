"""民生实事项目票决制 for the demo street, built through the livelihood services.

- last year: a full cycle, published — 13 candidates → 10 projects with 26 sub-items, milestones,
  progress, supervision visits and every deputy's evaluation (one project only 基本满意);
- this year: voted and being implemented — 11 candidates → 8 projects, two milestones overdue;
- next year: collecting proposals, one of them from a constituent through the public form.

Each cycle is created only when its year has none yet, so running the builder again changes nothing.
The vote and the evaluation are entered by the office from paper ballots and forms, as at a meeting.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from demo.builders.base import DemoContext
from demo.builders.units import STREET_OFFICE
from deputies.models import Deputy, DeputyKind
from livelihood import services
from livelihood.models import Choice, ProgressUpdate, Project, ProposerKind, Rating, YearCycle
from organisation.models import HandlingUnit

OFFICE_USERNAME = "demo_office"
STREET_TITLE = "{year}年白沙街道民生实事项目"
PRESENT = 58  # deputies at the voting meeting (议政代表会 and congress deputies of the street)
ABSENT_FROM_VOTE = 2  # present but did not hand in a ballot: they still count for the majority

HOUSING = "蓬江区住房和城乡建设局"
TRANSPORT = "蓬江区交通运输局"
URBAN = "蓬江区城市管理和综合执法局"
EDUCATION = "蓬江区教育局"
HEALTH = "蓬江区卫生健康局"
CIVIL = "蓬江区民政局"
MARKET = "蓬江区市场监督管理局"
ENVIRONMENT = "江门市生态环境局蓬江分局"
POLICE = "江门市公安局蓬江分局白沙派出所"


@dataclass
class Plan:
    title: str
    unit: str
    budget: str
    description: str
    proposer: str = ProposerKind.DEPARTMENT
    proposer_name: str = ""
    votes_for: int = 0
    sub_items: list = field(default_factory=list)
    # Evaluation: how many of the raters chose 满意 and 基本满意 (the rest 不满意).
    satisfied: int = 0
    basically: int = 0


LAST_YEAR = [
    Plan(
        "老旧小区改造提升",
        HOUSING,
        "1860",
        "对8个老旧小区实施雨污分流、外立面整治、楼道照明和消防通道改造。",
        ProposerKind.OPINION,
        votes_for=54,
        sub_items=[
            ("北街小区雨污分流", "620"),
            ("甘化路小区外立面整治", "480"),
            ("胜利路小区楼道照明", "260"),
            ("长堤路小区消防通道", "500"),
        ],
        satisfied=34,
        basically=5,
    ),
    Plan(
        "背街小巷路灯亮化工程",
        URBAN,
        "320",
        "为辖区23条背街小巷新装、更换LED路灯，消除夜间照明盲区。",
        ProposerKind.CONSTITUENT,
        "黄先生",
        votes_for=52,
        sub_items=[("范罗岗片区亮化", "120"), ("江华片区亮化", "110"), ("良化南片区亮化", "90")],
        satisfied=33,
        basically=6,
    ),
    Plan(
        "社区长者饭堂建设",
        CIVIL,
        "240",
        "新建3个社区长者饭堂，为辖区老年人提供助餐服务。",
        ProposerKind.DEPUTY,
        votes_for=51,
        sub_items=[("江华社区长者饭堂", "80"), ("美景社区长者饭堂", "80"), ("兴盛社区长者饭堂", "80")],
        satisfied=36,
        basically=3,
    ),
    Plan(
        "学校周边交通安全设施改善",
        TRANSPORT,
        "180",
        "在辖区5所中小学周边增设护学岗、减速带、人行横道和交通标志。",
        ProposerKind.SUGGESTION,
        votes_for=49,
        sub_items=[("白沙小学周边", "70"), ("范罗岗小学周边", "60"), ("江门二中周边", "50")],
        satisfied=30,
        basically=8,
    ),
    Plan(
        "城市内涝点整治",
        HOUSING,
        "950",
        "整治白沙大道西、建设三路等6处易涝点，提升排水能力。",
        votes_for=47,
        sub_items=[("白沙大道西易涝点", "380"), ("建设三路易涝点", "320"), ("北街易涝点", "250")],
        satisfied=25,
        basically=11,
    ),
    Plan(
        "口袋公园建设",
        URBAN,
        "210",
        "利用边角地建设2个口袋公园，增加居民休闲空间。",
        ProposerKind.OPINION,
        votes_for=46,
        sub_items=[("兴盛路口袋公园", "110"), ("美景路口袋公园", "100")],
        satisfied=32,
        basically=6,
    ),
    Plan(
        "农贸市场升级改造",
        MARKET,
        "400",
        "对白沙农贸市场进行排水、通风、档口和智慧计量升级。",
        votes_for=44,
        sub_items=[("市场排水通风改造", "250"), ("智慧计量系统", "150")],
        satisfied=28,
        basically=9,
    ),
    Plan(
        "社区卫生服务站标准化建设",
        HEALTH,
        "160",
        "按标准改造2个社区卫生服务站，完善设备和签约服务。",
        ProposerKind.DEPUTY,
        votes_for=41,
        sub_items=[("江华社区卫生服务站", "80"), ("范罗岗社区卫生服务站", "80")],
        satisfied=31,
        basically=7,
    ),
    Plan(
        "一户一表改造",
        HOUSING,
        "520",
        "对仍为总表供水的小区实施一户一表改造，解决水费分摊纠纷。",
        ProposerKind.CONSTITUENT,
        "陈女士",
        votes_for=38,
        sub_items=[("良化南小区一户一表", "270"), ("甘化路小区一户一表", "250")],
        satisfied=18,
        basically=15,
    ),
    Plan(
        "公共厕所改造提升",
        URBAN,
        "150",
        "改造提升6座公共厕所，增设无障碍和第三卫生间。",
        votes_for=35,
        sub_items=[("白沙公园公厕", "80"), ("长堤路公厕", "70")],
        satisfied=29,
        basically=8,
    ),
    # More than half of those present voted for it, but it ranks eleventh: not selected.
    Plan("电动自行车集中充电设施建设", URBAN, "90", "在20个小区建设电动自行车集中充电棚。", votes_for=33),
    Plan(
        "社区文化长廊改造",
        STREET_OFFICE,
        "60",
        "改造白沙社区文化长廊，展示街区历史。",
        ProposerKind.DEPUTY,
        votes_for=27,
    ),
    Plan("河涌沿岸绿道建设", ENVIRONMENT, "700", "沿白沙河涌建设2公里绿道。", ProposerKind.OPINION, votes_for=22),
]

THIS_YEAR = [
    Plan(
        "既有住宅加装电梯补贴",
        HOUSING,
        "600",
        "对符合条件的既有住宅加装电梯给予补贴。",
        ProposerKind.OPINION,
        votes_for=53,
    ),
    Plan("社区综合服务中心适老化改造", CIVIL, "220", "对4个社区综合服务中心进行适老化改造。", votes_for=51),
    Plan(
        "中小学课后托管服务",
        EDUCATION,
        "150",
        "在辖区小学开展课后托管和暑期托管服务。",
        ProposerKind.DEPUTY,
        votes_for=50,
    ),
    Plan(
        "北街—兴盛路道路贯通工程",
        TRANSPORT,
        "1200",
        "打通北街至兴盛路断头路，缓解交通拥堵。",
        ProposerKind.SUGGESTION,
        votes_for=47,
    ),
    Plan("新能源汽车充电桩建设", URBAN, "180", "在公共停车场建设60个充电桩。", votes_for=45),
    Plan(
        "社区智慧安防建设",
        POLICE,
        "260",
        "为12个开放式小区安装视频门禁和智能监控。",
        ProposerKind.CONSTITUENT,
        "李先生",
        votes_for=44,
    ),
    Plan(
        "社区居家养老服务站", CIVIL, "140", "新建2个居家养老服务站，提供日间照料。", ProposerKind.DEPUTY, votes_for=40
    ),
    Plan("农贸市场周边停车规范", TRANSPORT, "80", "施划停车位、设置临时停车区，规范市场周边停车。", votes_for=36),
    Plan("社区图书室提质", STREET_OFFICE, "40", "更新4个社区图书室藏书和设备。", votes_for=31),
    Plan("绿化带补植", URBAN, "70", "补植主干道绿化带缺株。", ProposerKind.CONSTITUENT, "周女士", votes_for=26),
    Plan("社区篮球场翻新", EDUCATION, "55", "翻新3个社区篮球场地面和照明。", votes_for=20),
]
THIS_YEAR_PLACES = 8
# Projects (by position) whose second milestone is left overdue, so reminders have something to send.
THIS_YEAR_OVERDUE = {2, 5}

NEXT_YEAR = [
    Plan("社区嵌入式托育点", CIVIL, "120", "在2个社区建设普惠托育点。", ProposerKind.DEPUTY),
    Plan("白沙大道西人行天桥加装电梯", TRANSPORT, "450", "为人行天桥加装无障碍电梯。", ProposerKind.OPINION),
    Plan("老旧管网更新", HOUSING, "800", "更新辖区老旧供水和燃气管网。"),
]


def build(ctx: DemoContext) -> None:
    office = User.objects.get(username=OFFICE_USERNAME)
    units = {unit.name: unit for unit in HandlingUnit.objects.all()}
    deputies = list(Deputy.objects.filter(is_active=True).order_by("id"))
    today = timezone.localdate()
    made = []
    if not YearCycle.objects.filter(year=today.year - 1).exists():
        _full_year(ctx, office, units, deputies, today.year - 1)
        made.append(str(today.year - 1))
    if not YearCycle.objects.filter(year=today.year).exists():
        _this_year(ctx, office, units, deputies, today)
        made.append(str(today.year))
    if not YearCycle.objects.filter(year=today.year + 1).exists():
        _next_year(ctx, office, units, deputies, today.year + 1)
        made.append(str(today.year + 1))
    ctx.log(f"livelihood projects: 3 yearly cycles ({', '.join(made) or 'none'} new)")


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
            services.candidate_add(
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
    services.shortlisting_start(cycle=cycle, actor=office)
    services.shortlist_set(cycle=cycle, candidates=candidates, actor=office)
    present = deputies[:PRESENT]
    session = services.vote_open(cycle=cycle, present=present, actor=office)
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
    ballots = [services.PaperBallot(deputy=d, choices=choices[d.pk]) for d in voters]
    services.paper_ballots_enter(session=session, ballots=ballots, actor=office)
    services.vote_close(session=session, actor=office)
    return services.implementation_start(cycle=cycle, actor=office)


def _backdate(update: ProgressUpdate, when: date) -> None:
    """Give a demo progress report the date it would have had (the service stamps the current time).

    Called in date order, so the project's "last updated" ends at its latest report.
    """
    moment = timezone.make_aware(datetime.combine(when, time(10)))
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=moment)
    Project.objects.filter(pk=update.project_id).update(progress_updated_at=moment)


def _full_year(ctx, office, units, deputies, year):
    cycle = services.cycle_create(year=year, places=10, title=STREET_TITLE.format(year=year), actor=office)
    candidates = _pool(ctx, cycle, office, units, deputies, LAST_YEAR)
    projects = {p.candidate_id: p for p in _vote(ctx, cycle, office, deputies, candidates, LAST_YEAR)}
    raters = deputies[:40]
    for candidate, plan in zip(candidates, LAST_YEAR, strict=True):
        project = projects.get(candidate.pk)
        if project is None:
            continue
        for title, budget in plan.sub_items:
            services.sub_item_add(project=project, title=title, budget=Decimal(budget), actor=office)
        milestones = [
            ("完成方案设计和招标", date(year, 4, 30)),
            ("主体工程完工", date(year, 9, 30)),
            ("竣工验收", date(year, 12, 15)),
        ]
        for title, due in milestones:
            milestone = services.milestone_add(project=project, title=title, due_date=due, actor=office)
            services.milestone_complete(
                milestone=milestone, completed_on=due - timedelta(days=ctx.rng.randint(0, 20)), actor=office
            )
        final = 100 if plan.satisfied * 2 > 40 else 95
        for percent, note, when in (
            (20, "完成方案设计，进入招标程序。", date(year, 4, 25)),
            (60, "主体工程施工中，进度符合计划。", date(year, 8, 20)),
            (final, "已完成竣工验收并投入使用。" if final == 100 else "主体完工，剩余收尾工作。", date(year, 12, 10)),
        ):
            _backdate(services.progress_record(project=project, percent=percent, note=note, actor=office), when)
    services.supervision_start(cycle=cycle, actor=office)
    findings = ["现场施工围挡规范，进度正常。", "建议加强夜间施工噪音管控。", "部分路段恢复不及时，已督促整改。"]
    for i, project in enumerate(sorted(projects.values(), key=lambda p: p.pk)):
        for deputy in ctx.rng.sample(raters, 2):
            services.visit_record(
                project=project,
                deputy=deputy,
                visited_on=date(year, 10, 8 + i),
                findings=ctx.rng.choice(findings),
                actor=office,
            )
    services.evaluation_start(cycle=cycle, actor=office)
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
            services.rating_record(project=project, deputy=deputy, rating=rating, actor=office)
    services.publish(cycle=cycle, actor=office)


def _this_year(ctx, office, units, deputies, today):
    year = today.year
    cycle = services.cycle_create(
        year=year, places=THIS_YEAR_PLACES, title=STREET_TITLE.format(year=year), actor=office
    )
    candidates = _pool(ctx, cycle, office, units, deputies, THIS_YEAR)
    projects = sorted(_vote(ctx, cycle, office, deputies, candidates, THIS_YEAR), key=lambda p: p.candidate_id)
    for position, project in enumerate(projects):
        services.sub_item_add(project=project, title=f"{project.title}（一期）", actor=office)
        services.sub_item_add(project=project, title=f"{project.title}（二期）", actor=office)
        plan = [
            ("完成方案设计和招标", today - timedelta(days=120)),
            ("主体工程完工", today - timedelta(days=30)),
            ("竣工验收", today + timedelta(days=45)),
        ]
        for index, (title, due) in enumerate(plan):
            milestone = services.milestone_add(project=project, title=title, due_date=due, actor=office)
            late = index == 1 and position in THIS_YEAR_OVERDUE
            if due <= today and not late:
                services.milestone_complete(milestone=milestone, completed_on=due, actor=office)
        reports = [(25, "方案设计完成，已完成招标。", today - timedelta(days=110))]
        if position not in THIS_YEAR_OVERDUE:
            reports.append((70, "主体工程基本完工，正在进行配套施工。", today - timedelta(days=25)))
        else:
            reports.append((45, "受雨季影响施工滞后，已调整计划。", today - timedelta(days=20)))
        for percent, note, when in reports:
            _backdate(services.progress_record(project=project, percent=percent, note=note, actor=office), when)
    for project in projects[:3]:
        deputy = ctx.rng.choice(deputies[:PRESENT])
        services.visit_record(
            project=project,
            deputy=deputy,
            visited_on=today - timedelta(days=ctx.rng.randint(3, 15)),
            findings="现场查看施工进度，督促责任单位按节点推进。",
            actor=office,
        )


def _next_year(ctx, office, units, deputies, year):
    cycle = services.cycle_create(year=year, places=10, title=STREET_TITLE.format(year=year), actor=office)
    _pool(ctx, cycle, office, units, deputies, NEXT_YEAR)
    services.candidate_add(
        cycle=cycle,
        actor=None,  # a constituent, through the public form
        title="社区公园增设健身器材",
        description="白沙公园健身器材老化，希望更新并增设适合老年人的器材。",
        proposer_name="吴阿姨",
    )
