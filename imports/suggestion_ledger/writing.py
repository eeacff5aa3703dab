"""Carrying out a chunk of plans through the suggestion services, one row at a time.

Every step a row records goes through the service that records it in the product, back-recorded with
the ledger's date (``happened_on``): the deadlines are counted from the real dates on that year's
working-day calendar, the states, timeline events (dated then, entered now) and statistics are exactly
those of recording the same history by hand. A ledger of suggestions has hundreds of rows, so a few
service calls per row are cheap.
"""

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from core.errors import ActionRefused, PermissionRefused
from deputies.models import Deputy
from imports.models import ImportBatch, ImportedRecord
from imports.reading import LedgerUnreadable
from imports.suggestion_ledger.columns import KIND, Plan
from organisation.models import HandlingUnit
from suggestions import services
from suggestions.models import State, Suggestion

# Related rows an update may add to a suggestion; their highest ids are kept so that undo removes them.
ADDED_ROWS = ("events", "replies", "evaluations", "contacts", "assignments", "cosignatures")
# Suggestion fields not restored by undo (the row's identity and its bookkeeping).
NOT_RESTORED = ("id", "created_at", "updated_at")


def write(plans: list[Plan], *, batch: ImportBatch, actor) -> None:
    """Carry out one chunk of plans (inside the caller's transaction); a refusal stops the whole import."""
    deputy_ids = {i for p in plans for i in (p.values["lead_deputy"], *p.values["cosigners"])}
    unit_ids = {i for p in plans for i in (p.values["lead_unit"], *p.values["co_units"]) if i}
    deputies = Deputy.objects.in_bulk(deputy_ids)
    units = HandlingUnit.objects.in_bulk(unit_ids)
    for plan in plans:
        if plan.action == "unchanged":
            continue
        try:
            if plan.action == "create":
                _create(plan, batch=batch, actor=actor, deputies=deputies, units=units)
            else:
                _update(plan, batch=batch, actor=actor, units=units)
        except ValidationError as exc:
            messages = exc.messages
            raise LedgerUnreadable(_row_message(plan, " ".join(messages))) from None
        except (ActionRefused, PermissionRefused) as exc:
            raise LedgerUnreadable(_row_message(plan, exc.message)) from None


def _row_message(plan: Plan, message: str) -> str:
    return _("Row %(row)s could not be recorded: %(message)s Nothing was imported.") % {
        "row": plan.row.number,
        "message": message,
    }


def _create(plan: Plan, *, batch: ImportBatch, actor, deputies: dict, units: dict) -> None:
    values = plan.values
    suggestion = services.suggestion_create(
        actor=actor,
        lead_deputy=deputies[values["lead_deputy"]],
        cosigners=[deputies[i] for i in values["cosigners"]],
        title=values["title"],
        content=values["content"],
        category=values["category"],
        happened_on=values["submitted"],
    )
    steps = [step for step in ("assigned", "contact", "reply", "rated", "reply2", "rated2") if values[step]]
    record_steps(suggestion, steps, values, actor=actor, units=units)
    if plan.record is not None:  # the suggestion was removed in the product since: the key names the new one
        plan.record.delete()
    ImportedRecord.objects.create(
        kind=KIND,
        key=plan.key,
        batch=batch,
        sheet=plan.row.sheet,
        row=plan.row.number,
        fingerprint=plan.fingerprint,
        station_id=values["station"],
        suggestion=suggestion,
    )


def record_steps(suggestion: Suggestion, steps, values: dict, *, actor, units: dict) -> None:
    """Record ``steps`` (``columns.STEP_DATES``, in order) through the services, each with its ledger date."""
    for step in steps:
        day = values[step]
        if step == "assigned":
            services.suggestion_assign(
                suggestion=suggestion,
                actor=actor,
                lead_unit=units[values["lead_unit"]],
                co_units=[units[i] for i in values["co_units"]],
                happened_on=day,
            )
            continue
        suggestion.refresh_from_db(fields=["state"])
        if step in ("contact", "reply") and suggestion.state == State.ASSIGNED:
            # The ledger does not say when the unit acknowledged the item: no later than its first step.
            services.suggestion_acknowledge(suggestion=suggestion, actor=actor, happened_on=day)
        if step == "contact":
            services.suggestion_record_contact(
                suggestion=suggestion, actor=actor, method=values["contact_method"], happened_on=day
            )
        elif step in ("reply", "reply2"):
            services.suggestion_reply(
                suggestion=suggestion,
                actor=actor,
                reply_class=values[f"{step}_class"],
                content=values[f"{step}_content"],
                happened_on=day,
            )
        else:
            rating = values["rating" if step == "rated" else "rating2"]
            services.suggestion_evaluate(suggestion=suggestion, actor=actor, rating=rating, happened_on=day)


def _jsonable(field, obj):
    value = getattr(obj, field.attname)
    return None if value is None else field.value_to_string(obj)


def snapshot(suggestion: Suggestion, record: ImportedRecord) -> dict:
    """What an update may change, so that undoing it can put it back."""
    fields = {
        f.attname: _jsonable(f, suggestion) for f in Suggestion._meta.concrete_fields if f.attname not in NOT_RESTORED
    }
    highest = {name: getattr(suggestion, name).aggregate(top=Max("id"))["top"] or 0 for name in ADDED_ROWS}
    return {
        "suggestion": fields,
        "replies": {str(reply.id): reply.content for reply in suggestion.replies.all()},
        "highest": highest,
        "fingerprint": record.fingerprint,
        "sheet": record.sheet,
        "row": record.row,
        "batch": record.updated_by_batch_id,
    }


def _update(plan: Plan, *, batch: ImportBatch, actor, units: dict) -> None:
    """A corrected row: its texts are updated in place and the steps it adds are recorded through the services."""
    record = plan.record
    values = plan.values
    suggestion = Suggestion.objects.select_for_update().get(id=record.suggestion_id)
    record.previous = snapshot(suggestion, record)
    changed = [name for name in ("title", "content", "category") if getattr(suggestion, name) != values[name]]
    for name in changed:
        setattr(suggestion, name, values[name])
    if changed:
        suggestion.full_clean(exclude=[f.name for f in Suggestion._meta.fields if f.name not in changed])
        suggestion.save(update_fields=changed)
    for number, prefix in ((1, "reply"), (2, "reply2")):
        reply = suggestion.replies.filter(round=number).first()
        if reply is not None and values[f"{prefix}_content"] and reply.content != values[f"{prefix}_content"]:
            reply.content = values[f"{prefix}_content"]
            reply.save(update_fields=["content"])
    record_steps(suggestion, plan.steps, values, actor=actor, units=units)
    record.fingerprint = plan.fingerprint
    record.updated_by_batch = batch
    record.sheet = plan.row.sheet
    record.row = plan.row.number
    record.save(update_fields=["previous", "fingerprint", "updated_by_batch", "sheet", "row"])
