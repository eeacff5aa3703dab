"""Helpers for server-rendered pages: running a service and showing why it said no."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import ActionRefused, PermissionRefused

# The status a page answers with when the service refused: bad input, a permission refused,
# an action the rules do not allow in the current state.
INVALID = 400
FORBIDDEN = 403
CONFLICT = 409


@dataclass(frozen=True)
class Outcome:
    """What ``run_service`` got: the call's ``result``, or the HTTP ``status`` of the refusal."""

    result: Any = None
    status: int | None = None

    @property
    def ok(self) -> bool:
        return self.status is None


def add_errors(form, exc: ValidationError) -> None:
    """Put ``exc`` on ``form``: errors on one of its fields on that field, the rest as non-field errors."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, messages_ in errors.items():
        field = name if name in form.fields else None
        for message in messages_:
            form.add_error(field, message)


def errors_text(exc: ValidationError, separator: str = "；") -> str:
    """All of ``exc``'s messages as one line, for a page message."""
    return separator.join(str(message) for message in exc.messages)


def run_service(
    request,
    form,
    call: Callable[[], Any],
    *,
    refusals: str = "form",
    raise_forbidden: bool = False,
    separator: str = "；",
) -> Outcome:
    """Run the service ``call()`` and turn its refusal into something the page can show.

    - ``ValidationError`` (400): onto ``form`` (see ``add_errors``), or, without a form, one error
      message joined with ``separator``.
    - ``ActionRefused`` (409) and ``PermissionRefused`` (403): the message as a non-field error on
      ``form`` when ``refusals="form"``, else (or without a form) as an error message.
    - with ``raise_forbidden``, ``PermissionRefused`` raises ``PermissionDenied`` instead, so the
      page answers with the site's 403 page.

    Returns ``Outcome(result=...)`` on success, else ``Outcome(status=...)`` with nothing changed.
    """
    if refusals not in ("form", "messages"):
        raise ValueError(f"refusals must be 'form' or 'messages', not {refusals!r}")
    try:
        return Outcome(result=call())
    except ValidationError as exc:
        if form is None:
            messages.error(request, errors_text(exc, separator))
        else:
            add_errors(form, exc)
        return Outcome(status=INVALID)
    except (ActionRefused, PermissionRefused) as exc:
        forbidden = isinstance(exc, PermissionRefused)
        if forbidden and raise_forbidden:
            raise PermissionDenied(exc.message) from None
        if form is not None and refusals == "form":
            form.add_error(None, exc.message)
        else:
            messages.error(request, exc.message)
        return Outcome(status=FORBIDDEN if forbidden else CONFLICT)
