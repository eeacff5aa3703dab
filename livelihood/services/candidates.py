"""征集 and 初定: starting a cycle, its candidate pool and the shortlist."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ActionRefused, PermissionRefused
from core.roles import Role
from deputies.models import Deputy
from liaison.selectors import opinions_visible_to
from livelihood.models import Candidate, ProposerKind, Stage, YearCycle
from livelihood.services.common import advance, check_stage, lock_cycle, record_event, require_office
from suggestions.selectors import suggestions_visible_to

# --- 征集 the cycle and its candidate pool -------------------------------------------------------


@transaction.atomic
def cycle_create(*, year: int, places: int, actor, title: str = "") -> YearCycle:
    """Start a year's cycle at 征集 (collecting)."""
    require_office(actor)
    if YearCycle.objects.filter(year=year).exists():
        raise ValidationError({"year": _("There is already a cycle for %(year)s.") % {"year": year}})
    cycle = YearCycle(year=year, places=places, title=title.strip(), stage=Stage.COLLECTING)
    cycle.full_clean()
    cycle.save()
    record_event(cycle, "cycle_create", actor=actor, places=places)
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
    cycle = lock_cycle(cycle)
    check_stage(cycle, "candidate_add")
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
    record_event(cycle, "candidate_add", actor=actor, candidate=candidate, proposer_kind=proposer_kind)
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
    require_office(actor)
    unknown = set(changes) - set(CANDIDATE_EDITABLE)
    if unknown:
        raise ValidationError({field: _("This field cannot be changed.") for field in sorted(unknown)})
    cycle = lock_cycle(candidate.cycle)
    check_stage(cycle, "candidate_update")
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    for field, value in changes.items():
        setattr(candidate, field, value.strip() if isinstance(value, str) else value)
    if candidate.shortlisted and candidate.responsible_unit_id is None:
        raise ValidationError({"responsible_unit": _("A shortlisted candidate needs a responsible unit.")})
    candidate.full_clean()
    candidate.save()
    record_event(cycle, "candidate_update", actor=actor, candidate=candidate, fields=sorted(changes))
    return candidate


# --- 初定 the shortlist --------------------------------------------------------------------------


@transaction.atomic
def shortlisting_start(*, cycle: YearCycle, actor) -> YearCycle:
    """Close the pool and start screening it; the pool must already exceed the places."""
    require_office(actor)
    cycle = lock_cycle(cycle)
    check_stage(cycle, "shortlisting_start")
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
    return advance(cycle, "shortlisting_start", actor=actor, pool=pool)


@transaction.atomic
def shortlist_set(*, cycle: YearCycle, candidates: Iterable[Candidate], actor) -> list[Candidate]:
    """Make exactly ``candidates`` the shortlist; each needs a responsible unit."""
    require_office(actor)
    cycle = lock_cycle(cycle)
    check_stage(cycle, "shortlist_set")
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
    record_event(cycle, "shortlist_set", actor=actor, shortlist=sorted(chosen_ids))
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
