"""Reading every row of a reception ledger against the database, a chunk at a time, writing nothing."""

import datetime as dt
import hashlib
import json

from django.utils.translation import gettext as _

from core import clock
from core.dates import EARLIEST_EVENT_YEAR, LATEST_EVENT_YEAR
from core.text import clean_phone
from imports.models import ImportedRecord
from imports.names import pick
from imports.reading import CellError, LedgerRow, parse_date, parse_int, split_names, text_of
from imports.reception.columns import (
    CHUNK,
    KIND,
    LEDGER_OUTCOMES,
    MAX_CONTENT,
    MAX_NOTE,
    SYNONYMS,
    Lookups,
    Plan,
    choice_labels,
    columns,
)
from liaison.models import (
    OpinionCategory,
    OpinionOutcome,
    VisitChannel,
)


def _key(station_id: int, values: dict) -> str:
    if values["number"]:
        return f"{station_id}|no|{values['number']}"
    digest = hashlib.sha1(values["content"].encode()).hexdigest()[:16]
    return f"{station_id}|{values['date']}|{values['name']}|{digest}"


def _fingerprint(values: dict) -> str:
    return hashlib.sha1(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def _row_values(
    row: LedgerRow, lookups: Lookups, header: dict, maps: dict, today: dt.date, errors: list
) -> dict | None:
    """The row's values as ids and plain types, or None after adding its problems to ``errors``."""
    found: list[CellError] = []

    def problem(column_field: str, message: str) -> None:
        found.append(CellError(row.sheet, row.number, header[column_field], message))

    raw = row.values
    values: dict = {}

    def read(column_field: str, reader, default=None):
        if raw.get(column_field) is None:
            return default
        try:
            return reader(raw[column_field])
        except ValueError as exc:
            problem(column_field, str(exc))
            return default

    values["number"] = read("number", lambda v: text_of(v, 50), "")
    station_name = read("station", text_of, "")
    station = lookups.stations.get(station_name)
    if station is None:
        problem("station", _("No station named 「%(name)s」 among the stations you keep.") % {"name": station_name})
    values["station"] = station.id if station else None

    def dated(column_field: str):
        day = read(column_field, parse_date)
        if day is None:
            return None
        if day > today:
            problem(column_field, _("The date is in the future."))
        elif not EARLIEST_EVENT_YEAR <= day.year <= LATEST_EVENT_YEAR:
            problem(column_field, _("The date is out of range."))
        return day

    values["date"] = dated("date")
    values["channel"] = read("channel", lambda v: pick(v, maps["channel"], SYNONYMS), VisitChannel.AT_STATION)
    deputy_ids = []
    for name in read("deputies", split_names, []):
        matches = lookups.deputies.get(name, [])
        if not matches:
            problem("deputies", _("No deputy named 「%(name)s」.") % {"name": name})
        elif len(matches) > 1:
            problem(
                "deputies",
                _("Several deputies are named 「%(name)s」; enter this row in the product.") % {"name": name},
            )
        else:
            deputy_ids.append(matches[0])
    values["deputies"] = sorted(set(deputy_ids))
    values["grid"] = None
    grid_name = read("grid", text_of, "")
    if grid_name and station is not None:
        candidates = [
            grid_id for grid_id, owner in lookups.grids.get(grid_name, []) if owner in lookups.subtree[station.id]
        ]
        if not candidates:
            problem("grid", _("No grid 「%(name)s」 in this station's area.") % {"name": grid_name})
        elif len(set(candidates)) > 1:
            problem(
                "grid", _("Several grids of this station are named 「%(name)s」; write its code.") % {"name": grid_name}
            )
        else:
            values["grid"] = candidates[0]
    headcount = read("headcount", parse_int, 1)
    if not 1 <= headcount <= 10000:
        problem("headcount", _("Between 1 and 10,000."))
    values["headcount"] = headcount
    values["name"] = read("name", lambda v: text_of(v, 50), "")
    phone = read("phone", lambda v: text_of(v, 30), "")
    if phone:
        try:
            phone = clean_phone(phone)
        except Exception as exc:  # ValidationError with the user's message
            problem("phone", " ".join(getattr(exc, "messages", [str(exc)])))
    values["phone"] = phone
    values["category"] = read("category", lambda v: pick(v, maps["category"], SYNONYMS), OpinionCategory.OTHER)
    values["content"] = read("content", lambda v: text_of(v, MAX_CONTENT), "")
    if not values["content"]:
        problem("content", _("Describe the matter."))
    outcome = read("outcome", lambda v: pick(v, maps["outcome"], SYNONYMS), "")
    values["outcome"] = outcome
    values["unit"] = None
    unit_name = read("unit", text_of, "")
    if outcome == OpinionOutcome.REFERRED:
        unit = lookups.units.get(unit_name)
        if not unit_name:
            problem("unit", _("A referred opinion names the unit it was referred to."))
        elif unit is None:
            problem("unit", _("No handling unit named 「%(name)s」.") % {"name": unit_name})
        else:
            values["unit"] = unit.id
    elif unit_name:
        problem("unit", _("Only a referred opinion names a unit."))
    outcome_date = dated("outcome_date")
    if outcome and outcome_date is None:
        outcome_date = values["date"]
    if outcome_date and not outcome:
        problem("outcome_date", _("A date of handling needs the way it was handled."))
    if outcome_date and values["date"] and outcome_date < values["date"]:
        problem("outcome_date", _("Earlier than the date of the visit."))
    values["outcome_date"] = outcome_date
    values["outcome_note"] = read("outcome_note", lambda v: text_of(v, MAX_NOTE), "")
    resolved = dated("resolved_date")
    values["resolution_note"] = read("resolution_note", lambda v: text_of(v, MAX_NOTE), "")
    if resolved:
        if not outcome:
            problem("resolved_date", _("Only an opinion with an outcome can be resolved."))
        elif outcome_date and resolved < outcome_date:
            problem("resolved_date", _("Earlier than the date of handling."))
        if not values["resolution_note"]:
            problem("resolution_note", _("Say how it was solved."))
    elif values["resolution_note"]:
        problem("resolved_date", _("Enter the date it was solved."))
    values["resolved_date"] = resolved
    if found:
        errors.extend(found)
        return None
    return values


def check(rows, *, actor, errors: list[CellError]):
    """The plans of the rows, ``CHUNK`` at a time, read as they stream from the workbook; every problem of
    every row goes into ``errors``. Memory holds one chunk and the keys seen (to find a row given twice)."""
    lookups = Lookups.load(actor)
    header = {column.field: column.header for column in columns()}
    maps = {
        "channel": choice_labels(VisitChannel.choices),
        "category": choice_labels(OpinionCategory.choices),
        "outcome": {k: v for k, v in choice_labels(OpinionOutcome.choices).items() if k in LEDGER_OUTCOMES},
    }
    today = clock.today()
    seen: dict[str, int] = {}
    chunk: list[Plan] = []
    for row in rows:
        values = _row_values(row, lookups, header, maps, today, errors)
        if values is None:
            continue
        key = _key(values["station"], values)
        if key in seen:
            column = header["number"] if values["number"] else header["content"]
            errors.append(
                CellError(row.sheet, row.number, column, _("The same record as row %(row)s.") % {"row": seen[key]})
            )
            continue
        seen[key] = row.number
        chunk.append(Plan(row=row, key=key, fingerprint=_fingerprint(values), values=values))
        if len(chunk) == CHUNK:
            _match_existing(chunk, errors, header)
            yield chunk
            chunk = []
    if chunk:
        _match_existing(chunk, errors, header)
        yield chunk


def _match_existing(plans: list[Plan], errors: list[CellError], header: dict) -> None:
    by_key = {plan.key: plan for plan in plans}
    keys = list(by_key)
    for start in range(0, len(keys), CHUNK):
        for record in ImportedRecord.objects.filter(kind=KIND, key__in=keys[start : start + CHUNK]).select_related(
            "opinion"
        ):
            plan = by_key[record.key]
            plan.record = record
            if record.opinion is None or record.visit_id is None:
                plan.action = "create"  # removed in the product since: imported again
            elif record.fingerprint == plan.fingerprint:
                plan.action = "unchanged"
            elif record.opinion.outcome == OpinionOutcome.ESCALATED:
                errors.append(
                    CellError(
                        plan.row.sheet,
                        plan.row.number,
                        header["outcome"],
                        _("This opinion became a suggestion in the product; the ledger can no longer change it."),
                    )
                )
            else:
                plan.action = "update"
