"""A street with a known year of work, created through the product's services.

Used by the report tests (whose assertions read the seeded figures back from the
PDFs) and by ``bench/reports.py``. Everything happens in the current year, on days
up to today, because the services refuse future dates.

The area station's year (its own desk plus its community point):
328 person-times over 40 visits, 96 opinions: 79 answered on site, 17 escalated
into suggestions, 33 resolved. Deputy 张建国 leads 5 suggestions: 4 closed, of which
3 rated satisfied (the fourth unsatisfied twice), the fifth replied and awaiting
evaluation; he co-signs one more led by 李秀英.
"""

import datetime
import itertools
from dataclasses import dataclass, field

from django.utils import timezone

from core.roles import Role
from deputies.models import DeputyKind, GroupKind, Level
from duties.models import ActivityKind, AttendanceStatus, GridDutyKind, GridRole
from duties.services.contacts import constituent_link_add, voter_contact_record
from duties.services.grid_duties import activity_create, grid_duty_record
from liaison.models import OpinionCategory
from liaison.services.opinions import opinion_create, opinion_resolve
from suggestions import services as sugg
from tests.builders import deputies as d
from tests.builders import organisation as o
from tests.builders.people import user
from tests.builders.reception import reception_day, visit
from tests.builders.suggestions import handled

STATION_PERSON_TIMES = 328
STATION_VISITS = 40
STATION_OPINIONS = 96
STATION_ANSWERED = 79
STATION_ESCALATED = 17
STATION_RESOLVED = 33

# Escalated opinions whose draft suggestion was submitted (the others stay drafts).
ESCALATED_SUBMITTED = 2

MAIN_LED = 5
MAIN_CLOSED = 4
MAIN_SATISFIED = 3

# The main deputy's voter contacts this year (one more last year does not count) and the people reached.
MAIN_CONTACTS = 11
MAIN_CONTACT_PEOPLE = 6 * 3 + 5 * 1  # three people at the six even-numbered contacts, one at the five others
MAIN_LINKS = 2

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = ["志强", "秀兰", "建华", "丽娟", "海涛", "玉梅", "文博", "春燕", "国栋", "晓红", "德明", "桂芳", "立新", "雪梅"]
CATEGORIES = [c.value for c in OpinionCategory]
TOPICS = [
    "小区加装电梯协调难",
    "背街小巷路灯损坏",
    "老旧小区雨污分流改造",
    "菜市场周边占道经营",
    "社区养老服务中心餐食价格",
    "学校门口上下学交通拥堵",
    "垃圾分类投放点异味",
    "物业服务费公示不透明",
]


