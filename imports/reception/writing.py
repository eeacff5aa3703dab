"""Carrying out a chunk of plans in bulk: new visits and opinions with their history, corrections in place."""

import datetime as dt

from django.utils.translation import gettext as _

from core import backdating, clock
from imports.models import ImportBatch, ImportedRecord
from imports.reception.columns import (
    KIND,
    Plan,
)
from liaison.models import (
    Opinion,
    OpinionEvent,
    OpinionEventKind,
    OpinionSource,
    Visit,
    VisitConstituent,
)


def _moment(day: dt.date | None) -> dt.datetime | None:
    """A ledger date as a time, as every back-recorded step is stored: noon of that day (local time)."""
    return None if day is None else backdating.moment_of(day)


def visit_fields(values: dict) -> dict:
    return {
        "station_id": values["station"],
        "date": values["date"],
        "channel": values["channel"],
        "headcount": values["headcount"],
        "grid_id": values["grid"],
    }


def opinion_fields(values: dict, actor) -> dict:
    outcome = values["outcome"] or None
    return {
        "station_id": values["station"],
        "grid_id": values["grid"],
        "category": values["category"],
        "content": values["content"],
        "received_on": values["date"],
        "outcome": outcome,
        "outcome_note": values["outcome_note"] if outcome else "",
        "outcome_at": _moment(values["outcome_date"]) if outcome else None,
        "outcome_by_id": actor.id if outcome else None,
        "referral_unit_id": values["unit"],
        "resolved_at": _moment(values["resolved_date"]),
        "resolution_note": values["resolution_note"] if values["resolved_date"] else "",
    }


def _provenance(batch: ImportBatch, plan: Plan) -> str:
    return _("From the ledger %(file)s, sheet %(sheet)s, row %(row)s.") % {
        "file": batch.file_name,
        "sheet": plan.row.sheet,
        "row": plan.row.number,
    }


def write(plans: list[Plan], *, batch: ImportBatch, actor) -> None:
    """Carry out one chunk of plans (inside the caller's transaction): bulk inserts, updates in place."""
    creates = [plan for plan in plans if plan.action == "create"]
    if creates:
        _create(creates, batch=batch, actor=actor)
    for plan in plans:
        if plan.action == "update":
            _update(plan, batch=batch, actor=actor)


def _create(plans: list[Plan], *, batch: ImportBatch, actor) -> None:
    visits = Visit.objects.bulk_create(
        [Visit(**visit_fields(plan.values), note="", recorded_by=actor) for plan in plans]
    )
    through = Visit.deputies.through
    through.objects.bulk_create(
        [
            through(visit_id=visit.id, deputy_id=deputy_id)
            for plan, visit in zip(plans, visits, strict=True)
            for deputy_id in plan.values["deputies"]
        ]
    )
    VisitConstituent.objects.bulk_create(
        [
            VisitConstituent(visit_id=visit.id, name=plan.values["name"], phone=plan.values["phone"])
            for plan, visit in zip(plans, visits, strict=True)
            if plan.values["name"] or plan.values["phone"]
        ]
    )
    opinions = Opinion.objects.bulk_create(
        [
            Opinion(
                **opinion_fields(plan.values, actor),
                visit_id=visit.id,
                source=OpinionSource.DESK,
                recorded_by=actor,
                contact_name=plan.values["name"],
            )
            for plan, visit in zip(plans, visits, strict=True)
        ]
    )
    events = []
    for plan, opinion in zip(plans, opinions, strict=True):
        events.extend(_events(opinion, plan, batch=batch, actor=actor))
    OpinionEvent.objects.bulk_create(events)
    stale = [plan.record.id for plan in plans if plan.record is not None]
    if stale:  # rows whose records were removed in the product since: the key now names the new records
        ImportedRecord.objects.filter(id__in=stale).delete()
    ImportedRecord.objects.bulk_create(
        [
            ImportedRecord(
                kind=KIND,
                key=plan.key,
                batch=batch,
                sheet=plan.row.sheet,
                row=plan.row.number,
                fingerprint=plan.fingerprint,
                station_id=plan.values["station"],
                visit_id=visit.id,
                opinion_id=opinion.id,
            )
            for plan, visit, opinion in zip(plans, visits, opinions, strict=True)
        ]
    )


