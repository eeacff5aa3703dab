"""The SVG charts of the dashboards and PDFs live in ``core.charts`` (the hot-topics pages, a layer below
``reports``, draw the same charts); this module keeps the reports' imports unchanged."""

from core.charts import PALETTE, Series, bar_chart, hbar_chart, line_chart

__all__ = ["PALETTE", "Series", "bar_chart", "hbar_chart", "line_chart"]