def year_dates(count: int, today: datetime.date | None = None) -> list[datetime.date]:
    """``count`` dates spread over 1 January … today of the current year."""
    today = today or timezone.localdate()
    start = datetime.date(today.year, 1, 1)
    span = (today - start).days
    return [start + datetime.timedelta(days=(span * i) // max(count - 1, 1)) for i in range(count)]


@dataclass
class Street:
    year: int
    office: object
    leader: object
    staff: object
    officer: object
    hub: object
    area: object
    point: object
    other_area: object
    unit: object
    grids: list
    deputies: list
    main: object  # the deputy whose suggestions are counted
    main_user: object
    second_user: object
    users_by_deputy: dict = field(default_factory=dict)


def _names():
    for surname, given in itertools.product(SURNAMES, GIVEN):
        yield surname + given


def seed_street(*, deputies: int = 6, full_year: bool = True) -> Street:
    """The organisation, people and the area station's year. ``full_year=False`` skips the visits."""
    today = timezone.localdate()
    year = today.year
    office = user(Role.OFFICE, username="office", last_name="周", first_name="主任")
    leader = user(Role.LEADER, username="leader", last_name="陈", first_name="领导")
    hub = o.hub("幸福街道人大代表之家", address="幸福路1号")
    area = o.area(hub, "东湖片区实践站", address="东湖路18号")
    point = o.point(area, "桂园社区实践点", address="桂园小区3栋")
    other_area = o.area(hub, "西城片区实践站", address="西城大道6号")
    staff = user(Role.STATION_STAFF, username="staff", stations=[area])
    unit = o.handling_unit("区住房和城乡建设局", actor=office)
    officer = user(Role.UNIT_OFFICER, username="officer", unit=unit)
    centre = o.centre(o.community(point, "桂园社区"), "桂园第一网格中心")
    grids = [o.grid(centre, f"第{i + 1}网格", f"GY{i + 1:03d}") for i in range(3)]

    names = _names()
    township = d.term(Level.TOWNSHIP, congress="幸福街道第五届人民代表大会", start_year=year - 2)
    main = d.deputy(
        "张建国",
        gender="male",
        birth_year=1972,
        party="中共党员",
        occupation="桂园社区党委书记",
        terms=[d.term(Level.COUNTY, start_year=year - 2), township],
    )
    second = d.deputy("李秀英", gender="female", terms=[township])
    people = [main, second]
    for _ in range(max(deputies - 2, 0)):
        people.append(d.deputy(next(names), terms=[township]))
    people.append(d.deputy("议政代表" + next(names)[:2], kind=DeputyKind.DELIBERATION))
    d.group("东湖片区代表小组", GroupKind.AREA, leader=main, members=people[:4])
    start = datetime.date(year, 1, 1)
    d.assign(grids[0], main, start_date=start, role=GridRole.LEADER)
    d.assign(grids[1], second, start_date=start, role=GridRole.LEADER)
    for i, person in enumerate(people[2:]):
        d.assign(grids[i % 3], person, start_date=start)
    o.residents(area, [main, second])
    main_user = user(Role.DEPUTY, username="zhangjianguo", deputy=main)
    second_user = user(Role.DEPUTY, username="lixiuying", deputy=second)
    street = Street(
        year=year,
        office=office,
        leader=leader,
        staff=staff,
        officer=officer,
        hub=hub,
        area=area,
        point=point,
        other_area=other_area,
        unit=unit,
        grids=grids,
        deputies=people,
        main=main,
        main_user=main_user,
        second_user=second_user,
        users_by_deputy={main.id: main_user, second.id: second_user},
    )
    if full_year:
        seed_station_year(street)
        seed_duties_and_activities(street)
        seed_voter_contacts(street)
        seed_suggestions(street)
    return street


def seed_station_year(street: Street) -> None:
    """40 visits at the area station and its point: 328 person-times, 96 opinions (79 + 17), 33 resolved."""
    office, main, second = street.office, street.main, street.deputies[1]
    dates = year_dates(STATION_VISITS)
    # 8 visits of 9 people and 32 of 8: 72 + 256 = 328 person-times.
    headcounts = [9] * 8 + [8] * 32
    # 96 opinions over 40 visits: 16 visits with 3, 24 with 2.
    per_visit = [3] * 16 + [2] * 24
    for day in sorted(set(dates)):
        reception_day(street.area, day, actor=office, deputies=[main])
    opinions = []
    for i, (day, headcount, n) in enumerate(zip(dates, headcounts, per_visit, strict=True)):
        batch = []
        for k in range(n):
            # The first 79 are answered on site; the last 17 wait and are escalated below.
            answered = len(opinions) + k < STATION_ANSWERED
            topic = TOPICS[(i + k) % len(TOPICS)]
            data = {
                "category": CATEGORIES[(i + k) % len(CATEGORIES)],
                "content": f"{topic}（第{i + 1}次接待）",
                "grid": street.grids[(i + k) % 3],
            }
            if answered:
                data["outcome"] = "answered_on_site"
                data["outcome_note"] = "已现场解释政策并答复。"
            batch.append(data)
        recorded = visit(
            street.area if i % 4 else street.point,
            day,
            actor=office,
            channel="at_station" if i % 4 else "home_visit",
            headcount=headcount,
            deputies=[main] if i % 2 == 0 else [main, second],
            grid=street.grids[i % 3] if i % 4 == 0 else None,
            constituents=[{"name": "王阿姨", "phone": "13812345678"}] if i == 0 else [],
            opinions=batch,
        )
        opinions.extend(recorded.opinions.order_by("id"))
    assert len(opinions) == STATION_OPINIONS
    pending = [o for o in opinions if not o.outcome]
    assert len(pending) == STATION_ESCALATED
    # 形成意见建议: each waiting opinion becomes a draft suggestion of 李秀英; she submits the first two.
    for index, opinion in enumerate(pending):
        draft = sugg.suggestion_create_from_opinion(opinion=opinion, deputy=second, actor=office)
        if index < ESCALATED_SUBMITTED:
            sugg.suggestion_submit(suggestion=draft, actor=street.second_user)
    for opinion in opinions[:STATION_RESOLVED]:
        opinion_resolve(opinion=opinion, actor=office, note="问题已协调解决并回访群众。")
    # Elsewhere in the street, so the street totals differ from the station's.
    visit(
        street.other_area,
        dates[-1],
        actor=office,
        channel="at_station",
        headcount=5,
        opinions=[{"category": "traffic", "content": "公交站台缺少遮雨棚", "outcome": "filed"}],
    )
    opinion_create(actor=office, station=street.other_area, data={"category": "other", "content": "建议增设社区图书角"})


def seed_duties_and_activities(street: Street) -> None:
    """The main deputy patrols every month so far, meets in every other month, researches once, no 述职 yet."""
    office, main = street.office, street.main
    today = timezone.localdate()
    for month in range(1, today.month + 1):
        day = datetime.date(today.year, month, min(10, today.day if month == today.month else 10))
        grid_duty_record(deputy=main, grid=street.grids[0], kind=GridDutyKind.PATROL, date=day, actor=office)
        if month % 2 == 1:
            grid_duty_record(deputy=main, grid=street.grids[0], kind=GridDutyKind.GRID_MEETING, date=day, actor=office)
    grid_duty_record(
        deputy=main,
        grid=street.grids[0],
        kind=GridDutyKind.RESEARCH,
        date=datetime.date(today.year, 1, 1),
        actor=office,
    )
    dates = year_dates(3)
    for i, (kind, title) in enumerate(
        [
            (ActivityKind.INSPECTION, "视察老旧小区改造工程"),
            (ActivityKind.STATION_INQUIRY, "站点问政：停车难问题"),
            (ActivityKind.TRAINING, "代表履职能力培训"),
        ]
    ):
        attendance = {d.id: AttendanceStatus.PRESENT for d in street.deputies[:3]}
        if i == 2:
            attendance[street.main.id] = AttendanceStatus.EXCUSED
        activity_create(station=street.area, kind=kind, title=title, date=dates[i], actor=office, attendance=attendance)


def seed_voter_contacts(street: Street) -> None:
    """The main deputy links two constituents and contacts voters eleven times this year, once last year."""
    main, user = street.main, street.main_user
    links = [
        constituent_link_add(deputy=main, name="林阿姨", phone="13912345678", actor=user),
        constituent_link_add(deputy=main, name="周伯伯", phone="13687654321", actor=user),
    ]
    ways = ["phone", "home_visit", "wechat", "meeting", "in_person"]
    for i, day in enumerate(year_dates(MAIN_CONTACTS)):
        voter_contact_record(
            deputy=main,
            date=day,
            way=ways[i % len(ways)],
            subject=f"回访{TOPICS[i % len(TOPICS)]}",
            people=3 if i % 2 == 0 else 1,
            constituent=links[i % 2] if ways[i % len(ways)] != "meeting" else None,
            actor=user,
        )
    last_year = datetime.date(street.year - 1, 6, 1)
    voter_contact_record(deputy=main, date=last_year, way="phone", subject="去年的回访", actor=street.office)


def seed_suggestions(street: Street) -> None:
    """5 led by the main deputy (4 closed, 3 satisfied), 1 led by the second deputy and co-signed by the main one."""
    user = street.main_user
    titles = [
        "关于加快桂园小区加装电梯的建议",
        "关于改善东湖路夜间照明的建议",
        "关于增设社区养老助餐点的建议",
        "关于规范菜市场周边经营秩序的建议",
        "关于缓解学校门口交通拥堵的建议",
    ]
    # (first rating, rating after re-handling): the fourth is unsatisfied twice, so closed as unsatisfied;
    # the fifth is replied and awaits its evaluation.
    ratings = [("satisfied", None)] * 3 + [("unsatisfied", "unsatisfied"), (None, None)]
    for title, (first, second) in zip(titles, ratings, strict=True):
        handled(
            street,
            deputy_user=user,
            unit=street.unit,
            officer=street.officer,
            title=title,
            content=title + "。具体情况如下……",
            category="urban_construction",
            reply_content="已列入计划并组织实施。",
            contacted=True,
            first_rating=first,
            second_rating=second,
            second_reply_class="B",
            second_reply_content="重新办理答复。",
            second_contacted=True,
        )
    other = sugg.suggestion_create(
        actor=street.second_user,
        title="关于完善社区垃圾分类设施的建议",
        content="垃圾分类投放点设置不合理。",
        category="environment",
        cosigners=[street.main],
    )
    sugg.suggestion_cosign(suggestion=other, actor=user, accept=True)
    sugg.suggestion_submit(suggestion=other, actor=street.second_user)
