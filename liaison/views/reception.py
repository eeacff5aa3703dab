"""Reception days: the month calendar, the rules that generate the days, one day with its roster,
and a deputy's own days.

Every page starts from a selector scoped to the user, so an object outside the user's
scope is a 404; the services decide the actions and raise ``PermissionRefused`` (403 here)
or ``ActionRefused`` (shown as an error message, nothing changed).
"""

from calendar import Calendar, monthrange
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import errors_text, run_service
from core.roles import Role
from deputies.models import Deputy
from liaison.forms import CancelDayForm, OneOffDayForm, ReceptionRuleEditForm, ReceptionRuleForm, RosterForm
from liaison.models import ReceptionRule
from liaison.selectors import reception_days_of_deputy, reception_days_visible_to, visits_visible_to
from liaison.services import reception as reception_services
from liaison.services import rules as rule_services
from organisation.access import can_run_desk
from organisation.desk import DESK, DESK_ROLES, READ_ROLES, desk_stations, own_station, require_role
from organisation.models import subtree_q
from organisation.selectors import stations_visible_to

# A rostered deputy group is shown with its members' names (one more query, only when a group is rostered).
ROSTER_MEMBERS = Prefetch("roster__group__members", queryset=Deputy.objects.order_by("name", "id"))


@login_required
def calendar_month(request):
    """The month view of reception days at the stations the user may see."""
    require_role(request.user, *READ_ROLES)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        first = date(year, month, 1)
    except (TypeError, ValueError):
        raise Http404(_("No such month.")) from None
    last = date(year, month, monthrange(year, month)[1])
    stations = stations_visible_to(request.user)
    station_id = request.GET.get("station") or ""
    days = (
        reception_days_visible_to(request.user)
        .prefetch_related(ROSTER_MEMBERS)
        .filter(date__gte=first, date__lte=last)
        .order_by("date", "station__name")
    )
    if station_id.isdecimal():
        days = days.filter(subtree_q(int(station_id), "station__"))
    by_date: dict = {}
    for day in days:
        by_date.setdefault(day.date, []).append(day)
    weeks = [
        [{"date": d, "in_month": d.month == month, "days": by_date.get(d, []), "today": d == today} for d in week]
        for week in Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    previous = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    desk = desk_stations(request.user)
    context = {
        "weeks": weeks,
        "first": first,
        "previous": previous,
        "following": following,
        "stations": stations,
        "station_id": station_id,
        "can_edit": request.user.has_role(*DESK_ROLES),
        "day_form": OneOffDayForm(stations=desk, initial={"date": today, "station": own_station(request.user)}),
        "rule_count": ReceptionRule.objects.filter(station__in=stations, is_active=True).count(),
    }
    return render(request, "liaison/reception/calendar.html", context)


@login_required
def rule_list(request):
    require_role(request.user, *READ_ROLES)
    stations = desk_stations(request.user)
    form = ReceptionRuleForm(request.POST or None, stations=stations, initial={"station": own_station(request.user)})
    if request.method == "POST":
        require_role(request.user, *DESK_ROLES)
        if form.is_valid():
            data = form.cleaned_data
            outcome = run_service(
                request, form, lambda: rule_services.reception_rule_create(actor=request.user, **data), **DESK
            )
            if outcome.ok:
                messages.success(request, _("The rule was added and its reception days generated."))
                return redirect("liaison:reception_rules")
    rules = ReceptionRule.objects.filter(station__in=stations_visible_to(request.user)).select_related("station")
    return render(
        request,
        "liaison/reception/rules.html",
        {"rules": rules, "form": form, "can_edit": request.user.has_role(*DESK_ROLES)},
    )


@login_required
def rule_edit(request, pk):
    require_role(request.user, *DESK_ROLES)
    rule = get_object_or_404(
        ReceptionRule.objects.select_related("station"), pk=pk, station__in=desk_stations(request.user)
    )
    initial = {f: getattr(rule, f) for f in ReceptionRuleEditForm.base_fields}
    form = ReceptionRuleEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            form,
            lambda: rule_services.reception_rule_update(rule=rule, actor=request.user, **form.cleaned_data),
            **DESK,
        )
        if outcome.ok:
            messages.success(request, _("The rule was changed; days that already have visits were kept."))
            return redirect("liaison:reception_rules")
    return render(request, "liaison/reception/rule_edit.html", {"rule": rule, "form": form})


@login_required
@require_POST
def day_add(request):
    require_role(request.user, *DESK_ROLES)
    form = OneOffDayForm(request.POST, stations=desk_stations(request.user))
    if form.is_valid():
        # Errors and refusals alike come back as messages on the calendar.
        outcome = run_service(
            request, None, lambda: reception_services.reception_day_add(actor=request.user, **form.cleaned_data)
        )
        if outcome.ok:
            messages.success(request, _("The reception day was added."))
            return redirect("liaison:reception_day", outcome.result.pk)
    else:
        messages.error(request, errors_text(ValidationError(form.errors)))
    return redirect("liaison:reception_calendar")


@login_required
def day_detail(request, pk):
    day = get_object_or_404(reception_days_visible_to(request.user).prefetch_related(ROSTER_MEMBERS), pk=pk)
    can_edit = can_run_desk(request.user, day.station_id)
    deputies = Deputy.objects.filter(is_active=True).order_by("name")
    roster_form = RosterForm(
        deputies=deputies,
        initial={
            "deputies": [e.deputy_id for e in day.roster.all() if e.deputy_id],
            "groups": [e.group_id for e in day.roster.all() if e.group_id],
        },
    )
    cancel_form = CancelDayForm()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Only this station's staff or the office may do this."))
        # Errors and refusals alike come back as messages above both forms.
        if request.POST.get("action") == "cancel":
            cancel_form = CancelDayForm(request.POST)
            if cancel_form.is_valid():
                reason = cancel_form.cleaned_data["reason"]
                outcome = run_service(
                    request,
                    None,
                    lambda: reception_services.reception_day_cancel(day=day, reason=reason, actor=request.user),
                )
                if outcome.ok:
                    messages.success(request, _("The reception day was cancelled."))
                    return redirect("liaison:reception_day", day.pk)
        else:
            roster_form = RosterForm(request.POST, deputies=deputies)
            if roster_form.is_valid():
                outcome = run_service(
                    request,
                    None,
                    lambda: reception_services.roster_set(day=day, actor=request.user, **roster_form.cleaned_data),
                )
                if outcome.ok:
                    messages.success(request, _("The roster was saved."))
                    return redirect("liaison:reception_day", day.pk)
    visits = visits_visible_to(request.user).filter(reception_day=day)
    return render(
        request,
        "liaison/reception/day_detail.html",
        {"day": day, "visits": visits, "can_edit": can_edit, "roster_form": roster_form, "cancel_form": cancel_form},
    )


@login_required
def my_days(request):
    """A deputy's reception days: upcoming first, then the last ones served."""
    require_role(request.user, Role.DEPUTY)
    today = timezone.localdate()
    days = (
        reception_days_of_deputy(request.user.deputy_id).prefetch_related(ROSTER_MEMBERS)
        if request.user.deputy_id
        else []
    )
    upcoming = [d for d in days if d.date >= today] if days else []
    past = [d for d in days if d.date < today][-20:][::-1] if days else []
    return render(
        request,
        "liaison/reception/my_days.html",
        {"upcoming": upcoming, "past": past, "deputy": request.user.deputy, "today": today},
    )
