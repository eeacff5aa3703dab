"""The activities ledger (代表活动及出席台账): one row per deputy per activity, with their attendance.

An activity (视察, 调研, 执法检查 …) is named by its station, day and title; its rows give the kind, place
and description (the same on each row, or only on its first row: a block of rows whose activity cells are
empty or merged continues the activity above) and, each, a deputy and whether they attended, were excused
or absent (出席 when blank). The activity is created once, through ``duties.services.grid_duties.
activity_create``, with the attendance its rows give; rows for an activity already in the product add to
or correct its attendance, as the activity page does. Checked as the product checks an activity: a station
the user keeps, a known kind, a title, the deputies still serving, and, for history, a date not in the
future.

Keys: the activity is ``station|date|title digest`` (an import record linked to the activity); each row is
that key and the deputy, so the same file twice changes nothing and a corrected row changes the deputy's
attendance (or the activity's kind, place or description).
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _

from core import clock
from core.writes import clean_instance
from duties.models import Activity, ActivityAttendance, ActivityKind, AttendanceStatus
from duties.services.grid_duties import activity_create
from imports.duty_ledgers import common
from imports.models import ImportBatch, ImportedRecord, LedgerKind
from imports.reading import CellError, Column
from organisation.models import Station

KIND = LedgerKind.ACTIVITIES
MAX_TITLE = 200
MAX_LOCATION = 200
MAX_DESCRIPTION = 5000
ACTIVITY_FIELDS = ("station", "title", "date", "kind", "location", "description")
ATTRIBUTES = ("kind", "location", "description")  # may differ from one import to the next (a correction)
SYNONYMS = {
    ActivityKind.INSPECTION: ("视察活动", "集中视察", "专题视察"),
    ActivityKind.RESEARCH: ("专题调研", "调研活动", "走访调研"),
    ActivityKind.LAW_ENFORCEMENT_CHECK: ("执法检查活动",),
    ActivityKind.STATION_INQUIRY: ("问政", "进站问政", "站点问政活动"),
    ActivityKind.COUNCIL: ("议事", "议事协商", "民主议事会", "协商议事会"),
    ActivityKind.TRAINING: ("学习培训", "履职培训", "培训学习"),
    ActivityKind.THEME_EVENT: ("主题活动日", "主题党日"),
    AttendanceStatus.PRESENT: ("参加", "到会", "已到", "出勤", "√", "是"),
    AttendanceStatus.EXCUSED: ("请假", "事假", "病假"),
    AttendanceStatus.ABSENT: ("缺席", "未到", "未参加", "未出席", "×", "否"),
}


def columns() -> list[Column]:
    kinds = common.choice_labels(ActivityKind.choices)
    statuses = common.choice_labels(AttendanceStatus.choices)
    return [
        Column("station", "联络站", ("组织单位", "站点", "所属联络站"), required=True, width=20),
        Column("title", "活动名称", ("活动主题", "名称", "主题"), required=True, width=30),
        Column("date", "活动日期", ("日期", "活动时间", "时间"), required=True, kind="date", help="不能晚于今天"),
        Column(
            "kind",
            "活动类型",
            ("类型", "活动类别", "类别", "活动形式"),
            required=True,
            kind="choice",
            choices=tuple(kinds.values()),
        ),
        Column("location", "活动地点", ("地点",), width=20, help="可不填"),
        Column("description", "活动内容", ("内容", "活动情况", "情况说明"), width=30, help="可不填"),
        Column("deputy", "代表姓名", ("代表", "参加代表", "姓名"), required=True, help="每行一名代表"),
        Column(
            "status",
            "出席情况",
            ("出席", "是否出席", "参加情况", "考勤"),
            kind="choice",
            choices=tuple(statuses.values()),
            help="不填为“出席”",
        ),
    ]


def template_lists(actor) -> dict[str, list[str]]:
    from deputies.models import Deputy
    from organisation.desk import desk_stations

    return {
        "station": list(desk_stations(actor).order_by("name").values_list("name", flat=True)),
        "deputy": list(
            Deputy.objects.filter(is_active=True).order_by("name").values_list("name", flat=True).distinct()
        ),
    }


def _attributes(activity: Activity) -> dict:
    return {name: getattr(activity, name) for name in ATTRIBUTES}


def _row_fingerprint(status: str, attributes: dict) -> str:
    return common.fingerprint({"status": status, **attributes})


def _continues(row) -> bool:
    """A row that names a deputy but none of the activity's cells continues the activity above it."""
    return not any(row.values.get(name) is not None for name in ACTIVITY_FIELDS)


