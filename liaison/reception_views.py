"""Pages of the station's front desk: calendar, visit logging, opinions, duties, activities,
the station dashboard, the privacy audit and the printable QR codes.

Every page starts from a selector scoped to the user, so an object outside the user's
scope is a 404; the services decide the actions and raise ``PermissionRefused`` (403 here)
or ``ActionRefused`` (shown as an error message, nothing changed).
"""

from calendar import Calendar, monthrange
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import PermissionRefused
from core.exports import Column, csv_response
from core.files import serve_file
from core.masking import mask_phone
from core.pages import errors_text, run_service
from core.roles import Role
from deputies.models import Deputy
from deputies.selectors import deputies_visible_to
from duties.models import GridAssignment, GridDuty
from duties.selectors import activities_visible_to, duty_compliance
from duties.services import grid_duties as duty_services
from liaison.filters.reception import PageOpinionFilter, VisitFilter
from liaison.models import OpinionOutcome, PersonalDataAction, ReceptionRule
from liaison.reception_forms import (
    ActivityForm,
    AttendanceForm,
    CancelDayForm,
    ConstituentFormSet,
    FeedbackForm,
    GridDutyForm,
    OneOffDayForm,
    OpinionFormSet,
    OutcomeForm,
    PeriodForm,
    ReceptionRuleEditForm,
    ReceptionRuleForm,
    ResolveForm,
    RevealForm,
    RosterForm,
    VisitHeaderForm,
)
from liaison.selectors import (
    opinion_detail_for,
    opinions_visible_to,
    personal_data_accesses_for,
    reception_days_of_deputy,
    reception_days_visible_to,
    station_monthly_series,
    station_statistics,
    visits_visible_to,
)
from liaison.services import opinions as opinion_services
from liaison.services import privacy
from liaison.services import reception as reception_services
from liaison.services.privacy import mask_name
from organisation.access import can_reveal_contact, can_run_desk
from organisation.models import Station, subtree_q
from organisation.selectors import grids_visible_to, stations_visible_to

PAGE_SIZE = 50
DESK_ROLES = (Role.STATION_STAFF, Role.OFFICE, Role.ADMIN)
READ_ROLES = (Role.STATION_STAFF, Role.OFFICE, Role.LEADER, Role.ADMIN)


def _require_role(user, *roles):
    if not user.has_role(*roles):
        raise PermissionDenied(_("This page is not available for your role."))


def _desk_stations(user):
    """Stations where ``user`` runs the desk: their subtree for staff, every station for the office."""
    if user.has_role(Role.OFFICE, Role.ADMIN):
        return Station.objects.filter(is_active=True)
    if user.has_role(Role.STATION_STAFF):
        return stations_visible_to(user).filter(is_active=True)
    return Station.objects.none()


# Bad input goes on the form, an action refused comes back as a message, a permission refused
# is the 403 page.
DESK = {"refusals": "messages", "raise_forbidden": True}


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- calendar -----------------------------------------------------------------------------------------


@login_required
def calendar_month(request):
    """The month view of reception days at the stations the user may see."""
    _require_role(request.user, *READ_ROLES)
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
    desk = _desk_stations(request.user)
    context = {
        "weeks": weeks,
        "first": first,
        "previous": previous,
        "following": following,
        "stations": stations,
        "station_id": station_id,
        "can_edit": request.user.has_role(*DESK_ROLES),
        "day_form": OneOffDayForm(stations=desk, initial={"date": today}),
        "rule_count": ReceptionRule.objects.filter(station__in=stations, is_active=True).count(),
    }
    return render(request, "liaison/reception/calendar.html", context)


@login_required
def rule_list(request):
    _require_role(request.user, *READ_ROLES)
    stations = _desk_stations(request.user)
    form = ReceptionRuleForm(request.POST or None, stations=stations)
    if request.method == "POST":
        _require_role(request.user, *DESK_ROLES)
        if form.is_valid():
            data = form.cleaned_data
            outcome = run_service(
                request, form, lambda: reception_services.reception_rule_create(actor=request.user, **data), **DESK
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
    _require_role(request.user, *DESK_ROLES)
    rule = get_object_or_404(
        ReceptionRule.objects.select_related("station"), pk=pk, station__in=_desk_stations(request.user)
    )
    initial = {f: getattr(rule, f) for f in ReceptionRuleEditForm.base_fields}
    form = ReceptionRuleEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            form,
            lambda: reception_services.reception_rule_update(rule=rule, actor=request.user, **form.cleaned_data),
            **DESK,
        )
        if outcome.ok:
            messages.success(request, _("The rule was changed; days that already have visits were kept."))
            return redirect("liaison:reception_rules")
    return render(request, "liaison/reception/rule_edit.html", {"rule": rule, "form": form})


