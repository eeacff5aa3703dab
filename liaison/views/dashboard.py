"""The station dashboard: the five station figures for a period, with a monthly chart."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pages import errors_text
from core.periods import Basis
from core.roles import Role
from liaison.forms import PeriodForm
from liaison.periods import STATION_BASIS_TEXT
from liaison.selectors import station_monthly_series, station_statistics
from organisation.desk import READ_ROLES, require_role
from organisation.models import subtree_q
from organisation.selectors import stations_visible_to


@login_required
def dashboard(request):
    """The five station figures for a chosen period, with a monthly chart."""
    user = request.user
    require_role(user, *READ_ROLES, Role.DEPUTY)
    today = timezone.localdate()
    stations = stations_visible_to(user)
    form = PeriodForm(request.GET or None, stations=stations)
    date_from, date_to, station = date(today.year, 1, 1), date(today.year, 12, 31), None
    basis = Basis.DEFAULT
    if form.is_bound and form.is_valid():
        date_from = form.cleaned_data["date_from"] or date_from
        date_to = form.cleaned_data["date_to"] or date_to
        station = form.cleaned_data["station"]
        basis = form.cleaned_data["basis"] or basis
    elif form.is_bound:
        messages.error(request, errors_text(ValidationError(form.errors)))
    scope = stations.filter(subtree_q(station.id)) if station else stations
    figures = station_statistics(stations=scope, date_from=date_from, date_to=date_to, basis=basis)
    series = station_monthly_series(stations=scope, date_from=date_from, date_to=date_to)
    return render(
        request,
        "liaison/reception/dashboard.html",
        {
            "form": form,
            "figures": figures,
            "chart": _chart(series),
            # Shares of the opinions received: a cohort's own outcomes only (activity counts other periods' too).
            "outcomes": _outcome_bars(figures) if basis == Basis.COHORT else [],
            "date_from": date_from,
            "date_to": date_to,
            "station": station,
            "basis_note": _(STATION_BASIS_TEXT[basis]),
        },
    )


def _chart(series: list[dict]) -> dict:
    """Geometry of a server-rendered SVG bar chart: two bars (person-times, opinions) per month."""
    width, height, top, bottom, left = 720, 240, 16, 36, 36
    peak = max([1] + [max(p["person_times"], p["opinions"]) for p in series])
    slot = (width - left) / max(len(series), 1)
    bar = max(min(slot / 3, 24), 2)
    usable = height - top - bottom
    months = []
    for i, point in enumerate(series):
        x = left + i * slot + (slot - 2 * bar) / 2
        h1 = usable * point["person_times"] / peak
        h2 = usable * point["opinions"] / peak
        months.append(
            {
                "label": f"{point['month']}月" if len(series) <= 12 else f"{point['year'] % 100}/{point['month']}",
                "x_label": left + i * slot + slot / 2,
                "person_times": point["person_times"],
                "opinions": point["opinions"],
                "x1": round(x, 1),
                "y1": round(top + usable - h1, 1),
                "h1": round(h1, 1),
                "x2": round(x + bar, 1),
                "y2": round(top + usable - h2, 1),
                "h2": round(h2, 1),
            }
        )
    return {
        "width": width,
        "height": height,
        "bar": round(bar, 1),
        "baseline": top + usable,
        "label_y": height - 14,
        "left": left,
        "peak": peak,
        "months": months,
    }


def _outcome_bars(figures: dict) -> list[dict]:
    total = figures["opinions"] or 1
    rows = [
        (_("Answered on site"), figures["answered_on_site"]),
        (_("Escalated into suggestions"), figures["escalated"]),
        (_("Resolved"), figures["resolved"]),
    ]
    return [{"label": label, "value": value, "percent": round(100 * value / total)} for label, value in rows]
