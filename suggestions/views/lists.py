"""The suggestion lists of each role, with their filters, and the statistics page."""

import django_filters
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exports import XLSX, Column, workbook
from core.pagination import EstimatedPaginator
from core.periods import Basis
from core.roles import Role
from liaison.services.privacy import client_ip, personal_data_export_log
from organisation.models import HandlingUnit
from suggestions import forms, selectors
from suggestions.filters import SuggestionFilter
from suggestions.models import Category, State
from suggestions.periods import SUGGESTION_BASIS_TEXT
from suggestions.views.common import page_tabs, require_role

PAGE_SIZE = 25
# Query parameters of the list itself, not filters.
LIST_PARAMETERS = ("page", "page_size", "sort", "export")
# The page sizes a list offers (``?page_size=``); anything else falls back to PAGE_SIZE.
PAGE_SIZES = (10, 25, 50, 100)
# Columns a list sorts by (``?sort=submitted`` ascending, ``?sort=-submitted`` descending): only these.
SORTS = {
    "number": "id",
    "title": "title",
    "state": "state",
    "submitted": "submitted_at",
    "assign_due": "assign_due",
    "reply_due": "reply_due",
}


def page_size(request) -> int:
    raw = request.GET.get("page_size", "")
    return int(raw) if raw.isdecimal() and int(raw) in PAGE_SIZES else PAGE_SIZE


def sort_key(request) -> str | None:
    """The requested sort (``"-submitted"``), or None when absent or not one of SORTS."""
    raw = request.GET.get("sort", "")
    return raw if raw.lstrip("-") in SORTS else None


def sorted_by(queryset, key: str | None):
    if not key:
        return queryset
    field = F(SORTS[key.lstrip("-")])
    expression = field.desc(nulls_last=True) if key.startswith("-") else field.asc(nulls_last=True)
    return queryset.order_by(expression, "-id" if key.startswith("-") else "id")


