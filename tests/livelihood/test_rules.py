"""The counting rules at their boundaries, without the database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livelihood.rules import Tally, project_verdict, vote_outcomes


def outcomes(present, places, *votes_for):
    tallies = [Tally(i, n) for i, n in enumerate(votes_for, start=1)]
    return [vote_outcomes(tallies, present=present, places=places)[i] for i in range(1, len(votes_for) + 1)]


def test_majority_and_top_n():
    # 7 present: 4 is a majority, 3 is not; 3 places go to the three best of those with a majority.
    assert outcomes(7, 3, 7, 6, 5, 4, 3) == ["selected", "selected", "selected", "not_selected", "not_selected"]


def test_exactly_half_of_present_is_not_a_majority():
    # 4 present: 2 votes for is exactly half, so it is not enough even with places left over.
    assert outcomes(4, 3, 4, 2, 2, 1) == ["selected", "not_selected", "not_selected", "not_selected"]


def test_tie_at_the_cut_off_is_reported_not_broken():
    # 2 places; three candidates share 3 votes (a majority of 5): all three are a tie to decide.
    assert outcomes(5, 2, 3, 3, 3, 2) == ["tie", "tie", "tie", "not_selected"]


def test_tie_below_a_clear_leader():
    # The leader is in; two tie for the one remaining place.
    assert outcomes(5, 2, 5, 4, 4, 1) == ["selected", "tie", "tie", "not_selected"]


def test_tie_that_fits_the_places_is_no_tie():
    assert outcomes(5, 3, 5, 4, 4, 1) == ["selected", "selected", "selected", "not_selected"]


def test_fewer_majorities_than_places_leaves_places_empty():
    assert outcomes(10, 3, 6, 5, 5) == ["selected", "not_selected", "not_selected"]


@given(
    present=st.integers(min_value=1, max_value=30),
    places=st.integers(min_value=1, max_value=6),
    data=st.data(),
)
def test_outcomes_never_exceed_places_nor_pass_a_minority(present, places, data):
    votes = data.draw(st.lists(st.integers(min_value=0, max_value=present), min_size=places + 1, max_size=12))
    result = vote_outcomes([Tally(i, n) for i, n in enumerate(votes)], present=present, places=places)
    selected = [votes[i] for i, out in result.items() if out == "selected"]
    tied = [votes[i] for i, out in result.items() if out == "tie"]
    assert len(selected) <= places
    assert all(2 * n > present for n in selected + tied)
    # Nobody left out has more votes than someone selected or tied.
    left_out = [votes[i] for i, out in result.items() if out == "not_selected" and 2 * votes[i] > present]
    if left_out and (selected or tied):
        assert max(left_out) <= min(selected + tied)
    if tied:
        # A reported tie is genuine: the tied share one count and do not all fit.
        assert len(set(tied)) == 1 and len(selected) + len(tied) > places


@pytest.mark.parametrize(
    ("satisfied", "basically", "unsatisfied", "verdict"),
    [
        (3, 0, 2, "satisfied"),  # 3 of 5: more than half satisfied
        (2, 2, 0, "basically_satisfied"),  # 2 of 4 satisfied is exactly half: not more than half
        (2, 1, 1, "basically_satisfied"),  # …but satisfied + basically is 3 of 4
        (2, 0, 2, "unsatisfied"),  # satisfied + basically exactly half: not more than half
        (1, 1, 2, "unsatisfied"),
        (1, 2, 2, "basically_satisfied"),  # 3 of 5
        (0, 0, 1, "unsatisfied"),
        (1, 0, 0, "satisfied"),
        (0, 0, 0, ""),  # nobody rated it
    ],
)
def test_verdict_boundaries(satisfied, basically, unsatisfied, verdict):
    assert project_verdict(satisfied=satisfied, basically_satisfied=basically, unsatisfied=unsatisfied) == verdict