def _events(opinion: Opinion, plan: Plan, *, batch: ImportBatch, actor) -> list[OpinionEvent]:
    """The opinion's history as the ledger tells it: each step dated the day it happened and marked as
    entered afterwards (补录) now, by the importing user, with the ledger row it came from."""
    entered = clock.now()
    values = plan.values
    events = [
        OpinionEvent(
            opinion=opinion,
            kind=OpinionEventKind.RECEIVED,
            note=_provenance(batch, plan),
            actor=actor,
            at=_moment(values["date"]),
            entered_at=entered,
        )
    ]
    if opinion.outcome:
        events.append(
            OpinionEvent(
                opinion=opinion,
                kind=OpinionEventKind.OUTCOME,
                outcome=opinion.outcome,
                note=opinion.outcome_note,
                actor=actor,
                at=opinion.outcome_at,
                entered_at=entered,
            )
        )
    if opinion.resolved_at:
        events.append(
            OpinionEvent(
                opinion=opinion,
                kind=OpinionEventKind.RESOLVED,
                note=opinion.resolution_note,
                actor=actor,
                at=opinion.resolved_at,
                entered_at=entered,
            )
        )
    return events


SNAPSHOT_VISIT = ("date", "channel", "headcount", "grid_id")
SNAPSHOT_OPINION = (
    "grid_id",
    "category",
    "content",
    "received_on",
    "outcome",
    "outcome_note",
    "outcome_at",
    "outcome_by_id",
    "referral_unit_id",
    "resolved_at",
    "resolution_note",
)


def _snapshot(visit: Visit, opinion: Opinion, record: ImportedRecord) -> dict:
    return {
        "visit": {name: _jsonable(getattr(visit, name)) for name in SNAPSHOT_VISIT},
        "opinion": {name: _jsonable(getattr(opinion, name)) for name in SNAPSHOT_OPINION},
        "deputies": sorted(visit.deputies.values_list("id", flat=True)),
        "constituents": list(visit.constituents.values("name", "phone")),
        "contact_name": opinion.contact_name,
        "fingerprint": record.fingerprint,
        "sheet": record.sheet,
        "row": record.row,
        "batch": record.updated_by_batch_id,
        # The correction before this one, so that undoing corrections one after the other, latest first,
        # walks back through all of them.
        "previous": record.previous,
    }


def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _update(plan: Plan, *, batch: ImportBatch, actor) -> None:
    record = plan.record
    visit = Visit.objects.select_for_update().get(id=record.visit_id)
    opinion = Opinion.objects.select_for_update().get(id=record.opinion_id)
    record.previous = _snapshot(visit, opinion, record)
    for name, value in visit_fields(plan.values).items():
        setattr(visit, name, value)
    visit.save(update_fields=[*SNAPSHOT_VISIT, "station_id"])
    visit.deputies.set(plan.values["deputies"])
    visit.constituents.all().delete()
    if plan.values["name"] or plan.values["phone"]:
        VisitConstituent.objects.create(visit=visit, name=plan.values["name"], phone=plan.values["phone"])
    for name, value in opinion_fields(plan.values, actor).items():
        setattr(opinion, name, value)
    opinion.contact_name = plan.values["name"]
    opinion.save(update_fields=[*SNAPSHOT_OPINION, "station_id", "contact_name"])
    OpinionEvent.objects.create(
        opinion=opinion,
        kind=OpinionEventKind.NOTE,
        note=_("Corrected from the ledger %(file)s, sheet %(sheet)s, row %(row)s.")
        % {"file": batch.file_name, "sheet": plan.row.sheet, "row": plan.row.number},
        actor=actor,
    )
    record.fingerprint = plan.fingerprint
    record.updated_by_batch = batch
    record.sheet = plan.row.sheet
    record.row = plan.row.number
    record.save(update_fields=["previous", "fingerprint", "updated_by_batch", "sheet", "row"])
