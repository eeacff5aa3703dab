"""The reception ledger (接待台账): one row per opinion received, with the visit it was raised at.

Columns are in ``COLUMNS`` (the template's headers, the other headers real ledgers use, which are required).
``check`` reads every row against the database without writing anything and returns a ``Plan`` per row
(create, update or unchanged) plus the problems found; ``write`` carries the plans out in bulk inside the
caller's transaction; ``undo`` removes what a batch created and restores what it updated.

Rows are keyed by the station and the ledger's own number (登记编号) when the ledger has one, else by the
station, the date, the constituent's name and the text of the opinion: importing the same file twice finds
every row already there and changes nothing; a corrected row (same key, other values) updates the records.

Names are matched to records (stations, grids, deputies, units): an unknown name or one that fits several
records is an error on that cell, never a guess. Imported history is checked as the pages check new entries
(dates not in the future, an outcome before its resolution, a referred opinion names its unit) except that
a receiving deputy need not still be resident at the station: rosters change over the years.
"""

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import clock
from core.dates import EARLIEST_EVENT_YEAR, LATEST_EVENT_YEAR
from core.text import clean_phone
from deputies.models import Deputy
from imports.models import ImportBatch, ImportedRecord, LedgerKind
from imports.reading import CellError, Column, LedgerRow, parse_date, parse_int, split_names, text_of
from liaison.models import (
    Opinion,
    OpinionCategory,
    OpinionEvent,
    OpinionEventKind,
    OpinionOutcome,
    OpinionSource,
    ReferralFeedback,
    Visit,
    VisitChannel,
    VisitConstituent,
)
from organisation.desk import desk_stations
from organisation.models import Grid, HandlingUnit

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


def _labels(choices) -> dict[str, str]:
    """value → Chinese label, as the template's drop-downs offer them."""
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in choices}


def columns() -> list[Column]:
    channels = _labels(VisitChannel.choices)
    categories = _labels(OpinionCategory.choices)
    outcomes = {value: label for value, label in _labels(OpinionOutcome.choices).items() if value in LEDGER_OUTCOMES}
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
        children = defaultdict(set)
        for station in stations:
            if station.parent_id:
                children[station.parent_id].add(station.id)
        for station in stations:
            below = {station.id, *children[station.id]}
            for child in list(children[station.id]):
                below |= children[child]
            lookups.subtree[station.id] = below
        for grid in Grid.objects.select_related("centre__community").only(
            "id", "name", "code", "centre__community__station_id"
        ):
            owner = grid.centre.community.station_id
            lookups.grids[grid.name].append((grid.id, owner))
            if grid.code != grid.name:
                lookups.grids[grid.code].append((grid.id, owner))
        for deputy_id, name in Deputy.objects.values_list("id", "name"):
            lookups.deputies[name].append(deputy_id)
        lookups.units = {unit.name: unit for unit in HandlingUnit.objects.only("id", "name", "is_active")}
        return lookups


def _choice(value, mapping: dict[str, str], column: Column, default: str) -> str:
    """A drop-down value from its Chinese label or its code; ``ValueError`` listing the options."""
    if value is None:
        return default
    text = text_of(value)
    for code, label in mapping.items():
        if text in (label, code) or text in SYNONYMS.get(code, ()):
            return code
    # Ledgers word them their own way: 「交通出行」 for 「交通」, 「走访」 for 「入户走访」. One label that
    # contains the text or is contained in it is that choice; none or several is an error.
    close = [code for code, label in mapping.items() if text and (label in text or text in label)]
    if len(close) == 1:
        return close[0]
    raise ValueError(_("Choose one of: %(options)s.") % {"options": "、".join(mapping.values())})


def _key(station_id: int, values: dict) -> str:
    if values["number"]:
        return f"{station_id}|no|{values['number']}"
    digest = hashlib.sha1(values["content"].encode()).hexdigest()[:16]
    return f"{station_id}|{values['date']}|{values['name']}|{digest}"


