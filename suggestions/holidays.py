"""The official holiday schedule as the office enters it: entries, their rules, and the pasted text.

Each November or December the State Council publishes next year's holidays (国务院办公厅关于
部分节假日安排的通知). The office enters them as a list of exceptions to the week:

- a **holiday** (放假) on any day: Monday to Friday are then days off; a holiday on a weekend
  changes nothing but is accepted, so that a range can be typed as published
  ("2027-02-06~2027-02-13 春节") and keeps its name on the calendar page;
- a **make-up working day** (调休上班) on a Saturday or Sunday only: a weekday is a working
  day anyway, so a "working" weekday is a typo and is refused.

The text form is one line per day or range, ``<date>[~<date>] <name>``; the name 上班, 补班 or
调休上班 (optionally followed by a description) marks make-up working days. Blank lines and lines
starting with ``#`` are ignored. Nothing here touches the database; ``services.calendar_year_enter``
stores the result.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from suggestions.models import CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR

NAME_MAX = 30
WORKING_DAY_NAME = "调休上班"
# Words that mark a make-up working day in the text form.
WORKING_DAY_WORDS = ("调休上班", "上班", "补班")
# "调休" alone is used for both the days off and the days worked in exchange: ask which.
AMBIGUOUS_WORDS = ("调休",)
_RANGE_SEPARATORS = "~～至到—–"
_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_LINE = re.compile(rf"^(?P<start>{_DATE})(?:\s*[{_RANGE_SEPARATORS}]\s*(?P<end>{_DATE}))?\s+(?P<name>\S.*)$")
_DATE_PARTS = re.compile(r"\d+")


@dataclass(frozen=True)
class ScheduleEntry:
    """One day of the schedule; ``line`` is the pasted line it came from, for error messages."""

    day: date
    is_working_day: bool
    name: str
    line: int | None = None

    @property
    def date(self) -> date:
        """The same name as on ``CalendarDay``, so that pages show both alike."""
        return self.day


def _where(entry: ScheduleEntry) -> str:
    if entry.line is not None:
        return _("Line %(line)s") % {"line": entry.line}
    return entry.day.isoformat()


def check_entries(year, entries) -> list[ScheduleEntry]:
    """The entries in date order, or a ``ValidationError`` listing every problem (naming the line).

    Rules: a year between 2000 and 2100; at least one entry; every date in that year and listed once;
    a name of at most 30 characters; a make-up working day on a Saturday or Sunday.
    """
    if not isinstance(year, int) or not CALENDAR_FIRST_YEAR <= year <= CALENDAR_LAST_YEAR:
        raise ValidationError(
            {
                "year": _("Enter a year between %(first)s and %(last)s.")
                % {"first": CALENDAR_FIRST_YEAR, "last": CALENDAR_LAST_YEAR}
            }
        )
    entries = list(entries or ())
    if not entries:
        raise ValidationError(_("The schedule is empty: list the holidays and the make-up working days."))
    errors = []
    seen: dict[date, ScheduleEntry] = {}
    for entry in entries:
        name = (entry.name or "").strip()
        if entry.day.year != year:
            errors.append(
                _("%(where)s: %(date)s is not in %(year)s.")
                % {"where": _where(entry), "date": entry.day.isoformat(), "year": year}
            )
        if entry.day in seen:
            errors.append(
                _("%(where)s: %(date)s is listed twice (also at %(other)s).")
                % {"where": _where(entry), "date": entry.day.isoformat(), "other": _where(seen[entry.day])}
            )
        else:
            seen[entry.day] = entry
        if not name:
            errors.append(_("%(where)s: give the day a name, e.g. 春节.") % {"where": _where(entry)})
        elif len(name) > NAME_MAX:
            errors.append(
                _("%(where)s: the name may have at most %(n)s characters.") % {"where": _where(entry), "n": NAME_MAX}
            )
        if entry.is_working_day and entry.day.weekday() < 5:
            errors.append(
                _(
                    "%(where)s: %(date)s is a weekday, which is a working day anyway; only a Saturday or a "
                    "Sunday can be a make-up working day."
                )
                % {"where": _where(entry), "date": entry.day.isoformat()}
            )
    if errors:
        raise ValidationError(errors)
    return sorted(
        (
            ScheduleEntry(day=e.day, is_working_day=bool(e.is_working_day), name=e.name.strip(), line=e.line)
            for e in entries
        ),
        key=lambda e: e.day,
    )


def _parse_date(text: str, line: int) -> date:
    parts = [int(part) for part in _DATE_PARTS.findall(text)]
    try:
        return date(*parts)
    except (TypeError, ValueError):
        raise ValidationError(
            _("Line %(line)s: %(value)s is not a date.") % {"line": line, "value": text.strip()}
        ) from None


def parse_schedule(text: str) -> list[ScheduleEntry]:
    """The entries of the pasted text, one per day of each range; a ``ValidationError`` lists the lines
    that cannot be read (``check_entries`` then applies the rules of the schedule)."""
    entries, errors = [], []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            errors.append(
                _("Line %(line)s: “%(text)s” is not “date name” or “date~date name”, e.g. “2027-01-01 元旦”.")
                % {"line": number, "text": line[:60]}
            )
            continue
        try:
            start = _parse_date(match["start"], number)
            end = _parse_date(match["end"], number) if match["end"] else start
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if end < start:
            errors.append(_("Line %(line)s: the range ends before it starts.") % {"line": number})
            continue
        label, *rest = match["name"].split(maxsplit=1)
        rest = rest[0] if rest else ""
        if label in AMBIGUOUS_WORDS:
            errors.append(
                _(
                    "Line %(line)s: “%(word)s” is ambiguous: write the holiday's name for days off, or 上班 for a "
                    "make-up working day."
                )
                % {"line": number, "word": label}
            )
            continue
        working = label in WORKING_DAY_WORDS
        name = (rest.strip() or WORKING_DAY_NAME) if working else match["name"].strip()
        day = start
        while day <= end:
            entries.append(ScheduleEntry(day=day, is_working_day=working, name=name, line=number))
            day += timedelta(days=1)
    if errors:
        raise ValidationError(errors)
    if not entries:
        raise ValidationError(_("The schedule is empty: list the holidays and the make-up working days."))
    return entries


def schedule_text(days) -> str:
    """The text form of stored ``CalendarDay`` rows, consecutive days of the same name
    and kind written as one range, so that a year can be corrected and entered again."""
    lines, run = [], []

    def flush():
        if not run:
            return
        first, last = run[0], run[-1]
        dates = (
            first.date.isoformat() if first.date == last.date else f"{first.date.isoformat()}~{last.date.isoformat()}"
        )
        if first.is_working_day:
            label = WORKING_DAY_NAME if first.name == WORKING_DAY_NAME else f"上班 {first.name}"
        else:
            label = first.name
        lines.append(f"{dates} {label}")

    for day in sorted(days, key=lambda d: d.date):
        if run and (
            day.date != run[-1].date + timedelta(days=1)
            or day.is_working_day != run[-1].is_working_day
            or day.name != run[-1].name
        ):
            flush()
            run = []
        run.append(day)
    flush()
    return "\n".join(lines)