def _row_values(reader: common.RowReader, names: common.Names, maps: dict) -> dict | None:
    station = names.station(reader, "station")
    title = " ".join(reader.text("title", MAX_TITLE, required=_("Enter the activity's name.")).split())
    day = reader.date("date")
    kind = reader.choice("kind", maps["kind"], SYNONYMS, required=_("Choose the kind of activity."))
    location = reader.text("location", MAX_LOCATION)
    description = reader.text("description", MAX_DESCRIPTION)
    deputy = names.deputy(reader, "deputy", active=True)
    status = reader.choice("status", maps["status"], SYNONYMS, default=AttendanceStatus.PRESENT)
    if reader.found:
        return None
    activity_key = f"{station.id}|{day.isoformat()}|{common.digest(title)}"
    return {
        "activity_key": activity_key,
        "station": station.id,
        "title": title,
        "date": day.isoformat(),
        "attributes": {"kind": kind, "location": location, "description": description},
        "deputy": deputy,
        "status": status,
    }


def check(rows, *, actor, errors: list[CellError]):
    """The rows' plans, ``CHUNK`` at a time; every problem goes into ``errors``. Writes nothing."""
    names = common.Names.load(actor)
    header = common.header_of(columns())
    maps = {
        "kind": common.choice_labels(ActivityKind.choices),
        "status": common.choice_labels(AttendanceStatus.choices),
    }
    today = clock.today()
    keys = common.Keys()
    activities: dict[str, tuple[int, dict]] = {}  # activity key → (its first row, its kind, place, description)
    above = None
    chunk: list[common.Plan] = []
    for row in rows:
        if above is not None and _continues(row):
            row.values.update({name: value for name, value in above.items() if value is not None})
        else:
            above = {name: row.values.get(name) for name in ACTIVITY_FIELDS}
        reader = common.RowReader(row, header, today)
        values = _row_values(reader, names, maps)
        if not reader.flush(errors):
            continue
        first = activities.setdefault(values["activity_key"], (row.number, values["attributes"]))
        differing = [name for name in ATTRIBUTES if first[1][name] != values["attributes"][name]]
        if differing:
            for name in differing:
                errors.append(
                    CellError(
                        row.sheet,
                        row.number,
                        header[name],
                        _("Differs from row %(row)s of the same activity.") % {"row": first[0]},
                    )
                )
            continue
        key = f"{values['activity_key']}|{values['deputy']}"
        if keys.repeated(key, row, header["deputy"], errors):
            continue
        chunk.append(
            common.Plan(
                row=row,
                key=key,
                fingerprint=_row_fingerprint(values["status"], values["attributes"]),
                values=values,
            )
        )
        if len(chunk) == common.CHUNK:
            _match_existing(chunk)
            yield chunk
            chunk = []
    if chunk:
        _match_existing(chunk)
        yield chunk


def _heads(activity_keys) -> dict[str, ImportedRecord]:
    return {
        record.key: record
        for record in ImportedRecord.objects.filter(kind=KIND, key__in=list(activity_keys)).select_related("activity")
    }


