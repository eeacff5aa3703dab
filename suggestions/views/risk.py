"""The risk list (风险清单): open suggestions ordered by their risk of missing the reply deadline."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from core.roles import Role
from suggestions import forms, risk, selectors
from suggestions.views.common import page_tabs, require_role

PAGE_SIZE = 25
ROLES = (Role.OFFICE, Role.LEADER, Role.ADMIN, Role.UNIT_OFFICER)


@login_required
def risk_list(request):
    require_role(request, *ROLES)
    form = forms.RiskFilterForm(request.GET or None)
    status = 200
    assessments = []
    if form.is_bound and not form.is_valid():
        # A refused filter (an unknown unit, a category that does not exist): its error above an empty list.
        status = 400
    else:
        filters = form.cleaned_data if form.is_bound else {}
        assessments = selectors.suggestions_at_risk(
            request.user, unit=filters.get("unit"), category=filters.get("category") or None
        )
    page = Paginator(assessments, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = risk.by_level(assessments)
    levels = [{"key": key, "label": label, "count": counts[key]} for key, label in risk.LEVEL_LABELS.items()]
    return render(
        request,
        "suggestions/risk.html",
        {"form": form, "page_obj": page, "levels": levels, "tabs": page_tabs(request)},
        status=status,
    )
