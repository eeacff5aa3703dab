"""The deputies roster (代表名册): a row per deputy per term, with their groups, stations and grids.

Only the office and admins import it, as only they record deputies. The rows of one deputy are gathered
into one plan; ``write`` goes through the deputies' and grid assignments' services, so an imported deputy
obeys the rules of one entered in the product.

A roster has no identity number. A deputy is the name together with the year of birth when the roster
gives one: two rows with the same name and year (or both without a year) are the same person. The rows
are matched to the deputies already in the product by that name, and by year of birth when both have one;
a name that fits several deputies is an error on the name cell (write the year of birth), never a guess.
A deputy entered in the product before is updated, not duplicated, and restored by an undo. A year of birth other
than the product's names another person: a year of birth is corrected in the product, not by a roster.

A blank cell leaves what the product has; the terms at the levels a deputy's rows name replace the
terms at those levels; named groups and stations replace the deputy's; named grids are added as open
assignments from the day of the import, and a grid role or mode given changes the deputy's open ones.
Importing the same file again changes nothing. An undo removes the deputies the batch created, unless
they have since been used (visits, duties, accounts …), and restores the deputies it changed, unless
they were edited in the product since.
"""

from core.roles import Role
from deputies.models import DeputyGroup
from imports.roster.checking import check
from imports.roster.columns import CHUNK, KIND, Plan, columns
from imports.roster.undoing import undo, undo_blockers
from imports.roster.writing import write
from organisation.models import Station

# Who may import a roster: those who record deputies in the product.
ROLES = (Role.OFFICE, Role.ADMIN)


def template_lists(actor) -> dict[str, list[str]]:
    """The template's drop-downs beyond the fixed choices: deputy groups and stations (a cell may still
    name several, separated by 、)."""
    return {
        "groups": list(DeputyGroup.objects.order_by("name").values_list("name", flat=True)),
        "stations": list(Station.objects.order_by("name").values_list("name", flat=True)),
    }


__all__ = ["CHUNK", "KIND", "ROLES", "Plan", "check", "columns", "template_lists", "undo", "undo_blockers", "write"]
