"""Suggestion pages for every role. Rows come from ``suggestions.selectors`` (404 outside the user's
scope); every change goes through ``suggestions.services``; refusals are shown in the form, in Chinese,
and change nothing."""

from collections.abc import Callable
from dataclasses import dataclass, field

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.errors import ActionRefused, PermissionRefused
from core.files import serve_file
from core.pages import CONFLICT, FORBIDDEN, run_service
from core.roles import Role
from deputies.models import Deputy
from deputies.selectors import deputies_visible_to
from liaison.selectors import opinions_visible_to
from organisation.models import HandlingUnit
from suggestions import deadlines, forms, holidays, selectors, services
from suggestions.filters import SuggestionFilter
from suggestions.models import Action, CalendarYear, Category, Extension, ReturnRequest, State
from suggestions.transitions import actors_of, available_actions, check

PAGE_SIZE = 25

# --- Navigation inside the suggestion pages ------------------------------------------------------

_TABS = [
    # (url name, label, roles; None = every role)
    ("suggestions:list", gettext_lazy("All suggestions"), None),
    ("suggestions:create", gettext_lazy("New suggestion"), {Role.DEPUTY}),
    ("suggestions:cosign_requests", gettext_lazy("Co-sign requests"), {Role.DEPUTY}),
    ("suggestions:inbox", gettext_lazy("Unit inbox"), {Role.UNIT_OFFICER}),
    ("suggestions:follow_ups", gettext_lazy("B/C follow-ups"), {Role.UNIT_OFFICER}),
    ("suggestions:review", gettext_lazy("Review queue"), {Role.OFFICE, Role.LEADER, Role.ADMIN}),
    ("suggestions:overdue", gettext_lazy("Overdue"), {Role.OFFICE, Role.LEADER, Role.ADMIN, Role.UNIT_OFFICER}),
    ("suggestions:extensions", gettext_lazy("Extension requests"), {Role.OFFICE, Role.LEADER, Role.ADMIN}),
    ("suggestions:return_requests", gettext_lazy("Return requests"), {Role.OFFICE, Role.LEADER, Role.ADMIN}),
    ("suggestions:stats", gettext_lazy("Statistics"), {Role.OFFICE, Role.LEADER, Role.ADMIN}),
    ("suggestions:calendar", gettext_lazy("Working-day calendar"), {Role.OFFICE, Role.ADMIN}),
]


def _tabs(request) -> list[dict]:
    role = request.user.effective_role
    tabs = []
    for name, label, roles in _TABS:
        if roles is None or role in roles:
            url = reverse(name)
            # The calendar's own pages (a year, the entry form) keep its tab highlighted.
            active = request.path == url or (name == "suggestions:calendar" and request.path.startswith(url))
            tabs.append({"url": url, "label": label, "active": active})
    return tabs


def _require_role(request, *roles) -> None:
    if not request.user.has_role(*roles):
        raise PermissionDenied


# --- Lists ---------------------------------------------------------------------------------------


class SuggestionPageFilter(SuggestionFilter):
    """The list filters people use: a unit drop-down instead of an id; lead deputy, station and due-soon
    stay available to the API only."""

    unit = django_filters.ModelChoiceFilter(
        queryset=HandlingUnit.objects.filter(is_active=True).order_by("kind", "name"),
        method="filter_unit",
        label=gettext_lazy("Unit"),
    )

    state = django_filters.ChoiceFilter(choices=State.choices, label=gettext_lazy("State"))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=gettext_lazy("Overdue"), widget=forms.YesNoSelect
    )
    key_supervision = django_filters.BooleanFilter(
        field_name="key_supervision", label=gettext_lazy("Key supervision"), widget=forms.YesNoSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("deputy", "station", "due_soon"):
            self.filters.pop(name)

    def filter_unit(self, queryset, name, value):
        return super().filter_unit(queryset, name, value.pk)


def _render_list(request, queryset, *, heading, intro="", empty=None, with_filters=True, template=None):
    filterset = None
    if with_filters:
        filterset = SuggestionPageFilter(request.GET or None, queryset=queryset, request=request)
        if filterset.is_bound:
            # A bad value (an unknown unit, the year 0) shows its error above an empty list.
            queryset = filterset.qs if filterset.is_valid() else queryset.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        template or "suggestions/list.html",
        {
            "heading": heading,
            "intro": intro,
            "empty": empty or _("No suggestions here."),
            "page_obj": page,
            "filter": filterset,
            "tabs": _tabs(request),
            "today": timezone.localdate(),
        },
    )


