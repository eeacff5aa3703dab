"""Importing a reception ledger: the check before anything is written, all or nothing, idempotence,
corrections, undo, scope, and the figures the imported year then shows."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from imports import services
from imports.models import BatchStatus, ImportBatch, ImportedRecord
from liaison.models import Opinion, OpinionEvent, OpinionOutcome, Visit, VisitConstituent
from liaison.selectors import station_statistics
from liaison.services.opinions import referral_feedback_add
from organisation.models import Station
from tests.builders.people import client_for
from tests.imports.ledgers import row, upload, workbook_bytes

TODAY = dt.date(2026, 1, 12)  # the ledger's year (2025) has just closed


@pytest.fixture
def rs(reception_street, frozen_today):
    frozen_today(TODAY)
    return reception_street


def ledger_rows():
    """Five opinions of station 甲 in 2025, across the year, with every outcome a ledger records."""
    return [
        row(**{"登记编号": "2025-001", "接待日期": "2025.1.6", "来访人数": 2, "联系电话": "13800001111"}),
        row(
            **{
                "登记编号": "2025-002",
                "接待日期": "2025年3月15日",
                "接待方式": "入户走访",
                "接待代表": "王代表、李代表",
                "网格": "第一网格",
                "意见类别": "城建",
                "意见内容": "小区电梯经常停运",
                "处理方式": "转交办理",
                "转交单位": "甲社区居委会",
                "处理日期": "2025-03-20",
                "办结日期": "2025-06-30",
                "办结情况": "电梯已更换主板，运行正常",
            }
        ),
        row(
            **{
                "登记编号": "2025-003",
                "接待日期": dt.date(2025, 7, 1),
                "处理方式": "当场答复",
                "处理说明": "已解释政策",
                "群众姓名": None,
            }
        ),
        row(**{"登记编号": "2025-004", "接待日期": 45900, "处理方式": "存档备查", "来访人数": "3人"}),
        row(**{"登记编号": "2025-005", "接待日期": "2025.12.31", "意见类别": "交通出行"}),
    ]


def check(actor, rows, **kwargs) -> ImportBatch:
    batch = services.batch_upload(actor=actor, kind="reception", upload=upload(rows, **kwargs))
    return ImportBatch.objects.get(id=batch.id)  # without a broker the check ran on commit


def confirm(actor, batch) -> ImportBatch:
    services.batch_confirm(batch=batch, actor=actor)
    return ImportBatch.objects.get(id=batch.id)


def counts() -> tuple:
    return (
        Visit.objects.count(),
        Opinion.objects.count(),
        VisitConstituent.objects.count(),
        OpinionEvent.objects.count(),
        ImportedRecord.objects.count(),
    )


@pytest.mark.django_db(transaction=True)
def test_a_clean_ledger_is_checked_then_imported_with_its_own_dates(rs):
    batch = check(rs.staff_a, ledger_rows())
    assert batch.status == BatchStatus.READY, batch.errors
    assert (batch.rows_total, batch.created_count, batch.updated_count, batch.error_count) == (5, 5, 0, 0)
    assert Visit.objects.count() == 0  # the check writes nothing

    batch = confirm(rs.staff_a, batch)
    assert batch.status == BatchStatus.IMPORTED
    assert Visit.objects.count() == 5 and Opinion.objects.count() == 5

    elevator = Opinion.objects.get(content="小区电梯经常停运")
    assert elevator.received_on == dt.date(2025, 3, 15)
    assert elevator.outcome == OpinionOutcome.REFERRED and elevator.referral_unit == rs.unit
    assert elevator.outcome_at.date() == dt.date(2025, 3, 20)
    assert elevator.resolved_at.date() == dt.date(2025, 6, 30)
    assert elevator.grid == rs.grid_a1
    assert elevator.visit.channel == "home_visit"
    assert set(elevator.visit.deputies.values_list("name", flat=True)) == {"王代表", "李代表"}
    assert Opinion.objects.get(received_on=dt.date(2025, 8, 31)).outcome == OpinionOutcome.FILED  # serial 45900
    assert Opinion.objects.get(received_on=dt.date(2025, 12, 31)).category == "traffic"  # 交通出行 → 交通
    received = elevator.events.get(kind="received")
    assert "接待台账.xlsx" in received.note and "第 5 行" in received.note  # title, notes, header, rows 4…
    # Each step is dated the day the ledger says, and marked as entered afterwards (补录), today.
    steps = {event.kind: event for event in elevator.events.all()}
    assert steps["received"].at.date() == dt.date(2025, 3, 15)
    assert steps["outcome"].at.date() == dt.date(2025, 3, 20) and steps["resolved"].at.date() == dt.date(2025, 6, 30)
    assert all(event.entered_at.date() == TODAY for event in steps.values())

    # The imported year's figures are the ledger's own totals.
    year = station_statistics(
        stations=Station.objects.filter(id=rs.a.id), date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31)
    )
    assert year == {
        "visits_person_times": 2 + 1 + 1 + 3 + 1,
        "opinions": 5,
        "answered_on_site": 1,
        "escalated": 0,
        "resolved": 1,
    }


@pytest.mark.django_db(transaction=True)
def test_problems_are_listed_by_row_and_column_in_chinese_and_nothing_is_written(rs):
    before = counts()
    rows = ledger_rows()
    rows[1]["处理日期"] = "2025-03-01"  # before the visit
    rows[2]["接待日期"] = "2026-02-01"  # in the future
    rows[3]["转交单位"] = "甲社区居委会"  # filed, yet names a unit
    rows[4]["接待代表"] = "无名氏"
    rows.append(row(**{"登记编号": "2025-001"}))  # the same record twice
    rows.append(row(**{"联络站": "丙站"}))
    batch = check(rs.staff_a, rows)
    assert batch.status == BatchStatus.INVALID
    found = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert found[(5, "处理日期")] == "早于接待日期。"
    assert found[(6, "接待日期")] == "日期在今天之后。"
    assert (7, "转交单位") in found
    assert "无名氏" in found[(8, "接待代表")]
    assert found[(9, "登记编号")] == "与第 4 行是同一条记录。"
    assert "丙站" in found[(10, "联络站")]
    assert batch.error_count == 6
    with pytest.raises(services.ActionRefused):
        services.batch_confirm(batch=batch, actor=rs.staff_a)
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_the_import_rechecks_and_imports_nothing_when_a_row_no_longer_holds(rs):
    batch = check(rs.staff_a, ledger_rows())
    assert batch.status == BatchStatus.READY
    rs.unit.name = "甲社区居委会（已更名）"
    rs.unit.save()
    before = counts()
    batch = confirm(rs.staff_a, batch)
    assert batch.status == BatchStatus.INVALID
    assert any(e["column"] == "转交单位" for e in batch.errors)
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_importing_the_same_file_twice_changes_nothing(rs):
    confirm(rs.staff_a, check(rs.staff_a, ledger_rows()))
    before = counts()
    again = check(rs.staff_a, ledger_rows())
    assert again.status == BatchStatus.READY
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 5)
    with pytest.raises(services.ActionRefused) as refused:
        services.batch_confirm(batch=again, actor=rs.staff_a)
    assert refused.value.code == "nothing_to_import"
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_rows_without_a_ledger_number_are_recognised_by_date_name_and_text(rs):
    rows = [row(**{"接待日期": "2025-05-05"}), row(**{"接待日期": "2025-05-06", "群众姓名": "李四"})]
    confirm(rs.staff_a, check(rs.staff_a, rows))
    again = check(rs.staff_a, rows)
    assert (again.created_count, again.unchanged_count) == (0, 2)


@pytest.mark.django_db(transaction=True)
def test_a_corrected_ledger_updates_what_it_names_and_undo_restores_it(rs):
    first = confirm(rs.staff_a, check(rs.staff_a, ledger_rows()))
    rows = ledger_rows()
    rows[0]["意见内容"] = "路口红绿灯时间太短（更正）"
    rows[0]["来访人数"] = 4
    rows.append(row(**{"登记编号": "2025-006", "接待日期": "2025-10-10", "意见内容": "新增一条"}))
    second = check(rs.staff_a, rows, name="接待台账-更正.xlsx")
    assert (second.created_count, second.updated_count, second.unchanged_count) == (1, 1, 4)
    second = confirm(rs.staff_a, second)
    corrected = Opinion.objects.get(imported_from__key__endswith="|no|2025-001")
    assert corrected.content == "路口红绿灯时间太短（更正）" and corrected.visit.headcount == 4
    assert corrected.events.filter(kind="note", note__contains="接待台账-更正.xlsx").exists()

    # The first import cannot be undone while a later one corrected its records.
    with pytest.raises(services.ActionRefused):
        services.batch_undo(batch=first, actor=rs.staff_a)
    services.batch_undo(batch=second, actor=rs.staff_a)
    corrected.refresh_from_db()
    assert corrected.content == "路口红绿灯时间太短，老人过马路来不及" and corrected.visit.headcount == 2
    assert not Opinion.objects.filter(content="新增一条").exists()
    assert ImportBatch.objects.get(id=second.id).status == BatchStatus.UNDONE

    services.batch_undo(batch=first, actor=rs.staff_a)
    assert counts()[:3] == (0, 0, 0) and ImportedRecord.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_corrections_of_one_row_are_undone_latest_first_back_to_the_original(rs):
    first = confirm(rs.staff_a, check(rs.staff_a, ledger_rows()))
    contents = ["路口红绿灯时间太短（第一次更正）", "路口红绿灯时间太短（第二次更正）"]
    corrections = []
    for number, content in enumerate(contents, start=1):
        rows = ledger_rows()
        rows[0]["意见内容"] = content
        rows[0]["来访人数"] = 2 + number
        corrections.append(confirm(rs.staff_a, check(rs.staff_a, rows, name=f"接待台账-更正{number}.xlsx")))
    opinion = Opinion.objects.get(imported_from__key__endswith="|no|2025-001")
    assert opinion.content == contents[1] and opinion.visit.headcount == 4
    # The earlier correction waits for the later one to be undone.
    with pytest.raises(services.ActionRefused):
        services.batch_undo(batch=corrections[0], actor=rs.staff_a)
    services.batch_undo(batch=corrections[1], actor=rs.staff_a)
    opinion.refresh_from_db()
    assert opinion.content == contents[0] and opinion.visit.headcount == 3
    services.batch_undo(batch=corrections[0], actor=rs.staff_a)
    opinion.refresh_from_db()
    assert opinion.content == "路口红绿灯时间太短，老人过马路来不及" and opinion.visit.headcount == 2
    services.batch_undo(batch=first, actor=rs.staff_a)
    assert counts()[:3] == (0, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_undo_is_refused_once_something_was_built_on_the_records(rs, frozen_today):
    batch = confirm(rs.staff_a, check(rs.staff_a, ledger_rows()))
    frozen_today(TODAY + dt.timedelta(days=1))
    referral_feedback_add(opinion=Opinion.objects.get(content="小区电梯经常停运"), content="已回访", actor=rs.office)
    before = counts()
    with pytest.raises(services.ActionRefused) as refused:
        services.batch_undo(batch=batch, actor=rs.staff_a)
    assert refused.value.code == "built_upon"
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_staff_import_only_into_their_stations_and_deputies_not_at_all(rs):
    batch = check(rs.staff_b, ledger_rows())
    assert batch.status == BatchStatus.INVALID
    assert {e["column"] for e in batch.errors} == {"联络站"}
    with pytest.raises(services.PermissionRefused):
        services.batch_upload(actor=rs.owner_user, kind="reception", upload=upload(ledger_rows()))
    # Station B's staff do not see A's imports; the office sees all.
    mine = check(rs.staff_a, ledger_rows())
    assert client_for(rs.staff_b).get(f"/api/v1/imports/{mine.id}/").status_code == 404
    assert client_for(rs.office).get(f"/api/v1/imports/{mine.id}/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_api_previews_confirms_and_undoes(rs):
    client = client_for(rs.staff_a)
    bad = ledger_rows()
    bad[0]["接待日期"] = "九月底"
    response = client.post("/api/v1/imports/", {"kind": "reception", "file": upload(bad)}, format="multipart")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "invalid" and body["error_count"] == 1
    assert body["problems"][0]["row"] == 4 and body["problems"][0]["column"] == "接待日期"
    assert client.post(f"/api/v1/imports/{body['id']}/confirm/").json()["code"] == "not_ready"

    response = client.post("/api/v1/imports/", {"kind": "reception", "file": upload(ledger_rows())}, format="multipart")
    batch_id = response.json()["id"]
    assert response.json()["status"] == "ready" and response.json()["created_count"] == 5
    response = client.post(f"/api/v1/imports/{batch_id}/confirm/")
    assert response.status_code == 200 and response.json()["status"] == "imported"
    assert Opinion.objects.count() == 5
    response = client.post(f"/api/v1/imports/{batch_id}/undo/")
    assert response.status_code == 200 and response.json()["status"] == "undone"
    assert Opinion.objects.count() == 0
    assert client.post(f"/api/v1/imports/{batch_id}/undo/").status_code == 409


@pytest.mark.django_db
def test_the_api_refuses_what_is_not_a_ledger(rs):
    client = client_for(rs.staff_a)
    fake = upload([], name="ledger.xlsx")
    fake.file = BytesIO(b"<script>alert(1)</script>")
    response = client.post("/api/v1/imports/", {"kind": "reception", "file": fake}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    response = client.post(
        "/api/v1/imports/", {"kind": "reception", "file": upload(ledger_rows()), "dry": "1"}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["code"] == "unknown_field"
    response = client.post("/api/v1/imports/", {"kind": "roster", "file": upload(ledger_rows())}, format="multipart")
    assert response.status_code == 400 and "kind" in response.json()
    assert client_for(rs.owner_user).post("/api/v1/imports/", {}, format="multipart").status_code == 403
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_template_downloads_with_drop_downs_and_fills_in_to_an_importable_ledger(rs, client):
    client.force_login(rs.staff_a)
    response = client.get(reverse("imports:template", args=["reception"]))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    sheet = book["台账"]
    headers = [cell.value for cell in sheet[2]]
    assert headers[:3] == ["登记编号", "联络站*", "接待日期*"]
    assert "填写说明" in book.sheetnames
    validated = {str(ref) for dv in sheet.data_validations.dataValidation for ref in dv.sqref.ranges}
    assert any(ref.startswith("B3") for ref in validated)  # the station drop-down
    stations = [c.value for c in book["选项"]["A"][1:] if c.value]
    assert stations == ["甲一社区实践点", "甲片区实践站"]  # staff of 甲 see their subtree only
    # Filled in, the template itself is a valid ledger.
    sheet.append(
        [None, "甲片区实践站", dt.date(2025, 4, 1), "进站接待", "王代表", None, 1, "张三", None, "其他", "门口积水"]
    )
    buffer = BytesIO()
    book.save(buffer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    batch = services.batch_upload(
        actor=rs.staff_a, kind="reception", upload=SimpleUploadedFile("t.xlsx", buffer.getvalue())
    )
    batch.refresh_from_db()
    assert batch.status == BatchStatus.READY and batch.created_count == 1, batch.errors


@pytest.mark.django_db(transaction=True)
def test_checking_costs_the_same_queries_for_five_rows_as_for_two_hundred(rs, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(services, "enqueue_on_commit", lambda *args: None)  # the check runs below, measured

    def queries_for(rows):
        batch = services.batch_upload(actor=rs.staff_a, kind="reception", upload=upload(rows))
        assert ImportBatch.objects.get(id=batch.id).status == BatchStatus.PENDING
        with CaptureQueriesContext(connection) as captured:
            services.batch_check(batch_id=batch.id)
        checked = ImportBatch.objects.get(id=batch.id)
        assert checked.status == BatchStatus.READY and checked.rows_total == len(rows), checked.errors
        return len(captured)

    many_rows = [row(**{"登记编号": f"X-{n}", "接待日期": "2025-06-01"}) for n in range(200)]
    assert queries_for(ledger_rows()) == queries_for(many_rows)


@pytest.mark.django_db(transaction=True)
def test_the_command_checks_and_imports(rs, tmp_path, capsys):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(workbook_bytes(ledger_rows()))
    call_command("import_ledger", str(path), "--user", "staff_a")
    assert Opinion.objects.count() == 0
    call_command("import_ledger", str(path), "--user", "staff_a", "--confirm")
    assert Opinion.objects.count() == 5
    call_command("import_ledger", str(path), "--user", "staff_a", "--confirm")
    assert Opinion.objects.count() == 5
    assert "nothing to do" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_the_statistics_summaries_are_rebuilt_after_an_import_and_after_its_undo(rs):
    """The dashboards read summary tables rebuilt every few minutes; an import (or its undo) rebuilds them at
    once, so a past year just imported shows in its figures."""
    from django.db.models import Sum

    from reports import summaries
    from reports.models import OpinionMonth

    assert summaries.current() is None
    batch = confirm(rs.staff_a, check(rs.staff_a, ledger_rows()))
    assert batch.status == BatchStatus.IMPORTED
    assert summaries.current() is not None
    assert OpinionMonth.objects.aggregate(n=Sum("opinions"))["n"] == 5
    services.batch_undo(batch=batch, actor=rs.staff_a)
    assert OpinionMonth.objects.aggregate(n=Sum("opinions"))["n"] is None
