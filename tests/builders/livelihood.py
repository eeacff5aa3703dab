"""Livelihood (民生实事) cycles at each stage, and ballots, through the livelihood services."""

from livelihood.models import Choice, ProposerKind
from livelihood.services.candidates import candidate_add, cycle_create, shortlist_set, shortlisting_start
from livelihood.services.projects import implementation_start
from livelihood.services.voting import ballot_cast, vote_close, vote_open


def cycle(*, office, unit, places: int = 2, candidates: int = 3, year: int = 2024):
    """A cycle at 征集 with ``candidates`` proposals, each with ``unit`` responsible and a budget."""
    created = cycle_create(year=year, places=places, title=f"{year}年民生实事", actor=office)
    for i in range(candidates):
        candidate_add(
            cycle=created,
            actor=office,
            title=f"项目{i + 1}",
            description=f"第{i + 1}个候选项目",
            proposer_kind=ProposerKind.DEPARTMENT,
            proposer_name="区住建局",
            estimated_budget=100 + i,
            responsible_unit=unit,
        )
    return created


def shortlisted(*, office, unit, **kwargs):
    """A cycle at 初定 with every candidate on the shortlist."""
    created = cycle(office=office, unit=unit, **kwargs)
    shortlisting_start(cycle=created, actor=office)
    shortlist_set(cycle=created, candidates=created.candidates.all(), actor=office)
    created.refresh_from_db()
    return created


def voting(*, office, unit, present, **kwargs):
    """A shortlisted cycle whose vote is open with the ``present`` deputies' accounts present."""
    created = shortlisted(office=office, unit=unit, **kwargs)
    session = vote_open(cycle=created, present=[u.deputy for u in present], actor=office)
    return created, session


def cast(session, user, choices: str):
    """Cast ``user``'s ballot; ``choices`` has one letter per candidate in id order: f/a/x."""
    letters = {"f": Choice.FOR, "a": Choice.AGAINST, "x": Choice.ABSTAIN}
    ids = list(session.cycle.candidates.filter(shortlisted=True).order_by("id").values_list("id", flat=True))
    return ballot_cast(
        session=session,
        deputy=user.deputy,
        choices={cid: letters[c] for cid, c in zip(ids, choices, strict=True)},
        actor=user,
    )


def implementing(*, office, unit, present, places: int = 2, candidates: int = 3, year: int = 2024):
    """A cycle at 实施: every present deputy votes for the first ``places`` candidates only."""
    created, session = voting(
        office=office, unit=unit, present=present, places=places, candidates=candidates, year=year
    )
    pattern = "f" * places + "a" * (candidates - places)
    for user in present:
        cast(session, user, pattern)
    vote_close(session=session, actor=office)
    projects = implementation_start(cycle=created, actor=office)
    created.refresh_from_db()
    return created, projects
