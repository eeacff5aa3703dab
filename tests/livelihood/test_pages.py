"""The livelihood pages: each step works through its form, is scoped, and costs the same at 10 and 100 rows."""

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from livelihood.models import Ballot, Candidate, ProgressPhoto, ProposerKind, Stage, YearCycle
from livelihood.services.candidates import candidate_add, cycle_create
from livelihood.services.projects import milestone_add, progress_record, sub_item_add
from livelihood.services.supervision import evaluation_start, publish, rating_record, supervision_start
from livelihood.services.voting import vote_close


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile("site.png", buffer.getvalue(), content_type="image/png")


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_office_runs_the_cycle_through_the_pages(street, client):
    street.add_deputies(3)
    client.force_login(street.office)
    response = client.post("/livelihood/", {"year": 2025, "title": "2025年民生实事", "places": 1})
    cycle = YearCycle.objects.get(year=2025)
    assert response.status_code == 302 and response["Location"] == f"/livelihood/cycles/{cycle.pk}/"
    for title in ("加装电梯", "口袋公园"):
        response = client.post(
            f"/livelihood/cycles/{cycle.pk}/candidates/new/",
            {"title": title, "description": "…", "proposer_kind": "department", "responsible_unit": street.unit.pk},
        )
        assert response.status_code == 302
    client.post(f"/livelihood/cycles/{cycle.pk}/advance/", {"step": "shortlisting_start"})
    ids = list(cycle.candidates.values_list("pk", flat=True))
    client.post(f"/livelihood/cycles/{cycle.pk}/shortlist/", {"shortlisted": ids[:1]})
    # One shortlisted for one place: the vote does not open, and the page says why.
    present = [u.deputy.pk for u in street.deputy_users]
    response = client.post(f"/livelihood/cycles/{cycle.pk}/vote/open/", {"present": present}, follow=True)
    assert any("差额" in m for m in messages_of(response))
    cycle.refresh_from_db()
    assert cycle.stage == Stage.SHORTLISTING
    client.post(f"/livelihood/cycles/{cycle.pk}/shortlist/", {"shortlisted": ids})
    response = client.post(f"/livelihood/cycles/{cycle.pk}/vote/open/", {"present": present})
    session = cycle.voting_session
    assert response["Location"] == f"/livelihood/sessions/{session.pk}/"

    for user in street.deputy_users:
        client.force_login(user)
        response = client.post(f"/livelihood/sessions/{session.pk}/", {f"c{ids[0]}": "for", f"c{ids[1]}": "against"})
        assert response.status_code == 302
    # A second ballot from the same deputy is refused.
    response = client.post(
        f"/livelihood/sessions/{session.pk}/", {f"c{ids[0]}": "against", f"c{ids[1]}": "for"}, follow=True
    )
    assert any("已经投过票" in m for m in messages_of(response))
    assert Ballot.objects.count() == 3

    client.force_login(street.office)
    client.post(f"/livelihood/sessions/{session.pk}/close/")
    page = client.get(f"/livelihood/sessions/{session.pk}/").content.decode()
    assert "加装电梯" in page and "当选" in page
    client.post(f"/livelihood/cycles/{cycle.pk}/advance/", {"step": "implementation_start"})
    cycle.refresh_from_db()
    assert cycle.stage == Stage.IMPLEMENTING and cycle.projects.get().title == "加装电梯"


def test_incomplete_ballot_form_shows_errors(street, client):
    _cycle, session = street.voting(present=3)
    voter = street.deputy_users[0]
    client.force_login(voter)
    first = session.cycle.candidates.order_by("id").first()
    response = client.post(f"/livelihood/sessions/{session.pk}/", {f"c{first.pk}": "for"})
    assert response.status_code == 200
    assert response.context["ballot_form"].errors
    assert not Ballot.objects.exists()


def test_absent_deputy_cannot_vote_on_the_page(street, client):
    _cycle, session = street.voting(present=3)
    (absent,) = street.add_deputies(1)
    client.force_login(absent)
    page = client.get(f"/livelihood/sessions/{session.pk}/").content.decode()
    assert "未登记出席" in page
    ids = session.cycle.candidates.values_list("pk", flat=True)
    client.post(f"/livelihood/sessions/{session.pk}/", {f"c{i}": "for" for i in ids})
    assert not Ballot.objects.exists()


