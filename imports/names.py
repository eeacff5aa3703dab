"""What every ledger kind reads the same way: drop-down words to their codes, and the stations and grids
that names in a ledger refer to (read once per check, so that a large ledger costs a handful of queries)."""

from collections import defaultdict

from django.utils import translation
from django.utils.translation import gettext as _

from imports.reading import text_of
from organisation.models import Grid


def choice_labels(choices) -> dict[str, str]:
    """value → Chinese label, as the template's drop-downs offer them."""
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in choices}


def pick(value, mapping: dict[str, str], synonyms: dict, default: str = "") -> str:
    """A drop-down value from its Chinese label, its code or a word ledgers use for it (``synonyms``:
    code → words); ``default`` for an empty cell; ``ValueError`` listing the options otherwise.

    Ledgers word choices their own way (「交通出行」 for 「交通」, 「走访」 for 「入户走访」): one label that
    contains the text, or is contained in it, is that choice; none or several is an error.
    """
    if value is None:
        return default
    text = text_of(value)
    for code, label in mapping.items():
        if text in (label, code) or text in synonyms.get(code, ()):
            return code
    close = [code for code, label in mapping.items() if text and (label in text or text in label)]
    if len(close) == 1:
        return close[0]
    raise ValueError(_("Choose one of: %(options)s.") % {"options": "、".join(mapping.values())})


def station_subtrees(stations) -> dict[int, set[int]]:
    """station id → the ids of the station and the stations below it (two levels: area, then point)."""
    children = defaultdict(set)
    for station in stations:
        if station.parent_id:
            children[station.parent_id].add(station.id)
    subtree = {}
    for station in stations:
        below = {station.id, *children[station.id]}
        for child in list(children[station.id]):
            below |= children[child]
        subtree[station.id] = below
    return subtree


def grids_by_name() -> defaultdict[str, list[tuple[int, int]]]:
    """Grid name or code → [(grid id, id of the station it belongs to)]: two grids may share a name."""
    grids = defaultdict(list)
    for grid in Grid.objects.select_related("centre__community").only(
        "id", "name", "code", "centre__community__station_id"
    ):
        owner = grid.centre.community.station_id
        grids[grid.name].append((grid.id, owner))
        if grid.code != grid.name:
            grids[grid.code].append((grid.id, owner))
    return grids
