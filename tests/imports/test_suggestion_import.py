"""Importing a suggestion-handling ledger (建议办理台账): the template, the check before anything is written,
all or nothing, idempotence, corrections, undo, deadlines counted on the working-day calendar, and the
year's rates the statistics then show."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.errors import ActionRefused
from deputies.models import Deputy
from imports import services
from imports.models import BatchStatus, ImportBatch, ImportedRecord
from imports.reading import parse_date
from suggestions import services as suggestion_services
from suggestions.deadlines import add_months
from suggestions.models import Action, Contact, Evaluation, Reply, State, Suggestion, SuggestionEvent
from suggestions.selectors import suggestion_stats
from tests.builders.people import client_for
from tests.imports.suggestion_ledgers import srow, suggestion_upload

TODAY = dt.date(2026, 3, 2)  # the ledger's year (2025) has closed; some replies came in January


@pytest.fixture
def rs(reception_street, frozen_today):
    frozen_today(TODAY)
    return reception_street


def ledger_rows():
    """Eight suggestions of 2025, dates typed every way, stopping at every stage of handling."""
    return [
        # Closed: replied on time (due 2025-04-10) after meeting the deputy, 满意.
        srow(
            **{
                "建议编号": "2025-001",
                "建议标题": "关于增设公交站台遮雨棚的建议",
                "建议内容": "白沙大道多个公交站台没有遮雨棚，雨天候车困难。",
                "附议代表": "李代表",
                "建议类别": "交通出行",
                "提交日期": "2025.1.6",
                "交办日期": "2025年1月10日",
                "主办单位": "区住建局",
                "协办单位": "甲社区居委会",
                "沟通联系日期": "2025-02-01",
                "沟通方式": "见面",
                "答复日期": "2025-03-20",
                "答复类别": "A类",
                "答复内容": "已增设遮雨棚6处。",
                "代表评价": "满意",
                "评价日期": "2025-03-25",
            }
        ),
        # Replied late (due 2025-05-20), 不满意, re-handled, then 基本满意.
        srow(
            **{
                "建议编号": "2025-002",
                "建议标题": "关于老旧小区加装电梯的建议",
                "提交日期": 45700,  # an Excel serial: 2025-02-12
                "交办日期": dt.date(2025, 2, 20),
                "主办单位": "区住建局",
                "答复日期": "2025/6/10",
                "答复类别": "B",
                "答复内容": "已列入明年计划。",
                "代表评价": "不满意",
                "评价日期": "2025-06-15",
                "再次答复日期": "2025-07-10",
                "再次答复类别": "A类：已解决或基本解决",
                "再次答复内容": "已开工建设。",
                "再次评价": "基本满意",
                "再次评价日期": "2025-07-12",
            }
        ),
        # Assigned, never replied: stays assigned.
        srow(
            **{
                "建议编号": "2025-003",
                "建议标题": "关于规范共享单车停放的建议",
                "提交日期": "2025/4/1",
                "交办日期": "20250408",
                "主办单位": "甲社区居委会",
            }
        ),
        # Across the National Day holiday: submitted on Friday 26 September, assigned on the fifth working
        # day after (28 and 29, 30 September, 9 and 10 October): on time. Replied on time (due 2026-01-10).
        srow(
            **{
                "建议编号": "2025-004",
                "建议标题": "关于延长社区食堂营业时间的建议",
                "提交日期": "2025-09-26",
                "交办日期": "2025-10-10",
                "主办单位": "甲社区居委会",
                "答复日期": "2026-01-09",
                "答复类别": "C",
                "答复内容": "待条件成熟时解决。",
            }
        ),
        # The same submission assigned on the sixth working day (Saturday 11 October, a make-up day): late.
        srow(
            **{
                "建议编号": "2025-005",
                "建议标题": "关于增加社区健身器材的建议",
                "提交日期": "2025-09-26",
                "交办日期": "2025-10-11",
                "主办单位": "甲社区居委会",
            }
        ),
        # Submitted, not yet assigned: not in the year's statistics.
        srow(**{"建议编号": "2025-006", "建议标题": "关于修缮社区文化站的建议", "提交日期": "2025-12-20"}),
        # Assigned on 26 September (return requests until 13 October, reply due 26 December), replied on
        # the last day, 不满意, re-handling still open. Its lead deputy is resident nowhere: station written.
        srow(
            **{
                "建议编号": "2025-007",
                "建议标题": "关于整治背街小巷环境卫生的建议",
                "领衔代表": "李代表",
                "附议代表": "王代表",
                "联络站": "甲片区实践站",
                "建议类别": "环境",
                "提交日期": "2025-09-20",
                "交办日期": "2025-09-26",
                "主办单位": "甲社区居委会",
                "答复日期": "2025-12-26",
                "答复类别": "A",
                "答复内容": "已组织清扫。",
                "代表评价": "不满意",
                "评价日期": "2025-12-30",
            }
        ),
        # Closed after two replies, finally 不满意.
        srow(
            **{
                "建议编号": "2025-008",
                "建议标题": "关于解决小区停车难的建议",
                "提交日期": "2025-05-06",
                "交办日期": "2025-05-12",
                "主办单位": "区住建局",
                "答复日期": "2025-07-01",
                "答复类别": "D",
                "答复内容": "留作参考。",
                "代表评价": "不满意",
                "再次答复日期": "2025-08-01",
                "再次答复类别": "D",
                "再次答复内容": "仍留作参考。",
                "再次评价": "不满意",
            }
        ),
    ]


def check(actor, rows, **kwargs) -> ImportBatch:
    batch = services.batch_upload(actor=actor, kind="suggestions", upload=suggestion_upload(rows, **kwargs))
    return ImportBatch.objects.get(id=batch.id)  # without a broker the check ran on commit


def confirm(actor, batch) -> ImportBatch:
    services.batch_confirm(batch=batch, actor=actor)
    return ImportBatch.objects.get(id=batch.id)


def counts() -> tuple:
    return (
        Suggestion.objects.count(),
        SuggestionEvent.objects.count(),
        Reply.objects.count(),
        Evaluation.objects.count(),
        Contact.objects.count(),
        ImportedRecord.objects.count(),
    )


def imported(number: str) -> Suggestion:
    return Suggestion.objects.get(imported_from__key__endswith=f"|{number}")


@pytest.mark.django_db(transaction=True)
def test_the_template_downloads_with_instructions_and_drop_downs_and_fills_in_to_a_ledger(rs, client):
    client.force_login(rs.staff_a)
    response = client.get(reverse("imports:template", args=["suggestions"]))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    sheet = book["台账"]
    headers = [cell.value for cell in sheet[2]]
    assert headers[:4] == ["建议编号*", "建议标题*", "建议内容", "领衔代表*"]
    assert {"提交日期*", "交办日期", "主办单位", "答复日期", "答复类别", "代表评价", "再次评价"} <= set(headers)
    guide = [row[0].value for row in book["填写说明"].iter_rows(min_row=2)]
    assert "答复类别" in guide and "沟通联系日期" in guide
    validated = {str(ref).split(":")[0] for dv in sheet.data_validations.dataValidation for ref in dv.sqref.ranges}
    letter = {header.rstrip("*"): chr(ord("A") + index) for index, header in enumerate(headers)}
    for column in ("联络站", "建议类别", "主办单位", "答复类别", "代表评价", "沟通方式"):
        assert f"{letter[column]}3" in validated, column
    options = {column[0].value: [c.value for c in column[1:] if c.value] for column in book["选项"].iter_cols()}
    assert options["联络站"] == ["甲一社区实践点", "甲片区实践站"]  # staff of 甲: their subtree
    assert options["代表评价"] == ["满意", "基本满意", "不满意"]
    assert options["主办单位"] == ["区住建局", "甲社区居委会"]
    # Filled in, the template itself is a valid ledger.
    row = dict.fromkeys(headers)
    row.update({"建议编号*": "T-1", "建议标题*": "门口积水", "领衔代表*": "王代表", "提交日期*": dt.date(2025, 4, 1)})
    row.update({"交办日期": dt.date(2025, 4, 3), "主办单位": "区住建局", "答复类别": "A类：已解决或基本解决"})
    row.update({"答复日期": dt.date(2025, 5, 6), "答复内容": "已疏通", "代表评价": "满意"})
    sheet.append(list(row.values()))
    buffer = BytesIO()
    book.save(buffer)
    batch = services.batch_upload(
        actor=rs.staff_a, kind="suggestions", upload=SimpleUploadedFile("t.xlsx", buffer.getvalue())
    )
    batch.refresh_from_db()
    assert batch.status == BatchStatus.READY and batch.created_count == 1, batch.errors


@pytest.mark.django_db(transaction=True)
def test_a_messy_ledger_is_checked_then_imported_through_the_services_with_its_own_dates(rs):
    batch = check(rs.staff_a, ledger_rows())
    assert batch.status == BatchStatus.READY, batch.errors
    assert (batch.rows_total, batch.created_count, batch.updated_count, batch.error_count) == (8, 8, 0, 0)
    assert Suggestion.objects.count() == 0  # the check writes nothing

    batch = confirm(rs.staff_a, batch)
    assert batch.status == BatchStatus.IMPORTED, (batch.failure, batch.errors)
    assert Suggestion.objects.count() == 8

    states = {n: imported(f"2025-00{n}").state for n in range(1, 9)}
    assert states == {
        1: State.CLOSED,
        2: State.CLOSED,
        3: State.ASSIGNED,
        4: State.REPLIED,
        5: State.ASSIGNED,
        6: State.SUBMITTED,
        7: State.REHANDLING,
        8: State.CLOSED,
    }
    shelter = imported("2025-001")
    assert shelter.lead_deputy == rs.owner and shelter.category == "traffic"
    assert list(shelter.cosignatures.values_list("deputy__name", "status")) == [("李代表", "confirmed")]
    assert shelter.submitted_at.date() == dt.date(2025, 1, 6) and shelter.assigned_on == dt.date(2025, 1, 10)
    assert shelter.lead_unit == rs.other_unit
    assert set(shelter.assignments.values_list("unit__name", "role")) == {("区住建局", "lead"), ("甲社区居委会", "co")}
    assert shelter.reply_due == dt.date(2025, 4, 10) and shelter.first_reply_on_time is True
    assert shelter.contacted and shelter.contacts.get().contacted_on == dt.date(2025, 2, 1)
    assert shelter.final_rating == "satisfied" and shelter.closed_at.date() == dt.date(2025, 3, 25)
    # The timeline is the one back-recording gives: each step on its day, entered today by the importer.
    events = list(shelter.events.order_by("at", "id"))
    assert [e.action for e in events] == [
        Action.CREATE,
        Action.SUBMIT,
        Action.ASSIGN,
        Action.ACKNOWLEDGE,
        Action.RECORD_CONTACT,
        Action.REPLY,
        Action.EVALUATE,
    ]
    assert [e.at.date() for e in events][2:] == [
        dt.date(2025, 1, 10),
        dt.date(2025, 2, 1),
        dt.date(2025, 2, 1),
        dt.date(2025, 3, 20),
        dt.date(2025, 3, 25),
    ]
    assert all(e.entered_at.date() == TODAY and e.actor == rs.staff_a for e in events)

    elevator = imported("2025-002")
    assert elevator.submitted_at.date() == dt.date(2025, 2, 12)  # the serial number
    assert elevator.first_reply_on_time is False and elevator.first_rating == "unsatisfied"
    assert elevator.reply_round == 2 and elevator.reply_class == "A" and elevator.final_rating == "basically_satisfied"
    assert elevator.replies.get(round=2).due_on == dt.date(2025, 7, 15)  # one month after the evaluation
    unrated = imported("2025-008").evaluations.get(is_first=True)
    assert unrated.evaluated_at.date() == dt.date(2025, 7, 1)  # no date of evaluation: the reply's
    assert imported("2025-007").imported_from.station == rs.a


@pytest.mark.django_db(transaction=True)
def test_the_suggestion_page_says_which_ledger_row_it_came_from(rs, client):
    batch = confirm(rs.staff_a, check(rs.staff_a, ledger_rows()))
    client.force_login(rs.office)
    log = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert reverse("suggestions:detail", args=[imported("2025-003").pk]) in log  # the import log links each row
    response = client.get(reverse("suggestions:detail", args=[imported("2025-003").pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="imported-from"' in text and "建议办理台账.xlsx" in text and "第 6 行" in text


@pytest.mark.django_db(transaction=True)
def test_deadlines_across_the_national_day_holiday_follow_the_working_day_calendar(rs):
    confirm(rs.staff_a, check(rs.staff_a, ledger_rows()))
    on_time, late = imported("2025-004"), imported("2025-005")
    # Five working days after Friday 26 September 2025: 28 (a make-up Sunday), 29, 30 September, then
    # 1–8 October are the holiday: 9 and 10 October.
    assert on_time.assign_due == late.assign_due == dt.date(2025, 10, 10)
    assign = {s.pk: s.events.get(action=Action.ASSIGN) for s in (on_time, late)}
    assert "late" not in assign[on_time.pk].data
    assert assign[late.pk].data["late"] is True
    # Assigned on 26 September: seven working days for a return request run to 13 October (not 8 October).
    street = imported("2025-007")
    assert street.return_request_due == dt.date(2025, 10, 13)
    first_reply = street.replies.get()
    assert first_reply.due_on == dt.date(2025, 12, 26) and first_reply.on_time and street.first_reply_on_time
    # Re-handling: the second reply is due a month after the 不满意 of 30 December; overdue today.
    assert street.state == State.REHANDLING and street.reply_due == dt.date(2026, 1, 30)
    assert street.is_overdue_on(TODAY)
    assert imported("2025-004").first_reply_on_time is True  # 9 January 2026, due 10 January


@pytest.mark.django_db(transaction=True)
def test_the_years_rates_equal_the_ledgers_own_totals(rs):
    rows = ledger_rows()
    confirm(rs.staff_a, check(rs.staff_a, rows))

    # Counted by hand from the rows: the year of 交办 is 2025 for every assigned row.
    assigned = [r for r in rows if "交办日期" in r]
    replied = [r for r in assigned if "答复日期" in r]
    on_time = [r for r in replied if parse_date(r["答复日期"]) <= add_months(parse_date(r["交办日期"]), 3)]
    # The final rating: the second one, or a first one that was not 不满意 (that one is re-handled).
    final = [
        r.get("再次评价") or r["代表评价"]
        for r in assigned
        if "再次评价" in r or r.get("代表评价", "不满意") != "不满意"
    ]
    closed = len(final)
    satisfied = [rating for rating in final if rating in ("满意", "基本满意")]
    assert (len(assigned), len(replied), len(on_time), closed, len(satisfied)) == (7, 5, 4, 3, 2)

    stats = suggestion_stats(rs.office, year=2025)
    assert stats["assigned"] == len(assigned) and stats["replied"] == len(replied) and stats["closed"] == closed
    assert stats["reply_rate"] == round(len(replied) / len(assigned), 4)
    assert stats["on_time_rate"] == round(len(on_time) / len(replied), 4)
    assert stats["closure_rate"] == round(closed / len(assigned), 4)
    assert stats["satisfaction_rate"] == round(len(satisfied) / closed, 4)
    response = client_for(rs.office).get("/api/v1/stats/suggestions/", {"year": 2025})
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("reply_rate", "on_time_rate", "closure_rate", "satisfaction_rate")} == {
        k: stats[k] for k in ("reply_rate", "on_time_rate", "closure_rate", "satisfaction_rate")
    }
    assert client_for(rs.office).get("/api/v1/stats/suggestions/", {"year": 2026}).json()["assigned"] == 0


@pytest.mark.django_db(transaction=True)
def test_problems_are_listed_on_their_cells_in_chinese_and_nothing_is_written(rs):
    Deputy.objects.create(name="陈代表")
    Deputy.objects.create(name="陈代表")
    before = counts()
    rows = ledger_rows()
    rows[0]["答复日期"] = "2025-01-08"  # before the assignment
    del rows[0]["沟通联系日期"], rows[0]["沟通方式"]
    rows[1]["提交日期"] = "2026-03-10"  # in the future
    rows[2]["主办单位"] = "区交通局"  # no such unit
    rows[3]["领衔代表"] = "陈代表"  # two deputies of that name
    rows[4]["答复类别"] = "甲类"  # not a class
    rows[5]["领衔代表"] = "赵代表"  # a deputy of station 乙: not staff A's
    rows.append(srow(**{"建议编号": "2025-008", "提交日期": "2025-01-07"}))  # the same number twice
    rows.append(srow(**{"建议编号": "2025-009", "交办日期": "2025-03-06"}))  # assigned without a unit
    batch = check(rs.staff_a, rows)
    assert batch.status == BatchStatus.INVALID
    found = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert found[(4, "答复日期")] == "早于交办日期。"
    assert (5, "提交日期") in found and found[(5, "提交日期")] == "日期在今天之后。"
    assert "区交通局" in found[(6, "主办单位")]
    assert "陈代表" in found[(7, "领衔代表")]
    assert found[(8, "答复类别")] == "请填写 A、B、C 或 D。"
    assert "赵代表" in found[(9, "领衔代表")]
    assert found[(12, "建议编号")] == "与第 11 行是同一条记录。"
    assert (13, "主办单位") in found
    with pytest.raises(services.ActionRefused):
        services.batch_confirm(batch=batch, actor=rs.staff_a)
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_all_or_nothing_when_a_row_no_longer_holds_at_import(rs):
    batch = check(rs.staff_a, ledger_rows())
    assert batch.status == BatchStatus.READY
    rs.unit.name = "甲社区居委会（已更名）"
    rs.unit.save()
    before = counts()
    batch = confirm(rs.staff_a, batch)
    assert batch.status == BatchStatus.INVALID
    assert {e["column"] for e in batch.errors} == {"主办单位", "协办单位"}
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_importing_the_same_file_twice_changes_nothing(rs):
    confirm(rs.staff_a, check(rs.staff_a, ledger_rows()))
    before = counts()
    again = check(rs.office, ledger_rows())
    assert again.status == BatchStatus.READY, again.errors
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 8)
    with pytest.raises(services.ActionRefused) as refused:
        services.batch_confirm(batch=again, actor=rs.office)
    assert refused.value.code == "nothing_to_import"
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_a_corrected_ledger_updates_texts_and_adds_steps_and_undo_restores_it(rs):
    first = confirm(rs.staff_a, check(rs.staff_a, ledger_rows()))
    rows = ledger_rows()
    rows[0]["建议标题"] = "关于增设公交站台遮雨棚的建议（更正）"
    rows[0]["答复内容"] = "已增设遮雨棚8处。"
    rows[2].update({"答复日期": "2025-06-30", "答复类别": "B", "答复内容": "正在规划停放点。", "代表评价": "满意"})
    rows.append(srow(**{"建议编号": "2025-009", "建议标题": "新增一件", "提交日期": "2025-11-11"}))
    second = check(rs.staff_a, rows, name="建议办理台账-更正.xlsx")
    assert second.status == BatchStatus.READY, second.errors
    assert (second.created_count, second.updated_count, second.unchanged_count) == (1, 2, 6)
    second = confirm(rs.staff_a, second)
    assert second.status == BatchStatus.IMPORTED, (second.failure, second.errors)

    shelter = imported("2025-001")
    assert shelter.title.endswith("（更正）") and shelter.replies.get().content == "已增设遮雨棚8处。"
    bikes = imported("2025-003")
    assert bikes.state == State.CLOSED and bikes.reply_class == "B" and bikes.first_reply_on_time is True
    assert bikes.replies.get().replied_on == dt.date(2025, 6, 30)
    assert bikes.imported_from.updated_by_batch_id == second.id

    # A step the product already holds cannot be changed from a ledger.
    rows[1]["答复日期"] = "2025-06-11"
    rows[3]["主办单位"] = "区住建局"
    refused = check(rs.staff_a, rows, name="再更正.xlsx")
    found = {(e["row"], e["column"]): e["message"] for e in refused.errors}
    assert set(found) == {(5, "答复日期"), (7, "主办单位")}
    assert "2025-06-10" in found[(5, "答复日期")] and "不能" in found[(5, "答复日期")]
    assert found[(7, "主办单位")] == "系统中已记录为「甲社区居委会」，不能通过台账更改（请在系统中更正）。"

    # The first import cannot be undone while a later one corrected its suggestions.
    with pytest.raises(services.ActionRefused):
        services.batch_undo(batch=first, actor=rs.staff_a)
    services.batch_undo(batch=second, actor=rs.staff_a)
    shelter.refresh_from_db()
    bikes.refresh_from_db()
    assert shelter.title == "关于增设公交站台遮雨棚的建议" and shelter.replies.get().content == "已增设遮雨棚6处。"
    assert bikes.state == State.ASSIGNED and bikes.reply_round == 0 and not bikes.replies.exists()
    assert bikes.first_replied_on is None and not bikes.evaluations.exists()
    assert not bikes.events.filter(action__in=[Action.ACKNOWLEDGE, Action.REPLY, Action.EVALUATE]).exists()
    assert not Suggestion.objects.filter(title="新增一件").exists()
    assert ImportBatch.objects.get(id=second.id).status == BatchStatus.UNDONE

    services.batch_undo(batch=first, actor=rs.staff_a)
    assert counts() == (0, 0, 0, 0, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_undo_is_refused_once_a_step_was_recorded_in_the_product(rs, frozen_today):
    batch = confirm(rs.staff_a, check(rs.staff_a, ledger_rows()))
    frozen_today(TODAY + dt.timedelta(days=1))
    suggestion_services.suggestion_evaluate(
        suggestion=imported("2025-004"), actor=rs.office, rating="satisfied", happened_on=dt.date(2026, 1, 20)
    )
    before = counts()
    with pytest.raises(services.ActionRefused) as refused:
        services.batch_undo(batch=batch, actor=rs.staff_a)
    assert refused.value.code == "built_upon"
    assert counts() == before
    # And the ledger, imported again, does not undo the evaluation either: it simply lacks it.
    again = check(rs.staff_a, ledger_rows())
    assert again.unchanged_count == 8


@pytest.mark.django_db(transaction=True)
def test_a_service_refusing_a_row_at_import_fails_the_batch_and_writes_nothing(rs, monkeypatch):
    batch = check(rs.staff_a, ledger_rows())
    assert batch.status == BatchStatus.READY
    real_reply = suggestion_services.suggestion_reply

    def refuse_the_late_one(*, suggestion, **kwargs):
        if suggestion.title == "关于解决小区停车难的建议":  # the last row: seven suggestions are written by then
            raise ActionRefused("不允许。")
        return real_reply(suggestion=suggestion, **kwargs)

    monkeypatch.setattr(suggestion_services, "suggestion_reply", refuse_the_late_one)
    before = counts()
    batch = confirm(rs.staff_a, batch)
    assert batch.status == BatchStatus.FAILED
    assert "第 11 行" in batch.failure and "不允许。" in batch.failure
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_checking_costs_the_same_queries_for_a_few_rows_as_for_many(rs, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    confirm(rs.staff_a, check(rs.staff_a, ledger_rows()))  # rows already imported are compared too

    monkeypatch.setattr(services, "enqueue_on_commit", lambda *args: None)  # the check runs below, measured

    def queries_for(rows):
        batch = services.batch_upload(actor=rs.staff_a, kind="suggestions", upload=suggestion_upload(rows))
        assert ImportBatch.objects.get(id=batch.id).status == BatchStatus.PENDING
        with CaptureQueriesContext(connection) as captured:
            services.batch_check(batch_id=batch.id)
        checked = ImportBatch.objects.get(id=batch.id)
        assert checked.status == BatchStatus.READY and checked.rows_total == len(rows), checked.errors
        return len(captured)

    many = ledger_rows() + [
        srow(**{"建议编号": f"X-{n}", "交办日期": "2025-03-06", "主办单位": "区住建局"}) for n in range(60)
    ]
    for row in many[:8]:
        row["建议标题"] += "（更正）"  # corrections: the imported suggestions are read and compared
    assert queries_for(ledger_rows()) == queries_for(many)


@pytest.mark.django_db(transaction=True)
def test_the_command_imports_a_suggestion_ledger(rs, tmp_path):
    from django.core.management import call_command

    from tests.imports.ledgers import workbook_bytes
    from tests.imports.suggestion_ledgers import HEADERS

    path = tmp_path / "建议办理台账.xlsx"
    path.write_bytes(workbook_bytes(ledger_rows(), headers=HEADERS))
    call_command("import_ledger", str(path), "--user", "office", "--kind", "suggestions")
    assert Suggestion.objects.count() == 0
    call_command("import_ledger", str(path), "--user", "office", "--kind", "suggestions", "--confirm")
    assert Suggestion.objects.count() == 8
    assert set(Suggestion.objects.values_list("events__actor__username", flat=True)) == {"office"}


@pytest.mark.django_db(transaction=True)
def test_hostile_cells_are_never_run_and_markup_is_shown_escaped(rs, client):
    # A formula cell is read for its value, never as a formula: with no computed value it is an empty title.
    rows = ledger_rows()[:1]
    rows[0]["建议标题"] = '=HYPERLINK("http://evil.example","点我")'
    before = counts()
    batch = check(rs.staff_a, rows)
    assert batch.status == BatchStatus.INVALID
    assert [(e["column"], e["message"]) for e in batch.errors] == [("建议标题", "请填写建议标题。")]
    assert counts() == before
    # Markup in a cell is kept as the text it is and escaped on the page.
    rows[0]["建议标题"] = "关于<b>路灯</b>的建议"
    rows[0]["建议内容"] = "<script>alert(1)</script>路灯不亮"
    batch = check(rs.staff_a, rows)
    assert batch.status == BatchStatus.READY, batch.errors
    confirm(rs.staff_a, batch)
    suggestion = imported("2025-001")
    assert suggestion.content == "<script>alert(1)</script>路灯不亮"
    client.force_login(rs.office)
    page = client.get(f"/suggestions/{suggestion.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
