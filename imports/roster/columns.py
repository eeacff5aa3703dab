"""The deputies roster's columns, its drop-down words, the plan of one deputy and the names it may use."""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from deputies.models import Deputy, DeputyGroup, DeputyKind, Gender, Level, Term
from duties.models import GridAssignment, GridMode, GridRole
from imports.models import ImportedRecord, LedgerKind
from imports.names import choice_labels, grids_by_name, station_subtrees
from imports.reading import Column, LedgerRow, text_of
from organisation.models import Station

KIND = LedgerKind.DEPUTIES
CHUNK = 500
YES, NO = "是", "否"
# Words rosters use for a choice besides its label.
SYNONYMS = {
    DeputyKind.CONGRESS: ("人大", "人大代表"),
    DeputyKind.DELIBERATION: ("议政", "议事代表"),
    Level.NATIONAL: ("全国", "全国人大", "全国人大代表", "国家级"),
    Level.PROVINCIAL: ("省", "省人大", "省人大代表"),
    Level.MUNICIPAL: ("市", "市人大", "市人大代表"),
    Level.COUNTY: ("区", "县", "区级", "县级", "区人大", "县人大", "区人大代表", "县人大代表"),
    Level.TOWNSHIP: ("街道", "乡镇", "乡", "镇", "街道级", "乡镇级", "街道人大代表", "乡镇人大代表"),
    GridRole.LEADER: ("网格负责人", "组长"),
    GridRole.MEMBER: ("成员", "网格成员", "网格联系人"),
    Gender.MALE: ("男性",),
    Gender.FEMALE: ("女性",),
    YES: ("Y", "y", "√", "✓", "常委", "常委会组成人员"),
    NO: ("N", "n", "×", "无", ""),
}


def choose(value, mapping: dict[str, str]) -> str:
    """A drop-down value from its Chinese label, its code or a word rosters use; ``ValueError`` otherwise."""
    text = text_of(value)
    for code, label in mapping.items():
        if text in (label, code) or text in SYNONYMS.get(code, ()):
            return code
    close = [code for code, label in mapping.items() if text and (label in text or text in label)]
    if len(close) == 1:
        return close[0]
    raise ValueError(_("Choose one of: %(options)s.") % {"options": "、".join(mapping.values())})


def parse_year(value) -> int:
    """A year from 2021, 2021.0, "2021年", "2021.9" or a date cell; ``ValueError`` otherwise."""
    if hasattr(value, "year"):
        return value.year
    text = text_of(value)
    match = re.fullmatch(r"(\d{4})(?:年|[.\-/年]\d{1,2}(?:[.\-/月]\d{1,2}日?)?月?)?", re.sub(r"\s", "", text))
    if not match:
        raise ValueError(_("Not a year; write it as 2021."))
    return int(match.group(1))


def parse_years(value) -> tuple[int, int | None]:
    """The years of a term written in one cell: "2021-2026", "2021年至2026年", "2021.9—2026.8", "2021-"."""
    if hasattr(value, "year"):
        return value.year, None
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", text_of(value))]
    if not 1 <= len(years) <= 2:
        raise ValueError(_("Write the term as 2021-2026."))
    return years[0], (years[1] if len(years) == 2 else None)


