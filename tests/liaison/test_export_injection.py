"""Opinion text, names and station names written as formulas come out of the CSV exports as text."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from liaison.services.public import public_opinion_submit
from liaison.services.reception import visit_record
from tests.liaison import reception_support

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
street = reception_support.street

DDE = "=cmd|' /C calc'!A0"


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _formula_cells(rows):
    return [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_a_public_opinion_written_as_a_formula_is_text_in_the_opinion_export(client, street):
    public_opinion_submit(station=street.a, deputy=street.owner, category="other", content=DDE, contact_name="+钱七")
    client.force_login(street.staff_a)

    rows = _rows(client.get(reverse("liaison:opinion_list"), {"export": "csv"}))

    assert rows[0][4] == "内容"
    assert rows[1][4] == "'" + DDE
    assert _formula_cells(rows) == []


def test_every_trigger_character_is_neutralised_in_the_visit_export(client, street):
    for i, name in enumerate(["-2+3", "@SUM(A1)", "\t=1", "\r=1"]):
        visit_record(
            actor=street.staff_a,
            station=street.a,
            date=date(2024, 3, 15 + i),
            channel="at_station",
            headcount=1,
            deputies=[street.owner],
            constituents=[{"name": name, "phone": ""}],
            opinions=[{"category": "traffic", "content": "路口拥堵"}],
        )
    client.force_login(street.staff_a)

    rows = _rows(client.get(reverse("liaison:visit_list"), {"export": "csv"}))

    assert len(rows) == 5
    assert _formula_cells(rows) == []
    assert {row[3] for row in rows[1:]} == {"1"}  # the headcount stays a plain number
