"""Carrying out a roster's plans through the deputies' and the grid assignments' own services."""

import hashlib
import json

from core import clock
from deputies.models import Deputy, DeputyKind
from deputies.services import TERM_FIELDS, deputy_create, deputy_set_resident_stations, deputy_update
from duties.models import GridAssignment, GridMode, GridRole
from duties.services.assignments import grid_assignment_create, grid_assignment_update
from imports.models import ImportBatch, ImportedRecord
from imports.roster.checking import DEPUTY_FIELDS
from imports.roster.columns import KIND, Plan
from organisation.models import Grid

# What an undo puts back on a deputy the roster changed (photo and introduction are never touched).
SNAPSHOT_FIELDS = ("name", *DEPUTY_FIELDS, "is_active")


def snapshot(deputy: Deputy) -> dict:
    """The deputy as the roster found them: their facts, terms, groups and stations (phone included:
    the snapshot stays in the database, with the import record, to restore the deputy on undo)."""
    return {
        "fields": {name: getattr(deputy, name) for name in SNAPSHOT_FIELDS},
        "terms": [
            {name: getattr(term, name) for name in TERM_FIELDS} for term in deputy.terms.order_by("level", "start_year")
        ],
        "groups": sorted(deputy.groups.values_list("id", flat=True)),
        "stations": sorted(deputy.resident_stations.values_list("id", flat=True)),
    }


def digest(state: dict) -> str:
    """A short fingerprint of a snapshot: an undo restores a deputy only if nobody changed them since."""
    return hashlib.sha1(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


def _facts(values: dict) -> dict:
    """The deputy's facts the roster gives; a blank cell leaves what the product has."""
    return {name: values[name] for name in DEPUTY_FIELDS if name != "kind" and values[name] is not None}


def _assign(deputy: Deputy, values: dict) -> tuple[list[int], list[list]]:
    """Open assignments to the grids named that the deputy does not hold yet, from today, and the role and
    mode the roster gives on those they hold: (ids created, [id, role, mode] of those changed, as they were)."""
    grid_ids = values["grids"]
    if not grid_ids:
        return [], []
    role, mode = values["grid_role"], values["grid_mode"]
    held = {
        assignment.grid_id: assignment
        for assignment in GridAssignment.objects.filter(deputy=deputy, end_date__isnull=True, grid_id__in=grid_ids)
    }
    created, changed = [], []
    for assignment in held.values():
        wanted = {"role": role or assignment.role, "mode": mode or assignment.mode}
        if (assignment.role, assignment.mode) != (wanted["role"], wanted["mode"]):
            changed.append([assignment.id, assignment.role, assignment.mode])
            grid_assignment_update(assignment=assignment, **wanted)
    today = clock.today()
    for grid_id in grid_ids:
        if grid_id not in held:
            assignment = grid_assignment_create(
                grid=Grid(pk=grid_id),
                deputy=deputy,
                start_date=today,
                role=role or GridRole.MEMBER,
                mode=mode or GridMode.PART_TIME,
            )
            created.append(assignment.id)
    return created, changed


def _station(values: dict) -> int | None:
    return values["stations"][0] if values["stations"] else None


def write(plans: list[Plan], *, batch: ImportBatch, actor) -> None:
    """Carry out one chunk of plans inside the caller's transaction, a deputy at a time through the services."""
    for plan in plans:
        if plan.action == "create":
            _create(plan, batch=batch)
        elif plan.action == "update":
            _update(plan, batch=batch)


def _create(plan: Plan, *, batch: ImportBatch) -> None:
    values = plan.values
    deputy = deputy_create(
        name=values["name"],
        kind=values["kind"] or DeputyKind.CONGRESS,
        terms=values["terms"],
        groups=values["groups"] or (),
        **_facts(values),
    )
    if values["stations"]:
        deputy_set_resident_stations(deputy=deputy, stations=values["stations"])
    created, _changed = _assign(deputy, values)  # a new deputy holds no assignment to change
    ImportedRecord.objects.create(
        kind=KIND,
        key=_key(deputy, values),
        batch=batch,
        sheet=plan.row.sheet,
        row=plan.row.number,
        fingerprint=plan.fingerprint,
        station_id=_station(values),
        deputy=deputy,
        previous={"state": None, "assignments": created},
    )


def _key(deputy: Deputy, values: dict) -> str:
    return f"{deputy.id}|{values['name']}|{values['birth_year'] or ''}"[:200]


def _update(plan: Plan, *, batch: ImportBatch) -> None:
    values = plan.values
    deputy = Deputy.objects.select_for_update().get(id=plan.deputy_id)
    before = snapshot(deputy)
    terms = None
    if values["terms"]:
        # The roster's terms replace the deputy's terms at the levels it names; other levels stay.
        named = {term["level"] for term in values["terms"]}
        terms = [term for term in before["terms"] if term["level"] not in named] + values["terms"]
    kind = values["kind"] or deputy.kind
    deputy = deputy_update(deputy=deputy, terms=terms, groups=values["groups"], kind=kind, **_facts(values))
    if values["stations"] is not None:
        deputy_set_resident_stations(deputy=deputy, stations=values["stations"])
    created, changed = _assign(deputy, values)
    after = digest(snapshot(deputy))
    record = plan.record
    if record is None:  # a deputy entered in the product, now named by a roster
        ImportedRecord.objects.create(
            kind=KIND,
            key=_key(deputy, values),
            batch=batch,
            sheet=plan.row.sheet,
            row=plan.row.number,
            fingerprint=plan.fingerprint,
            station_id=_station(values),
            deputy=deputy,
            previous={"state": before, "assignments": created, "regridded": changed, "after": after},
        )
        return
    record.previous = {
        "state": before,
        "assignments": created,
        "regridded": changed,
        "after": after,
        "batch": record.updated_by_batch_id,
        "fingerprint": record.fingerprint,
        "sheet": record.sheet,
        "row": record.row,
        "station": record.station_id,
        "prior": record.previous,
    }
    record.fingerprint = plan.fingerprint
    record.updated_by_batch = batch
    record.sheet = plan.row.sheet
    record.row = plan.row.number
    record.station_id = _station(values) or record.station_id
    record.save(update_fields=["previous", "fingerprint", "updated_by_batch", "sheet", "row", "station"])
