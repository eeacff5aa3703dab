"""Checks of free text that several apps accept from the public and from staff."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A mainland mobile number, or a landline with its area code (the hyphen is optional).
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def clean_phone(raw: str) -> str:
    """The number without spaces or brackets; ``ValidationError`` when it is not a phone number."""
    phone = re.sub(r"[\s()]", "", raw or "")
    if not PHONE_RE.match(phone):
        raise ValidationError(_("Enter a mobile number (11 digits) or a landline with its area code."))
    return phone
