"""The performance file (履职档案) of a deputy, the ranking for 优秀代表 and the point weights."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pages import run_service
from core.roles import Role
from deputies.models import Deputy, DeputyKind
from reports import access, charts, figures, services, tables
from reports.exports import xlsx_response
from reports.forms import PointWeightsForm, YearForm
from reports.metrics import point_weights, ranking
from reports.models import PointWeightChange
from reports.page_access import overseers_only
from reports.performance import performance_file


@login_required
def my_file(request):
    if request.user.has_role(Role.DEPUTY) and request.user.deputy_id:
        return redirect("reports:deputy_file", deputy_id=request.user.deputy_id)
    if access.sees_all_reports(request.user):
        return redirect("reports:ranking")
    raise PermissionDenied


@login_required
def deputy_file(request, deputy_id: int):
    """A deputy's file for a year: their own, or anyone's for the office and leaders (404 otherwise)."""
    deputy = get_object_or_404(access.performance_deputies_visible_to(request.user), pk=deputy_id)
    form = YearForm(request.GET or None)
    year = form.value("year", timezone.localdate().year)
    file = performance_file(deputy, year)
    chart = charts.bar_chart(
        figures.month_labels(),
        [
            charts.Series(_("Receptions taken part in"), file.monthly_visits),
            charts.Series(_("Opinions"), file.monthly_opinions),
        ],
        title=_("Visits received and opinions collected by month"),
        empty_message=_("No data yet"),
    )
    return render(
        request,
        "reports/deputy_file.html",
        {"file": file, "form": form, "year": year, "chart": chart, "duty_months": range(1, 13)},
    )


def _ranking_scope(request):
    form = YearForm(request.GET or None, kinds=DeputyKind.choices)
    year = form.value("year", timezone.localdate().year)
    kind = form.value("kind", DeputyKind.CONGRESS)
    rows = ranking(Deputy.objects.filter(is_active=True, kind=kind), year)
    compliance = figures.deputy_compliance_rows([r.deputy.id for r in rows], year)
    return form, year, kind, tables.ranking_table(rows, compliance, year)


@overseers_only
def ranking_page(request):
    form, year, kind, table = _ranking_scope(request)
    return render(
        request,
        "reports/ranking.html",
        {"form": form, "year": year, "kind": kind, "table": table, "query": request.GET.urlencode()},
    )


@overseers_only
def ranking_export(request):
    _form, year, kind, table = _ranking_scope(request)
    title = f"{year} {DeputyKind(kind).label} {table.title}"
    return xlsx_response(request, title=title, filename=f"ranking-{year}", columns=table.columns, rows=table.rows)


@overseers_only
def weights_page(request):
    """Everyone overseeing sees the weights; the office and admins change them."""
    can_edit = request.user.has_role(Role.OFFICE, Role.ADMIN)
    form = PointWeightsForm(request.POST or None, weights=point_weights())
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            # Errors and refusals come back as a message above the form.
            outcome = run_service(
                request, None, lambda: services.point_weights_update(actor=request.user, weights=form.cleaned_data)
            )
            if outcome.ok:
                messages.success(
                    request, _("%(n)s weights changed; rankings use them from now on.") % {"n": len(outcome.result)}
                )
                return redirect("reports:weights")
    history = PointWeightChange.objects.select_related("changed_by")[:20]
    return render(request, "reports/weights.html", {"form": form, "can_edit": can_edit, "history": history})
