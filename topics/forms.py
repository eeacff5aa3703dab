from django import forms
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy

PERIOD_DAYS = (7, 30, 90, 180, 365)
DEFAULT_DAYS = 30


class PeriodForm(forms.Form):
    """The period of the 热点 page: the last N days up to an end date (today by default)."""

    days = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        required=False,
        choices=[(d, _("Last %(n)d days") % {"n": d}) for d in PERIOD_DAYS],
    )
    date_to = forms.DateField(label=_("Up to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_date_to(self):
        value = self.cleaned_data.get("date_to")
        if value is not None and not (2000 <= value.year <= 2100):
            raise forms.ValidationError(_("Choose a date between 2000 and 2100."))
        return value


class MergeForm(forms.Form):
    others = forms.CharField(
        label=_("Topic numbers to merge into this one"),
        max_length=200,
        help_text=_("Separate several numbers with commas, e.g. 12, 15."),
    )

    def clean_others(self):
        raw = self.cleaned_data["others"].replace("，", ",").replace("、", ",").replace("#", "")
        try:
            ids = {int(part) for part in raw.split(",") if part.strip()}
        except ValueError:
            raise forms.ValidationError(_("Enter topic numbers separated by commas.")) from None
        if not ids or any(i < 1 or i > 2**31 - 1 for i in ids):
            raise forms.ValidationError(_("Enter topic numbers separated by commas."))
        return sorted(ids)


class SplitForm(forms.Form):
    opinions = forms.TypedMultipleChoiceField(label=_("Opinions to move"), coerce=int, choices=())
    title = forms.CharField(label=_("Title of the new topic"), max_length=200, required=False)

    def __init__(self, *args, opinion_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinions"].choices = [(i, f"#{i}") for i in opinion_ids]


class DraftSuggestionForm(forms.Form):
    deputy = forms.ModelChoiceField(
        label=_("Deputy who raises it"), queryset=Deputy.objects.filter(is_active=True).order_by("name")
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class KeySupervisionForm(forms.Form):
    note = forms.CharField(label=_("Supervision note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
