"""Implausible dates (before 2000, after 2100) are refused everywhere, with nothing written; suggestion content
has a documented maximum length."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from core.dates import EARLIEST_EVENT_YEAR, IMPLAUSIBLE_DATE, LATEST_EVENT_YEAR, validate_event_date
from duties.models import VoterContact
from duties.services.contacts import voter_contact_record
from livelihood.models import Milestone
from livelihood.services.projects import milestone_add, milestone_complete
from suggestions.models import CONTENT_MAX_LENGTH, Suggestion
from suggestions.services import suggestion_create


@pytest.fixture
def street(livelihood_street):
    return livelihood_street


class TestTheBound:
    @pytest.mark.parametrize("value", [date(1999, 12, 31), date(2101, 1, 1), date(9999, 12, 31), date(226, 3, 2)])
    def test_implausible_dates_are_refused_with_a_code(self, value):
        with pytest.raises(ValidationError) as refused:
            validate_event_date(value)
        assert refused.value.code == IMPLAUSIBLE_DATE

    @pytest.mark.parametrize("value", [date(2000, 1, 1), date(2026, 3, 2), date(2100, 12, 31), None])
    def test_plausible_dates_pass(self, value):
        assert validate_event_date(value) is None

    def test_the_message_is_chinese(self):
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
            validate_event_date(date(1999, 1, 1))
        assert refused.value.messages == [f"请输入{EARLIEST_EVENT_YEAR}年至{LATEST_EVENT_YEAR}年之间的日期。"]


@pytest.mark.django_db
class TestVoterContacts:
    def test_the_service_refuses_and_writes_nothing(self, org, users):
        with pytest.raises(ValidationError) as refused:
            voter_contact_record(
                deputy=org.owner, date=date(1999, 5, 1), way="phone", subject="路灯", actor=users["owner"]
            )
        assert "date" in refused.value.message_dict
        assert not VoterContact.objects.exists()

    def test_the_api_refuses_with_a_machine_readable_code(self, org, users):
        client = APIClient()
        client.force_authenticate(users["owner"])
        response = client.post(
            "/api/v1/voter-contacts/",
            {"deputy": org.owner.pk, "date": "0226-03-02", "way": "phone", "subject": "路灯不亮"},
            format="json",
        )
        assert response.status_code == 400
        assert response.data["date"][0].code == IMPLAUSIBLE_DATE
        assert "2000" in str(response.data["date"][0])
        assert not VoterContact.objects.exists()

    def test_the_page_shows_a_chinese_field_error(self, as_user, org):
        response = as_user("owner").post(
            reverse("liaison:contact_deputy", args=[org.owner.pk]),
            {
                "action": "contact",
                "contact-date": "1999-05-01",
                "contact-way": "phone",
                "contact-subject": "路灯不亮",
                "contact-people": 1,
            },
        )
        assert response.status_code == 200
        assert "请输入2000年至2100年之间的日期。" in response.content.decode()
        assert not VoterContact.objects.exists()


@pytest.mark.django_db
class TestMilestones:
    def test_a_milestone_due_in_9999_is_refused(self, street):
        _cycle, projects = street.implementing()
        with pytest.raises(ValidationError) as refused:
            milestone_add(project=projects[0], title="完成施工", due_date=date(9999, 12, 31), actor=street.office)
        assert refused.value.error_dict["due_date"][0].code == IMPLAUSIBLE_DATE
        assert not Milestone.objects.exists()

    def test_the_api_refuses_a_milestone_due_in_9999(self, street):
        _cycle, projects = street.implementing()
        client = APIClient()
        client.force_authenticate(street.office)
        response = client.post(
            f"/api/v1/livelihood/projects/{projects[0].pk}/milestones/",
            {"title": "完成施工", "due_date": "9999-12-31"},
            format="json",
        )
        assert response.status_code == 400
        assert response.data["due_date"][0].code == IMPLAUSIBLE_DATE
        assert not Milestone.objects.exists()

    def test_completing_on_an_implausible_date_is_refused(self, street):
        _cycle, projects = street.implementing()
        milestone = milestone_add(project=projects[0], title="完成施工", due_date=date(2024, 6, 1), actor=street.office)
        with pytest.raises(ValidationError) as refused:
            milestone_complete(milestone=milestone, actor=street.office, completed_on=date(1990, 1, 1))
        assert "completed_on" in refused.value.message_dict
        milestone.refresh_from_db()
        assert milestone.completed_on is None


@pytest.mark.django_db
class TestSuggestionContentLength:
    def test_the_service_refuses_content_over_the_maximum(self, org, users):
        with pytest.raises(ValidationError) as refused:
            suggestion_create(
                actor=users["owner"], lead_deputy=org.owner, title="关于路灯", content="字" * (CONTENT_MAX_LENGTH + 1)
            )
        assert "content" in refused.value.message_dict
        assert not Suggestion.objects.exists()

    def test_content_of_exactly_the_maximum_is_accepted(self, org, users):
        suggestion = suggestion_create(
            actor=users["owner"], lead_deputy=org.owner, title="关于路灯", content="字" * CONTENT_MAX_LENGTH
        )
        assert len(suggestion.content) == CONTENT_MAX_LENGTH

    def test_the_api_refuses_content_over_the_maximum(self, org, users):
        client = APIClient()
        client.force_authenticate(users["owner"])
        response = client.post(
            "/api/v1/suggestions/",
            {"title": "关于路灯", "content": "字" * (CONTENT_MAX_LENGTH + 1)},
            format="json",
        )
        assert response.status_code == 400
        assert response.data["content"][0].code == "max_length"
        assert not Suggestion.objects.exists()

    def test_the_schema_documents_the_maximum(self, users):
        client = APIClient()
        client.force_authenticate(users["office"])
        schema = client.get("/api/schema/", {"format": "json"}).json()
        content = schema["components"]["schemas"]["SuggestionCreate"]["properties"]["content"]
        assert content["maxLength"] == CONTENT_MAX_LENGTH
        assert "20,000" in content["description"]
