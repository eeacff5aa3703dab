"""The counting rules of 票决 and 测评, as pure functions (no database).

Kept apart from the services so that the rules the law states can be read, and
tested at their boundaries, on their own.
"""

from dataclasses import dataclass

from livelihood.models import Rating, VoteResult


@dataclass(frozen=True)
class Tally:
    candidate_id: int
    votes_for: int
    votes_against: int = 0
    votes_abstain: int = 0


def vote_outcomes(tallies: list[Tally], *, present: int, places: int) -> dict[int, str]:
    """Each candidate's outcome: ``selected``, ``not_selected`` or ``tie``.

    A candidate is selected when more than half of the deputies present voted for it
    (``2 × for > present``) and it ranks within the ``places`` best by votes for. When
    candidates share the vote count at the cut-off and not all of them fit, every one
    of them is reported as ``tie`` for the office to decide; none is dropped silently.
    """
    outcomes = {tally.candidate_id: VoteResult.NOT_SELECTED.value for tally in tallies}
    eligible = sorted((t for t in tallies if 2 * t.votes_for > present), key=lambda t: -t.votes_for)
    if len(eligible) <= places:
        for tally in eligible:
            outcomes[tally.candidate_id] = VoteResult.SELECTED.value
        return outcomes
    cutoff = eligible[places - 1].votes_for
    above = [t for t in eligible if t.votes_for > cutoff]
    at_cutoff = [t for t in eligible if t.votes_for == cutoff]
    for tally in above:
        outcomes[tally.candidate_id] = VoteResult.SELECTED.value
    tied_outcome = VoteResult.SELECTED if len(above) + len(at_cutoff) <= places else VoteResult.TIE
    for tally in at_cutoff:
        outcomes[tally.candidate_id] = tied_outcome.value
    return outcomes


def project_verdict(*, satisfied: int, basically_satisfied: int, unsatisfied: int) -> str:
    """The project's verdict from its ratings; ``""`` when nobody rated it.

    More than half 满意 → 满意; otherwise 满意 + 基本满意 more than half → 基本满意;
    otherwise 不满意. Exactly half is not more than half.
    """
    total = satisfied + basically_satisfied + unsatisfied
    if total == 0:
        return ""
    if 2 * satisfied > total:
        return Rating.SATISFIED.value
    if 2 * (satisfied + basically_satisfied) > total:
        return Rating.BASICALLY_SATISFIED.value
    return Rating.UNSATISFIED.value
