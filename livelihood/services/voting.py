"""票决: opening the vote, attendance, online and paper ballots, the count and a tie at the cut-off."""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionRefused, PermissionRefused
from core.roles import Role
from deputies.models import Deputy
from deputies.selectors import deputies_visible_to
from livelihood import rules
from livelihood.models import (
    Attendance,
    Ballot,
    BallotChannel,
    BallotChoice,
    Candidate,
    Choice,
    VoteResult,
    VotingSession,
    YearCycle,
)
from livelihood.services.common import advance, check_stage, lock_cycle, record_event, require_office


def _active_deputies(deputies: Iterable[Deputy]) -> list[Deputy]:
    ids = {d.pk for d in deputies}
    found = list(Deputy.objects.filter(pk__in=ids, is_active=True))
    if len(found) != len(ids):
        raise ValidationError({"present": _("Attendance may only list active deputies.")})
    return found


@transaction.atomic
def vote_open(*, cycle: YearCycle, present: Iterable[Deputy], actor) -> VotingSession:
    """Open the vote with the deputies present; refused without 差额 (more candidates than places)."""
    require_office(actor)
    cycle = lock_cycle(cycle)
    check_stage(cycle, "vote_open")
    shortlisted = cycle.candidates.filter(shortlisted=True).count()
    if shortlisted <= cycle.places:
        raise ActionRefused(
            _(
                "The vote cannot open: the shortlist has %(count)s candidates for %(places)s places, and a vote "
                "needs more candidates than places (差额)."
            )
            % {"count": shortlisted, "places": cycle.places},
            code="no_margin",
        )
    deputies = _active_deputies(present)
    if not deputies:
        raise ValidationError({"present": _("Record the deputies present before opening the vote.")})
    session = VotingSession.objects.create(cycle=cycle, opened_at=clock.now(), opened_by=actor)
    Attendance.objects.bulk_create([Attendance(session=session, deputy=d) for d in deputies])
    advance(cycle, "vote_open", actor=actor, shortlisted=shortlisted, present=len(deputies))
    return session


def _lock_open_session(session: VotingSession, action: str) -> VotingSession:
    session = VotingSession.objects.select_for_update().select_related("cycle").get(pk=session.pk)
    check_stage(session.cycle, action)
    if not session.is_open:
        raise ActionRefused(_("The vote is closed; ballots can no longer be cast or changed."), code="session_closed")
    return session


@transaction.atomic
def attendance_add(*, session: VotingSession, deputies: Iterable[Deputy], actor) -> int:
    """Record late arrivals as present while the vote is open; returns how many were added."""
    require_office(actor)
    session = _lock_open_session(session, "attendance_add")
    already = set(session.attendance.values_list("deputy_id", flat=True))
    new = [d for d in _active_deputies(deputies) if d.pk not in already]
    Attendance.objects.bulk_create([Attendance(session=session, deputy=d) for d in new])
    if new:
        record_event(session.cycle, "attendance_add", actor=actor, deputies=[d.pk for d in new])
    return len(new)


@dataclass(frozen=True)
class PaperBallot:
    deputy: Deputy
    choices: Mapping[int, str]  # candidate id → Choice value


def _ballot_problems(
    *, deputy: Deputy, choices: Mapping, shortlist_ids: set[int], present_ids: set[int], voted_ids: set[int]
) -> list[str]:
    """Why this ballot cannot be counted (empty when it can)."""
    if deputy.pk not in present_ids:
        return [_("%(deputy)s is not recorded as present and cannot vote.") % {"deputy": deputy}]
    if deputy.pk in voted_ids:
        return [_("%(deputy)s has already voted; a ballot cannot be cast twice.") % {"deputy": deputy}]
    problems = []
    given = {int(k) for k in choices}
    if given - shortlist_ids:
        problems.append(_("The ballot names candidates that are not on the shortlist."))
    if shortlist_ids - given:
        problems.append(_("The ballot must give a choice for every candidate on the shortlist."))
    if any(value not in Choice.values for value in choices.values()):
        problems.append(_("Each choice must be for, against or abstain."))
    return problems


