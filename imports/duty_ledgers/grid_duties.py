"""The grid-duty ledger (网格履职台账): one row per "四个一" duty a deputy did in a grid.

A row names the grid (by name or code, with the station when two of the user's grids share a name), the
deputy, the duty (巡网格, 社区网格例会, 调研, 述职) and the day. It is checked as the product checks a duty
recorded afterwards (补录) by the station: the grid is at one of the user's stations, the date is not in the
future, and the deputy was assigned to that grid on that day. Rows are written through
``duties.services.grid_duties`` (which marks a duty of a closed period as recorded afterwards).

Key: the grid's station and the ledger's own number (登记编号) when there is one, else deputy, grid, duty
and day; a corrected numbered row may move the duty to another day, grid or duty, or change its note.
"""

import datetime as dt

from django.utils.translation import gettext as _

from core import clock
from deputies.models import Deputy
from duties.models import GridAssignment, GridDuty, GridDutyKind
from duties.services.grid_duties import grid_duty_record, grid_duty_update
from imports.duty_ledgers import common
from imports.models import ImportBatch, ImportedRecord, LedgerKind
from imports.reading import CellError, Column
from organisation.desk import desk_stations
from organisation.models import Grid

KIND = LedgerKind.GRID_DUTIES
MAX_NOTE = 2000
SYNONYMS = {
    GridDutyKind.PATROL: ("巡查网格", "网格巡查", "巡网", "巡查", "走网格"),
    GridDutyKind.GRID_MEETING: ("网格例会", "参加网格例会", "网格会议", "例会"),
    GridDutyKind.RESEARCH: ("走访调研", "专题调研", "调研走访"),
    GridDutyKind.REPORT: ("向选民述职", "履职报告", "述职报告"),
}


def columns() -> list[Column]:
    kinds = common.choice_labels(GridDutyKind.choices)
    return [
        Column("number", "登记编号", ("台账编号", "编号"), help="本站台账的编号；有则填写，更正时据此识别同一条记录"),
        Column("station", "联络站", ("所属联络站", "站点"), width=20, help="可不填；两个网格同名时用于区分"),
        Column("grid", "网格", ("网格名称", "所属网格", "履职网格"), required=True, help="网格名称或编码"),
        Column("deputy", "代表姓名", ("代表", "姓名", "履职代表"), required=True, help="须在当天分配在该网格"),
        Column(
            "kind",
            "履职事项",
            ("履职类型", "事项", "类别", "履职内容"),
            required=True,
            kind="choice",
            choices=tuple(kinds.values()),
            help="巡网格、社区网格例会（每月各一次）、调研（每季度）、述职（每年）",
        ),
        Column(
            "date",
            "履职日期",
            ("日期", "时间", "履职时间"),
            required=True,
            kind="date",
            help="不能晚于今天；所在月份、季度或年度已结束的记为补录",
        ),
        Column("note", "备注", ("情况说明", "说明", "履职情况"), width=30, help="可不填"),
    ]


