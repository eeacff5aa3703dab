from organisation.models import HandlingUnit
from suggestions.models import State
from tests.builders.suggestions import drive


def test_admin_manages_units_through_the_service_and_shows_suggestions_read_only(world, client):
    suggestion = drive(world, State.REPLIED)
    client.force_login(world.admin)
    response = client.post(
        "/admin/organisation/handlingunit/add/",
        {"name": "蓬江区教育局", "kind": "department", "contact_person": "李老师", "phone": "0750-1234567"},
    )
    assert response.status_code == 302, response.content[:2000]
    unit = HandlingUnit.objects.get(name="蓬江区教育局")
    response = client.post(
        f"/admin/organisation/handlingunit/{unit.pk}/change/",
        {"name": "蓬江区教育局", "kind": "department", "contact_person": "王老师", "phone": "", "is_active": ""},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.contact_person == "王老师" and not unit.is_active
    assert client.get("/admin/suggestions/suggestion/").status_code == 200
    page = client.get(f"/admin/suggestions/suggestion/{suggestion.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # nothing to save: view only
    before = suggestion.state
    client.post(f"/admin/suggestions/suggestion/{suggestion.pk}/change/", {"state": "closed"})
    suggestion.refresh_from_db()
    assert suggestion.state == before
