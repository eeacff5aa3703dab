"""Printing reports from the pages: a request form, then a job page with a progress bar and the download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import PermissionRefused
from core.roles import Role
from reports import access, selectors, services
from reports.forms import DeputyReportForm, StationReportForm


def _deputy_choices(user):
    return access.performance_deputies_visible_to(user).filter(is_active=True).order_by("name")


@login_required
def print_page(request):
    """The forms to print reports and the user's recent jobs."""
    user = request.user
    if not (access.sees_all_reports(user) or user.has_role(Role.DEPUTY)):
        raise PermissionDenied
    services.jobs_fail_stale()  # the recent jobs read as their own pages do
    first_year = selectors.first_data_year()
    deputies = _deputy_choices(user)
    # A deputy prints their own file; anyone else starts from the first deputy of the list.
    deputy = user.deputy_id or deputies.values_list("id", flat=True).first()
    context = {
        "station_form": StationReportForm(first_year=first_year) if access.sees_all_reports(user) else None,
        "deputy_form": DeputyReportForm(deputies=deputies, first_year=first_year, initial={"deputy": deputy}),
        "jobs": access.jobs_visible_to(user).filter(requested_by=user)[:20],
    }
    return render(request, "reports/print.html", context)


@login_required
@require_POST
def print_request(request):
    """Queue a report from either form and go to its job page; a refusal comes back as a message."""
    user = request.user
    if request.POST.get("form") == "deputy":
        form = DeputyReportForm(request.POST, deputies=_deputy_choices(user))
        if form.is_valid():
            kind, subject, year = "deputy_annual", form.cleaned_data["deputy"].id, form.cleaned_data["year"]
    else:
        if not access.sees_all_reports(user):
            raise PermissionDenied
        form = StationReportForm(request.POST)
        if form.is_valid():
            kind, subject, year = form.cleaned_data["kind"], form.subject_id(), form.cleaned_data["year"]
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(request.POST.get("back") or "reports:print")
    try:
        job = services.report_job_request(user=user, kind=kind, subject_id=subject, year=year)
    except PermissionRefused as exc:
        messages.error(request, exc.message)
        return redirect("reports:print")
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect("reports:print")
    return redirect("reports:job", pk=job.pk)


@login_required
def job_page(request, pk: int):
    job = services.job_fail_if_stale(get_object_or_404(access.jobs_visible_to(request.user), pk=pk))
    return render(request, "reports/job.html", {"job": job, "failed_title": _("The report could not be printed")})
