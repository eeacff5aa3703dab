"""The suggestion-handling ledger's columns, its drop-down words, the plan of one row and the names it matches."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import translation

from deputies.models import Deputy
from deputies.selectors import deputies_visible_to
from imports.models import ImportedRecord, LedgerKind
from imports.reading import Column, LedgerRow
from organisation.desk import desk_stations
from organisation.models import HandlingUnit
from suggestions.models import Category, ContactMethod, Rating, ReplyClass

KIND = LedgerKind.SUGGESTIONS
MAX_TITLE = 200
MAX_CONTENT = 20_000
MAX_REPLY = 20_000
CHUNK = 500
# Words ledgers use for a choice besides its label.
SYNONYMS = {
    Rating.SATISFIED: ("非常满意", "很满意"),
    Rating.BASICALLY_SATISFIED: ("较满意", "比较满意"),
    Rating.UNSATISFIED: ("不太满意",),
    ContactMethod.MEETING: ("见面", "面商", "当面", "座谈", "走访"),
    ContactMethod.PHONE: ("电话", "电联", "电话联系"),
}


def choice_labels(choices) -> dict[str, str]:
    """value → Chinese label, as the template's drop-downs offer them."""
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in choices}


# The steps of a row after submission, in the order they happen: (date field, what the step needs).
STEP_DATES = ("assigned", "contact", "reply", "rated", "reply2", "rated2")


def columns() -> list[Column]:
    categories = choice_labels(Category.choices)
    classes = choice_labels(ReplyClass.choices)
    ratings = choice_labels(Rating.choices)
    methods = choice_labels(ContactMethod.choices)
    return [
        Column(
            "number",
            "建议编号",
            ("编号", "建议号", "案号", "建议案号", "序号"),
            required=True,
            help="本年度建议的编号；与联络站、提交年份一起识别同一件建议，再次导入时据此更新",
        ),
        Column(
            "title",
            "建议标题",
            ("标题", "案由", "建议题目", "题目", "建议名称"),
            required=True,
            width=30,
            help="至多 200 字",
        ),
        Column(
            "content",
            "建议内容",
            ("内容", "主要内容", "建议正文", "正文"),
            width=40,
            help="可不填，不填时以标题为内容",
        ),
        Column(
            "lead_deputy",
            "领衔代表",
            ("领衔人", "提出代表", "提出人", "代表", "领衔代表姓名"),
            required=True,
            help="代表姓名，与系统中的一致",
        ),
        Column(
            "cosigners",
            "附议代表",
            ("联名代表", "附议人", "联名人", "附议代表姓名"),
            kind="names",
            width=20,
            help="可不填；多人用顿号分隔",
        ),
        Column(
            "station",
            "联络站",
            ("站点", "所属联络站", "联络站名称"),
            width=20,
            help="可不填：领衔代表只在一个联络站进站时即为该站",
        ),
        Column(
            "category",
            "建议类别",
            ("类别", "分类", "建议分类", "问题类别"),
            kind="choice",
            choices=tuple(categories.values()),
            help="不填为“其他”",
        ),
        Column(
            "submitted",
            "提交日期",
            ("提出日期", "提交时间", "提出时间", "提交"),
            required=True,
            kind="date",
            help="如 2025-03-05、2025.3.5 或 2025年3月5日；交办期限从这天按工作日计算",
        ),
        Column(
            "assigned",
            "交办日期",
            ("交办时间", "交办"),
            kind="date",
            help="尚未交办的留空；答复期限从这天起算",
        ),
        Column(
            "lead_unit",
            "主办单位",
            ("承办单位", "主办", "主办部门", "承办部门"),
            width=20,
            help="填写了交办日期时必填，与系统中的单位名称一致",
        ),
        Column("co_units", "协办单位", ("会办单位", "协办", "协办部门"), kind="names", width=20, help="多个用顿号分隔"),
        Column(
            "contact",
            "沟通联系日期",
            ("沟通联系", "沟通日期", "见面沟通日期", "联系日期", "沟通时间"),
            kind="date",
            help="主办单位答复前与代表见面或电话沟通的日期，没有的留空",
        ),
        Column(
            "contact_method",
            "沟通方式",
            ("联系方式", "沟通形式"),
            kind="choice",
            choices=tuple(methods.values()),
            help="不填为“见面沟通”",
        ),
        Column("reply", "答复日期", ("答复时间", "办复日期", "首次答复日期"), kind="date", help="尚未答复的留空"),
        Column(
            "reply_class",
            "答复类别",
            ("办理结果类别", "答复分类", "办理类别", "类别(A/B/C/D)"),
            kind="choice",
            choices=tuple(classes.values()),
            help="A、B、C、D 或其全称；填写了答复日期时必填",
        ),
        Column(
            "reply_content",
            "答复内容",
            ("答复意见", "答复情况", "办理情况", "办理结果"),
            width=40,
            help="填写了答复日期时必填",
        ),
        Column(
            "rating",
            "代表评价",
            ("评价", "满意度", "评价结果", "评价意见", "初次评价"),
            kind="choice",
            choices=tuple(ratings.values()),
            help="满意、基本满意或不满意；不满意时建议进入再办理",
        ),
        Column("rated", "评价日期", ("评价时间",), kind="date", help="不填为答复日期"),
        Column(
            "reply2",
            "再次答复日期",
            ("再办理答复日期", "二次答复日期", "再次答复时间"),
            kind="date",
            help="初次评价不满意、再办理后的答复日期",
        ),
        Column(
            "reply2_class",
            "再次答复类别",
            ("二次答复类别", "再办理答复类别"),
            kind="choice",
            choices=tuple(classes.values()),
        ),
        Column("reply2_content", "再次答复内容", ("二次答复内容", "再办理答复内容", "再办理情况"), width=40),
        Column(
            "rating2",
            "再次评价",
            ("二次评价", "再办理评价", "最终评价"),
            kind="choice",
            choices=tuple(ratings.values()),
        ),
        Column("rated2", "再次评价日期", ("二次评价日期", "再办理评价日期"), kind="date", help="不填为再次答复日期"),
    ]


