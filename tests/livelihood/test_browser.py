"""In real Chromium: the office opens a vote, three deputies vote, the office closes it and sees the
selected projects; the responsible unit records progress; the public page shows it."""

import re

import pytest

from livelihood.models import Ballot, Project, Stage, YearCycle
from livelihood.services.candidates import candidate_update
from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)


@pytest.mark.browser
def test_vote_to_public_progress(page, street):  # noqa: F811
    deputies = street.add_deputies(3)
    cycle = street.shortlisted(places=2, candidates=3)  # 老旧小区加装电梯 etc. below
    titles = ["老旧小区加装电梯", "社区口袋公园", "背街小巷路灯"]
    for candidate, title in zip(cycle.candidates.order_by("id"), titles, strict=True):
        candidate_update(candidate=candidate, title=title, actor=street.office)

    # The office opens the vote with the three deputies present.
    login(page, "office")
    page.goto(f"/livelihood/cycles/{cycle.pk}/")
    page.get_by_role("link", name="开启票决").click()
    for user in deputies:
        page.get_by_label(user.deputy.name).check()
    page.get_by_role("button", name="开启票决").click()
    page.get_by_text("票决已开启").wait_for()
    session_url = page.url
    assert re.search(r"/livelihood/sessions/\d+/$", session_url)

    # Three deputies vote: for the first two, against the third.
    for user in deputies:
        login(page, user.username)
        page.get_by_role("link", name=re.compile("民生实事")).first.click()
        page.get_by_role("link", name=re.compile(str(cycle.year))).first.click()
        page.get_by_role("link", name="进入票决").click()
        for title, choice in zip(titles, ("赞成", "赞成", "反对"), strict=True):
            page.locator(f"tr[data-candidate='{title}']").get_by_label(choice).check()
        page.get_by_role("button", name="提交选票").click()
        page.get_by_text("您的选票已提交").wait_for()
    assert Ballot.objects.count() == 3

    # The office closes the vote and sees the selected projects.
    login(page, "office")
    page.goto(session_url)
    page.get_by_text("出席代表3名，已投3票").wait_for()
    page.get_by_role("button", name="结束票决并计票").click()
    page.get_by_text("票决已结束并完成计票").wait_for()
    results = page.locator("#results")
    for title in titles[:2]:
        row = results.locator("tr", has_text=title)
        assert row.locator("td").nth(1).inner_text() == "3"
        assert row.get_by_text("当选", exact=True).is_visible()
    assert results.locator("tr", has_text=titles[2]).get_by_text("未当选").is_visible()
    page.get_by_role("button", name="开始实施当选项目").click()
    page.get_by_text("已进入“实施”阶段").wait_for()
    assert YearCycle.objects.get(pk=cycle.pk).stage == Stage.IMPLEMENTING
    assert sorted(Project.objects.values_list("title", flat=True)) == sorted(titles[:2])

    # The responsible unit records progress. (Field names, not labels: generic labels such as
    # "Progress" may be worded by another app's catalog.)
    login(page, "officer")
    page.get_by_role("link", name=re.compile("民生实事")).first.click()
    page.get_by_role("link", name=titles[0]).click()
    form = page.locator("#progress-form")
    form.locator("input[name=percent]").fill("35")
    form.locator("textarea[name=note]").fill("已完成5部电梯的井道施工")
    form.locator("button[type=submit]").click()
    page.locator("#progress-updates").get_by_text("已完成5部电梯的井道施工").wait_for()
    assert page.locator("#progress-percent").inner_text() == "35%"
    assert Project.objects.get(title=titles[0]).progress_percent == 35

    # The public page shows it, without logging in.
    page.context.clear_cookies()
    page.goto("/livelihood/public/")
    card = page.locator(f"article[data-project='{titles[0]}']")
    assert card.locator(".progress-percent").inner_text() == "35%"
    assert "已完成5部电梯的井道施工" in card.inner_text()
    assert street.unit_officer.username not in page.content()
    assert deputies[0].deputy.name not in page.content()
