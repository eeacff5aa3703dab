"""票决: 差额, attendance, one ballot each, counts matching a hand count, ties and paper ballots."""

import pytest
from django.core.exceptions import ValidationError

from core.errors import ActionRefused, PermissionRefused
from livelihood.models import Ballot, BallotChoice, Candidate, Choice, CycleEvent, Stage, VotingSession
from livelihood.services.candidates import shortlist_set, shortlisting_start
from livelihood.services.projects import implementation_start
from livelihood.services.voting import (
    PaperBallot,
    attendance_add,
    ballot_cast,
    paper_ballots_enter,
    tie_decide,
    vote_close,
    vote_open,
)


def test_vote_cannot_open_without_margin(street):
    street.add_deputies(3)
    cycle = street.cycle(places=2, candidates=3)
    shortlisting_start(cycle=cycle, actor=street.office)
    # Only two of the three on the shortlist, for two places: no 差额.
    shortlist_set(cycle=cycle, candidates=cycle.candidates.order_by("id")[:2], actor=street.office)
    with pytest.raises(ActionRefused) as refused:
        vote_open(cycle=cycle, present=[u.deputy for u in street.deputy_users], actor=street.office)
    assert refused.value.code == "no_margin"
    assert "差额" in refused.value.message
    cycle.refresh_from_db()
    assert cycle.stage == Stage.SHORTLISTING
    assert not VotingSession.objects.exists()
    # With the third back on the shortlist the vote opens.
    shortlist_set(cycle=cycle, candidates=cycle.candidates.all(), actor=street.office)
    vote_open(cycle=cycle, present=[u.deputy for u in street.deputy_users], actor=street.office)
    cycle.refresh_from_db()
    assert cycle.stage == Stage.VOTING


def test_deputy_not_present_is_refused(street):
    _cycle, session = street.voting(present=3)
    (absent,) = street.add_deputies(1)
    with pytest.raises(ActionRefused) as refused:
        street.cast(session, absent, "fff")
    assert refused.value.code == "not_present"
    assert not Ballot.objects.filter(deputy=absent.deputy).exists()
    # Recorded as a late arrival, they may vote.
    attendance_add(session=session, deputies=[absent.deputy], actor=street.office)
    street.cast(session, absent, "fff")


def test_voting_twice_is_refused_and_the_first_ballot_stands(street):
    _cycle, session = street.voting(present=3)
    voter = street.deputy_users[0]
    street.cast(session, voter, "ffa")
    with pytest.raises(ActionRefused) as refused:
        street.cast(session, voter, "aaf")
    assert refused.value.code == "voted"
    assert Ballot.objects.filter(deputy=voter.deputy).count() == 1
    assert list(BallotChoice.objects.order_by("candidate_id").values_list("choice", flat=True)) == [
        "for",
        "for",
        "against",
    ]


def test_ballots_cannot_change_after_the_session_closes(street):
    _cycle, session = street.voting(present=3)
    street.cast(session, street.deputy_users[0], "ffa")
    vote_close(session=session, actor=street.office)
    with pytest.raises(ActionRefused) as refused:
        street.cast(session, street.deputy_users[1], "fff")
    assert refused.value.code == "session_closed"
    assert Ballot.objects.count() == 1


def test_a_deputy_votes_only_for_themselves(street):
    _cycle, session = street.voting(present=3)
    me, other = street.deputy_users[:2]
    shortlist = session.cycle.candidates.values_list("id", flat=True)
    with pytest.raises(PermissionRefused):
        ballot_cast(session=session, deputy=other.deputy, choices=dict.fromkeys(shortlist, "for"), actor=me)
    with pytest.raises(PermissionRefused):
        ballot_cast(session=session, deputy=me.deputy, choices=dict.fromkeys(shortlist, "for"), actor=street.office)
    assert not Ballot.objects.exists()


def test_incomplete_or_invalid_ballot_is_bad_input(street):
    _cycle, session = street.voting(present=3)
    voter = street.deputy_users[0]
    ids = list(session.cycle.candidates.order_by("id").values_list("id", flat=True))
    with pytest.raises(ValidationError):
        ballot_cast(session=session, deputy=voter.deputy, choices={ids[0]: "for"}, actor=voter)
    with pytest.raises(ValidationError):
        ballot_cast(session=session, deputy=voter.deputy, choices=dict.fromkeys(ids, "yes"), actor=voter)
    assert not Ballot.objects.exists()


def results(cycle):
    return list(
        Candidate.objects.filter(cycle=cycle)
        .order_by("id")
        .values_list("title", "votes_for", "votes_against", "votes_abstain", "result")
    )


