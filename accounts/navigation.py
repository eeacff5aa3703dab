"""Which pages each role sees in the navigation.

Entries name URL patterns; an entry whose URL is not (yet) installed is skipped,
so an app adds its pages here and the menu follows.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Role

ALL = {Role.STATION_STAFF, Role.DEPUTY, Role.OFFICE, Role.UNIT_OFFICER, Role.LEADER, Role.ADMIN}
ORG = {Role.STATION_STAFF, Role.DEPUTY, Role.OFFICE, Role.LEADER, Role.ADMIN}


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str
    roles: frozenset


MENU = [
    NavEntry("home", _("Home"), frozenset(ALL)),
    NavEntry("liaison:station_list", _("Stations"), frozenset(ORG)),
    NavEntry("deputies:deputy_list", _("Deputies"), frozenset(ORG)),
    NavEntry(
        "liaison:reception_calendar",
        _("Reception"),
        frozenset({Role.STATION_STAFF, Role.OFFICE, Role.LEADER, Role.ADMIN}),
    ),
    NavEntry("liaison:my_reception_days", _("My reception days"), frozenset({Role.DEPUTY})),
    NavEntry("liaison:opinion_list", _("Referred opinions"), frozenset({Role.UNIT_OFFICER})),
    NavEntry("suggestions:list", _("Suggestions"), frozenset(ALL)),
    NavEntry("suggestions:risk", _("Deadline risk"), frozenset({Role.OFFICE, Role.LEADER, Role.ADMIN})),
    NavEntry("livelihood:cycle_list", _("Livelihood projects"), frozenset(ORG)),
    NavEntry("livelihood:project_list", _("Livelihood projects"), frozenset({Role.UNIT_OFFICER})),
    NavEntry("topics:hot", _("Hot topics"), frozenset({Role.STATION_STAFF, Role.OFFICE, Role.LEADER, Role.ADMIN})),
    NavEntry("reports:dashboard", _("Dashboard"), frozenset({Role.OFFICE, Role.LEADER, Role.ADMIN})),
    NavEntry("reports:my_file", _("My performance file"), frozenset({Role.DEPUTY})),
    NavEntry("reports:print", _("Print reports"), frozenset({Role.OFFICE, Role.LEADER, Role.ADMIN})),
    NavEntry("imports:list", _("Ledger import"), frozenset({Role.STATION_STAFF, Role.OFFICE, Role.ADMIN})),
    NavEntry("notifications:inbox", _("Notifications"), frozenset(ALL)),
    NavEntry("notifications:status", _("Background work"), frozenset({Role.ADMIN})),
    NavEntry("admin:index", _("Administration"), frozenset({Role.ADMIN})),
]


def _matches(url: str, path: str) -> bool:
    """Whether ``path`` is the page ``url`` or below it (home matches only itself)."""
    if url == "/":
        return path == "/"
    return path == url or (path.startswith(url) and url.endswith("/"))


def menu_for(user, current_path: str = "") -> list[dict]:
    """The role's menu; at most one item is active: the one whose URL is the longest prefix of the path.

    Stations live at ``/stations/`` and reception at ``/stations/reception/``, so a reception page
    lights up 接待, not both.
    """
    role = user.effective_role
    items = []
    for entry in MENU:
        if role not in entry.roles:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": entry.label, "active": False})
    matching = [item for item in items if _matches(item["url"], current_path)]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return items
