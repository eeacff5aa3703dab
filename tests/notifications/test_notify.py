"""notify(): written in the caller's transaction, delivered after commit, on the channels people chose."""

import logging
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from core import clock
from core.roles import Role
from notifications import services
from notifications.channels import OutgoingMessage, SmsChannel
from notifications.models import Delivery, DeliveryStatus, Notification, NotificationPreference

pytestmark = pytest.mark.django_db


class FailingSmsChannel(SmsChannel):
    """A gateway that is down."""

    def send(self, message: OutgoingMessage) -> None:
        raise ConnectionError("gateway unreachable")


class RecordingSmsChannel(SmsChannel):
    sent: list = []

    def send(self, message: OutgoingMessage) -> None:
        RecordingSmsChannel.sent.append((message.address, self.text(message)))


@pytest.fixture
def people(make_user):
    return {
        "emailed": make_user(Role.OFFICE, username="emailed", email="emailed@example.org", phone="13812345678"),
        "no_email": make_user(Role.LEADER, username="no_email"),
        "sms_too": make_user(Role.OFFICE, username="sms_too", email="sms@example.org", phone="13900001111"),
    }


def test_notification_is_written_with_the_event_and_sent_after_commit(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            services.notify(
                recipients=[people["emailed"], people["no_email"].pk],
                verb="test.event",
                title="Suggestion assigned",
                body="Please acknowledge it.",
                url="/suggestions/1/",
            )
            # Nothing leaves before the commit.
            assert mail.outbox == []
    assert len(callbacks) == 1
    assert Notification.objects.filter(verb="test.event").count() == 2
    # Only the person with an email address (and the default "by email" preference) gets an email.
    assert [message.to for message in mail.outbox] == [["emailed@example.org"]]
    assert mail.outbox[0].subject == "Suggestion assigned"
    assert "/suggestions/1/" in mail.outbox[0].body
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.status, delivery.attempts) == ("email", DeliveryStatus.SENT, 1)


def test_a_rolled_back_event_notifies_nobody(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                services.notify(recipients=[people["emailed"]], verb="test.event", title="Never happened")
                raise RuntimeError("the event failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert mail.outbox == []


@override_settings(NOTIFICATIONS_SMS_CHANNEL="tests.notifications.test_notify.RecordingSmsChannel")
def test_channels_follow_each_persons_preferences(people, django_capture_on_commit_callbacks):
    RecordingSmsChannel.sent = []
    services.preferences_update(user=people["sms_too"], email=False, sms=True)
    services.preferences_update(user=people["emailed"], email=True, sms=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=list(people.values()), verb="test.event", title="Reception tomorrow", url="/x/")
    assert [message.to for message in mail.outbox] == [["emailed@example.org"]]
    assert RecordingSmsChannel.sent == [("13900001111", "Reception tomorrow /x/")]
    # The in-app inbox is always on.
    assert Notification.objects.count() == 3


def test_the_default_sms_channel_logs_a_masked_number(people, django_capture_on_commit_callbacks, caplog):
    services.preferences_update(user=people["sms_too"], email=False, sms=True)
    with caplog.at_level(logging.INFO, logger="notifications.channels"):
        with django_capture_on_commit_callbacks(execute=True):
            services.notify(recipients=[people["sms_too"]], verb="test.event", title="Hello")
    assert "139****1111" in caplog.text
    assert "13900001111" not in caplog.text
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_inactive_accounts_are_not_notified(make_user):
    gone = make_user(Role.OFFICE, username="gone", email="gone@example.org")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    assert services.notify(recipients=[gone], verb="test.event", title="x") == []
    assert not Notification.objects.exists()


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "relative/path"])
def test_links_must_stay_inside_the_site(people, url):
    with pytest.raises(ValueError):
        services.notify(recipients=[people["emailed"]], verb="test.event", title="x", url=url)
    assert not Notification.objects.exists()