def test_paper_ballot_page_is_all_or_nothing(street, client):
    cycle, session = street.voting(present=3)
    a, b, _c = (u.deputy for u in street.deputy_users)
    ids = list(cycle.candidates.order_by("id").values_list("pk", flat=True))
    client.force_login(street.office)
    data = {f"b-{a.pk}-{i}": "for" for i in ids}
    data[f"b-{b.pk}-{ids[0]}"] = "against"  # b's ballot is incomplete
    response = client.post(f"/livelihood/sessions/{session.pk}/paper/", data)
    assert response.status_code == 200
    assert any("第2张选票" in m for m in messages_of(response))
    assert not Ballot.objects.exists()
    data.update({f"b-{b.pk}-{i}": "abstain" for i in ids})
    response = client.post(f"/livelihood/sessions/{session.pk}/paper/", data)
    assert response.status_code == 302
    assert set(Ballot.objects.values_list("deputy", "channel")) == {(a.pk, "paper"), (b.pk, "paper")}
    # Deputies and unit officers may not use the page.
    client.force_login(street.deputy_users[2])
    assert client.get(f"/livelihood/sessions/{session.pk}/paper/").status_code == 403


def test_audit_shows_who_voted_not_how(street, client):
    _cycle, session = street.voting(present=3)
    street.cast(session, street.deputy_users[0], "ffa")
    client.force_login(street.office)
    page = client.get(f"/livelihood/sessions/{session.pk}/audit/").content.decode()
    assert street.deputy_users[0].deputy.name in page and "尚未投票" in page
    assert "赞成" not in page and "反对" not in page
    client.force_login(street.deputy_users[1])
    assert client.get(f"/livelihood/sessions/{session.pk}/audit/").status_code == 403


def test_tie_decision_on_the_page(street, client):
    cycle, session = street.voting(present=3, places=1, candidates=2)
    for user in street.deputy_users:
        street.cast(session, user, "ff")
    vote_close(session=session, actor=street.office)
    client.force_login(street.office)
    page = client.get(f"/livelihood/sessions/{session.pk}/").content.decode()
    assert "对同票作出决定" in page
    winner = cycle.candidates.order_by("id").last()
    client.post(f"/livelihood/sessions/{session.pk}/tie/", {"selected": [winner.pk], "note": "主任会议决定"})
    assert list(Candidate.objects.filter(result="selected")) == [winner]


