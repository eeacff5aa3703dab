"""Reading a deputies roster against the database, writing nothing: one plan per deputy named.

A roster has a row per deputy per term, so the rows are read first and gathered by deputy (name and year
of birth); a deputy's own facts must agree across their rows, and their groups, stations and grids are the
union of what their rows name.
"""

import datetime as dt
import json
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from core import clock
from core.dates import LATEST_EVENT_YEAR
from core.text import clean_phone
from deputies.models import Deputy, DeputyKind, Gender, Level, Term
from duties.models import GridMode, GridRole
from imports.reading import CellError, LedgerRow, split_names, text_of
from imports.roster.columns import (
    CHUNK,
    NO,
    YES,
    Lookups,
    Plan,
    choice_labels,
    choose,
    columns,
    parse_year,
    parse_years,
)

# A deputy's own facts, which every row of the deputy gives alike (or leaves blank).
DEPUTY_FIELDS = ("kind", "gender", "birth_year", "party", "occupation", "phone", "is_standing_committee", "note")
# How the deputy serves the grids their rows name; agreed across their rows like their own facts.
GRID_FIELDS = ("grid_role", "grid_mode")
TERM_COLUMNS = ("level", "congress", "constituency", "start_year", "end_year", "term")
EARLIEST_TERM_YEAR = 1954  # the first people's congresses
MIN_AGE = 18


class _Row:
    """One roster row read: its values, and the problems found on its cells."""

    def __init__(self, row: LedgerRow, header: dict):
        self.row = row
        self.header = header
        self.values: dict = {}
        self.problems: list[CellError] = []

    def problem(self, column_field: str, message: str) -> None:
        self.problems.append(CellError(self.row.sheet, self.row.number, self.header[column_field], message))

    def read(self, column_field: str, reader, default=None):
        raw = self.row.values.get(column_field)
        if raw is None:
            return default
        try:
            return reader(raw)
        except ValidationError as exc:
            self.problem(column_field, " ".join(exc.messages))
        except ValueError as exc:
            self.problem(column_field, str(exc))
        return default


def _read_row(row: LedgerRow, header: dict, maps: dict, lookups: Lookups, today: dt.date) -> _Row:
    read = _Row(row, header)
    values = read.values
    values["name"] = read.read("name", lambda v: text_of(v, 50), "")
    if not values["name"]:
        read.problem("name", _("Enter the deputy's name."))
    values["kind"] = read.read("kind", lambda v: choose(v, maps["kind"]))
    values["gender"] = read.read("gender", lambda v: choose(v, maps["gender"]))
    birth_year = read.read("birth_year", parse_year)
    if birth_year is not None and not 1900 <= birth_year <= today.year - MIN_AGE:
        read.problem("birth_year", _("Not a plausible year of birth."))
        birth_year = None
    values["birth_year"] = birth_year
    values["party"] = read.read("party", lambda v: text_of(v, 50))
    values["occupation"] = read.read("occupation", lambda v: text_of(v, 200))
    values["phone"] = read.read("phone", lambda v: clean_phone(text_of(v, 30)) if text_of(v, 30) else None)
    standing = read.read("is_standing_committee", lambda v: choose(v, maps["yes_no"]))
    values["is_standing_committee"] = None if standing is None else standing == YES
    values["note"] = read.read("note", lambda v: text_of(v, 2000))

    term = {
        "level": read.read("level", lambda v: choose(v, maps["level"])),
        "congress": read.read("congress", lambda v: text_of(v, 100)),
        "constituency": read.read("constituency", lambda v: text_of(v, 100)),
        "start_year": read.read("start_year", parse_year),
        "end_year": read.read("end_year", parse_year),
    }
    if term["start_year"] is None and term["end_year"] is None:
        term["start_year"], term["end_year"] = read.read("term", parse_years, (None, None))
    if any(row.values.get(name) is not None for name in TERM_COLUMNS):
        values["term"] = term
    else:
        values["term"] = None

    def ids(column_field: str, table: dict, message: str) -> list[int] | None:
        names = read.read(column_field, split_names)
        if names is None:
            return None
        found = []
        for name in names:
            if name in table:
                found.append(table[name])
            else:
                read.problem(column_field, message % {"name": name})
        return found

    values["groups"] = ids("groups", lookups.groups, _("No deputy group named 「%(name)s」; create it first."))
    values["stations"] = ids("stations", lookups.stations, _("No station named 「%(name)s」."))
    values["grids"] = read.read("grids", split_names)
    values["grid_role"] = read.read("grid_role", lambda v: choose(v, maps["grid_role"]))
    values["grid_mode"] = read.read("grid_mode", lambda v: choose(v, maps["grid_mode"]))
    return read


