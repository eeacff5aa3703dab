"""The inbox, the preferences page and the admins' status page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import clock
from core.roles import Role
from notifications import services
from notifications.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    ReminderSent,
    TaskRun,
    TaskRunStatus,
)
from notifications.reminders import run_sweep
from tests.notifications.support import TEST_RULE

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user):
    return make_user(Role.OFFICE, username="owner", email="owner@example.org")


@pytest.fixture
def colleague(make_user):
    return make_user(Role.OFFICE, username="colleague")


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMIN, username="admin1", email="admin@example.org")


def _notify(user, count=1, url="/notifications/preferences/"):
    for i in range(count):
        services.notify(recipients=[user], verb="test.event", title=f"Item {i}", body="Body", url=url)


def test_the_inbox_shows_only_the_owners_notifications(client, owner, colleague):
    _notify(owner, 2)
    _notify(colleague, 1)
    client.force_login(owner)
    response = client.get("/notifications/")
    assert response.status_code == 200
    assert [n.title for n in response.context["notifications"]] == ["Item 1", "Item 0"]
    # The unread count appears in the top bar.
    assert response.context["unread_notifications"] == 2
    assert 'class="badge badge-red">2</span>' in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in ["/notifications/", "/notifications/preferences/", "/notifications/status/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, owner, colleague):
    _notify(owner, url="/notifications/preferences/")
    notification = Notification.objects.get()
    client.force_login(colleague)
    assert client.get(f"/notifications/{notification.pk}/open/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None

    client.force_login(owner)
    response = client.get(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/notifications/preferences/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_only_for_the_owner(client, owner, colleague):
    _notify(owner)
    notification = Notification.objects.get()
    client.force_login(colleague)
    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 404
    assert client.get(f"/notifications/{notification.pk}/read/").status_code == 405
    client.force_login(owner)
    response = client.post(f"/notifications/{notification.pk}/read/", {"next": "/notifications/?unread=1"})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/?unread=1"
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None
    # Reading again keeps the first time.
    client.post(f"/notifications/{notification.pk}/read/")
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_mark_read_never_redirects_elsewhere(client, owner):
    _notify(owner)
    notification = Notification.objects.get()
    client.force_login(owner)
    response = client.post(f"/notifications/{notification.pk}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"


def test_mark_all_read_touches_only_the_users_own(client, owner, colleague):
    _notify(owner, 3)
    _notify(colleague, 2)
    client.force_login(owner)
    response = client.post("/notifications/read-all/", follow=True)
    assert response.status_code == 200
    assert Notification.objects.filter(recipient=owner, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=colleague, read_at__isnull=True).count() == 2
    assert "3" in str(list(response.context["messages"])[0])
    # Nothing unread: no badge at all.
    assert 'class="nav-inbox"' not in response.content.decode()
    assert list(client.get("/notifications/?unread=1").context["notifications"]) == []


def test_the_inbox_page_uses_the_same_number_of_queries_for_10_or_100(client, owner):
    client.force_login(owner)
    counts = []
    for total in (10, 100):
        Notification.objects.all().delete()
        _notify(owner, total)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/notifications/").status_code == 200
        counts.append(len(queries))
    # session + user + paginator COUNT + unread badge COUNT + the page of rows
    # + the session save on every request (savepoint, UPDATE, release) = 8, whatever the inbox size.
    assert counts == [8, 8]


def test_preferences_are_saved_per_person(client, owner, colleague):
    client.force_login(owner)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    assert page.context["form"].initial == {"email": True, "sms": False}
    # No phone on the account: the page says so.
    assert "没有" in page.content.decode() or "no phone" in page.content.decode()
    response = client.post("/notifications/preferences/", {"sms": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=owner)
    assert (preference.email, preference.sms) == (False, True)
    assert not NotificationPreference.objects.filter(user=colleague).exists()
    # Email is now off for the owner only.
    services.notify(recipients=[owner, colleague], verb="test.event", title="x")
    assert list(Delivery.objects.values_list("notification__recipient__username", flat=True)) == []


def test_the_status_page_is_for_admins_only(client, owner, admin_user, make_user):
    leader = make_user(Role.LEADER)
    for user in (owner, leader):
        client.force_login(user)
        assert client.get("/notifications/status/").status_code == 403
        assert client.post("/notifications/status/test/").status_code == 403
    assert not Notification.objects.exists()
    client.force_login(admin_user)
    assert client.get("/notifications/status/").status_code == 200


def test_the_status_page_shows_last_runs_the_days_reminders_and_failures(client, admin_user, make_user):
    make_user(Role.OFFICE, username="due-1")
    run_sweep(TEST_RULE)  # today, from the real clock
    now = clock.now()
    TaskRun.objects.create(
        task_name="notifications.deliver_pending",
        status=TaskRunStatus.SUCCEEDED,
        started_at=now - timedelta(minutes=5),
        finished_at=now - timedelta(minutes=5),
        summary={"due": 0},
    )
    TaskRun.objects.create(
        task_name="notifications.deliver_pending", status=TaskRunStatus.FAILED, started_at=now, error="DB down"
    )
    services.notify(recipients=[admin_user], verb="test.event", title="Broken mail")
    Delivery.objects.update(status=DeliveryStatus.FAILED, error="SMTP refused")

    client.force_login(admin_user)
    response = client.get("/notifications/status/")
    tasks = {row["task"]: row for row in response.context["tasks"]}
    assert tasks["notifications.deliver_pending"]["last_run"].status == TaskRunStatus.FAILED
    assert tasks["notifications.deliver_pending"]["last_success_at"] is not None
    assert tasks["notifications.prune"]["last_run"] is None
    assert [(row["rule"], row["count"]) for row in response.context["reminders_today"]] == [("test_due_accounts", 1)]
    content = response.content.decode()
    assert "DB down" in content
    assert "SMTP refused" in content


def test_a_run_left_running_by_a_dead_worker_is_flagged(client, admin_user, settings):
    TaskRun.objects.create(
        task_name="notifications.prune",
        started_at=clock.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60),
    )
    TaskRun.objects.create(task_name="notifications.deliver_pending", started_at=clock.now())
    client.force_login(admin_user)
    tasks = {row["task"]: row for row in client.get("/notifications/status/").context["tasks"]}
    assert tasks["notifications.prune"]["lost"] is True
    assert tasks["notifications.deliver_pending"]["lost"] is False


def test_the_status_page_queries_do_not_grow_with_history(client, admin_user):
    client.force_login(admin_user)
    counts = []
    for runs in (1, 50):
        TaskRun.objects.bulk_create(
            [TaskRun(task_name="notifications.prune", status=TaskRunStatus.FAILED, error="x") for _ in range(runs)]
        )
        with CaptureQueriesContext(connection) as queries:
            client.get("/notifications/status/")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_admin_can_send_a_test_notification(client, admin_user, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/notifications/status/test/")
    assert response.status_code == 302
    notification = Notification.objects.get(recipient=admin_user)
    assert notification.verb == "test"
    assert [m.to for m in mail.outbox] == [["admin@example.org"]]
    assert not ReminderSent.objects.exists()


def test_pages_render_in_english_too(client, owner):
    _notify(owner)
    client.force_login(owner)
    client.cookies["django_language"] = "en"
    response = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Mark all as read" in response.content.decode()
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "全部标为已读" in response.content.decode()


def test_schedules_are_described_for_people():
    from celery.schedules import crontab
    from django.utils import translation

    from notifications.selectors import describe_schedule

    with translation.override("en"):
        assert describe_schedule(crontab(hour=7, minute=30)) == "Daily at 07:30"
        assert describe_schedule(timedelta(minutes=5)) == "Every 5 minutes"
        assert describe_schedule(2.0) == "Every 2 seconds"
        assert describe_schedule(crontab(hour=7, minute=30, day_of_week=1)).startswith("<crontab")
    with translation.override("zh-hans"):
        assert describe_schedule(crontab(hour=7, minute=30)) == "每天 07:30"