def template_lists(actor) -> dict[str, list[str]]:
    stations = desk_stations(actor)
    deputies = (
        Deputy.objects.filter(
            grid_assignments__grid__centre__community__station__in=stations.values("id"),
            grid_assignments__end_date__isnull=True,
        )
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
    return {"station": list(stations.order_by("name").values_list("name", flat=True)), "deputy": list(deputies)}


def state(duty: GridDuty) -> dict:
    return {
        "deputy": duty.deputy_id,
        "grid": duty.grid_id,
        "kind": duty.kind,
        "date": duty.date.isoformat(),
        "note": duty.note,
    }


def _assignments(names: common.Names) -> dict[tuple[int, int], list]:
    held: dict[tuple[int, int], list] = {}
    for deputy_id, grid_id, start, end in GridAssignment.objects.filter(
        grid__centre__community__station_id__in=names.desk_ids
    ).values_list("deputy_id", "grid_id", "start_date", "end_date"):
        held.setdefault((deputy_id, grid_id), []).append((start, end))
    return held


def _row_values(reader: common.RowReader, names: common.Names, held: dict, kinds: dict) -> dict | None:
    number = reader.text("number", 50)
    station = names.station(reader, "station") if reader.given("station") else None
    grid = None
    if not (reader.given("station") and station is None):
        grid = names.grid(reader, "grid", station)
    deputy = names.deputy(reader, "deputy")
    kind = reader.choice("kind", kinds, SYNONYMS, required=_("Choose the duty."))
    day = reader.date("date")
    note = reader.text("note", MAX_NOTE)
    if grid and deputy and day and not reader.found:
        periods = held.get((deputy, grid[0]), [])
        if not any(start <= day and (end is None or end >= day) for start, end in periods):
            reader.problem("grid", _("The deputy was not assigned to this grid on that date."))
    if reader.found:
        return None
    return {
        "number": number,
        "station": grid[1],
        "state": {"deputy": deputy, "grid": grid[0], "kind": kind, "date": day.isoformat(), "note": note},
    }


def _key(values: dict) -> str:
    if values["number"]:
        return f"{values['station']}|no|{values['number']}"
    s = values["state"]
    return f"{s['deputy']}|{s['grid']}|{s['kind']}|{s['date']}"


def check(rows, *, actor, errors: list[CellError]):
    """The rows' plans, ``CHUNK`` at a time; every problem goes into ``errors``. Writes nothing."""
    names = common.Names.load(actor)
    held = _assignments(names)
    header = common.header_of(columns())
    kinds = common.choice_labels(GridDutyKind.choices)
    today = clock.today()
    keys = common.Keys()
    chunk: list[common.Plan] = []
    for row in rows:
        reader = common.RowReader(row, header, today)
        values = _row_values(reader, names, held, kinds)
        if not reader.flush(errors):
            continue
        key = _key(values)
        if keys.repeated(key, row, header["number"] if values["number"] else header["date"], errors):
            continue
        chunk.append(common.Plan(row=row, key=key, fingerprint=common.fingerprint(values["state"]), values=values))
        if len(chunk) == common.CHUNK:
            yield _matched(chunk, errors, header)
            chunk = []
    if chunk:
        yield _matched(chunk, errors, header)


def _matched(plans: list[common.Plan], errors: list[CellError], header: dict) -> list[common.Plan]:
    common.match_existing(plans, KIND, "grid_duty")
    for plan in plans:
        if plan.action == "update" and plan.record.grid_duty.deputy_id != plan.values["state"]["deputy"]:
            errors.append(
                CellError(
                    plan.row.sheet,
                    plan.row.number,
                    header["deputy"],
                    _("This numbered duty was recorded for another deputy; a duty's deputy cannot change."),
                )
            )
    return plans


def write(plans: list[common.Plan], *, batch: ImportBatch, actor) -> None:
    """Record or correct each row's duty through the grid-duty services (caller's transaction)."""
    grids = Grid.objects.select_related("centre__community").in_bulk({p.values["state"]["grid"] for p in plans})
    deputies = Deputy.objects.in_bulk({p.values["state"]["deputy"] for p in plans})
    header = common.header_of(columns())
    for plan in plans:
        values = plan.values["state"]
        fields = {
            "grid": grids[values["grid"]],
            "kind": values["kind"],
            "date": dt.date.fromisoformat(values["date"]),
            "note": values["note"],
        }
        if plan.action == "create":
            with common.through_service(plan, header):
                duty = grid_duty_record(deputy=deputies[values["deputy"]], actor=actor, **fields)
            common.new_record(plan, kind=KIND, batch=batch, station_id=plan.values["station"], grid_duty=duty)
        elif plan.action == "update":
            duty = plan.record.grid_duty
            before = state(duty)
            with common.through_service(plan, header):
                grid_duty_update(duty=duty, actor=actor, **fields)
            common.mark_updated(plan.record, plan, batch=batch, state=before, station_id=plan.values["station"])


def undo_blockers(batch: ImportBatch) -> list[str]:
    reasons = common.later_import_blocker(batch, KIND)
    created, corrected = common.touched_by(batch, KIND)
    for record in (created | corrected).exclude(grid_duty=None).select_related("grid_duty"):
        if common.fingerprint(state(record.grid_duty)) != record.fingerprint:
            reasons.append(_("Some of its duties have been changed in the product since."))
            break
    return reasons


def undo(batch: ImportBatch) -> None:
    created, corrected = common.touched_by(batch, KIND)
    for record in corrected.select_for_update(of=("self",)).select_related("grid_duty"):
        previous = common.unmark_updated(record)
        if record.grid_duty is not None:
            duty = record.grid_duty
            duty.grid_id = previous["grid"]
            duty.kind = previous["kind"]
            duty.date = dt.date.fromisoformat(previous["date"])
            duty.note = previous["note"]
            duty.save(update_fields=["grid", "kind", "date", "note"])
    duty_ids = list(created.exclude(grid_duty=None).values_list("grid_duty_id", flat=True))
    ImportedRecord.objects.filter(id__in=created.values("id")).delete()
    GridDuty.objects.filter(id__in=duty_ids).delete()
