from django import forms
from django.utils.translation import gettext_lazy as _

from imports.models import LedgerKind
from imports.reading import MAX_FILE_BYTES
from imports.services import kind_choices


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Ledger kind"), choices=kind_choices, initial=LedgerKind.RECEPTION)
    file = forms.FileField(
        label=_("Ledger file (.xlsx)"),
        help_text=_("At most %(size)s MB. Nothing is imported until you have seen the check and confirmed.")
        % {"size": MAX_FILE_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:  # only the kinds the user may import (the roster is the office's)
            self.fields["kind"].choices = kind_choices(user)
