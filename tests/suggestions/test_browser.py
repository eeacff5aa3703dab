"""In real Chromium, the whole 提、交、办、评 cycle with a re-handling round, each step by its own user."""

import pytest

from suggestions.models import State, Suggestion
from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)

TITLE = "关于增设侨苑社区长者饭堂的建议"


def open_suggestion(page, suggestion):  # noqa: F811
    page.goto(f"/suggestions/{suggestion.pk}/")


# What the confirmation says after each step (a sentence naming what happens next).
CONFIRMATIONS = {
    "提交": "建议已提交，等待人大工委交办",
    "交办": "建议已交办给",
    "签收": "已签收建议",
    "答复": "答复已送达",
    "评价": "评价已记录",
}


def done(page, action_label):  # noqa: F811
    page.get_by_text(CONFIRMATIONS[action_label]).wait_for()


@pytest.mark.browser
def test_draft_submit_assign_reply_rehandle_and_close(page, world):  # noqa: F811
    # The deputy drafts and submits.
    login(page, "deputy")
    page.goto("/suggestions/")
    page.get_by_role("link", name="起草建议").first.click()
    page.fill("input[name=title]", TITLE)
    page.select_option("select[name=category]", "elderly_care")
    page.fill("textarea[name=content]", "侨苑社区独居老人就餐不便，建议依托党群服务中心增设长者饭堂。")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("草稿已保存").wait_for()
    page.get_by_role("button", name="提交", exact=True).click()
    done(page, "提交")
    suggestion = Suggestion.objects.get(title=TITLE)
    assert suggestion.state == State.SUBMITTED

    # The office finds it in the review queue and assigns it.
    login(page, "office")
    page.goto("/suggestions/review/")
    page.get_by_role("link", name=TITLE).click()
    page.locator("#actions").get_by_role("link", name="交办").click()
    page.select_option("select[name=lead_unit]", str(world.lead_unit.pk))
    page.get_by_role("button", name="交办").click()
    done(page, "交办")

    # The lead unit acknowledges it from its inbox and replies.
    login(page, "leadofficer")
    page.goto("/suggestions/inbox/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="签收").click()
    done(page, "签收")
    page.locator("#actions").get_by_role("link", name="答复").click()
    page.get_by_label("D类：留作参考").check()
    page.fill("textarea[name=content]", "经研究，暂无合适场地，留作参考。")
    page.get_by_role("button", name="提交答复").click()
    done(page, "答复")

    # The deputy is not satisfied: it goes back for re-handling.
    login(page, "deputy")
    open_suggestion(page, suggestion)
    page.locator("#actions").get_by_role("link", name="评价").click()
    page.get_by_label("不满意", exact=True).check()
    page.fill("textarea[name=comment]", "未与代表沟通，答复不具体。")
    page.get_by_role("button", name="提交评价").click()
    done(page, "评价")
    assert page.locator("#main .subtitle [data-state]").inner_text() == "重新办理"

    # The unit replies again.
    login(page, "leadofficer")
    open_suggestion(page, suggestion)
    page.locator("#actions").get_by_role("link", name="答复").click()
    page.get_by_label("B类：正在解决或列入计划解决").check()
    page.fill("textarea[name=content]", "已协调社区腾出场地，长者饭堂列入明年第一季度开办计划。")
    page.get_by_role("button", name="提交答复").click()
    done(page, "答复")

    # The deputy rates the second reply; it is closed, with the whole timeline shown.
    login(page, "deputy")
    open_suggestion(page, suggestion)
    page.locator("#actions").get_by_role("link", name="评价").click()
    page.get_by_label("基本满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    done(page, "评价")
    assert page.locator("#main .subtitle [data-state]").inner_text() == "已办结"
    actions = page.locator("#timeline li").evaluate_all("items => items.map(i => i.dataset.action)")
    assert actions == ["create", "submit", "assign", "acknowledge", "reply", "evaluate", "reply", "evaluate"]
    timeline = page.locator("#timeline").inner_text()
    assert "评价：不满意" in timeline and "评价：基本满意" in timeline
    assert "第1次答复" in timeline and "第2次答复" in timeline
    suggestion.refresh_from_db()
    assert suggestion.state == State.CLOSED
    assert (suggestion.first_rating, suggestion.final_rating) == ("unsatisfied", "basically_satisfied")