def _write_ballot(*, session, deputy, choices, channel, actor) -> Ballot:
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(session=session, deputy=deputy, channel=channel, entered_by=actor)
    except IntegrityError:
        raise ActionRefused(
            _("%(deputy)s has already voted; a ballot cannot be cast twice.") % {"deputy": deputy}, code="voted"
        ) from None
    BallotChoice.objects.bulk_create(
        [BallotChoice(ballot=ballot, candidate_id=int(cid), choice=value) for cid, value in choices.items()]
    )
    return ballot


def _vote_context(session: VotingSession) -> tuple[set[int], set[int], set[int]]:
    shortlist = set(session.cycle.candidates.filter(shortlisted=True).values_list("pk", flat=True))
    present = set(session.attendance.values_list("deputy_id", flat=True))
    voted = set(session.ballots.values_list("deputy_id", flat=True))
    return shortlist, present, voted


@transaction.atomic
def ballot_cast(*, session: VotingSession, deputy: Deputy, choices: Mapping[int, str], actor) -> Ballot:
    """A present deputy casts their one ballot online: a choice for every shortlisted candidate.

    The session row is locked, so a ballot cannot slip in after the vote closes and a
    second ballot from the same deputy is refused (the unique constraint backs this up).
    """
    if not (actor is not None and actor.has_role(Role.DEPUTY) and actor.deputy_id == deputy.pk):
        raise PermissionRefused(_("Only the deputy themselves can cast their ballot online."))
    session = _lock_open_session(session, "ballot_cast")
    shortlist, present, voted = _vote_context(session)
    problems = _ballot_problems(
        deputy=deputy, choices=choices, shortlist_ids=shortlist, present_ids=present, voted_ids=voted
    )
    if problems:
        if deputy.pk not in present or deputy.pk in voted:
            raise ActionRefused(problems[0], code="not_present" if deputy.pk not in present else "voted")
        raise ValidationError({"choices": problems})
    return _write_ballot(session=session, deputy=deputy, choices=choices, channel=BallotChannel.ONLINE, actor=actor)


@transaction.atomic
def paper_ballots_enter(*, session: VotingSession, ballots: list[PaperBallot], actor) -> list[Ballot]:
    """Staff enter a batch of paper ballots: all of them are counted, or none is.

    Every ballot is checked before anything is written; the refusal lists each
    problem with the ballot's position in the batch.
    """
    if not (actor is not None and actor.has_role(Role.OFFICE, Role.ADMIN, Role.STATION_STAFF)):
        raise PermissionRefused(_("Only staff can enter paper ballots."))
    session = _lock_open_session(session, "paper_ballots_enter")
    if not ballots:
        raise ValidationError({"ballots": _("Enter at least one ballot.")})
    if not actor.sees_everything:
        # Station staff enter the ballots of the deputies of their stations only.
        ids = {b.deputy.pk for b in ballots}
        theirs = set(deputies_visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))
        strangers = sorted({b.deputy.name for b in ballots if b.deputy.pk not in theirs})
        if strangers:
            raise PermissionRefused(
                _("You can enter paper ballots only for deputies of your stations: %(names)s")
                % {"names": "、".join(strangers)},
                code="deputy_not_of_station",
            )
    shortlist, present, voted = _vote_context(session)
    problems = []
    seen = Counter(b.deputy.pk for b in ballots)
    for position, paper in enumerate(ballots, start=1):
        row = _ballot_problems(
            deputy=paper.deputy, choices=paper.choices, shortlist_ids=shortlist, present_ids=present, voted_ids=voted
        )
        if not row and seen[paper.deputy.pk] > 1:
            row = [_("%(deputy)s appears more than once in this batch.") % {"deputy": paper.deputy}]
        problems += [_("Ballot %(n)s: %(problem)s") % {"n": position, "problem": p} for p in row]
    if problems:
        raise ActionRefused(
            _("No ballot was entered, because: %(problems)s") % {"problems": " ".join(problems)},
            code="paper_ballots_refused",
        )
    written = [
        _write_ballot(session=session, deputy=p.deputy, choices=p.choices, channel=BallotChannel.PAPER, actor=actor)
        for p in ballots
    ]
    record_event(session.cycle, "paper_ballots_enter", actor=actor, count=len(written))
    return written


