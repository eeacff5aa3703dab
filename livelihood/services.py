"""Every change to a livelihood cycle, one function per action.

Each service takes keyword-only arguments, runs in one transaction, locks the row
whose state it changes, checks the action against ``RULES`` (the one table of what
each stage allows), writes a ``CycleEvent`` and either completes or changes nothing:
a refusal raises ``ActionRefused`` (API 409) or ``PermissionRefused`` (API 403) with
a message for the user; bad input raises ``ValidationError`` (API 400).
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core import clock
from core.dates import check_event_date
from core.errors import ActionRefused, PermissionRefused
from core.roles import Role
from core.uploads import clean_image
from deputies.models import Deputy
from deputies.selectors import deputies_visible_to
from liaison.selectors import opinions_visible_to
from livelihood import rules
from livelihood.models import (
    ACTION_LABELS,
    Attendance,
    Ballot,
    BallotChannel,
    BallotChoice,
    Candidate,
    Choice,
    CycleEvent,
    Milestone,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    ProjectRating,
    ProposerKind,
    Rating,
    Stage,
    SubItem,
    SupervisionVisit,
    VoteResult,
    VotingSession,
    YearCycle,
)
from suggestions.selectors import suggestions_visible_to

S = Stage

# The one table of what each stage allows: action → (stages it may run in, stage it moves the cycle to).
RULES: dict[str, tuple[frozenset, str | None]] = {
    "cycle_create": (frozenset(), S.COLLECTING),
    "candidate_add": (frozenset({S.COLLECTING}), None),
    "candidate_update": (frozenset({S.COLLECTING, S.SHORTLISTING}), None),
    "shortlisting_start": (frozenset({S.COLLECTING}), S.SHORTLISTING),
    "shortlist_set": (frozenset({S.SHORTLISTING}), None),
    "vote_open": (frozenset({S.SHORTLISTING}), S.VOTING),
    "attendance_add": (frozenset({S.VOTING}), None),
    "ballot_cast": (frozenset({S.VOTING}), None),
    "paper_ballots_enter": (frozenset({S.VOTING}), None),
    "vote_close": (frozenset({S.VOTING}), None),
    "tie_decide": (frozenset({S.VOTING}), None),
    "implementation_start": (frozenset({S.VOTING}), S.IMPLEMENTING),
    "sub_item_add": (frozenset({S.IMPLEMENTING, S.SUPERVISING}), None),
    "milestone_add": (frozenset({S.IMPLEMENTING, S.SUPERVISING}), None),
    "milestone_complete": (frozenset({S.IMPLEMENTING, S.SUPERVISING, S.EVALUATING}), None),
    "progress_record": (frozenset({S.IMPLEMENTING, S.SUPERVISING, S.EVALUATING}), None),
    "supervision_start": (frozenset({S.IMPLEMENTING}), S.SUPERVISING),
    "visit_record": (frozenset({S.IMPLEMENTING, S.SUPERVISING}), None),
    "evaluation_start": (frozenset({S.SUPERVISING}), S.EVALUATING),
    "rating_record": (frozenset({S.EVALUATING}), None),
    "publish": (frozenset({S.EVALUATING}), S.PUBLISHED),
}


MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024


# --- helpers ---------------------------------------------------------------------------------


def _check_stage(cycle: YearCycle, action: str) -> str | None:
    """Refuse ``action`` unless the cycle's stage allows it; return the stage it moves to."""
    allowed, to_stage = RULES[action]
    if cycle.stage not in allowed:
        allowed_labels = "、".join(f"“{Stage(s).label}”" for s in Stage.values if s in allowed)
        raise ActionRefused(
            _(
                "The cycle is at the “%(stage)s” stage, so you cannot %(action)s now; "
                "that is only possible at the %(allowed)s stage."
            )
            % {"stage": Stage(cycle.stage).label, "action": ACTION_LABELS[action], "allowed": allowed_labels},
            code="wrong_stage",
        )
    return to_stage


def _lock_cycle(cycle: YearCycle) -> YearCycle:
    return YearCycle.objects.select_for_update().get(pk=cycle.pk)


