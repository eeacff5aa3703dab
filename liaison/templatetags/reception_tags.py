"""Template helpers for the reception pages and the home-page sections they fill.

``masked_phone`` / ``masked_name`` keep personal information masked in every list;
``staff_reception_today`` and ``deputy_duties`` feed the home page's reception and duty
sections from the scoped selectors.
"""

from django import template
from django.utils import timezone

from core.masking import mask_phone
from liaison.services.privacy import mask_name

register = template.Library()


@register.filter
def masked_phone(value) -> str:
    return mask_phone(value)


@register.filter
def masked_name(value) -> str:
    return mask_name(value)


@register.simple_tag
def staff_reception_today(user) -> dict:
    """Today's reception days at the user's stations and the triage queue's length. Three queries."""
    from liaison.selectors import opinions_visible_to, reception_days_visible_to

    today = timezone.localdate()
    days = list(reception_days_visible_to(user).filter(date=today, is_cancelled=False).order_by("station__name"))
    upcoming = list(
        reception_days_visible_to(user).filter(date__gt=today, is_cancelled=False).order_by("date", "station__name")[:5]
    )
    pending = opinions_visible_to(user).filter(outcome__isnull=True).count()
    return {"today": today, "days": days, "upcoming": upcoming, "pending": pending}


@register.simple_tag
def deputy_duties(user) -> dict:
    """The deputy's "四个一" duties this month/quarter/year, their voter contacts this year and next reception days."""
    from duties.models import CONSTITUENT_LINKS_MIN, VOTER_CONTACTS_PER_YEAR
    from duties.selectors import duty_compliance, voter_contact_counts
    from liaison.selectors import reception_days_of_deputy

    today = timezone.localdate()
    if not user.deputy_id:
        return {"duties": [], "next_days": [], "contacts": None}
    return {
        "duties": duty_compliance([user.deputy_id], today)[user.deputy_id],
        "contacts": {
            **voter_contact_counts([user.deputy_id], today.year)[user.deputy_id],
            "contacts_required": VOTER_CONTACTS_PER_YEAR,
            "links_required": CONSTITUENT_LINKS_MIN,
        },
        "next_days": list(reception_days_of_deputy(user.deputy_id).filter(date__gte=today, is_cancelled=False)[:3]),
    }
