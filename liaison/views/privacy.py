"""The privacy audit: every reveal and export of personal data."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render

from core.roles import Role
from liaison.models import PersonalDataAction
from liaison.selectors import personal_data_accesses_for
from organisation.desk import paginate, require_role


@login_required
def privacy_audit(request):
    """Every reveal and export of personal data (office and admins)."""
    require_role(request.user, Role.OFFICE, Role.ADMIN)
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
            "page_obj": paginate(request, accesses),
            "actions": PersonalDataAction.choices,
            "action": action,
            "username": username,
        },
    )