def test_unit_reports_progress_with_a_photo(street, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _cycle, (project, _other) = street.implementing()
    client.force_login(street.unit_officer)
    response = client.post(
        f"/livelihood/projects/{project.pk}/progress/", {"percent": 60, "note": "主体完工", "photos": [png()]}
    )
    assert response.status_code == 302
    photo = ProgressPhoto.objects.get()
    assert client.get(f"/livelihood/photos/{photo.pk}/").status_code == 200
    # Bad input: the form comes back with the error, nothing written.
    response = client.post(f"/livelihood/projects/{project.pk}/progress/", {"percent": 160, "note": "x"})
    assert response.status_code == 200 and response.context["progress_form"].errors["percent"]
    # An officer of another unit sees neither the project nor its photos.
    client.force_login(street.other_officer)
    assert client.get(f"/livelihood/projects/{project.pk}/").status_code == 404
    assert client.get(f"/livelihood/photos/{photo.pk}/").status_code == 404
    client.post(f"/livelihood/projects/{project.pk}/progress/", {"percent": 99, "note": "越权"})
    project.refresh_from_db()
    assert project.progress_percent == 60


def test_deputies_see_their_own_visits_only(street, client):
    _cycle, (project, _other) = street.implementing()
    owner, colleague = street.deputy_users[:2]
    client.force_login(owner)
    client.post(
        f"/livelihood/projects/{project.pk}/visits/", {"visited_on": timezone.localdate(), "findings": "围挡破损"}
    )
    assert "围挡破损" in client.get(f"/livelihood/projects/{project.pk}/").content.decode()
    client.force_login(colleague)
    assert "围挡破损" not in client.get(f"/livelihood/projects/{project.pk}/").content.decode()
    client.force_login(street.unit_officer)
    assert "围挡破损" in client.get(f"/livelihood/projects/{project.pk}/").content.decode()


def test_proposer_details_are_for_staff_only(street, client):
    (deputy_user,) = street.add_deputies(1)
    cycle = street.cycle(candidates=0)
    candidate_add(
        cycle=cycle, actor=None, title="增设路灯", description="…", proposer_name="王秀英", proposer_phone="13812345678"
    )
    client.force_login(street.office)
    assert "王秀英" in client.get(f"/livelihood/cycles/{cycle.pk}/").content.decode()
    client.force_login(deputy_user)
    page = client.get(f"/livelihood/cycles/{cycle.pk}/").content.decode()
    assert "王秀英" not in page and "13812345678" not in page


def test_public_page_without_login_and_without_personal_data(street, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cycle, (project, _other) = street.implementing()
    Candidate.objects.filter(pk=project.candidate_id).update(
        proposer_kind=ProposerKind.CONSTITUENT, proposer_name="王秀英", proposer_phone="13812345678"
    )
    progress_record(project=project, percent=70, note="已完成七成", actor=street.unit_officer, photos=[png()])
    page = client.get("/livelihood/public/").content.decode()
    assert "项目1" in page and "70%" in page and "已完成七成" in page
    for personal in ("王秀英", "13812345678", street.deputy_users[0].deputy.name, "officer", "/livelihood/photos/"):
        assert personal not in page
    # No verdict before 公示.
    assert "代表测评" not in page
    supervision_start(cycle=cycle, actor=street.office)
    evaluation_start(cycle=cycle, actor=street.office)
    for user in street.deputy_users:
        rating_record(project=project, deputy=user.deputy, rating="satisfied", actor=user)
    publish(cycle=cycle, actor=street.office)
    page = client.get("/livelihood/public/").content.decode()
    assert "代表测评" in page and "满意 3" in page


def test_constituents_propose_on_the_public_page(street, client):
    cache.clear()
    cycle = street.cycle(candidates=0)
    response = client.post(
        "/livelihood/public/", {"title": "增设休闲座椅", "description": "社区广场缺少座椅", "proposer_phone": "abc"}
    )
    assert response.status_code == 200 and response.context["form"].errors["proposer_phone"]
    response = client.post("/livelihood/public/", {"title": "增设休闲座椅", "description": "社区广场缺少座椅"})
    assert response.status_code == 302
    candidate = cycle.candidates.get()
    assert (candidate.proposer_kind, candidate.created_by) == (ProposerKind.CONSTITUENT, None)
    for _ in range(12):
        client.post("/livelihood/public/", {"title": "刷屏", "description": "刷屏"})
    # Ten proposals an hour per address, the refused first attempt included: 1 + 8 more got through.
    assert cycle.candidates.count() == 9
    cache.clear()


# --- constant query counts ------------------------------------------------------------------------------


def page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def two_sizes(build, measure):
    counts = {}
    for n in (10, 100):
        counts[n] = measure(build(n), n)
    assert counts[10] == counts[100], counts


def test_cycle_list_and_detail_query_counts(street, client):
    # The list joins each cycle's session and annotates its counts; the detail reads candidates
    # with unit, cycle and proposing deputy joined. Neither issues a query per row.
    client.force_login(street.office)

    def build(n):
        for year in range(2000 + YearCycle.objects.count(), 2000 + n - 1):
            cycle_create(year=year, places=1, actor=street.office)
        return street.cycle(places=1, candidates=n, year=2000 + n - 1)

    two_sizes(build, lambda cycle, n: page_queries(client, "/livelihood/"))
    client.force_login(street.office)
    for n, cycle in ((10, YearCycle.objects.get(year=2009)), (100, YearCycle.objects.get(year=2099))):
        assert cycle.candidates.count() == n
    assert page_queries(client, f"/livelihood/cycles/{YearCycle.objects.get(year=2009).pk}/") == page_queries(
        client, f"/livelihood/cycles/{YearCycle.objects.get(year=2099).pk}/"
    )


def test_project_pages_query_counts(street, client, settings, tmp_path):
    # Project list: one query for the page (unit, cycle joined; counts annotated) and one count.
    # Project detail: the project plus one prefetch each for sub-items, milestones, progress and photos.
    # Public page: cycles, shortlist, projects, and one prefetch each for milestones and progress.
    settings.MEDIA_ROOT = tmp_path
    client.force_login(street.office)
    built = {}

    def build(n):
        cycle, projects = street.implementing(present=1, places=n, candidates=n + 1, year=2000 + n)
        first = projects[0]
        for i in range(n):
            progress_record(project=first, percent=i % 100, note=f"第{i}次", actor=street.unit_officer)
            milestone_add(
                project=first, title=f"节点{i}", due_date=timezone.localdate() + timedelta(days=i), actor=street.office
            )
            sub_item_add(project=first, title=f"子项目{i}", actor=street.office)
        built[n] = (cycle, first)
        return cycle

    two_sizes(build, lambda cycle, n: page_queries(client, f"/livelihood/projects/?year={cycle.year}"))
    assert page_queries(client, f"/livelihood/projects/{built[10][1].pk}/") == page_queries(
        client, f"/livelihood/projects/{built[100][1].pk}/"
    )
    client.logout()
    assert page_queries(client, "/livelihood/public/?year=2010") == page_queries(
        client, "/livelihood/public/?year=2100"
    )


def test_vote_pages_query_counts(street, client):
    # Session page (results), audit (attendance with deputies, ballots with who entered them) and the
    # paper-ballot page (attendance, ballots, shortlist): each a fixed handful of queries.
    built = {}

    def build(n):
        cycle, session = street.voting(present=n, places=n - 1, candidates=n, year=2000 + n)
        built[n] = session
        for user in street.deputy_users[: n // 2]:
            street.cast(session, user, "f" * n)
        return session

    client.force_login(street.office)
    two_sizes(build, lambda session, n: page_queries(client, f"/livelihood/sessions/{session.pk}/paper/"))
    assert page_queries(client, f"/livelihood/sessions/{built[10].pk}/audit/") == page_queries(
        client, f"/livelihood/sessions/{built[100].pk}/audit/"
    )
    for session in built.values():
        vote_close(session=session, actor=street.office)
    assert page_queries(client, f"/livelihood/sessions/{built[10].pk}/") == page_queries(
        client, f"/livelihood/sessions/{built[100].pk}/"
    )


@pytest.mark.parametrize("role_user", ["office", "leader", "unit_officer"])
def test_pages_render_for_each_role(street, client, role_user):
    cycle, (project, _other) = street.implementing()
    client.force_login(getattr(street, role_user))
    for url in (
        "/livelihood/",
        f"/livelihood/cycles/{cycle.pk}/",
        "/livelihood/projects/",
        f"/livelihood/projects/{project.pk}/",
    ):
        assert client.get(url).status_code == 200, url


def test_admin_lists_are_read_only(street, client, make_user):
    cycle, (project, _other) = street.implementing()
    client.force_login(make_user("admin", username="root"))
    for url in (
        "/admin/livelihood/yearcycle/",
        f"/admin/livelihood/yearcycle/{cycle.pk}/change/",
        "/admin/livelihood/project/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/livelihood/project/add/").status_code == 403
    client.post(f"/admin/livelihood/project/{project.pk}/delete/", {"post": "yes"})
    assert project.__class__.objects.filter(pk=project.pk).exists()


def test_pages_work_in_english(street, client):
    cycle = street.shortlisted(places=2, candidates=3)
    client.force_login(street.office)
    # The language switcher stores the choice in Django's language cookie.
    client.cookies["django_language"] = "en"
    page = client.get(f"/livelihood/cycles/{cycle.pk}/").content.decode()
    assert "Open the vote" in page and "Shortlisting" in page
    del client.cookies["django_language"]
    chinese = client.get(f"/livelihood/cycles/{cycle.pk}/").content.decode()
    assert "开启票决" in chinese and "初定" in chinese