def _record(cycle, action, *, actor, from_stage=None, to_stage=None, candidate=None, project=None, note="", **details):
    return CycleEvent.objects.create(
        cycle=cycle,
        action=action,
        from_stage=from_stage or cycle.stage,
        to_stage=to_stage or from_stage or cycle.stage,
        actor=actor if actor is not None and actor.is_authenticated else None,
        candidate=candidate,
        project=project,
        note=note,
        details=details,
    )


def _is_office(actor) -> bool:
    return actor is not None and actor.has_role(Role.OFFICE, Role.ADMIN)


def _require_office(actor) -> None:
    if not _is_office(actor):
        raise PermissionRefused(_("Only the congress office can do this."))


def _require_unit_or_office(actor, project: Project) -> None:
    if _is_office(actor):
        return
    if actor is not None and actor.has_role(Role.UNIT_OFFICER) and actor.unit_id == project.responsible_unit_id:
        return
    raise PermissionRefused(_("Only the project's responsible unit or the congress office can do this."))


def _require_deputy_self_or_office(actor, deputy: Deputy) -> None:
    if _is_office(actor):
        return
    if actor is not None and actor.has_role(Role.DEPUTY) and actor.deputy_id == deputy.pk:
        return
    raise PermissionRefused(_("A deputy can only act for themselves."))


def _advance(cycle: YearCycle, action: str, *, actor, note: str = "", **details) -> YearCycle:
    """Move a locked cycle along the table and record it."""
    to_stage = _check_stage(cycle, action)
    from_stage = cycle.stage
    cycle.stage = to_stage
    cycle.save(update_fields=["stage", "updated_at"])
    _record(cycle, action, actor=actor, from_stage=from_stage, to_stage=to_stage, note=note, **details)
    return cycle


# --- 征集 the cycle and its candidate pool -------------------------------------------------------


@transaction.atomic
def cycle_create(*, year: int, places: int, actor, title: str = "") -> YearCycle:
    """Start a year's cycle at 征集 (collecting)."""
    _require_office(actor)
    if YearCycle.objects.filter(year=year).exists():
        raise ValidationError({"year": _("There is already a cycle for %(year)s.") % {"year": year}})
    cycle = YearCycle(year=year, places=places, title=title.strip(), stage=Stage.COLLECTING)
    cycle.full_clean()
    cycle.save()
    _record(cycle, "cycle_create", actor=actor, places=places)
    return cycle


@transaction.atomic
def candidate_add(
    *,
    cycle: YearCycle,
    actor,
    title: str = "",
    description: str = "",
    proposer_kind: str = "",
    proposer_name: str = "",
    proposer_phone: str = "",
    proposer_deputy: Deputy | None = None,
    estimated_budget=None,
    responsible_unit=None,
    source_opinion=None,
    source_suggestion=None,
) -> Candidate:
    """Add a proposal to the pool while the cycle is collecting.

    Who proposes decides what is recorded: a deputy proposes as themselves, a unit
    officer for their department, staff and the office enter any kind of proposal;
    ``actor=None`` is a constituent using the public form. A proposal drawn from a
    recorded opinion or a suggestion links it (the actor must be able to see it) and
    takes its kind, and by default its text, from it.
    """
    cycle = _lock_cycle(cycle)
    _check_stage(cycle, "candidate_add")
    if actor is not None and not actor.has_role(
        Role.OFFICE, Role.ADMIN, Role.STATION_STAFF, Role.DEPUTY, Role.UNIT_OFFICER
    ):
        raise PermissionRefused(_("You may not add candidates."))
    if actor is None:
        proposer_kind, proposer_deputy = ProposerKind.CONSTITUENT, None
    elif actor.has_role(Role.DEPUTY):
        proposer_kind, proposer_deputy, proposer_name, proposer_phone = ProposerKind.DEPUTY, actor.deputy, "", ""
    elif actor.has_role(Role.UNIT_OFFICER):
        if actor.unit_id is None or (responsible_unit is not None and responsible_unit.pk != actor.unit_id):
            raise PermissionRefused(_("A unit officer can propose candidates for their own unit only."))
        proposer_kind, proposer_deputy, proposer_phone = ProposerKind.DEPARTMENT, None, ""
        proposer_name = proposer_name or str(actor.unit)
        responsible_unit = responsible_unit or actor.unit
    if source_opinion is not None or source_suggestion is not None:
        title, description, proposer_kind, proposer_deputy = _from_source(
            actor=actor, opinion=source_opinion, suggestion=source_suggestion, title=title, description=description
        )
        proposer_name = proposer_phone = ""
    if proposer_kind not in ProposerKind.values:
        raise ValidationError({"proposer_kind": _("Choose who proposed it.")})
    if proposer_kind != ProposerKind.DEPUTY and not (source_opinion or source_suggestion):
        proposer_deputy = None
    candidate = Candidate(
        cycle=cycle,
        title=(title or "").strip(),
        description=(description or "").strip(),
        proposer_kind=proposer_kind,
        proposer_name=(proposer_name or "").strip(),
        proposer_phone=(proposer_phone or "").strip(),
        proposer_deputy=proposer_deputy,
        estimated_budget=estimated_budget,
        responsible_unit=responsible_unit,
        source_opinion=source_opinion,
        source_suggestion=source_suggestion,
        created_by=actor,
    )
    candidate.full_clean()
    candidate.save()
    _record(cycle, "candidate_add", actor=actor, candidate=candidate, proposer_kind=proposer_kind)
    return candidate


