"""A draft never submitted is deleted by its lead deputy (not withdrawn); anything else is refused unchanged."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.errors import ActionRefused, PermissionRefused
from liaison.services.opinions import opinion_create
from suggestions import services
from suggestions.models import Attachment, CoSignature, State, Suggestion, SuggestionEvent
from tests.builders.files import pdf_bytes
from tests.builders.suggestions import drive

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_lead_deputy_deletes_a_draft_with_its_invitations_attachments_and_files(
    world, media, django_capture_on_commit_callbacks
):
    draft = drive(world, State.DRAFT)
    services.suggestion_update(
        suggestion=draft, actor=world.deputy, attachments=[SimpleUploadedFile("材料.pdf", pdf_bytes())]
    )
    stored = media / Attachment.objects.get(suggestion=draft).file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_draft_delete(suggestion=draft, actor=world.deputy)
    assert not Suggestion.objects.filter(pk=draft.pk).exists()
    assert not CoSignature.objects.filter(suggestion_id=draft.pk).exists()
    assert not SuggestionEvent.objects.filter(suggestion_id=draft.pk).exists()
    assert not stored.exists()


@pytest.mark.parametrize("state", [State.SUBMITTED, State.RETURNED, State.WITHDRAWN])
def test_a_suggestion_past_its_draft_is_not_deleted(world, state):
    suggestion = drive(world, state)
    with pytest.raises((ActionRefused, PermissionRefused)):
        services.suggestion_draft_delete(suggestion=suggestion, actor=world.deputy)
    assert Suggestion.objects.get(pk=suggestion.pk).state == state


@pytest.mark.parametrize("who", ["cosigner", "other_deputy", "office", "staff_a"])
def test_only_the_lead_deputy_deletes_a_draft(world, who):
    draft = drive(world, State.DRAFT)
    with pytest.raises(PermissionRefused):
        services.suggestion_draft_delete(suggestion=draft, actor=getattr(world, who))
    assert Suggestion.objects.filter(pk=draft.pk).exists()


def test_a_draft_formed_from_constituents_opinions_is_withdrawn_not_deleted(world):
    source = opinion_create(
        actor=world.staff_a,
        station=world.station_a,
        data={"category": "safety", "content": "小区门口路灯不亮。", "grid": None, "outcome": ""},
    )
    draft = services.suggestion_create_from_opinion(opinion=source, deputy=world.lead_deputy, actor=world.staff_a)
    with pytest.raises(ActionRefused) as refused:
        services.suggestion_draft_delete(suggestion=draft, actor=world.deputy)
    assert refused.value.code == "draft_from_opinions"
    assert Suggestion.objects.filter(pk=draft.pk).exists()


def test_the_detail_page_offers_delete_for_a_draft_and_withdraw_otherwise(world, client):
    draft = drive(world, State.DRAFT)
    submitted = drive(world, State.SUBMITTED, title="已提交的建议")
    client.force_login(world.deputy)
    page = client.get(reverse("suggestions:detail", args=[draft.pk])).content.decode()
    assert 'data-action="delete"' in page and 'data-action="withdraw"' not in page
    page = client.get(reverse("suggestions:detail", args=[submitted.pk])).content.decode()
    assert 'data-action="delete"' not in page and 'data-action="withdraw"' in page
    # A GET does not delete; another deputy's POST is refused; the lead deputy's POST deletes.
    assert client.get(reverse("suggestions:delete", args=[draft.pk])).status_code == 405
    client.force_login(world.cosigner)
    assert client.post(reverse("suggestions:delete", args=[draft.pk])).status_code == 403
    client.force_login(world.deputy)
    response = client.post(reverse("suggestions:delete", args=[draft.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("suggestions:list")
    assert "已删除" in response.content.decode()
    assert not Suggestion.objects.filter(pk=draft.pk).exists()
    # Deleting a submitted one from the page is refused with a message, nothing changed.
    response = client.post(reverse("suggestions:delete", args=[submitted.pk]), follow=True)
    assert "书面撤回" in response.content.decode()
    assert Suggestion.objects.get(pk=submitted.pk).state == State.SUBMITTED


def test_deleting_a_draft_leaves_its_invitations_in_the_inboxes_without_a_dead_link(world, client):
    from notifications.models import Notification

    draft = drive(world, State.DRAFT)
    invitations = Notification.objects.filter(recipient=world.cosigner, url=f"/suggestions/{draft.pk}/")
    assert invitations.exists()
    other = drive(world, State.DRAFT, title="另一份草稿")
    services.suggestion_draft_delete(suggestion=draft, actor=world.deputy)
    kept = Notification.objects.filter(recipient=world.cosigner, target_id=draft.pk, target_type__model="suggestion")
    assert kept.exists() and all(n.url == "" and n.read_at is not None for n in kept)
    # Another suggestion's notifications keep their link.
    assert Notification.objects.filter(url=f"/suggestions/{other.pk}/").exists()
    client.force_login(world.cosigner)
    inbox = client.get("/notifications/").content.decode()
    assert f"/suggestions/{draft.pk}/" not in inbox
