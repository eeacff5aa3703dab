"""Undoing a roster import: the deputies it created are removed and those it changed restored, while
nothing has been built on them since."""

from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from deputies.models import Deputy, DeputyGroup, Term
from deputies.services import deputy_delete, deputy_set_resident_stations, deputy_update
from duties.models import GridAssignment
from duties.services.assignments import grid_assignment_update
from imports.models import ImportBatch, ImportedRecord
from imports.roster.columns import KIND
from imports.roster.writing import digest, snapshot

# Relations to a deputy that the roster itself made: they go with the deputy and block nothing.
OWN = {(Term, "deputy"), (ImportedRecord, "deputy"), (DeputyGroup, "members")}
# Apps whose rows about a deputy are derived (the yearly figures), named, not imported: they sit above.
DERIVED_APPS = {"reports"}


def _uses(model, ids: list[int], *, own=(), skip_ids: dict | None = None) -> list[str]:
    """The kinds of record (plural names) that refer to any of ``ids`` of ``model``, beyond ``own``."""
    found = []
    for relation in model._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue
        related = relation.related_model
        if related._meta.auto_created or (related, relation.field.name) in own:
            continue  # a many-to-many's own table (its relation is looked at instead), or the roster's own
        if related._meta.app_label in DERIVED_APPS:
            continue  # figures computed from the deputy's records: they go with the deputy
        rows = related._base_manager.filter(**{f"{relation.field.name}__in": ids})
        if skip_ids and related in skip_ids:
            rows = rows.exclude(id__in=skip_ids[related])
        if rows.exists():
            found.append(str(capfirst(related._meta.verbose_name_plural)))
    return found


def _chain(previous: dict | None):
    """The updates recorded on a record, latest first, as (batch id, snapshot)."""
    while previous and "batch" in previous:
        yield previous
        previous = previous.get("prior")


def undo_blockers(batch: ImportBatch) -> list[str]:
    """Why the batch cannot be undone now (empty when it can)."""
    reasons = []
    later = ImportedRecord.objects.filter(kind=KIND, updated_by_batch__isnull=False).exclude(updated_by_batch=batch)
    for record in later.only("batch_id", "previous"):
        if record.batch_id == batch.id or any(step["batch"] == batch.id for step in _chain(record.previous)):
            reasons.append(_("A later import changed some of its deputies; undo that import first."))
            break
    records = list(
        ImportedRecord.objects.filter(
            Q(batch=batch) | Q(updated_by_batch=batch), kind=KIND, deputy__isnull=False
        ).select_related("deputy")
    )
    # ``previous`` holds what this batch did: its creating step, or its update (later updates were refused above).
    assignments = [i for record in records for i in (record.previous or {}).get("assignments", [])]
    created = [r.deputy_id for r in records if r.batch_id == batch.id and not (r.previous or {}).get("state")]
    if created:
        uses = _uses(Deputy, created, own=OWN, skip_ids={GridAssignment: assignments})
        if uses:
            reasons.append(
                _("Deputies it created have since been used in the product (%(uses)s); deactivate them instead.")
                % {"uses": "、".join(uses)}
            )
    changed = [
        record
        for record in records
        if record.updated_by_batch_id in (None, batch.id)
        and (record.previous or {}).get("state")
        and digest(snapshot(record.deputy)) != record.previous.get("after")
    ]
    if changed:
        reasons.append(
            _("Deputies it changed have been edited in the product since (%(names)s); undoing would lose that.")
            % {"names": "、".join(sorted(record.deputy.name for record in changed))}
        )
    if assignments:
        uses = _uses(GridAssignment, assignments)
        if uses:
            reasons.append(_("Grid assignments it made have since been used (%(uses)s).") % {"uses": "、".join(uses)})
    return reasons


def _restore(deputy: Deputy, state: dict) -> None:
    deputy_update(deputy=deputy, terms=state["terms"], groups=state["groups"], **state["fields"])
    deputy_set_resident_stations(deputy=deputy, stations=state["stations"])


def undo(batch: ImportBatch) -> None:
    """Remove the deputies ``batch`` created and restore those it changed (caller's transaction, checked first)."""
    updated = list(
        ImportedRecord.objects.filter(kind=KIND, updated_by_batch=batch).exclude(batch=batch).select_for_update()
    )
    created = list(
        ImportedRecord.objects.filter(kind=KIND, batch=batch).select_related("deputy").select_for_update(of=("self",))
    )
    steps = [record.previous or {} for record in [*updated, *created]]
    # The grid assignments it made go first, then the roles it changed come back (a grid's former leader
    # is its leader again once the new one's assignment is gone).
    GridAssignment.objects.filter(id__in=[i for step in steps for i in step.get("assignments", [])]).delete()
    for assignment_id, role, mode in [item for step in steps for item in step.get("regridded", [])]:
        assignment = GridAssignment.objects.filter(id=assignment_id).first()
        if assignment is not None:
            grid_assignment_update(assignment=assignment, role=role, mode=mode)
    for record in updated:
        step = record.previous
        if record.deputy_id:
            _restore(record.deputy, step["state"])
        record.fingerprint = step["fingerprint"]
        record.sheet = step["sheet"]
        record.row = step["row"]
        record.station_id = step["station"]
        record.updated_by_batch_id = step["batch"]
        record.previous = step["prior"]
        record.save(update_fields=["fingerprint", "sheet", "row", "station", "updated_by_batch", "previous"])
    for record in created:
        step = record.previous or {}
        deputy = record.deputy
        record.delete()
        if deputy is None:
            continue
        if step.get("state"):
            _restore(deputy, step["state"])  # entered in the product before the roster named them
        else:
            deputy_delete(deputy=deputy)