@dataclass
class Plan:
    """What one ledger row will do: its key, its values (ids), and the suggestion it updates, if any.

    ``steps`` are the step dates (``STEP_DATES``) still to be recorded on an existing suggestion;
    ``texts`` whether its title, content, category or reply texts change."""

    row: LedgerRow
    key: str
    fingerprint: str
    values: dict
    action: str = "create"  # create | update | unchanged
    record: ImportedRecord | None = None
    steps: tuple = ()


@dataclass
class Lookups:
    """Every name the rows may use, read once."""

    stations: dict = field(default_factory=dict)  # name → station id (the actor's desk)
    deputies: dict = field(default_factory=lambda: defaultdict(list))  # name → [(id, is_active)]
    visible: set | None = None  # ids of deputies the actor may back-record for (None: all)
    residence: dict = field(default_factory=lambda: defaultdict(set))  # deputy id → resident station ids
    units: dict = field(default_factory=lambda: defaultdict(list))  # name → [(id, is_active)]

    @classmethod
    def load(cls, actor) -> "Lookups":
        lookups = cls()
        lookups.stations = dict(desk_stations(actor).values_list("name", "id"))
        for deputy_id, name, active in Deputy.objects.values_list("id", "name", "is_active"):
            lookups.deputies[name].append((deputy_id, active))
        if not actor.sees_everything:
            lookups.visible = set(deputies_visible_to(actor).order_by().values_list("id", flat=True))
        through = Deputy.resident_stations.through
        desk = set(lookups.stations.values())
        for deputy_id, station_id in through.objects.values_list("deputy_id", "station_id"):
            if station_id in desk:
                lookups.residence[deputy_id].add(station_id)
        for unit_id, name, active in HandlingUnit.objects.values_list("id", "name", "is_active"):
            lookups.units[name].append((unit_id, active))
        return lookups


def template_lists(actor) -> dict[str, list[str]]:
    """The template's drop-downs beyond the fixed choices: the actor's stations and the active units."""
    return {
        "station": list(desk_stations(actor).order_by("name").values_list("name", flat=True)),
        "lead_unit": list(HandlingUnit.objects.filter(is_active=True).order_by("name").values_list("name", flat=True)),
    }
