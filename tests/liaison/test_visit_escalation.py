"""形成意见建议 as an outcome of the visit form: the visit, its opinions and the deputy's draft are saved
together, or nothing is."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.errors import PermissionRefused
from deputies.services import deputy_update
from liaison.models import Opinion, OpinionEvent, Visit
from liaison.services.reception import visit_record
from suggestions.models import State, Suggestion
from tests.liaison import reception_support

pytestmark = pytest.mark.django_db
street = reception_support.street


def _post(street, **extra):
    data = {
        "station": street.a.pk,
        "date": timezone.localdate().isoformat(),
        "channel": "at_station",
        "headcount": "2",
        "deputies": [street.owner.pk],
        "grid": "",
        "note": "",
        "c-TOTAL_FORMS": "0",
        "c-INITIAL_FORMS": "0",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "50",
        "o-TOTAL_FORMS": "2",
        "o-INITIAL_FORMS": "0",
        "o-MIN_NUM_FORMS": "0",
        "o-MAX_NUM_FORMS": "50",
        "o-0-category": "traffic",
        "o-0-content": "学校门口缺少人行横道\n上下学时段车流量大",
        "o-0-outcome": "escalated",
        "o-0-escalate_to": street.owner.pk,
        "o-1-category": "environment",
        "o-1-content": "河道有异味",
        "o-1-outcome": "",
    }
    data.update(extra)
    return data


def _nothing_saved():
    assert not Visit.objects.exists()
    assert not Opinion.objects.exists()
    assert not OpinionEvent.objects.exists()
    assert not Suggestion.objects.exists()


def test_staff_escalate_from_the_visit_form_in_one_save(client, street):
    client.force_login(street.staff_a)
    response = client.post(reverse("liaison:visit_new"), _post(street), HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 201, response.content
    visit = Visit.objects.get()
    escalated, waiting = visit.opinions.order_by("id")
    assert escalated.outcome == "escalated" and not waiting.outcome
    suggestion = Suggestion.objects.get()
    assert suggestion.state == State.DRAFT and suggestion.lead_deputy == street.owner
    assert list(suggestion.source_opinions.all()) == [escalated]
    assert suggestion.title == "学校门口缺少人行横道" and suggestion.category == "traffic"
    assert response.json()["visit"]["opinions"][0]["outcome"] == "形成意见建议"


def test_the_form_offers_the_outcome_with_the_deputies_one_may_choose(client, street):
    client.force_login(street.staff_a)
    page = client.get(reverse("liaison:visit_new")).content.decode()
    assert 'value="escalated"' in page and "提出建议的代表" in page
    assert street.owner.name in page and street.outsider.name not in page.split('name="o-0-escalate_to"')[1]
    client.force_login(street.admin)  # administrators do not draft suggestions
    page = client.get(reverse("liaison:visit_new")).content.decode()
    assert 'value="escalated"' not in page and "escalate_to" not in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"o-0-escalate_to": ""}, "o-0-escalate_to", "请选择提出建议的代表。"),
        # A deputy of another station is not among staff A's choices.
        ({"o-0-escalate_to": "OUTSIDER"}, "o-0-escalate_to", "选择一个有效的选项"),
        ({"o-0-outcome": "bogus"}, "o-0-outcome", "选择一个有效的选项"),
        ({"o-1-content": ""}, "o-1-content", ""),
    ],
)
def test_bad_input_gives_chinese_errors_and_saves_nothing(client, street, changes, field, message):
    changes = {k: (street.outsider.pk if v == "OUTSIDER" else v) for k, v in changes.items()}
    client.force_login(street.staff_a)
    response = client.post(reverse("liaison:visit_new"), _post(street, **changes), HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert field in errors and message in errors[field][0], errors
    _nothing_saved()


def test_without_javascript_the_error_is_shown_and_nothing_saved(client, street):
    client.force_login(street.staff_a)
    response = client.post(reverse("liaison:visit_new"), _post(street, **{"o-0-escalate_to": ""}), follow=True)
    assert "请选择提出建议的代表。" in response.content.decode()
    _nothing_saved()


def _record(street, actor, deputy):
    return visit_record(
        actor=actor,
        station=street.a,
        date=timezone.localdate(),
        channel="at_station",
        headcount=1,
        deputies=[street.owner],
        opinions=[
            {"category": "safety", "content": "路灯不亮", "outcome": ""},
            {"category": "traffic", "content": "缺少红绿灯", "outcome": "escalated", "escalate_to": deputy},
        ],
    )


def test_a_refused_escalation_rolls_back_the_visit(street):
    # Staff A may not draft for a deputy of station B: refused after the visit was written, so all rolls back.
    with pytest.raises(ValidationError) as refused:
        _record(street, street.staff_a, street.outsider)
    assert "opinions[1].escalate_to" in refused.value.message_dict
    _nothing_saved()
    deputy_update(deputy=street.owner, is_active=False)
    street.owner.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        _record(street, street.office, street.owner)
    assert "opinions[1].escalate_to" in refused.value.message_dict
    _nothing_saved()


def test_a_deputy_escalates_in_their_own_name_from_their_visit(street):
    visit = _record(street, street.owner_user, street.owner)
    assert Suggestion.objects.get().lead_deputy == street.owner
    assert visit.opinions.filter(outcome="escalated").count() == 1
    with pytest.raises(PermissionRefused):  # a deputy drafts for themselves only
        _record(street, street.owner_user, street.colleague)
    assert Visit.objects.count() == 1 and Suggestion.objects.count() == 1
