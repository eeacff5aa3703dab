from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy


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
    resident_deputies = models.ManyToManyField(
        Deputy, verbose_name=_("resident deputies"), related_name="resident_stations", blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

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


class GridRole(models.TextChoices):
    LEADER = "leader", _("Grid leader")
    MEMBER = "member", _("Grid member")


class GridMode(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")


class GridAssignment(models.Model):
    """A deputy assigned to a grid (就近、就便、就选区); ``end_date`` closes it."""

    grid = models.ForeignKey(Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="assignments")
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="grid_assignments"
    )
    role = models.CharField(_("grid role"), max_length=10, choices=GridRole.choices, default=GridRole.MEMBER)
    mode = models.CharField(_("mode"), max_length=10, choices=GridMode.choices, default=GridMode.PART_TIME)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("grid assignment")
        verbose_name_plural = _("grid assignments")
        ordering = ["grid", "role", "deputy"]
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "deputy"],
                condition=Q(end_date__isnull=True),
                name="one_open_assignment_per_deputy_and_grid",
                violation_error_message=_("This deputy is already assigned to this grid."),
            ),
            models.UniqueConstraint(
                fields=["grid"],
                condition=Q(end_date__isnull=True, role="leader"),
                name="one_open_leader_per_grid",
                violation_error_message=_("This grid already has a grid leader."),
            ),
            models.CheckConstraint(
                name="assignment_ends_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                violation_error_message=_("An assignment cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} @ {self.grid} ({self.get_role_display()})"
