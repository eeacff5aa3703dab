"""A suggestion title or a deputy's name written as a formula comes out of the Excel exports as text."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from deputies.services import deputy_create
from suggestions import services as sugg

HYPERLINK = '=HYPERLINK("http://evil.example/","点击查看详情")'

pytestmark = pytest.mark.postgres


def _cells(response):
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def test_a_formula_title_is_text_in_the_key_supervision_export(client, org):
    suggestion = sugg.suggestion_create(actor=org.main_user, title=HYPERLINK, content="内容", category="environment")
    sugg.suggestion_submit(suggestion=suggestion, actor=org.main_user)
    sugg.suggestion_assign(suggestion=suggestion, actor=org.office, lead_unit=org.unit)
    sugg.suggestion_supervise(suggestion=suggestion, actor=org.leader, note="重点督办", key_supervision=True)
    client.force_login(org.leader)

    cells = _cells(client.get("/reports/dashboard/export/key_supervision/"))

    title = [cell for cell in cells if HYPERLINK in str(cell.value)]
    assert len(title) == 1
    assert title[0].data_type == "s" and title[0].value == "'" + HYPERLINK
    assert not [cell for cell in cells if cell.data_type == "f"]


def test_a_formula_name_is_text_in_the_ranking_export(client, org):
    deputy_create(name="@SUM(1+1)*cmd|' /C calc'!A0", phone="13812345678")
    client.force_login(org.office)

    cells = _cells(client.get("/reports/ranking/export/"))

    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in [cell.value for cell in cells]
    assert not [cell for cell in cells if cell.data_type == "f"]
    # Numbers stay numbers: the rank column is numeric.
    assert any(cell.data_type == "n" and cell.value == 1 for cell in cells)
