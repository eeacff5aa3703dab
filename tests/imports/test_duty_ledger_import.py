"""Importing the duty ledgers: grid duties (网格履职台账), voter contacts (联系选民台账) and activities with
attendance (代表活动及出席台账). Templates, messy files, the check before anything is written, all or
nothing, idempotence, corrections, undo, and the grid duties on the compliance pages month by month."""

import datetime as dt
import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from deputies.models import ConstituentLink
from duties.models import Activity, ActivityAttendance, GridAssignment, GridDuty, VoterContact
from duties.selectors import duty_year
from duties.services.grid_duties import activity_set_attendance, grid_duty_update
from imports import services
from imports.models import BatchStatus, ImportBatch, ImportedRecord
from tests.builders.people import client_for
from tests.imports.ledgers import workbook_bytes

TODAY = dt.date(2025, 6, 10)

DUTY_HEADERS = ["登记编号", "联络站", "网格名称", "代表", "履职类型", "日期", "情况说明"]
CONTACT_HEADERS = ["编号", "代表姓名", "联系时间", "联系方式", "人数", "主要内容", "联系对象", "备注"]
ACTIVITY_HEADERS = ["联络站", "活动名称", "活动日期", "活动类型", "活动地点", "代表姓名", "出席情况"]


@pytest.fixture
def rs(reception_street, frozen_today):
    frozen_today(TODAY)
    return reception_street


def check(actor, kind, data: bytes, name="台账.xlsx") -> ImportBatch:
    batch = services.batch_upload(actor=actor, kind=kind, upload=SimpleUploadedFile(name, data))
    return ImportBatch.objects.get(id=batch.id)  # without a broker the check ran on commit


def confirm(actor, batch) -> ImportBatch:
    services.batch_confirm(batch=batch, actor=actor)
    return ImportBatch.objects.get(id=batch.id)


def problems(batch) -> dict:
    return {(e["row"], e["column"]): e["message"] for e in batch.errors}


def duty(number=None, grid="第一网格", deputy="王代表", kind="巡网格", date="2025.1.15", note=None, station=None):
    values = {"登记编号": number, "联络站": station, "网格名称": grid, "代表": deputy, "履职类型": kind}
    values.update({"日期": date, "情况说明": note})
    return {key: value for key, value in values.items() if value is not None}


def duty_rows() -> list[dict]:
    """王代表's patrols and grid meetings in 2025 at grid A-1 as the station keeps them: no patrol in March."""
    return [
        duty("WG-01", date="2025.1.15"),
        duty("WG-02", grid="A-1", kind="网格例会", date="2025年1月20日"),
        duty("WG-03", kind="巡查网格", date=dt.date(2025, 2, 10), note="走访沿街商铺"),
        duty("WG-04", kind="社区网格例会", date=45700),  # an Excel serial: 2025-02-12
        duty("WG-05", date="20250415"),
        duty("WG-06", grid="第二网格", deputy="李代表", kind="调研", date="2025-04-03"),
    ]


def duty_file(rows, **kwargs) -> bytes:
    return workbook_bytes(rows, headers=DUTY_HEADERS, title="甲片区网格履职台账（2025年）", **kwargs)


def contact(number=None, deputy="王代表", date="2025.3.8", way="电话", people=None, subject="了解小区停车难", **more):
    values = {"编号": number, "代表姓名": deputy, "联系时间": date, "联系方式": way, "人数": people}
    values.update({"主要内容": subject, **more})
    return {key: value for key, value in values.items() if value is not None}


def contact_rows() -> list[dict]:
    return [
        contact("LX-1", date="2025.3.8", people="3人"),
        contact("LX-2", date="2025年4月2日", way="入户走访", subject="回访独居老人", 联系对象="陈阿姨"),
        contact(date=dt.date(2025, 5, 20), way="座谈会", people=12, subject="听取加装电梯意见", deputy="李代表"),
    ]


def contact_file(rows) -> bytes:
    return workbook_bytes(rows, headers=CONTACT_HEADERS, title="代表联系选民台账")


