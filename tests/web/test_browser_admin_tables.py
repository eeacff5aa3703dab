"""Real Chromium (desktop): the suggestion list as an admin table, confirmations as toasts, deleting a draft,
visit filters by name, the print page's defaults, styled file inputs and radio groups."""

from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from liaison.models import Visit
from liaison.services.reception import visit_record
from reports.models import ReportJob
from suggestions.models import State, Suggestion
from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)
from tests.builders.suggestions import drive
from tests.liaison import reception_support

street = reception_support.street

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch_csp(page):  # noqa: F811
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return violations


def test_suggestion_list_sorts_sizes_opens_rows_and_exports(page, world, tmp_path):  # noqa: F811
    for number in range(12):
        drive(world, State.SUBMITTED if number % 2 else State.DRAFT, title=f"建议{number:02d}")
    violations = _watch_csp(page)
    login(page, world.deputy.username)
    page.goto("/suggestions/")
    headers = page.locator("#suggestion-table thead th").all_inner_texts()
    for wanted in ("编号", "提交日期", "交办期限", "答复期限", "操作"):
        assert any(wanted in header for header in headers), (wanted, headers)
    # Rows per page: choosing 10 reloads the list with 10 rows and keeps it.
    page.select_option("#page-size", "10")
    page.wait_for_url("**page_size=10**")
    expect(page.locator("#suggestion-table tbody tr")).to_have_count(10)
    # A click on the number column sorts ascending, a second click descending.
    page.click("#suggestion-table thead th >> text=编号")
    page.wait_for_url("**sort=number**")
    first = page.locator("#suggestion-table tbody tr").first.locator("td").first.inner_text()
    assert int(first) == min(Suggestion.objects.values_list("pk", flat=True))
    assert "page_size=10" in page.url
    page.click("#suggestion-table thead th >> text=编号")
    page.wait_for_url("**sort=-number**")
    first = page.locator("#suggestion-table tbody tr").first.locator("td").first.inner_text()
    assert int(first) == max(Suggestion.objects.values_list("pk", flat=True))
    # A click anywhere on a row (here the deadline cell) opens the suggestion.
    target = Suggestion.objects.get(pk=int(first))
    page.locator("#suggestion-table tbody tr").first.locator("td").nth(6).click()
    page.wait_for_url(f"**/suggestions/{target.pk}/")
    assert target.title in page.inner_text("h1")
    # The Excel export downloads the filtered list.
    page.goto("/suggestions/?state=submitted")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert len(rows) == 2 + 6 and {row[2] for row in rows[2:]} == {"已提交"}
    assert not violations


def test_submitting_a_draft_confirms_in_a_sentence_and_a_draft_is_deleted_not_withdrawn(page, world):  # noqa: F811
    draft = drive(world, State.DRAFT, title="准备提交的建议")
    from suggestions import services

    services.suggestion_cosign(suggestion=draft, actor=world.cosigner, accept=True)
    other = drive(world, State.DRAFT, title="不要了的草稿")
    login(page, world.deputy.username)
    page.goto(f"/suggestions/{draft.pk}/")
    page.click("[data-action=submit]")
    page.wait_for_url(f"**/suggestions/{draft.pk}/")
    toast = page.locator("ul.messages.toasts .message-success")
    expect(toast).to_contain_text("建议已提交，等待人大工委交办")
    # The toast floats over the page and closes with its button.
    assert toast.evaluate("e => getComputedStyle(e.parentElement).position") == "fixed"
    toast.locator(".toast-close").click()
    expect(toast).to_have_count(0)
    # A draft offers 删除草稿, not 撤回; deleting asks first.
    page.goto(f"/suggestions/{other.pk}/")
    assert page.locator("[data-action=withdraw]").count() == 0
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=delete]")
    page.wait_for_url("**/suggestions/")
    expect(page.locator("ul.messages .message-success")).to_contain_text("已删除")
    assert not Suggestion.objects.filter(pk=other.pk).exists()


