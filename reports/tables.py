"""The dashboard and ranking tables, defined once for the page and for the Excel export.

A ``Table`` names its columns (header, how to read a row, what kind of value) and
holds its rows; the page renders it through ``reports/_table.html`` and the export
writes the same columns and rows, so a downloaded sheet always matches the screen.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.masking import mask_phone
from reports.exports import Column
from reports.templatetags.reports_tags import cn_date, pct, points


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list
    note: str = ""
    # On the page, the cell of column ``link_column`` links to ``link(row)`` (the export has no links).
    link: Callable | None = None
    link_column: int = 0

    def cells(self):
        """Rows of (text, kind, url) for the page; ``url`` is empty where the cell is not a link."""
        for row in self.rows:
            url = self.link(row) if self.link else ""
            yield [
                (_display(column, row), column.kind, url if index == self.link_column else "")
                for index, column in enumerate(self.columns)
            ]


def _display(column: Column, row) -> str:
    value = column.value(row)
    if column.kind == "pct":
        return pct(value)
    if column.kind == "phone":
        return mask_phone(value or "") or "—"
    if column.kind == "decimal":
        return points(value)
    if column.kind == "date":
        return cn_date(value) or "—"
    if value is None or value == "":
        return "—"
    return str(value)


def _rate_columns(names) -> list[Column]:
    labels = {
        "assigned": (gettext_lazy("Assigned"), "int"),
        "replied": (gettext_lazy("Replied"), "int"),
        "closed": (gettext_lazy("Closed"), "int"),
        "reply_rate": (gettext_lazy("Reply rate"), "pct"),
        "on_time_rate": (gettext_lazy("On-time rate"), "pct"),
        "closure_rate": (gettext_lazy("Closure rate"), "pct"),
        "satisfaction_rate": (gettext_lazy("Satisfaction"), "pct"),
        "first_satisfaction_rate": (gettext_lazy("First satisfaction"), "pct"),
        "a_class_rate": (gettext_lazy("Class A share"), "pct"),
        "contact_rate": (gettext_lazy("Contact rate"), "pct"),
    }
    return [Column(str(labels[n][0]), (lambda r, n=n: r[n]), labels[n][1]) for n in names]


RATES = [
    "assigned",
    "replied",
    "closed",
    "reply_rate",
    "on_time_rate",
    "closure_rate",
    "satisfaction_rate",
    "first_satisfaction_rate",
    "a_class_rate",
    "contact_rate",
]


def per_station_table(rows) -> Table:
    return Table(
        "stations",
        _("Figures by station"),
        [
            Column(_("Station"), lambda r: r["station"].name),
            Column(_("Kind"), lambda r: r["station"].get_kind_display()),
            Column(_("Person-times"), lambda r: r["visits_person_times"], "int"),
            Column(_("Opinions"), lambda r: r["opinions"], "int"),
            Column(_("Answered on site"), lambda r: r["answered_on_site"], "int"),
            Column(_("Escalated"), lambda r: r["escalated"], "int"),
            Column(_("Resolved"), lambda r: r["resolved"], "int"),
        ],
        rows,
        note=_("Each station's own figures; a station's subtree is the sum of its rows."),
    )


def categories_table(rows) -> Table:
    return Table(
        "categories",
        _("Opinions by category"),
        [
            Column(_("Category"), lambda r: r["label"]),
            Column(_("Opinions"), lambda r: r["total"], "int"),
            Column(_("Answered on site"), lambda r: r["answered_on_site"], "int"),
            Column(_("Escalated"), lambda r: r["escalated"], "int"),
            Column(_("Resolved"), lambda r: r["resolved"], "int"),
        ],
        rows,
    )


def monthly_table(monthly: dict, labels: list[str]) -> Table:
    rows = [
        {"month": labels[i], "person_times": monthly["person_times"][i], "visits": monthly["visits"][i], "opinions": n}
        for i, n in enumerate(monthly["opinions"])
    ]
    return Table(
        "monthly",
        _("Trends by month"),
        [
            Column(_("Month"), lambda r: r["month"]),
            Column(_("Person-times"), lambda r: r["person_times"], "int"),
            Column(pgettext("count", "Visits"), lambda r: r["visits"], "int"),
            Column(_("Opinions"), lambda r: r["opinions"], "int"),
        ],
        rows,
    )


def units_table(rows) -> Table:
    return Table(
        "units",
        _("Suggestions by lead unit"),
        [Column(_("Lead unit"), lambda r: r["label"]), *_rate_columns(RATES)],
        rows,
    )


def suggestion_categories_table(rows) -> Table:
    return Table(
        "suggestion_categories",
        _("Suggestions by category"),
        [Column(_("Category"), lambda r: r["label"]), *_rate_columns(RATES)],
        rows,
    )


def _first_rows_note(rows, total: int | None) -> str:
    if total is None or total <= len(rows):
        return ""
    return _("The first %(shown)s of %(total)s; the Excel download has them all.") % {
        "shown": len(rows),
        "total": total,
    }


def overdue_table(rows, total: int | None = None) -> Table:
    return Table(
        "overdue",
        _("Overdue suggestions"),
        [
            Column(_("Title"), lambda s: s.title),
            Column(_("Lead deputy"), lambda s: s.lead_deputy.name),
            Column(_("Deputy's phone"), lambda s: s.lead_deputy.phone, "phone"),
            Column(_("Lead unit"), lambda s: s.lead_unit.name if s.lead_unit else ""),
            Column(_("State"), lambda s: s.get_state_display()),
            Column(pgettext("deadline", "Due"), lambda s: s.deadline, "date"),
        ],
        rows,
        note=_first_rows_note(rows, total),
    )


def key_supervision_table(rows, total: int | None = None) -> Table:
    return Table(
        "key_supervision",
        _("Under key supervision"),
        [
            Column(_("Title"), lambda s: s.title),
            Column(_("Lead deputy"), lambda s: s.lead_deputy.name),
            Column(_("Lead unit"), lambda s: s.lead_unit.name if s.lead_unit else ""),
            Column(_("State"), lambda s: s.get_state_display()),
            Column(pgettext("deadline", "Due"), lambda s: s.deadline, "date"),
            Column(_("Flagged by"), lambda s: s.key_supervisor.display_name if s.key_supervisor else ""),
        ],
        rows,
        note=_first_rows_note(rows, total),
    )


def compliance_table(summary) -> Table:
    return Table(
        "compliance",
        _('"Four ones" duty compliance'),
        [
            Column(_("Duty"), lambda r: r["label"]),
            Column(_("Periods due"), lambda r: r["due"], "int"),
            Column(_("Periods done"), lambda r: r["done"], "int"),
            Column(_("Compliance"), lambda r: r["rate"], "pct"),
        ],
        summary.rows,
        note=" ".join(
            [
                _("Deputies with every due duty done: %(full)s of %(of)s")
                % {"full": summary.fully_compliant, "of": summary.deputies},
                _("Deputies who contacted voters at least %(required)s times: %(met)s of %(of)s.")
                % {"required": summary.contacts_required, "met": summary.contacts_met, "of": summary.contacts_deputies},
            ]
        ),
    )


def ranking_table(rows, compliance: dict, year: int) -> Table:
    def duty(row):
        done, due = compliance.get(row.deputy.id, (0, 0))
        return f"{done}/{due}"

    return Table(
        "ranking",
        _("Deputies by points"),
        [
            Column(_("Rank"), lambda r: r.rank, "int"),
            Column(_("Deputy"), lambda r: r.deputy.name),
            Column(_("Phone"), lambda r: r.deputy.phone, "phone"),
            Column(_("Reception days"), lambda r: r.counts.get("reception_day", 0), "int"),
            Column(_("Person-times"), lambda r: r.counts.get("person_times", 0), "int"),
            Column(_("Opinions"), lambda r: r.counts.get("opinion", 0), "int"),
            Column(_("Suggestions led"), lambda r: r.counts.get("suggestion_led", 0), "int"),
            Column(_("Co-signed"), lambda r: r.counts.get("suggestion_cosigned", 0), "int"),
            Column(_("Duties done/due"), duty),
            Column(_("Activities"), lambda r: r.counts.get("activity", 0), "int"),
            Column(_("Projects supervised"), lambda r: r.counts.get("project_supervised", 0), "int"),
            Column(_("Voter contacts"), lambda r: r.counts.get("voter_contact", 0), "int"),
            Column(_("Points"), lambda r: r.points, "decimal"),
        ],
        rows,
        link=lambda r: f"{reverse('reports:deputy_file', args=[r.deputy.id])}?year={year}",
        link_column=1,
    )
