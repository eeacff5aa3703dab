"""Real Chromium: the 热点 page, a topic's charts and sources, a split and a merge that stick."""

from datetime import timedelta

import pytest

from core import clock
from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)
from topics.models import TopicMember

from .support import DOGS, ELEVATOR, placed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hot_topics_page_split_and_merge(page, street):  # noqa: F811
    recent = clock.today() - timedelta(days=2)
    elevator = [
        placed(street, ELEVATOR[0], day=recent, grid=street.grid_a1),
        placed(street, ELEVATOR[1], day=recent, station=street.b, grid=street.grid_b1),
        placed(street, ELEVATOR[2], day=recent, station=street.a1),
    ]
    placed(street, DOGS[0], day=recent)
    topic = TopicMember.objects.get(opinion=elevator[0]).topic
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    login(page, "office")
    page.goto("/")
    page.click("nav >> text=热点问题")
    page.wait_for_selector("#hot-topics")
    row = page.locator("#hot-topics tbody tr").first
    assert topic.title[:10] in row.inner_text()
    assert page.locator("#hot-trend svg").count() == 1

    row.locator("a").first.click()
    page.wait_for_selector("#topic-trend svg")
    assert street.b.name in page.inner_text("#topic-sources")
    assert page.locator("#topic-stations svg").count() == 1

    # Split the B opinion off, with a title; the new topic's page opens.
    page.check(f"input[name=opinions][value='{elevator[1].pk}']")
    page.fill("#id_split_title", "乙站电梯")
    page.click("#split-form button[type=submit]")
    page.wait_for_selector("text=已保存。")
    assert "乙站电梯" in page.inner_text("h1")
    new = TopicMember.objects.get(opinion=elevator[1]).topic
    assert new.pk != topic.pk and TopicMember.objects.get(opinion=elevator[1]).pinned

    # A bad merge is a Chinese error; a good one brings the opinion back.
    page.goto(f"/topics/{topic.pk}/")
    page.fill("#topic-merge input[name=others]", "不是编号")
    page.click("#topic-merge button[type=submit]")
    page.wait_for_selector("text=请输入热点编号")
    page.fill("#topic-merge input[name=others]", f"{new.pk}")
    page.click("#topic-merge button[type=submit]")
    page.wait_for_selector("text=已保存。")
    assert TopicMember.objects.get(opinion=elevator[1]).topic_id == topic.pk
    assert "合并热点问题" in page.inner_text("main")
    assert not violations
