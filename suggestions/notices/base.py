"""How a notice is written and sent: one message per person, in the site's language, with a link."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from notifications.services import Message, notify_each, target_of
from suggestions import recipients

_QUOTE_MAX = 200


@dataclass(frozen=True)
class Notice:
    """One message for a group of people."""

    recipient_ids: list[int]
    title: str
    body: str = ""


def suggestion_url(pk: int) -> str:
    return reverse("suggestions:detail", args=[pk])


def then(body: str, more: str) -> str:
    return f"{body} {more}"


def quote(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1] + "…"


def in_site_language(function):
    @wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


def send(suggestion, *, event: str, actor, notices: Iterable[Notice]) -> None:
    actor_id = getattr(actor, "pk", None)
    url = suggestion_url(suggestion.pk)
    target_type_id, target_id = target_of(suggestion)
    notified = {actor_id}
    messages = []
    for notice in notices:
        for user_id in notice.recipient_ids:
            if user_id in notified:
                continue
            notified.add(user_id)
            messages.append(
                Message(
                    recipient_id=user_id,
                    verb=f"suggestion.{event}",
                    title=notice.title,
                    body=notice.body,
                    url=url,
                    target_type_id=target_type_id,
                    target_id=target_id,
                )
            )
    notify_each(messages=messages)


def lead_deputy(suggestion) -> list[int]:
    return recipients.accounts_of(suggestion.lead_deputy_id)
