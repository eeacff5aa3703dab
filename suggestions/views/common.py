"""What the suggestion pages share: the tabs, the role and visibility checks, and refusals shown as a page."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from core.errors import ActionRefused, PermissionRefused
from core.pages import CONFLICT, FORBIDDEN
from core.roles import Role
from suggestions import selectors
from suggestions.transitions import actors_of, check

# --- Navigation inside the suggestion pages ------------------------------------------------------

_TABS = [
    # (url name, label, roles; None = every role)
    ("suggestions:list", gettext_lazy("All suggestions"), None),
    ("suggestions:create", gettext_lazy("New suggestion"), {Role.DEPUTY}),
    ("suggestions:cosign_requests", gettext_lazy("Co-sign requests"), {Role.DEPUTY}),
    ("suggestions:inbox", gettext_lazy("Unit inbox"), {Role.UNIT_OFFICER}),
    ("suggestions:follow_ups", gettext_lazy("B/C follow-ups"), {Role.UNIT_OFFICER}),
    ("suggestions:review", gettext_lazy("Review queue"), {Role.OFFICE, Role.LEADER, Role.ADMIN}),
    ("suggestions:overdue", gettext_lazy("Overdue"), {Role.OFFICE, Role.LEADER, Role.ADMIN, Role.UNIT_OFFICER}),
    (
        "suggestions:risk",
        gettext_lazy("Deadline risk"),
        {Role.OFFICE, Role.LEADER, Role.ADMIN, Role.UNIT_OFFICER},
    ),
    ("suggestions:extensions", gettext_lazy("Extension requests"), {Role.OFFICE, Role.LEADER, Role.ADMIN}),
    ("suggestions:return_requests", gettext_lazy("Return requests"), {Role.OFFICE, Role.LEADER, Role.ADMIN}),
    ("suggestions:stats", gettext_lazy("Statistics"), {Role.OFFICE, Role.LEADER, Role.ADMIN}),
    ("suggestions:calendar", gettext_lazy("Working-day calendar"), {Role.OFFICE, Role.ADMIN}),
]


def page_tabs(request) -> list[dict]:
    role = request.user.effective_role
    tabs = []
    for name, label, roles in _TABS:
        if roles is None or role in roles:
            url = reverse(name)
            # The calendar's own pages (a year, the entry form) keep its tab highlighted.
            active = request.path == url or (name == "suggestions:calendar" and request.path.startswith(url))
            tabs.append({"url": url, "label": label, "active": active})
    return tabs


def require_role(request, *roles) -> None:
    if not request.user.has_role(*roles):
        raise PermissionDenied


def visible_suggestion(request, pk):
    return get_object_or_404(selectors.suggestion_detail_queryset(request.user), pk=pk)


def refusal_status(exc) -> int:
    return FORBIDDEN if isinstance(exc, PermissionRefused) else CONFLICT


def precheck(request, suggestion, action):
    """Refuse before showing a form the user could not use (the service checks again on submit)."""
    try:
        check(suggestion=suggestion, action=action, actors=actors_of(request.user, suggestion))
    except (ActionRefused, PermissionRefused) as exc:
        return render(
            request,
            "suggestions/refused.html",
            {"suggestion": suggestion, "message": exc.message, "tabs": page_tabs(request)},
            status=refusal_status(exc),
        )
    return None