def _from_source(*, actor, opinion, suggestion, title: str, description: str):
    """Kind, text and proposing deputy of a candidate drawn from an opinion or a suggestion.

    The actor must be able to see the source through its app's own selector; the source's
    personal details (a constituent's name and phone) are not copied.
    """
    if actor is None:
        raise PermissionRefused(_("Only signed-in users can draw a candidate from an opinion or a suggestion."))
    if opinion is not None and suggestion is not None:
        raise ValidationError(_("A candidate comes from one opinion or one suggestion, not both."))
    if opinion is not None:
        if not opinions_visible_to(actor).filter(pk=opinion.pk).exists():
            raise ValidationError({"source_opinion": _("You cannot see this opinion.")})
        text = (description or "").strip() or opinion.content
        return (title or "").strip() or text[:30], text, ProposerKind.OPINION, opinion.deputy
    if not suggestions_visible_to(actor).filter(pk=suggestion.pk).exists():
        raise ValidationError({"source_suggestion": _("You cannot see this suggestion.")})
    return (
        (title or "").strip() or suggestion.title,
        (description or "").strip() or suggestion.content,
        ProposerKind.SUGGESTION,
        suggestion.lead_deputy,
    )


CANDIDATE_EDITABLE = ("title", "description", "estimated_budget", "responsible_unit")


@transaction.atomic
def candidate_update(*, candidate: Candidate, actor, **changes) -> Candidate:
    """The office edits a candidate's name, description, budget or unit before the vote."""
    _require_office(actor)
    unknown = set(changes) - set(CANDIDATE_EDITABLE)
    if unknown:
        raise ValidationError({field: _("This field cannot be changed.") for field in sorted(unknown)})
    cycle = _lock_cycle(candidate.cycle)
    _check_stage(cycle, "candidate_update")
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    for field, value in changes.items():
        setattr(candidate, field, value.strip() if isinstance(value, str) else value)
    if candidate.shortlisted and candidate.responsible_unit_id is None:
        raise ValidationError({"responsible_unit": _("A shortlisted candidate needs a responsible unit.")})
    candidate.full_clean()
    candidate.save()
    _record(cycle, "candidate_update", actor=actor, candidate=candidate, fields=sorted(changes))
    return candidate


# --- 初定 the shortlist --------------------------------------------------------------------------


@transaction.atomic
def shortlisting_start(*, cycle: YearCycle, actor) -> YearCycle:
    """Close the pool and start screening it; the pool must already exceed the places."""
    _require_office(actor)
    cycle = _lock_cycle(cycle)
    _check_stage(cycle, "shortlisting_start")
    pool = cycle.candidates.count()
    if pool <= cycle.places:
        raise ActionRefused(
            _(
                "The pool has %(pool)s candidates for %(places)s places; the shortlist must have more "
                "candidates than places (差额), so collect more first."
            )
            % {"pool": pool, "places": cycle.places},
            code="pool_too_small",
        )
    return _advance(cycle, "shortlisting_start", actor=actor, pool=pool)


