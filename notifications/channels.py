"""External channels that carry a notification out of the product.

The in-app inbox is the notification row itself and is always on. Email goes through Django's mail
backend (console in the demo, SMTP when EMAIL_BACKEND says so). SMS goes through the class named by
``settings.NOTIFICATIONS_SMS_CHANNEL``; the default only logs, and a gateway plugs in by subclassing
``SmsChannel`` and naming the subclass there.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.module_loading import import_string

from core.masking import mask_phone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutgoingMessage:
    """What a channel sends: plain text, with an absolute link when the site URL is configured."""

    key: int  # the delivery id, so that failures can be reported per message
    address: str
    title: str
    body: str
    url: str

    @property
    def link(self) -> str:
        if not self.url:
            return ""
        return f"{settings.NOTIFICATIONS_SITE_URL}{self.url}"


class ExternalChannel:
    """The interface: who can be reached and how to send a batch of messages."""

    name: str = ""

    def address_for(self, user) -> str:
        """The user's address on this channel, or "" when the user cannot be reached on it."""
        raise NotImplementedError

    def send(self, message: OutgoingMessage) -> None:
        """Send one message; raise on failure (the caller records the error and retries later)."""
        raise NotImplementedError

    def send_many(self, messages: list[OutgoingMessage]) -> dict[int, str]:
        """Send a batch; return {message.key: error} for the messages that failed."""
        failures = {}
        for message in messages:
            try:
                self.send(message)
            except Exception as exc:  # a channel failure must not stop the rest of the batch
                logger.warning("%s delivery %s failed: %s", self.name, message.key, exc)
                failures[message.key] = f"{type(exc).__name__}: {exc}"[:1000]
        return failures


class EmailChannel(ExternalChannel):
    name = "email"

    def address_for(self, user) -> str:
        return (user.email or "").strip()

    def send_many(self, messages: list[OutgoingMessage]) -> dict[int, str]:
        # One SMTP connection for the whole batch instead of one per message.
        connection = get_connection()
        try:
            connection.open()
        except Exception as exc:  # the mail server is down: every message of the batch failed
            logger.warning("email: cannot connect to the mail server: %s", exc)
            return {message.key: f"{type(exc).__name__}: {exc}"[:1000] for message in messages}
        self._connection = connection
        try:
            return super().send_many(messages)
        finally:
            try:
                connection.close()
            except Exception:  # closing a broken connection must not hide the results
                logger.warning("email: closing the connection failed", exc_info=True)

    def send(self, message: OutgoingMessage) -> None:
        text = message.body
        if message.link:
            text = f"{text}\n\n{message.link}" if text else message.link
        EmailMessage(
            subject=message.title,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.address],
            connection=getattr(self, "_connection", None),
        ).send()


class SmsChannel(ExternalChannel):
    """Base class of SMS gateways: subclass it, implement ``send`` and name it in the settings."""

    name = "sms"

    def address_for(self, user) -> str:
        return (user.phone or "").strip()

    @staticmethod
    def text(message: OutgoingMessage) -> str:
        """Short text: the title and the link (an SMS has no room for the full body)."""
        return f"{message.title} {message.link}".strip()


class LoggingSmsChannel(SmsChannel):
    """The default: logs what would be sent, with the phone number masked."""

    def send(self, message: OutgoingMessage) -> None:
        logger.info("SMS to %s: %s", mask_phone(message.address), self.text(message))


def external_channel(name: str) -> ExternalChannel:
    if name == EmailChannel.name:
        return EmailChannel()
    if name == SmsChannel.name:
        return import_string(settings.NOTIFICATIONS_SMS_CHANNEL)()
    raise ValueError(f"Unknown notification channel {name!r}")