def _match_existing(plans: list[common.Plan]) -> None:
    """A row is new when its activity or the deputy's attendance is not there (any more), unchanged when
    its import record has the row's fingerprint, else a correction."""
    heads = _heads({plan.values["activity_key"] for plan in plans})
    records = {
        record.key: record for record in ImportedRecord.objects.filter(kind=KIND, key__in=[plan.key for plan in plans])
    }
    activity_ids = {head.activity_id for head in heads.values() if head.activity_id}
    present = set(
        ActivityAttendance.objects.filter(activity_id__in=activity_ids).values_list("activity_id", "deputy_id")
    )
    for plan in plans:
        head = heads.get(plan.values["activity_key"])
        plan.record = records.get(plan.key)
        if head is None or head.activity_id is None or plan.record is None:
            plan.action = "create"
        elif (head.activity_id, plan.values["deputy"]) not in present:
            plan.action = "create"
        elif plan.record.fingerprint == plan.fingerprint:
            plan.action = "unchanged"
        else:
            plan.action = "update"


def write(plans: list[common.Plan], *, batch: ImportBatch, actor) -> None:
    """Create each new activity through ``activity_create`` with its rows' attendance; add to or correct
    the attendance of activities already there (caller's transaction)."""
    groups: dict[str, list[common.Plan]] = defaultdict(list)
    for plan in plans:
        if plan.action != "unchanged":
            groups[plan.values["activity_key"]].append(plan)
    heads = _heads(groups)
    header = common.header_of(columns())
    stations = Station.objects.in_bulk({group[0].values["station"] for group in groups.values()})
    for activity_key, group in groups.items():
        head = heads.get(activity_key)
        if head is None or head.activity is None:
            station = stations[group[0].values["station"]]
            _create(group, head, station=station, batch=batch, actor=actor, header=header)
        else:
            _amend(group, head, batch=batch, header=header)


def _create(group: list[common.Plan], stale: ImportedRecord | None, *, station, batch, actor, header) -> None:
    first = group[0].values
    with common.through_service(group[0], header):
        activity = activity_create(
            station=station,
            title=first["title"],
            date=dt.date.fromisoformat(first["date"]),
            actor=actor,
            attendance={plan.values["deputy"]: plan.values["status"] for plan in group},
            **first["attributes"],
        )
    if stale is not None:
        stale.delete()
    ImportedRecord.objects.create(
        kind=KIND,
        key=first["activity_key"],
        batch=batch,
        sheet=group[0].row.sheet,
        row=group[0].row.number,
        fingerprint=common.fingerprint(first["attributes"]),
        station_id=station.id,
        activity=activity,
    )
    for plan in group:
        common.new_record(plan, kind=KIND, batch=batch, station_id=station.id)


def _amend(group: list[common.Plan], head: ImportedRecord, *, batch, header) -> None:
    activity = Activity.objects.select_for_update().get(id=head.activity_id)
    attributes = group[0].values["attributes"]
    if _attributes(activity) != attributes:
        before = _attributes(activity)
        for name, value in attributes.items():
            setattr(activity, name, value)
        with common.through_service(group[0], header):
            clean_instance(activity, exclude=["created_by"])
        activity.save(update_fields=list(ATTRIBUTES))
        head_plan = common.Plan(row=group[0].row, key=head.key, fingerprint=common.fingerprint(attributes), values={})
        common.mark_updated(head, head_plan, batch=batch, state=before, station_id=head.station_id)
    existing = {a.deputy_id: a for a in activity.attendance.select_for_update()}
    for plan in group:
        deputy, status = plan.values["deputy"], plan.values["status"]
        attendance = existing.get(deputy)
        before = {"status": attendance.status if attendance else None}
        if attendance is None:
            ActivityAttendance.objects.create(activity=activity, deputy_id=deputy, status=status)
        elif attendance.status != status:
            attendance.status = status
            attendance.save(update_fields=["status"])
        if plan.action == "update":
            common.mark_updated(plan.record, plan, batch=batch, state=before, station_id=activity.station_id)
        else:
            record = common.new_record(plan, kind=KIND, batch=batch, station_id=activity.station_id)
            if attendance is not None:  # recorded in the product before: an undo puts its status back
                record.previous = {"state": before}
                record.save(update_fields=["previous"])


# --- Undo -----------------------------------------------------------------------------------------


def _is_head(record: ImportedRecord) -> bool:
    return record.key.count("|") == 2


