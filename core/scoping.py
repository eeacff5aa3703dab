"""The building block of every station-scoped selector.

Station staff see the stations they are attached to and everything below them in
the 1+4+N tree (at most two levels down). Selectors in every app express that
with the same lookups, prefixed by the path from their model to a station.
"""

from django.db.models import Q


def staff_station_q(user, prefix: str = "") -> Q:
    """Q matching rows whose station (reached by ``prefix``) is in ``user``'s subtree.

    ``prefix`` is the lookup path to a station, ending in ``__`` (empty for Station
    itself), e.g. ``"resident_stations__"``. Joins are multi-valued: wrap the
    result in an ``id__in`` subquery to avoid duplicate rows.
    """
    return (
        Q(**{f"{prefix}staff": user})
        | Q(**{f"{prefix}parent__staff": user})
        | Q(**{f"{prefix}parent__parent__staff": user})
    )
