"""Suggestions (提、交、办、督、评) in every state, made through the suggestion services.

Each scripted suggestion is played step by step by the people who would take each step (the demo
deputy and two colleagues, the office, three unit officers, the leader). Between steps the record
is moved back in time (``_age``) so that the timeline spans weeks and months the way real handling
does; deadlines are computed by the services on the day of each step and move back with it, so an
item left long enough without a reply really is overdue, and a reply given after its deadline
really is late. Idempotent: a suggestion whose title exists is left alone, accounts are looked up
by username.
"""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create
from core.roles import Role
from demo.builders.base import DemoContext
from demo.builders.organisation import FEATURED_DEPUTY
from demo.builders.units import FEATURED_UNIT
from deputies.models import Deputy, DeputyKind
from notifications.models import Notification
from organisation.models import HandlingUnit
from suggestions import deadlines, services
from suggestions.models import (
    Assignment,
    Contact,
    CoUnitOpinion,
    Evaluation,
    Extension,
    FollowUp,
    Reply,
    ReturnRequest,
    State,
    Suggestion,
    SuggestionEvent,
    SupervisionNote,
)

TRAFFIC = "蓬江区交通运输局"
URBAN = "蓬江区城市管理和综合执法局"
STREET = "白沙街道办事处"

# Extra demo accounts this builder needs (the README's list has the main ones).
OFFICERS = [
    ("demo_unit_traffic", "Jiaotong-Banli-Gongjiao", TRAFFIC, "陈", "志明"),
    ("demo_unit_urban", "Chengguan-Banli-Xiangmo", URBAN, "黄", "丽娟"),
    ("demo_unit_street", "Jiedao-Banshichu-Baisha", STREET, "余", "嘉欣"),
]
COLLEAGUES = [("demo_deputy_b", "Fuyi-Daibiao-Baisha"), ("demo_deputy_c", "Lianming-Jianyi-Jiangmen")]