def test_visit_list_filters_by_station_and_deputy_name_and_dates(page, street):  # noqa: F811
    visit_record(
        actor=street.staff_a,
        station=street.a,
        date=date(2026, 3, 2),
        channel="at_station",
        headcount=1,
        deputies=[street.owner],
    )
    visit_record(actor=street.staff_a, station=street.a1, date=date(2026, 3, 9), channel="at_station", headcount=2)
    login(page, "staff_a")
    page.goto("/stations/reception/visits/")
    filters = page.locator("form.filters")
    assert "Channel" not in filters.inner_text() and "接待方式" in filters.inner_text()
    # The deputy is picked by name (typing pinyin initials in the searchable select works too).
    page.select_option("form.filters select[name=deputy]", label="王代表")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(f"**deputy={street.owner.pk}**")
    table = page.inner_text("main table")
    assert "2026-03-02" in table and "2026-03-09" not in table
    # Dates come from date pickers.
    page.goto("/stations/reception/visits/")
    assert page.locator("form.filters input[name=date_from]").get_attribute("type") == "date"
    page.fill("form.filters input[name=date_from]", "2026-03-05")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**date_from=2026-03-05**")
    table = page.inner_text("main table")
    assert "2026-03-09" in table and "2026-03-02" not in table
    assert Visit.objects.count() == 2


def test_print_page_defaults_print_as_they_are(page, street):  # noqa: F811
    visit_record(actor=street.staff_a, station=street.a, date=date(2025, 6, 1), channel="at_station", headcount=1)
    login(page, "office")
    page.goto("/reports/print/")
    years = page.locator("#print-station-form select[name=year] option").all_inner_texts()
    assert years[-1] == "2025"
    page.click("#print-station-form button[type=submit]")
    page.wait_for_url("**/reports/jobs/**")
    assert "请选择联络站" not in page.inner_text("main")
    assert ReportJob.objects.count() == 1


def test_radio_groups_and_file_inputs_are_styled(page, world):  # noqa: F811
    draft = drive(world, State.DRAFT, title="带附件的草稿")
    login(page, world.deputy.username)
    page.goto(f"/suggestions/{draft.pk}/edit/")
    file_input = page.locator("input[type=file]").first
    button_border = file_input.evaluate("e => getComputedStyle(e, '::file-selector-button').borderTopLeftRadius")
    assert button_border == "6px"
    # A radio group (the cosign answer) reads as a row of bordered choices.
    login(page, world.cosigner.username)
    page.goto(f"/suggestions/{draft.pk}/cosign/")
    choice = page.locator("label:has(> input[type=radio])").first
    assert choice.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"


def test_one_station_staff_find_it_preselected_and_the_roster_names_group_members(page, street):  # noqa: F811
    from tests.builders.reception import reception_day

    day = reception_day(street.a, date(2026, 3, 10), actor=street.staff_a, groups=[street.group_a])
    login(page, "staff_a")
    page.goto("/stations/reception/visits/new/")
    assert page.input_value("select[name=station]") == str(street.a.pk)
    page.goto(f"/stations/reception/days/{day.pk}/")
    # The group is shown with its member by name.
    assert "甲片区代表小组（李代表）" in page.locator(".roster-group").first.inner_text()


def test_a_page_notice_stays_in_the_page_while_confirmations_float(page, world, monkeypatch):  # noqa: F811
    """The office home's provisional-calendar notice is a list of class ``messages`` too: it must stay where
    it stands (not float as a toast, no close button) and keep its link a sentence link on a phone."""
    from reports import views as home_views
    from tests.web.phone_checks import PHONE, phone_problems

    monkeypatch.setattr(home_views, "provisional_years", lambda today: [today.year + 1])
    page.set_viewport_size(PHONE)
    login(page, world.office.username)
    page.goto("/")
    notice = page.locator("#provisional-calendar")
    expect(notice).to_contain_text("节假日安排")
    assert "toasts" not in (notice.get_attribute("class") or "")
    assert notice.locator(".toast-close").count() == 0
    assert notice.evaluate("e => getComputedStyle(e).position") == "static"
    assert phone_problems(page) == []
