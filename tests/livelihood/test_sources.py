"""Candidates drawn from a recorded opinion or a deputy's suggestion keep the link, and only for those who see it."""

import pytest
from django.core.exceptions import ValidationError

from liaison.services.opinions import opinion_create
from livelihood.models import ProposerKind
from livelihood.services.candidates import candidate_add
from suggestions.services import suggestion_create
from tests.builders import organisation as o


@pytest.fixture
def opinion(street):
    hub = o.hub(address="白沙大道1号")
    return opinion_create(
        actor=street.office,
        station=hub,
        data={"category": "urban_construction", "content": "北街小区雨天积水严重，希望改造排水管网。"},
    )


def test_candidate_from_an_opinion(street, opinion):
    cycle = street.cycle(candidates=0)
    candidate = candidate_add(
        cycle=cycle, actor=street.office, title="", description="", source_opinion=opinion, responsible_unit=street.unit
    )
    assert candidate.proposer_kind == ProposerKind.OPINION
    assert candidate.source_opinion == opinion
    assert candidate.description == opinion.content and candidate.title == opinion.content[:30]
    assert list(opinion.livelihood_candidates.all()) == [candidate]


def test_an_opinion_the_user_cannot_see_is_refused(street, opinion):
    (deputy_user,) = street.add_deputies(1)
    cycle = street.cycle(candidates=0)
    with pytest.raises(ValidationError) as error:
        candidate_add(cycle=cycle, actor=deputy_user, title="x", description="y", source_opinion=opinion)
    assert "source_opinion" in error.value.message_dict
    with pytest.raises(ValidationError):
        candidate_add(cycle=cycle, actor=street.other_officer, title="x", description="y", source_opinion=opinion)
    assert cycle.candidates.count() == 0


def test_candidate_from_the_deputys_own_suggestion(street):
    owner, colleague = street.add_deputies(2)
    suggestion = suggestion_create(actor=owner, title="加装电梯", content="老旧小区加装电梯需要补贴。")
    cycle = street.cycle(candidates=0)
    candidate = candidate_add(cycle=cycle, actor=owner, title="", description="", source_suggestion=suggestion)
    assert (candidate.proposer_kind, candidate.proposer_deputy, candidate.title) == (
        ProposerKind.SUGGESTION,
        owner.deputy,
        "加装电梯",
    )
    # A colleague cannot see the draft, so cannot draw on it.
    with pytest.raises(ValidationError):
        candidate_add(cycle=cycle, actor=colleague, title="", description="", source_suggestion=suggestion)
    assert cycle.candidates.count() == 1


def test_the_page_takes_an_opinion_number(street, opinion, client):
    cycle = street.cycle(candidates=0)
    client.force_login(street.office)
    url = f"/livelihood/cycles/{cycle.pk}/candidates/new/"
    response = client.post(
        url, {"title": "北街排水改造", "description": "", "proposer_kind": "opinion", "source_opinion": opinion.pk + 99}
    )
    assert response.status_code == 200 and response.context["form"].errors["source_opinion"]
    response = client.post(
        url, {"title": "北街排水改造", "description": "", "proposer_kind": "opinion", "source_opinion": opinion.pk}
    )
    assert response.status_code == 302
    assert cycle.candidates.get().source_opinion == opinion