# Each script: title, category, content, lead ("me" = the demo deputy, "b", "c"), co-signers, steps.
# Steps: ("wait", days) moves everything so far that many days back.
SCRIPTS = [
    (
        "关于在侨苑社区增设长者饭堂的建议",
        "elderly_care",
        "侨苑社区60岁以上老人占比近三成，独居老人就餐不便，建议依托社区党群服务中心增设长者饭堂，提供助餐服务。",
        "me",
        ["b"],
        [("cosign", "b", True)],
    ),
    (
        "关于规范白沙市场周边占道经营的建议",
        "urban_construction",
        "白沙农副产品市场周边早晚占道经营严重，影响通行和环境卫生，建议划定临时疏导点并加强巡查。",
        "me",
        ["c"],
        [],  # waiting for the co-signer
    ),
    (
        "关于增开美景社区至江门站公交线路的建议",
        "traffic",
        "美景社区居民前往江门站需换乘两次，建议增开直达公交线路或调整现有线路走向。",
        "b",
        [],
        [("submit",), ("wait", 2)],
    ),
    (
        "关于整治甘化路沿线噪音扰民的建议",
        "environment",
        "甘化路沿线夜间货车通行噪音大，附近居民反映强烈，建议限定货车通行时段并设置降噪设施。",
        "me",
        [],
        [("submit",), ("wait", 12)],  # assignment overdue
    ),
    (
        "关于我家邻居违章搭建的投诉",
        "other",
        "邻居在楼顶违章搭建，影响我家采光，希望有关部门处理。",
        "c",
        [],
        [
            ("submit",),
            ("wait", 3),
            ("return", "属个人具体诉求，建议通过12345热线或街道信访渠道反映，不作为代表建议办理。"),
        ],
    ),
    (
        "关于撤回增设临时停车位的建议",
        "traffic",
        "江华社区周边临时停车位不足。",
        "me",
        [],
        [("submit",), ("wait", 4), ("withdraw", "经与社区沟通，该问题已通过共享车位方式解决，申请撤回。")],
    ),
    (
        "关于加装范罗岗老旧小区电梯的建议",
        "urban_construction",
        "范罗岗片区多个老旧小区为六层无电梯住宅，老人上下楼困难，建议统筹推进加装电梯并给予资金补助。",
        "me",
        ["b", "c"],
        [
            ("cosign", "b", True),
            ("cosign", "c", True),
            ("submit",),
            ("wait", 3),
            ("assign", FEATURED_UNIT, [STREET], True),
            ("wait", 2),
        ],
    ),
    (
        "关于修复良化南社区破损路面的建议",
        "urban_construction",
        "良化南社区主干道路面多处破损积水，雨天出行困难，建议尽快修复。",
        "b",
        [],
        [("submit",), ("wait", 2), ("assign", FEATURED_UNIT, [], False), ("wait", 1), ("ack",), ("wait", 100)],
    ),
    (
        "关于完善白沙小学周边交通安全设施的建议",
        "traffic",
        "白沙小学上下学高峰人车混行，建议增设护学岗、减速带和人行横道信号灯。",
        "me",
        ["b"],
        [
            ("cosign", "b", True),
            ("submit",),
            ("wait", 3),
            ("assign", TRAFFIC, [FEATURED_UNIT], True),
            ("wait", 2),
            ("ack_as", TRAFFIC),
            ("wait", 10),
            ("co_opinion", FEATURED_UNIT, "同意在学校路口增设人行横道，相关施工由我局配合。"),
            ("wait", 60),
            ("supervise", "leader", "学生上下学安全无小事，请交通运输局加快办理并按期答复。", True),
            ("wait", 40),
        ],  # in progress, overdue, under key supervision
    ),
    (
        "关于兴盛社区背街小巷环境整治的建议",
        "environment",
        "兴盛社区背街小巷存在垃圾堆放、飞线充电等问题，建议开展集中整治。",
        "c",
        [],
        [
            ("submit",),
            ("wait", 2),
            ("assign", URBAN, [], False),
            ("wait", 1),
            ("ack_as", URBAN),
            ("wait", 5),
            ("extend_as", URBAN, 60, "涉及多个部门联合执法，需协调供电、消防等单位，申请延期。"),
            ("wait", 2),
        ],  # an extension waiting for the office
    ),
    (
        "关于设立社区心理咨询室的建议",
        "medical",
        "部分青少年存在心理健康问题，建议在社区党群服务中心设立心理咨询室，定期开展心理辅导。",
        "b",
        [],
        [
            ("submit",),
            ("wait", 2),
            ("assign", URBAN, [], False),
            ("wait", 1),
            ("request_return_as", URBAN, "该事项属卫生健康和教育部门职责，不属于城市管理范畴，申请退回重新交办。"),
        ],  # a return request waiting for the office
    ),
    (
        "关于江华社区积水点改造的建议",
        "urban_construction",
        "江华社区江华路段每逢大雨即积水，建议改造排水管网。",
        "me",
        [],
        [
            ("submit",),
            ("wait", 3),
            ("assign", FEATURED_UNIT, [URBAN], False),
            ("wait", 2),
            ("ack",),
            ("wait", 20),
            ("contact", "meeting", "到现场与代表共同查看积水点"),
            ("wait", 30),
            ("reply", "B", "已将江华路排水管网改造列入明年市政计划，汛期前先行疏通管道并增设临时抽水设备。"),
            ("wait", 3),
        ],  # replied, waiting for the deputy's evaluation
    ),
    (
        "关于优化社区卫生服务站开放时间的建议",
        "medical",
        "社区卫生服务站周末不开放，上班族看病不便，建议周末安排值班。",
        "me",
        [],
        [
            ("submit",),
            ("wait", 2),
            ("assign", FEATURED_UNIT, [], False),
            ("wait", 1),
            ("ack",),
            ("wait", 25),
            ("reply", "D", "经研究，该事项不属于本局职责，已转卫生健康部门参考。"),
            ("wait", 5),
            ("evaluate", "unsatisfied", "答复未回应实际问题，未与代表沟通。"),
            ("wait", 6),
        ],  # re-handling: a second reply is due within a month
    ),
    (
        "关于路灯照明不足的建议",
        "safety",
        "侨苑路段路灯间距大、照度不足，夜间行人安全存在隐患，建议加密路灯。",
        "b",
        [],
        [
            ("submit",),
            ("wait", 2),
            ("assign", URBAN, [], False),
            ("wait", 1),
            ("ack_as", URBAN),
            ("wait", 15),
            ("contact_as", URBAN, "phone", "电话告知代表处理进度"),
            ("reply_as", URBAN, "A", "已在侨苑路段新增路灯12盏，并对原有路灯进行检修，照度已达标。"),
            ("wait", 5),
            ("evaluate_as", "b", "satisfied", "办理及时，效果明显。"),
            ("wait", 10),
        ],  # closed, A, satisfied
    ),
    (
        "关于推进垃圾分类投放点建设的建议",
        "environment",
        "部分小区垃圾分类投放点设置不合理，建议优化布局并配备督导员。",
        "me",
        ["c"],
        [
            ("cosign", "c", True),
            ("submit",),
            ("wait", 3),
            ("assign", URBAN, [STREET], False),
            ("wait", 1),
            ("ack_as", URBAN),
            ("wait", 40),
            ("co_opinion", STREET, "街道将配合做好投放点选址和督导员招募。"),
            ("wait", 20),
            ("reply_as", URBAN, "B", "已完成首批10个小区投放点改造，其余小区列入明年计划分批推进。", True),
            ("wait", 4),
            ("evaluate", "basically_satisfied", "希望加快推进。"),
            ("wait", 30),
            ("follow_up_as", URBAN, "第二批8个小区投放点已完成选址，预计下季度建成。", False),
            ("wait", 5),
        ],  # closed with a B reply, follow-up continuing
    ),
    (
        "关于建设社区口袋公园的建议",
        "urban_construction",
        "美景社区缺少休闲活动场地，建议利用闲置地块建设口袋公园。",
        "c",
        [],
        [
            ("submit",),
            ("wait", 2),
            ("assign", FEATURED_UNIT, [], False),
            ("wait", 2),
            ("ack",),
            ("wait", 110),  # past three months: this reply comes late
            ("reply", "C", "闲置地块权属尚未理顺，待土地整备完成后再行规划建设。"),
            ("wait", 5),
            ("evaluate_as", "c", "unsatisfied", "答复过于笼统。"),
            ("wait", 2),
            ("contact", "meeting", "约见代表当面说明地块情况"),
            ("wait", 20),
            ("reply", "C", "已与自然资源部门联合摸查，计划明年完成地块收储后启动建设，建设期间先行设置临时休闲设施。"),
            ("wait", 3),
            ("evaluate_as", "c", "basically_satisfied", "请继续跟进。"),
            ("wait", 4),
        ],  # closed after re-handling, C reply
    ),
    (
        "关于优化营商环境减少重复检查的建议",
        "business",
        "辖区小微企业反映多部门重复检查，建议推行联合检查和信用分级监管。",
        "me",
        [],
        [
            ("submit",),
            ("wait", 3),
            ("assign", STREET, [], False),
            ("wait", 1),
            ("ack_as", STREET),
            ("wait", 30),
            ("reply_as", STREET, "A", "街道已牵头建立联合检查机制，同一企业同一事项一年内原则上只检查一次。", True),
            ("wait", 4),
            ("evaluate", "satisfied", ""),
            ("wait", 2),
            ("supervise", "office", "纳入年度优秀建议候选。", None),
        ],
    ),
]