def _fingerprint(values: dict) -> str:
    return hashlib.sha1(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def _row_values(
    row: LedgerRow, lookups: Lookups, header: dict, maps: dict, today: dt.date, errors: list
) -> dict | None:
    """The row's values as ids and plain types, or None after adding its problems to ``errors``."""
    found: list[CellError] = []

    def problem(column_field: str, message: str) -> None:
        found.append(CellError(row.sheet, row.number, header[column_field], message))

    raw = row.values
    values: dict = {}

    def read(column_field: str, reader, default=None):
        if raw.get(column_field) is None:
            return default
        try:
            return reader(raw[column_field])
        except ValueError as exc:
            problem(column_field, str(exc))
            return default

    values["number"] = read("number", lambda v: text_of(v, 50), "")
    station_name = read("station", text_of, "")
    station = lookups.stations.get(station_name)
    if station is None:
        problem("station", _("No station named 「%(name)s」 among the stations you keep.") % {"name": station_name})
    values["station"] = station.id if station else None

    def dated(column_field: str):
        day = read(column_field, parse_date)
        if day is None:
            return None
        if day > today:
            problem(column_field, _("The date is in the future."))
        elif not EARLIEST_EVENT_YEAR <= day.year <= LATEST_EVENT_YEAR:
            problem(column_field, _("The date is out of range."))
        return day

    values["date"] = dated("date")
    values["channel"] = read("channel", lambda v: _choice(v, maps["channel"], None, ""), VisitChannel.AT_STATION)
    deputy_ids = []
    for name in read("deputies", split_names, []):
        matches = lookups.deputies.get(name, [])
        if not matches:
            problem("deputies", _("No deputy named 「%(name)s」.") % {"name": name})
        elif len(matches) > 1:
            problem(
                "deputies",
                _("Several deputies are named 「%(name)s」; enter this row in the product.") % {"name": name},
            )
        else:
            deputy_ids.append(matches[0])
    values["deputies"] = sorted(set(deputy_ids))
    values["grid"] = None
    grid_name = read("grid", text_of, "")
    if grid_name and station is not None:
        candidates = [
            grid_id for grid_id, owner in lookups.grids.get(grid_name, []) if owner in lookups.subtree[station.id]
        ]
        if not candidates:
            problem("grid", _("No grid 「%(name)s」 in this station's area.") % {"name": grid_name})
        elif len(set(candidates)) > 1:
            problem(
                "grid", _("Several grids of this station are named 「%(name)s」; write its code.") % {"name": grid_name}
            )
        else:
            values["grid"] = candidates[0]
    headcount = read("headcount", parse_int, 1)
    if not 1 <= headcount <= 10000:
        problem("headcount", _("Between 1 and 10,000."))
    values["headcount"] = headcount
    values["name"] = read("name", lambda v: text_of(v, 50), "")
    phone = read("phone", lambda v: text_of(v, 30), "")
    if phone:
        try:
            phone = clean_phone(phone)
        except Exception as exc:  # ValidationError with the user's message
            problem("phone", " ".join(getattr(exc, "messages", [str(exc)])))
    values["phone"] = phone
    values["category"] = read("category", lambda v: _choice(v, maps["category"], None, ""), OpinionCategory.OTHER)
    values["content"] = read("content", lambda v: text_of(v, MAX_CONTENT), "")
    if not values["content"]:
        problem("content", _("Describe the matter."))
    outcome = read("outcome", lambda v: _choice(v, maps["outcome"], None, ""), "")
    values["outcome"] = outcome
    values["unit"] = None
    unit_name = read("unit", text_of, "")
    if outcome == OpinionOutcome.REFERRED:
        unit = lookups.units.get(unit_name)
        if not unit_name:
            problem("unit", _("A referred opinion names the unit it was referred to."))
        elif unit is None:
            problem("unit", _("No handling unit named 「%(name)s」.") % {"name": unit_name})
        else:
            values["unit"] = unit.id
    elif unit_name:
        problem("unit", _("Only a referred opinion names a unit."))
    outcome_date = dated("outcome_date")
    if outcome and outcome_date is None:
        outcome_date = values["date"]
    if outcome_date and not outcome:
        problem("outcome_date", _("A date of handling needs the way it was handled."))
    if outcome_date and values["date"] and outcome_date < values["date"]:
        problem("outcome_date", _("Earlier than the date of the visit."))
    values["outcome_date"] = outcome_date
    values["outcome_note"] = read("outcome_note", lambda v: text_of(v, MAX_NOTE), "")
    resolved = dated("resolved_date")
    values["resolution_note"] = read("resolution_note", lambda v: text_of(v, MAX_NOTE), "")
    if resolved:
        if not outcome:
            problem("resolved_date", _("Only an opinion with an outcome can be resolved."))
        elif outcome_date and resolved < outcome_date:
            problem("resolved_date", _("Earlier than the date of handling."))
        if not values["resolution_note"]:
            problem("resolution_note", _("Say how it was solved."))
    elif values["resolution_note"]:
        problem("resolved_date", _("Enter the date it was solved."))
    values["resolved_date"] = resolved
    if found:
        errors.extend(found)
        return None
    return values


def check(rows, *, actor, errors: list[CellError]):
    """The plans of the rows, ``CHUNK`` at a time, read as they stream from the workbook; every problem of
    every row goes into ``errors``. Memory holds one chunk and the keys seen (to find a row given twice)."""
    lookups = Lookups.load(actor)
    header = {column.field: column.header for column in columns()}
    maps = {
        "channel": _labels(VisitChannel.choices),
        "category": _labels(OpinionCategory.choices),
        "outcome": {k: v for k, v in _labels(OpinionOutcome.choices).items() if k in LEDGER_OUTCOMES},
    }
    today = clock.today()
    seen: dict[str, int] = {}
    chunk: list[Plan] = []
    for row in rows:
        values = _row_values(row, lookups, header, maps, today, errors)
        if values is None:
            continue
        key = _key(values["station"], values)
        if key in seen:
            column = header["number"] if values["number"] else header["content"]
            errors.append(
                CellError(row.sheet, row.number, column, _("The same record as row %(row)s.") % {"row": seen[key]})
            )
            continue
        seen[key] = row.number
        chunk.append(Plan(row=row, key=key, fingerprint=_fingerprint(values), values=values))
        if len(chunk) == CHUNK:
            _match_existing(chunk, errors, header)
            yield chunk
            chunk = []
    if chunk:
        _match_existing(chunk, errors, header)
        yield chunk


def _match_existing(plans: list[Plan], errors: list[CellError], header: dict) -> None:
    by_key = {plan.key: plan for plan in plans}
    keys = list(by_key)
    for start in range(0, len(keys), CHUNK):
        for record in ImportedRecord.objects.filter(kind=KIND, key__in=keys[start : start + CHUNK]).select_related(
            "opinion"
        ):
            plan = by_key[record.key]
            plan.record = record
            if record.opinion is None or record.visit_id is None:
                plan.action = "create"  # removed in the product since: imported again
            elif record.fingerprint == plan.fingerprint:
                plan.action = "unchanged"
            elif record.opinion.outcome == OpinionOutcome.ESCALATED:
                errors.append(
                    CellError(
                        plan.row.sheet,
                        plan.row.number,
                        header["outcome"],
                        _("This opinion became a suggestion in the product; the ledger can no longer change it."),
                    )
                )
            else:
                plan.action = "update"


def _moment(day: dt.date | None) -> dt.datetime | None:
    """A ledger date as a time: noon of that day, local time (ledgers do not record the hour)."""
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def _visit_fields(values: dict) -> dict:
    return {
        "station_id": values["station"],
        "date": values["date"],
        "channel": values["channel"],
        "headcount": values["headcount"],
        "grid_id": values["grid"],
    }


def _opinion_fields(values: dict, actor) -> dict:
    outcome = values["outcome"] or None
    return {
        "station_id": values["station"],
        "grid_id": values["grid"],
        "category": values["category"],
        "content": values["content"],
        "received_on": values["date"],
        "outcome": outcome,
        "outcome_note": values["outcome_note"] if outcome else "",
        "outcome_at": _moment(values["outcome_date"]) if outcome else None,
        "outcome_by_id": actor.id if outcome else None,
        "referral_unit_id": values["unit"],
        "resolved_at": _moment(values["resolved_date"]),
        "resolution_note": values["resolution_note"] if values["resolved_date"] else "",
    }


def _provenance(batch: ImportBatch, plan: Plan) -> str:
    return _("From the ledger %(file)s, sheet %(sheet)s, row %(row)s.") % {
        "file": batch.file_name,
        "sheet": plan.row.sheet,
        "row": plan.row.number,
    }


def write(plans: list[Plan], *, batch: ImportBatch, actor) -> None:
    """Carry out one chunk of plans (inside the caller's transaction): bulk inserts, updates in place."""
    creates = [plan for plan in plans if plan.action == "create"]
    if creates:
        _create(creates, batch=batch, actor=actor)
    for plan in plans:
        if plan.action == "update":
            _update(plan, batch=batch, actor=actor)


def _create(plans: list[Plan], *, batch: ImportBatch, actor) -> None:
    visits = Visit.objects.bulk_create(
        [Visit(**_visit_fields(plan.values), note="", recorded_by=actor) for plan in plans]
    )
    through = Visit.deputies.through
    through.objects.bulk_create(
        [
            through(visit_id=visit.id, deputy_id=deputy_id)
            for plan, visit in zip(plans, visits, strict=True)
            for deputy_id in plan.values["deputies"]
        ]
    )
    VisitConstituent.objects.bulk_create(
        [
            VisitConstituent(visit_id=visit.id, name=plan.values["name"], phone=plan.values["phone"])
            for plan, visit in zip(plans, visits, strict=True)
            if plan.values["name"] or plan.values["phone"]
        ]
    )
    opinions = Opinion.objects.bulk_create(
        [
            Opinion(
                **_opinion_fields(plan.values, actor),
                visit_id=visit.id,
                source=OpinionSource.DESK,
                recorded_by=actor,
                contact_name=plan.values["name"],
            )
            for plan, visit in zip(plans, visits, strict=True)
        ]
    )
    events = []
    for plan, opinion in zip(plans, opinions, strict=True):
        events.extend(_events(opinion, plan, batch=batch, actor=actor))
    OpinionEvent.objects.bulk_create(events)
    stale = [plan.record.id for plan in plans if plan.record is not None]
    if stale:  # rows whose records were removed in the product since: the key now names the new records
        ImportedRecord.objects.filter(id__in=stale).delete()
    ImportedRecord.objects.bulk_create(
        [
            ImportedRecord(
                kind=KIND,
                key=plan.key,
                batch=batch,
                sheet=plan.row.sheet,
                row=plan.row.number,
                fingerprint=plan.fingerprint,
                station_id=plan.values["station"],
                visit_id=visit.id,
                opinion_id=opinion.id,
            )
            for plan, visit, opinion in zip(plans, visits, opinions, strict=True)
        ]
    )


def _events(opinion: Opinion, plan: Plan, *, batch: ImportBatch, actor) -> list[OpinionEvent]:
    source = _provenance(batch, plan)
    events = [OpinionEvent(opinion=opinion, kind=OpinionEventKind.RECEIVED, note=source, actor=actor)]
    if opinion.outcome:
        note = _("Handled on %(date)s (recorded afterwards). %(note)s") % {
            "date": plan.values["outcome_date"].isoformat(),
            "note": opinion.outcome_note,
        }
        events.append(
            OpinionEvent(
                opinion=opinion, kind=OpinionEventKind.OUTCOME, outcome=opinion.outcome, note=note, actor=actor
            )
        )
    if opinion.resolved_at:
        note = _("Solved on %(date)s (recorded afterwards). %(note)s") % {
            "date": plan.values["resolved_date"].isoformat(),
            "note": opinion.resolution_note,
        }
        events.append(OpinionEvent(opinion=opinion, kind=OpinionEventKind.RESOLVED, note=note, actor=actor))
    return events


SNAPSHOT_VISIT = ("date", "channel", "headcount", "grid_id")
SNAPSHOT_OPINION = (
    "grid_id",
    "category",
    "content",
    "received_on",
    "outcome",
    "outcome_note",
    "outcome_at",
    "outcome_by_id",
    "referral_unit_id",
    "resolved_at",
    "resolution_note",
)


def _snapshot(visit: Visit, opinion: Opinion, record: ImportedRecord) -> dict:
    return {
        "visit": {name: _jsonable(getattr(visit, name)) for name in SNAPSHOT_VISIT},
        "opinion": {name: _jsonable(getattr(opinion, name)) for name in SNAPSHOT_OPINION},
        "deputies": sorted(visit.deputies.values_list("id", flat=True)),
        "constituents": list(visit.constituents.values("name", "phone")),
        "contact_name": opinion.contact_name,
        "fingerprint": record.fingerprint,
        "sheet": record.sheet,
        "row": record.row,
        "batch": record.updated_by_batch_id,
    }


def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _update(plan: Plan, *, batch: ImportBatch, actor) -> None:
    record = plan.record
    visit = Visit.objects.select_for_update().get(id=record.visit_id)
    opinion = Opinion.objects.select_for_update().get(id=record.opinion_id)
    record.previous = _snapshot(visit, opinion, record)
    for name, value in _visit_fields(plan.values).items():
        setattr(visit, name, value)
    visit.save(update_fields=[*SNAPSHOT_VISIT, "station_id"])
    visit.deputies.set(plan.values["deputies"])
    visit.constituents.all().delete()
    if plan.values["name"] or plan.values["phone"]:
        VisitConstituent.objects.create(visit=visit, name=plan.values["name"], phone=plan.values["phone"])
    for name, value in _opinion_fields(plan.values, actor).items():
        setattr(opinion, name, value)
    opinion.contact_name = plan.values["name"]
    opinion.save(update_fields=[*SNAPSHOT_OPINION, "station_id", "contact_name"])
    OpinionEvent.objects.create(
        opinion=opinion,
        kind=OpinionEventKind.NOTE,
        note=_("Corrected from the ledger %(file)s, sheet %(sheet)s, row %(row)s.")
        % {"file": batch.file_name, "sheet": plan.row.sheet, "row": plan.row.number},
        actor=actor,
    )
    record.fingerprint = plan.fingerprint
    record.updated_by_batch = batch
    record.sheet = plan.row.sheet
    record.row = plan.row.number
    record.save(update_fields=["previous", "fingerprint", "updated_by_batch", "sheet", "row"])


# --- Undo -----------------------------------------------------------------------------------------


def undo_blockers(batch: ImportBatch) -> list[str]:
    """Why the batch cannot be undone now (empty when it can): what has been built on its records since."""
    reasons = []
    created = ImportedRecord.objects.filter(batch=batch)
    touched = ImportedRecord.objects.filter(Q(batch=batch) | Q(updated_by_batch=batch))
    if created.filter(updated_by_batch__isnull=False).exclude(updated_by_batch=batch).exists():
        reasons.append(_("A later import changed some of its records; undo that import first."))
    opinion_ids = touched.exclude(opinion=None).values("opinion_id")
    if Opinion.objects.filter(id__in=opinion_ids, outcome=OpinionOutcome.ESCALATED).exists():
        reasons.append(_("Some of its opinions became suggestions."))
    if ReferralFeedback.objects.filter(opinion_id__in=opinion_ids).exists():
        reasons.append(_("Units have reported back on some of its opinions."))
    after = batch.finished_at or batch.confirmed_at
    if after and OpinionEvent.objects.filter(opinion_id__in=opinion_ids, at__gt=after).exists():
        reasons.append(_("Some of its opinions have been handled in the product since."))
    return reasons


def undo(batch: ImportBatch) -> None:
    """Remove the records ``batch`` created and restore those it updated (caller's transaction, checked first)."""
    for record in ImportedRecord.objects.filter(updated_by_batch=batch).exclude(batch=batch).select_for_update():
        _restore(record)
    created = ImportedRecord.objects.filter(batch=batch)
    opinion_ids = list(created.exclude(opinion=None).values_list("opinion_id", flat=True))
    visit_ids = list(created.exclude(visit=None).values_list("visit_id", flat=True))
    created.delete()
    for start in range(0, max(len(opinion_ids), len(visit_ids)), CHUNK):
        opinions = opinion_ids[start : start + CHUNK]
        visits = visit_ids[start : start + CHUNK]
        OpinionEvent.objects.filter(opinion_id__in=opinions).delete()
        Opinion.objects.filter(id__in=opinions).delete()
        VisitConstituent.objects.filter(visit_id__in=visits).delete()
        Visit.deputies.through.objects.filter(visit_id__in=visits).delete()
        Visit.objects.filter(id__in=visits).delete()


def _restore(record: ImportedRecord) -> None:
    previous = record.previous or {}
    visit = Visit.objects.select_for_update().get(id=record.visit_id)
    opinion = Opinion.objects.select_for_update().get(id=record.opinion_id)
    for name, value in previous["visit"].items():
        setattr(visit, name, dt.date.fromisoformat(value) if name == "date" else value)
    visit.save(update_fields=list(previous["visit"]))
    visit.deputies.set(previous["deputies"])
    visit.constituents.all().delete()
    VisitConstituent.objects.bulk_create(
        [VisitConstituent(visit=visit, **person) for person in previous["constituents"]]
    )
    for name, value in previous["opinion"].items():
        if value and name in ("outcome_at", "resolved_at"):
            value = dt.datetime.fromisoformat(value)
        elif value and name == "received_on":
            value = dt.date.fromisoformat(value)
        setattr(opinion, name, value)
    opinion.contact_name = previous["contact_name"]
    opinion.save(update_fields=[*previous["opinion"], "contact_name"])
    OpinionEvent.objects.create(opinion=opinion, kind=OpinionEventKind.NOTE, note=_("Ledger correction undone."))
    record.fingerprint = previous["fingerprint"]
    record.sheet = previous["sheet"]
    record.row = previous["row"]
    record.updated_by_batch_id = previous["batch"]
    record.previous = None
    record.save(update_fields=["fingerprint", "sheet", "row", "updated_by_batch", "previous"])