@login_required
@require_POST
def day_add(request):
    _require_role(request.user, *DESK_ROLES)
    form = OneOffDayForm(request.POST, stations=_desk_stations(request.user))
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
    day = get_object_or_404(reception_days_visible_to(request.user), pk=pk)
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
    _require_role(request.user, Role.DEPUTY)
    today = timezone.localdate()
    days = reception_days_of_deputy(request.user.deputy_id) if request.user.deputy_id else []
    upcoming = [d for d in days if d.date >= today] if days else []
    past = [d for d in days if d.date < today][-20:][::-1] if days else []
    return render(
        request,
        "liaison/reception/my_days.html",
        {"upcoming": upcoming, "past": past, "deputy": request.user.deputy, "today": today},
    )


# --- visits -------------------------------------------------------------------------------------------


def _visit_form_choices(user):
    if user.has_role(Role.DEPUTY):
        stations = stations_visible_to(user).filter(is_active=True)
    else:
        stations = _desk_stations(user)
    return {
        "stations": stations,
        "deputies": deputies_visible_to(user).filter(is_active=True).order_by("name")
        if not user.has_role(Role.STATION_STAFF)
        else Deputy.objects.filter(is_active=True).order_by("name"),
        "grids": grids_visible_to(user),
    }


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
    _require_role(user, *DESK_ROLES, Role.DEPUTY)
    choices = _visit_form_choices(user)
    wants_json = request.headers.get("X-Requested-With") == "fetch"
    if request.method == "POST":
        header = VisitHeaderForm(request.POST, **choices)
        constituents = ConstituentFormSet(request.POST, prefix="c")
        opinions = OpinionFormSet(request.POST, request.FILES, prefix="o", form_kwargs={"grids": choices["grids"]})
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
        if "channel" not in initial:
            initial["channel"] = "home_visit" if user.has_role(Role.DEPUTY) else "at_station"
        if user.has_role(Role.DEPUTY) and user.deputy_id:
            initial["deputies"] = [user.deputy_id]
        header = VisitHeaderForm(initial=initial, **choices)
        constituents = ConstituentFormSet(prefix="c")
        opinions = OpinionFormSet(prefix="o", form_kwargs={"grids": choices["grids"]})
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
    _require_role(request.user, *READ_ROLES, Role.DEPUTY)
    visits = visits_visible_to(request.user).order_by("-date", "-id")
    filterset = VisitFilter(request.GET or None, queryset=visits)
    if filterset.is_bound and not filterset.is_valid():
        visits = visits.none()
    else:
        visits = filterset.qs
    if request.GET.get("export") == "csv":
        return _export_visits(request, visits)
    return render(
        request,
        "liaison/reception/visit_list.html",
        {"page_obj": _page(request, visits), "filter": filterset, "query": request.GET.urlencode()},
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


# --- opinions -----------------------------------------------------------------------------------------


def _export_opinions(request, opinions):
    privacy.personal_data_export_log(
        actor=request.user,
        subject=_("Opinion list (%(n)d rows, phones masked)") % {"n": opinions.count()},
        object_type="opinion",
        ip=privacy.client_ip(request),
    )
    columns = [
        Column(_("Received on"), lambda o: o.received_on.isoformat()),
        Column(_("Station"), lambda o: o.station.name),
        Column(_("Grid"), lambda o: o.grid.name if o.grid_id else ""),
        Column(_("Category"), lambda o: o.get_category_display()),
        Column(_("Content"), lambda o: o.content),
        Column(_("Outcome"), lambda o: o.get_outcome_display() if o.outcome else _("Waiting for triage")),
        Column(_("Referred to"), lambda o: o.referral_unit.name if o.referral_unit_id else ""),
        Column(_("Resolved"), lambda o: _("Yes") if o.resolved_at else _("No")),
        Column(_("Source"), lambda o: o.get_source_display()),
        Column(_("Constituent"), lambda o: mask_name(o.contact_name)),
        Column(_("Phone"), lambda o: mask_phone(o.contact_phone)),
    ]
    return csv_response(filename="opinions", columns=columns, rows=opinions)


@login_required
def opinion_list(request):
    user = request.user
    opinions = opinions_visible_to(user).order_by("-received_on", "-id")
    filterset = PageOpinionFilter(request.GET or None, queryset=opinions, request=request)
    if filterset.is_bound and not filterset.is_valid():
        opinions = opinions.none()
    else:
        opinions = filterset.qs
    if request.GET.get("export") == "csv":
        return _export_opinions(request, opinions)
    pending = None
    if user.has_role(*DESK_ROLES):
        pending = opinions_visible_to(user).filter(outcome__isnull=True).count()
    return render(
        request,
        "liaison/reception/opinion_list.html",
        {
            "page_obj": _page(request, opinions),
            "filter": filterset,
            "pending": pending,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def opinion_detail(request, pk):
    user = request.user
    try:
        opinion = opinion_detail_for(user, pk)
    except opinions_visible_to(user).model.DoesNotExist:
        raise Http404(_("No such opinion.")) from None
    forms_ = {
        "outcome": OutcomeForm(),
        "feedback": FeedbackForm(),
        "resolve": ResolveForm(),
        "reveal": RevealForm(),
    }
    contact = {"name": mask_name(opinion.contact_name), "phone": mask_phone(opinion.contact_phone)}
    revealed = False
    if request.method == "POST":
        action = request.POST.get("action", "")
        form_class = {
            "outcome": OutcomeForm,
            "feedback": FeedbackForm,
            "resolve": ResolveForm,
            "reveal": RevealForm,
        }.get(action)
        if form_class is None:
            messages.error(request, _("Unknown action."))
            return redirect("liaison:opinion_detail", opinion.pk)
        form = forms_[action] = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data

            def act():
                if action == "outcome":
                    return opinion_services.opinion_set_outcome(opinion=opinion, actor=user, **data)
                if action == "feedback":
                    return opinion_services.referral_feedback_add(opinion=opinion, actor=user, content=data["content"])
                if action == "resolve":
                    return opinion_services.opinion_resolve(opinion=opinion, actor=user, note=data["note"])
                return privacy.opinion_contact_reveal(
                    opinion=opinion, actor=user, reason=data["reason"], ip=privacy.client_ip(request)
                )

            outcome = run_service(request, form, act, **DESK)
            if outcome.ok and action == "reveal":
                contact, revealed = outcome.result, True
            elif outcome.ok:
                messages.success(request, _("Saved."))
                return redirect("liaison:opinion_detail", opinion.pk)
    desk = can_run_desk(user, opinion.station_id)
    unit_officer = user.has_role(Role.UNIT_OFFICER) and user.unit_id == opinion.referral_unit_id
    context = {
        "opinion": opinion,
        "forms": forms_,
        "contact": contact,
        "revealed": revealed,
        "may_reveal": bool(opinion.contact_phone or opinion.contact_name)
        and can_reveal_contact(user, station_id=opinion.station_id, referral_unit_id=opinion.referral_unit_id),
        "may_triage": not opinion.outcome and (desk or opinion.recorded_by_id == user.id),
        "may_escalate": not opinion.outcome and (desk or user.has_role(Role.DEPUTY)),
        "may_feedback": opinion.outcome == OpinionOutcome.REFERRED and (desk or unit_officer),
        "may_resolve": bool(opinion.outcome) and not opinion.resolved_at and (desk or unit_officer),
        "suggestion_url": _suggestion_from_opinion_url(opinion),
    }
    return render(request, "liaison/reception/opinion_detail.html", context)


def _suggestion_from_opinion_url(opinion) -> str | None:
    """Where a suggestion is drafted from this opinion (形成意见建议), when the suggestions pages are installed.

    That page creates the draft, links it both ways and gives the opinion its "escalated"
    outcome through ``opinion_mark_escalated``.
    """
    from django.urls import NoReverseMatch

    try:
        return reverse("suggestions:from_opinion", args=[opinion.pk])
    except NoReverseMatch:
        return None


@login_required
def opinion_photo(request, pk, photo_pk):
    """A photo of an opinion the user may see (media files are never served publicly)."""
    opinion = get_object_or_404(opinions_visible_to(request.user), pk=pk)
    photo = get_object_or_404(opinion.photos.all(), pk=photo_pk)
    return serve_file(photo.image, filename=f"opinion-{opinion.pk}-{photo.pk}")


# --- grid duties ----------------------------------------------------------------------------------------


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


@login_required
def duty_overview(request):
    """Done vs due for the "四个一" duties: the deputy's own, or every deputy in the user's grids."""
    user = request.user
    _require_role(user, *READ_ROLES, Role.DEPUTY)
    if user.has_role(Role.DEPUTY):
        return redirect("liaison:duty_deputy", user.deputy_id)
    today = timezone.localdate()
    deputies = _duty_deputies(user)
    page_obj = _page(request, deputies)
    compliance = duty_compliance([d.id for d in page_obj], today)
    rows = [{"deputy": d, "duties": compliance[d.id]} for d in page_obj]
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
    year_start = date(today.year, 1, 1)
    records = GridDuty.objects.filter(deputy=deputy, date__gte=year_start).select_related("grid", "recorded_by")
    return render(
        request,
        "liaison/reception/duty_deputy.html",
        {
            "deputy": deputy,
            "duties": duty_compliance([deputy.id], today)[deputy.id],
            "assignments": assignments,
            "records": records,
            "form": form,
            "today": today,
        },
    )


@login_required
def duty_grid(request, pk):
    user = request.user
    _require_role(user, *READ_ROLES, Role.DEPUTY)
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


# --- activities -----------------------------------------------------------------------------------------


@login_required
def activity_list(request):
    user = request.user
    _require_role(user, *READ_ROLES, Role.DEPUTY)
    activities = activities_visible_to(user).order_by("-date", "-id")
    kind = request.GET.get("kind", "")
    if kind:
        activities = activities.filter(kind=kind)
    form = None
    if user.has_role(*DESK_ROLES):
        form = ActivityForm(
            request.POST or None,
            stations=_desk_stations(user),
            deputies=Deputy.objects.filter(is_active=True).order_by("name"),
            initial={"date": timezone.localdate()},
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
    from duties.models import ActivityKind

    return render(
        request,
        "liaison/reception/activities.html",
        {"page_obj": _page(request, activities), "form": form, "kinds": ActivityKind.choices, "kind": kind},
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


# --- dashboard and privacy audit -----------------------------------------------------------------------------


@login_required
def dashboard(request):
    """The five station figures for a chosen period, with a monthly chart."""
    user = request.user
    _require_role(user, *READ_ROLES, Role.DEPUTY)
    today = timezone.localdate()
    stations = stations_visible_to(user)
    form = PeriodForm(request.GET or None, stations=stations)
    date_from, date_to, station = date(today.year, 1, 1), date(today.year, 12, 31), None
    if form.is_bound and form.is_valid():
        date_from = form.cleaned_data["date_from"] or date_from
        date_to = form.cleaned_data["date_to"] or date_to
        station = form.cleaned_data["station"]
    elif form.is_bound:
        messages.error(request, errors_text(ValidationError(form.errors)))
    scope = stations.filter(subtree_q(station.id)) if station else stations
    figures = station_statistics(stations=scope, date_from=date_from, date_to=date_to)
    series = station_monthly_series(stations=scope, date_from=date_from, date_to=date_to)
    return render(
        request,
        "liaison/reception/dashboard.html",
        {
            "form": form,
            "figures": figures,
            "chart": _chart(series),
            "outcomes": _outcome_bars(figures),
            "date_from": date_from,
            "date_to": date_to,
            "station": station,
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


@login_required
def privacy_audit(request):
    """Every reveal and export of personal data (office and admins)."""
    _require_role(request.user, Role.OFFICE, Role.ADMIN)
    accesses = personal_data_accesses_for(request.user)
    action = request.GET.get("action", "")
    if action in PersonalDataAction.values:
        accesses = accesses.filter(action=action)
    username = request.GET.get("user", "").strip()
    if username:
        accesses = accesses.filter(Q(user__username__icontains=username) | Q(user__last_name__icontains=username))
    return render(
        request,
        "liaison/reception/privacy_audit.html",
        {
            "page_obj": _page(request, accesses),
            "actions": PersonalDataAction.choices,
            "action": action,
            "username": username,
        },
    )
