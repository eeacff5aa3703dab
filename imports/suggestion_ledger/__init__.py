"""The suggestion-handling ledger (建议办理台账): one row per deputy suggestion and how it was handled.

Columns are in ``columns.columns()``. ``check`` reads every row against the database without writing
anything and returns a ``Plan`` per row (create, update or unchanged) plus the problems found, in
Chinese, on the cell; ``write`` records each row through the suggestion services, back-recorded with
the ledger's dates (提 → 交 → 沟通 → 答复 → 评价 → 再办理 → 再次评价), so that deadlines, states, the
timeline and the statistics are those of entering the same history by hand; a row that stops part-way
leaves its suggestion in that state. ``undo`` removes what a batch created and restores what it
corrected, while nothing has been built on it (``undo_blockers``).

Rows are keyed by the station, the year of submission and the ledger's number (建议编号): importing the
same file twice finds every row already there and changes nothing. A corrected row updates the texts
(title, content, category, reply texts) and records the steps the product does not have yet; a step the
product already holds (its date, units, class or rating) cannot be changed from a ledger and is an error
on that cell. Names are matched to deputies and handling units: an unknown name or one that fits several
is an error, never a guess; station staff import the suggestions of their stations' deputies only.
"""

from imports.suggestion_ledger.checking import check
from imports.suggestion_ledger.columns import CHUNK, KIND, Plan, columns, template_lists
from imports.suggestion_ledger.undoing import undo, undo_blockers
from imports.suggestion_ledger.writing import write

__all__ = ["CHUNK", "KIND", "Plan", "check", "columns", "template_lists", "undo", "undo_blockers", "write"]
