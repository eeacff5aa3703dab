"""The audit trail of personal data: every reveal and every export."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalDataAction(models.TextChoices):
    REVEAL = "reveal", _("Revealed in full")
    EXPORT = "export", _("Exported")


class PersonalDataAccess(models.Model):
    """Every reveal of a full phone number and every export of personal data (kept ≥ 6 months)."""

    user = models.ForeignKey(
        "accounts.User", verbose_name=_("user"), on_delete=models.PROTECT, related_name="personal_data_accesses"
    )
    action = models.CharField(_("action"), max_length=10, choices=PersonalDataAction.choices)
    subject = models.CharField(_("what"), max_length=200)
    object_type = models.CharField(_("record type"), max_length=30)
    object_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.subject}"