@login_required
def suggestion_list(request):
    role = request.user.effective_role
    heading = {
        Role.DEPUTY: _("My suggestions"),
        Role.UNIT_OFFICER: _("Suggestions assigned to my unit"),
    }.get(role, _("Suggestions"))
    return _render_list(request, selectors.suggestion_list(request.user), heading=heading)


@login_required
def review_queue(request):
    _require_role(request, Role.OFFICE, Role.LEADER, Role.ADMIN)
    queryset = selectors.suggestion_list(request.user).filter(state=State.SUBMITTED).order_by("assign_due", "id")
    return _render_list(
        request,
        queryset,
        heading=_("Review queue"),
        intro=_("Submitted suggestions waiting to be accepted and assigned, the most urgent first."),
        empty=_("Nothing is waiting for review."),
        with_filters=False,
    )


@login_required
def overdue_list(request):
    _require_role(request, Role.OFFICE, Role.LEADER, Role.ADMIN, Role.UNIT_OFFICER)
    queryset = (
        selectors.suggestion_list(request.user)
        .filter(selectors.overdue_q(timezone.localdate()))
        .order_by("deadline", "id")
    )
    return _render_list(
        request,
        queryset,
        heading=_("Overdue suggestions"),
        intro=_("Suggestions whose assignment or reply is past its deadline, the longest overdue first."),
        empty=_("Nothing is overdue."),
        with_filters=False,
    )


@login_required
def unit_inbox(request):
    _require_role(request, Role.UNIT_OFFICER)
    queryset = (
        selectors.suggestion_list(request.user)
        .filter(state__in=[State.ASSIGNED, State.IN_PROGRESS, State.REHANDLING, State.REPLIED])
        .order_by("deadline", "id")
    )
    return _render_list(
        request,
        queryset,
        heading=_("Unit inbox"),
        intro=_("Suggestions your unit is handling, the nearest deadline first."),
        empty=_("Your unit has nothing to handle right now."),
        with_filters=False,
    )


@login_required
def follow_up_list(request):
    _require_role(request, Role.UNIT_OFFICER)
    return _render_list(
        request,
        selectors.follow_ups_due(request.user).order_by("closed_at", "id"),
        heading=_("B/C follow-ups"),
        intro=_("Closed suggestions answered with class B or C: report progress until the matter is solved."),
        empty=_("No follow-ups are due."),
        with_filters=False,
    )


