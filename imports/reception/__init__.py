"""The reception ledger (接待台账): one row per opinion received, with the visit it was raised at.

Columns are in ``COLUMNS`` (the template's headers, the other headers real ledgers use, which are required).
``check`` reads every row against the database without writing anything and returns a ``Plan`` per row
(create, update or unchanged) plus the problems found; ``write`` carries the plans out in bulk inside the
caller's transaction; ``undo`` removes what a batch created and restores what it updated.

Rows are keyed by the station and the ledger's own number (登记编号) when the ledger has one, else by the
station, the date, the constituent's name and the text of the opinion: importing the same file twice finds
every row already there and changes nothing; a corrected row (same key, other values) updates the records.

Names are matched to records (stations, grids, deputies, units): an unknown name or one that fits several
records is an error on that cell, never a guess. Imported history is checked as the pages check new entries
(dates not in the future, an outcome before its resolution, a referred opinion names its unit) except that
a receiving deputy need not still be resident at the station: rosters change over the years.
"""

from imports.reception.checking import check
from imports.reception.columns import CHUNK, KIND, Plan, columns
from imports.reception.undoing import undo, undo_blockers
from imports.reception.writing import opinion_fields, visit_fields, write

__all__ = [
    "CHUNK",
    "KIND",
    "Plan",
    "check",
    "columns",
    "opinion_fields",
    "undo",
    "undo_blockers",
    "visit_fields",
    "write",
]
