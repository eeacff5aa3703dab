"""Rates round half up (四舍五入), in the API's four decimals and in the pages' one-decimal percentages."""

import pytest

from core import rounding
from reports.templatetags.reports_tags import pct
from suggestions.selectors import _rate as suggestion_rate


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (6, 7, 0.8571),
        (1, 32, 0.0313),  # 0.03125: round() would give 0.0312 (half to even)
        (5, 32, 0.1563),  # 0.15625: round() gives 0.1562
        (1, 3, 0.3333),
        (2, 3, 0.6667),
        (3, 3, 1.0),
        (0, 4, 0.0),
        (1, 0, None),
    ],
)
def test_rates_have_four_decimals_rounded_half_up(part, whole, expected):
    assert rounding.rate(part, whole) == expected
    assert suggestion_rate(part, whole) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.8571, "85.7%"),
        (0.0125, "1.3%"),  # 1.25: format() would give "1.2" (half to even)
        (0.0313, "3.1%"),
        (0.1235, "12.4%"),
        (0.5, "50%"),
        (1.0, "100%"),
        (0.0, "0%"),
        (None, "—"),
        ("", "—"),
    ],
)
def test_pages_show_one_decimal_rounded_half_up_from_the_four_decimal_rate(value, expected):
    assert pct(value) == expected