def _term_problems(read: _Row, today: dt.date) -> None:
    """The rules a term obeys when entered in the product, checked on the row's cells."""
    term = read.values["term"]
    if term is None:
        return
    for name, message in (
        ("level", _("Choose the level of this term.")),
        ("congress", _("Enter the congress, e.g. 某区第十八届人民代表大会.")),
    ):
        if not term[name]:
            read.problem(name, message)
    start, end = term["start_year"], term["end_year"]
    if start is None:
        read.problem("start_year", _("Enter the year the term started."))
    elif not EARLIEST_TERM_YEAR <= start <= min(today.year + 1, LATEST_EVENT_YEAR):
        read.problem("start_year", _("Not a plausible year."))
    if end is not None and start is not None and end < start:
        read.problem("end_year", _("A term cannot end before it starts."))
    if read.problems:
        return
    model = Term(**{**term, "constituency": term["constituency"] or ""})
    try:
        model.full_clean(exclude=["deputy"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            read.problem(name if name in read.header else "level", " ".join(messages))


def _fingerprint(values: dict) -> str:
    # Keyed, so that a stored fingerprint does not let anyone try phone numbers against it.
    text = json.dumps(values, sort_keys=True, default=str)
    return salted_hmac("imports.roster", text).hexdigest()[:40]


def check(rows, *, actor, errors: list[CellError]):
    """The plans of the roster's deputies, ``CHUNK`` at a time; every problem of every row goes into ``errors``."""
    lookups = Lookups.load()
    header = {column.field: column.header for column in columns()}
    maps = {
        "kind": choice_labels(DeputyKind.choices),
        "gender": choice_labels(Gender.choices),
        "level": choice_labels(Level.choices),
        "yes_no": {YES: YES, NO: NO},
        "grid_role": choice_labels(GridRole.choices),
        "grid_mode": choice_labels(GridMode.choices),
    }
    today = clock.today()
    people: dict[tuple, list[_Row]] = defaultdict(list)
    for row in rows:
        read = _read_row(row, header, maps, lookups, today)
        _term_problems(read, today)
        people[(read.values["name"], read.values["birth_year"])].append(read)
    plans: list[Plan] = []
    by_deputy: dict[int, int] = {}
    leaders: dict[int, int] = {}  # grid id → the row that makes someone its leader
    with_year = {name for name, year in people if year is not None}
    for (name, birth_year), reads in people.items():
        if not name:
            for read in reads:
                errors.extend(read.problems)
            continue
        plan = _person(name, birth_year, reads, lookups, with_year, today)
        if plan is not None and plan.deputy_id is not None:
            if plan.deputy_id in by_deputy:
                reads[0].problem(
                    "name",
                    _("Names the same deputy as row %(row)s; write the year of birth to tell them apart.")
                    % {"row": by_deputy[plan.deputy_id]},
                )
                plan = None
            else:
                by_deputy[plan.deputy_id] = reads[0].row.number
        if plan is not None:
            _leader_problems(plan, reads[0], lookups, leaders)
        for read in reads:
            errors.extend(read.problems)
        if plan is not None and not any(read.problems for read in reads):
            plans.append(plan)
    for start in range(0, len(plans), CHUNK):
        yield plans[start : start + CHUNK]


def _merge(reads: list[_Row]) -> dict:
    """The deputy's values from all their rows: facts that must agree, sets that add up, terms listed."""
    merged: dict = {"name": reads[0].values["name"]}
    source: dict[str, int] = {}
    for field in (*DEPUTY_FIELDS, *GRID_FIELDS):
        merged[field] = None
        for read in reads:
            value = read.values[field]
            if value is None:
                continue
            if merged[field] is None:
                merged[field], source[field] = value, read.row.number
            elif value != merged[field]:
                read.problem(field, _("Differs from row %(row)s of the same deputy.") % {"row": source[field]})
    for field in ("groups", "stations", "grids"):
        given = [read.values[field] for read in reads if read.values[field] is not None]
        merged[field] = None if not given else sorted({item for items in given for item in items}, key=str)
    merged["terms"] = []
    seen: dict[tuple, int] = {}
    for read in reads:
        term = read.values["term"]
        if term is None:
            continue
        key = (term["level"], term["start_year"])
        if key in seen:
            read.problem(
                "level",
                _("This deputy already has a term at this level starting that year (row %(row)s).")
                % {"row": seen[key]},
            )
        seen[key] = read.row.number
        merged["terms"].append({**term, "constituency": term["constituency"] or ""})
    merged["terms"].sort(key=lambda t: (t["level"] or "", t["start_year"] or 0))
    return merged


def _existing(name: str, birth_year: int | None, lookups: Lookups, first: _Row) -> tuple[bool, Deputy | None]:
    """The deputy the rows name, matched by name and year of birth: (ok, deputy or None for a new one)."""
    namesakes = lookups.deputies.get(name, [])
    if birth_year is None:
        candidates = namesakes
    else:
        candidates = [d for d in namesakes if d.birth_year == birth_year] or [
            d for d in namesakes if d.birth_year is None
        ]
    if len(candidates) > 1:
        if birth_year is None:
            message = _(
                "%(count)s deputies in the product are named 「%(name)s」; write the year of birth to say which."
            )
        else:
            message = _(
                "%(count)s deputies in the product are named 「%(name)s」 with this year of birth; "
                "enter this deputy in the product."
            )
        first.problem("name", message % {"count": len(candidates), "name": name})
        return False, None
    return True, (candidates[0] if candidates else None)


def _person(name, birth_year, reads: list[_Row], lookups: Lookups, with_year: set, today) -> Plan | None:
    first = reads[0]
    if birth_year is None and name in with_year:
        first.problem(
            "name", _("Other rows give 「%(name)s」 a year of birth; write it on this row too.") % {"name": name}
        )
        return None
    values = _merge(reads)
    ok, deputy = _existing(name, birth_year, lookups, first)
    if not ok:
        return None
    kind = values["kind"] or (deputy.kind if deputy else DeputyKind.CONGRESS)
    term_row = next((read for read in reads if read.values["term"] is not None), None)
    if kind == DeputyKind.DELIBERATION:
        if term_row is not None:
            term_row.problem(
                "level", _("A deliberation representative is appointed by the street and holds no congress term.")
            )
        elif deputy is not None and lookups.levels.get(deputy.id):
            first.problem(
                "kind", _("Remove this deputy's congress terms before making them a deliberation representative.")
            )
    if deputy is not None and values["groups"] is not None:
        left = [name for group_id, name in lookups.led[deputy.id].items() if group_id not in values["groups"]]
        if left:  # as the deputies' service refuses it
            first.problem(
                "groups",
                _("This deputy leads %(groups)s: choose another leader before taking them out.")
                % {"groups": "、".join(sorted(left))},
            )
    values["grids"] = _grids(values, lookups, first)
    if (values["grid_role"] or values["grid_mode"]) and values["grids"] is None:
        first.problem("grids", _("Name the grids this role is for."))
    if values["grids"] and deputy is not None and not deputy.is_active:
        first.problem("grids", _("This deputy is not active and cannot be assigned to a grid."))
    model = Deputy(
        name=name,
        kind=kind,
        **{field: values[field] for field in DEPUTY_FIELDS if field != "kind" and values[field] is not None},
    )
    try:
        model.full_clean(exclude=["photo", "introduction"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            first.problem(field if field in first.header else "name", " ".join(messages))
    plan = Plan(row=first.row, key="", fingerprint=_fingerprint(values), values=values)
    if deputy is not None:
        plan.deputy_id = deputy.id
        plan.record = lookups.records.get(deputy.id)
        if plan.record is not None and plan.record.fingerprint == plan.fingerprint:
            plan.action = "unchanged"
        else:
            plan.action = "update"
    return plan


def _grids(values: dict, lookups: Lookups, first: _Row) -> list[int] | None:
    """The grids named, by name or code. A name several grids share is read within the areas of the
    deputy's stations, or else of the stations above them (a point's grids are kept by its area)."""
    if values["grids"] is None:
        return None
    stations = values["stations"] or []
    near, wider = set(), set()
    for station_id in stations:
        near |= lookups.subtree.get(station_id, {station_id})
        parent = lookups.parents.get(station_id)
        wider |= lookups.subtree.get(parent, set()) if parent else set()
    found = []
    for name in values["grids"]:
        every = lookups.grids.get(name, [])
        candidates = {grid_id for grid_id, _owner in every}
        for reach in (near, wider):
            if len(candidates) > 1:
                within = {grid_id for grid_id, owner in every if owner in reach}
                candidates = within or candidates
        if not every:
            first.problem("grids", _("No grid named 「%(name)s」.") % {"name": name})
        elif len(candidates) != 1:
            first.problem("grids", _("Several grids are named 「%(name)s」; write its code.") % {"name": name})
        else:
            found.extend(candidates)
    return sorted(set(found))


def _leader_problems(plan: Plan, first: _Row, lookups: Lookups, leaders: dict[int, int]) -> None:
    """A grid has one open leader: in the product, and in the roster."""
    if plan.values["grid_role"] != GridRole.LEADER:
        return
    for grid_id in plan.values["grids"] or ():
        holder = lookups.leaders.get(grid_id)
        if holder is not None and holder != plan.deputy_id:
            first.problem("grid_role", _("This grid already has a grid leader."))
        elif grid_id in leaders:
            first.problem(
                "grid_role", _("Row %(row)s makes another deputy this grid's leader.") % {"row": leaders[grid_id]}
            )
        else:
            leaders[grid_id] = first.row.number