@login_required
def cosign_requests(request):
    _require_role(request, Role.DEPUTY)
    page = Paginator(selectors.cosign_requests_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/cosign_requests.html", {"page_obj": page, "tabs": _tabs(request)})


@login_required
def extension_requests(request):
    _require_role(request, Role.OFFICE, Role.LEADER, Role.ADMIN)
    page = Paginator(selectors.pending_extensions(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/extensions.html", {"page_obj": page, "tabs": _tabs(request)})


@login_required
def return_requests(request):
    _require_role(request, Role.OFFICE, Role.LEADER, Role.ADMIN)
    page = Paginator(selectors.pending_return_requests(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/return_requests.html", {"page_obj": page, "tabs": _tabs(request)})


# The years the statistics page (and ``/api/v1/stats/suggestions/``) accept.
STATS_FIRST_YEAR, STATS_LAST_YEAR = 2000, 2100


@login_required
def stats(request):
    _require_role(request, Role.OFFICE, Role.LEADER, Role.ADMIN)
    raw_year = request.GET.get("year", "").strip()
    year = int(raw_year) if raw_year.isdecimal() and len(raw_year) <= 4 else None
    category = request.GET.get("category") or None
    if category not in Category.values:
        category = None
    context = {"tabs": _tabs(request), "year": year, "category": category, "categories": Category.choices}
    if raw_year and (year is None or not STATS_FIRST_YEAR <= year <= STATS_LAST_YEAR):
        # Figures for every year under a refused year would mislead: the error alone, and a 400.
        context["year"] = raw_year
        context["year_error"] = _("Enter a year between %(first)s and %(last)s.") % {
            "first": STATS_FIRST_YEAR,
            "last": STATS_LAST_YEAR,
        }
        return render(request, "suggestions/stats.html", context, status=400)
    context["total"] = selectors.suggestion_stats(request.user, year=year, category=category)
    context["by_unit"] = selectors.suggestion_stats_by_unit(request.user, year=year, category=category)
    return render(request, "suggestions/stats.html", context)


# --- One suggestion ----------------------------------------------------------------------------


def _visible(request, pk):
    return get_object_or_404(selectors.suggestion_detail_queryset(request.user), pk=pk)


# Actions that are one click (with a confirmation) on the detail page; the others have a form page.
ONE_CLICK = {Action.SUBMIT, Action.RESUBMIT, Action.ACKNOWLEDGE}


@login_required
def suggestion_detail(request, pk):
    suggestion = _visible(request, pk)
    actors = actors_of(request.user, suggestion)
    actions = [a for a in available_actions(suggestion=suggestion, actors=actors) if a != Action.UPDATE]
    return render(
        request,
        "suggestions/detail.html",
        {
            "suggestion": suggestion,
            "actions": [{"name": a, "label": Action(a).label, "one_click": a in ONE_CLICK} for a in actions],
            "can_edit": Action.UPDATE in available_actions(suggestion=suggestion, actors=actors),
            "pending_extensions": [e for e in suggestion.extensions.all() if e.status == "pending"],
            "pending_returns": [r for r in suggestion.return_requests.all() if r.status == "pending"],
            "is_office": request.user.has_role(Role.OFFICE),
            "tabs": _tabs(request),
        },
    )


@login_required
def attachment_download(request, pk, attachment_pk):
    """A file attached to a suggestion, for whoever may see the suggestion (404 otherwise)."""
    suggestion = get_object_or_404(selectors.suggestions_visible_to(request.user), pk=pk)
    attachment = get_object_or_404(suggestion.attachments.all(), pk=attachment_pk)
    return serve_file(attachment.file, filename=attachment.name)


@login_required
def reply_attachment_download(request, pk, reply_pk):
    """The signed letter attached to a reply, for whoever may see the suggestion (404 otherwise)."""
    suggestion = get_object_or_404(selectors.suggestions_visible_to(request.user), pk=pk)
    reply = get_object_or_404(suggestion.replies.exclude(attachment=""), pk=reply_pk)
    return serve_file(reply.attachment, filename=reply.attachment_name or f"reply-{reply.round}")


def _refusal_status(exc) -> int:
    return FORBIDDEN if isinstance(exc, PermissionRefused) else CONFLICT


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_create(request):
    _require_role(request, Role.DEPUTY)
    form = forms.SuggestionForm(request.POST or None, request.FILES or None, lead_deputy_id=request.user.deputy_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            form,
            lambda: services.suggestion_create(
                actor=request.user,
                title=form.cleaned_data["title"],
                content=form.cleaned_data["content"],
                category=form.cleaned_data["category"],
                cosigners=list(form.cleaned_data["cosigners"]),
                attachments=form.cleaned_data["attachments"],
            ),
        )
        if not outcome.ok:
            status = outcome.status
        else:
            suggestion = outcome.result
            messages.success(request, _("The draft is saved. Submit it when your co-signers have confirmed."))
            return redirect("suggestions:detail", pk=suggestion.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "suggestions/form.html",
        {"form": form, "heading": _("New suggestion"), "submit_label": _("Save draft"), "tabs": _tabs(request)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_edit(request, pk):
    suggestion = _visible(request, pk)
    refusal = _precheck(request, suggestion, Action.UPDATE)
    if refusal:
        return refusal
    initial = {
        "title": suggestion.title,
        "content": suggestion.content,
        "category": suggestion.category,
        "cosigners": [c.deputy_id for c in suggestion.cosignatures.all()],
    }
    form = forms.SuggestionForm(
        request.POST or None, request.FILES or None, initial=initial, lead_deputy_id=suggestion.lead_deputy_id
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            form,
            lambda: services.suggestion_update(
                suggestion=suggestion,
                actor=request.user,
                title=form.cleaned_data["title"],
                content=form.cleaned_data["content"],
                category=form.cleaned_data["category"],
                cosigners=list(form.cleaned_data["cosigners"]),
                attachments=form.cleaned_data["attachments"],
            ),
        )
        if not outcome.ok:
            status = outcome.status
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("suggestions:detail", pk=suggestion.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "suggestions/form.html",
        {
            "form": form,
            "suggestion": suggestion,
            "heading": _("Edit suggestion"),
            "submit_label": _("Save"),
            "tabs": _tabs(request),
        },
        status=status,
    )


def _precheck(request, suggestion, action):
    """Refuse before showing a form the user could not use (the service checks again on submit)."""
    try:
        check(suggestion=suggestion, action=action, actors=actors_of(request.user, suggestion))
    except (ActionRefused, PermissionRefused) as exc:
        return render(
            request,
            "suggestions/refused.html",
            {"suggestion": suggestion, "message": exc.message, "tabs": _tabs(request)},
            status=_refusal_status(exc),
        )
    return None


# --- Action pages --------------------------------------------------------------------------------


def _item(request, model, suggestion):
    """The extension or return request an office decision is about (``?item=<id>``)."""
    raw = request.GET.get("item") or request.POST.get("item") or ""
    if not raw.isdecimal():
        raise Http404
    return get_object_or_404(model, pk=int(raw), suggestion=suggestion)


@dataclass(frozen=True)
class PageAction:
    form: type
    run: Callable
    submit_label: str
    help: str = ""
    form_kwargs: Callable = field(default=lambda request, suggestion: {})
    initial: Callable = field(default=lambda request, suggestion: {})


def _kw(data: dict, *names) -> dict:
    return {name: data[name] for name in names}


PAGE_ACTIONS = {
    Action.SUBMIT: PageAction(
        forms.ConfirmForm,
        lambda r, s, d: services.suggestion_submit(suggestion=s, actor=r.user),
        gettext_lazy("Submit"),
        gettext_lazy("Once submitted, the suggestion goes to the office and can no longer be edited."),
    ),
    Action.RESUBMIT: PageAction(
        forms.ConfirmForm,
        lambda r, s, d: services.suggestion_resubmit(suggestion=s, actor=r.user),
        gettext_lazy("Resubmit"),
    ),
    Action.COSIGN: PageAction(
        forms.CosignForm,
        lambda r, s, d: services.suggestion_cosign(suggestion=s, actor=r.user, accept=d["accept"]),
        gettext_lazy("Send my answer"),
    ),
    Action.WITHDRAW: PageAction(
        forms.ReasonForm,
        lambda r, s, d: services.suggestion_withdraw(suggestion=s, actor=r.user, reason=d["reason"]),
        gettext_lazy("Withdraw"),
        gettext_lazy("A withdrawal is made in writing and cannot be undone."),
    ),
    Action.RETURN: PageAction(
        forms.ReasonForm,
        lambda r, s, d: services.suggestion_return(suggestion=s, actor=r.user, reason=d["reason"]),
        gettext_lazy("Return to the deputy"),
        gettext_lazy(
            "Return it when it is not a suggestion (a personal matter, no real content, a forwarded "
            "letter …). The deputy sees the reason and may revise and resubmit."
        ),
    ),
    Action.ASSIGN: PageAction(
        forms.AssignForm,
        lambda r, s, d: services.suggestion_assign(
            suggestion=s, actor=r.user, lead_unit=d["lead_unit"], co_units=list(d["co_units"]), complex=d["complex"]
        ),
        gettext_lazy("Assign"),
        gettext_lazy("The lead unit must reply within three months; co-units give it their opinion within a month."),
    ),
    Action.REQUEST_RETURN: PageAction(
        forms.ReasonForm,
        lambda r, s, d: services.suggestion_request_return(suggestion=s, actor=r.user, reason=d["reason"]),
        gettext_lazy("Ask the office to take it back"),
        gettext_lazy(
            "Only within seven working days of assignment. The office decides and re-assigns; "
            "do not pass the item on yourself."
        ),
    ),
    Action.DECIDE_RETURN: PageAction(
        forms.DecisionForm,
        lambda r, s, d: services.suggestion_decide_return(
            return_request=_item(r, ReturnRequest, s), actor=r.user, accept=d["accept"], note=d["note"]
        ),
        gettext_lazy("Record the decision"),
        gettext_lazy("Approving the lead unit's request sends the suggestion back to you for re-assignment."),
    ),
    Action.ACKNOWLEDGE: PageAction(
        forms.ConfirmForm,
        lambda r, s, d: services.suggestion_acknowledge(suggestion=s, actor=r.user),
        gettext_lazy("Acknowledge"),
    ),
    Action.CO_UNIT_OPINION: PageAction(
        forms.ContentForm,
        lambda r, s, d: services.suggestion_co_unit_opinion(suggestion=s, actor=r.user, content=d["content"]),
        gettext_lazy("Send to the lead unit"),
    ),
    Action.RECORD_CONTACT: PageAction(
        forms.ContactForm,
        lambda r, s, d: services.suggestion_record_contact(
            suggestion=s, actor=r.user, **_kw(d, "method", "contacted_on", "note")
        ),
        gettext_lazy("Record"),
        initial=lambda r, s: {"contacted_on": timezone.localdate()},
    ),
    Action.REPLY: PageAction(
        forms.ReplyForm,
        lambda r, s, d: services.suggestion_reply(
            suggestion=s, actor=r.user, **_kw(d, "reply_class", "content", "contacted", "attachment")
        ),
        gettext_lazy("Send the reply"),
        gettext_lazy(
            "A: solved or basically solved · B: being solved or planned · C: to be solved when "
            "conditions allow · D: kept for reference. B and C stay tracked after closing."
        ),
        initial=lambda r, s: {"contacted": bool(s.contacts.all())},
    ),
    Action.EVALUATE: PageAction(
        forms.EvaluateForm,
        lambda r, s, d: services.suggestion_evaluate(suggestion=s, actor=r.user, **_kw(d, "rating", "comment")),
        gettext_lazy("Send my evaluation"),
        gettext_lazy(
            "Unsatisfied with the first reply sends it back to the unit for one more reply within a "
            "month; any other rating, and any rating of the second reply, closes it."
        ),
    ),
    Action.EXTEND: PageAction(
        forms.ExtendForm,
        lambda r, s, d: services.suggestion_extend(suggestion=s, actor=r.user, **_kw(d, "new_due", "reason")),
        gettext_lazy("Extend the deadline"),
        gettext_lazy(
            "At most six months after assignment; the office approves requests, and the deputy sees the reason."
        ),
    ),
    Action.DECIDE_EXTENSION: PageAction(
        forms.DecisionForm,
        lambda r, s, d: services.suggestion_decide_extension(
            extension=_item(r, Extension, s), actor=r.user, approve=d["accept"], note=d["note"]
        ),
        gettext_lazy("Record the decision"),
    ),
    Action.SUPERVISE: PageAction(
        forms.SuperviseForm,
        lambda r, s, d: services.suggestion_supervise(
            suggestion=s, actor=r.user, note=d["note"], key_supervision=d.get("key_supervision")
        ),
        gettext_lazy("Save the note"),
        form_kwargs=lambda r, s: {"can_flag": r.user.has_role(Role.LEADER)},
        initial=lambda r, s: {"key_supervision": ""},
    ),
    Action.FOLLOW_UP: PageAction(
        forms.FollowUpForm,
        lambda r, s, d: services.suggestion_follow_up(suggestion=s, actor=r.user, **_kw(d, "content", "solved")),
        gettext_lazy("Record progress"),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_action(request, pk, action):
    if action not in PAGE_ACTIONS:
        raise Http404
    suggestion = _visible(request, pk)
    refusal = _precheck(request, suggestion, action)
    if refusal:
        return refusal
    page_action = PAGE_ACTIONS[action]
    item = None
    if action == Action.DECIDE_RETURN:
        item = _item(request, ReturnRequest, suggestion)
    elif action == Action.DECIDE_EXTENSION:
        item = _item(request, Extension, suggestion)
    form_kwargs = page_action.form_kwargs(request, suggestion)
    if request.method == "POST":
        form = page_action.form(request.POST, request.FILES, **form_kwargs)
    else:
        form = page_action.form(initial=page_action.initial(request, suggestion), **form_kwargs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            outcome = run_service(request, form, lambda: page_action.run(request, suggestion, form.cleaned_data))
            if not outcome.ok:
                status = outcome.status
            else:
                messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
                return redirect("suggestions:detail", pk=suggestion.pk)
        else:
            status = 400
    return render(
        request,
        "suggestions/action.html",
        {
            "suggestion": suggestion,
            "form": form,
            "action": action,
            "heading": Action(action).label,
            "help": page_action.help,
            "submit_label": page_action.submit_label,
            "item": item,
            "tabs": _tabs(request),
        },
        status=status,
    )


# --- Escalation from a constituent opinion ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def from_opinion(request, opinion_id):
    """形成意见建议: station staff, the office or a deputy turn an opinion into a deputy's draft."""
    _require_role(request, Role.STATION_STAFF, Role.OFFICE, Role.DEPUTY)
    opinion = get_object_or_404(opinions_visible_to(request.user), pk=opinion_id)
    if request.user.has_role(Role.DEPUTY):
        deputies = Deputy.objects.filter(pk=request.user.deputy_id)
    else:
        deputies = deputies_visible_to(request.user).filter(is_active=True).order_by("name", "id")
    initial = {
        "deputy": request.user.deputy_id or opinion.deputy_id,
        "title": opinion.content.strip().splitlines()[0][:60] if opinion.content.strip() else "",
    }
    form = forms.EscalateForm(request.POST or None, deputies=deputies, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            outcome = run_service(
                request,
                form,
                lambda: services.suggestion_create_from_opinion(
                    opinion=opinion,
                    deputy=form.cleaned_data["deputy"],
                    actor=request.user,
                    title=form.cleaned_data["title"],
                ),
            )
            if not outcome.ok:
                status = outcome.status
            else:
                suggestion = outcome.result
                messages.success(
                    request,
                    _("A draft suggestion was created for %(deputy)s; the opinion is marked as escalated.")
                    % {"deputy": suggestion.lead_deputy.name},
                )
                if request.user.has_role(Role.DEPUTY):
                    return redirect("suggestions:detail", pk=suggestion.pk)
                return redirect(_opinion_url(opinion))
        else:
            status = 400
    return render(
        request,
        "suggestions/from_opinion.html",
        {"opinion": opinion, "form": form, "tabs": _tabs(request)},
        status=status,
    )


def _opinion_url(opinion) -> str:
    """Back to the opinion's page when the reception pages are installed, else home."""
    try:
        return reverse("liaison:opinion_detail", args=[opinion.pk])
    except NoReverseMatch:
        return reverse("home")


# --- The working-day calendar ---------------------------------------------------------------------

CALENDAR_KEEPERS = (Role.OFFICE, Role.ADMIN)


@login_required
def calendar_overview(request):
    """Where this year's and next year's working days come from: entered, the package, or provisional."""
    _require_role(request, *CALENDAR_KEEPERS)
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
            "tabs": _tabs(request),
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
    _require_role(request, *CALENDAR_KEEPERS)
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
            "tabs": _tabs(request),
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
    _require_role(request, *CALENDAR_KEEPERS)
    calendar_year = get_object_or_404(
        CalendarYear.objects.select_related("entered_by").prefetch_related("days"), year=year
    )
    return render(
        request,
        "suggestions/calendar_year.html",
        {"tabs": _tabs(request), "calendar_year": calendar_year, "days": calendar_year.days.all()},
    )
