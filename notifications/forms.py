from django import forms
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    """Which external channels a person wants; the in-app inbox is always on."""

    email = forms.BooleanField(label=_("Also send notifications by email"), required=False)
    sms = forms.BooleanField(label=_("Also send notifications by SMS"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.email:
            self.fields["email"].help_text = _("Your account has no email address; ask an administrator to add one.")
        if not user.phone:
            self.fields["sms"].help_text = _("Your account has no phone number; ask an administrator to add one.")
