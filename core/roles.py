"""The roles a user account can have; every permission check in the product speaks of these."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STATION_STAFF = "station_staff", _("Station staff")
    DEPUTY = "deputy", _("Deputy")
    OFFICE = "office", _("Suggestion office")
    UNIT_OFFICER = "unit_officer", _("Handling-unit officer")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("Administrator")
