"""Importing a deputies roster (代表名册): the template, a messy roster, names that fit no deputy or
several, all or nothing, idempotence, corrections, undo and what blocks it, and the deputies it shows."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from deputies.models import Deputy, DeputyGroup, GroupKind, Term
from deputies.services import deputy_create, deputy_update
from duties.models import GridAssignment
from imports import services
from imports.models import BatchStatus, ImportBatch, ImportedRecord
from tests.builders import deputies as d
from tests.builders.people import client_for
from tests.builders.reception import visit

TODAY = dt.date(2026, 1, 12)
HEADERS = [
    "序号",
    "代表姓名",
    "代表类别",
    "性别",
    "出生年月",
    "政治面貌",
    "工作单位及职务",
    "联系电话",
    "代表层级",
    "届次",
    "选区",
    "任期",
    "代表小组",
    "进站联络站",
    "网格",
    "网格职务",
    "专兼职",
]


@pytest.fixture
def rs(reception_street, frozen_today):
    frozen_today(TODAY)
    return reception_street


def person(**values) -> dict:
    """One roster row by header; the defaults make a county deputy of station 甲片区实践站."""
    base = {
        "代表姓名": "陈新民",
        "性别": "男",
        "出生年月": "1975.3",
        "政治面貌": "中共党员",
        "工作单位及职务": "甲社区党委书记",
        "联系电话": "13800001111",
        "代表层级": "区人大代表",
        "届次": "某区第十八届人民代表大会",
        "选区": "第3选区",
        "任期": "2021-2026",
        "代表小组": "甲片区代表小组",
        "进站联络站": "甲片区实践站",
        "网格": "第一网格",
    }
    base.update(values)
    return {key: value for key, value in base.items() if value is not None}


def roster_rows() -> list[dict]:
    """Three people in four rows: 陈新民 holds two seats (a row each), a deliberation representative, and
    王代表, already in the product (entered there), now given his term and group by the roster and made a
    full-time member of the grid he leads."""
    return [
        person(),
        person(
            **{
                "代表层级": "街道",
                "届次": "白沙街道第五届人民代表大会",
                "选区": None,
                "任期": "2022年至2027年",
                "网格": None,
                "联系电话": None,
            }
        ),
        person(
            **{
                "代表姓名": "刘议政",
                "代表类别": "议政代表",
                "性别": "女",
                "出生年月": dt.date(1980, 5, 4),
                "联系电话": "020-83001234",
                "代表层级": None,
                "届次": None,
                "选区": None,
                "任期": None,
                "代表小组": None,
                "进站联络站": "甲一社区实践点",
                "网格": "A-2",
                "网格职务": "网格长",
            }
        ),
        person(
            **{
                "代表姓名": "王代表",
                "出生年月": None,
                "联系电话": None,
                "任期": 2021,
                "网格": "A-1",
                "网格职务": "网格员",
                "专兼职": "专职",
            }
        ),
    ]


def roster_bytes(rows: list[dict], *, title=True, notes=False) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "名册"
    line = 1
    if title:
        sheet.cell(row=1, column=1, value="白沙街道人大代表、议政代表名册")
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
        line += 1
    if notes:
        sheet.cell(row=line, column=1, value="（截至2025年底）")
        line += 1
    for index, header in enumerate(HEADERS, start=1):
        sheet.cell(row=line, column=index, value=header)
    for number, values in enumerate(rows, start=1):
        line += 1
        sheet.cell(row=line, column=1, value=number)
        for index, header in enumerate(HEADERS, start=1):
            if header in values:
                sheet.cell(row=line, column=index, value=values[header])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def check(actor, rows, name="代表名册.xlsx", **kwargs) -> ImportBatch:
    upload = SimpleUploadedFile(name, roster_bytes(rows, **kwargs))
    batch = services.batch_upload(actor=actor, kind="deputies", upload=upload)
    return ImportBatch.objects.get(id=batch.id)  # without a broker the check ran on commit


def confirm(actor, batch) -> ImportBatch:
    services.batch_confirm(batch=batch, actor=actor)
    return ImportBatch.objects.get(id=batch.id)


def counts() -> tuple:
    return (
        Deputy.objects.count(),
        Term.objects.count(),
        GridAssignment.objects.count(),
        DeputyGroup.members.through.objects.count(),
        Deputy.resident_stations.through.objects.count(),
        ImportedRecord.objects.count(),
    )


def terms_of(deputy) -> set:
    return set(deputy.terms.values_list("level", "congress", "constituency", "start_year", "end_year"))


@pytest.mark.django_db(transaction=True)
def test_the_template_downloads_with_headers_instructions_and_drop_downs(rs, client):
    client.force_login(rs.office)
    response = client.get(reverse("imports:template", args=["deputies"]))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    sheet = book["台账"]
    assert sheet["A1"].value == "代表名册"
    headers = [cell.value for cell in sheet[2]]
    assert headers[:4] == ["姓名*", "代表类别", "性别", "出生年份"]
    assert {"层级", "届次", "任期开始年份", "代表小组", "进站联络站", "网格", "联系电话"} <= set(headers)
    guide = book["填写说明"]
    assert [c.value for c in guide[1]] == ["列", "是否必填", "说明"]
    assert any(row[0] == "出生年份" and "同名" in row[2] for row in guide.iter_rows(values_only=True))
    options = book["选项"]
    lists = {col[0].value: [c.value for c in col[1:] if c.value] for col in options.iter_cols()}
    assert lists["代表类别"] == ["人大代表", "议政代表"]
    assert lists["层级"] == ["全国", "省级", "市级", "县（区）级", "乡镇（街道）级"]
    assert lists["代表小组"] == ["甲片区代表小组"]
    assert "甲片区实践站" in lists["进站联络站"]
    validations = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    level_letter = chr(ord("A") + headers.index("层级"))
    assert validations[f"{level_letter}3:{level_letter}2002"].showErrorMessage
    group_letter = chr(ord("A") + headers.index("代表小组"))
    assert not validations[f"{group_letter}3:{group_letter}2002"].showErrorMessage  # several names allowed

    # Filled in, the template itself is a valid roster.
    values = {"姓名*": "蒋新", "出生年份": 1979, "层级": "县（区）级", "届次": "某区第十八届人民代表大会"}
    values |= {"任期开始年份": 2021, "代表小组": "甲片区代表小组", "进站联络站": "甲片区实践站", "网格": "A-2"}
    sheet.append([values.get(header) for header in headers])
    buffer = BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("t.xlsx", buffer.getvalue())
    batch = ImportBatch.objects.get(id=services.batch_upload(actor=rs.office, kind="deputies", upload=upload).id)
    assert batch.status == BatchStatus.READY and batch.created_count == 1, batch.errors

    # Only those who record deputies import them.
    client.force_login(rs.staff_a)
    assert client.get(reverse("imports:template", args=["deputies"])).status_code == 403
    with pytest.raises(services.PermissionRefused):
        check(rs.staff_a, roster_rows())
    assert "deputies" not in dict(services.kind_choices(rs.staff_a))
    assert "deputies" in dict(services.kind_choices(rs.office))
    upload = SimpleUploadedFile("r.xlsx", roster_bytes(roster_rows()))
    response = client_for(rs.staff_a).post("/api/v1/imports/", {"kind": "deputies", "file": upload}, format="multipart")
    assert response.status_code == 403 and ImportBatch.objects.count() == 1  # the office's, above


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("notes", [False, True])
def test_a_messy_roster_is_checked_then_imported_through_the_deputies_rules(rs, notes):
    before = counts()
    batch = check(rs.office, roster_rows(), notes=notes)
    assert batch.status == BatchStatus.READY, batch.errors
    assert (batch.rows_total, batch.created_count, batch.updated_count, batch.error_count) == (4, 2, 1, 0)
    assert counts() == before  # the check writes nothing

    batch = confirm(rs.office, batch)
    assert batch.status == BatchStatus.IMPORTED
    chen = Deputy.objects.get(name="陈新民")
    assert (chen.kind, chen.gender, chen.birth_year, chen.party) == ("congress", "male", 1975, "中共党员")
    assert chen.phone == "13800001111" and chen.occupation == "甲社区党委书记"
    assert terms_of(chen) == {
        ("county", "某区第十八届人民代表大会", "第3选区", 2021, 2026),
        ("township", "白沙街道第五届人民代表大会", "", 2022, 2027),
    }
    assert list(chen.groups.values_list("name", flat=True)) == ["甲片区代表小组"]
    assert list(chen.resident_stations.all()) == [rs.a]
    # 「第一网格」 is the name of a grid of A and of B: the one in the deputy's station's area is meant.
    assignment = chen.grid_assignments.get()
    assert assignment.grid == rs.grid_a1 and assignment.start_date == TODAY and assignment.end_date is None

    liu = Deputy.objects.get(name="刘议政")
    assert (liu.kind, liu.gender, liu.birth_year, liu.phone) == ("deliberation", "female", 1980, "020-83001234")
    assert not liu.terms.exists() and list(liu.resident_stations.all()) == [rs.a1]
    assignment = liu.grid_assignments.get()
    assert (assignment.grid, assignment.role, assignment.mode) == (rs.grid_a2, "leader", "part_time")  # by code

    # 王代表 was entered in the product: the roster names him and updates him, it does not add a second one.
    assert Deputy.objects.filter(name="王代表").count() == 1
    rs.owner.refresh_from_db()
    assert terms_of(rs.owner) == {("county", "某区第十八届人民代表大会", "第3选区", 2021, None)}
    assert set(rs.owner.groups.values_list("name", flat=True)) == {"甲片区代表小组"}
    assignment = rs.owner.grid_assignments.get()  # his own, changed; not a second one
    assert (assignment.grid, assignment.role, assignment.mode) == (rs.grid_a1, "member", "full_time")

    header = 3 if notes else 2
    record = chen.imported_from
    assert (record.batch, record.sheet, record.row) == (batch, "名册", header + 1)
    assert liu.imported_from.row == header + 3


@pytest.mark.django_db(transaction=True)
def test_ambiguous_and_unknown_names_are_errors_on_their_cells_and_nothing_is_written(rs):
    deputy_create(name="李代表", birth_year=1970)  # a second 李代表 besides the street's own
    rows = roster_rows()
    rows.append(person(**{"代表姓名": "李代表", "出生年月": None, "网格": None}))
    rows.append(person(**{"代表姓名": "冯代表", "出生年月": 1970, "网格": None, "代表小组": "无此小组"}))
    rows.append(person(**{"代表姓名": "周代表", "出生年月": 1966, "进站联络站": "丙站", "网格": "第九网格"}))
    rows.append(person(**{"代表姓名": "吴代表", "出生年月": 1971, "进站联络站": None, "网格": "第一网格"}))
    rows.append(person(**{"代表姓名": "郑代表", "出生年月": 1972, "代表层级": "乡", "任期": "2027-2022"}))
    rows.append(person(**{"代表姓名": "钱代表", "出生年月": 1973, "联系电话": "12345"}))
    rows.append(person(**{"代表姓名": "孙代表", "出生年月": 1974, "代表类别": "议政代表"}))
    rows.append(person(**{"代表姓名": "韩代表", "出生年月": 1978, "网格": "A-2", "网格职务": "网格长"}))
    before = counts()
    batch = check(rs.office, rows)
    assert batch.status == BatchStatus.INVALID
    found = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert found[(7, "姓名")] == "系统中有 2 位名为「李代表」的代表，请填写出生年份以区分。"
    assert found[(8, "代表小组")] == "没有名为「无此小组」的代表小组，请先创建。"
    assert "丙站" in found[(9, "进站联络站")]
    assert "第九网格" in found[(9, "网格")]
    assert found[(10, "网格")] == "有多个网格名为「第一网格」，请填写网格编码。"
    assert found[(11, "任期结束年份")] == "任期的结束年份不能早于起始年份。"
    assert (12, "联系电话") in found and "12345" not in found[(12, "联系电话")]  # a phone is never echoed
    assert found[(13, "层级")] == "议政代表由街道聘任，不具有人大代表任期。"
    assert found[(14, "网格职务")] == "第 5 行已指定另一位代表为该网格的网格长。"
    assert batch.error_count == len(found) == 9
    with pytest.raises(services.ActionRefused):
        services.batch_confirm(batch=batch, actor=rs.office)
    assert counts() == before

    # The same name with and without a year of birth in one roster is not guessed either.
    rows = [person(), person(**{"出生年月": None, "代表层级": "街道", "任期": "2022-2027"})]
    found = {(e["row"], e["column"]): e["message"] for e in check(rs.office, rows).errors}
    assert "出生年份" in found[(4, "姓名")]


@pytest.mark.django_db(transaction=True)
def test_the_import_rechecks_and_imports_nothing_when_a_row_no_longer_holds(rs):
    batch = check(rs.office, roster_rows())
    assert batch.status == BatchStatus.READY
    rs.group_a.name = "甲片区代表小组（已更名）"
    rs.group_a.save()
    before = counts()
    batch = confirm(rs.office, batch)
    assert batch.status == BatchStatus.INVALID
    assert {e["column"] for e in batch.errors} == {"代表小组"}
    assert counts() == before and not Deputy.objects.filter(name="陈新民").exists()


@pytest.mark.django_db(transaction=True)
def test_importing_the_same_roster_twice_changes_nothing(rs):
    confirm(rs.office, check(rs.office, roster_rows()))
    before = counts()
    again = check(rs.office, roster_rows())
    assert again.status == BatchStatus.READY
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    with pytest.raises(services.ActionRefused) as refused:
        services.batch_confirm(batch=again, actor=rs.office)
    assert refused.value.code == "nothing_to_import"
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_a_corrected_roster_updates_the_deputy_and_undo_restores_it(rs):
    owner_before = (terms_of(rs.owner), set(rs.owner.groups.all()), list(rs.owner.resident_stations.all()))
    start = counts()
    first = confirm(rs.office, check(rs.office, roster_rows()))
    education = d.group("教育专业小组", GroupKind.PROFESSION)
    rows = roster_rows()
    rows[0]["代表小组"] = "教育专业小组"
    rows[0]["任期"] = "2021-2025"  # the county term ended early
    rows[0]["联系电话"] = "13900002222"
    rows[1]["代表小组"] = "教育专业小组"
    second = check(rs.office, rows, name="代表名册-更正.xlsx")
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 1, 2), second.errors
    second = confirm(rs.office, second)
    chen = Deputy.objects.get(name="陈新民")
    assert list(chen.groups.all()) == [education]
    assert ("county", "某区第十八届人民代表大会", "第3选区", 2021, 2025) in terms_of(chen)
    assert chen.terms.count() == 2 and chen.phone == "13900002222"
    assert chen.imported_from.updated_by_batch == second

    # The first import cannot be undone while a later one changed its deputies.
    with pytest.raises(services.ActionRefused) as refused:
        services.batch_undo(batch=first, actor=rs.office)
    assert "之后的导入" in refused.value.message
    services.batch_undo(batch=second, actor=rs.office)
    chen.refresh_from_db()
    assert list(chen.groups.values_list("name", flat=True)) == ["甲片区代表小组"]
    assert ("county", "某区第十八届人民代表大会", "第3选区", 2021, 2026) in terms_of(chen)
    assert chen.phone == "13800001111" and chen.imported_from.updated_by_batch is None

    # Undoing the first removes the deputies it created and puts 王代表 back as he was.
    services.batch_undo(batch=first, actor=rs.office)
    assert not Deputy.objects.filter(name__in=["陈新民", "刘议政"]).exists()
    rs.owner.refresh_from_db()
    assert (terms_of(rs.owner), set(rs.owner.groups.all()), list(rs.owner.resident_stations.all())) == owner_before
    assignment = rs.owner.grid_assignments.get()
    assert (assignment.role, assignment.mode) == ("leader", "part_time")
    assert counts() == start
    # Imported again after the undo, the roster creates them anew.
    assert check(rs.office, roster_rows()).created_count == 2


@pytest.mark.django_db(transaction=True)
def test_undo_is_refused_once_an_imported_deputy_was_used(rs):
    batch = confirm(rs.office, check(rs.office, roster_rows()))
    chen = Deputy.objects.get(name="陈新民")
    visit(rs.a, TODAY, actor=rs.staff_a, deputies=[chen])
    before = counts()
    with pytest.raises(services.ActionRefused) as refused:
        services.batch_undo(batch=batch, actor=rs.office)
    assert refused.value.code == "built_upon"
    assert "接待" in refused.value.message  # the visits name the use
    assert counts() == before and ImportBatch.objects.get(id=batch.id).status == BatchStatus.IMPORTED


@pytest.mark.django_db(transaction=True)
def test_undo_is_refused_once_a_deputy_it_changed_was_edited_in_the_product(rs):
    batch = confirm(rs.office, check(rs.office, roster_rows()))
    deputy_update(deputy=rs.owner, occupation="区教育局副局长")  # entered by the office since
    with pytest.raises(services.ActionRefused) as refused:
        services.batch_undo(batch=batch, actor=rs.office)
    assert "王代表" in refused.value.message
    rs.owner.refresh_from_db()
    assert rs.owner.occupation == "区教育局副局长" and Deputy.objects.filter(name="陈新民").exists()


@pytest.mark.django_db(transaction=True)
def test_imported_deputies_show_in_the_list_api_and_their_page(rs, client):
    confirm(rs.office, check(rs.office, roster_rows()))
    chen = Deputy.objects.get(name="陈新民")
    response = client_for(rs.office).get("/api/v1/deputies/", {"q": "陈新民"})
    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    [row] = rows
    assert row["groups"] == [rs.group_a.id] and row["phone"] == "13800001111"
    assert {(t["level"], t["start_year"], t["end_year"]) for t in row["terms"]} == {
        ("county", 2021, 2026),
        ("township", 2022, 2027),
    }
    # Station A's staff now see the deputies resident at A or its points.
    response = client_for(rs.staff_a).get("/api/v1/deputies/", {"station": rs.a.id})
    body = response.json()
    names = {row["name"] for row in (body["results"] if isinstance(body, dict) else body)}
    assert {"陈新民", "刘议政"} <= names

    # The import's page lists the deputies it created or updated, linked to their pages.
    client.force_login(rs.office)
    batch = ImportBatch.objects.get()
    page = client.get(reverse("imports:detail", args=[batch.id])).content.decode()
    assert reverse("deputies:deputy_detail", args=[chen.id]) in page

    # A fellow group member sees the deputy's page with the phone masked, and where the deputy came from.
    client.force_login(rs.colleague_user)
    response = client.get(reverse("deputies:deputy_detail", args=[chen.id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "138****1111" in page and "13800001111" not in page
    assert "代表名册.xlsx" in page and "第 3 行" in page


@pytest.mark.django_db(transaction=True)
def test_checking_costs_the_same_queries_for_four_rows_as_for_two_hundred(rs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    many = [person(**{"代表姓名": f"代表{n:03d}", "出生年月": 1960 + n % 30}) for n in range(200)]

    def queries_for(rows):
        upload = SimpleUploadedFile("r.xlsx", roster_bytes(rows))
        batch = services.batch_upload.__wrapped__(actor=rs.office, kind="deputies", upload=upload)
        with CaptureQueriesContext(connection) as captured:
            services.batch_check(batch_id=batch.id)
        assert ImportBatch.objects.get(id=batch.id).status == BatchStatus.READY
        return len(captured)

    assert queries_for(roster_rows()) == queries_for(many)


@pytest.mark.django_db(transaction=True)
def test_derived_yearly_figures_do_not_block_undo(rs):
    from reports.models import DeputyYear

    batch = confirm(rs.office, check(rs.office, roster_rows()))
    chen = Deputy.objects.get(name="陈新民")
    DeputyYear.objects.create(deputy=chen, year=2025)
    services.batch_undo(batch=batch, actor=rs.office)
    # (The undo rebuilds the summaries: the other deputies' yearly rows are there again, not his.)
    assert not Deputy.objects.filter(name="陈新民").exists()
    assert not DeputyYear.objects.filter(deputy_id=chen.id).exists()


@pytest.mark.django_db(transaction=True)
def test_a_roster_does_not_take_a_group_leader_out_of_their_group(rs):
    from deputies.services import deputy_group_create

    wang = Deputy.objects.get(name="王代表")
    deputy_group_create(name="交通专业代表小组", kind=GroupKind.PROFESSION, leader=wang)
    rows = [person(**{"代表姓名": "王代表", "出生年月": None, "网格": None, "代表小组": "甲片区代表小组"})]
    before = counts()
    batch = check(rs.office, rows)
    found = {e["column"]: e["message"] for e in batch.errors}
    assert batch.status == BatchStatus.INVALID
    assert found["代表小组"] == "该代表是交通专业代表小组的组长：请先更换组长，再将其移出。"
    assert counts() == before
    # Named with it, the roster imports.
    rows[0]["代表小组"] = "甲片区代表小组、交通专业代表小组"
    assert check(rs.office, rows).status == BatchStatus.READY
