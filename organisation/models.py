"""The organisation everything else hangs on: the station tree, communities, grids and handling units.

Stations form the "1+4+N" tree (one hub, area stations under it, community points under
those); communities and grid centres sit under stations and grids under grid centres.
Handling units (承办单位) are the bodies suggestions
and referred opinions are sent to. Every other app points down to these rows.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.scoping import station_or_ancestor_q


def subtree_q(station, prefix: str = "") -> Q:
    """Q matching rows whose station (reached by ``prefix``) is ``station`` or below it in the tree.

    ``station`` is a ``Station`` or its id; ``prefix`` is the lookup path from the filtered
    model to a station, ending in ``__`` (empty for ``Station`` itself), e.g. ``"station__"``.
    The tree is at most three levels deep (hub, area station, community point).
    """
    return station_or_ancestor_q(prefix, "id", getattr(station, "pk", station))


class StationQuerySet(models.QuerySet):
    def within(self, station) -> "StationQuerySet":
        """``station`` (a ``Station`` or an id) and every station below it."""
        return self.filter(subtree_q(station))


class StationKind(models.TextChoices):
    """The "1+4+N" tree: one hub, area stations under it, community points under those."""

    HUB = "hub", _("Hub (home of deputies)")
    AREA = "area", _("Area station")
    POINT = "point", _("Community point")


# The kind a station's parent must have; a hub has no parent.
PARENT_KIND = {StationKind.AREA: StationKind.HUB, StationKind.POINT: StationKind.AREA}


class Station(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=StationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                name="hub_has_no_parent_others_do",
                condition=(Q(kind=StationKind.HUB) & Q(parent__isnull=True))
                | (~Q(kind=StationKind.HUB) & Q(parent__isnull=False)),
                violation_error_message=_("A hub has no parent station; every other station has one."),
            ),
            models.CheckConstraint(
                name="station_not_own_parent",
                condition=~Q(parent=F("id")),
                violation_error_message=_("A station cannot be its own parent."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        expected = PARENT_KIND.get(self.kind)
        if expected and self.parent_id and self.parent.kind != expected:
            raise ValidationError(
                {
                    "parent": _("A %(kind)s must sit under a %(parent)s.")
                    % {"kind": self.get_kind_display(), "parent": StationKind(expected).label}
                }
            )


class Community(models.Model):
    """社区: the area that a community point serves and that grid centres sit in."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="communities"
    )

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GridCentre(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="grid_centres"
    )

    class Meta:
        verbose_name = _("grid centre")
        verbose_name_plural = _("grid centres")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    """A unit grid; it belongs to exactly one grid centre."""

    centre = models.ForeignKey(
        GridCentre, verbose_name=_("grid centre"), on_delete=models.PROTECT, related_name="grids"
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=30, unique=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "name"],
                name="unique_grid_name_in_centre",
                violation_error_message=_("This grid centre already has a grid with this name."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("Government department")
    COMMUNITY = "community", _("Community")
    STREET_OFFICE = "street_office", _("Street office")


class HandlingUnit(models.Model):
    """承办单位: a body that handles suggestions assigned to it; its officers are users with ``unit`` set."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name
