"""提、交、办、督、评: deputies' suggestions and everything that happens to them.

Every state change goes through ``suggestions.services`` and is checked against
``suggestions.transitions``; the rows here only hold data. Several columns on
``Suggestion`` (``first_replied_on``, ``reply_class``, ``final_rating`` …) repeat
what the reply and evaluation rows say, so that lists, reminders and statistics
for a whole city are one indexed query; only the services write them.

One module per part of the life of a suggestion; this package imports every model (Django finds
them here) and the choices and limits that go with them, so ``from suggestions.models import …``
is the way in. ``_attachment_path`` is here because migrations refer to it by this name.
"""

from suggestions.models.calendar import CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, CalendarDay, CalendarYear
from suggestions.models.choices import (
    AWAITING_ASSIGNMENT,
    AWAITING_REPLY,
    FOLLOW_UP_CLASSES,
    SATISFIED_RATINGS,
    Action,
    Category,
    Rating,
    ReplyClass,
    State,
)
from suggestions.models.drafting import (
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_KINDS,
    ATTACHMENT_MAX_BYTES,
    Attachment,
    CoSignature,
    CoSignStatus,
    _attachment_path,
)
from suggestions.models.handling import (
    Assignment,
    AssignmentRole,
    Contact,
    ContactMethod,
    CoUnitOpinion,
    Evaluation,
    Reply,
)
from suggestions.models.office_requests import Extension, OfficeDecidedRequest, RequestStatus, ReturnRequest
from suggestions.models.records import FollowUp, SuggestionEvent, SupervisionNote
from suggestions.models.suggestion import CONTENT_MAX_LENGTH, Suggestion

__all__ = [
    "ATTACHMENT_EXTENSIONS",
    "ATTACHMENT_KINDS",
    "ATTACHMENT_MAX_BYTES",
    "AWAITING_ASSIGNMENT",
    "AWAITING_REPLY",
    "CALENDAR_FIRST_YEAR",
    "CALENDAR_LAST_YEAR",
    "CONTENT_MAX_LENGTH",
    "FOLLOW_UP_CLASSES",
    "SATISFIED_RATINGS",
    "Action",
    "Assignment",
    "AssignmentRole",
    "Attachment",
    "CalendarDay",
    "CalendarYear",
    "Category",
    "CoSignStatus",
    "CoSignature",
    "CoUnitOpinion",
    "Contact",
    "ContactMethod",
    "Evaluation",
    "Extension",
    "FollowUp",
    "OfficeDecidedRequest",
    "Rating",
    "Reply",
    "ReplyClass",
    "RequestStatus",
    "ReturnRequest",
    "State",
    "Suggestion",
    "SuggestionEvent",
    "SupervisionNote",
    "_attachment_path",
]