def build(ctx: DemoContext) -> None:
    people = _people()
    made = 0
    for title, category, content, lead, cosigners, steps in SCRIPTS:
        if Suggestion.objects.filter(title=title).exists():
            continue
        _play(people, title, category, content, lead, cosigners, steps)
        made += 1
    ctx.log(f"{len(SCRIPTS)} scripted suggestions ({made} new), in every state")


def _account(username, password, role, last_name, first_name, **links) -> User:
    user = User.objects.filter(username=username).first()
    if user:
        return user
    return user_create(
        username=username, password=password, role=role, last_name=last_name, first_name=first_name, **links
    )


def _people() -> dict:
    """The demo deputy, two colleague deputies, the office, the leader and an officer per unit used."""
    me = Deputy.objects.get(name=FEATURED_DEPUTY["name"], phone=FEATURED_DEPUTY["phone"])
    colleagues = list(
        Deputy.objects.filter(kind=DeputyKind.CONGRESS, is_active=True).exclude(pk=me.pk).order_by("id")[:2]
    )
    people = {
        "me": User.objects.get(username="demo_deputy"),
        "office": User.objects.get(username="demo_office"),
        "leader": User.objects.get(username="demo_leader"),
        FEATURED_UNIT: User.objects.get(username="demo_unit"),
    }
    for (username, password), deputy, key in zip(COLLEAGUES, colleagues, ("b", "c"), strict=True):
        existing = User.objects.filter(deputy=deputy).first()
        people[key] = existing or _account(
            username, password, Role.DEPUTY, deputy.name[:1], deputy.name[1:], deputy=deputy
        )
    for username, password, unit_name, last_name, first_name in OFFICERS:
        unit = HandlingUnit.objects.get(name=unit_name)
        people[unit_name] = _account(username, password, Role.UNIT_OFFICER, last_name, first_name, unit=unit)
    return people


