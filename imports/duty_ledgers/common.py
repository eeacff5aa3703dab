"""What the three duty ledgers share: reading a row's cells with their problems, names matched to records
(stations, grids, deputies), keys and fingerprints, and the bookkeeping of the import records."""

import datetime as dt
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.dates import EARLIEST_EVENT_YEAR, LATEST_EVENT_YEAR
from core.errors import ActionRefused, PermissionRefused
from deputies.models import Deputy
from imports.models import ImportBatch, ImportedRecord
from imports.reading import CellError, Column, LedgerRow, LedgerUnreadable, parse_date, text_of
from imports.reception.columns import Lookups, Plan, choice_labels

CHUNK = 500

__all__ = ["CHUNK", "Names", "Plan", "RowReader", "choice_labels", "digest", "fingerprint"]


def fingerprint(state: dict) -> str:
    """A row's (or a record's) values, as ids and plain types, hashed: equal values, equal fingerprints."""
    return hashlib.sha1(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


def digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def header_of(columns: list[Column]) -> dict[str, str]:
    return {column.field: column.header for column in columns}


def pick(value, mapping: dict[str, str], synonyms: dict) -> str:
    """A drop-down value from its Chinese label, its code or a word ledgers use for it; ``ValueError``
    listing the options otherwise. A label the text contains, or that contains it, counts when it is the
    only one."""
    text = text_of(value)
    for code, label in mapping.items():
        if text in (label, code) or text in synonyms.get(code, ()):
            return code
    close = [code for code, label in mapping.items() if text and (label in text or text in label)]
    if len(close) == 1:
        return close[0]
    raise ValueError(_("Choose one of: %(options)s.") % {"options": "、".join(mapping.values())})


class RowReader:
    """One ledger row's cells, read one by one; each problem is kept with its column's header."""

    def __init__(self, row: LedgerRow, header: dict[str, str], today: dt.date):
        self.row = row
        self.header = header
        self.today = today
        self.found: list[CellError] = []

    def problem(self, column_field: str, message: str) -> None:
        self.found.append(CellError(self.row.sheet, self.row.number, self.header[column_field], message))

    def given(self, column_field: str) -> bool:
        return self.row.values.get(column_field) is not None

    def read(self, column_field: str, reader, default=None):
        if not self.given(column_field):
            return default
        try:
            return reader(self.row.values[column_field])
        except ValueError as exc:
            self.problem(column_field, str(exc))
            return default

    def text(self, column_field: str, limit: int, *, required: str = "") -> str:
        value = self.read(column_field, lambda v: text_of(v, limit), "")
        if required and not value and not self.given(column_field):
            self.problem(column_field, required)
        return value

    def choice(self, column_field: str, mapping: dict, synonyms: dict, *, default: str = "", required: str = ""):
        if not self.given(column_field):
            if required:
                self.problem(column_field, required)
            return default
        return self.read(column_field, lambda v: pick(v, mapping, synonyms), default)

    def date(self, column_field: str) -> dt.date | None:
        """A past date within the years events are recorded for; missing is a problem too."""
        if not self.given(column_field):
            self.problem(column_field, _("Enter the date."))
            return None
        day = self.read(column_field, parse_date)
        if day is None:
            return None
        if day > self.today:
            self.problem(column_field, _("The date is in the future."))
        elif not EARLIEST_EVENT_YEAR <= day.year <= LATEST_EVENT_YEAR:
            self.problem(column_field, _("The date is out of range."))
        return day

    def flush(self, errors: list[CellError]) -> bool:
        """Move this row's problems to ``errors``; True when it had none."""
        errors.extend(self.found)
        return not self.found


@dataclass
class Names:
    """Every name the rows may use, read once (the reception ledger's lookups, plus which deputies are
    still active): stations the actor keeps, grids by name or code, deputies by name."""

    lookups: Lookups
    active: set = field(default_factory=set)

    @classmethod
    def load(cls, actor) -> "Names":
        names = cls(Lookups.load(actor))
        names.active = set(Deputy.objects.filter(is_active=True).values_list("id", flat=True))
        return names

    @property
    def desk_ids(self) -> set[int]:
        return {station.id for station in self.lookups.stations.values()}

    def station(self, reader: RowReader, column_field: str):
        """The station the cell names among the actor's, or None after a problem."""
        name = reader.read(column_field, text_of, "")
        if not name:
            reader.problem(column_field, _("Enter the station."))
            return None
        station = self.lookups.stations.get(name)
        if station is None:
            reader.problem(
                column_field, _("No station named 「%(name)s」 among the stations you keep.") % {"name": name}
            )
        return station

    def grid(self, reader: RowReader, column_field: str, station=None) -> tuple[int, int] | None:
        """(grid id, its station id) of the grid the cell names, by name or code, among the grids of the
        actor's stations (of ``station``'s area when given); None after a problem."""
        name = reader.read(column_field, text_of, "")
        if not name:
            reader.problem(column_field, _("Enter the grid."))
            return None
        within = self.lookups.subtree[station.id] if station is not None else self.desk_ids
        candidates = {(grid_id, owner) for grid_id, owner in self.lookups.grids.get(name, []) if owner in within}
        if not candidates:
            reader.problem(column_field, _("No grid 「%(name)s」 at the stations you keep.") % {"name": name})
            return None
        if len(candidates) > 1:
            reader.problem(
                column_field,
                _("Several grids are named 「%(name)s」; write its code, or the station.") % {"name": name},
            )
            return None
        return next(iter(candidates))

    def deputy(self, reader: RowReader, column_field: str, *, active: bool = False) -> int | None:
        """The id of the one deputy the cell names (still serving, when ``active``); None after a problem."""
        name = reader.read(column_field, lambda v: text_of(v, 50), "")
        if not name:
            reader.problem(column_field, _("Enter the deputy's name."))
            return None
        matches = self.lookups.deputies.get(name, [])
        if not matches:
            reader.problem(column_field, _("No deputy named 「%(name)s」.") % {"name": name})
            return None
        if len(matches) > 1:
            message = _("Several deputies are named 「%(name)s」; enter this row in the product.")
            reader.problem(column_field, message % {"name": name})
            return None
        if active and matches[0] not in self.active:
            reader.problem(column_field, _("「%(name)s」 is no longer an active deputy.") % {"name": name})
            return None
        return matches[0]


@contextmanager
def through_service(plan: Plan, header: dict[str, str]):
    """Run a product service for ``plan``'s row. The check applied the service's rules already; should the
    service still refuse (the database changed under the import), the import stops with the row, the
    column when the refusal names a field, and the reason; its transaction rolls back."""
    try:
        yield
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        column_field, messages = next(((f, m) for f, m in fields.items() if f in header), next(iter(fields.items())))
        error = CellError(plan.row.sheet, plan.row.number, header.get(column_field, ""), " ".join(messages))
        raise LedgerUnreadable(str(error)) from None
    except (PermissionRefused, ActionRefused) as exc:
        raise LedgerUnreadable(str(CellError(plan.row.sheet, plan.row.number, "", exc.message))) from None


class Keys:
    """The keys seen so far in a file, to report a row given twice."""

    def __init__(self):
        self.seen: dict[str, int] = {}

    def repeated(self, key: str, row: LedgerRow, column: str, errors: list[CellError]) -> bool:
        if key in self.seen:
            errors.append(
                CellError(row.sheet, row.number, column, _("The same record as row %(row)s.") % {"row": self.seen[key]})
            )
            return True
        self.seen[key] = row.number
        return False


def match_existing(plans: list[Plan], kind: str, link: str) -> None:
    """Find each plan's import record by key: unchanged when its fingerprint is the row's, an update when
    it differs, a create when there is none or its record was removed in the product since."""
    by_key = {plan.key: plan for plan in plans}
    for record in ImportedRecord.objects.filter(kind=kind, key__in=list(by_key)).select_related(link):
        plan = by_key[record.key]
        plan.record = record
        if getattr(record, f"{link}_id") is None:
            plan.action = "create"
        elif record.fingerprint == plan.fingerprint:
            plan.action = "unchanged"
        else:
            plan.action = "update"


def new_record(plan: Plan, *, kind: str, batch: ImportBatch, station_id=None, **links) -> ImportedRecord:
    """The import record of a created row (a stale record of the same key, whose record was removed in
    the product since, is replaced)."""
    if plan.record is not None:
        plan.record.delete()
    return ImportedRecord.objects.create(
        kind=kind,
        key=plan.key,
        batch=batch,
        sheet=plan.row.sheet,
        row=plan.row.number,
        fingerprint=plan.fingerprint,
        station_id=station_id,
        **links,
    )


def mark_updated(record: ImportedRecord, plan: Plan, *, batch: ImportBatch, state: dict, station_id=None) -> None:
    """Note on ``record`` that ``batch`` corrected it, keeping what it replaced (``state``) for an undo."""
    record.previous = {
        "state": state,
        "fingerprint": record.fingerprint,
        "sheet": record.sheet,
        "row": record.row,
        "batch": record.updated_by_batch_id,
        "station": record.station_id,
    }
    record.fingerprint = plan.fingerprint
    record.updated_by_batch = batch
    record.sheet = plan.row.sheet
    record.row = plan.row.number
    record.station_id = station_id
    record.save(update_fields=["previous", "fingerprint", "updated_by_batch", "sheet", "row", "station"])


def unmark_updated(record: ImportedRecord) -> dict:
    """Put ``record`` back as it was before the batch that corrected it; the replaced state is returned."""
    previous = record.previous or {}
    record.fingerprint = previous["fingerprint"]
    record.sheet = previous["sheet"]
    record.row = previous["row"]
    record.updated_by_batch_id = previous["batch"]
    record.station_id = previous["station"]
    record.previous = None
    record.save(update_fields=["fingerprint", "sheet", "row", "updated_by_batch", "station", "previous"])
    return previous["state"]


def touched_by(batch: ImportBatch, kind: str):
    """The records ``batch`` created, and those it corrected that an earlier import created."""
    created = ImportedRecord.objects.filter(batch=batch, kind=kind)
    corrected = ImportedRecord.objects.filter(updated_by_batch=batch, kind=kind).exclude(batch=batch)
    return created, corrected


def later_import_blocker(batch: ImportBatch, kind: str) -> list[str]:
    created = ImportedRecord.objects.filter(batch=batch, kind=kind)
    if created.filter(updated_by_batch__isnull=False).exclude(updated_by_batch=batch).exists():
        return [_("A later import changed some of its records; undo that import first.")]
    return []


def iso(day) -> str | None:
    return day.isoformat() if day else None