@override_settings(
    NOTIFICATIONS_SMS_CHANNEL="tests.notifications.test_notify.FailingSmsChannel", NOTIFICATIONS_MAX_ATTEMPTS=3
)
def test_a_failing_channel_is_retried_with_backoff_then_marked_failed(people, frozen_today):
    services.preferences_update(user=people["sms_too"], email=False, sms=True)
    services.notify(recipients=[people["sms_too"]], verb="test.event", title="x")
    delivery = Delivery.objects.get()
    start = clock.now()
    waits = []
    for attempt in (1, 2):
        # The frozen clock moves to the moment the retry is due.
        frozen = frozen_today(Delivery.objects.get().next_attempt_at)
        result = services.deliveries_sweep()
        assert result["failed"] == 1
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, attempt)
        assert "gateway unreachable" in delivery.error
        waits.append(delivery.next_attempt_at - frozen)
    # Exponential backoff with jitter: each wait lies within [base/2, base × 2^(attempt−1)].
    assert timedelta(seconds=30) <= waits[0] <= timedelta(seconds=60)
    assert timedelta(seconds=30) <= waits[1] <= timedelta(seconds=120)
    frozen_today(Delivery.objects.get().next_attempt_at)
    services.deliveries_sweep()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert delivery.next_attempt_at > start


def test_a_delivery_waiting_for_its_retry_time_is_not_sent_early(people, frozen_today):
    services.notify(recipients=[people["emailed"]], verb="test.event", title="x")
    Delivery.objects.update(next_attempt_at=clock.now() + timedelta(minutes=10))
    assert services.deliveries_sweep()["due"] == 0
    assert mail.outbox == []
    frozen_today(Delivery.objects.get().next_attempt_at + timedelta(seconds=1))
    assert services.deliveries_sweep()["sent"] == 1
    assert len(mail.outbox) == 1


def test_sending_twice_sends_once(people):
    services.notify(recipients=[people["emailed"]], verb="test.event", title="x")
    ids = list(Delivery.objects.values_list("pk", flat=True))
    assert services.deliveries_send(delivery_ids=ids)["sent"] == 1
    assert services.deliveries_send(delivery_ids=ids)["claimed"] == 0
    assert services.deliveries_sweep()["due"] == 0
    assert len(mail.outbox) == 1


def test_a_delivery_whose_sender_died_is_marked_failed_not_resent(people, settings):
    services.notify(recipients=[people["emailed"]], verb="test.event", title="x")
    # A sender claimed it and died before recording the outcome.
    Delivery.objects.update(
        status=DeliveryStatus.SENDING, claimed_at=clock.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    )
    result = services.deliveries_sweep()
    assert result["lost"] == 1
    assert Delivery.objects.get().status == DeliveryStatus.FAILED
    assert mail.outbox == []


def test_a_recent_claim_is_left_to_its_sender(people):
    services.notify(recipients=[people["emailed"]], verb="test.event", title="x")
    Delivery.objects.update(status=DeliveryStatus.SENDING, claimed_at=clock.now())
    assert services.deliveries_sweep() == {"due": 0, "sent": 0, "failed": 0, "lost": 0}
    assert Delivery.objects.get().status == DeliveryStatus.SENDING


def test_notify_many_people_uses_a_constant_number_of_queries(make_user, django_assert_num_queries):
    few = [make_user(Role.OFFICE, email=f"a{i}@example.org") for i in range(2)]
    many = [make_user(Role.OFFICE, email=f"b{i}@example.org") for i in range(20)]
    NotificationPreference.objects.create(user=many[0], email=False)
    # 1 users with preferences + 1 notifications + 1 deliveries, inside a savepoint (2 more).
    for group in (few, many):
        with django_assert_num_queries(5):
            services.notify(recipients=group, verb="test.event", title="x")


def test_a_mail_server_that_is_down_leaves_the_email_to_be_retried(people, settings):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    services.notify(recipients=[people["emailed"]], verb="test.event", title="x")
    result = services.deliveries_sweep()
    assert result["failed"] == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert "Connection" in delivery.error or "refused" in delivery.error


@override_settings(NOTIFICATIONS_SMS_CHANNEL="tests.notifications.test_notify.BrokenSmsChannel")
def test_a_channel_that_crashes_on_a_batch_leaves_nothing_claimed(people):
    services.preferences_update(user=people["sms_too"], email=False, sms=True)
    services.notify(recipients=[people["sms_too"]], verb="test.event", title="x")
    assert services.deliveries_sweep()["failed"] == 1
    assert Delivery.objects.get().status == DeliveryStatus.PENDING


class BrokenSmsChannel(SmsChannel):
    def send_many(self, messages):
        raise RuntimeError("gateway client bug")
