"""The working-day calendar pages: the years entered, one year, and the entry form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.pages import run_service
from core.roles import Role
from suggestions import deadlines, forms, holidays, selectors, services
from suggestions.models import CalendarYear
from suggestions.views.common import page_tabs, require_role

CALENDAR_KEEPERS = (Role.OFFICE, Role.ADMIN)


@login_required
def calendar_overview(request):
    """Where this year's and next year's working days come from: entered, the package, or provisional."""
    require_role(request, *CALENDAR_KEEPERS)
    today = timezone.localdate()
    first, last = deadlines.package_years()
    years = list(selectors.calendar_years())
    entered = {calendar_year.year for calendar_year in years}
    status = []
    for year in (today.year, today.year + 1):
        source = "entered" if year in entered else "package" if first <= year <= last else "provisional"
        status.append({"year": year, "source": source})
    return render(
        request,
        "suggestions/calendar.html",
        {
            "tabs": page_tabs(request),
            "package_first": first,
            "package_last": last,
            "years": years,
            "status": status,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_enter(request):
    """Enter or replace a year: the pasted schedule is previewed first, then saved by the service."""
    require_role(request, *CALENDAR_KEEPERS)
    status, preview, existing = 200, None, None
    if request.method == "POST":
        form = forms.CalendarYearForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            # Set only by the preview's own button, never by the editable form.
            if request.POST.get("confirmed") == "1":
                outcome = run_service(
                    request,
                    form,
                    lambda: services.calendar_year_enter(
                        actor=request.user,
                        year=data["year"],
                        entries=data["entries"],
                        source=data["source"],
                        note=data["note"],
                        replace=request.POST.get("replace") == "1",
                    ),
                )
                if not outcome.ok:
                    status = outcome.status
                else:
                    messages.success(request, _("The %(year)s working-day calendar is saved.") % {"year": data["year"]})
                    return redirect("suggestions:calendar_year", year=data["year"])
            else:
                preview = data["entries"]
                existing = CalendarYear.objects.select_related("entered_by").filter(year=data["year"]).first()
        else:
            status = 400
    else:
        form = forms.CalendarYearForm(initial=_calendar_initial(request.GET.get("year", "")))
    return render(
        request,
        "suggestions/calendar_enter.html",
        {
            "tabs": page_tabs(request),
            "form": form,
            "preview": preview,
            "existing": existing,
            "holiday_count": sum(1 for e in preview or () if not e.is_working_day and e.day.weekday() < 5),
            "working_day_count": sum(1 for e in preview or () if e.is_working_day),
        },
        status=status,
    )


def _calendar_initial(raw_year: str) -> dict:
    """Next year by default; an entered year starts from its current schedule, a year the package
    covers from the package's schedule (entering it replaces the package for that year), to be corrected."""
    year = int(raw_year) if raw_year.isdecimal() else timezone.localdate().year + 1
    calendar_year = CalendarYear.objects.filter(year=year).prefetch_related("days").first()
    if calendar_year is None:
        from_package = deadlines.package_schedule(year)
        return {"year": year, "schedule": holidays.schedule_text(from_package)} if from_package else {"year": year}
    return {
        "year": year,
        "source": calendar_year.source,
        "note": calendar_year.note,
        "schedule": holidays.schedule_text(calendar_year.days.all()),
    }


@login_required
def calendar_year_detail(request, year):
    """The days of a year the office entered."""
    require_role(request, *CALENDAR_KEEPERS)
    calendar_year = get_object_or_404(
        CalendarYear.objects.select_related("entered_by").prefetch_related("days"), year=year
    )
    return render(
        request,
        "suggestions/calendar_year.html",
        {"tabs": page_tabs(request), "calendar_year": calendar_year, "days": calendar_year.days.all()},
    )