def _export(request, queryset, heading):
    columns = [
        Column(_("Suggestion number"), lambda s: s.pk, kind="int"),
        Column(_("Title"), lambda s: s.title),
        Column(_("State"), lambda s: s.get_state_display()),
        Column(_("Category"), lambda s: s.get_category_display()),
        Column(_("Lead deputy"), lambda s: s.lead_deputy.name),
        Column(_("Lead unit"), lambda s: s.lead_unit.name if s.lead_unit else ""),
        Column(_("Submitted on"), lambda s: timezone.localdate(s.submitted_at).isoformat() if s.submitted_at else ""),
        Column(_("Assignment due"), lambda s: s.assign_due.isoformat() if s.assign_due else ""),
        Column(_("Reply due"), lambda s: s.reply_due.isoformat() if s.reply_due else ""),
        Column(_("Overdue"), lambda s: _("Yes") if s.overdue else ""),
        Column(_("Key supervision"), lambda s: _("Yes") if s.key_supervision else ""),
    ]
    data = workbook(heading, columns, queryset.iterator())
    personal_data_export_log(actor=request.user, subject=heading, object_type="suggestion", ip=client_ip(request))
    response = HttpResponse(data, content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="suggestions-{stamp}.xlsx"'
    return response


class SuggestionPageFilter(SuggestionFilter):
    """The list filters people use: a unit drop-down instead of an id; lead deputy and station stay
    available to the API only. Due soon is here too, so the home page's counts open their lists."""

    unit = django_filters.ModelChoiceFilter(
        queryset=HandlingUnit.objects.filter(is_active=True).order_by("kind", "name"),
        method="filter_unit",
        label=gettext_lazy("Unit"),
    )

    state = django_filters.ChoiceFilter(choices=State.choices, label=gettext_lazy("State"))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=gettext_lazy("Overdue"), widget=forms.YesNoSelect
    )
    due_soon = django_filters.BooleanFilter(
        method="filter_due_soon", label=gettext_lazy("Due soon"), widget=forms.YesNoSelect
    )
    key_supervision = django_filters.BooleanFilter(
        field_name="key_supervision", label=gettext_lazy("Key supervision"), widget=forms.YesNoSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("deputy", "station"):
            self.filters.pop(name)

    def filter_unit(self, queryset, name, value):
        return super().filter_unit(queryset, name, value.pk)


def _render_list(request, queryset, *, heading, intro="", empty=None, with_filters=True, template=None):
    filterset = None
    if with_filters:
        data = request.GET.copy()
        for name in LIST_PARAMETERS:
            data.pop(name, None)
        filterset = SuggestionPageFilter(data or None, queryset=queryset, request=request)
        if filterset.is_bound:
            # A bad value (an unknown unit, the year 0) shows its error above an empty list.
            queryset = filterset.qs if filterset.is_valid() else queryset.none()
    sort = sort_key(request)
    queryset = sorted_by(queryset, sort)
    if with_filters and request.GET.get("export") == "xlsx":
        return _export(request, queryset, heading)
    size = page_size(request)
    page = EstimatedPaginator(queryset, size).get_page(request.GET.get("page"))
    return render(
        request,
        template or "suggestions/list.html",
        {
            "heading": heading,
            "intro": intro,
            "empty": empty or _("No suggestions here."),
            "page_obj": page,
            "filter": filterset,
            "tabs": page_tabs(request),
            "today": timezone.localdate(),
            "sort": sort or "",
            "page_size": size,
            "page_sizes": PAGE_SIZES,
            "exportable": with_filters,
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
    require_role(request, Role.OFFICE, Role.LEADER, Role.ADMIN)
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
    require_role(request, Role.OFFICE, Role.LEADER, Role.ADMIN, Role.UNIT_OFFICER)
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
    require_role(request, Role.UNIT_OFFICER)
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
    require_role(request, Role.UNIT_OFFICER)
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
    require_role(request, Role.DEPUTY)
    page = Paginator(selectors.cosign_requests_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/cosign_requests.html", {"page_obj": page, "tabs": page_tabs(request)})


@login_required
def extension_requests(request):
    require_role(request, Role.OFFICE, Role.LEADER, Role.ADMIN)
    page = Paginator(selectors.pending_extensions(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/extensions.html", {"page_obj": page, "tabs": page_tabs(request)})


@login_required
def return_requests(request):
    require_role(request, Role.OFFICE, Role.LEADER, Role.ADMIN)
    page = Paginator(selectors.pending_return_requests(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/return_requests.html", {"page_obj": page, "tabs": page_tabs(request)})


# The years the statistics page (and ``/api/v1/stats/suggestions/``) accept.
STATS_FIRST_YEAR, STATS_LAST_YEAR = 2000, 2100


@login_required
def stats(request):
    require_role(request, Role.OFFICE, Role.LEADER, Role.ADMIN)
    raw_year = request.GET.get("year", "").strip()
    year = int(raw_year) if raw_year.isdecimal() and len(raw_year) <= 4 else None
    category = request.GET.get("category") or None
    if category not in Category.values:
        category = None
    basis = request.GET.get("basis") or Basis.DEFAULT
    if basis not in Basis.CHOICES:
        basis = Basis.DEFAULT
    context = {
        "tabs": page_tabs(request),
        "year": year,
        "category": category,
        "categories": Category.choices,
        "basis": basis,
        "bases": Basis.LABELS,
        "basis_note": _(SUGGESTION_BASIS_TEXT[basis]),
    }
    if raw_year and (year is None or not STATS_FIRST_YEAR <= year <= STATS_LAST_YEAR):
        # Figures for every year under a refused year would mislead: the error alone, and a 400.
        context["year"] = raw_year
        context["year_error"] = _("Enter a year between %(first)s and %(last)s.") % {
            "first": STATS_FIRST_YEAR,
            "last": STATS_LAST_YEAR,
        }
        return render(request, "suggestions/stats.html", context, status=400)
    context["total"] = selectors.suggestion_stats(request.user, year=year, basis=basis, category=category)
    context["by_unit"] = selectors.suggestion_stats_by_unit(request.user, year=year, basis=basis, category=category)
    return render(request, "suggestions/stats.html", context)