@transaction.atomic
def shortlist_set(*, cycle: YearCycle, candidates: Iterable[Candidate], actor) -> list[Candidate]:
    """Make exactly ``candidates`` the shortlist; each needs a responsible unit."""
    _require_office(actor)
    cycle = _lock_cycle(cycle)
    _check_stage(cycle, "shortlist_set")
    chosen_ids = {c.pk for c in candidates}
    pool = list(cycle.candidates.select_related("responsible_unit").select_for_update(of=("self",)))
    foreign = chosen_ids - {c.pk for c in pool}
    if foreign:
        raise ValidationError({"candidates": _("Some candidates are not in this cycle's pool.")})
    missing_unit = [c.title for c in pool if c.pk in chosen_ids and c.responsible_unit_id is None]
    if missing_unit:
        raise ValidationError(
            {
                "candidates": _("Give these candidates a responsible unit before shortlisting them: %(names)s")
                % {"names": "、".join(missing_unit)}
            }
        )
    changed = []
    for candidate in pool:
        wanted = candidate.pk in chosen_ids
        if candidate.shortlisted != wanted:
            candidate.shortlisted = wanted
            changed.append(candidate)
    Candidate.objects.bulk_update(changed, ["shortlisted"])
    _record(cycle, "shortlist_set", actor=actor, shortlist=sorted(chosen_ids))
    return [c for c in pool if c.shortlisted]


def candidate_shortlist(*, candidate: Candidate, shortlisted: bool, actor) -> Candidate:
    """Add one candidate to, or take it off, the shortlist."""
    with transaction.atomic():
        current = set(
            Candidate.objects.filter(cycle_id=candidate.cycle_id, shortlisted=True).values_list("pk", flat=True)
        )
        if shortlisted:
            current.add(candidate.pk)
        else:
            current.discard(candidate.pk)
        shortlist_set(cycle=candidate.cycle, candidates=Candidate.objects.filter(pk__in=current), actor=actor)
    candidate.refresh_from_db()
    return candidate


# --- 票决 the vote ------------------------------------------------------------------------------


def _active_deputies(deputies: Iterable[Deputy]) -> list[Deputy]:
    ids = {d.pk for d in deputies}
    found = list(Deputy.objects.filter(pk__in=ids, is_active=True))
    if len(found) != len(ids):
        raise ValidationError({"present": _("Attendance may only list active deputies.")})
    return found


@transaction.atomic
def vote_open(*, cycle: YearCycle, present: Iterable[Deputy], actor) -> VotingSession:
    """Open the vote with the deputies present; refused without 差额 (more candidates than places)."""
    _require_office(actor)
    cycle = _lock_cycle(cycle)
    _check_stage(cycle, "vote_open")
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
    _advance(cycle, "vote_open", actor=actor, shortlisted=shortlisted, present=len(deputies))
    return session


def _lock_open_session(session: VotingSession, action: str) -> VotingSession:
    session = VotingSession.objects.select_for_update().select_related("cycle").get(pk=session.pk)
    _check_stage(session.cycle, action)
    if not session.is_open:
        raise ActionRefused(_("The vote is closed; ballots can no longer be cast or changed."), code="session_closed")
    return session


