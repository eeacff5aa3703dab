"""Reading every row of a suggestion-handling ledger against the database, a chunk at a time, writing nothing."""

import datetime as dt
import hashlib
import json
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.dates import EARLIEST_EVENT_YEAR, LATEST_EVENT_YEAR
from imports.models import ImportedRecord
from imports.reading import CellError, LedgerRow, parse_date, split_names, text_of
from imports.suggestion_ledger.columns import (
    CHUNK,
    KIND,
    MAX_CONTENT,
    MAX_REPLY,
    MAX_TITLE,
    SYNONYMS,
    Lookups,
    Plan,
    choice_labels,
    columns,
)
from suggestions.models import (
    Action,
    AssignmentRole,
    Category,
    ContactMethod,
    Rating,
    State,
    Suggestion,
)


def _choice(value, mapping: dict[str, str], default: str) -> str:
    """A drop-down value from its Chinese label, its code or a word ledgers use; ``ValueError`` listing the options."""
    if value is None:
        return default
    text = text_of(value)
    for code, label in mapping.items():
        if text in (label, code) or text in SYNONYMS.get(code, ()):
            return code
    close = [code for code, label in mapping.items() if text and (label in text or text in label)]
    if len(close) == 1:
        return close[0]
    raise ValueError(_("Choose one of: %(options)s.") % {"options": "、".join(mapping.values())})


def _reply_class(value) -> str:
    """A reply class from 「A」, 「a类」, 「A类：已解决或基本解决」 …"""
    text = text_of(value).strip().upper()
    match = re.match(r"^([ABCD])(类|$|[:：\s])", text)
    if match:
        return match.group(1)
    raise ValueError(_("Write A, B, C or D."))


def _key(station_id: int, values: dict) -> str:
    return f"{station_id}|{values['submitted'].year}|{values['number']}"


