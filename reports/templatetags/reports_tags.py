"""Formatting helpers shared by the report pages and the PDF templates."""

from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core import rounding
from core.masking import mask_phone

register = template.Library()


@register.filter
def pct(value, digits: int = 1) -> str:
    """A fraction 0–1 as a percentage rounded half up ("85.7%"); "—" when there is no denominator."""
    return rounding.percent(value, digits) or "—"


@register.filter
def points(value) -> str:
    """Points without trailing zeros: 12.50 → 12.5, 8.00 → 8."""
    if value is None:
        return "—"
    value = Decimal(value).quantize(Decimal("0.01"))
    text = format(value.normalize(), "f")
    return text


@register.filter
def masked(phone) -> str:
    return mask_phone(phone)


@register.filter
def cn_date(value) -> str:
    """A date written the Chinese way in the current language (2024年1月10日 / 2024-01-10)."""
    if not value:
        return ""
    return _("%(year)s-%(month)02d-%(day)02d") % {"year": value.year, "month": value.month, "day": value.day}


@register.filter
def get(mapping, key):
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def css_string(value) -> str:
    """``value`` as a quoted CSS string, for ``content:`` in the PDF page margins."""
    text = str(value or "")
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
    return mark_safe(f'"{text}"')  # quoted and escaped above; used inside <style> only