def columns() -> list[Column]:
    kinds = choice_labels(DeputyKind.choices)
    levels = choice_labels(Level.choices)
    genders = choice_labels(Gender.choices)
    return [
        Column("name", "姓名", ("代表姓名", "代表"), required=True, help="代表姓名"),
        Column(
            "kind",
            "代表类别",
            ("类别", "代表类型", "身份"),
            kind="choice",
            choices=tuple(kinds.values()),
            help="不填为“人大代表”；议政代表不填层级和届次",
        ),
        Column("gender", "性别", (), kind="choice", choices=tuple(genders.values())),
        Column(
            "birth_year",
            "出生年份",
            ("出生年月", "出生日期", "出生年"),
            help="如 1975 或 1975.3；同名的代表以出生年份区分，同名时必填",
        ),
        Column("party", "政治面貌", ("党派",)),
        Column("occupation", "工作单位及职务", ("工作单位", "单位及职务", "职务"), width=30),
        Column("phone", "联系电话", ("电话", "手机", "手机号码", "联系方式"), help="手机 11 位或带区号的座机，可不填"),
        Column(
            "is_standing_committee",
            "常委会组成人员",
            ("是否常委会组成人员", "常委"),
            kind="choice",
            choices=(YES, NO),
            help="不填为“否”",
        ),
        Column(
            "level",
            "层级",
            ("代表层级", "级别", "代表级别"),
            kind="choice",
            choices=tuple(levels.values()),
            help="人大代表必填；一人有几级代表职务时每级一行",
        ),
        Column("congress", "届次", ("所属人大", "人民代表大会"), width=24, help="如 某区第十八届人民代表大会"),
        Column("constituency", "选区", ("选举单位", "所在选区"), width=20),
        Column("start_year", "任期开始年份", ("任期起始", "起始年份", "当选年份"), help="如 2021"),
        Column("end_year", "任期结束年份", ("任期届满", "结束年份", "届满年份"), help="如 2026；可不填"),
        Column("term", "任期", ("任期起止",), help="可代替上两列，如 2021-2026"),
        Column("groups", "代表小组", ("所在代表小组", "小组"), kind="names", width=20, help="小组全称，多个用顿号分隔"),
        Column(
            "stations",
            "进站联络站",
            ("联络站", "所在联络站", "进站站点"),
            kind="names",
            width=20,
            help="代表进站的联络站全称，多个用顿号分隔",
        ),
        Column("grids", "网格", ("所在网格", "联系网格"), kind="names", help="网格名称或编码，多个用顿号分隔"),
        Column(
            "grid_role",
            "网格职务",
            ("网格角色", "网格分工"),
            kind="choice",
            choices=tuple(choice_labels(GridRole.choices).values()),
            help="对所填网格适用；不填时新分工为“网格员”，已有分工不变",
        ),
        Column(
            "grid_mode",
            "专兼职",
            ("网格工作方式", "专职/兼职"),
            kind="choice",
            choices=tuple(choice_labels(GridMode.choices).values()),
            help="不填时新分工为“兼职”，已有分工不变",
        ),
        Column("note", "备注", (), width=20),
    ]


@dataclass
class Plan:
    """What one deputy of the roster will do: their values (ids), their rows, and the records they touch."""

    row: LedgerRow  # the deputy's first row
    key: str
    fingerprint: str
    values: dict
    action: str = "create"  # create | update | unchanged
    record: ImportedRecord | None = None
    deputy_id: int | None = None  # the existing deputy the rows name


@dataclass
class Lookups:
    """Every name the roster may use, read once."""

    stations: dict = field(default_factory=dict)  # name → station id
    subtree: dict = field(default_factory=dict)  # station id → ids of the station and below
    parents: dict = field(default_factory=dict)  # station id → its parent's id (or None)
    grids: dict = field(default_factory=lambda: defaultdict(list))  # name or code → [(grid id, station id)]
    groups: dict = field(default_factory=dict)  # name → group id
    led: dict = field(default_factory=lambda: defaultdict(dict))  # deputy id → {group id: name} they lead
    deputies: dict = field(default_factory=lambda: defaultdict(list))  # name → [Deputy]
    levels: dict = field(default_factory=lambda: defaultdict(set))  # deputy id → levels of their terms
    records: dict = field(default_factory=dict)  # deputy id → ImportedRecord
    leaders: dict = field(default_factory=dict)  # grid id → deputy id of its open grid leader

    @classmethod
    def load(cls) -> "Lookups":
        lookups = cls()
        stations = list(Station.objects.only("id", "name", "parent_id"))
        lookups.stations = {s.name: s.id for s in stations}
        lookups.parents = {s.id: s.parent_id for s in stations}
        lookups.subtree = station_subtrees(stations)
        lookups.grids = grids_by_name()
        lookups.groups = dict(DeputyGroup.objects.values_list("name", "id"))
        led = DeputyGroup.objects.exclude(leader=None).values_list("leader_id", "id", "name")
        for leader_id, group_id, name in led:
            lookups.led[leader_id][group_id] = name
        for deputy in Deputy.objects.only("id", "name", "birth_year", "kind", "is_active"):
            lookups.deputies[deputy.name].append(deputy)
        for deputy_id, level in Term.objects.values_list("deputy_id", "level"):
            lookups.levels[deputy_id].add(level)
        lookups.leaders = dict(
            GridAssignment.objects.filter(end_date__isnull=True, role=GridRole.LEADER).values_list(
                "grid_id", "deputy_id"
            )
        )
        for record in ImportedRecord.objects.filter(kind=KIND, deputy__isnull=False):
            lookups.records[record.deputy_id] = record
        return lookups
