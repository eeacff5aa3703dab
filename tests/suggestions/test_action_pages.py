"""The action pages (co-sign, assign, reply, evaluate …) show what is acted on: the full text, the
attachments and the timeline, from the same partial as the detail page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from suggestions import services
from suggestions.models import State
from tests.builders.files import pdf_bytes
from tests.builders.suggestions import drive

pytestmark = pytest.mark.django_db

CONTENT = "东片区多个老旧小区六层无电梯，老人上下楼困难，建议统筹加装。"


def _page(client, user, suggestion, action):
    client.force_login(user)
    response = client.get(f"/suggestions/{suggestion.pk}/{action}/")
    assert response.status_code == 200, (action, response.status_code)
    return response.content.decode()


def _assert_shows_the_suggestion(page, suggestion, attachment_name=None):
    assert 'id="content"' in page and CONTENT in page
    assert 'id="timeline"' in page
    if attachment_name:
        attachment = suggestion.attachments.get()
        assert f'href="/suggestions/{suggestion.pk}/attachments/{attachment.pk}/">{attachment_name}</a>' in page


def test_cosign_page_shows_the_text_and_attachments(world, client):
    draft = services.suggestion_create(
        actor=world.deputy,
        title="关于加装电梯的建议",
        content=CONTENT,
        category="urban_construction",
        cosigners=[world.cosigner_deputy],
        attachments=[SimpleUploadedFile("调研报告.pdf", pdf_bytes(), content_type="application/pdf")],
    )
    page = _page(client, world.cosigner, draft, "cosign")
    _assert_shows_the_suggestion(page, draft, "调研报告.pdf")


@pytest.mark.parametrize(
    ("state", "user", "action"),
    [
        (State.SUBMITTED, "office", "assign"),
        (State.IN_PROGRESS, "lead_officer", "reply"),
        (State.REPLIED, "deputy", "evaluate"),
    ],
)
def test_assign_reply_and_evaluate_pages_show_the_text_and_timeline(world, client, state, user, action):
    suggestion = drive(world, state)
    page = _page(client, getattr(world, user), suggestion, action)
    _assert_shows_the_suggestion(page, suggestion)
    # The timeline lists the steps so far (submission at least).
    assert "提交" in page


def test_the_detail_and_action_pages_share_one_partial():
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates" / "suggestions"
    for name in ("detail.html", "action.html"):
        text = (templates / name).read_text()
        assert '{% include "suggestions/_content.html" %}' in text
        assert "suggestion.content|linebreaksbr" not in text