def _split(key: str) -> tuple[str, int]:
    activity_key, deputy = key.rsplit("|", 1)
    return activity_key, int(deputy)


def _changed_since(records: list[ImportedRecord]) -> bool:
    """Whether the activities and attendance these records describe differ from what was imported."""
    heads = _heads({_split(r.key)[0] for r in records if not _is_head(r)} | {r.key for r in records if _is_head(r)})
    activity_ids = {head.activity_id for head in heads.values() if head.activity_id}
    activities = Activity.objects.in_bulk(activity_ids)
    attendance = ActivityAttendance.objects.filter(activity_id__in=activity_ids)
    statuses = {(a, d): status for a, d, status in attendance.values_list("activity_id", "deputy_id", "status")}
    for record in records:
        if _is_head(record):
            activity = activities.get(record.activity_id)
            if activity is not None and common.fingerprint(_attributes(activity)) != record.fingerprint:
                return True
            continue
        activity_key, deputy = _split(record.key)
        head = heads.get(activity_key)
        activity = activities.get(head.activity_id) if head else None
        if activity is None:
            continue
        status = statuses.get((activity.id, deputy))
        if status is None or _row_fingerprint(status, _attributes(activity)) != record.fingerprint:
            return True
    return False


def _rows_of(heads: list[ImportedRecord]):
    """The row records of these activities (their keys continue the activity's key)."""
    starts = Q()
    for head in heads:
        starts |= Q(key__startswith=f"{head.key}|")
    return ImportedRecord.objects.filter(starts, kind=KIND)


def undo_blockers(batch: ImportBatch) -> list[str]:
    reasons = common.later_import_blocker(batch, KIND)
    created, corrected = common.touched_by(batch, KIND)
    created = list(created)
    changed = _changed_since([*created, *corrected])
    heads = [record for record in created if _is_head(record) and record.activity_id]
    if heads:
        rows = list(_rows_of(heads).values_list("key", "batch_id"))
        if any(batch_id != batch.id for _key, batch_id in rows):
            reasons.append(_("A later import added attendance to its activities; undo that import first."))
        imported = {_split(key) for key, _batch in rows}
        key_of = {head.activity_id: head.key for head in heads}
        attending = ActivityAttendance.objects.filter(activity_id__in=key_of).values_list("activity_id", "deputy_id")
        changed = changed or any((key_of[activity_id], deputy) not in imported for activity_id, deputy in attending)
    if changed:
        reasons.append(_("Some of its activities or their attendance have been changed in the product since."))
    return reasons


def undo(batch: ImportBatch) -> None:
    created, corrected = common.touched_by(batch, KIND)
    corrected = list(corrected.select_for_update())
    created = list(created.select_for_update())
    heads = _heads(
        {_split(r.key)[0] for r in [*created, *corrected] if not _is_head(r)}
        | {r.key for r in [*created, *corrected] if _is_head(r)}
    )
    removed = {record.activity_id for record in created if _is_head(record) and record.activity_id}
    for record in corrected:
        previous = common.unmark_updated(record)
        if _is_head(record):
            if record.activity_id:
                Activity.objects.filter(id=record.activity_id).update(**previous)
            continue
        activity_key, deputy = _split(record.key)
        head = heads.get(activity_key)
        if head and head.activity_id:
            ActivityAttendance.objects.filter(activity_id=head.activity_id, deputy_id=deputy).update(
                status=previous["status"]
            )
    for record in created:
        if _is_head(record):
            continue
        activity_key, deputy = _split(record.key)
        head = heads.get(activity_key)
        if head is None or not head.activity_id or head.activity_id in removed:
            continue
        attendance = ActivityAttendance.objects.filter(activity_id=head.activity_id, deputy_id=deputy)
        if record.previous and record.previous["state"]["status"]:
            attendance.update(status=record.previous["state"]["status"])
        else:
            attendance.delete()
    ImportedRecord.objects.filter(id__in=[record.id for record in created]).delete()
    Activity.objects.filter(id__in=removed).delete()