def test_results_match_a_hand_count_with_a_tie_at_the_cut_off(street):
    # Five present, two places, five candidates; four deputies vote and one does not.
    cycle, session = street.voting(present=5, places=2, candidates=5)
    d1, d2, d3, d4, _d5 = street.deputy_users
    street.cast(session, d1, "fffax")
    street.cast(session, d2, "ffafa")
    street.cast(session, d3, "fafaa")
    street.cast(session, d4, "afffx")
    vote_close(session=session, actor=street.office)
    # Hand count, column by column (d1 fffax, d2 ffafa, d3 fafaa, d4 afffx; d5 did not vote).
    # A majority of the 5 present is 3 votes for (2.5 is half):
    #   项目1  f f f a → 3 for, 1 against
    #   项目2  f f a f → 3 for, 1 against
    #   项目3  f a f f → 3 for, 1 against
    #   项目4  a f a f → 2 for, 2 against: no majority
    #   项目5  x a a x → 0 for, 2 against, 2 abstain
    # Three candidates tie at 3 for two places: reported as a tie, none selected silently.
    assert results(cycle) == [
        ("项目1", 3, 1, 0, "tie"),
        ("项目2", 3, 1, 0, "tie"),
        ("项目3", 3, 1, 0, "tie"),
        ("项目4", 2, 2, 0, "not_selected"),
        ("项目5", 0, 2, 2, "not_selected"),
    ]
    session.refresh_from_db()
    assert session.tie_pending
    assert CycleEvent.objects.get(cycle=cycle, action="vote_close").details["present"] == 5

    # Implementation waits for the decision.
    with pytest.raises(ActionRefused) as refused:
        implementation_start(cycle=cycle, actor=street.office)
    assert refused.value.code == "tie_pending"

    tied = list(Candidate.objects.filter(cycle=cycle, result="tie").order_by("id"))
    with pytest.raises(ValidationError):  # two places: choosing one is not a decision
        tie_decide(session=session, selected=tied[:1], note="主任会议决定", actor=street.office)
    with pytest.raises(ValidationError):  # the decision needs its reason on record
        tie_decide(session=session, selected=[tied[0], tied[2]], note=" ", actor=street.office)
    tie_decide(session=session, selected=[tied[0], tied[2]], note="主任会议研究决定", actor=street.office)
    assert [r[4] for r in results(cycle)] == ["selected", "not_selected", "selected", "not_selected", "not_selected"]

    projects = implementation_start(cycle=cycle, actor=street.office)
    assert sorted(p.title for p in projects) == ["项目1", "项目3"]


def test_majority_rule_leaves_places_empty_rather_than_pass_half(street):
    # Four present, three places: 2 votes for is exactly half — not more than half.
    cycle, session = street.voting(present=4, places=3, candidates=4)
    d1, d2, d3, d4 = street.deputy_users
    street.cast(session, d1, "fffa")
    street.cast(session, d2, "ffaa")
    street.cast(session, d3, "fafa")
    street.cast(session, d4, "faaf")
    vote_close(session=session, actor=street.office)
    assert results(cycle) == [
        ("项目1", 4, 0, 0, "selected"),
        ("项目2", 2, 2, 0, "not_selected"),
        ("项目3", 2, 2, 0, "not_selected"),
        ("项目4", 1, 3, 0, "not_selected"),
    ]
    session.refresh_from_db()
    assert not session.tie_pending
    with pytest.raises(ActionRefused):
        tie_decide(session=session, selected=[], note="x", actor=street.office)
    assert len(implementation_start(cycle=cycle, actor=street.office)) == 1


def test_absent_ballots_count_against_the_majority(street):
    # Three present; only one votes: one vote for is not more than half of three.
    cycle, session = street.voting(present=3, places=1, candidates=2)
    street.cast(session, street.deputy_users[0], "fa")
    vote_close(session=session, actor=street.office)
    assert [r[4] for r in results(cycle)] == ["not_selected", "not_selected"]


def test_close_needs_a_ballot_and_the_office(street):
    _cycle, session = street.voting(present=3)
    with pytest.raises(ActionRefused):
        vote_close(session=session, actor=street.office)
    street.cast(session, street.deputy_users[0], "fff")
    with pytest.raises(PermissionRefused):
        vote_close(session=session, actor=street.deputy_users[0])
    session.refresh_from_db()
    assert session.is_open


def paper(session, user, letters):
    letter = {"f": Choice.FOR, "a": Choice.AGAINST, "x": Choice.ABSTAIN}
    ids = list(session.cycle.candidates.filter(shortlisted=True).order_by("id").values_list("id", flat=True))
    return PaperBallot(deputy=user.deputy, choices={cid: letter[c] for cid, c in zip(ids, letters, strict=True)})


def test_paper_ballots_in_bulk(street):
    _cycle, session = street.voting(present=4)
    batch = [paper(session, u, "ffa") for u in street.deputy_users[:3]]
    written = paper_ballots_enter(session=session, ballots=batch, actor=street.office)
    assert len(written) == 3
    assert set(Ballot.objects.values_list("channel", "entered_by")) == {("paper", street.office.pk)}
    assert BallotChoice.objects.count() == 9


def test_paper_ballots_are_all_or_nothing(street):
    _cycle, session = street.voting(present=4)
    d1, d2, d3, d4 = street.deputy_users
    street.cast(session, d4, "fff")  # d4 already voted online
    (absent,) = street.add_deputies(1)
    batch = [
        paper(session, d1, "ffa"),
        paper(session, d2, "ffa"),
        paper(session, absent, "fff"),  # not present
        paper(session, d4, "aaa"),  # already voted
        paper(session, d3, "ffa"),
        paper(session, d3, "aaa"),  # twice in the batch
    ]
    with pytest.raises(ActionRefused) as refused:
        paper_ballots_enter(session=session, ballots=batch, actor=street.office)
    message = refused.value.message
    assert refused.value.code == "paper_ballots_refused"
    # Every problem is listed with its position in the batch.
    for fragment in ("3", "4", "5", "6", absent.deputy.name, d4.deputy.name, d3.deputy.name):
        assert fragment in message
    # Nothing from the batch was written: only d4's online ballot exists.
    assert list(Ballot.objects.values_list("deputy", flat=True)) == [d4.deputy.pk]
    assert not CycleEvent.objects.filter(action="paper_ballots_enter").exists()


def test_paper_ballots_only_by_staff(street):
    _cycle, session = street.voting(present=3)
    voter = street.deputy_users[0]
    with pytest.raises(PermissionRefused):
        paper_ballots_enter(session=session, ballots=[paper(session, voter, "fff")], actor=voter)
    with pytest.raises(PermissionRefused):
        paper_ballots_enter(session=session, ballots=[paper(session, voter, "fff")], actor=street.unit_officer)
    assert not Ballot.objects.exists()