def _play(people, title, category, content, lead, cosigners, steps) -> None:
    deputy_user = people[lead]
    suggestion = services.suggestion_create(
        actor=deputy_user,
        title=title,
        content=content,
        category=category,
        cosigners=[people[key].deputy for key in cosigners],
    )
    lead_officer = None
    for step in steps:
        kind, *args = step
        s = Suggestion.objects.get(pk=suggestion.pk)
        if kind == "wait":
            _age(s, args[0])
        elif kind == "cosign":
            services.suggestion_cosign(suggestion=s, actor=people[args[0]], accept=args[1])
        elif kind == "submit":
            services.suggestion_submit(suggestion=s, actor=deputy_user)
        elif kind == "return":
            services.suggestion_return(suggestion=s, actor=people["office"], reason=args[0])
        elif kind == "withdraw":
            services.suggestion_withdraw(suggestion=s, actor=deputy_user, reason=args[0])
        elif kind == "assign":
            unit_name, co_names, is_complex = args
            lead_officer = people[unit_name]
            services.suggestion_assign(
                suggestion=s,
                actor=people["office"],
                lead_unit=HandlingUnit.objects.get(name=unit_name),
                co_units=[HandlingUnit.objects.get(name=name) for name in co_names],
                complex=is_complex,
            )
        elif kind in ("ack", "ack_as"):
            services.suggestion_acknowledge(suggestion=s, actor=lead_officer)
        elif kind == "co_opinion":
            services.suggestion_co_unit_opinion(suggestion=s, actor=people[args[0]], content=args[1])
        elif kind == "contact":
            services.suggestion_record_contact(suggestion=s, actor=lead_officer, method=args[0], note=args[1])
        elif kind == "contact_as":
            services.suggestion_record_contact(suggestion=s, actor=people[args[0]], method=args[1], note=args[2])
        elif kind == "reply":
            services.suggestion_reply(suggestion=s, actor=lead_officer, reply_class=args[0], content=args[1])
        elif kind == "reply_as":
            contacted = args[3] if len(args) > 3 else None
            services.suggestion_reply(
                suggestion=s, actor=people[args[0]], reply_class=args[1], content=args[2], contacted=contacted
            )
        elif kind == "evaluate":
            services.suggestion_evaluate(suggestion=s, actor=deputy_user, rating=args[0], comment=args[1])
        elif kind == "evaluate_as":
            services.suggestion_evaluate(suggestion=s, actor=people[args[0]], rating=args[1], comment=args[2])
        elif kind == "extend_as":
            services.suggestion_extend(
                suggestion=s, actor=people[args[0]], new_due=s.reply_due + timedelta(days=args[1]), reason=args[2]
            )
        elif kind == "request_return_as":
            services.suggestion_request_return(suggestion=s, actor=people[args[0]], reason=args[1])
        elif kind == "supervise":
            services.suggestion_supervise(suggestion=s, actor=people[args[0]], note=args[1], key_supervision=args[2])
        elif kind == "follow_up_as":
            services.suggestion_follow_up(suggestion=s, actor=people[args[0]], content=args[1], solved=args[2])
        else:  # pragma: no cover - a typo in the scripts above
            raise ValueError(f"unknown demo step {kind!r}")
    _recompute_working_day_deadlines(Suggestion.objects.get(pk=suggestion.pk))
    # The replay's notices were written today with today's deadlines, for steps the history above
    # moved months back: they would tell people to act on things long done. The reminder sweeps
    # (demo.builders.reminders) tell them what is really due.
    Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(Suggestion), target_id=suggestion.pk
    ).delete()


