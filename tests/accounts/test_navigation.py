"""The menu lights up exactly one item: the one whose address is the longest prefix of the page's."""

import pytest

from accounts.navigation import menu_for
from core.roles import Role

pytestmark = pytest.mark.django_db


def _active(user, path) -> list[str]:
    return [item["url"] for item in menu_for(user, path) if item["active"]]


@pytest.mark.parametrize(
    ("path", "active"),
    [
        ("/", ["/"]),
        ("/stations/", ["/stations/"]),
        ("/stations/12/", ["/stations/"]),
        ("/stations/reception/", ["/stations/reception/"]),
        ("/stations/reception/visits/new/", ["/stations/reception/"]),
        ("/suggestions/3/assign/", ["/suggestions/"]),
        ("/notifications/", ["/notifications/"]),
        ("/unknown/", []),
    ],
)
def test_one_active_item_the_longest_prefix(make_user, path, active):
    office = make_user(Role.OFFICE, username="nav_office")
    assert _active(office, path) == active


def test_reception_page_lights_reception_only_in_the_rendered_menu(make_user, client):
    client.force_login(make_user(Role.OFFICE, username="nav_office"))
    page = client.get("/stations/reception/visits/").content.decode()
    assert page.count('aria-current="page"') == 1
    assert 'href="/stations/reception/" class="active" aria-current="page"' in page