def activity_file(blocks, *, merge=True) -> bytes:
    """Activities as a station keeps them: each activity's cells merged down over its deputies' rows (or,
    without ``merge``, written again on every row)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "活动台账"
    sheet.cell(row=1, column=1, value="2025年代表活动及出席情况登记表")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(ACTIVITY_HEADERS))
    for index, header in enumerate(ACTIVITY_HEADERS, start=1):
        sheet.cell(row=2, column=index, value=header)
    line = 3
    for activity, people in blocks:
        first = line
        for name, status in people:
            if merge and line > first:  # merged cells: the value is on the first row only
                pass
            else:
                for index, header in enumerate(ACTIVITY_HEADERS[:5], start=1):
                    sheet.cell(row=line, column=index, value=activity.get(header))
            sheet.cell(row=line, column=6, value=name)
            sheet.cell(row=line, column=7, value=status)
            line += 1
        if merge and line - first > 1:
            for index in range(1, 6):
                sheet.merge_cells(start_row=first, start_column=index, end_row=line - 1, end_column=index)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


INSPECTION = {"联络站": "甲片区实践站", "活动名称": "视察老旧小区改造", "活动日期": "2025.4.10", "活动类型": "视察"}
INSPECTION["活动地点"] = "甲社区"
LAW_CHECK = {"联络站": "甲片区实践站", "活动名称": "食品安全执法检查", "活动日期": "2025年6月1日"}
LAW_CHECK["活动类型"] = "执法检查"


def activity_blocks():
    return [
        (INSPECTION, [("王代表", "出席"), ("李代表", "请假"), ("赵代表", "未到")]),
        (LAW_CHECK, [("王代表", "√"), ("李代表", None)]),
    ]


# --- Templates ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("kind", "headers", "choice_column", "choices"),
    [
        ("grid_duties", ["登记编号", "联络站", "网格*", "代表姓名*", "履职事项*", "履职日期*", "备注"], "E", "巡网格"),
        (
            "voter_contacts",
            ["登记编号", "代表姓名*", "联系日期*", "联系方式*", "联系人数", "联系事由*", "双联对象", "备注"],
            "D",
            "入户走访",
        ),
        (
            "activities",
            ["联络站*", "活动名称*", "活动日期*", "活动类型*", "活动地点", "活动内容", "代表姓名*", "出席情况"],
            "D",
            "执法检查",
        ),
    ],
)
def test_each_template_downloads_with_headers_instructions_and_drop_downs(
    rs, client, kind, headers, choice_column, choices
):
    client.force_login(rs.staff_a)
    response = client.get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    sheet = book["台账"]
    assert [cell.value for cell in sheet[2]] == headers
    guide = book["填写说明"]
    assert [row[0] for row in guide.iter_rows(min_row=2, max_row=len(headers) + 1, values_only=True)] == [
        header.rstrip("*") for header in headers
    ]
    validated = {str(ref).split(":")[0] for dv in sheet.data_validations.dataValidation for ref in dv.sqref.ranges}
    assert f"{choice_column}3" in validated
    options = {cell.value for column in book["选项"].iter_cols() for cell in column}
    assert choices in options
    if kind != "voter_contacts":
        assert "甲片区实践站" in options and "乙片区实践站" not in options  # the user's stations only
    else:
        assert {"王代表", "李代表"} <= options and "赵代表" not in options  # the deputies they keep contacts for


@pytest.mark.django_db(transaction=True)
def test_the_kinds_are_offered_for_upload(rs):
    offered = [value for value, _label in services.kind_choices()]
    assert {"reception", "grid_duties", "voter_contacts", "activities"} <= set(offered)


# --- Grid duties ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_messy_grid_duty_ledger_imports_through_the_duty_rules(rs):
    batch = check(rs.staff_a, "grid_duties", duty_file(duty_rows()))
    assert batch.status == BatchStatus.READY, batch.errors
    assert (batch.rows_total, batch.created_count, batch.error_count) == (6, 6, 0)
    assert GridDuty.objects.count() == 0  # the preview writes nothing

    batch = confirm(rs.staff_a, batch)
    assert batch.status == BatchStatus.IMPORTED
    duties = {(d.deputy.name, d.grid.code, d.kind, d.date) for d in GridDuty.objects.select_related("deputy", "grid")}
    assert duties == {
        ("王代表", "A-1", "patrol", dt.date(2025, 1, 15)),
        ("王代表", "A-1", "grid_meeting", dt.date(2025, 1, 20)),
        ("王代表", "A-1", "patrol", dt.date(2025, 2, 10)),
        ("王代表", "A-1", "grid_meeting", dt.date(2025, 2, 12)),
        ("王代表", "A-1", "patrol", dt.date(2025, 4, 15)),
        ("李代表", "A-2", "research", dt.date(2025, 4, 3)),
    }
    # As when the station records a past duty in the product: closed periods are 补录, by the importer.
    assert GridDuty.objects.get(date=dt.date(2025, 1, 15)).back_recorded is True
    assert GridDuty.objects.get(kind="research").back_recorded is False  # the second quarter is still open
    assert set(GridDuty.objects.values_list("recorded_by", flat=True)) == {rs.staff_a.id}
    assert GridDuty.objects.get(date=dt.date(2025, 2, 10)).note == "走访沿街商铺"
    assert ImportedRecord.objects.filter(batch=batch, grid_duty__isnull=False, station=rs.a).count() == 6


@pytest.mark.django_db(transaction=True)
def test_imported_grid_duties_show_month_by_month_and_a_missing_march_as_missing(rs, client):
    confirm(rs.staff_a, check(rs.staff_a, "grid_duties", duty_file(duty_rows())))
    year = {row["kind"]: row for row in duty_year([rs.owner.id], 2025, TODAY)[rs.owner.id]}
    patrol = [p.status for p in year["patrol"]["periods"]]
    assert patrol[:6] == ["done", "done", "missed", "done", "missed", "open"]
    assert [p.start.month for p in year["patrol"]["missed"]] == [3, 5]
    assert [p.start.month for p in year["grid_meeting"]["missed"]] == [3, 4, 5]

    client.force_login(rs.staff_a)
    page = client.get(reverse("liaison:duty_overview")).content.decode()
    owner_row = re.search(r"<tr><td><a [^>]*>王代表</a>.*?</tr>", page, re.S).group(0)
    assert "巡网格：3月、5月" in owner_row
    page = client.get(reverse("liaison:duty_deputy", args=[rs.owner.id]) + "?year=2025").content.decode()
    patrol_row = re.search(r'<tr data-kind="patrol">.*?</tr>', page, re.S).group(0)
    assert re.findall(r'data-status="(\w+)"', patrol_row)[:4] == ["done", "done", "missed", "done"]


@pytest.mark.django_db(transaction=True)
def test_grid_duty_problems_are_reported_by_row_and_column_and_nothing_is_written(rs):
    rows = duty_rows()
    rows[0]["网格名称"] = "第二网格"  # 王代表 is not assigned there
    rows[1]["日期"] = "2025-07-01"  # in the future
    rows[2]["代表"] = "无名氏"
    rows[3]["履职类型"] = "打扫卫生"
    rows[4]["网格名称"] = "第九网格"
    rows.append(duty("WG-06", grid="第二网格", deputy="李代表", kind="调研", date="2025-04-04"))  # a number twice
    batch = check(rs.staff_a, "grid_duties", duty_file(rows))
    assert batch.status == BatchStatus.INVALID
    found = problems(batch)
    assert found[(4, "网格")] == "该代表当天未分配在此网格。"
    assert found[(5, "履职日期")] == "日期在今天之后。"
    assert "无名氏" in found[(6, "代表姓名")]
    assert found[(7, "履职事项")].startswith("请填写以下之一：巡网格")
    assert "第九网格" in found[(8, "网格")]
    assert found[(10, "登记编号")] == "与第 9 行是同一条记录。"
    assert batch.error_count == 6
    with pytest.raises(services.ActionRefused):
        services.batch_confirm(batch=batch, actor=rs.staff_a)
    assert GridDuty.objects.count() == 0 and ImportedRecord.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_an_ambiguous_grid_name_is_an_error_never_a_guess_and_the_station_settles_it(rs):
    # The office keeps both stations, each with a 第一网格.
    batch = check(rs.office, "grid_duties", duty_file([duty("WG-01")]))
    assert "第一网格" in problems(batch)[(4, "网格")] and "编码" in problems(batch)[(4, "网格")]
    batch = check(rs.office, "grid_duties", duty_file([duty("WG-01", station="甲片区实践站")]))
    assert batch.status == BatchStatus.READY, batch.errors
    # Staff of B do not keep A's grids.
    batch = check(rs.staff_b, "grid_duties", duty_file([duty("WG-01", grid="A-1")]))
    assert set(problems(batch)) == {(4, "网格")}


@pytest.mark.django_db(transaction=True)
def test_grid_duties_all_or_nothing_when_the_database_changed_since_the_preview(rs):
    batch = check(rs.staff_a, "grid_duties", duty_file(duty_rows()))
    assert batch.status == BatchStatus.READY
    # Meanwhile the colleague's assignment to A-2 turns out to have started in May.
    GridAssignment.objects.filter(deputy=rs.colleague).update(start_date=dt.date(2025, 5, 1))
    batch = confirm(rs.staff_a, batch)
    assert batch.status == BatchStatus.INVALID
    assert problems(batch) == {(9, "网格"): "该代表当天未分配在此网格。"}
    assert GridDuty.objects.count() == 0 and ImportedRecord.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_grid_duties_twice_change_nothing_a_correction_updates_and_undo_restores(rs):
    first = confirm(rs.staff_a, check(rs.staff_a, "grid_duties", duty_file(duty_rows())))
    again = check(rs.staff_a, "grid_duties", duty_file(duty_rows()))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 6)
    with pytest.raises(services.ActionRefused) as refused:
        services.batch_confirm(batch=again, actor=rs.staff_a)
    assert refused.value.code == "nothing_to_import"
    assert GridDuty.objects.count() == 6

    rows = duty_rows()
    rows[4]["日期"] = "2025.3.28"  # WG-05 was March's patrol, not April's
    rows.append(duty(date="2025.5.6"))  # an unnumbered new row
    second = check(rs.staff_a, "grid_duties", duty_file(rows), name="更正.xlsx")
    assert (second.created_count, second.updated_count, second.unchanged_count) == (1, 1, 5)
    second = confirm(rs.staff_a, second)
    corrected = GridDuty.objects.get(imported_from__key=f"{rs.a.id}|no|WG-05")
    assert corrected.date == dt.date(2025, 3, 28) and corrected.updated_by == rs.staff_a
    assert GridDuty.objects.count() == 7

    with pytest.raises(services.ActionRefused):  # the first import is undone after the correction
        services.batch_undo(batch=first, actor=rs.staff_a)
    services.batch_undo(batch=second, actor=rs.staff_a)
    corrected.refresh_from_db()
    assert corrected.date == dt.date(2025, 4, 15) and GridDuty.objects.count() == 6
    services.batch_undo(batch=first, actor=rs.staff_a)
    assert GridDuty.objects.count() == 0 and ImportedRecord.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_grid_duty_undo_is_refused_once_a_duty_was_changed_in_the_product(rs):
    batch = confirm(rs.staff_a, check(rs.staff_a, "grid_duties", duty_file(duty_rows())))
    grid_duty_update(duty=GridDuty.objects.get(date=dt.date(2025, 4, 15)), actor=rs.office, note="补充说明")
    with pytest.raises(services.ActionRefused) as refused:
        services.batch_undo(batch=batch, actor=rs.staff_a)
    assert refused.value.code == "built_upon"
    assert GridDuty.objects.count() == 6


# --- Voter contacts -------------------------------------------------------------------------------


@pytest.fixture
def linked(rs):
    return ConstituentLink.objects.create(deputy=rs.owner, name="陈阿姨", phone="13800002222")


@pytest.mark.django_db(transaction=True)
def test_a_messy_voter_contact_ledger_imports(rs, linked):
    batch = check(rs.staff_a, "voter_contacts", contact_file(contact_rows()))
    assert batch.status == BatchStatus.READY, batch.errors
    assert batch.created_count == 3 and VoterContact.objects.count() == 0
    confirm(rs.staff_a, batch)
    contacts = {c.subject: c for c in VoterContact.objects.select_related("deputy")}
    assert contacts["了解小区停车难"].people == 3 and contacts["了解小区停车难"].way == "phone"
    assert contacts["回访独居老人"].way == "home_visit" and contacts["回访独居老人"].constituent == linked
    assert contacts["回访独居老人"].date == dt.date(2025, 4, 2)
    meeting = contacts["听取加装电梯意见"]
    assert (meeting.deputy, meeting.way, meeting.people, meeting.date) == (
        rs.colleague,
        "meeting",
        12,
        dt.date(2025, 5, 20),
    )
    assert {c.recorded_by_id for c in contacts.values()} == {rs.staff_a.id}


@pytest.mark.django_db(transaction=True)
def test_voter_contact_problems_and_scope(rs, linked):
    rows = contact_rows()
    rows[0]["代表姓名"] = "赵代表"  # a deputy of station B
    rows[1]["联系对象"] = "刘大爷"  # not linked to 王代表
    rows[2]["人数"] = 800
    rows.append(contact(subject=None, date="1999-12-31"))
    batch = check(rs.staff_a, "voter_contacts", contact_file(rows))
    found = problems(batch)
    assert set(found) == {(4, "代表姓名"), (5, "双联对象"), (6, "联系人数"), (7, "联系日期"), (7, "联系事由")}
    assert "刘大爷" in found[(5, "双联对象")]
    assert VoterContact.objects.count() == 0
    # The office keeps contacts for every deputy.
    rows = contact_rows()
    rows[0]["代表姓名"] = "赵代表"
    assert check(rs.office, "voter_contacts", contact_file(rows)).status == BatchStatus.READY


@pytest.mark.django_db(transaction=True)
def test_voter_contacts_twice_change_nothing_a_correction_updates_and_undo_restores(rs, linked):
    first = confirm(rs.staff_a, check(rs.staff_a, "voter_contacts", contact_file(contact_rows())))
    again = check(rs.staff_a, "voter_contacts", contact_file(contact_rows()))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)

    rows = contact_rows()
    rows[0]["主要内容"] = "了解小区停车难及充电桩"
    rows[0]["人数"] = 5
    second = confirm(rs.staff_a, check(rs.staff_a, "voter_contacts", contact_file(rows)))
    assert (second.created_count, second.updated_count) == (0, 1)
    corrected = VoterContact.objects.get(imported_from__key=f"{rs.owner.id}|no|LX-1")
    assert (corrected.subject, corrected.people) == ("了解小区停车难及充电桩", 5)
    assert VoterContact.objects.count() == 3

    services.batch_undo(batch=second, actor=rs.staff_a)
    corrected.refresh_from_db()
    assert (corrected.subject, corrected.people) == ("了解小区停车难", 3)
    # Changed in the product since: the first import can no longer be undone.
    corrected.note = "已回访"
    corrected.save()
    with pytest.raises(services.ActionRefused) as refused:
        services.batch_undo(batch=first, actor=rs.staff_a)
    assert refused.value.code == "built_upon"
    corrected.note = ""
    corrected.save()
    services.batch_undo(batch=first, actor=rs.staff_a)
    assert VoterContact.objects.count() == 0 and ImportedRecord.objects.count() == 0


# --- Activities -----------------------------------------------------------------------------------


def attendance() -> set:
    return set(ActivityAttendance.objects.values_list("activity__title", "deputy__name", "status"))


@pytest.mark.django_db(transaction=True)
def test_an_activity_ledger_with_merged_cells_creates_each_activity_once_with_its_attendance(rs):
    batch = check(rs.staff_a, "activities", activity_file(activity_blocks()))
    assert batch.status == BatchStatus.READY, batch.errors
    assert (batch.rows_total, batch.created_count) == (5, 5)
    assert Activity.objects.count() == 0
    batch = confirm(rs.staff_a, batch)
    assert Activity.objects.count() == 2
    inspection = Activity.objects.get(title="视察老旧小区改造")
    assert (inspection.station, inspection.kind, inspection.date, inspection.location) == (
        rs.a,
        "inspection",
        dt.date(2025, 4, 10),
        "甲社区",
    )
    assert Activity.objects.get(title="食品安全执法检查").date == dt.date(2025, 6, 1)
    assert attendance() == {
        ("视察老旧小区改造", "王代表", "present"),
        ("视察老旧小区改造", "李代表", "excused"),
        ("视察老旧小区改造", "赵代表", "absent"),
        ("食品安全执法检查", "王代表", "present"),
        ("食品安全执法检查", "李代表", "present"),
    }
    assert ImportedRecord.objects.filter(batch=batch, activity__isnull=False).count() == 2
    assert ImportedRecord.objects.filter(batch=batch).count() == 7  # two activities, five rows


@pytest.mark.django_db(transaction=True)
def test_activity_problems_are_reported_and_nothing_is_written(rs):
    rs.outsider.is_active = False
    rs.outsider.save()
    blocks = activity_blocks()
    blocks.append(({**INSPECTION, "活动类型": "调研"}, [("王代表", "出席")]))  # the same activity, another kind
    blocks.append(({**LAW_CHECK, "活动名称": "未来活动", "活动日期": "2025-12-01"}, [("王代表", "出席")]))
    blocks.append(({**LAW_CHECK, "活动名称": "考勤有误"}, [("王代表", "迟到")]))
    batch = check(rs.staff_a, "activities", activity_file(blocks))
    found = problems(batch)
    assert "赵代表" in found[(5, "代表姓名")]  # no longer serving
    assert found[(8, "活动类型")] == "与第 3 行的同一活动不一致。"
    assert found[(9, "活动日期")] == "日期在今天之后。"
    assert (10, "出席情况") in found
    assert batch.error_count == 4
    assert Activity.objects.count() == 0 and ImportedRecord.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_activities_twice_change_nothing_a_correction_updates_and_undo_restores(rs):
    first = confirm(rs.staff_a, check(rs.staff_a, "activities", activity_file(activity_blocks())))
    again = check(rs.staff_a, "activities", activity_file(activity_blocks(), merge=False))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 5)

    blocks = activity_blocks()
    blocks[0] = (INSPECTION, [("王代表", "出席"), ("李代表", "出席"), ("赵代表", "未到")])  # 李代表 came after all
    blocks[1] = (LAW_CHECK, [("王代表", "√"), ("李代表", None), ("赵代表", "请假")])  # a row added
    second = check(rs.staff_a, "activities", activity_file(blocks))
    assert (second.created_count, second.updated_count, second.unchanged_count) == (1, 1, 4)
    second = confirm(rs.staff_a, second)
    assert Activity.objects.count() == 2  # the activity is not created again
    assert ("视察老旧小区改造", "李代表", "present") in attendance()
    assert ("食品安全执法检查", "赵代表", "excused") in attendance()

    with pytest.raises(services.ActionRefused):
        services.batch_undo(batch=first, actor=rs.staff_a)  # the later import added to its activities
    services.batch_undo(batch=second, actor=rs.staff_a)
    assert ("视察老旧小区改造", "李代表", "excused") in attendance()
    assert len(attendance()) == 5
    services.batch_undo(batch=first, actor=rs.staff_a)
    assert Activity.objects.count() == 0 and ImportedRecord.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_activity_rows_add_to_an_activity_already_in_the_product_and_undo_refuses_product_changes(rs):
    batch = confirm(rs.staff_a, check(rs.staff_a, "activities", activity_file(activity_blocks())))
    activity = Activity.objects.get(title="视察老旧小区改造")
    activity_set_attendance(
        activity=activity,
        attendance={rs.owner.id: "present", rs.colleague.id: "excused", rs.outsider.id: "present"},
        actor=rs.staff_a,
    )
    with pytest.raises(services.ActionRefused) as refused:
        services.batch_undo(batch=batch, actor=rs.staff_a)
    assert refused.value.code == "built_upon"
    assert Activity.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_row_the_duty_service_still_refuses_stops_the_import_with_its_row_and_nothing_is_written(rs):
    confirm(rs.staff_a, check(rs.staff_a, "grid_duties", duty_file(duty_rows())))
    # The colleague's assignment is found to have started later: the recorded research visit (April 3rd)
    # no longer holds, and the product refuses to correct a duty that does not (``grid_duty_update``).
    GridAssignment.objects.filter(deputy=rs.colleague).update(start_date=dt.date(2025, 4, 10))
    rows = duty_rows()
    rows[5]["日期"] = "2025-04-20"
    batch = check(rs.staff_a, "grid_duties", duty_file(rows))
    assert batch.status == BatchStatus.READY and batch.updated_count == 1
    before = list(GridDuty.objects.order_by("id").values_list("id", "date", "updated_by"))
    batch = confirm(rs.staff_a, batch)
    assert batch.status == BatchStatus.FAILED
    assert batch.failure == "第 9 行「网格」：该代表当天未分配在此网格。"
    assert list(GridDuty.objects.order_by("id").values_list("id", "date", "updated_by")) == before
    assert not ImportedRecord.objects.filter(updated_by_batch=batch).exists()


@pytest.mark.django_db(transaction=True)
def test_checking_a_duty_ledger_costs_the_same_queries_for_six_rows_as_for_ninety(rs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(rows):
        data = duty_file(rows)
        batch = services.batch_upload.__wrapped__(
            actor=rs.staff_a, kind="grid_duties", upload=SimpleUploadedFile("t.xlsx", data)
        )
        with CaptureQueriesContext(connection) as captured:
            services.batch_check(batch_id=batch.id)
        assert ImportBatch.objects.get(id=batch.id).status == BatchStatus.READY
        return len(captured)

    many = [duty(f"N-{n}", date=dt.date(2025, 1 + n % 5, 1 + n // 5)) for n in range(90)]
    assert queries_for(duty_rows()) == queries_for(many)


@pytest.mark.django_db(transaction=True)
def test_the_import_log_lists_the_rows_of_a_duty_ledger(rs, client):
    batch = confirm(rs.staff_a, check(rs.staff_a, "activities", activity_file(activity_blocks())))
    client.force_login(rs.staff_a)
    page = client.get(reverse("imports:detail", args=[batch.id])).content.decode()
    assert "代表活动及出席台账" in page and "视察老旧小区改造" in page


@pytest.mark.django_db(transaction=True)
def test_a_numbered_duty_keeps_its_deputy(rs):
    confirm(rs.staff_a, check(rs.staff_a, "grid_duties", duty_file(duty_rows())))
    rows = duty_rows()
    rows[5]["代表"] = "王代表"
    rows[5]["网格名称"] = "第一网格"  # WG-06 was 李代表's research visit
    batch = check(rs.staff_a, "grid_duties", duty_file(rows))
    assert problems(batch) == {(9, "代表姓名"): "该编号的履职记录登记的是另一位代表；履职记录的代表不能更改。"}


@pytest.mark.django_db(transaction=True)
def test_the_api_takes_the_duty_ledgers(rs, linked):
    client = client_for(rs.staff_a)
    upload = SimpleUploadedFile("联系选民台账.xlsx", contact_file(contact_rows()))
    response = client.post("/api/v1/imports/", {"kind": "voter_contacts", "file": upload}, format="multipart")
    assert response.status_code == 201 and response.json()["status"] == "ready", response.json()
    batch_id = response.json()["id"]
    assert client.post(f"/api/v1/imports/{batch_id}/confirm/").json()["status"] == "imported"
    assert VoterContact.objects.count() == 3
    assert client.post(f"/api/v1/imports/{batch_id}/undo/").json()["status"] == "undone"
    assert VoterContact.objects.count() == 0