# Every date and time column of a suggestion's record, by model (the suggestion itself first).
_DATED = [
    (
        Suggestion,
        "pk",
        [
            "created_at",
            "submitted_at",
            "assign_due",
            "assign_counted_from",
            "assigned_on",
            "reply_due",
            "return_request_due",
            "first_replied_on",
            "closed_at",
            "withdrawn_at",
            "follow_up_solved_on",
        ],
    ),
    (Assignment, "suggestion", ["assigned_on", "opinion_due", "ended_at"]),
    (CoUnitOpinion, "suggestion", ["submitted_at"]),
    (Contact, "suggestion", ["contacted_on", "recorded_at"]),
    (Reply, "suggestion", ["replied_at", "replied_on", "due_on"]),
    (Evaluation, "suggestion", ["evaluated_at"]),
    (Extension, "suggestion", ["previous_due", "new_due", "requested_at", "decided_at"]),
    (ReturnRequest, "suggestion", ["requested_at", "decided_at"]),
    (SupervisionNote, "suggestion", ["created_at"]),
    (FollowUp, "suggestion", ["recorded_at"]),
    (SuggestionEvent, "suggestion", ["at"]),
]


def _age(suggestion: Suggestion, days: int) -> None:
    """Move everything recorded so far ``days`` days back, as if that much time had passed since.

    Demo data only: this rewrites timestamps (including the timeline's) with bulk updates, which
    no part of the product ever does.
    """
    delta = timedelta(days=days)
    for model, link, fields in _DATED:
        rows = list(model.objects.filter(**{link: suggestion.pk}).only("pk", *fields))
        for row in rows:
            for name in fields:
                value = getattr(row, name)
                if value is not None:
                    setattr(row, name, value - delta)
        model.objects.bulk_update(rows, fields)
    # The timeline's details quote deadlines as ISO dates: move them too.
    events = list(SuggestionEvent.objects.filter(suggestion=suggestion.pk))
    for event in events:
        for key in ("assign_due", "reply_due", "new_due", "contacted_on"):
            if event.data.get(key):
                event.data[key] = (date.fromisoformat(event.data[key]) - delta).isoformat()
    SuggestionEvent.objects.bulk_update(events, ["data"])


def _recompute_working_day_deadlines(suggestion: Suggestion) -> None:
    """Working-day deadlines do not move by calendar days: recompute them from the moved dates."""
    submits = list(suggestion.events.filter(action__in=["submit", "resubmit"]).order_by("at", "id"))
    counted = None
    for event in submits:
        counted = deadlines.assignment_due(timezone.localtime(event.at).date())
        event.data["assign_due"] = counted.due.isoformat()
        event.data.pop("provisional", None)
        if counted.provisional:
            event.data["provisional"] = True
    SuggestionEvent.objects.bulk_update(submits, ["data"])
    changes = {}
    if suggestion.state == State.SUBMITTED and counted is not None:
        changes["assign_counted_from"] = timezone.localtime(submits[-1].at).date()
        changes["assign_due"], changes["assign_due_provisional"] = counted
    if suggestion.assigned_on:
        changes["return_request_due"], changes["return_request_due_provisional"] = deadlines.return_request_due(
            suggestion.assigned_on
        )
    if changes:
        Suggestion.objects.filter(pk=suggestion.pk).update(**changes)
