"""The reception ledger's columns, its drop-down words and the plan of one row."""

from collections import defaultdict
from dataclasses import dataclass, field

from deputies.models import Deputy
from imports.models import ImportedRecord, LedgerKind
from imports.names import choice_labels, grids_by_name, station_subtrees
from imports.reading import Column, LedgerRow
from liaison.models import (
    OpinionCategory,
    OpinionOutcome,
    VisitChannel,
)
from organisation.desk import desk_stations
from organisation.models import HandlingUnit

KIND = LedgerKind.RECEPTION
MAX_CONTENT = 2000
MAX_NOTE = 2000
# Outcomes a ledger may record; 形成意见建议 is done in the product, where the suggestion is drafted.
LEDGER_OUTCOMES = (OpinionOutcome.ANSWERED_ON_SITE, OpinionOutcome.REFERRED, OpinionOutcome.FILED)
CHUNK = 2000
# Words ledgers use for a choice besides its label.
SYNONYMS = {
    OpinionOutcome.ANSWERED_ON_SITE: ("当场答复", "现场解答", "当场解答", "当面答复", "已答复"),
    OpinionOutcome.REFERRED: ("转交", "转办", "交办", "转相关部门"),
    OpinionOutcome.FILED: ("存档备查", "存档", "留存", "备查", "留作参考"),
    VisitChannel.AT_STATION: ("来访", "到站", "进站"),
    VisitChannel.HOME_VISIT: ("走访", "入户"),
    VisitChannel.PHONE: ("来电", "电话来访"),
}


def columns() -> list[Column]:
    channels = choice_labels(VisitChannel.choices)
    categories = choice_labels(OpinionCategory.choices)
    outcomes = {
        value: label for value, label in choice_labels(OpinionOutcome.choices).items() if value in LEDGER_OUTCOMES
    }
    return [
        Column(
            "number",
            "登记编号",
            ("台账编号", "登记号", "编号"),
            help="本站台账的编号；有则填写，用于再次导入时识别同一条记录",
        ),
        Column(
            "station",
            "联络站",
            ("站点", "联络站名称", "接待站点", "所属联络站"),
            required=True,
            width=20,
            help="联络站全称，与系统中的名称一致",
        ),
        Column(
            "date",
            "接待日期",
            ("日期", "来访日期", "接待时间"),
            required=True,
            kind="date",
            help="如 2023-09-28、2023.9.28 或 2023年9月28日",
        ),
        Column(
            "channel",
            "接待方式",
            ("方式", "接待形式"),
            kind="choice",
            choices=tuple(channels.values()),
            help="不填为“进站接待”",
        ),
        Column(
            "deputies",
            "接待代表",
            ("代表", "接待人大代表", "接待人员"),
            kind="names",
            width=20,
            help="代表姓名，多人用顿号分隔",
        ),
        Column("grid", "网格", ("所属网格", "网格名称"), help="可不填；填写本站范围内的网格名称或编码"),
        Column("headcount", "来访人数", ("人数", "接待人数", "来访人次"), kind="int", help="不填为 1"),
        Column("name", "群众姓名", ("姓名", "来访人", "来访群众", "反映人"), help="可不填"),
        Column("phone", "联系电话", ("电话", "联系方式", "手机", "手机号码"), help="手机 11 位或带区号的座机，可不填"),
        Column(
            "category",
            "意见类别",
            ("类别", "问题类别", "分类", "问题类型"),
            kind="choice",
            choices=tuple(categories.values()),
            help="不填为“其他”",
        ),
        Column(
            "content",
            "意见内容",
            ("反映问题", "问题内容", "意见建议", "反映内容", "主要内容", "诉求内容"),
            required=True,
            width=40,
            help="群众反映的问题或意见（一事一条）",
        ),
        Column(
            "outcome",
            "处理方式",
            ("处理结果", "办理方式", "处理情况"),
            kind="choice",
            choices=tuple(outcomes.values()),
            help="尚未处理的留空",
        ),
        Column("unit", "转交单位", ("承办单位", "交办单位", "转办单位"), width=20, help="处理方式为转交办理时必填"),
        Column("outcome_date", "处理日期", ("答复日期", "处理时间", "办理日期"), kind="date", help="不填为接待日期"),
        Column("outcome_note", "处理说明", ("答复内容", "答复意见", "处理意见"), width=30),
        Column("resolved_date", "办结日期", ("解决日期", "办结时间"), kind="date", help="问题解决的日期，未解决的留空"),
        Column("resolution_note", "办结情况", ("解决情况", "办理结果"), width=30, help="填写了办结日期时必填"),
    ]


@dataclass
class Plan:
    """What one ledger row will do: its key, its values (ids), and the record it updates, if any."""

    row: LedgerRow
    key: str
    fingerprint: str
    values: dict
    action: str = "create"  # create | update | unchanged
    record: ImportedRecord | None = None


@dataclass
class Lookups:
    """Every name the rows may use, read once: a 100,000-row ledger costs a handful of queries."""

    stations: dict = field(default_factory=dict)  # name → Station
    grids: dict = field(default_factory=lambda: defaultdict(list))  # name or code → [(grid, station_id)]
    subtree: dict = field(default_factory=dict)  # station id → ids of the station and below
    deputies: dict = field(default_factory=lambda: defaultdict(list))  # name → [deputy id]
    units: dict = field(default_factory=dict)  # name → HandlingUnit

    @classmethod
    def load(cls, actor) -> "Lookups":
        lookups = cls()
        stations = list(desk_stations(actor).only("id", "name", "parent_id"))
        lookups.stations = {s.name: s for s in stations}
        lookups.subtree = station_subtrees(stations)
        lookups.grids = grids_by_name()
        for deputy_id, name in Deputy.objects.values_list("id", "name"):
            lookups.deputies[name].append(deputy_id)
        lookups.units = {unit.name: unit for unit in HandlingUnit.objects.only("id", "name", "is_active")}
        return lookups