def tally(session: VotingSession) -> list[rules.Tally]:
    """Counts per shortlisted candidate, from the ballots (one grouped query)."""
    in_session = Q(ballot_choices__ballot__session=session)
    rows = (
        session.cycle.candidates.filter(shortlisted=True)
        .annotate(
            n_for=Count("ballot_choices", filter=in_session & Q(ballot_choices__choice=Choice.FOR)),
            n_against=Count("ballot_choices", filter=in_session & Q(ballot_choices__choice=Choice.AGAINST)),
            n_abstain=Count("ballot_choices", filter=in_session & Q(ballot_choices__choice=Choice.ABSTAIN)),
        )
        .values_list("pk", "n_for", "n_against", "n_abstain")
    )
    return [rules.Tally(pk, f, a, ab) for pk, f, a, ab in rows]


@transaction.atomic
def vote_close(*, session: VotingSession, actor) -> VotingSession:
    """Close the vote, count it and record each candidate's result; a tie at the cut-off waits for a decision."""
    require_office(actor)
    session = _lock_open_session(session, "vote_close")
    cycle = session.cycle
    ballots = session.ballots.count()
    if ballots == 0:
        raise ActionRefused(_("No ballot has been cast yet; the vote cannot close."), code="no_ballots")
    present = session.attendance.count()
    counts = tally(session)
    outcomes = rules.vote_outcomes(counts, present=present, places=cycle.places)
    candidates = {c.pk: c for c in cycle.candidates.filter(shortlisted=True)}
    for row in counts:
        candidate = candidates[row.candidate_id]
        candidate.votes_for, candidate.votes_against, candidate.votes_abstain = (
            row.votes_for,
            row.votes_against,
            row.votes_abstain,
        )
        candidate.result = outcomes[row.candidate_id]
    Candidate.objects.bulk_update(candidates.values(), ["votes_for", "votes_against", "votes_abstain", "result"])
    session.closed_at = clock.now()
    session.closed_by = actor
    session.tie_pending = VoteResult.TIE in outcomes.values()
    session.save(update_fields=["closed_at", "closed_by", "tie_pending"])
    record_event(
        cycle,
        "vote_close",
        actor=actor,
        present=present,
        ballots=ballots,
        selected=sorted(pk for pk, out in outcomes.items() if out == VoteResult.SELECTED),
        tied=sorted(pk for pk, out in outcomes.items() if out == VoteResult.TIE),
    )
    return session


def tie_seats(cycle: YearCycle) -> int:
    """How many of the tied candidates can still be selected."""
    return cycle.places - cycle.candidates.filter(result=VoteResult.SELECTED).count()


@transaction.atomic
def tie_decide(*, session: VotingSession, selected: Iterable[Candidate], note: str, actor) -> VotingSession:
    """Record the office's decision on a tie at the cut-off: which tied candidates take the last places."""
    require_office(actor)
    session = VotingSession.objects.select_for_update().select_related("cycle").get(pk=session.pk)
    cycle = session.cycle
    check_stage(cycle, "tie_decide")
    if session.is_open or not session.tie_pending:
        raise ActionRefused(_("There is no tie waiting for a decision."), code="no_tie")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Record how the tie was decided (e.g. the meeting's resolution).")})
    tied = {c.pk: c for c in cycle.candidates.select_for_update(of=("self",)).filter(result=VoteResult.TIE)}
    chosen = {c.pk for c in selected}
    seats = tie_seats(cycle)
    if not chosen <= set(tied) or len(chosen) != seats:
        raise ValidationError({"selected": _("Choose exactly %(seats)s of the tied candidates.") % {"seats": seats}})
    for pk, candidate in tied.items():
        candidate.result = VoteResult.SELECTED if pk in chosen else VoteResult.NOT_SELECTED
    Candidate.objects.bulk_update(tied.values(), ["result"])
    session.tie_pending = False
    session.tie_decision_note = note
    session.save(update_fields=["tie_pending", "tie_decision_note"])
    record_event(cycle, "tie_decide", actor=actor, note=note, selected=sorted(chosen), tied=sorted(tied))
    return session
