"""Every change to a suggestion, one function per action.

Each service runs in ``transaction.atomic``, locks the suggestion row
(``select_for_update``), asks ``transitions.check()`` whether this user may take
this action in the current state, changes the rows, and appends one
``SuggestionEvent``. Refusals change nothing:

- ``PermissionRefused`` (403): this user may never take this action on this item;
- ``ActionRefused`` (409): not in the current state, or a rule forbids it now;
- ``ValidationError`` (400 / form errors): the input is wrong.

The people concerned are notified in the same transaction (``suggestions.notices``): an action
that rolls back notified nobody.

Dates are local dates (Asia/Shanghai); deadlines come from ``suggestions.deadlines``.

This package is the app's public service API: it exposes every service function, so callers write
``from suggestions import services`` and ``services.suggestion_assign(...)`` whatever module the
service lives in. The modules go by topic: ``drafting`` (drafts, co-signing, drafts from an opinion),
``submission`` (submission, return, withdrawal, assignment and return requests), ``handling``
(acknowledgement, co-unit opinions, contacts, replies, extensions, follow-ups), ``evaluation``,
``supervision``, ``units`` (handling units) and ``calendar`` (the working-day calendar entry);
``common`` holds what they share. Each topic module notifies through its namesake in
``suggestions.notices``.
"""

from suggestions.services.calendar import calendar_year_enter
from suggestions.services.drafting import (
    suggestion_cosign,
    suggestion_create,
    suggestion_create_from_opinion,
    suggestion_create_from_opinions,
    suggestion_draft_delete,
    suggestion_update,
)
from suggestions.services.evaluation import suggestion_evaluate
from suggestions.services.handling import (
    suggestion_acknowledge,
    suggestion_co_unit_opinion,
    suggestion_decide_extension,
    suggestion_extend,
    suggestion_follow_up,
    suggestion_record_contact,
    suggestion_reply,
)
from suggestions.services.submission import (
    suggestion_assign,
    suggestion_decide_return,
    suggestion_request_return,
    suggestion_resubmit,
    suggestion_return,
    suggestion_submit,
    suggestion_withdraw,
)
from suggestions.services.supervision import suggestion_supervise
from suggestions.services.units import unit_create, unit_update

__all__ = [
    "calendar_year_enter",
    "suggestion_acknowledge",
    "suggestion_assign",
    "suggestion_co_unit_opinion",
    "suggestion_cosign",
    "suggestion_create",
    "suggestion_create_from_opinion",
    "suggestion_create_from_opinions",
    "suggestion_decide_extension",
    "suggestion_draft_delete",
    "suggestion_decide_return",
    "suggestion_evaluate",
    "suggestion_extend",
    "suggestion_follow_up",
    "suggestion_record_contact",
    "suggestion_reply",
    "suggestion_request_return",
    "suggestion_resubmit",
    "suggestion_return",
    "suggestion_submit",
    "suggestion_supervise",
    "suggestion_update",
    "suggestion_withdraw",
    "unit_create",
    "unit_update",
]
