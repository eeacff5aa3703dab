"""The organisation tree (stations, communities, grid centres, grids) and handling units."""

from organisation.models import HandlingUnit, StationKind, UnitKind
from organisation.services import community_create, grid_centre_create, grid_create, station_create, station_update


def station(name: str, kind: str, *, address: str, parent=None, **fields):
    return station_create(name=name, kind=kind, address=address, parent=parent, **fields)


def hub(name: str = "代表之家", *, address: str = "中心路1号", **fields):
    return station(name, StationKind.HUB, address=address, **fields)


def area(parent, name: str, *, address: str, **fields):
    return station(name, StationKind.AREA, address=address, parent=parent, **fields)


def point(parent, name: str, *, address: str, **fields):
    return station(name, StationKind.POINT, address=address, parent=parent, **fields)


def community(at, name: str):
    return community_create(name=name, station=at)


def centre(of, name: str):
    return grid_centre_create(name=name, community=of)


def grid(under, name: str, code: str, *, households: int | None = None):
    return grid_create(centre=under, name=name, code=code, households=households)


def residents(at, deputies):
    """Make ``deputies`` the station's resident deputies (replacing any before)."""
    return station_update(station=at, resident_deputies=list(deputies))


def handling_unit(name: str = "区住房和城乡建设局", kind: str = UnitKind.DEPARTMENT, *, actor=None):
    """A handling unit: through the service when an ``actor`` (office or admin) is at hand, else as reference
    data created directly."""
    if actor is None:
        return HandlingUnit.objects.create(name=name, kind=kind)
    from suggestions import services

    return services.unit_create(actor=actor, name=name, kind=kind)
