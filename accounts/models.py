from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.roles import Role


class User(AbstractUser):
    """An account with exactly one role and the links that role needs.

    The links point up the layers by name only (no Python import), so the
    accounts app stays at the bottom: a deputy account is tied to its deputy
    record, station staff to their stations, a unit officer to a unit.
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STATION_STAFF)
    deputy = models.OneToOneField(
        "deputies.Deputy",
        verbose_name=_("deputy record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )
    stations = models.ManyToManyField(
        "organisation.Station", verbose_name=_("stations"), blank=True, related_name="staff"
    )
    unit = models.ForeignKey(
        "organisation.HandlingUnit",
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="deputy_role_has_deputy",
                condition=~Q(role=Role.DEPUTY) | Q(deputy__isnull=False),
                violation_error_message=_("A deputy account must be linked to a deputy record."),
            ),
            models.CheckConstraint(
                name="unit_officer_has_unit",
                condition=~Q(role=Role.UNIT_OFFICER) | Q(unit__isnull=False),
                violation_error_message=_("A handling-unit officer must be linked to a unit."),
            ),
        ]

    @property
    def effective_role(self) -> str:
        """The role used for every permission decision; a superuser counts as admin."""
        return Role.ADMIN if self.is_superuser else self.role

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and self.is_active and self.effective_role in roles

    @property
    def sees_everything(self) -> bool:
        """Office, leaders and admins see the whole jurisdiction."""
        return self.has_role(Role.OFFICE, Role.LEADER, Role.ADMIN)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        # Chinese names are written family name first without a space.
        return f"{self.last_name}{self.first_name}".strip()
