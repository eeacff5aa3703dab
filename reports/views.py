from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from core import clock
from core.roles import Role
from deputies.selectors import deputies_visible_to
from duties.selectors import open_assignments_of
from reports import selectors
from suggestions.deadlines import provisional_years


def _staff_context(user) -> dict:
    return {"stations": list(selectors.home_stations_of_staff(user))}


def _deputy_context(user) -> dict:
    deputy = deputies_visible_to(user).filter(id=user.deputy_id).first()
    return {
        "deputy": deputy,
        "assignments": list(open_assignments_of(user.deputy_id)) if user.deputy_id else [],
        "stations": list(selectors.home_stations_of_deputy(user)),
        "groups": list(selectors.groups_of_deputy(user.deputy_id)) if user.deputy_id else [],
    }


def _overview_context(user) -> dict:
    return {
        "workload": selectors.suggestion_workload(user),
        "figures": selectors.key_figures_for(user),
        "leaderless_grids": list(selectors.grids_without_leader_for(user)),
        # Those who enter the working-day calendar hear when deadlines are being counted provisionally.
        "provisional_calendar_years": (
            provisional_years(timezone.localdate()) if user.has_role(Role.OFFICE, Role.ADMIN) else []
        ),
    }


def _leader_context(user) -> dict:
    """A leader's home: the workload, the year's figures and what needs a leader's attention first."""
    year = clock.today().year
    return {
        **_overview_context(user),
        "year": year,
        "year_figures": selectors.suggestion_year_figures(user, year),
        "key_supervision": selectors.key_supervision_open(user),
        "longest_overdue": selectors.longest_overdue(user),
    }


def _unit_context(user) -> dict:
    return {"unit": user.unit}


# Which section of the home page each role gets, and the data it needs.
SECTIONS = {
    Role.STATION_STAFF: ("home/_staff.html", _staff_context),
    Role.DEPUTY: ("home/_deputy.html", _deputy_context),
    Role.OFFICE: ("home/_overview.html", _overview_context),
    Role.LEADER: ("home/_leader.html", _leader_context),
    Role.ADMIN: ("home/_overview.html", _overview_context),
    Role.UNIT_OFFICER: ("home/_unit.html", _unit_context),
}


@login_required
def home(request):
    """The landing page: one section per role, built from the role's scoped selectors."""
    user = request.user
    section, build = SECTIONS[user.effective_role]
    context = {"today": timezone.localdate(), "section": section, **build(user)}
    return render(request, "home/index.html", context)
