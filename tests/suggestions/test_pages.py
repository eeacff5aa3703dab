"""The suggestion pages: forms call the services, bad input shows Chinese errors and changes nothing."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suggestions.models import CoSignature, Reply, State, Suggestion, SuggestionEvent
from tests.builders.files import png_upload
from tests.builders.suggestions import drive


def state_and_events(suggestion):
    suggestion.refresh_from_db()
    return suggestion.state, suggestion.updated_at, SuggestionEvent.objects.filter(suggestion=suggestion).count()


def test_a_deputy_drafts_with_co_signers_and_attachments(world, client):
    client.force_login(world.deputy)
    response = client.post(
        "/suggestions/new/",
        {
            "title": "关于增设公交站点的建议",
            "category": "traffic",
            "content": "东片区居民出行不便。",
            "cosigners": [world.cosigner_deputy.pk],
            "attachments": [png_upload("现场照片.png")],
        },
    )
    suggestion = Suggestion.objects.get(title="关于增设公交站点的建议")
    assert response.status_code == 302 and response["Location"] == f"/suggestions/{suggestion.pk}/"
    assert suggestion.state == State.DRAFT and suggestion.lead_deputy == world.lead_deputy
    assert suggestion.attachments.get().name == "现场照片.png"
    assert CoSignature.objects.get(suggestion=suggestion).status == "pending"
    # Submitting before the co-signer answers is refused, in Chinese, and changes nothing.
    before = state_and_events(suggestion)
    response = client.post(f"/suggestions/{suggestion.pk}/submit/")
    assert response.status_code == 409
    assert "尚有附议代表未答复" in response.content.decode()
    assert state_and_events(suggestion) == before
    # The co-signer answers from their list of requests.
    client.force_login(world.cosigner)
    page = client.get("/suggestions/cosign-requests/").content.decode()
    assert "关于增设公交站点的建议" in page
    client.post(f"/suggestions/{suggestion.pk}/cosign/", {"accept": "1"})
    client.force_login(world.deputy)
    response = client.post(f"/suggestions/{suggestion.pk}/submit/", follow=True)
    assert response.status_code == 200
    suggestion.refresh_from_db()
    assert suggestion.state == State.SUBMITTED


def test_bad_input_shows_chinese_errors_and_writes_nothing(world, client):
    client.force_login(world.deputy)
    response = client.post("/suggestions/new/", {"title": "", "category": "nonsense", "content": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "这个字段是必填项" in html or "该字段是必填项" in html
    assert not Suggestion.objects.exists()

    suggestion = drive(world, State.IN_PROGRESS)
    client.force_login(world.lead_officer)
    before = state_and_events(suggestion)
    response = client.post(f"/suggestions/{suggestion.pk}/reply/", {"reply_class": "E", "content": ""})
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode() or "有效" in response.content.decode()
    assert state_and_events(suggestion) == before
    assert not Reply.objects.exists()
    # A file type that is not allowed: the service refuses it, nothing is stored.
    response = client.post(
        f"/suggestions/{suggestion.pk}/reply/",
        {
            "reply_class": "A",
            "content": "已解决",
            "attachment": SimpleUploadedFile("script.exe", b"MZ", content_type="application/octet-stream"),
        },
    )
    assert response.status_code == 400
    assert "不支持此类型的文件" in response.content.decode()
    assert state_and_events(suggestion) == before
    assert not Reply.objects.exists()


def test_refusals_on_pages_are_explained_in_chinese(world, client):
    suggestion = drive(world, State.SUBMITTED)
    client.force_login(world.leader)
    response = client.get(f"/suggestions/{suggestion.pk}/assign/")
    assert response.status_code == 403
    assert "您无权对此建议执行“交办”操作" in response.content.decode()
    client.force_login(world.office)
    response = client.get(f"/suggestions/{suggestion.pk}/acknowledge/")
    assert response.status_code == 403
    closed = drive(world, State.CLOSED, title="已办结")
    response = client.get(f"/suggestions/{closed.pk}/assign/")
    assert response.status_code == 409
    assert "处于“已办结”状态的建议不能执行“交办”操作" in response.content.decode()
    client.force_login(world.other_officer)
    assert client.get(f"/suggestions/{suggestion.pk}/assign/").status_code == 404
    assert client.get(f"/suggestions/{suggestion.pk}/nonsense/").status_code == 404
    client.logout()
    response = client.get(f"/suggestions/{suggestion.pk}/")
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_office_pages_assign_extend_and_decide(world, client):
    suggestion = drive(world, State.SUBMITTED)
    client.force_login(world.office)
    assert "关于加装老旧小区电梯的建议" in client.get("/suggestions/review/").content.decode()
    response = client.post(
        f"/suggestions/{suggestion.pk}/assign/",
        {"lead_unit": world.lead_unit.pk, "co_units": [world.co_unit.pk], "complex": "on"},
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == State.ASSIGNED and suggestion.is_complex
    # The unit asks for an extension; the office sees it in its queue and approves it.
    client.force_login(world.lead_officer)
    new_due = suggestion.reply_due + timedelta(days=7)
    response = client.post(
        f"/suggestions/{suggestion.pk}/extend/", {"new_due": new_due.isoformat(), "reason": "需要市里审批"}
    )
    assert response.status_code == 302
    extension = suggestion.extensions.get()
    client.force_login(world.office)
    page = client.get("/suggestions/extensions/").content.decode()
    assert "需要市里审批" in page
    response = client.post(
        f"/suggestions/{suggestion.pk}/decide_extension/?item={extension.pk}", {"accept": "1", "note": "同意"}
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.reply_due == new_due
    # The deputy sees the reason on the suggestion's page.
    client.force_login(world.deputy)
    assert "需要市里审批" in client.get(f"/suggestions/{suggestion.pk}/").content.decode()


def test_unit_pages_acknowledge_contact_opinion_reply_and_follow_up(world, client):
    suggestion = drive(world, State.ASSIGNED)
    client.force_login(world.lead_officer)
    assert "关于加装老旧小区电梯的建议" in client.get("/suggestions/inbox/").content.decode()
    assert client.post(f"/suggestions/{suggestion.pk}/acknowledge/").status_code == 302
    assert (
        client.post(
            f"/suggestions/{suggestion.pk}/record_contact/", {"method": "meeting", "contacted_on": "2000-01-01"}
        ).status_code
        == 400
    )  # before the assignment
    response = client.post(
        f"/suggestions/{suggestion.pk}/record_contact/",
        {"method": "meeting", "contacted_on": suggestion.assigned_on.isoformat(), "note": "上门沟通"},
    )
    assert response.status_code == 302
    client.force_login(world.co_officer)
    response = client.post(f"/suggestions/{suggestion.pk}/co_unit_opinion/", {"content": "交通局同意增设"})
    assert response.status_code == 302
    client.force_login(world.lead_officer)
    page = client.get(f"/suggestions/{suggestion.pk}/reply/").content.decode()
    assert 'name="contacted" id="id_contacted" checked' in page  # a contact was recorded
    response = client.post(
        f"/suggestions/{suggestion.pk}/reply/",
        {
            "reply_class": "B",
            "content": "已列入明年改造计划。",
            "contacted": "on",
            "attachment": SimpleUploadedFile("答复函.pdf", b"%PDF-1.4 reply", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    reply = Reply.objects.get(suggestion=suggestion)
    assert reply.reply_class == "B" and reply.contacted and reply.attachment.name.endswith(".pdf")
    client.force_login(world.deputy)
    assert client.post(f"/suggestions/{suggestion.pk}/evaluate/", {"rating": "basically_satisfied"}).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == State.CLOSED and suggestion.needs_follow_up
    client.force_login(world.lead_officer)
    assert "关于加装老旧小区电梯的建议" in client.get("/suggestions/follow-ups/").content.decode()
    client.post(f"/suggestions/{suggestion.pk}/follow_up/", {"content": "工程已完工", "solved": "on"})
    suggestion.refresh_from_db()
    assert suggestion.follow_up_solved_on is not None and not suggestion.needs_follow_up
    assert "关于加装老旧小区电梯的建议" not in client.get("/suggestions/follow-ups/").content.decode()
    # Once solved, another follow-up is refused.
    response = client.post(f"/suggestions/{suggestion.pk}/follow_up/", {"content": "再次"})
    assert response.status_code == 409


def test_leader_flags_key_supervision_and_the_office_only_adds_notes(world, client):
    suggestion = drive(world, State.IN_PROGRESS)
    client.force_login(world.office)
    page = client.get(f"/suggestions/{suggestion.pk}/supervise/").content.decode()
    assert 'name="key_supervision"' not in page
    client.force_login(world.leader)
    page = client.get(f"/suggestions/{suggestion.pk}/supervise/").content.decode()
    assert 'name="key_supervision"' in page
    client.post(f"/suggestions/{suggestion.pk}/supervise/", {"note": "请主办单位加快进度", "key_supervision": "1"})
    suggestion.refresh_from_db()
    assert suggestion.key_supervision and suggestion.key_supervisor == world.leader
    html = client.get(f"/suggestions/{suggestion.pk}/").content.decode()
    assert "请主办单位加快进度" in html and "重点督办" in html
    assert suggestion.pk in {s.pk for s in client.get("/suggestions/?key_supervision=true").context["page_obj"]}


def test_every_page_shows_the_full_timeline(world, client):
    suggestion = drive(world, State.REHANDLING)
    expected = ["起草", "附议", "提交", "交办", "签收", "答复", "评价"]
    for user in (world.deputy, world.lead_officer, world.office, world.leader, world.staff_a):
        client.force_login(user)
        html = client.get(f"/suggestions/{suggestion.pk}/").content.decode()
        timeline = html[html.index('id="timeline"') :]
        positions = [timeline.index(f"<strong>{label}</strong>") for label in expected]
        assert positions == sorted(positions), user
        assert "评价：不满意" in timeline and "重新办理" in timeline


def test_pages_work_in_english(world, client):
    suggestion = drive(world, State.REPLIED)
    client.force_login(world.deputy)
    # The language switcher stores the choice in this cookie (Accept-Language alone is not consulted here).
    client.cookies["django_language"] = "en"
    response = client.get(f"/suggestions/{suggestion.pk}/")
    html = response.content.decode()
    assert "Timeline" in html and "Replied" in html and "Evaluate" in html
    response = client.post(f"/suggestions/{suggestion.pk}/submit/")
    assert response.status_code == 409
    assert "cannot be given the action" in response.content.decode()
