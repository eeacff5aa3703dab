"""The one rounding rule of every rate the product shows: half up (四舍五入), never half to even.

A rate is a part divided by a whole. The API gives it as a fraction with four decimals
(``rate``: 6/7 → 0.8571); the pages and the PDF reports show that four-decimal value as a
percentage with one decimal (``percent``: 0.8571 → 85.7%). Python's ``round`` and ``format``
round a binary float half to even (1/32 → 0.0312, 1.25 → "1.2"), so both go through ``Decimal``.
The dashboards and the reports state this rule in a footnote.
"""

from decimal import ROUND_HALF_UP, Decimal

RATE_PLACES = Decimal("0.0001")


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` rounded half up to four decimals; ``None`` when ``whole`` is 0."""
    if not whole:
        return None
    return float((Decimal(part) / Decimal(whole)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP))


def percent(value, digits: int = 1) -> str | None:
    """A fraction (as ``rate`` gives it) as a percentage rounded half up to ``digits`` decimals, trailing
    zeros dropped ("85.7%", "50%"); ``None`` for no value."""
    if value is None or value == "":
        return None
    number = (Decimal(str(value)) * 100).quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP)
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"