def _fingerprint(values: dict) -> str:
    return hashlib.sha1(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def _row_values(row: LedgerRow, lookups: Lookups, header: dict, maps: dict, today: dt.date, errors: list):
    """The row's values as ids and plain types, or None after adding its problems to ``errors``."""
    found: list[CellError] = []

    def problem(column_field: str, message: str) -> None:
        found.append(CellError(row.sheet, row.number, header[column_field], message))

    raw = row.values

    def read(column_field: str, reader, default=None):
        if raw.get(column_field) is None:
            return default
        try:
            return reader(raw[column_field])
        except ValueError as exc:
            problem(column_field, str(exc))
            return default

    def dated(column_field: str):
        day = read(column_field, parse_date)
        if day is None:
            return None
        if day > today:
            problem(column_field, _("The date is in the future."))
        elif not EARLIEST_EVENT_YEAR <= day.year <= LATEST_EVENT_YEAR:
            problem(column_field, _("The date is out of range."))
        return day

    def not_before(column_field: str, day, earlier, earlier_field: str) -> None:
        if day and earlier and day < earlier:
            problem(column_field, _("Earlier than the %(column)s.") % {"column": header[earlier_field]})

    def one(names: dict, name: str, column_field: str, unknown: str, several: str):
        matches = names.get(name, [])
        if not matches:
            problem(column_field, unknown % {"name": name})
            return None
        if len(matches) > 1:
            problem(column_field, several % {"name": name})
            return None
        return matches[0]

    values: dict = {}
    values["number"] = read("number", lambda v: text_of(v, 50), "")
    values["title"] = read("title", lambda v: text_of(v, MAX_TITLE), "")
    if not values["title"]:
        problem("title", _("Give the suggestion a title."))
    values["content"] = read("content", lambda v: text_of(v, MAX_CONTENT), "") or values["title"]
    values["category"] = read("category", lambda v: _choice(v, maps["category"], ""), Category.OTHER)

    values["lead_deputy"] = None
    lead_name = read("lead_deputy", lambda v: text_of(v, 50), "")
    lead = one(
        lookups.deputies,
        lead_name,
        "lead_deputy",
        _("No deputy named 「%(name)s」."),
        _("Several deputies are named 「%(name)s」; enter this suggestion in the product."),
    )
    if lead is not None:
        if lookups.visible is not None and lead[0] not in lookups.visible:
            problem(
                "lead_deputy",
                _("「%(name)s」 is not a deputy of your stations; the office imports this suggestion.")
                % {"name": lead_name},
            )
        else:
            values["lead_deputy"] = lead[0]
    cosigners = []
    for name in read("cosigners", split_names, []):
        match = one(
            lookups.deputies,
            name,
            "cosigners",
            _("No deputy named 「%(name)s」."),
            _("Several deputies are named 「%(name)s」; enter this suggestion in the product."),
        )
        if match is None:
            continue
        if lead is not None and match[0] == lead[0]:
            problem("cosigners", _("The lead deputy cannot also co-sign."))
        elif not match[1]:
            problem("cosigners", _("%(name)s is no longer an active deputy.") % {"name": name})
        else:
            cosigners.append(match[0])
    values["cosigners"] = sorted(set(cosigners))

    values["station"] = None
    station_name = read("station", text_of, "")
    if station_name:
        values["station"] = lookups.stations.get(station_name)
        if values["station"] is None:
            problem("station", _("No station named 「%(name)s」 among the stations you keep.") % {"name": station_name})
    elif lead is not None:
        resident = lookups.residence.get(lead[0], set())
        if len(resident) == 1:
            values["station"] = next(iter(resident))
        else:
            problem("station", _("Write the station: the lead deputy is not resident at exactly one of yours."))

    values["submitted"] = dated("submitted")
    values["assigned"] = dated("assigned")
    not_before("assigned", values["assigned"], values["submitted"], "submitted")
    values["lead_unit"] = None
    unit_name = read("lead_unit", text_of, "")
    unknown_unit = _("No handling unit named 「%(name)s」.")
    several_units = _("Several handling units are named 「%(name)s」.")
    inactive_unit = _("%(unit)s is no longer active.")
    if unit_name:
        unit = one(lookups.units, unit_name, "lead_unit", unknown_unit, several_units)
        if unit is not None and not unit[1]:
            problem("lead_unit", inactive_unit % {"unit": unit_name})
        elif unit is not None:
            values["lead_unit"] = unit[0]
        if values["assigned"] is None and "assigned" not in raw:
            problem("assigned", _("A suggestion with a lead unit was assigned: enter the date of assignment."))
    elif values["assigned"]:
        problem("lead_unit", _("Choose the lead unit."))
    co_units = []
    for name in read("co_units", split_names, []):
        unit = one(lookups.units, name, "co_units", unknown_unit, several_units)
        if unit is None:
            continue
        if unit[0] == values["lead_unit"]:
            problem("co_units", _("The lead unit cannot also be a co-unit."))
        elif not unit[1]:
            problem("co_units", inactive_unit % {"unit": name})
        else:
            co_units.append(unit[0])
    values["co_units"] = sorted(set(co_units))
    if co_units and not unit_name:
        problem("co_units", _("Co-units are assigned with a lead unit."))

    values["contact"] = dated("contact")
    values["contact_method"] = read(
        "contact_method", lambda v: _choice(v, maps["method"], ""), ContactMethod.MEETING if values["contact"] else ""
    )
    values["reply"] = dated("reply")
    values["reply_class"] = read("reply_class", _reply_class, "")
    values["reply_content"] = read("reply_content", lambda v: text_of(v, MAX_REPLY), "")
    values["rating"] = read("rating", lambda v: _choice(v, maps["rating"], ""), "")
    values["rated"] = dated("rated") or (values["reply"] if values["rating"] else None)
    values["reply2"] = dated("reply2")
    values["reply2_class"] = read("reply2_class", _reply_class, "")
    values["reply2_content"] = read("reply2_content", lambda v: text_of(v, MAX_REPLY), "")
    values["rating2"] = read("rating2", lambda v: _choice(v, maps["rating"], ""), "")
    values["rated2"] = dated("rated2") or (values["reply2"] if values["rating2"] else None)

    # Each step needs the one before it and does not come before it.
    if values["contact"] and not values["assigned"]:
        problem("contact", _("Only an assigned suggestion has contacts with the deputy."))
    not_before("contact", values["contact"], values["assigned"], "assigned")
    if values["contact_method"] and not values["contact"]:
        problem("contact", _("Enter the date of the contact."))
    for prefix, date_field, needs, earlier in (
        ("reply", "reply", "assigned", "contact"),
        ("reply2", "reply2", "rated", None),
    ):
        if values[date_field]:
            if not values[needs]:
                if prefix == "reply":
                    problem(date_field, _("Only an assigned suggestion can be replied to."))
                else:
                    problem(date_field, _("A second reply follows a first evaluation of 「不满意」."))
            not_before(date_field, values[date_field], values[needs], needs)
            if earlier:
                not_before(date_field, values[date_field], values[earlier], earlier)
            if not values[f"{prefix}_class"]:
                problem(f"{prefix}_class", _("Give the reply's class (A, B, C or D)."))
            if not values[f"{prefix}_content"]:
                problem(f"{prefix}_content", _("Write the reply."))
        elif values[f"{prefix}_class"] or values[f"{prefix}_content"]:
            problem(date_field, _("Enter the date of the reply."))
    if values["reply2"] and values["rating"] and values["rating"] != Rating.UNSATISFIED:
        problem("reply2", _("A second reply follows a first evaluation of 「不满意」."))
    for rating_field, date_field, reply_field in (("rating", "rated", "reply"), ("rating2", "rated2", "reply2")):
        if values[date_field] and not values[rating_field]:
            problem(rating_field, _("Give the rating of the evaluation."))
        if values[rating_field] and not values[reply_field]:
            problem(rating_field, _("Only a reply can be evaluated."))
        not_before(date_field, values[date_field], values[reply_field], reply_field)
    if found:
        errors.extend(found)
        return None
    return values


def check(rows, *, actor, errors: list[CellError]):
    """The plans of the rows, ``CHUNK`` at a time; every problem of every row goes into ``errors``."""
    lookups = Lookups.load(actor)
    header = {column.field: column.header for column in columns()}
    maps = {
        "category": choice_labels(Category.choices),
        "rating": choice_labels(Rating.choices),
        "method": choice_labels(ContactMethod.choices),
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
            errors.append(
                CellError(
                    row.sheet, row.number, header["number"], _("The same record as row %(row)s.") % {"row": seen[key]}
                )
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


# --- Rows already imported ------------------------------------------------------------------------


def recorded_steps(suggestion: Suggestion) -> dict:
    """What the product holds of a suggestion, in the ledger's terms (prefetched relations are used)."""
    local = timezone.localdate
    replies = {reply.round: reply for reply in suggestion.replies.all()}
    evaluations = {evaluation.reply.round: evaluation for evaluation in suggestion.evaluations.all()}
    active = [a for a in suggestion.assignments.all() if a.active]
    steps = {
        "lead_deputy": suggestion.lead_deputy_id,
        "cosigners": sorted(c.deputy_id for c in suggestion.cosignatures.all()),
        "submitted": local(suggestion.submitted_at) if suggestion.submitted_at else None,
        "assigned": suggestion.assigned_on,
        "lead_unit": suggestion.lead_unit_id,
        "co_units": sorted(a.unit_id for a in active if a.role == AssignmentRole.CO),
        "contacts": {c.contacted_on for c in suggestion.contacts.all()},
    }
    for number, prefix, rating in ((1, "reply", "rating"), (2, "reply2", "rating2")):
        reply = replies.get(number)
        steps[prefix] = reply.replied_on if reply else None
        steps[f"{prefix}_class"] = reply.reply_class if reply else ""
        evaluation = evaluations.get(number)
        steps[rating] = evaluation.rating if evaluation else ""
        steps["rated" if number == 1 else "rated2"] = local(evaluation.evaluated_at) if evaluation else None
    events = [e for e in suggestion.events.all() if e.action != Action.RECOMPUTE_DEADLINE]
    steps["last_step_on"] = max((local(e.at) for e in events), default=None)
    return steps


# The state a suggestion must be in for each step the ledger adds to it.
NEEDS_STATE = {
    "assigned": (State.SUBMITTED,),
    "contact": (State.ASSIGNED, State.IN_PROGRESS),
    "reply": (State.ASSIGNED, State.IN_PROGRESS),
    "rated": (State.REPLIED,),
    "reply2": (State.REHANDLING,),
    "rated2": (State.REPLIED,),
}
# For each step: the fields that must equal what the product recorded once the step is recorded.
STEP_FIELDS = {
    "submitted": ("submitted",),
    "assigned": ("assigned", "lead_unit", "co_units"),
    "reply": ("reply", "reply_class"),
    "rated": ("rating", "rated"),
    "reply2": ("reply2", "reply2_class"),
    "rated2": ("rating2", "rated2"),
}


def _shown(name: str, value, suggestion: Suggestion) -> str:
    """A recorded value as the ledger writes it: a date, a unit's name, a rating's label."""
    if value in ("", None, []):
        return "—"
    if isinstance(value, dt.date):
        return value.isoformat()
    if name in ("lead_unit", "co_units"):
        units = {a.unit_id: a.unit.name for a in suggestion.assignments.all()}
        return "、".join(units.get(unit_id, str(unit_id)) for unit_id in (value if name == "co_units" else [value]))
    if name in ("rating", "rating2"):
        return str(Rating(value).label)
    return str(value)


def _compare(plan: Plan, suggestion: Suggestion, header: dict) -> list[tuple[str, str]]:
    """The problems of a corrected row against its suggestion, as (column field, message); sets ``plan.steps``."""
    values = plan.values
    steps = recorded_steps(suggestion)
    problems = []
    fixed = _(
        "Already recorded in the product as 「%(value)s」; the ledger cannot change it (correct it in the product)."
    )
    for name in ("lead_deputy", "cosigners"):
        if values[name] != steps[name]:
            problems.append((name, _("The ledger cannot change who raised or co-signed a suggestion once imported.")))
    adding = []
    state = suggestion.state
    for step, names in STEP_FIELDS.items():
        if steps[step] is not None:  # the step is recorded in the product
            for name in names:
                if values[name] != steps[name]:
                    problems.append((name, fixed % {"value": _shown(name, steps[name], suggestion)}))
            continue
        if values[step] is None:
            continue
        adding.append(step)
    if values["contact"] and values["contact"] not in steps["contacts"]:
        if steps["reply"] is not None:
            late = _("The suggestion was replied to in the product; a contact before the reply cannot be added now.")
            problems.append(("contact", late))
        else:
            adding.append("contact")
    adding.sort(key=lambda step: ("assigned", "contact", "reply", "rated", "reply2", "rated2").index(step))
    if adding and not problems:
        first = adding[0]
        if state not in NEEDS_STATE[first]:
            problems.append(
                (
                    first,
                    _("The suggestion is “%(state)s” in the product; this step cannot be added from the ledger.")
                    % {"state": State(state).label},
                )
            )
        elif steps["last_step_on"] and values[first] < steps["last_step_on"]:
            problems.append(
                (
                    first,
                    _("Earlier than the last step recorded in the product (%(date)s).")
                    % {"date": steps["last_step_on"].isoformat()},
                )
            )
    plan.steps = tuple(adding)
    return problems


def _match_existing(plans: list[Plan], errors: list[CellError], header: dict) -> None:
    by_key = {plan.key: plan for plan in plans}
    records = list(
        ImportedRecord.objects.filter(kind=KIND, key__in=list(by_key))
        .select_related("suggestion")
        .prefetch_related(
            "suggestion__replies",
            "suggestion__evaluations__reply",
            "suggestion__assignments__unit",
            "suggestion__cosignatures",
            "suggestion__contacts",
            "suggestion__events",
        )
    )
    for record in records:
        plan = by_key[record.key]
        plan.record = record
        if record.suggestion is None:
            plan.action = "create"  # removed in the product since: imported again
        elif record.fingerprint == plan.fingerprint:
            plan.action = "unchanged"
        else:
            problems = _compare(plan, record.suggestion, header)
            for name, message in problems:
                errors.append(CellError(plan.row.sheet, plan.row.number, header[name], message))
            plan.action = "update"
