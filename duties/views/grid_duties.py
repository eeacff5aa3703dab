"""Pages of the "四个一" grid duties: done vs due per deputy and per grid, and recording a duty.

Every page starts from a selector scoped to the user, so an object outside the user's
scope is a 404; the services decide the actions.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pages import run_service
from core.roles import Role
from deputies.models import Deputy
from duties.forms import GridDutyForm
from duties.models import GridAssignment, GridDuty
from duties.selectors import duty_compliance, duty_year
from duties.services import grid_duties as duty_services
from organisation.access import can_run_desk
from organisation.desk import DESK, READ_ROLES, paginate, require_role
from organisation.selectors import grids_visible_to


def _duty_deputies(user):
    """Deputies whose duties ``user`` may see and record: their own, or those in the user's grids."""
    grids = grids_visible_to(user)
    if user.has_role(Role.DEPUTY):
        return Deputy.objects.filter(id=user.deputy_id)
    return Deputy.objects.filter(
        id__in=GridAssignment.objects.filter(grid__in=grids.values("id"), end_date__isnull=True).values("deputy_id")
    ).order_by("name")


def _record_duty(request, form) -> bool:
    if not form.is_valid():
        return False
    outcome = run_service(
        request, form, lambda: duty_services.grid_duty_record(actor=request.user, **form.cleaned_data), **DESK
    )
    if not outcome.ok:
        return False
    messages.success(request, _("The duty was recorded."))
    return True


def _year_param(request, today) -> int:
    """``?year=`` (this year by default); anything else than a year up to this one is a 404."""
    raw = request.GET.get("year", "")
    if not raw:
        return today.year
    if not raw.isdecimal() or not 2000 <= int(raw) <= today.year:
        raise Http404
    return int(raw)


@login_required
def duty_overview(request):
    """Done vs due for the "四个一" duties: the deputy's own, or every deputy in the user's grids."""
    user = request.user
    require_role(user, *READ_ROLES, Role.DEPUTY)
    if user.has_role(Role.DEPUTY):
        return redirect("liaison:duty_deputy", user.deputy_id)
    today = timezone.localdate()
    deputies = _duty_deputies(user)
    page_obj = paginate(request, deputies)
    compliance = duty_compliance([d.id for d in page_obj], today)
    # The periods missed so far this year, named ("巡网格：3月、5月"), not only counted.
    year = duty_year([d.id for d in page_obj], today.year, today)
    rows = [
        {"deputy": d, "duties": compliance[d.id], "missed": [row for row in year[d.id] if row["missed"]]}
        for d in page_obj
    ]
    return render(
        request,
        "liaison/reception/duties.html",
        {"rows": rows, "page_obj": page_obj, "today": today, "grids": grids_visible_to(user).order_by("code")[:200]},
    )


@login_required
def duty_deputy(request, pk):
    user = request.user
    deputy = get_object_or_404(_duty_deputies(user), pk=pk)
    today = timezone.localdate()
    assignments = GridAssignment.objects.filter(deputy=deputy, end_date__isnull=True).select_related("grid")
    form = GridDutyForm(
        request.POST or None,
        deputies=Deputy.objects.filter(pk=deputy.pk),
        grids=grids_visible_to(user).filter(id__in=assignments.values("grid_id")),
        initial={"deputy": deputy.pk},
    )
    if request.method == "POST" and _record_duty(request, form):
        return redirect("liaison:duty_deputy", deputy.pk)
    year = _year_param(request, today)
    records = GridDuty.objects.filter(deputy=deputy, date__year=year).select_related("grid", "recorded_by")
    return render(
        request,
        "liaison/reception/duty_deputy.html",
        {
            "deputy": deputy,
            "duties": duty_compliance([deputy.id], today)[deputy.id],
            "year": year,
            "years": range(today.year, today.year - 5, -1),
            "duty_year": duty_year([deputy.id], year, today)[deputy.id],
            "duty_months": range(1, 13),
            "assignments": assignments,
            "records": records,
            "form": form,
            "today": today,
        },
    )


@login_required
def duty_grid(request, pk):
    user = request.user
    require_role(user, *READ_ROLES, Role.DEPUTY)
    grid = get_object_or_404(grids_visible_to(user), pk=pk)
    today = timezone.localdate()
    assignments = list(
        GridAssignment.objects.filter(grid=grid, end_date__isnull=True).select_related("deputy").order_by("role")
    )
    compliance = duty_compliance([a.deputy_id for a in assignments], today)
    rows = [{"assignment": a, "duties": compliance[a.deputy_id]} for a in assignments]
    records = GridDuty.objects.filter(grid=grid, date__gte=date(today.year, 1, 1)).select_related("deputy")
    form = None
    if can_run_desk(user, grid.centre.community.station_id):
        form = GridDutyForm(
            request.POST or None,
            deputies=Deputy.objects.filter(id__in=[a.deputy_id for a in assignments]),
            grids=grids_visible_to(user).filter(pk=grid.pk),
            initial={"grid": grid.pk},
        )
        if request.method == "POST" and _record_duty(request, form):
            return redirect("liaison:duty_grid", grid.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Only this station's staff or the office may do this."))
    return render(
        request,
        "liaison/reception/duty_grid.html",
        {"grid": grid, "rows": rows, "records": records, "form": form, "today": today},
    )
