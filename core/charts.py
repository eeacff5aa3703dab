"""Server-side SVG charts: the same markup appears on the dashboards and in the PDFs.

No JavaScript and no external assets: each function returns a self-contained
``<svg>`` string (marked safe; every label is escaped here). Sizes are in user
units; the element scales to its container through ``viewBox``.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

# A restrained palette that prints well in colour and stays distinguishable in grey.
PALETTE = ("#a61b29", "#2f5d8a", "#d08c2f", "#4a7c59", "#7a5c99", "#6b6b6b")
AXIS = "#555555"
GRID = "#dddddd"
TEXT = "#222222"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def _text_width(text: str, size: float) -> float:
    """Approximate rendered width: CJK and full-width characters are one em, the rest about half."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.56 for ch in text)


def _fit(text: str, size: float, width: float) -> str:
    if _text_width(text, size) <= width:
        return text
    while text and _text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _nice_scale(maximum: float, ticks: int = 5) -> tuple[float, float]:
    """An axis maximum and a whole-number step on the 1-2-5 ladder that cover ``maximum`` (counts)."""
    if maximum <= 0:
        return 1.0, 1.0
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 5, 10) if f * magnitude >= raw)
    step = max(step, 1.0)
    return step * math.ceil(maximum / step), step


def _fmt(value: float, percent: bool = False) -> str:
    if percent:
        return f"{value * 100:.0f}%" if float(value * 100).is_integer() else f"{value * 100:.1f}%"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _open(width: int, height: int, title: str, font_family: str | None) -> list[str]:
    font = f' font-family="{escape(font_family)}"' if font_family else ""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' class="chart" role="img" aria-label="{escape(title)}"{font} font-size="12">',
        f"<title>{escape(title)}</title>",
    ]


def _legend(parts: list[str], series: Sequence[Series], x: float, y: float) -> None:
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14:.1f}" y="{y:.1f}" fill="{TEXT}">{escape(s.name)}</text>')
        x += 14 + _text_width(s.name, 12) + 18


def _empty(width: int, height: int, title: str, font_family: str | None, message: str) -> SafeString:
    parts = _open(width, height, title, font_family)
    parts.append(f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="none" stroke="{GRID}"/>')
    parts.append(
        f'<text x="{width / 2:.1f}" y="{height / 2:.1f}" text-anchor="middle" fill="#888888">{escape(message)}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text node above is escaped


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 640,
    height: int = 260,
    percent: bool = False,
    font_family: str | None = None,
    empty_message: str = "—",
) -> SafeString:
    """Vertical grouped bars: one group per label (e.g. month), one bar per series."""
    values = [v for s in series for v in s.values]
    if not labels or not any(values):
        return _empty(width, height, title, font_family, empty_message)
    left, right, top, bottom = 44, 12, 28 if len(series) > 1 else 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    y_max, step = _nice_scale(max(values), 5) if not percent else (1.0, 0.2)
    parts = _open(width, height, title, font_family)
    # Grid lines and y labels.
    tick = 0.0
    while tick <= y_max + 1e-9:
        y = top + plot_h - plot_h * tick / y_max
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{AXIS}">{_fmt(tick, percent)}</text>'
        )
        tick += step
    group_w = plot_w / len(labels)
    bar_w = min(28.0, group_w * 0.8 / len(series))
    for gi, label in enumerate(labels):
        gx = left + gi * group_w + (group_w - bar_w * len(series)) / 2
        for si, s in enumerate(series):
            value = s.values[gi] if gi < len(s.values) else 0
            h = plot_h * max(value, 0) / y_max
            x, y = gx + si * bar_w, top + plot_h - h
            colour = PALETTE[si % len(PALETTE)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{escape(label)} {escape(s.name)}: {_fmt(value, percent)}</title></rect>"
            )
            if value and bar_w >= 12:
                parts.append(
                    f'<text x="{x + (bar_w - 2) / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="10"'
                    f' fill="{TEXT}">{_fmt(value, percent)}</text>'
                )
        parts.append(
            f'<text x="{left + gi * group_w + group_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle"'
            f' fill="{AXIS}">{escape(_fit(label, 12, group_w - 2))}</text>'
        )
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{AXIS}"/>')
    if len(series) > 1:
        _legend(parts, series, left, 14)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text node above is escaped


def hbar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    width: int = 640,
    bar_height: int = 18,
    percent: bool = False,
    font_family: str | None = None,
    empty_message: str = "—",
    colour: str = PALETTE[1],
) -> SafeString:
    """Horizontal bars for categories with long names (units, opinion categories)."""
    height = max(60, 16 + len(labels) * (bar_height + 8))
    if not labels or not any(values):
        return _empty(width, 80, title, font_family, empty_message)
    label_w = min(180.0, max(_text_width(label, 12) for label in labels) + 8)
    left, right = label_w + 6, 56
    plot_w = width - left - right
    maximum = 1.0 if percent else max(max(values), 1)
    parts = _open(width, height, title, font_family)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 8 + i * (bar_height + 8)
        w = plot_w * max(value, 0) / maximum
        parts.append(
            f'<text x="{label_w}" y="{y + bar_height - 5}" text-anchor="end" fill="{TEXT}">'
            f"{escape(_fit(label, 12, label_w))}</text>"
        )
        parts.append(f'<rect x="{left:.1f}" y="{y}" width="{plot_w:.1f}" height="{bar_height}" fill="#f1f1f1"/>')
        parts.append(
            f'<rect x="{left:.1f}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{colour}">'
            f"<title>{escape(label)}: {_fmt(value, percent)}</title></rect>"
        )
        parts.append(
            f'<text x="{left + plot_w + 6:.1f}" y="{y + bar_height - 5}" fill="{TEXT}">{_fmt(value, percent)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text node above is escaped


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 640,
    height: int = 240,
    percent: bool = False,
    font_family: str | None = None,
    empty_message: str = "—",
) -> SafeString:
    """Lines over an ordered axis (months), one per series, with the points marked."""
    values = [v for s in series for v in s.values]
    if len(labels) < 2 or not values or not any(values):
        return _empty(width, height, title, font_family, empty_message)
    left, right, top, bottom = 44, 16, 28, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    y_max, step = _nice_scale(max(values), 5) if not percent else (1.0, 0.2)
    parts = _open(width, height, title, font_family)
    tick = 0.0
    while tick <= y_max + 1e-9:
        y = top + plot_h - plot_h * tick / y_max
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{AXIS}">{_fmt(tick, percent)}</text>'
        )
        tick += step
    dx = plot_w / (len(labels) - 1)
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{left + i * dx:.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="{AXIS}">'
            f"{escape(_fit(label, 12, dx + 4))}</text>"
        )
    for si, s in enumerate(series):
        colour = PALETTE[si % len(PALETTE)]
        points = [
            (left + i * dx, top + plot_h - plot_h * max(v, 0) / y_max) for i, v in enumerate(s.values[: len(labels)])
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for (x, y), v, label in zip(points, s.values, labels, strict=False):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(label)} {escape(s.name)}: {_fmt(v, percent)}</title></circle>"
            )
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{AXIS}"/>')
    _legend(parts, series, left, 14)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text node above is escaped