@transaction.atomic
def attendance_add(*, session: VotingSession, deputies: Iterable[Deputy], actor) -> int:
    """Record late arrivals as present while the vote is open; returns how many were added."""
    _require_office(actor)
    session = _lock_open_session(session, "attendance_add")
    already = set(session.attendance.values_list("deputy_id", flat=True))
    new = [d for d in _active_deputies(deputies) if d.pk not in already]
    Attendance.objects.bulk_create([Attendance(session=session, deputy=d) for d in new])
    if new:
        _record(session.cycle, "attendance_add", actor=actor, deputies=[d.pk for d in new])
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
    _record(session.cycle, "paper_ballots_enter", actor=actor, count=len(written))
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
    _require_office(actor)
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
    _record(
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
    _require_office(actor)
    session = VotingSession.objects.select_for_update().select_related("cycle").get(pk=session.pk)
    cycle = session.cycle
    _check_stage(cycle, "tie_decide")
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
    _record(cycle, "tie_decide", actor=actor, note=note, selected=sorted(chosen), tied=sorted(tied))
    return session


# --- 实施 implementation ---------------------------------------------------------------------------


@transaction.atomic
def implementation_start(*, cycle: YearCycle, actor) -> list[Project]:
    """Turn the selected candidates into projects; needs a closed vote with no tie pending."""
    _require_office(actor)
    cycle = _lock_cycle(cycle)
    _check_stage(cycle, "implementation_start")
    session = VotingSession.objects.filter(cycle=cycle).first()
    if session is None or session.is_open:
        raise ActionRefused(_("Close the vote before starting implementation."), code="vote_open")
    if session.tie_pending:
        raise ActionRefused(
            _("The vote ended in a tie at the cut-off; record the decision before starting implementation."),
            code="tie_pending",
        )
    selected = list(cycle.candidates.filter(result=VoteResult.SELECTED).order_by("-votes_for", "id"))
    projects = Project.objects.bulk_create(
        [
            Project(
                cycle=cycle,
                candidate=c,
                title=c.title,
                description=c.description,
                responsible_unit_id=c.responsible_unit_id,
                budget=c.estimated_budget,
            )
            for c in selected
        ]
    )
    _advance(cycle, "implementation_start", actor=actor, projects=len(projects))
    return list(Project.objects.filter(cycle=cycle))


def _lock_project_cycle(project: Project, action: str) -> Project:
    project = Project.objects.select_related("cycle", "responsible_unit").get(pk=project.pk)
    project.cycle = _lock_cycle(project.cycle)
    _check_stage(project.cycle, action)
    return project


@transaction.atomic
def sub_item_add(*, project: Project, title: str, actor, budget=None) -> SubItem:
    _require_unit_or_office(actor, project)
    project = _lock_project_cycle(project, "sub_item_add")
    item = SubItem(project=project, title=(title or "").strip(), budget=budget)
    item.full_clean()
    item.save()
    _record(project.cycle, "sub_item_add", actor=actor, project=project, sub_item=item.pk)
    return item


@transaction.atomic
def milestone_add(*, project: Project, title: str, due_date: date, actor) -> Milestone:
    _require_unit_or_office(actor, project)
    project = _lock_project_cycle(project, "milestone_add")
    milestone = Milestone(project=project, title=(title or "").strip(), due_date=due_date)
    milestone.full_clean()
    milestone.save()
    _record(project.cycle, "milestone_add", actor=actor, project=project, milestone=milestone.pk)
    return milestone


@transaction.atomic
def milestone_complete(*, milestone: Milestone, actor, completed_on: date | None = None) -> Milestone:
    _require_unit_or_office(actor, milestone.project)
    project = _lock_project_cycle(milestone.project, "milestone_complete")
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.completed_on is not None:
        raise ActionRefused(_("This milestone is already completed."), code="already_completed")
    completed_on = completed_on or clock.today()
    check_event_date(completed_on, "completed_on")
    if completed_on > clock.today():
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    milestone.completed_on = completed_on
    milestone.save(update_fields=["completed_on"])
    _record(project.cycle, "milestone_complete", actor=actor, project=project, milestone=milestone.pk)
    return milestone


def _clean_photos(photos) -> list:
    """Verified, re-encoded copies of the photos under generated names (``core.uploads``)."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)s photos per update.") % {"n": MAX_PHOTOS}})
    return [
        clean_image(
            photo,
            field="photos",
            max_bytes=MAX_PHOTO_BYTES,
            invalid_message=_("Only image files (JPEG, PNG…) can be attached."),
            too_big_message=_("Each photo must be smaller than 5 MB."),
        )
        for photo in photos
    ]


@transaction.atomic
def progress_record(
    *, project: Project, percent: int, note: str, actor, photos=(), sub_item: SubItem | None = None
) -> ProgressUpdate:
    """The responsible unit reports progress; the project keeps the latest percent for lists."""
    _require_unit_or_office(actor, project)
    project = _lock_project_cycle(project, "progress_record")
    project = Project.objects.select_for_update().select_related("cycle").get(pk=project.pk)
    photos = _clean_photos([photo for photo in photos or [] if photo])
    if sub_item is not None and sub_item.project_id != project.pk:
        raise ValidationError({"sub_item": _("The sub-item belongs to another project.")})
    update = ProgressUpdate(
        project=project, sub_item=sub_item, percent=percent, note=(note or "").strip(), recorded_by=actor
    )
    update.full_clean()
    update.save()
    for photo in photos:
        ProgressPhoto.objects.create(update=update, image=photo)
    project.progress_percent = update.percent
    project.progress_updated_at = update.created_at
    project.save(update_fields=["progress_percent", "progress_updated_at"])
    _record(project.cycle, "progress_record", actor=actor, project=project, percent=update.percent)
    return update


@transaction.atomic
def supervision_start(*, cycle: YearCycle, actor) -> YearCycle:
    """代表监督: deputies inspect the projects under way."""
    _require_office(actor)
    return _advance(_lock_cycle(cycle), "supervision_start", actor=actor)


@transaction.atomic
def visit_record(*, project: Project, deputy: Deputy, visited_on: date, findings: str, actor) -> SupervisionVisit:
    """A deputy records a supervision visit (the office may record it on their behalf)."""
    _require_deputy_self_or_office(actor, deputy)
    project = _lock_project_cycle(project, "visit_record")
    if visited_on and visited_on > clock.today():
        raise ValidationError({"visited_on": _("The visit date cannot be in the future.")})
    visit = SupervisionVisit(
        project=project, deputy=deputy, visited_on=visited_on, findings=(findings or "").strip(), recorded_by=actor
    )
    visit.full_clean()
    visit.save()
    _record(project.cycle, "visit_record", actor=actor, project=project, visit=visit.pk)
    return visit


# --- 测评 and 公示 --------------------------------------------------------------------------------


@transaction.atomic
def evaluation_start(*, cycle: YearCycle, actor) -> YearCycle:
    _require_office(actor)
    return _advance(_lock_cycle(cycle), "evaluation_start", actor=actor)


@transaction.atomic
def rating_record(*, project: Project, deputy: Deputy, rating: str, actor) -> ProjectRating:
    """A deputy rates a project once: 满意 / 基本满意 / 不满意.

    The office may enter a deputy's paper evaluation form on their behalf (recorded as ``entered_by``).
    """
    if not (_is_office(actor) or (actor.has_role(Role.DEPUTY) and actor.deputy_id == deputy.pk)):
        raise PermissionRefused(_("Only the deputy themselves can rate a project."))
    project = _lock_project_cycle(project, "rating_record")
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose satisfied, basically satisfied or unsatisfied.")})
    try:
        with transaction.atomic():
            record = ProjectRating.objects.create(project=project, deputy=deputy, rating=rating, entered_by=actor)
    except IntegrityError:
        raise ActionRefused(
            _("%(deputy)s has already rated this project.") % {"deputy": deputy}, code="already_rated"
        ) from None
    return record


def rating_counts(project_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per project: how many deputies chose each rating (one grouped query)."""
    counts = {pk: dict.fromkeys(Rating.values, 0) for pk in project_ids}
    rows = (
        ProjectRating.objects.filter(project_id__in=counts)
        .values_list("project_id", "rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    for project_id, rating, n in rows:
        counts[project_id][rating] = n
    return counts


@transaction.atomic
def publish(*, cycle: YearCycle, actor) -> YearCycle:
    """公示: fix each project's verdict from its ratings and open the results to the public."""
    _require_office(actor)
    cycle = _lock_cycle(cycle)
    _check_stage(cycle, "publish")
    projects = list(cycle.projects.select_for_update())
    counts = rating_counts([p.pk for p in projects])
    for project in projects:
        c = counts[project.pk]
        project.verdict = rules.project_verdict(
            satisfied=c[Rating.SATISFIED],
            basically_satisfied=c[Rating.BASICALLY_SATISFIED],
            unsatisfied=c[Rating.UNSATISFIED],
        )
    Project.objects.bulk_update(projects, ["verdict"])
    return _advance(cycle, "publish", actor=actor, verdicts={p.pk: p.verdict for p in projects})


# Office-driven stage moves that need nothing but the table, by action name (for the API and pages).
STAGE_SERVICES = {
    "shortlisting_start": shortlisting_start,
    "implementation_start": implementation_start,
    "supervision_start": supervision_start,
    "evaluation_start": evaluation_start,
    "publish": publish,
}
