"""Real Chromium: a station clerk uploads a ledger with a mistake, reads the problem, uploads the
corrected file, confirms, and finds the imported opinion in the reception list."""

import datetime as dt

import pytest

from imports.models import ImportBatch
from liaison.models import Opinion
from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)
from tests.imports.ledgers import row, workbook_bytes


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_clerk_fixes_a_ledger_and_imports_it(page, reception_street, tmp_path):  # noqa: F811
    bad = tmp_path / "接待台账.xlsx"
    bad.write_bytes(workbook_bytes([row(**{"接待日期": "2025.9.31", "意见内容": "楼道灯坏了"})]))
    good = tmp_path / "接待台账-改.xlsx"
    good.write_bytes(workbook_bytes([row(**{"接待日期": dt.date(2025, 9, 30), "意见内容": "楼道灯坏了"})]))

    login(page, "staff_a")
    page.goto("/imports/")
    assert page.is_visible("text=下载模板：接待台账（接待记录与群众意见）")
    page.set_input_files("input[name=file]", str(bad))
    page.click("#import-upload button[type=submit]")
    page.wait_for_selector("#import-problems")
    assert "第 4 行「接待日期」：没有这个日期。" in page.inner_text("#import-problems")
    assert not page.is_visible("#import-confirm")

    page.goto("/imports/")
    page.set_input_files("input[name=file]", str(good))
    page.click("#import-upload button[type=submit]")
    page.wait_for_selector("#import-confirm")
    assert page.inner_text("#import-created") == "1"
    page.click("#import-confirm button[type=submit]")
    page.wait_for_selector("#import-records")
    assert "台账已导入" in page.content()
    assert Opinion.objects.get().received_on == dt.date(2025, 9, 30)

    page.goto("/stations/reception/opinions/")
    assert "楼道灯坏了" in page.inner_text("#opinion-table")
    page.goto(f"/imports/{ImportBatch.objects.latest('id').id}/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#import-undo button[type=submit]")
    page.wait_for_selector("text=已撤销导入")
    assert Opinion.objects.count() == 0
