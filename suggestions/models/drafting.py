"""提: co-signatures and the files a deputy attaches to a suggestion."""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suggestions.models.suggestion import Suggestion

ATTACHMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "txt"]
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# What an attachment may turn out to be, by the extension it is stored with (core.uploads reads the content).
ATTACHMENT_KINDS = frozenset({"pdf", "jpg", "png", "doc", "docx", "xls", "xlsx", "txt"})


def _attachment_path(instance, filename: str) -> str:
    return f"suggestions/{timezone.localdate():%Y/%m}/{filename}"


class CoSignStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class CoSignature(models.Model):
    """附议: a deputy invited to co-sign; the suggestion can be submitted once every invitation is answered."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="cosignatures")
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="cosignatures"
    )
    status = models.CharField(_("status"), max_length=20, choices=CoSignStatus.choices, default=CoSignStatus.PENDING)
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        ordering = ["suggestion", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "deputy"],
                name="unique_cosigner",
                violation_error_message=_("This deputy is already a co-signer."),
            )
        ]
        indexes = [models.Index(fields=["deputy", "status"], name="cosign_deputy_status")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.deputy_id}"


class Attachment(models.Model):
    """A file the deputy attaches to the suggestion itself (replies carry their own)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"), upload_to=_attachment_path, validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)]
    )
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["suggestion", "id"]

    def __str__(self) -> str:
        return self.name
