"""Template helpers for suggestion pages and the home page panels."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from suggestions import selectors
from suggestions.models import Action, ContactMethod, Rating, ReplyClass, State

register = template.Library()

_BADGES = {
    State.DRAFT: "badge",
    State.SUBMITTED: "badge-info",
    State.RETURNED: "badge-warn",
    State.ASSIGNED: "badge-info",
    State.IN_PROGRESS: "badge-info",
    State.REPLIED: "badge-info",
    State.REHANDLING: "badge-warn",
    State.CLOSED: "badge-ok",
    State.WITHDRAWN: "badge",
}


@register.simple_tag
def state_badge_class(state: str) -> str:
    extra = _BADGES.get(state, "badge")
    return "badge" if extra == "badge" else f"badge {extra}"


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def _yes_no(value, yes, no) -> str:
    return yes if value else no


@register.filter
def event_summary(event) -> str:
    """The details of one timeline entry, in the reader's language."""
    data = event.data or {}
    action = event.action
    parts: list[str] = []
    if action == Action.CREATE and data.get("cosigners"):
        parts.append(_("Co-signers invited: %(names)s") % {"names": "、".join(data["cosigners"])})
    elif action == Action.COSIGN:
        parts.append(
            _yes_no(
                data.get("accepted"),
                _("%(name)s confirmed co-signing") % {"name": data.get("deputy", "")},
                _("%(name)s declined to co-sign") % {"name": data.get("deputy", "")},
            )
        )
    elif action in (Action.SUBMIT, Action.RESUBMIT) and data.get("assign_due"):
        parts.append(_("Assignment due by %(date)s") % {"date": data["assign_due"]})
        if data.get("provisional"):
            parts.append(_("Provisional: counted on the statutory holidays"))
    elif action == Action.RECOMPUTE_DEADLINE:
        if data.get("deadline") == "assign_due":
            text = _("Assignment deadline counted again on the official %(year)s schedule: %(previous)s → %(new)s")
        else:
            text = _("Return-request deadline counted again on the official %(year)s schedule: %(previous)s → %(new)s")
        parts.append(
            text % {"year": data.get("year", ""), "previous": data.get("previous", ""), "new": data.get("new", "")}
        )
    elif action == Action.ASSIGN:
        parts.append(_("Lead unit: %(unit)s") % {"unit": data.get("lead_unit", "")})
        if data.get("co_units"):
            parts.append(_("Co-units: %(units)s") % {"units": "、".join(data["co_units"])})
        if data.get("complex"):
            parts.append(_("Complex matter"))
        if data.get("reply_due"):
            parts.append(_("Reply due by %(date)s") % {"date": data["reply_due"]})
    elif action == Action.REQUEST_RETURN:
        parts.append(_("Unit: %(unit)s") % {"unit": data.get("unit", "")})
    elif action == Action.DECIDE_RETURN:
        parts.append(
            _yes_no(
                data.get("accepted"),
                _("Return request of %(unit)s approved") % {"unit": data.get("unit", "")},
                _("Return request of %(unit)s rejected") % {"unit": data.get("unit", "")},
            )
        )
        if data.get("assign_due"):
            parts.append(_("Assignment due by %(date)s") % {"date": data["assign_due"]})
    elif action == Action.CO_UNIT_OPINION:
        parts.append(_("Opinion from %(unit)s") % {"unit": data.get("unit", "")})
    elif action == Action.RECORD_CONTACT:
        parts.append(f"{_label(ContactMethod, data.get('method'))} {data.get('contacted_on', '')}".strip())
    elif action == Action.REPLY:
        parts.append(
            _("Reply %(round)s, class %(reply_class)s")
            % {"round": data.get("round", ""), "reply_class": _label(ReplyClass, data.get("reply_class"))}
        )
        parts.append(_yes_no(data.get("on_time"), _("on time"), _("late")))
        parts.append(_yes_no(data.get("contacted"), _("deputy contacted"), _("deputy not contacted")))
    elif action == Action.EVALUATE:
        parts.append(_("Rating: %(rating)s") % {"rating": _label(Rating, data.get("rating"))})
        if data.get("reply_due"):
            parts.append(_("Second reply due by %(date)s") % {"date": data["reply_due"]})
    elif action == Action.EXTEND:
        parts.append(_("New deadline: %(date)s") % {"date": data.get("new_due", "")})
        parts.append(_yes_no(data.get("approved"), _("set by the office"), _("waiting for approval")))
    elif action == Action.DECIDE_EXTENSION:
        parts.append(
            _yes_no(
                data.get("approved"),
                _("Extension to %(date)s approved") % {"date": data.get("new_due", "")},
                _("Extension to %(date)s rejected") % {"date": data.get("new_due", "")},
            )
        )
    elif action == Action.SUPERVISE and data.get("key_supervision") is not None:
        parts.append(_yes_no(data["key_supervision"], _("Flagged for key supervision"), _("Key supervision lifted")))
    elif action == Action.FOLLOW_UP and data.get("solved"):
        parts.append(_("Reported solved"))
    return "；".join(str(p) for p in parts if p)


@register.inclusion_tag("suggestions/_home_panel.html", takes_context=True)
def home_suggestions(context, limit: int = 8):
    """The home page panel: a deputy's latest suggestions, or a unit's open items by deadline.

    Three queries: the items (with deputy and unit joined), the overdue count, and co-sign requests or
    follow-ups due.
    """
    user = context["request"].user
    base = selectors.suggestion_list(user)
    today = timezone.localdate()
    if user.has_role("unit_officer"):
        items = base.filter(state__in=[State.ASSIGNED, State.IN_PROGRESS, State.REHANDLING]).order_by("deadline", "id")
        extra = selectors.follow_ups_due(user).count()
    else:
        items = base
        extra = selectors.cosign_requests_for(user).count()
    return {
        "request": context["request"],
        "items": list(items[:limit]),
        "overdue": base.filter(selectors.overdue_q(today)).count(),
        "extra": extra,
        "is_unit": user.has_role("unit_officer"),
        "today": today,
    }


@register.filter
def percent(rate) -> str:
    """0.9418 → "94.2%"; no rate (nothing to divide by) → "—"."""
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}%"
