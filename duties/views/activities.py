"""Pages of the station's activities (履职活动) and their attendance.

Every page starts from a selector scoped to the user, so an object outside the user's
scope is a 404; the services decide the actions.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pages import run_service
from core.roles import Role
from deputies.models import Deputy
from duties.forms import ActivityForm, AttendanceForm
from duties.models import ActivityKind
from duties.selectors import activities_visible_to
from duties.services import grid_duties as duty_services
from organisation.access import can_run_desk
from organisation.desk import DESK, DESK_ROLES, READ_ROLES, desk_stations, own_station, paginate, require_role


@login_required
def activity_list(request):
    user = request.user
    require_role(user, *READ_ROLES, Role.DEPUTY)
    activities = activities_visible_to(user).order_by("-date", "-id")
    kind = request.GET.get("kind", "")
    if kind:
        activities = activities.filter(kind=kind)
    form = None
    if user.has_role(*DESK_ROLES):
        form = ActivityForm(
            request.POST or None,
            stations=desk_stations(user),
            deputies=Deputy.objects.filter(is_active=True).order_by("name"),
            initial={"date": timezone.localdate(), "station": own_station(user)},
        )
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            attendance = form.attendance()
            for name in ("present", "excused", "absent"):
                data.pop(name)
            outcome = run_service(
                request, form, lambda: duty_services.activity_create(actor=user, attendance=attendance, **data), **DESK
            )
            if outcome.ok:
                messages.success(request, _("The activity was recorded."))
                return redirect("liaison:activity_detail", outcome.result.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Only station staff or the office may do this."))
    return render(
        request,
        "liaison/reception/activities.html",
        {"page_obj": paginate(request, activities), "form": form, "kinds": ActivityKind.choices, "kind": kind},
    )


@login_required
def activity_detail(request, pk):
    user = request.user
    activity = get_object_or_404(activities_visible_to(user), pk=pk)
    can_edit = can_run_desk(user, activity.station_id)
    form = None
    if can_edit:
        current = {a.deputy_id: a.status for a in activity.attendance.all()}
        form = AttendanceForm(
            request.POST or None,
            deputies=Deputy.objects.filter(is_active=True).order_by("name"),
            initial={s: [d for d, status in current.items() if status == s] for s in ("present", "excused", "absent")},
        )
        if request.method == "POST" and form.is_valid():
            outcome = run_service(
                request,
                form,
                lambda: duty_services.activity_set_attendance(
                    activity=activity, attendance=form.attendance(), actor=user
                ),
                **DESK,
            )
            if outcome.ok:
                messages.success(request, _("The attendance was saved."))
                return redirect("liaison:activity_detail", activity.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Only this station's staff or the office may do this."))
    return render(request, "liaison/reception/activity_detail.html", {"activity": activity, "form": form})
