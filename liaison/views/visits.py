"""Visits: the fast logging page, the list (with its CSV export) and one visit, whose constituents'
contacts can be revealed (always logged).

Every page starts from a selector scoped to the user, so an object outside the user's
scope is a 404; the services decide the actions and raise ``PermissionRefused`` (403 here)
or ``ActionRefused`` (shown as an error message, nothing changed).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import PermissionRefused
from core.exports import Column, csv_response
from core.masking import mask_phone
from core.pages import run_service
from core.roles import Role
from deputies.models import Deputy
from deputies.selectors import deputies_visible_to
from liaison.filters.reception import PageVisitFilter
from liaison.forms import ConstituentFormSet, OpinionFormSet, RevealForm, VisitHeaderForm
from liaison.selectors import opinions_visible_to, visits_visible_to
from liaison.services import opinions as opinion_services
from liaison.services import privacy
from liaison.services import reception as reception_services
from liaison.services.privacy import mask_name
from organisation.access import can_reveal_contact
from organisation.desk import DESK, DESK_ROLES, READ_ROLES, desk_stations, own_station, paginate, require_role
from organisation.selectors import grids_visible_to, stations_visible_to


def _visit_form_choices(user):
    if user.has_role(Role.DEPUTY):
        stations = stations_visible_to(user).filter(is_active=True)
    else:
        stations = desk_stations(user)
    return {
        "stations": stations,
        "deputies": deputies_visible_to(user).filter(is_active=True).order_by("name")
        if not user.has_role(Role.STATION_STAFF)
        else Deputy.objects.filter(is_active=True).order_by("name"),
        "grids": grids_visible_to(user),
    }


def _escalation_deputies(user):
    """Deputies the visit form may escalate an opinion to (形成意见建议), or None to leave that out.

    As the escalation service allows: station staff choose a deputy of their stations, the office any
    active deputy, a deputy only themselves; administrators do not draft suggestions.
    """
    if not opinion_services.escalation_available():
        return None
    if user.has_role(Role.DEPUTY):
        return Deputy.objects.filter(pk=user.deputy_id, is_active=True)
    if user.has_role(Role.STATION_STAFF, Role.OFFICE):
        return deputies_visible_to(user).filter(is_active=True).order_by("name", "id")
    return None


def _service_key_to_field(key: str) -> str:
    """``opinions[1].content`` → ``o-1-content``; ``constituents[0].phone`` → ``c-0-phone``."""
    for name, prefix in (("opinions", "o"), ("constituents", "c")):
        if key.startswith(f"{name}["):
            index, _sep, field = key[len(name) + 1 :].partition("].")
            return f"{prefix}-{index}-{field}"
    return key


def _form_errors(header, constituents, opinions) -> dict:
    errors = {}
    for form in (header, *constituents.forms, *opinions.forms):
        prefix = f"{form.prefix}-" if form.prefix else ""
        for field, messages_ in form.errors.items():
            errors[f"{prefix}{field}" if field != "__all__" else "__all__"] = [str(m) for m in messages_]
    for formset in (constituents, opinions):
        if formset.non_form_errors():
            errors.setdefault("__all__", []).extend(str(m) for m in formset.non_form_errors())
    return errors


def _visit_json(visit) -> dict:
    return {
        "id": visit.id,
        "url": reverse("liaison:visit_detail", args=[visit.id]),
        "date": visit.date.isoformat(),
        "station": visit.station.name,
        "channel": str(visit.get_channel_display()),
        "headcount": visit.headcount,
        "opinions": [
            {
                "id": o.id,
                "url": reverse("liaison:opinion_detail", args=[o.id]),
                "category": str(o.get_category_display()),
                "content": o.content,
                "outcome": str(o.get_outcome_display()) if o.outcome else _("Waiting for triage"),
            }
            for o in visit.opinions.order_by("id")
        ],
    }


@login_required
def visit_new(request):
    """The fast visit-logging page: a visit header plus any number of opinions, saved together.

    With JavaScript (static/js/visit_form.js) the page posts in the background and answers
    JSON, so staff log visitor after visitor without a reload; without it, the same form
    posts normally.
    """
    user = request.user
    require_role(user, *DESK_ROLES, Role.DEPUTY)
    choices = _visit_form_choices(user)
    opinion_kwargs = {"grids": choices["grids"], "escalation_deputies": _escalation_deputies(user)}
    wants_json = request.headers.get("X-Requested-With") == "fetch"
    if request.method == "POST":
        header = VisitHeaderForm(request.POST, **choices)
        constituents = ConstituentFormSet(request.POST, prefix="c")
        opinions = OpinionFormSet(request.POST, request.FILES, prefix="o", form_kwargs=opinion_kwargs)
        valid = all([header.is_valid(), constituents.is_valid(), opinions.is_valid()])
        errors = {} if valid else _form_errors(header, constituents, opinions)
        status = 400
        if valid:
            data = header.cleaned_data
            opinion_rows = [
                {**form.cleaned_data, "photos": request.FILES.getlist(f"{form.prefix}-photos")}
                for form in opinions.forms
                if form.has_changed() and form.cleaned_data
            ]
            try:
                visit = reception_services.visit_record(
                    actor=user,
                    station=data["station"],
                    date=data["date"],
                    channel=data["channel"],
                    headcount=data["headcount"],
                    deputies=data["deputies"],
                    grid=data["grid"],
                    note=data["note"],
                    constituents=[f.cleaned_data for f in constituents.forms if f.has_changed() and f.cleaned_data],
                    opinions=opinion_rows,
                )
            except ValidationError as exc:
                errors = {_service_key_to_field(k): v for k, v in exc.message_dict.items()}
            except PermissionRefused as exc:
                errors, status = {"__all__": [exc.message]}, 403
            else:
                if wants_json:
                    return JsonResponse({"visit": _visit_json(visit)}, status=201)
                messages.success(request, _("The visit was recorded."))
                return redirect("liaison:visit_detail", visit.pk)
        if wants_json:
            return JsonResponse({"errors": errors}, status=status)
        if status == 403:
            raise PermissionDenied(errors["__all__"][0])
        for key, messages_ in errors.items():
            messages.error(request, f"{key}: {'；'.join(messages_)}" if key != "__all__" else "；".join(messages_))
    else:
        initial = {}
        for name in ("station", "date", "channel"):
            if request.GET.get(name):
                initial[name] = request.GET[name]
        if "station" not in initial and (station := own_station(user)):
            initial["station"] = station.pk
        if "channel" not in initial:
            initial["channel"] = "home_visit" if user.has_role(Role.DEPUTY) else "at_station"
        if user.has_role(Role.DEPUTY) and user.deputy_id:
            initial["deputies"] = [user.deputy_id]
        header = VisitHeaderForm(initial=initial, **choices)
        constituents = ConstituentFormSet(prefix="c")
        opinions = OpinionFormSet(prefix="o", form_kwargs=opinion_kwargs)
    today_visits = (
        visits_visible_to(user)
        .filter(recorded_by=user, date=timezone.localdate())
        .prefetch_related("opinions")
        .order_by("-id")[:50]
    )
    return render(
        request,
        "liaison/reception/visit_form.html",
        {"header": header, "constituents": constituents, "opinions": opinions, "today_visits": today_visits},
    )


def _export_visits(request, visits):
    privacy.personal_data_export_log(
        actor=request.user,
        subject=_("Visit list (%(n)d rows, phones masked)") % {"n": visits.count()},
        object_type="visit",
        ip=privacy.client_ip(request),
    )
    columns = [
        Column(_("Date"), lambda v: v.date.isoformat()),
        Column(_("Station"), lambda v: v.station.name),
        Column(_("Channel"), lambda v: v.get_channel_display()),
        Column(_("Number of constituents"), lambda v: v.headcount, kind="int"),
        Column(_("Receiving deputies"), lambda v: "、".join(d.name for d in v.deputies.all())),
        Column(
            _("Constituents"),
            lambda v: "、".join(f"{mask_name(c.name)} {mask_phone(c.phone)}".strip() for c in v.constituents.all()),
        ),
        Column(_("Opinions"), lambda v: v.opinion_count, kind="int"),
    ]
    return csv_response(filename="visits", columns=columns, rows=visits)


@login_required
def visit_list(request):
    require_role(request.user, *READ_ROLES, Role.DEPUTY)
    visits = visits_visible_to(request.user).order_by("-date", "-id")
    filterset = PageVisitFilter(request.GET or None, queryset=visits, request=request)
    if filterset.is_bound and not filterset.is_valid():
        visits = visits.none()
    else:
        visits = filterset.qs
    if request.GET.get("export") == "csv":
        return _export_visits(request, visits)
    return render(
        request,
        "liaison/reception/visit_list.html",
        {"page_obj": paginate(request, visits), "filter": filterset, "query": request.GET.urlencode()},
    )


@login_required
def visit_detail(request, pk):
    visit = get_object_or_404(visits_visible_to(request.user), pk=pk)
    may_reveal = can_reveal_contact(request.user, station_id=visit.station_id)
    revealed = None
    form = RevealForm(request.POST or None)
    if request.method == "POST":
        if not may_reveal:
            raise PermissionDenied(_("You may not see constituents' full contact details."))
        if form.is_valid():
            revealed = run_service(
                request,
                form,
                lambda: privacy.visit_contacts_reveal(
                    visit=visit, actor=request.user, reason=form.cleaned_data["reason"], ip=privacy.client_ip(request)
                ),
                **DESK,
            ).result
    people = revealed or [
        {"id": c.id, "name": mask_name(c.name), "phone": mask_phone(c.phone)} for c in visit.constituents.all()
    ]
    opinions = opinions_visible_to(request.user).filter(visit=visit).order_by("id")
    return render(
        request,
        "liaison/reception/visit_detail.html",
        {
            "visit": visit,
            "people": people,
            "revealed": revealed is not None,
            "may_reveal": may_reveal,
            "reveal_form": form,
            "opinions": opinions,
        },
    )
